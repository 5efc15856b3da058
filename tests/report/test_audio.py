"""Audio of the EMG: WAV files of the right length and rate whose pitch follows the unit's rate."""

import base64
import io
import re

import numpy as np
import pytest
from scipy import signal as sps
from scipy.io import wavfile

from myoemg.pipeline import analyze
from myoemg.report.audio import audio_rate, to_pcm
from myoemg.sim import simulate_session


@pytest.fixture(scope="module")
def myotonic_trial():
    """One grip with a long myotonic discharge (RT90-5 2.5 s) on surface EMG at 2 kHz."""
    rec, truth = simulate_session(fs_emg=2000.0, fs_force=100.0, n_trials=1, rt90_5_s=[2.5],
                                  seed=3)
    return analyze(rec), truth


def _read(path):
    rate, pcm = wavfile.read(path)
    return rate, pcm.astype(float)


def _pitch(pcm, rate, win_s=0.2, fmin=15.0, fmax=200.0):
    """Fundamental of each half-overlapping window: the lag of the autocorrelation peak."""
    n = int(win_s * rate)
    lo, hi = int(rate / fmax), int(rate / fmin)
    out = []
    for a in range(0, pcm.size - n, n // 2):
        seg = pcm[a:a + n] - pcm[a:a + n].mean()
        ac = sps.correlate(seg, seg, mode="full", method="fft")[n - 1:]
        out.append(rate / (lo + int(np.argmax(ac[lo:hi]))))
    return np.array(out)


def test_trial_wav_has_the_window_length_and_an_audio_rate(myotonic_trial, tmp_path):
    a, _ = myotonic_trial
    paths = a.to_audio(tmp_path)
    tr = a.trials.iloc[0]
    rate, pcm = _read(paths["trial01_EMG-FDS"])
    assert rate == 8000 == audio_rate(450.0)  # 20-450 Hz surface band: 8 kHz holds it
    expected = min(tr["window_end_s"] - tr["release_s"], 10.0)
    assert abs(pcm.size / rate - expected) < 2 / 2000  # within a sample of the EMG
    peak = np.abs(pcm).max() / 32767
    assert 0.3 < peak <= 10 ** (-1 / 20) + 1e-4  # normalised, never clipped


def test_the_pitch_falls_as_the_discharges_rate_falls(myotonic_trial, tmp_path):
    """The 'dive-bomber': the clip's fundamental follows the unit's firing rate.

    The spectral centroid of a single-fibre train is set by the potential's shape, not by the
    rate (the pulse train's lines sample one smooth spectrum), so the rate is heard, and
    measured here, as the pitch: the spacing of the harmonics, from the autocorrelation.
    """
    a, truth = myotonic_trial
    paths = a.to_audio(tmp_path)
    myo = [k for k in paths if "myotonic" in k]
    assert len(myo) == len(a.discharges[a.discharges["kind"] == "myotonic"]) >= 1
    rate, pcm = _read(paths[myo[0]])
    d = a.discharges[a.discharges["kind"] == "myotonic"].iloc[0]
    # the clip's two edges fall on EMG samples (2 kHz): within 1 ms of the padded train
    assert abs(pcm.size / rate - (d["end_s"] - d["start_s"] + 0.2)) <= 2 / 2000 + 1e-9
    pitch = _pitch(pcm, rate)
    true = truth.discharges.iloc[0]
    top = int(np.argmax(pitch))
    assert abs(pitch[top] - true["rate_max_hz"]) < 0.2 * true["rate_max_hz"]
    tail = np.median(pitch[-3:])
    assert abs(tail - true["rate_end_hz"]) < 0.25 * true["rate_end_hz"]
    after = pitch[top:]
    assert after[-1] < 0.5 * after[0]
    assert np.corrcoef(np.arange(after.size), after)[0, 1] < -0.9  # falls steadily


def test_embedded_players_are_the_same_wavs(myotonic_trial, tmp_path):
    pytest.importorskip("jinja2")
    from myoemg.report import render_html

    a, _ = myotonic_trial
    html = render_html(a)
    uris = re.findall(r'src="data:audio/wav;base64,([A-Za-z0-9+/=]+)"', html)
    files = a.to_audio(tmp_path)
    assert len(uris) == len(files) == 1 + len(a.discharges)
    on_disk = {p.read_bytes() for p in files.values()}
    assert {base64.b64decode(u) for u in uris} == on_disk
    rate, _ = wavfile.read(io.BytesIO(base64.b64decode(uris[0])))
    assert rate == 8000


def test_loudness_normalisation_and_resampling():
    fs, rate = 2000.0, 8000
    t = np.arange(int(2 * fs)) / fs
    x = 1e-5 * np.sin(2 * np.pi * 60 * t) * (t > 1)  # silence, then a tone
    pcm = to_pcm(x, fs, rate)
    assert pcm.dtype == np.int16 and pcm.size == 4 * x.size
    loud = pcm[rate + 400:].astype(float) / 32767
    assert abs(20 * np.log10(np.sqrt(np.mean(loud**2))) + 20) < 1.0  # -20 dBFS
    assert not np.any(to_pcm(np.zeros(100), fs, rate))  # silence stays silent
    assert audio_rate(5000.0) == 11025 and audio_rate(10_000.0) == 22050


def test_cached_antialias_filter_is_scipys_default():
    from myoemg.report.audio import _antialias

    x = np.random.default_rng(0).standard_normal(3000)
    for up, down in ((4, 1), (441, 200), (147, 320)):
        assert np.array_equal(sps.resample_poly(x, up, down),
                              sps.resample_poly(x, up, down, window=_antialias(up, down)))
