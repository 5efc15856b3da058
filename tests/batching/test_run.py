"""myoemg.batch: good files analysed, bad files listed, resume, hashes of companion files."""

import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import myoemg
from myoemg.batching import MARKER
from myoemg.batching._executors import user_sets_threads
from myoemg.io import file_sha256, write_edf
from myoemg.utils import OutputError

from ._helpers import BAD, GOOD, markers, small_session, tables

# --- discovery -------------------------------------------------------------------------------

def test_bids_dataset_read_with_sidecars(tmp_path):
    rec = small_session("healthy", 5)
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
    assert res.counts == {"recordings": 9, "done": 6, "skipped": 0, "failed": 3, "not_run": 0,
                          "unscanned": 0}
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


def test_pool_gives_the_serial_tables_with_one_blas_thread_per_worker(reference, dataset,
                                                                    tmp_path):
    res_ref, ref_out = reference
    res = myoemg.batch(dataset, tmp_path / "out", jobs=2, report=False)
    assert res.counts == res_ref.counts and tables(tmp_path / "out") == tables(ref_out)
    workers = res.manifest["workers"]
    assert len(workers) == 2 and str(os.getpid()) not in workers
    if not user_sets_threads():  # the user's OMP_NUM_THREADS etc. are respected
        assert {w["blas_threads"] for w in workers.values()} == {1}
        assert {w["blas_threads"] for w in res_ref.manifest["workers"].values()} == {1}


def test_rerun_skips_up_to_date_and_redoes_changed(reference, dataset, tmp_path):
    _, ref_out = reference
    out = tmp_path / "out"
    shutil.copytree(ref_out, out)
    before = markers(out)
    res = myoemg.batch(dataset, out, report=False)
    assert res.counts["skipped"] == 6 and res.counts["done"] == 0 and res.exit_code == 1
    assert markers(out) == before and tables(out) == tables(ref_out)
    # other parameters: everything is recomputed
    res = myoemg.batch(dataset / "sub-01", out / "x", report=False, detect=False)
    again = myoemg.batch(dataset / "sub-01", out / "x", report=False)
    assert again.counts["done"] == 2 and again.counts["skipped"] == 0


def test_import_myoemg_batch_stays_light():
    code = ("import sys, myoemg; f = myoemg.batch; import myoemg.batching; "
            "print(','.join(m for m in ('dask', 'distributed', 'tqdm', 'threadpoolctl', "
            "'concurrent.futures.process') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""


def test_batching_alone_imports_nothing_heavy():
    """With ``myoemg/__init__`` out of the way (as a lazy one will be), ``myoemg.batching``
    loads no analysis, pandas or Dask: batch() can start the fork server before it imports
    them, so the two imports overlap."""
    code = ("import importlib.util, sys, types; spec = importlib.util.find_spec('myoemg'); "
            "pkg = types.ModuleType('myoemg'); pkg.__spec__ = spec; "
            "pkg.__path__ = list(spec.submodule_search_locations); sys.modules['myoemg'] = pkg; "
            "import myoemg.batching, myoemg.batching._listing; "
            "print(','.join(m for m in ('pandas', 'scipy', 'myoemg.pipeline', 'myoemg.io', "
            "'matplotlib', 'distributed', 'tqdm') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
