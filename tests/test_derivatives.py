"""Output names: plain, or a BIDS derivative dataset named by the input's real entities."""

import importlib.metadata
import json

import pytest
from mne_bids import get_entities_from_fname

import myoemg
from myoemg import derivatives
from myoemg.export import bids_stem, source_entities
from myoemg.io import write_edf
from myoemg.sim import simulate_session
from myoemg.utils import OutputError
from myoemg_cli.main import main

from ._bids_dataset import write_dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp("ds") / "ds"
    return write_dataset(root, n_trials=2)


def _session(seed=0):
    return simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=2, seed=seed)[0]


def test_analyze_on_a_bids_file_writes_a_derivative_dataset(dataset, tmp_path, capsys):
    path, entities = next((p, e) for p, e in dataset.items() if "acquisition" in e)
    assert main(["analyze", str(path), "--out", str(tmp_path), "--no-report", "-q"]) == 0
    root = tmp_path / "derivatives" / "myoemg"
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    stem = "sub-02/emg/sub-02_task-grip_acq-needle_desc-myoemg"
    assert names == ["dataset_description.json",
                     *(f"{stem}_{s}" for s in ("discharges.parquet", "discharges.tsv",
                                              "events.json", "events.tsv", "summary.json",
                                              "trials.parquet", "trials.tsv"))]
    assert not (tmp_path / "trials.csv").exists()  # nothing besides the dataset
    parsed = get_entities_from_fname(names[-1], on_error="raise")
    assert {k: v for k, v in parsed.items() if v and k != "description"} == entities


def test_no_bids_derivatives_keeps_plain_names_with_the_real_entities(dataset, tmp_path):
    path = next(p for p, e in dataset.items() if e.get("run") == "2")
    assert main(["analyze", str(path), "--out", str(tmp_path), "--no-bids-derivatives",
                 "--no-report", "-q"]) == 0
    files = sorted(p.name for p in tmp_path.iterdir())
    assert "trials.csv" in files and "summary.json" in files
    assert "sub-01_ses-01_task-grip_run-2_desc-myoemg_events.tsv" in files
    assert not (tmp_path / "derivatives").exists()


def test_non_bids_input_named_by_its_subject_code_only_on_request(tmp_path):
    rec = _session()
    rec.metadata.update(subject="P-07", session="v2")  # codes; '-' is not a BIDS label char
    res = myoemg.analyze(rec)
    assert source_entities(res) == ({"subject": "P07", "session": "v2", "task": "grip"}, False)
    assert bids_stem(res) == "sub-P07_ses-v2_task-grip_desc-myoemg"
    assert (tmp_path / "plain/trials.csv") == res.save(tmp_path / "plain", report=False)[
        "trials"]
    paths = res.save(tmp_path / "bids", report=False, bids_derivatives=True)
    assert paths["trials"] == (tmp_path / "bids/derivatives/myoemg/sub-P07/ses-v2/emg/"
                               "sub-P07_ses-v2_task-grip_desc-myoemg_trials.tsv")


def test_no_subject_no_bids_derivatives(tmp_path):
    rec = _session()
    rec.metadata.pop("subject")
    res = myoemg.analyze(rec)
    assert bids_stem(res) == "task-grip_desc-myoemg"  # plain outputs still get a name
    with pytest.raises(OutputError, match="no subject code.*subject="):
        res.save(tmp_path, report=False, bids_derivatives=True)
    assert not any(tmp_path.iterdir())


def test_edf_patient_code_names_the_derivatives(tmp_path):
    rec = _session()
    rec.metadata["subject"] = "MD12"
    edf = write_edf(rec, tmp_path / "grip.edf")
    assert main(["analyze", str(edf), "--out", str(tmp_path / "out"), "--bids-derivatives",
                 "--no-report", "-q"]) == 0
    assert (tmp_path / "out/derivatives/myoemg/sub-MD12/emg/"
            "sub-MD12_task-grip_desc-myoemg_trials.tsv").is_file()


def test_dataset_description_is_a_derivative_with_our_code_url():
    desc = derivatives.dataset_description()
    urls = dict(u.split(", ", 1) for u in importlib.metadata.metadata("myoemg")
                .get_all("Project-URL"))
    assert desc["GeneratedBy"][0]["CodeURL"] == urls["Source"]  # the pyproject placeholder
    assert desc["GeneratedBy"][0]["Version"] == myoemg.__version__
    assert desc["DatasetType"] == "derivative" and desc["BIDSVersion"] == "1.11.0"


def test_interrupted_write_leaves_no_temporary_file_in_the_dataset(dataset, tmp_path):
    path = next(iter(dataset))
    res = myoemg.analyze(myoemg.read(path))
    first = res.save(tmp_path, report=False)
    stale = first["trials"].parent / f".{first['trials'].name}.abc123.tmp"  # killed run
    stale.write_text("half")
    other = first["trials"].parent / ".sub-99_task-grip_desc-myoemg_trials.tsv.x.tmp"
    other.write_text("another recording's write in flight")
    res.save(tmp_path, report=False)
    assert not stale.exists() and other.exists()
    summary = json.loads(first["summary"].read_text())
    assert summary["inputs"] == [str(path)]
