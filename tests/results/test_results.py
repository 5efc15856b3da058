"""Typed results: attributes, to_dict / to_json, and outputs that never replace an input."""

import dataclasses
import json

import numpy as np
import pytest

import myoemg
from myoemg.io import file_sha256, write_edf, write_force_csv
from myoemg.results import Analysis, Grade, Summary, Warmup
from myoemg.sim import simulate_session
from myoemg.utils import OutputError, atomic_path, protect_inputs


@pytest.fixture(scope="module")
def analysis():
    rec, _ = simulate_session(fs_emg=2000.0, fs_force=100.0, n_trials=3, rest_s=4.0, seed=3)
    return myoemg.analyze(rec)


def test_results_are_typed(analysis):
    s = analysis.summary
    assert isinstance(analysis, Analysis) and isinstance(s, Summary)
    assert isinstance(s.grade, Grade) and isinstance(s.warmup, Warmup)
    assert s.pattern == s.warmup.pattern and s.n_trials == len(analysis.trials)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.n_trials = 0


def test_to_dict_and_to_json_agree(analysis):
    d = analysis.summary.to_dict()
    j = json.loads(analysis.summary.to_json())
    assert d["grade"]["label"] == j["grade"]["label"] == analysis.summary.grade.label
    assert "pattern" not in d["warmup"] and d["pattern"] == analysis.summary.pattern
    nan_keys = [k for k, v in d.items() if isinstance(v, float) and np.isnan(v)]
    assert all(j[k] is None for k in nan_keys)  # NaN becomes null in JSON only


def test_save_never_replaces_an_input(tmp_path):
    """Issue 13: `analyze rec.edf --force trials.csv --out .` overwrote the dynamometer file."""
    rec, _ = simulate_session(fs_emg=2000.0, fs_force=100.0, n_trials=2, rest_s=4.0, seed=4)
    emg = write_edf(rec.select(["EMG FDS"]), tmp_path / "rec.edf")
    force = write_force_csv(rec.force, tmp_path / "trials.csv")
    before = file_sha256(force)
    res = myoemg.analyze(myoemg.read(emg, force=force))
    with pytest.raises(OutputError, match="trials.csv.*never writes over an input"):
        res.save(tmp_path, report=False)
    assert file_sha256(force) == before
    assert myoemg.analyze(myoemg.read(emg, force=force)).summary.n_trials == 2  # still there


def test_protect_inputs_sees_through_other_paths(tmp_path):
    src = tmp_path / "data.csv"
    src.write_text("x\n")
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    with protect_inputs([src]), pytest.raises(OutputError):
        with atomic_path(link):
            pass
    with atomic_path(link) as tmp:  # outside the block the same path is an ordinary output
        tmp.write_text("y\n")
