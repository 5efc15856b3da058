"""Finding a batch's recordings: pairing, BIDS, manifests, links, unreadable folders, layout."""

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

import pytest

import myoemg
from myoemg.batching import discover, force_partner, is_force_partner
from myoemg.batching._discover import _discover
from myoemg.batching._layout import Layout
from myoemg.io import write_edf
from myoemg.utils import RecordingError

from ._helpers import BAD, GOOD, cli, small_session

# --- pairing, BIDS, manifests -------------------------------------------------------------------

def test_discover_folder_pairs_force_files_and_skips_side_tables(dataset):
    jobs = discover(dataset)
    assert [j.file for j in jobs] == sorted([*GOOD, *BAD], key=lambda f: f.rsplit(".", 1)[0])
    pair = next(j for j in jobs if j.file == "sub-03/pair.edf")
    assert pair.force == str(dataset / "sub-03/pair_force.csv")
    assert all(j.force is None for j in jobs if j is not pair)
    assert pair.output == "sub-03/pair"
    assert {j.subject for j in jobs} == {"01", "02", "03", None}
    # the force partner is never a recording of its own, even when named explicitly
    assert is_force_partner("x/pair_force.csv") and not is_force_partner("pair.edf")
    assert [j.file for j in discover(dataset / "sub-03/*")] == ["grip_c.bdf", "pair.edf"]



def test_discover_custom_pairing_rule_and_collisions(tmp_path):
    for name in ("s1.edf", "s1.bdf", "s1-dyn.tsv"):
        (tmp_path / name).write_bytes(b"x")
    assert force_partner(tmp_path / "s1.edf", ["{stem}-dyn.tsv"]) == tmp_path / "s1-dyn.tsv"
    jobs = discover(tmp_path, force_patterns=["{stem}-dyn.tsv"])
    assert [(j.output, Path(j.force).name) for j in jobs] == [("s1_bdf", "s1-dyn.tsv"),
                                                             ("s1_edf", "s1-dyn.tsv")]
    with pytest.raises(ValueError, match="must contain"):
        discover(tmp_path, force_patterns=["force.csv"])



def test_discover_bids_root_and_manifest(tmp_path):
    bids = tmp_path / "bids"
    (bids / "sub-07/ses-2/emg").mkdir(parents=True)
    (bids / "sub-07/ses-2/emg/sub-07_ses-2_task-grip_emg.edf").write_bytes(b"x")
    (bids / "sub-07/ses-2/emg/sub-07_ses-2_task-grip_channels.tsv").write_text("name\n")
    (bids / "dataset_description.json").write_text("{}")
    (job,) = discover(bids)
    assert (job.subject, job.session, job.reader) == ("07", "2", "bids")
    assert job.output == "sub-07/ses-2/emg/sub-07_ses-2_task-grip_emg"
    manifest = tmp_path / "list.csv"
    manifest.write_text("recording,force,subject,session,electrode,emg\n"
                        "bids/sub-07/ses-2/emg/sub-07_ses-2_task-grip_emg.edf,none,P1,v1,"
                        "needle,EMG A;EMG B\n")
    (job,) = discover(manifest)
    assert (job.subject, job.session, job.force) == ("P1", "v1", None)
    assert job.options == {"electrode": "needle", "emg": ["EMG A", "EMG B"]}
    with pytest.raises(RecordingError, match="neither a file"):
        discover(tmp_path / "missing")
    with pytest.raises(RecordingError, match="no recordings found"):
        discover(tmp_path / "bids/*.json")



# --- what cannot be scanned is listed, never fatal ------------------------------------------------

@pytest.fixture
def tangled(tmp_path):
    """Two good recordings beside a self-looping link, a two-link loop, a link to an enclosing
    folder, a dangling link, a FIFO and a folder that cannot be listed."""
    root = tmp_path / "data"
    rec = small_session("healthy", 3)
    for rel in ("a/one.edf", "b/two.edf", "locked/three.edf"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        write_edf(rec, root / rel)
    os.symlink("self.edf", root / "a/self.edf")
    os.symlink("ping.edf", root / "b/pong.edf")
    os.symlink("pong.edf", root / "b/ping.edf")
    os.symlink("..", root / "a/up")  # an enclosing folder: followed, it never ends
    os.symlink("nowhere.edf", root / "b/gone.edf")
    os.mkfifo(root / "b/pipe.edf")
    return root


@pytest.fixture
def locked(tangled, monkeypatch):
    """``tangled/locked`` cannot be listed (chmod 000, or a refusing scandir as root)."""
    folder = tangled / "locked"
    if os.geteuid() != 0:
        folder.chmod(0)
        yield folder
        folder.chmod(0o755)
        return
    real = os.scandir

    def refusing(path="."):
        if Path(os.fspath(path)) == folder:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", refusing)
    yield folder


def test_links_loops_fifos_and_unreadable_folders_are_listed(tangled, locked, tmp_path):
    found = _discover(tangled, force_patterns=(), include_text=False, out=None)
    assert [j.file for j in found.jobs] == ["a/one.edf", "b/two.edf"]
    why = {Path(p.path).relative_to(tangled).as_posix(): (p.error, p.message)
           for p in found.problems}
    assert set(why) == {"a/self.edf", "a/up", "b/ping.edf", "b/pong.edf", "b/gone.edf",
                        "b/pipe.edf", "locked"}
    assert "loop" in why["a/self.edf"][1] and "loop" in why["b/ping.edf"][1]
    assert "leads back" in why["a/up"][1] and "broken" in why["b/gone.edf"][1]
    assert "regular file" in why["b/pipe.edf"][1]
    assert why["locked"][0] == "PermissionError" and "cannot list" in why["locked"][1]

    res = myoemg.batch(tangled, tmp_path / "out", report=False)
    assert res.exit_code == 1 and res.counts["done"] == 2 and res.counts["unscanned"] == 7
    rows = res.failures.set_index("file")
    assert set(rows.index) == set(why) and set(rows.stage) == {"discover"}
    assert res.manifest["status"] == "failures" and len(res.manifest["unscanned"]) == 7


def test_cli_symlink_loop_is_exit_1_not_70(tangled, tmp_path):
    shutil.rmtree(tangled / "locked")
    proc = cli(tangled, "--out", tmp_path / "out", "--no-report")
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert "2 analysed" in stdout


def test_only_unscannable_entries_is_a_clear_error(tmp_path):
    os.symlink("x.edf", tmp_path / "x.edf")
    with pytest.raises(RecordingError, match="could not be scanned.*x.edf.*loop"):
        discover(tmp_path)
    with pytest.raises(RecordingError, match="loop"):
        discover(tmp_path / "x.edf")  # named explicitly


def test_symlinked_folder_is_followed_and_a_file_counts_once(tmp_path):
    real = tmp_path / "elsewhere/sub-09"
    real.mkdir(parents=True)
    write_edf(small_session("healthy", 1), real / "grip.edf")
    data = tmp_path / "data"
    data.mkdir()
    os.symlink(real, data / "sub-09")
    os.symlink(real / "grip.edf", data / "again.edf")  # the same file by another name
    jobs = discover(data)
    assert [(j.file, j.subject) for j in jobs] == [("again.edf", None)]
    assert jobs[0].recording == str(data / "again.edf")  # the path as found, link kept
    (data / "again.edf").unlink()
    assert [(j.file, j.subject) for j in discover(data)] == [("sub-09/grip.edf", "09")]


# --- layout: below the inputs' common folder, never below '/' -------------------------------------

def test_layout_labels_roots_that_share_nothing_below_the_root():
    lay = Layout.from_roots([Path("/mnt/x/data"), Path("/scratch/y/data"), Path("/srv/other"),
                             Path("/srv/other/nested")])
    assert lay.root is None
    assert lay.roots == {"x/data": Path("/mnt/x/data"), "y/data": Path("/scratch/y/data"),
                         "other": Path("/srv/other")}
    assert lay.relative("/srv/other/nested/s1.edf") == "other/nested/s1.edf"
    assert lay.relative("/mnt/x/data/sub-01/a.edf") == "x/data/sub-01/a.edf"
    assert lay.relative("/elsewhere/a.edf") is None
    assert lay.display("/elsewhere/a.edf") == "/elsewhere/a.edf"
    common = Layout.from_roots([Path("/data/study/a"), Path("/data/study/b")])
    assert common.root == Path("/data/study") and common.relative("/data/study/a/r.edf") == \
        "a/r.edf"
    assert Layout.from_roots([Path("/")]).relative("/tmp/r.edf") == "root/tmp/r.edf"


@pytest.mark.skipif(not os.access("/var/tmp", os.W_OK), reason="needs a writable /var/tmp")
def test_inputs_in_unrelated_folders_are_not_mirrored_from_root(tmp_path):
    rec = small_session("healthy", 2)
    write_edf(rec, tmp_path / "first.edf")
    with tempfile.TemporaryDirectory(dir="/var/tmp") as other:
        write_edf(rec, Path(other) / "second.edf")
        found = _discover([tmp_path, other], force_patterns=(), include_text=False, out=None)
        if found.layout.root is not None:
            pytest.skip("the two temporary folders share a folder below '/' here")
        outputs = sorted(j.output for j in found.jobs)
        assert outputs == sorted([f"{tmp_path.name}/first", f"{Path(other).name}/second"])
        res = myoemg.batch([tmp_path, other], tmp_path / "out", report=False)
        assert res.exit_code == 0
        assert (tmp_path / "out" / tmp_path.name / "first" / "summary.json").is_file()
        assert res.manifest["input_root"] is None and len(res.manifest["input_roots"]) == 2
        assert all(not PurePosixPath(f).is_absolute() for f in res.sessions.file)
