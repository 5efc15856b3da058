"""Identifying header fields never reach an output: an EDF whose patient field holds a name with
HTML markup and a birth date, analysed with ``myoemg analyze --out``; every file written is
searched (CSV, JSON, TSV, Parquet, report.html: whatever exists)."""

import datetime as dt
import re

import edfio
import pytest

import myoemg
from cli.main import main
from myoemg.sim import simulate_session

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
    assert main(["analyze", str(identified_edf), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert not _leaks((printed.out + printed.err).encode())
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
