"""myoemg.batch / ``myoemg batch``: discovery, bad files, resume after a kill, Dask = serial.

Small simulated sessions (3 grips, EMG 1000 Hz, force 100 Hz) keep each analysis well under a
second; ``report=False`` skips the HTML report. Runs in subprocesses get real signals.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import myoemg
from myoemg.batching import MARKER, discover, force_partner, is_force_partner
from myoemg.io import file_sha256, write_edf, write_force_csv
from myoemg.sim import simulate_session
from myoemg.utils import OutputError, RecordingError

ROOT = Path(__file__).resolve().parents[1]
GOOD = ["sub-01/grip_a.edf", "sub-01/grip_b.edf", "sub-02/grip_a.edf", "sub-02/grip_b.edf",
        "sub-03/pair.edf", "sub-03/grip_c.bdf"]
BAD = {"bad/empty.edf": "RecordingError", "bad/garbage.edf": "RecordingError",
       "bad/truncated.edf": "RecordingError"}
TABLES = ["trials.csv", "sessions.csv", "discharges.csv", "failures.csv"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """Six good recordings (one as EMG EDF + <stem>_force.csv) and three bad files."""
    root = tmp_path_factory.mktemp("batch") / "data"
    sims = [simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=3, pattern=p, seed=i)[0]
            for i, p in enumerate(["warm-up", "healthy", "paradoxical"])]
    for i, rel in enumerate(GOOD):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        rec = sims[i % 3]
        if rel.endswith("pair.edf"):
            write_edf(rec.select(["EMG FDS"]), path)
            write_force_csv(rec.force, path.with_name("pair_force.csv"))
        else:
            write_edf(rec, path)
    (root / "bad").mkdir()
    (root / "bad/empty.edf").write_bytes(b"")
    (root / "bad/garbage.edf").write_bytes(os.urandom(3000))
    raw = (root / GOOD[0]).read_bytes()
    (root / "bad/truncated.edf").write_bytes(raw[: len(raw) // 2 + 7])
    (root / "participants.tsv").write_text("participant_id\nsub-01\n")  # not a recording
    return root


@pytest.fixture(scope="module")
def reference(dataset, tmp_path_factory):
    """A clean serial run of the whole dataset (the tables every other run must match)."""
    out = tmp_path_factory.mktemp("ref") / "out"
    before = {p: file_sha256(p) for p in dataset.rglob("*") if p.is_file()}
    res = myoemg.batch(dataset, out, jobs=1, report=False)
    after = {p: file_sha256(p) for p in dataset.rglob("*") if p.is_file()}
    assert before == after  # inputs are never written to
    return res, out


def _tables(out):
    return {name: (out / name).read_bytes() for name in TABLES}


def _markers(out):
    return {p.parent.relative_to(out).as_posix(): p.stat().st_mtime_ns
            for p in out.rglob(MARKER)}


def _cli(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "myoemg_cli.main", "batch", *map(str, args)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **kwargs)


def _wait_for_markers(out, n, proc, timeout=60):
    t0 = time.monotonic()
    while len(_markers(out)) < n if out.exists() else True:
        assert proc.poll() is None, f"run ended before the kill: {proc.communicate()}"
        assert time.monotonic() - t0 < timeout, "no recording finished in time"
        time.sleep(0.02)


# --- discovery -------------------------------------------------------------------------------

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


def test_bids_dataset_read_with_sidecars(tmp_path):
    rec, _ = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=3, pattern="healthy",
                              seed=5)
    emg_dir = tmp_path / "bids/sub-04/ses-pre/emg"
    emg_dir.mkdir(parents=True)
    write_edf(rec.set_roles(emg=["EMG FDS"], force="Grip"),
              emg_dir / "sub-04_ses-pre_task-grip_emg.edf")
    (emg_dir / "sub-04_ses-pre_task-grip_channels.tsv").write_text(
        "name\ttype\tunits\nEMG FDS\tEMG\tuV\nGrip\tFORCE\tN\n")
    (tmp_path / "bids/dataset_description.json").write_text('{"Name": "t"}')
    res = myoemg.batch(tmp_path / "bids", tmp_path / "out", report=False)
    assert res.exit_code == 0, res.failures.to_dict("records")
    row = res.sessions.iloc[0]
    assert (row.file, row.subject, row.session, row.n_trials) == (
        "sub-04/ses-pre/emg/sub-04_ses-pre_task-grip_emg.edf", "04", "pre", 3)
    assert (tmp_path / "out/sub-04/ses-pre/emg/sub-04_ses-pre_task-grip_emg" / MARKER).is_file()


def test_manifest_subjects_force_files_and_per_file_options(dataset, tmp_path):
    manifest = dataset.parent / "manifest.csv"
    manifest.write_text("recording,force,subject,session,detect,bogus\n"
                        "data/sub-01/grip_a.edf,,P1,v1,false,\n"
                        "data/sub-03/pair.edf,data/sub-03/pair_force.csv,P3,,,\n"
                        "data/sub-02/grip_a.edf,,P2,,,1\n")
    res = myoemg.batch(manifest, tmp_path / "out", report=False)
    assert res.exit_code == 1
    assert res.failures[["file", "stage", "error"]].values.tolist() == [
        ["data/sub-02/grip_a.edf", "options", "TypeError"]]
    rows = res.sessions.set_index("file")
    assert rows.loc["data/sub-01/grip_a.edf", ["subject", "session"]].tolist() == ["P1", "v1"]
    assert rows.loc["data/sub-01/grip_a.edf", "n_discharges"] == 0  # detect=false
    assert rows.loc["data/sub-03/pair.edf", "force_file"] == "data/sub-03/pair_force.csv"
    assert set(res.trials.subject) == {"P1", "P3"}


def test_bad_options_and_output_inside_inputs_are_refused(dataset):
    with pytest.raises(TypeError, match="unknown batch option"):
        myoemg.batch(dataset, dataset.parent / "x", electrod="needle")
    with pytest.raises(ValueError, match="pairing rule"):
        myoemg.batch(dataset, dataset.parent / "x", force="f.csv")
    with pytest.raises(OutputError, match="holds the input"):
        myoemg.batch(dataset / "sub-01", dataset)


# --- a run with bad files; resume -------------------------------------------------------------

def test_good_files_analysed_bad_files_listed(reference, dataset):
    res, out = reference
    assert res.exit_code == 1 and not res.interrupted
    assert res.counts == {"recordings": 9, "done": 6, "skipped": 0, "failed": 3, "not_run": 0}
    failures = pd.read_csv(out / "failures.csv")
    assert dict(zip(failures.file, failures.error, strict=True)) == BAD
    assert failures.message.str.contains("empty|EDF|truncated").all()
    sessions = pd.read_csv(out / "sessions.csv", dtype={"subject": str})
    assert sorted(sessions.file) == sorted(GOOD)
    assert {"pattern", "grade", "rt90_5_first_s", "n_myotonic_discharges"} <= set(sessions)
    assert (sessions.n_trials == 3).all()
    assert sessions.loc[sessions.file == "sub-03/pair.edf", "force_file"].item() == \
        "sub-03/pair_force.csv"
    trials = pd.read_csv(out / "trials.csv", dtype={"subject": str})
    assert list(trials.columns[:4]) == ["file", "subject", "session", "trial"]
    assert len(trials) == 18 and set(trials.subject) == {"01", "02", "03"}
    assert trials.rt90_5_s.notna().all()
    for name in ("trials", "sessions", "discharges"):
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"),
                                      getattr(res, name), check_dtype=False)
    for rel in GOOD:  # per recording: the analyze outputs, mirrored from the input path
        folder = out / rel.rsplit(".", 1)[0]
        assert {"trials.csv", "discharges.csv", "summary.json", MARKER} <= \
            {p.name for p in folder.iterdir()}
    manifest = json.loads((out / "batch_manifest.json").read_text())
    assert manifest["status"] == "failures" and manifest["version"] == myoemg.__version__
    entry = next(e for e in manifest["recordings"] if e["file"] == "sub-03/pair.edf")
    assert entry["sha256"] == {"recording": file_sha256(dataset / "sub-03/pair.edf"),
                               "force": file_sha256(dataset / "sub-03/pair_force.csv")}
    assert entry["timings"]["analyze_s"] > 0
    assert manifest["workers"] and not list(out.rglob("*.tmp"))


def test_rerun_skips_up_to_date_and_redoes_changed(reference, dataset, tmp_path):
    _, ref_out = reference
    out = tmp_path / "out"
    shutil.copytree(ref_out, out)
    before = _markers(out)
    res = myoemg.batch(dataset, out, report=False)
    assert res.counts["skipped"] == 6 and res.counts["done"] == 0 and res.exit_code == 1
    assert _markers(out) == before and _tables(out) == _tables(ref_out)
    # other parameters: everything is recomputed
    res = myoemg.batch(dataset / "sub-01", out / "x", report=False, detect=False)
    again = myoemg.batch(dataset / "sub-01", out / "x", report=False)
    assert again.counts["done"] == 2 and again.counts["skipped"] == 0


# --- interrupted runs in subprocesses -----------------------------------------------------------

def test_sigkill_then_rerun_completes_identically(reference, dataset, tmp_path):
    _, ref_out = reference
    out = tmp_path / "out"
    proc = _cli(dataset, "--out", out, "--no-report", "--jobs", "1")
    _wait_for_markers(out, 2, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    finished = _markers(out)
    assert 2 <= len(finished) < len(GOOD)
    proc = _cli(dataset, "--out", out, "--no-report", "--jobs", "1")
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr  # documented: some recordings failed
    assert "up to date" in stderr and "FAILED bad/empty.edf" in stderr  # line-based, no TTY
    assert "3 failed" in stdout
    markers = _markers(out)
    assert len(markers) == len(GOOD)
    assert {k: markers[k] for k in finished} == finished  # not recomputed
    assert _tables(out) == _tables(ref_out)
    manifest = json.loads((out / "batch_manifest.json").read_text())
    assert manifest["counts"]["skipped"] == len(finished)
    assert not list(out.rglob("*.tmp"))


def test_sigint_stops_process_pool_cleanly_then_rerun(reference, dataset, tmp_path):
    _, ref_out = reference
    out = tmp_path / "out"
    proc = _cli(dataset, "--out", out, "--no-report", "--jobs", "2")
    _wait_for_markers(out, 1, proc)
    os.kill(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    manifest = json.loads((out / "batch_manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["counts"]["not_run"] > 0, \
        (manifest["counts"], stderr)
    finished = _markers(out)
    proc = _cli(dataset, "--out", out, "--no-report", "--jobs", "1", "--quiet")
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr
    assert {k: v for k, v in _markers(out).items() if k in finished} == finished
    assert _tables(out) == _tables(ref_out)


# --- Dask -------------------------------------------------------------------------------------

def test_dask_local_cluster_matches_serial(reference, dataset, tmp_path):
    pytest.importorskip("distributed")
    res_ref, ref_out = reference
    res = myoemg.batch(dataset, tmp_path / "out", scheduler="local", jobs=2, report=False)
    assert res.counts == res_ref.counts
    assert _tables(tmp_path / "out") == _tables(ref_out)
    workers = res.manifest["workers"]
    assert 1 <= len(workers) <= 2 and str(os.getpid()) not in workers


def test_import_myoemg_batch_stays_light():
    code = ("import sys, myoemg; f = myoemg.batch; "
            "print(','.join(m for m in ('dask', 'distributed', 'tqdm', 'joblib') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
