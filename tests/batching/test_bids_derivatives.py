"""``myoemg batch`` on a BIDS-EMG dataset: a derivative dataset whose names mne-bids reads back."""

import json

import pandas as pd
import pytest
from mne_bids import get_bids_path_from_fname, get_entities_from_fname

from myoemg.batching import MARKER
from myoemg_cli.main import main

from .._bids_dataset import basename, write_dataset

SUFFIXES = {"trials.tsv", "discharges.tsv", "events.tsv", "events.json", "summary.json",
            "report.html", "trials.parquet", "discharges.parquet"}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The dataset and one batch of it through the command line (with reports)."""
    tmp = tmp_path_factory.mktemp("bids")
    files = write_dataset(tmp / "ds")
    assert main(["batch", str(tmp / "ds"), "--out", str(tmp / "out"), "-q"]) == 0
    return files, tmp / "out"


def test_every_derivative_name_parses_back_to_its_inputs_entities(run):
    files, out = run
    root = out / "derivatives" / "myoemg"
    description = json.loads((root / "dataset_description.json").read_text())
    assert description["DatasetType"] == "derivative"
    assert description["GeneratedBy"][0]["Name"] == "myoemg"
    assert description["BIDSVersion"].startswith("1.")
    wanted = {basename(e): e for e in files.values()}
    seen = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root)
        if rel.as_posix() == "dataset_description.json":
            continue
        parsed = get_entities_from_fname(path.name, on_error="raise")
        assert parsed.pop("description") == "myoemg", rel
        entities = {k: v for k, v in parsed.items() if v is not None}
        assert entities in wanted.values(), (rel, entities)
        # the folders are the BIDS ones: sub-<label>/[ses-<label>/]emg/
        bids_path = get_bids_path_from_fname(path, check=False)
        assert bids_path.datatype == "emg" and bids_path.root == root, rel
        suffix = path.name.split("_desc-myoemg_")[1]
        assert suffix in SUFFIXES, rel
        seen.setdefault(basename(entities), set()).add(suffix)
    assert seen == {stem: SUFFIXES for stem in wanted}  # every recording, every output


def test_tables_are_bids_tsv_and_match_the_combined_tables(run):
    _, out = run
    combined = pd.read_csv(out / "trials.csv")
    tsv = sorted((out / "derivatives/myoemg").rglob("*_desc-myoemg_trials.tsv"))
    assert len(tsv) == 3 and len(combined) == 9
    first = pd.read_csv(tsv[0], sep="\t", keep_default_na=False)
    assert "rt90_5_s" in first and (first == "").to_numpy().sum() == 0  # n/a, never blank
    per_file = pd.concat([pd.read_csv(p, sep="\t", na_values=["n/a"]) for p in tsv])
    pd.testing.assert_series_equal(per_file["rt90_5_s"].reset_index(drop=True),
                                   combined["rt90_5_s"], check_names=False)
    sessions = pd.read_csv(out / "sessions.csv", dtype={"subject": str, "session": str})
    assert sorted(sessions["subject"]) == ["01", "01", "02"]


def test_rerun_skips_and_a_missing_derivative_is_rewritten(run, capsys):
    files, out = run
    assert main(["batch", str(next(iter(files)).parents[3]), "--out", str(out)]) == 0
    assert "0 analysed, 3 up to date" in capsys.readouterr().out
    victim = next((out / "derivatives/myoemg").rglob("*_run-2_desc-myoemg_events.tsv"))
    victim.unlink()
    assert main(["batch", str(next(iter(files)).parents[3]), "--out", str(out)]) == 0
    assert "1 analysed, 2 up to date" in capsys.readouterr().out
    assert victim.is_file()
    assert len(list(out.rglob(MARKER))) == 3  # the batch's own markers stay outside


def test_plain_layout_on_request_and_same_numbers(run, tmp_path):
    files, out = run
    ds = next(iter(files)).parents[3]
    assert main(["batch", str(ds), "--out", str(tmp_path / "plain"), "--no-bids-derivatives",
                 "--no-report", "-q"]) == 0
    assert not (tmp_path / "plain/derivatives").exists()
    trials = tmp_path / "plain/sub-01/ses-01/emg/sub-01_ses-01_task-grip_run-1_emg/trials.csv"
    assert trials.is_file()
    assert (trials.parent / "sub-01_ses-01_task-grip_run-1_desc-myoemg_events.tsv").is_file()
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "plain/trials.csv"),
                                  pd.read_csv(out / "trials.csv"))


def test_two_datasets_with_the_same_subject_do_not_overwrite_each_other(tmp_path):
    one = {"subject": "01", "task": "grip"}
    write_dataset(tmp_path / "a", recordings=((one, 0),))
    write_dataset(tmp_path / "b", recordings=((one, 1),))
    import myoemg

    res = myoemg.batch([tmp_path / "a", tmp_path / "b"], tmp_path / "out", report=False)
    assert res.exit_code == 1
    (failure,) = res.failures.itertuples()
    assert failure.error == "OutputError" and "same BIDS entities" in failure.message
    summary = next((tmp_path / "out/derivatives/myoemg").rglob("*_summary.json"))
    assert json.loads(summary.read_text())["inputs"][0].startswith(str(tmp_path / "a"))
