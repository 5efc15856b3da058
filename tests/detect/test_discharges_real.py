"""Real recordings without myotonia (../shared/data): the detector must call no myotonic discharge.

Files are read directly with wfdb / neo / numpy / scipy; tests skip when the folder or the
reader package is absent. See ../shared/data/README.md.
"""

import warnings
from pathlib import Path

import numpy as np
import pytest

from myoemg.detect import detect_discharges

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"real recordings not found at {DATA}")


def _check(x, fs, electrode):
    d = detect_discharges(x, fs=fs, electrode=electrode)
    myo = d[d["kind"] == "myotonic"]
    assert len(myo) == 0, myo.to_string()
    return d


@pytest.mark.parametrize("record", ["emg_healthy", "emg_myopathy", "emg_neuropathy"])
def test_physionet_needle_emg(record):
    wfdb = pytest.importorskip("wfdb")
    rec = wfdb.rdrecord(str(DATA / "physionet_emgdb" / record))
    x = rec.p_signal[:, 0] * 1e-3  # mV -> V
    _check(x, float(rec.fs), "needle")


def _spike2(name, channels):
    neo = pytest.importorskip("neo")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        block = neo.io.Spike2IO(str(DATA / "spike2py" / name)).read_block()
    out = []
    for sig in block.segments[0].analogsignals:
        names = sig.array_annotations.get("channel_names", [sig.name])
        for i, ch in enumerate(names):
            if ch in channels:
                scale = 1e-6 if "uV" in str(sig.units.dimensionality) else 1.0
                out.append((np.asarray(sig.magnitude[:, i], float) * scale,
                            round(float(sig.sampling_rate.rescale("Hz").magnitude), 6)))
    assert out, f"channels {channels} not found in {name}"
    return out


def test_spike2_single_motor_unit_needle():
    for x, fs in _spike2("motor_units.smr", ["DIA SMU"]):
        _check(x, fs, "needle")


@pytest.mark.parametrize("name,channels", [("tremor_mvc_flex.smr", ["Flex", "Ext"]),
                                           ("biomech0deg.smr", ["prox_EMG", "dist_EMG"])])
def test_spike2_surface_contractions_and_releases(name, channels):
    for x, fs in _spike2(name, channels):
        _check(x, fs, "surface")


@pytest.mark.parametrize("name", ["emg.txt", "emg_1.txt"])
def test_biosppy_surface_emg(name):
    counts = np.loadtxt(DATA / "biosppy" / name, comments="#")
    _check((counts - np.median(counts)) * 1e-6, 1000.0, "surface")  # arbitrary scale


@pytest.mark.parametrize("name", ["amp_on_baseline.wav", "pulse_1.wav", "pulse_max.wav"])
@pytest.mark.parametrize("electrode", ["surface", "needle"])
def test_backyardbrains_wav(name, electrode):
    from scipy.io import wavfile

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the RIFF size field is 4 bytes too large
        fs, x = wavfile.read(DATA / "backyardbrains_emg" / name)
    _check(x.astype(float) * 1e-7, float(fs), electrode)  # arbitrary units -> ~V scale
