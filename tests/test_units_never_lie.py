"""Units never lie (issue 12): an uncalibrated force is never labelled N in any output.

A squeeze ball in ADC counts gave ``peak_force_n``, "peak force up to 434 N" and a grade
against the QMA ULN for an unknown device. Every output of an uncalibrated session is scanned:
trials.csv, trials.parquet, summary.json, the events TSV and its sidecar, the stdout of
``myoemg analyze`` and report.html.
"""

import json
import re

import numpy as np
import pandas as pd
import pytest

import myoemg
from myoemg.io import write_edf
from myoemg.recording import Channel, Recording
from myoemg.sim import simulate_session
from myoemg_cli.main import main

#: A number followed by the unit N ("434 N", "3.2N"), or a header "(N)".
_NEWTONS = re.compile(r"\d\s*N\b|\(N\)")


def _uncalibrated(rec, *, counts_per_n=13.7, sign=1.0):
    """The session with its force in ADC counts (unit 'a.u.'), as a squeeze ball gives it."""
    chans = [c if c.kind != "force" else
             Channel(c.name, "force", sign * (c.data * counts_per_n + 2048.0), c.fs, "a.u.",
                     source_unit="counts") for c in rec.channels]
    return Recording(chans, metadata={**rec.metadata, "device": "squeeze ball"},
                     source="squeeze.edf")


@pytest.fixture(scope="module")
def session():
    rec, truth = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=3, rest_s=4.0,
                                  pattern="healthy", seed=21)
    return rec, truth


def _keys_ending_n(obj, path=""):
    """Keys ending in '_n' that hold a number, anywhere in a JSON document."""
    found = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.endswith("_n") and isinstance(v, (int, float, list)) and v is not None:
                found.append(f"{path}.{k}")
            found += _keys_ending_n(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for v in obj:
            found += _keys_ending_n(v, path)
    return found


def _texts(obj):
    if isinstance(obj, dict):
        return [t for v in obj.values() for t in _texts(v)]
    if isinstance(obj, list):
        return [t for v in obj for t in _texts(v)]
    return [obj] if isinstance(obj, str) else []


def test_no_output_labels_an_uncalibrated_force_n(session, tmp_path):
    res = myoemg.analyze(_uncalibrated(session[0]))
    assert res.summary.force_unit == "a.u."
    paths = res.save(tmp_path, report=False)
    for name in ("trials", "trials_parquet"):
        table = (pd.read_parquet(paths[name]) if name.endswith("parquet")
                 else pd.read_csv(paths[name]))
        assert "peak_force_au" in table and "baseline_au" in table and "ref_force_au" in table
        assert not [c for c in table.columns if c.endswith("_n")], name
    summary = json.loads(paths["summary"].read_text())
    assert summary["force_unit"] == "a.u." and summary["peak_force_max_au"] > 1000
    assert not _keys_ending_n(summary)
    assert summary["warmup"]["peak_force"]["force_unit"] == "a.u."
    assert "peak_force_max_au" in summary["grade"]["numbers"]
    for text in _texts(summary):
        assert not _NEWTONS.search(text), text
    events = pd.read_csv(paths["events"], sep="\t")
    assert "peak_force_au" in events and "peak_force_n" not in events
    sidecar = json.loads(paths["events_sidecar"].read_text())
    assert sidecar["peak_force_au"]["Units"] == "a.u." and "peak_force_n" not in sidecar
    # reasons speak the unit; the weak-grip caveat (in newtons) does not fire on counts
    grade = res.summary.grade
    assert any(re.search(r"peak force up to [\d.]+ a\.u\.", r) for r in grade.reasons)
    assert not any("weak" in c for c in grade.caveats)


def test_calibrated_session_keeps_newtons(session, tmp_path):
    res = myoemg.analyze(session[0])
    assert res.summary.force_unit == "N" and "peak_force_n" in res.trials
    summary = json.loads(res.save(tmp_path, report=False)["summary"].read_text())
    assert summary["peak_force_max_n"] == pytest.approx(res.trials.peak_force_n.max())
    assert not any(k.endswith("_au") for k in summary)


def test_cli_stdout_and_report_of_an_uncalibrated_session(session, tmp_path, capsys):
    path = write_edf(_uncalibrated(session[0]), tmp_path / "squeeze.edf")
    assert myoemg.read(path).force.unit == "a.u."
    assert main(["analyze", str(path), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "peak_force_au" in out and not _NEWTONS.search(out), out
    report = tmp_path / "out" / "report.html"
    if report.exists():  # the HTML is the report's; scanned here so a lie cannot hide
        text = re.sub(r"data:[^\"']+", "", report.read_text(encoding="utf-8"))
        assert not _NEWTONS.search(text), _NEWTONS.search(text)


def test_grade_of_an_unknown_device_is_provisional(session):
    res = myoemg.analyze(_uncalibrated(session[0]))
    grade = res.summary.grade
    assert grade.provisional and "provisional" in grade.text
    assert any("uln_rt90_5_s=" in c and "device_type=" in c for c in grade.caveats)
    known = myoemg.analyze(_uncalibrated(session[0]), grading={"device_type": "simulated"})
    assert not known.summary.grade.provisional


def test_inverted_force_is_flipped_with_a_note(session):
    rec, truth = session
    flipped = myoemg.analyze(_uncalibrated(rec, sign=-1.0))
    upright = myoemg.analyze(_uncalibrated(rec))
    s = flipped.summary
    assert s.force_flipped and not upright.summary.force_flipped
    assert any("negative-going" in n and "flipped" in n for n in s.notes)
    assert any("flipped" in c for c in s.conversions)
    assert len(flipped.trials) == len(truth.trials) and flipped.trials.relaxed.all()
    np.testing.assert_allclose(flipped.trials.rt90_5_s, upright.trials.rt90_5_s, atol=1e-6)
    np.testing.assert_allclose(flipped.trials.peak_force_au, upright.trials.peak_force_au,
                               rtol=1e-6)
    assert not flipped.trials.rt_flagged.any()  # the flip is exact: no RT is in doubt
