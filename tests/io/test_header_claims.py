"""What a header claims is checked before anything is allocated or computed from it: huge
counts, impossible or absurd rates, unknown electrode tokens give a RecordingError naming the
file and the field (exit 2 at the CLI, never 70, never a MemoryError); uncalibrated signals
stay in arbitrary units with a note, never volts or newtons."""

import re
import struct

import numpy as np
import pytest

import myoemg
from myoemg.io import write_edf
from myoemg.recording import Channel, Recording
from myoemg.utils import RecordingError

from ._bad_files import (
    fif_tag_positions,
    run_cli,
    session,
    write_brainvision,
    write_edf_with,
    write_fif,
    write_wav,
    write_wfdb,
)


def _refused(capsys, tmp_path, path, *words):
    """RecordingError through the API and exit 2 through the CLI, naming the file and words."""
    with pytest.raises(RecordingError) as err:
        myoemg.read(path)
    msg = str(err.value)
    assert path.name in msg, msg
    for w in words:
        assert w in msg, (w, msg)
    code, out, errtext = run_cli(capsys, "analyze", path, "--out", tmp_path / "out")
    assert code == 2, errtext
    assert path.name in errtext and "Traceback" not in errtext + out
    return msg


# -- sizes claimed by headers -----------------------------------------------------------------
def test_wfdb_header_claiming_99999999_signals(tmp_path, capsys):
    hea = write_wfdb(tmp_path)
    text = hea.read_text()
    hea.write_text(re.sub(r"^rec 2 ", "rec 99999999 ", text))
    _refused(capsys, tmp_path, hea, "number of signals", "99999999")


def test_wfdb_header_claiming_more_samples_than_the_dat_holds(tmp_path, capsys):
    hea = write_wfdb(tmp_path)
    first, *rest = hea.read_text().split("\n")
    fields = first.split()
    fields[3] = "2000000000"
    hea.write_text("\n".join([" ".join(fields), *rest]))
    _refused(capsys, tmp_path, hea, "rec.dat", "2000000000 samples")


def test_fif_tag_of_2_31_minus_1_bytes(tmp_path, capsys):
    path = write_fif(tmp_path / "rec_raw.fif")
    raw = bytearray(path.read_bytes())
    pos = fif_tag_positions(raw)[3]
    raw[pos + 8: pos + 12] = struct.pack(">i", 2**31 - 1)
    path.write_bytes(bytes(raw))
    _refused(capsys, tmp_path, path, "FIF tag", str(2**31 - 1))


@pytest.mark.parametrize("field, value, words", [
    ("n_signals", "9999", ["number of signals", "9999"]),
    ("header_bytes", "99999999", ["number of bytes in header"]),
    ("n_records", "99999999", ["99999999 data records"]),
    ("samples", "999999", ["data records"]),
])
def test_edf_counts_larger_than_the_file(tmp_path, capsys, field, value, words):
    path = write_edf_with(tmp_path / "rec.edf", field, value)
    _refused(capsys, tmp_path, path, *words)


def test_brainvision_huge_channel_count(tmp_path, capsys):
    vhdr = write_brainvision(tmp_path, n_channels="99999999")
    _refused(capsys, tmp_path, vhdr, "NumberOfChannels")


# -- impossible and absurd rates --------------------------------------------------------------
@pytest.mark.parametrize("duration, word", [("-1", "impossible"), ("nan", "impossible"),
                                            ("0", "impossible"), ("1e30", "outside"),
                                            ("1e-300", "outside")])
def test_edf_record_duration(tmp_path, capsys, duration, word):
    path = write_edf_with(tmp_path / "rec.edf", "duration", duration)
    _refused(capsys, tmp_path, path, "duration of a data record", word)


@pytest.mark.parametrize("interval", ["-1000", "0", "1e-300", "1e300"])
def test_brainvision_sampling_interval(tmp_path, capsys, interval):
    vhdr = write_brainvision(tmp_path, interval=interval)
    _refused(capsys, tmp_path, vhdr, "SamplingInterval")


@pytest.mark.parametrize("rate", [0, 2**32 - 1])
def test_wav_sample_rate(tmp_path, capsys, rate):
    _refused(capsys, tmp_path, write_wav(tmp_path / "rec.wav", rate), "sample rate")


def test_wav_with_zero_channels(tmp_path, capsys):
    _refused(capsys, tmp_path, write_wav(tmp_path / "rec.wav", 4000, channels=0),
             "number of channels")


@pytest.mark.parametrize("fs", ["0", "-1000", "1e-300", "1e300", "nan"])
def test_wfdb_sampling_frequency(tmp_path, capsys, fs):
    hea = write_wfdb(tmp_path)
    first, *rest = hea.read_text().split("\n")
    fields = first.split()
    fields[2] = fs
    hea.write_text("\n".join([" ".join(fields), *rest]))
    _refused(capsys, tmp_path, hea, "sampling frequency")


def test_text_time_column_with_absurd_steps(tmp_path, capsys):
    t = np.arange(200) * 1e30
    path = tmp_path / "dyn.csv"
    path.write_text("time_s,force_N\n" + "".join(f"{a:g},{b}\n" for a, b in zip(
        t, np.linspace(1, 2, 200), strict=True)))
    _refused(capsys, tmp_path, path, "time column", "outside")


def test_text_header_rate_of_zero(tmp_path, capsys):
    path = tmp_path / "emg.txt"
    path.write_text("# Sampling Rate (Hz):= 0\n" + "\n".join(str(v) for v in range(100)) + "\n")
    _refused(capsys, tmp_path, path, "sampling rate (hz)", "impossible")


# -- electrode tokens -------------------------------------------------------------------------
def test_electrode_token_other_than_surface_or_needle(tmp_path, capsys):
    rec = session()
    rec.metadata["electrode"] = "bipolarwire"  # write_edf puts it into the header as is
    path = write_edf(rec, tmp_path / "rec.edf")
    assert b"electrode=bipolarwire" in path.read_bytes()
    _refused(capsys, tmp_path, path, "'electrode'", "bipolarwire", "surface", "needle")
    csv = tmp_path / "dyn.csv"
    csv.write_text("# electrode: laser\ntime_s,force_N\n" + "".join(
        f"{i / 100},{i % 7}\n" for i in range(300)))
    _refused(capsys, tmp_path, csv, "'electrode'", "laser")


def test_electrode_synonyms_are_understood(tmp_path):
    csv = tmp_path / "dyn.csv"
    csv.write_text("# electrode: concentric needle\ntime_s,force_N\n" + "".join(
        f"{i / 100},{i % 7}\n" for i in range(300)))
    assert myoemg.read(csv).metadata["electrode"] == "needle"


# -- uncalibrated signals ---------------------------------------------------------------------
UNCALIBRATED = [
    ("physical_min", "FIELD_MAX", "physical minimum equals physical maximum"),
    ("physical_max", "inf", "not finite"),
    ("digital_min", "DIGITAL_MAX", "digital minimum"),
]


@pytest.mark.parametrize("field, value, note", UNCALIBRATED, ids=[c[0] for c in UNCALIBRATED])
@pytest.mark.parametrize("signal", [0, 1], ids=["emg", "force"])
def test_uncalibrated_edf_signals_stay_arbitrary_units(tmp_path, capsys, field, value, note,
                                                       signal):
    path = tmp_path / "rec.edf"
    write_edf(session(), path)
    raw = path.read_bytes()
    ns = int(raw[252:256])
    pmax = raw[256 + (16 + 80 + 8 + 8) * ns + 8 * signal: 256 + (16 + 80 + 8 + 8) * ns
               + 8 * signal + 8].decode().strip()
    dmax = raw[256 + (16 + 80 + 8 + 8 + 8 + 8) * ns + 8 * signal:
               256 + (16 + 80 + 8 + 8 + 8 + 8) * ns + 8 * signal + 8].decode().strip()
    value = {"FIELD_MAX": pmax, "DIGITAL_MAX": dmax}.get(value, value)
    write_edf_with(path, field, value, signal=signal)
    rec = myoemg.read(path)
    ch = rec.channels[signal]
    assert ch.unit == "a.u." and ch.kind == ("emg", "force")[signal]
    assert any(note in c and ch.name in c for c in rec.conversions), rec.conversions
    assert np.all(np.abs(ch.data) <= 32768) and np.all(ch.data == np.round(ch.data))  # counts
    res = myoemg.analyze(rec)
    if signal == 1:
        assert "force_uncalibrated" in res.summary.quality.channels["Grip"][0]["code"]
    code, out, err = run_cli(capsys, "analyze", path, "--out", tmp_path / "out")
    assert code == 0, err


def test_uncalibrated_force_refuses_force_unit_but_takes_a_calibration(tmp_path):
    path = write_edf_with(tmp_path / "rec.edf", "physical_max", "inf", signal=1)
    with pytest.raises(myoemg.utils.UnitError, match="Grip.*force_calibration"):
        myoemg.read(path, force_unit="N")
    rec = myoemg.read(path, force_calibration=0.1)
    assert rec["Grip"].unit == "N"


def test_wfdb_gain_zero_stays_arbitrary_units(tmp_path, capsys):
    hea = write_wfdb(tmp_path)
    hea.write_text(hea.read_text().replace("20000.0(0)/mV", "0(0)/mV"))
    rec = myoemg.read(hea)
    emg = rec["EMG FDS"]
    assert emg.unit == "a.u." and rec["Grip"].unit == "N"
    assert any("ADC gain 0" in c for c in rec.conversions)
    assert np.all(emg.data == np.round(emg.data))  # the digital values, not /200 "mV"
    code, out, err = run_cli(capsys, "analyze", hea, "--out", tmp_path / "out")
    assert code == 0, err


def test_channel_rate_outside_the_plausible_range_in_a_recording():
    with pytest.raises(ValueError, match="fs of channel 'x'.*outside the plausible"):
        Recording([Channel("x", "emg", np.zeros(10), 1e300, "V")])
