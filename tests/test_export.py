"""Exports: MNE Annotations round trip, BIDS events.tsv, Parquet, Analysis.save."""

import json

import numpy as np
import pandas as pd
import pytest

from myoemg.export import annotations_to_frame, events_table, to_annotations
from myoemg.pipeline import analyze
from myoemg.sim import simulate_session


@pytest.fixture(scope="module")
def result():
    rec, _ = simulate_session(fs_emg=2000.0, fs_force=100.0, n_trials=3, rest_s=4.0,
                              pattern="steady", seed=9)
    return analyze(rec)


def test_events_table_columns_and_order(result):
    ev = events_table(result.trials, result.discharges)
    assert list(ev.columns[:3]) == ["onset", "duration", "trial_type"]
    assert ev["onset"].is_monotonic_increasing and (ev["duration"] >= 0).all()
    assert (ev["trial_type"].str.startswith("grip/")).sum() == len(result.trials)
    assert (ev["trial_type"].str.startswith("discharge/")).sum() == len(result.discharges)


def test_annotations_round_trip_through_mne_fif(result, tmp_path):
    mne = pytest.importorskip("mne")
    raw = result.recording.to_mne()
    ann = result.to_annotations(orig_time=raw.info["meas_date"])
    raw.set_annotations(ann)
    path = tmp_path / "session_raw.fif"
    raw.save(path, verbose=False)
    back = mne.io.read_raw_fif(path, verbose=False).annotations
    assert len(back) == len(ann)
    a, b = annotations_to_frame(ann), annotations_to_frame(back)
    np.testing.assert_allclose(b["onset"], a["onset"], atol=1 / raw.info["sfreq"])
    np.testing.assert_allclose(b["duration"], a["duration"], atol=1 / raw.info["sfreq"])
    assert b["trial_type"].tolist() == a["trial_type"].tolist()
    assert b["channel"].tolist() == a["channel"].tolist()
    grips = b[b["event"] == "grip"]
    assert grips["trial"].tolist() == result.trials["trial"].tolist()
    np.testing.assert_allclose(grips["onset"], result.trials["onset_s"], atol=1e-3)
    relax = b[b["event"] == "relaxation"].reset_index(drop=True)
    rt = result.trials[result.trials["relaxed"]].reset_index(drop=True)
    np.testing.assert_allclose(relax.loc[~relax["censored"], "duration"], rt["rt90_5_s"],
                               atol=1e-3)
    dis = b[b["event"] == "discharge"]
    assert sorted(dis["kind"]) == sorted(result.discharges["kind"])


def test_annotations_without_discharges():
    trials = pd.DataFrame({"trial": [1], "onset_s": [1.0], "release_s": [4.0], "t90_s": [4.1],
                           "t5_s": [np.nan], "window_end_s": [9.0], "relaxed": [False],
                           "rt90_5_s": [np.nan], "peak_force_n": [200.0]})
    ann = to_annotations(trials)
    assert list(ann.description) == ["grip/1", "relaxation/1/censored"]
    assert ann.duration[1] == pytest.approx(4.9)


def test_save_writes_events_parquet_and_report(result, tmp_path):
    paths = result.save(tmp_path / "out")
    for key in ("trials", "discharges", "summary", "events", "events_sidecar", "report"):
        assert paths[key].exists(), key
    assert paths["events"].name.endswith("_events.tsv")
    ev = pd.read_csv(paths["events"], sep="\t", na_values="n/a", keep_default_na=False)
    assert list(ev.columns[:3]) == ["onset", "duration", "trial_type"]
    assert "n/a" in paths["events"].read_text()
    side = json.loads(paths["events_sidecar"].read_text())
    assert side["onset"]["Units"] == "s"
    summary = json.loads(paths["summary"].read_text())
    for key in ("n_trials", "pattern", "inputs", "parameters", "version", "grade", "warmup"):
        assert key in summary
    assert summary["grade"]["disclaimer"] == "research use; not a validated clinical scale"
    if "trials_parquet" in paths:
        back = pd.read_parquet(paths["trials_parquet"])
        pd.testing.assert_frame_equal(back, result.trials, check_dtype=False)
    assert not list((tmp_path / "out").glob(".*.tmp"))  # atomic writes leave no temp files
