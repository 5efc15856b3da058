"""The command line: outputs, printed table, one-paragraph errors with exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def test_analyze_sample_writes_and_prints(tmp_path, capsys):
    code = main(["analyze", str(SAMPLES / "grip_warmup.edf"), "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "rt90_5_s" in out and "pattern: warm-up" in out
    trials = pd.read_csv(tmp_path / "trials.csv")
    truth = pd.read_csv(SAMPLES / "grip_warmup_truth_trials.csv")
    assert len(trials) == len(truth)
    assert (abs(trials.rt90_5_s - truth.rt90_5_s) < 0.025 + 0.03 * truth.rt90_5_s).all()
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["n_trials"] == len(truth)


def test_analyze_with_separate_force_file(tmp_path, capsys):
    code = main(["analyze", str(SAMPLES / "grip_paradoxical.edf"), "--force",
                 str(SAMPLES / "grip_paradoxical_force.csv"), "--out", str(tmp_path)])
    assert code == 0
    trials = pd.read_csv(tmp_path / "trials.csv")
    truth = pd.read_csv(SAMPLES / "grip_paradoxical_truth_trials.csv")
    assert (abs(trials.peak_force_n - truth.peak_force_n) < 0.01 * truth.peak_force_n).all()
    assert "pattern: paradoxical" in capsys.readouterr().out


def test_missing_file_is_one_paragraph_no_traceback(tmp_path):
    missing = tmp_path / "nope.edf"
    proc = subprocess.run([sys.executable, "-m", "cli.main", "analyze", str(missing), "--out",
                           str(tmp_path / "o")], capture_output=True, text=True,
                          cwd=SAMPLES.parents[1])
    assert proc.returncode == 2
    assert "nope.edf" in proc.stderr and "Traceback" not in proc.stderr


def test_wrong_channel_names_the_choices(tmp_path, capsys):
    code = main(["analyze", str(SAMPLES / "grip_warmup.edf"), "--force-channel", "Grp",
                 "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 4 and "Grip" in err and "grip_warmup.edf" in err


def test_simulate_then_analyze(tmp_path, capsys):
    out = tmp_path / "sim.edf"
    assert main(["simulate", "--fs-emg", "1234", "--fs-force", "123", "--trials", "3",
                 "--pattern", "healthy", "--out", str(out)]) == 0
    truth = pd.read_csv(tmp_path / "sim_truth_trials.csv")
    assert len(truth) == 3
    with pytest.raises(SystemExit):
        main(["simulate", "--out", str(out)])  # rates are required


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
