"""Every reading and analysis flag, end to end, and the one place that maps them to the API."""

import html
import inspect
import json

import numpy as np
import pytest

import myoemg
from myoemg_cli._common import ALIGN_METHODS, DEVICE_TYPES, call_options
from myoemg_cli._parser import build_parser
from myoemg_cli.batch import _options as batch_options
from myoemg_cli.main import main

from ._run import SAMPLES, with_patient_name

HEALTHY = SAMPLES / "grip_healthy.edf"
PARADOXICAL, PARADOXICAL_FORCE = (SAMPLES / "grip_paradoxical.edf",
                                  SAMPLES / "grip_paradoxical_force.csv")


def _parse(*argv):
    return build_parser().parse_args([str(a) for a in argv])


def _summary(folder):
    return json.loads((folder / "summary.json").read_text())


@pytest.fixture
def counts_csv(tmp_path):
    """A text export in raw counts without a time column: EMG noise and one grip."""
    rng = np.random.default_rng(0)
    emg = rng.normal(0, 300, 3000).round()
    force = np.r_[np.zeros(500), np.full(1500, 800.0), np.zeros(1000)].round()
    path = tmp_path / "counts.csv"
    lines = "".join(f"{a:.0f},{b:.0f}\n" for a, b in zip(emg, force, strict=True))
    path.write_text("EMG,Force\n" + lines)
    return path


def test_call_options_maps_every_flag_to_an_api_argument(tmp_path):
    args = _parse("analyze", "rec.edf", "--out", tmp_path, "--force", "f.csv", "--emg", "A",
                  "--emg", "B", "--force-channel", "Grip", "--electrode", "needle",
                  "--force-unit", "kgf", "--force-calibration", "-9.8", "--emg-calibration",
                  "1e-6", "--fs", "1000", "--offset-s", "-1.5", "--align", "xcorr",
                  "--identify", "--mains-hz", "60", "--uln", "0.5", "--device-type", "qma",
                  "--no-discharges", "--no-report")
    options = call_options(args)
    assert options.read == {"force": "f.csv", "emg": ["A", "B"], "force_channel": "Grip",
                            "force_unit": "kgf", "force_calibration": -9.8,
                            "emg_calibration": 1e-6, "fs": 1000.0, "offset_s": -1.5,
                            "align": "xcorr", "keep_identifiers": True}
    assert options.analyze == {"electrode": "needle", "mains_hz": 60.0, "detect": False,
                               "grading": {"uln_rt90_5_s": 0.5, "device_type": "qma"}}
    assert options.save == {"identify": True, "report": False}
    # Each key is an argument of the API that receives it (or of a reader, for fs= and
    # emg_calibration=), so a rename in the library fails here, not at a user's prompt.
    from myoemg.io import read_text, read_wav

    readers = set(inspect.signature(read_text).parameters) | set(
        inspect.signature(read_wav).parameters)
    assert set(options.read) <= set(inspect.signature(myoemg.read).parameters) | readers
    assert set(options.analyze) <= set(inspect.signature(myoemg.analyze).parameters)
    assert set(options.save) <= set(inspect.signature(myoemg.Analysis.save).parameters)
    assert tuple(myoemg.io.ALIGN_METHODS) == ALIGN_METHODS
    from myoemg.grading import DEVICE_ULN

    assert set(DEVICE_ULN) == set(DEVICE_TYPES)


def test_defaults_leave_the_api_defaults_alone(tmp_path):
    options = call_options(_parse("analyze", "rec.edf", "--out", tmp_path))
    assert options.read == {} and options.analyze == {} and options.save == {}
    options = call_options(_parse("analyze", "rec.edf", "--out", tmp_path, "--mains-hz",
                                  "none"))
    assert options.analyze == {"mains_hz": None}


def test_reading_flags_calibrate_a_counts_export(counts_csv, capsys):
    assert main(["info", str(counts_csv), "--fs", "1000", "--force-calibration", "0.5",
                 "--emg-calibration", "1e-6", "-q"]) == 0
    out = capsys.readouterr().out
    assert "EMG: raw x 1e-06 V/unit -> V (--emg-calibration)" in out
    assert "Force: raw x 0.5 N/unit -> N (--force-calibration)" in out
    assert " 1000 " in out  # the rate given by --fs
    assert main(["info", str(counts_csv), "--fs", "500", "--force-unit", "kgf", "-q"]) == 0
    out = capsys.readouterr().out
    assert "Force: kgf -> N" in out and " 500 " in out


def test_without_the_flags_the_advice_names_them(counts_csv, capsys):
    assert main(["info", str(counts_csv)]) == 2  # no rate: exit 2, advice in CLI words
    err = capsys.readouterr().err
    assert "--fs" in err and "fs=" not in err
    assert main(["info", str(counts_csv), "--fs", "1000"]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "--force-calibration <newtons per unit>" in err and "--emg-calibration" in err
    assert "--force-unit N|kgf|lbf" in err and "_calibration=" not in err


def test_a_format_option_that_does_not_apply_is_a_usage_error(capsys):
    assert main(["info", str(HEALTHY), "--fs", "100"]) == 64
    err = capsys.readouterr().err
    assert err.startswith("myoemg: error: --fs does not apply to grip_healthy.edf")


def test_offset_and_align_place_the_force_file(capsys):
    def force_start(*flags):
        assert main(["info", str(PARADOXICAL), "--force", str(PARADOXICAL_FORCE), "-q",
                     *flags]) == 0
        out = capsys.readouterr().out
        row = next(line for line in out.splitlines() if line.split()[:2] == ["grip", "force"])
        return float(row.split()[6]), out

    assert force_start()[0] == 0
    start, out = force_start("--offset-s", "2.5")
    assert start == 2.5 and "offset_s=2.5" in out
    assert force_start("--align", "none")[1].count("--align none") == 1
    start, out = force_start("--align", "xcorr")
    assert "cross-correlation" in out and abs(start) < 0.1  # the sample is in step


def test_analysis_flags_reach_analyze(tmp_path, capsys):
    out1, out2 = tmp_path / "a", tmp_path / "b"
    assert main(["analyze", str(HEALTHY), "--out", str(out1), "--no-report", "--mains-hz",
                 "none", "--uln", "0.5", "-q"]) == 0
    s = _summary(out1)
    assert s["parameters"]["mains_hz"] is None
    assert s["grade"]["uln"]["uln_s"] == 0.5 and "given by the user" in s["grade"]["uln"]["source"]
    assert not (out1 / "report.html").exists()
    assert main(["analyze", str(HEALTHY), "--out", str(out2), "--no-report", "--mains-hz", "60",
                 "--device-type", "commercial", "--no-discharges", "--electrode", "needle",
                 "-q"]) == 0
    s = _summary(out2)
    assert s["parameters"]["mains_hz"] == 60.0 and s["parameters"]["electrode"] == "needle"
    assert s["grade"]["uln"]["device_type"] == "commercial"
    assert s["n_myotonic_discharges"] is None and s["parameters"]["detect"] is False
    assert capsys.readouterr().out == ""  # -q: nothing but errors


def test_analyze_report_grades_as_report_does(tmp_path, capsys):
    """--uln / --device-type reach the report analyze writes: its grade equals report's."""
    assert main(["analyze", str(HEALTHY), "--out", str(tmp_path / "a"), "--uln", "0.2",
                 "-q"]) == 0
    assert main(["report", str(HEALTHY), "--out", str(tmp_path / "r"), "--uln", "0.2"]) == 0
    printed = capsys.readouterr().out
    grade = _summary(tmp_path / "a")["grade"]
    assert grade["uln"]["uln_s"] == 0.2 and grade["text"] in printed
    html_a = (tmp_path / "a" / "report.html").read_text()
    html_r = (tmp_path / "r" / "report.html").read_text()
    for shown in (grade["label"], *grade["reasons"], "RT90-5 ULN 0.2 s, given"):
        assert html.escape(shown) in html_a and html.escape(shown) in html_r, shown


def test_identify_keeps_the_name_only_when_asked(tmp_path):
    from myoemg.io import write_edf
    from tests.io._helpers import simple_recording

    plain = write_edf(simple_recording(), tmp_path / "plain.edf")
    named = with_patient_name(plain, tmp_path / "S03.edf")
    assert main(["analyze", str(named), "--out", str(tmp_path / "d"), "-q"]) == 0
    assert main(["analyze", str(named), "--out", str(tmp_path / "i"), "--identify", "-q"]) == 0
    assert "Jane_Doe" not in (tmp_path / "d" / "report.html").read_text()
    assert "Jane_Doe" in (tmp_path / "i" / "report.html").read_text()


def test_batch_gets_the_same_flags_as_per_file_options(tmp_path):
    args = _parse("batch", "in", "--out", tmp_path, "--force-unit", "kgf", "--offset-s", "1",
                  "--align", "none", "--uln", "0.5", "--mains-hz", "50", "--identify",
                  "--no-report", "--option", "max_lag_s=30")
    assert batch_options(args) == {"force_unit": "kgf", "offset_s": 1.0, "align": "none",
                                   "keep_identifiers": True, "mains_hz": 50.0,
                                   "grading": {"uln_rt90_5_s": 0.5}, "identify": True,
                                   "report": False, "max_lag_s": 30}
    from myoemg_cli._exit import UsageError

    with pytest.raises(UsageError, match="disagrees"):
        batch_options(_parse("batch", "in", "--out", tmp_path, "--mains-hz", "60",
                             "--option", "mains_hz=50"))


def test_batch_applies_them_to_each_file(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "grip_healthy.edf").write_bytes(HEALTHY.read_bytes())
    assert main(["batch", str(folder), "--out", str(tmp_path / "out"), "--no-report", "--uln",
                 "0.5", "--mains-hz", "none", "-q"]) == 0
    s = _summary(tmp_path / "out" / "grip_healthy")
    assert s["parameters"]["mains_hz"] is None and s["grade"]["uln"]["uln_s"] == 0.5
    assert not (tmp_path / "out" / "grip_healthy" / "report.html").exists()
