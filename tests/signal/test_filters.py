"""Filters and mains removal: shapes, rates, and no fake activity after release."""

import numpy as np
import pytest

from myoemg.signal import bandpass, detect_mains, emg_envelope, moving_rms, remove_mains

from ..settings import FS_EMG, FS_EMG_ODD


def _burst_with_hum(fs, mains, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(int(20 * fs)) / fs
    noise = 5e-6 * rng.standard_normal(t.size)
    emg = np.where((t > 5) & (t < 8), 300e-6 * rng.standard_normal(t.size), 0.0)
    hum = 50e-6 * np.sin(2 * np.pi * (mains + 0.03) * t + 0.3) \
        + 15e-6 * np.sin(2 * np.pi * 3 * (mains + 0.03) * t)
    return t, noise, emg, hum


@pytest.mark.parametrize("mains", [50.0, 60.0])
@pytest.mark.parametrize("fs", [FS_EMG, FS_EMG_ODD])
def test_mains_detected_and_removed_without_ringing(mains, fs):
    t, noise, emg, hum = _burst_with_hum(fs, mains)
    x = noise + emg + hum
    assert detect_mains(x, fs=fs) == mains
    y = remove_mains(x, fs=fs)
    resid = y - noise - emg
    after = (t > 8.02) & (t < 8.5)  # right after the abrupt end of the burst
    # A Q=30 notch would ring here; the residual must stay well under the 5 µV noise.
    assert np.sqrt(np.mean(resid[after] ** 2)) < 1.5e-6
    assert np.sqrt(np.mean(resid[t > 12] ** 2)) < 1.5e-6


def test_no_mains_means_no_change():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(int(5 * FS_EMG))
    assert detect_mains(x, fs=FS_EMG) is None
    np.testing.assert_array_equal(remove_mains(x, fs=FS_EMG), x)


def test_shapes_are_kept_and_input_not_changed():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 4001))
    x0 = x.copy()
    assert bandpass(x, fs=FS_EMG_ODD, l_freq=20, h_freq=450).shape == x.shape
    assert emg_envelope(x, fs=FS_EMG_ODD).shape == x.shape
    assert emg_envelope(x[0], fs=FS_EMG_ODD).shape == x[0].shape
    np.testing.assert_array_equal(x, x0)


def test_moving_rms_of_a_sine():
    fs = FS_EMG_ODD
    t = np.arange(int(3 * fs)) / fs
    rms = moving_rms(2.0 * np.sin(2 * np.pi * 50 * t), fs=fs, window_s=0.2)
    assert np.median(rms) == pytest.approx(np.sqrt(2), rel=0.01)


def test_band_edge_above_nyquist_is_kept_valid():
    x = np.random.default_rng(3).standard_normal(2000)
    y = bandpass(x, fs=900.0, l_freq=20, h_freq=450)  # 450 Hz >= Nyquist: capped at 0.45 fs
    assert np.isfinite(y).all()


@pytest.mark.parametrize("fs", [0, -1, np.nan, None])
def test_bad_rate_is_refused(fs):
    with pytest.raises((ValueError, TypeError)):
        bandpass(np.zeros(100), fs=fs, l_freq=1, h_freq=10)
