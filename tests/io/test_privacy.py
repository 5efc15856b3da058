"""Identifying header fields never reach an output: an EDF whose patient field holds a name with
HTML markup and a birth date, a plain EDF whose free-text patient field holds a name, and a CSV
export with a ``# Subject: <name>`` line, analysed through the API (``analyze(...).save``) and
``myoemg analyze --out``; every file written is searched (CSV, JSON, TSV, Parquet, report.html:
whatever exists), and so are the file names and what is printed."""

import datetime as dt
import json
import re

import edfio
import numpy as np
import pytest

import myoemg
from myoemg.sim import simulate_session

from ._bad_files import run_cli

NAME = "<b>Zebulon_Quackenbush</b><script>alert(1)</script>"
BIRTH = dt.date(1961, 3, 14)
FORBIDDEN_TEXT = ["zebulon", "quackenbush", "14-mar-1961", "1961-03-14", "14.03.1961",
                  "14/03/1961", "03/14/1961", "<script>alert", "<b>zebulon"]


@pytest.fixture(scope="module")
def identified_edf(tmp_path_factory):
    rec, _ = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=3, rest_s=4.0, seed=8)
    n_s = int(rec.duration_s) - 1
    emg, force = rec["EMG FDS"], rec["Grip"]
    signals = [
        edfio.EdfSignal(emg.data[: n_s * 1000] * 1e6, sampling_frequency=1000,
                        label="EMG FDS", physical_dimension="uV"),
        edfio.EdfSignal(force.data[: n_s * 100], sampling_frequency=100, label="Grip",
                        physical_dimension="N"),
    ]
    edf = edfio.Edf(signals, patient=edfio.Patient(code="S07", sex="F", birthdate=BIRTH,
                                                   name=NAME),
                    starttime=dt.time(9, 30))
    path = tmp_path_factory.mktemp("privacy") / "S07_grip.edf"
    edf.write(path)
    assert NAME.encode() in path.read_bytes() and b"14-MAR-1961" in path.read_bytes()
    return path


def _leaks(data: bytes):
    text = data.decode("latin-1").lower()
    return [w for w in FORBIDDEN_TEXT if w in text]


def test_reader_drops_identifiers_by_default(identified_edf):
    rec = myoemg.read(identified_edf)
    assert rec.identifiers == {}
    assert rec.metadata.get("subject") == "S07"
    assert not _leaks(repr(rec).encode() + repr(rec.metadata).encode())
    kept = myoemg.read(identified_edf, keep_identifiers=True)
    assert any("Zebulon" in str(v) for v in kept.identifiers.values())  # only when asked


def test_no_output_file_holds_the_name_the_date_or_live_markup(identified_edf, tmp_path,
                                                               capsys):
    out = tmp_path / "out"
    code, printed, err = run_cli(capsys, "analyze", identified_edf, "--out", out)
    assert code == 0, err
    assert not _leaks((printed + err).encode())
    files = [p for p in out.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"trials.csv", "discharges.csv", "summary.json"} <= names
    for p in files:
        data = p.read_bytes()
        assert not _leaks(data), (p.name, _leaks(data))
        if p.suffix in (".html", ".htm"):
            html = data.decode("utf-8")
            assert "<script>alert" not in html and "<b>Zebulon" not in html
            assert not re.search(r"zebulon", html, re.I)


def test_summary_keeps_only_the_subject_code(identified_edf):
    res = myoemg.analyze(myoemg.read(identified_edf))
    assert res.summary.metadata.get("subject") == "S07"
    assert not _leaks(repr(res.summary).encode())


# -- free text is never a subject code ---------------------------------------------------------
FREE_NAME = "Firstname Lastname"
FREE_FORBIDDEN = ["firstname", "lastname", "14.03.1961", "female"]


def _free_leaks(data: bytes):
    text = data.decode("latin-1").lower()
    return [w for w in FREE_FORBIDDEN if w in text]


@pytest.fixture(scope="module")
def plain_edf(tmp_path_factory):
    """A plain EDF (not EDF+) whose free-text patient field holds a name and a birth date."""
    from myoemg.io import write_edf

    rec, _ = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=3, rest_s=4.0, seed=8)
    path = write_edf(rec, tmp_path_factory.mktemp("plain") / "grip.edf")
    raw = bytearray(path.read_bytes())
    raw[8:88] = f"{FREE_NAME} 14.03.1961 female".encode().ljust(80)
    raw[192:236] = b" " * 44  # reserved field blank: plain EDF, no EDF+ subfields
    path.write_bytes(bytes(raw))
    return path


@pytest.fixture(scope="module")
def csv_with_subject_line(tmp_path_factory):
    rec, _ = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=3, rest_s=4.0, seed=8)
    emg, force = rec["EMG FDS"], rec["Grip"]
    f = np.interp(emg.times, force.times, force.data)
    path = tmp_path_factory.mktemp("csv") / "export.csv"
    rows = "".join(f"{t:.4f},{e * 1e6:.3f},{v:.4f}\n" for t, e, v in zip(
        emg.times, emg.data, f, strict=True))
    path.write_text(f"# Subject: {FREE_NAME}\n# Sampling Rate (Hz):= 1000\n"
                    f"time_s,EMG FDS (uV),Grip (N)\n{rows}")
    return path


@pytest.mark.parametrize("which", ["plain_edf", "csv_with_subject_line"])
def test_free_text_names_stay_out_of_metadata_and_every_output(which, request, tmp_path,
                                                               capsys):
    path = request.getfixturevalue(which)
    rec = myoemg.read(path)
    assert "subject" not in rec.metadata and rec.identifiers == {}
    assert not _free_leaks(repr(rec.metadata).encode() + repr(rec).encode())
    kept = myoemg.read(path, keep_identifiers=True)
    assert "subject" not in kept.metadata
    assert any(FREE_NAME in str(v) for v in kept.identifiers.values())  # only when asked
    out = tmp_path / "api"
    res = myoemg.analyze(rec)
    assert not _free_leaks(json.dumps(res.summary, default=str).encode())
    res.save(out)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {"trials.csv", "summary.json"} <= {p.name for p in files}
    assert any(p.name.endswith("_events.tsv") for p in files)
    for p in files:
        assert not _free_leaks(p.name.encode()), p.name
        assert not _free_leaks(p.read_bytes()), (p.name, _free_leaks(p.read_bytes()))
    for command in (["info", path], ["analyze", path, "--out", tmp_path / "cli"]):
        code, printed, err = run_cli(capsys, *command)
        assert code == 0, err
        assert not _free_leaks((printed + err).encode())
    for p in (tmp_path / "cli").rglob("*"):
        assert not _free_leaks(p.name.encode())
        if p.is_file():
            assert not _free_leaks(p.read_bytes()), p.name


def test_a_subject_code_comes_from_the_user(plain_edf, tmp_path):
    rec = myoemg.read(plain_edf, subject="S07")
    assert rec.metadata["subject"] == "S07"
    paths = myoemg.analyze(rec).save(tmp_path)
    assert any(p.name.startswith("sub-S07_") for p in paths.values())
    with pytest.raises(ValueError, match="not a code"):
        myoemg.read(plain_edf, subject=FREE_NAME)


def test_edf_plus_layout_in_a_plain_edf_still_gives_the_code(tmp_path):
    """A plain EDF whose patient field follows the EDF+ subfields exactly keeps its code."""
    from myoemg.io import write_edf

    rec, _ = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=2, rest_s=3.0, seed=2)
    path = write_edf(rec, tmp_path / "coded.edf")
    raw = bytearray(path.read_bytes())
    raw[8:88] = b"S12 F 14-MAR-1961 X".ljust(80)
    raw[192:236] = b" " * 44
    path.write_bytes(bytes(raw))
    got = myoemg.read(path)
    assert got.metadata["subject"] == "S12" and got.identifiers == {}
