"""Messages in the user's words: CLI flags for API arguments, one capped paragraph, no noise."""

import warnings

import numpy as np
import pytest

from myoemg.io import write_edf
from myoemg.recording import Channel
from myoemg_cli._messages import MAX_CHARS, Wording, paragraph, summarise_lists
from myoemg_cli._parser import build_parser
from myoemg_cli.main import main
from tests.io._helpers import grip_emg, simple_recording

from ._run import SAMPLES, run


def _wording(command):
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    return Wording(sub.choices[command])


@pytest.mark.parametrize(("api", "cli"), [
    ("Pass force_calibration=<newtons per V> or force_unit='N'|'kgf'|'lbf'.",
     "Pass --force-calibration <newtons per V> or --force-unit N|kgf|lbf."),
    ("Pass emg=NAME or offset_s=.", "Pass --emg NAME or --offset-s SECONDS."),
    ("pick one with force='NAME'.", "pick one with --force-channel NAME."),
    ("Name them with emg= and force=.", "Name them with --emg NAME and --force-channel NAME."),
    ("select channels that match with Recording.select().",
     "select channels that match with --emg NAME (once per channel to keep)."),
    ("keep them with keep_identifiers=True", "keep them with --identify"),
    ("or align='xcorr'", "or --align xcorr"),
    ("no rate; pass fs=<Hz> (columns are ['a'])", "no rate; pass --fs <Hz> (columns are ['a'])"),
    # values that describe, not advise, stay as they are
    ("band 20-450 Hz is empty at fs=500 Hz.", "band 20-450 Hz is empty at fs=500 Hz."),
    ("aligned by explicit offset_s=-1.5 s", "aligned by explicit offset_s=-1.5 s"),
    ("rms(x=2)", "rms(x=2)"),
    ("Pass a negative force_calibration to flip it", "Pass a negative --force-calibration to "
     "flip it"),
    ("raw x 0.5 N/unit -> N (force_calibration)", "raw x 0.5 N/unit -> N (--force-calibration)"),
    ("column rt90_5_s of trials.csv", "column rt90_5_s of trials.csv"),
    ("/data/offset_s.csv and offset_s.txt", "/data/offset_s.csv and offset_s.txt"),
])
def test_api_advice_becomes_analyze_flags(api, cli):
    assert _wording("analyze")(api) == cli


def test_flags_are_named_only_where_the_command_has_them():
    advice = "pass overwrite=True, or detect=False and report=False, or max_lag_s=<s>"
    assert _wording("simulate")("pass overwrite=True") == "pass --overwrite"
    assert _wording("analyze")(advice) == ("pass overwrite=True, or --no-discharges and "
                                           "--no-report, or max_lag_s=<s>")
    # batch has --option KEY=VALUE for what has no flag of its own
    assert _wording("batch")("pass offset_s=<s> or overwrite=True") == (
        "pass --offset-s <s> or overwrite=True")
    assert _wording("info")("use mains_hz='auto'") == "use mains_hz='auto'"  # info: no flag
    assert _wording("analyze")("use mains_hz='auto'") == "use --mains-hz auto"


def test_long_lists_are_summarised():
    names = [f"ch{k}" for k in range(3000)]
    text = summarise_lists(f"channels are {names} with kinds {['emg'] * 2999 + ['force']}.")
    assert text == ("channels are ['ch0', 'ch1', 'ch2', 'ch3', 'ch4', …, 'ch2999'] (3000 in all) "
                    "with kinds ['emg' x2999, 'force' x1].")
    short = "channels are ['A', 'B'] (see (the manual))."
    assert summarise_lists(short) == short


def test_paragraph_is_capped_and_never_splits_a_file_name():
    name = "/data/sub-01_ses-02_task-grip-relaxation-after-a-long-rest_run-01_emg.edf"
    for filler in ("", "More words. " * 300):
        text = paragraph(f"the header of {name} says 9000 records but the file holds 12; "
                         f"re-export it from the recorder. {filler}")
        lines = text.split("\n")
        assert any(name in line for line in lines), text  # whole, on one line
        assert all(len(line) <= 100 for line in lines if " " in line.strip())
        assert not any(line.endswith("-") for line in lines)
    assert len(text) <= MAX_CHARS + 100
    assert text.endswith("(message shortened; --debug shows it all)")


def test_channel_error_with_3000_channels_is_one_short_paragraph(tmp_path, capsys):
    path = tmp_path / "wide.csv"
    rng = np.random.default_rng(0)
    header = ",".join(f"EMG{k}" for k in range(3000))
    rows = "\n".join(",".join(f"{v:.3f}" for v in row) for row in rng.normal(size=(5, 3000)))
    path.write_text(f"{header}\n{rows}\n")
    assert main(["info", str(path), "--fs", "1000", "--emg", "FDS", "-q"]) == 4
    err = capsys.readouterr().err
    assert err.startswith("myoemg: error: ") and "wide.csv" in err and "'FDS'" in err
    assert "(3000 in all)" in err and "EMG2999" in err and "EMG1500" not in err
    assert len(err) < 600 and "\n\n" not in err


def test_real_errors_name_the_cli_flags(tmp_path, capsys):
    rec = simple_recording()
    grip = rec["Grip"]
    two_forces = rec.copy()
    two_forces.channels = [*rec.channels, Channel("Grip2", "force", grip.data.copy(), grip.fs,
                                                  "N")]
    assert main(["analyze", str(write_edf(two_forces, tmp_path / "two.edf")), "--out",
                 str(tmp_path / "o1"), "-q"]) == 4
    err = " ".join(capsys.readouterr().err.split())
    assert "several force channels" in err and "pick one with --force-channel NAME." in err
    emg = rec["EMG FDS"]
    two_rates = rec.copy()
    two_rates.channels = [*rec.channels, Channel("EMG FDP", "emg",
                                                 grip_emg(emg.fs / 2, rec.duration_s),
                                                 emg.fs / 2, "V")]
    assert main(["analyze", str(write_edf(two_rates, tmp_path / "rates.edf")), "--out",
                 str(tmp_path / "o2"), "-q"]) == 4
    err = " ".join(capsys.readouterr().err.split())
    assert "--emg NAME (once per channel to keep)" in err and "Recording.select" not in err


def test_library_warnings_go_to_the_log_not_to_stderr(tmp_path, capsys, monkeypatch):
    import myoemg

    real = myoemg.analyze

    def analyze_with_a_library_warning(*args, **kwargs):
        np.nanmean(np.array([np.nan]))  # numpy: RuntimeWarning "Mean of empty slice"
        warnings.warn("a pandas-style notice", FutureWarning, stacklevel=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(myoemg, "analyze", analyze_with_a_library_warning)
    healthy = str(SAMPLES / "grip_healthy.edf")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert main(["analyze", healthy, "--out", str(tmp_path / "a"), "--no-report"]) == 0
        err = capsys.readouterr().err
        assert "Warning" not in err and "warnings.warn" not in err
        assert main(["analyze", healthy, "--out", str(tmp_path / "b"), "--no-report",
                     "-v"]) == 0
        err = capsys.readouterr().err
    # one line each, naming the category and where it came from, no source line
    assert "myoemg: Mean of empty slice (RuntimeWarning from tests.cli.test_messages)" in err
    assert "myoemg: a pandas-style notice (FutureWarning from tests.cli.test_messages)" in err
    assert "warnings.warn(" not in err
    assert warnings.showwarning.__module__ == "warnings"  # put back after the run


def test_quiet_prints_errors_only(tmp_path, capsys):
    counts = tmp_path / "counts.csv"
    counts.write_text("EMG,Force\n" + "".join(f"{k % 7},{k % 5}\n" for k in range(200)))
    assert main(["info", str(counts), "--fs", "100"]) == 0
    assert "myoemg: warning:" in capsys.readouterr().err  # uncalibrated channels
    assert main(["info", str(counts), "--fs", "100", "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_a_sample_run_prints_nothing_on_stderr(tmp_path):
    proc = run("analyze", SAMPLES / "grip_warmup.edf", "--out", tmp_path / "o", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stderr == ""
