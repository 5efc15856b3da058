"""Every readable real file in ../shared/data loads with the right rates, units and duration.

Facts are those of ../shared/data/README.md. Skipped cleanly when that folder is absent.
"""

import numpy as np
import pytest

from myoemg.io import read

from ._helpers import SHARED_DATA

pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir(),
                                reason=f"real recordings not found at {SHARED_DATA}")


def _p(rel):
    return SHARED_DATA / rel


@pytest.mark.parametrize("name,n,lo_mv,hi_mv", [
    ("emg_healthy", 50860, -0.515, 1.113),
    ("emg_myopathy", 110337, -0.670, 0.775),
    ("emg_neuropathy", 147858, -3.277, 3.275),
])
def test_physionet_emgdb(name, n, lo_mv, hi_mv):
    pytest.importorskip("wfdb")
    rec = read(_p(f"physionet_emgdb/{name}.hea"))
    ch = rec["EMG"]
    assert (ch.kind, ch.fs, ch.unit, ch.n_times) == ("emg", 4000.0, "V", n)
    assert rec.duration_s == pytest.approx(n / 4000)
    assert ch.data.min() == pytest.approx(lo_mv * 1e-3, abs=1e-6)
    assert ch.data.max() == pytest.approx(hi_mv * 1e-3, abs=1e-6)
    assert rec.identifiers == {}
    assert rec.metadata["electrode"] == "needle"
    assert rec.metadata["muscle"] == "tibialis anterior"
    kept = read(_p(f"physionet_emgdb/{name}.hea"), keep_identifiers=True)
    assert "<age>" in kept.identifiers["comments"]
    assert "<age>" not in repr(kept)


def test_spike2_motor_units():
    pytest.importorskip("neo")
    rec = read(_p("spike2py/motor_units.smr"))
    smu = rec["DIA SMU"]
    assert (smu.kind, smu.fs, smu.unit, smu.n_times) == ("emg", 25000.0, "V", 327858)
    assert smu.data.min() == pytest.approx(-679e-6, abs=2e-6)
    assert smu.data.max() == pytest.approx(1498e-6, abs=2e-6)
    for name in ("CO2", "volume", "flow"):
        assert (rec[name].kind, rec[name].fs, rec[name].n_times) == ("other", 1000.0, 13114)
    starts = {c.start_s for c in rec.channels}
    assert len(starts) > 1 and max(starts) < 0.001  # per-channel t_start kept
    ev = rec.events["description"].value_counts()
    assert ev["MU1"] == 62 and ev["MU2"] == 50
    assert rec.duration_s == pytest.approx(13.115, abs=1e-3)


def test_spike2_tremor_and_biomech():
    pytest.importorskip("neo")
    rec = read(_p("spike2py/tremor_mvc_flex.smr"))
    assert rec.kinds == ["emg", "emg"]
    assert {c.fs for c in rec.channels} == {5000.0}
    assert {c.n_times for c in rec.channels} == {234941}
    assert np.abs(rec["Flex"].data).max() == pytest.approx(1.1e-3, rel=0.3)
    assert np.abs(rec["Ext"].data).max() < 1e-6  # the disconnected channel
    rec = read(_p("spike2py/biomech0deg.smr"))
    assert rec["prox_EMG"].unit == "V" and rec["prox_EMG"].source_unit == "v"
    assert rec["prox_EMG"].n_times == 562321 and rec["prox_EMG"].fs == 5000.0
    torque = rec["k_torque"]
    assert (torque.kind, torque.fs, torque.unit, torque.n_times) == ("force", 200.0, "a.u.",
                                                                    22493)
    assert rec["k_angle"].kind == "other" and rec["k_angle"].unit == "deg"
    assert (rec.events["description"] == "Trig").sum() == 5
    cal = read(_p("spike2py/biomech0deg.smr"), force_calibration=-100.0)
    assert cal["k_torque"].unit == "N"
    np.testing.assert_allclose(cal["k_torque"].data, -100.0 * torque.data)


@pytest.mark.parametrize("name,n,lo,hi", [("emg.txt", 100000, 2037, 2071),
                                          ("emg_1.txt", 63880, 1412, 2443)])
def test_biosppy_text(name, n, lo, hi):
    rec = read(_p(f"biosppy/{name}"))
    ch = rec["EMG"]
    assert (ch.kind, ch.fs, ch.unit, ch.n_times) == ("emg", 1000.0, "a.u.", n)
    assert (ch.data.min(), ch.data.max()) == (lo, hi)


def test_biopac_r42():
    pytest.importorskip("bioread")
    rec = read(_p("bioread/r42_test.acq"))
    assert [c.fs for c in rec.channels] == [1000.0] * 4
    assert {c.n_times for c in rec.channels} == {7901}
    emg = rec["EMG (30 - 500 Hz)"]
    assert emg.kind == "emg" and emg.unit == "V" and emg.source_unit == "mV"
    assert emg.data.min() == pytest.approx(-0.053e-3, abs=1e-6)
    assert emg.data.max() == pytest.approx(0.042e-3, abs=1e-6)
    assert rec["ECG (.05 - 150 Hz)"].kind == "other"
    assert list(rec.events["description"]) == ["Segment 1", "Segment 2"]
    assert rec.events["onset_s"].tolist() == pytest.approx([0.0, 3.881])


def test_biopac_unicode_mixed_rates():
    pytest.importorskip("bioread")
    rec = read(_p("bioread/small-unicode-4.4.0.acq"))
    rates = {c.name: (c.fs, c.n_times) for c in rec.channels}
    assert rates["EDA \u2014 filtered, differentiated"] == (2000.0, 8380)
    assert rates["EKG - ERS100C"] == (1000.0, 4190)
    assert rates["RESP - RSP100C"] == (3.90625, 16)
    assert rec["EDA \u2014 filtered, differentiated"].unit == "\u03bcsiemens"
    assert rec.duration_s == pytest.approx(4.19)
    assert len(rec.events) == 2 and "utf-8" in rec.events["description"][1]
    assert rec.pick("emg") == []


def test_brainvision_units_and_markers():
    pytest.importorskip("mne")
    rec = read(_p("mne_testing_data/test.vhdr"))
    assert len(rec.channels) == 32 and {c.fs for c in rec.channels} == {1000.0}
    assert {c.n_times for c in rec.channels} == {7900}
    assert rec["FP1"].unit == "V" and rec["FP1"].source_unit == "\u00b5V"
    assert rec["FP2"].unit == "V" and rec["F3"].unit == "V"  # empty/missing unit: default µV
    for name, unit in [("CP5", "BS"), ("CP6", "\u00b5S"), ("HL", "ARU"), ("ReRef", "C")]:
        assert rec[name].unit == unit and rec[name].kind == "other"
    assert len(rec.events) == 13
    assert rec.start_time.year == 2013
    assert rec.pick("emg") == []  # EEG electrode names are not EMG


def test_edf_duplicate_labels_kept_apart():
    rec = read(_p("mne_testing_data/duplicate_channel_labels.edf"))
    assert rec.ch_names == ["EEG F1-Ref-0", "EEG F2-Ref", "EEG F1-Ref-1"]
    assert {c.fs for c in rec.channels} == {250.0}
    assert rec.duration_s == 10.0
    assert any("share the label" in c for c in rec.conversions)


def test_edf_and_bdf_identical_and_slow_emg_flagged():
    edf = read(_p("edfio/short_psg.edf"))
    bdf = read(_p("edfio/short_psg.bdf"))
    assert edf.ch_names == bdf.ch_names
    for a, b in zip(edf.channels, bdf.channels, strict=True):
        assert (a.fs, a.unit, a.n_times) == (b.fs, b.unit, b.n_times)
        np.testing.assert_array_equal(a.data, b.data)
    rates = {c.name: c.fs for c in edf.channels}
    assert rates["EEG Fpz-Cz"] == 100.0 and rates["EMG submental"] == 1.0
    assert edf.duration_s == 300.0
    assert edf["EMG submental"].kind == "other"  # a 1 Hz rectified envelope, not raw EMG
    assert edf.pick("emg") == []
    assert edf.identifiers == {}
    kept = read(_p("edfio/short_psg.edf"), keep_identifiers=True)
    assert "Female_33yr" in " ".join(kept.identifiers.values())
    assert "Female" not in repr(kept)


def test_fda_pinch_force():
    raw = read(_p("fda_pinch/pinchraw.csv"), force_channel="pulse_1", force_unit="N")
    assert len(raw.channels) == 20
    f = raw["pulse_1"]
    assert (f.kind, f.fs, f.unit, f.n_times) == ("force", 500.0, "N", 151)
    base = {c.name: np.median(c.data[:10]) for c in raw.channels}
    assert np.median(list(base.values())) == pytest.approx(1.94, abs=0.05)
    peaks = [c.data.max() for c in raw.channels]
    assert min(peaks) == pytest.approx(9.05, abs=0.01)
    assert max(peaks) == pytest.approx(12.28, abs=0.01)
    pinch = read(_p("fda_pinch/pinch.csv"))
    assert max(c.data.max() for c in pinch.channels) == pytest.approx(10.28, abs=0.01)


@pytest.mark.parametrize("name,frames", [("amp_on_baseline", 60928), ("pulse_1", 94208),
                                         ("pulse_max", 70144)])
def test_backyardbrains_wav(name, frames, caplog):
    with caplog.at_level("WARNING", logger="myoemg"):
        rec = read(_p(f"backyardbrains_emg/{name}.wav"))
    ch = rec["EMG"]
    assert (ch.kind, ch.fs, ch.unit, ch.n_times) == ("emg", 44100.0, "a.u.", frames)
    assert "Reached EOF" in caplog.text or "tolerated" in caplog.text
    if name == "pulse_max":
        assert "318 samples at the 16-bit full scale" in caplog.text
