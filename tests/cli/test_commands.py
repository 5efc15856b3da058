"""The subcommands end to end: outputs, the printed table, exit codes, usage errors."""

import json

import pandas as pd
import pytest

from myoemg_cli.main import main

from ._run import SAMPLES, run


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
    assert (tmp_path / "report.html").is_file()


def test_analyze_with_separate_force_file(tmp_path, capsys):
    code = main(["analyze", str(SAMPLES / "grip_paradoxical.edf"), "--force",
                 str(SAMPLES / "grip_paradoxical_force.csv"), "--out", str(tmp_path),
                 "--no-report"])
    assert code == 0
    trials = pd.read_csv(tmp_path / "trials.csv")
    truth = pd.read_csv(SAMPLES / "grip_paradoxical_truth_trials.csv")
    assert (abs(trials.peak_force_n - truth.peak_force_n) < 0.01 * truth.peak_force_n).all()
    assert "pattern: paradoxical" in capsys.readouterr().out


def test_missing_file_is_one_paragraph_no_traceback(tmp_path):
    missing = tmp_path / "nope.edf"
    proc = run("analyze", missing, "--out", tmp_path / "o", cwd=tmp_path)
    assert proc.returncode == 2
    assert "nope.edf" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("myoemg: error: ")


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
    with pytest.raises(SystemExit) as exc:
        main(["simulate", "--out", str(out)])  # rates are required
    assert exc.value.code == 64
    capsys.readouterr()
    # The file exists: without --overwrite the message names the flag, not overwrite=True.
    assert main(["simulate", "--fs-emg", "1234", "--fs-force", "123", "--trials", "3",
                 "--out", str(out)]) == 8
    err = capsys.readouterr().err
    assert "--overwrite" in err and "overwrite=True" not in err


def test_simulate_pattern_is_checked_against_the_simulator(capsys):
    from myoemg.sim import PATTERN_NAMES

    with pytest.raises(SystemExit) as exc:
        main(["simulate", "--fs-emg", "1000", "--fs-force", "100", "--pattern", "warmup",
              "--out", "x.edf"])
    assert exc.value.code == 64
    err = capsys.readouterr().err
    assert "invalid choice: 'warmup'" in err and all(p in err for p in PATTERN_NAMES)


def test_version(capsys):
    from myoemg import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"myoemg {__version__}"


def test_no_command_prints_usage_and_exits_64(tmp_path):
    proc = run(cwd=tmp_path)
    assert proc.returncode == 64
    assert proc.stderr.startswith("usage: myoemg") and "analyze" in proc.stderr
    assert "no command given" in proc.stderr and proc.stdout == ""


def test_unknown_command_and_bad_option_exit_64(capsys):
    for argv in (["analyse", "x.edf"], ["analyze", "x.edf", "--out", "o", "--mains-hz", "55"],
                 ["analyze", "x.edf", "--out", "o", "--uln", "-1"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 64, argv
    err = capsys.readouterr().err
    assert "invalid choice: 'analyse'" in err and "invalid positive number value: '-1'" in err


def test_a_bug_is_exit_70_and_says_so(tmp_path, capsys, monkeypatch):
    import myoemg

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(myoemg, "analyze", broken)
    code = main(["analyze", str(SAMPLES / "grip_warmup.edf"), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 70
    assert "internal error (ZeroDivisionError: division by zero)" in err
    assert "bug in myoemg" in err and "Traceback" not in err
    with pytest.raises(ZeroDivisionError):
        main(["analyze", str(SAMPLES / "grip_warmup.edf"), "--out", str(tmp_path), "--debug"])


def test_emg_only_table_prints_unknowns_as_dashes(tmp_path, capsys):
    # grips found from the EMG: no relaxation, and 'relaxed' unknown (NA), printed as '-'
    from myoemg.io import write_edf
    from myoemg.sim import simulate_session

    rec, _ = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=3, seed=3)
    path = write_edf(rec.select([c.name for c in rec.emg]), tmp_path / "emg_only.edf")
    code = main(["analyze", str(path), "--out", str(tmp_path / "out"), "--no-report"])
    out = capsys.readouterr().out
    assert code == 0 and "relaxed" in out
    assert "<NA>" not in out and "nan" not in out
