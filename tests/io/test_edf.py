import datetime as dt

import edfio
import numpy as np
import pytest

import myoemg
from myoemg.io import read, read_edf, record_duration, write_edf
from myoemg.io.edf_write import _physical_range
from myoemg.recording import Channel, Recording
from myoemg.utils import OutputError, RecordingError
from tests.settings import FS_EMG, FS_FORCE

from ._helpers import simple_recording


def _step(x, bits=16):
    lo, hi = _physical_range(x)
    return (hi - lo) / (2**bits - 1)


@pytest.mark.parametrize("suffix,bits", [(".edf", 16), (".bdf", 24)])
def test_write_read_round_trip_keeps_rates_values_events(tmp_path, suffix, bits):
    rec = simple_recording()
    path = write_edf(rec, tmp_path / f"s{suffix}")
    back = myoemg.read(path)
    assert back.ch_names == ["EMG FDS", "Grip"]
    assert back.kinds == ["emg", "force"]
    assert [c.fs for c in back.channels] == [FS_EMG, FS_FORCE]
    assert [c.unit for c in back.channels] == ["V", "N"]
    assert back["EMG FDS"].source_unit == "uV"
    assert back["Grip"].source_unit == "N"
    for name in ("EMG FDS", "Grip"):
        orig = rec[name].data
        got = back[name].data[: orig.size]
        step = _step(orig * (1e6 if name == "EMG FDS" else 1), bits)
        scale = 1e-6 if name == "EMG FDS" else 1.0
        np.testing.assert_allclose(got, orig, atol=step * scale * 0.51 + 1e-15)
    # padded to whole 1 s records with the last value
    assert back["Grip"].n_times == 7 * FS_FORCE
    np.testing.assert_array_equal(back.events["description"], ["grip 1", "grip 2"])
    np.testing.assert_allclose(back.events["onset_s"], [1.0, 4.0])
    np.testing.assert_allclose(back.events["duration_s"], [1.7, 0.0])
    assert back.start_time == rec.start_time
    assert back.metadata == rec.metadata
    assert back.conversions == ["EMG FDS: uV -> V"]
    assert back.source == str(path)


def test_edf_and_bdf_agree_within_edf_quantisation(tmp_path):
    rec = simple_recording()
    a = read(write_edf(rec, tmp_path / "a.edf"))
    b = read(write_edf(rec, tmp_path / "a.bdf"))
    for ca, cb in zip(a.channels, b.channels, strict=True):
        np.testing.assert_allclose(ca.data, cb.data, atol=_step(ca.data) * 1.01)


def test_write_is_atomic_and_refuses_to_overwrite(tmp_path):
    rec = simple_recording()
    path = write_edf(rec, tmp_path / "s.edf")
    before = path.read_bytes()
    with pytest.raises(OutputError, match="exists"):
        write_edf(rec, path)
    assert path.read_bytes() == before
    write_edf(rec, path, overwrite=True)
    assert [p.name for p in tmp_path.iterdir()] == ["s.edf"]


def test_record_duration():
    assert record_duration([1999.0, 123.0]) == 1
    assert record_duration([2000.0, 3.90625]) == 32
    assert record_duration([2.5, 1000]) == 2
    with pytest.raises(RecordingError, match="ratio of small"):
        record_duration([np.pi * 1000])


def test_non_integer_rates_written_with_a_fitting_record(tmp_path):
    ch = Channel("EMG", "emg", np.sin(np.arange(2000) / 10) * 1e-4, 2500.0 / 3, "V")
    path = write_edf(Recording([ch]), tmp_path / "odd.edf")
    back = read(path)
    assert back["EMG"].fs == pytest.approx(2500 / 3, rel=1e-9)


def test_identifiers_dropped_unless_kept(tmp_path):
    sig = edfio.EdfSignal(np.zeros(1000), 1000, label="EMG FDS", physical_dimension="uV",
                          physical_range=(-100, 100))
    edf = edfio.Edf([sig], patient=edfio.Patient(code="P-17", sex="F",
                                                 birthdate=dt.date(1950, 1, 2),
                                                 name="Jane_Doe", additional=("note",)),
                    recording=edfio.Recording(startdate=dt.date(2020, 1, 1),
                                              investigator_technician_code="Dr_Who",
                                              equipment_code="Grip3000",
                                              additional=("free", "text", "muscle=FDS")))
    path = tmp_path / "id.edf"
    edf.write(path)
    rec = read(path)
    assert rec.identifiers == {}
    assert rec.metadata == {"subject": "P-17", "device": "Grip3000", "muscle": "FDS"}
    for word in ("Jane", "1950", "Dr_Who", "free"):
        assert word not in repr(rec)
        assert word not in str(rec.describe())
    kept = read(path, keep_identifiers=True)
    assert kept.identifiers["patient_name"] == "Jane_Doe"
    assert kept.identifiers["birthdate"] == "1950-01-02"
    assert kept.identifiers["investigator"] == "Dr_Who"
    assert "free text" in kept.identifiers["recording_additional"]
    assert "Jane" not in repr(kept)


def test_force_channel_by_name_and_roles_override(tmp_path):
    ch = [Channel("A", "other", np.zeros(200), 200.0, "V"),
          Channel("Right FDS", "other", np.ones(1000) * 1e-3, 1000.0, "V"),
          Channel("C", "other", np.ones(100), 100.0, "N")]
    path = write_edf(Recording(ch), tmp_path / "r.edf")
    rec = read(path)
    assert rec.kinds == ["emg", "emg", "force"]
    rec = read(path, force="A", emg="Right FDS", force_calibration=2.0)
    assert rec.kinds == ["force", "emg", "other"]
    assert rec["A"].unit == "N"
    with pytest.raises(myoemg.utils.ChannelError, match="Did you mean 'Right FDS'"):
        read(path, emg="Right FSD")


def test_slow_emg_label_is_not_raw_emg(tmp_path):
    ch = [Channel("EMG submental", "emg", np.ones(30), 1.0, "V")]
    rec = read(write_edf(Recording(ch), tmp_path / "env.edf"))
    assert rec.kinds == ["other"]
    rec = read(tmp_path / "env.edf", emg="EMG submental")
    assert rec.kinds == ["emg"]


def test_discontinuous_edf_refused(tmp_path):
    sig = edfio.EdfSignal(np.zeros(300), 100, label="EMG", physical_dimension="uV",
                          physical_range=(-1, 1))
    edf = edfio.Edf([sig], data_record_duration=1)
    path = tmp_path / "d.edf"
    edf.write(path)
    raw = bytearray(path.read_bytes())
    # make it EDF+D with an annotation signal whose record onsets leave a gap
    edf = edfio.Edf([sig], data_record_duration=1,
                    annotations=[edfio.EdfAnnotation(0.1, None, "x")])
    edf.write(path)
    raw = bytearray(path.read_bytes())
    raw[192:197] = b"EDF+D"
    text = bytes(raw)
    # the second record's timekeeping "+1" becomes "+5"
    i = text.find(b"+1\x14\x14", 256)
    assert i > 0
    raw[i:i + 2] = b"+5"
    path.write_bytes(bytes(raw))
    with pytest.raises(RecordingError, match="discontinuous.*d.edf|d.edf.*discontinuous"):
        read(path)


def test_read_edf_directly_and_truncation(tmp_path):
    path = write_edf(simple_recording(), tmp_path / "t.edf")
    assert read_edf(path).ch_names == ["EMG FDS", "Grip"]
    data = path.read_bytes()
    cut = tmp_path / "cut.edf"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(RecordingError, match="cut.edf"):
        read(cut)
    cut.write_bytes(data[:200])
    with pytest.raises(RecordingError, match="cut.edf"):
        read(cut)
