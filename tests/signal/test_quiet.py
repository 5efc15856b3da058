"""Hum and noise judged on the quiet stretches, whatever the share of contraction.

Definitions: docs, domain reference, signal processing.
"""

import warnings

import numpy as np
import pytest

from myoemg.signal import bandpass, detect_mains, quiet_blocks, quiet_noise_sd, remove_mains


def _session(fs, mains, hum_v, harmonics, share, seed, noise_v=4e-6, duration_s=12.0):
    """Noise + grips (broadband interference, 300 µV RMS) taking ``share`` of the time + hum."""
    rng = np.random.default_rng(seed)
    n = int(duration_s * fs)
    t = np.arange(n) / fs
    x = noise_v * rng.standard_normal(n)
    interference = bandpass(rng.standard_normal(n), fs=fs, l_freq=20.0, h_freq=300.0)
    interference *= 300e-6 / interference.std()
    n_grips = 3
    on = np.zeros(n, bool)
    for k in range(n_grips):
        start = (k + 0.5) * duration_s / n_grips
        on |= (t >= start) & (t < start + share * duration_s / n_grips)
    x += np.where(on, interference, 0.0)
    f0 = mains + rng.uniform(-0.05, 0.05)
    gains = (1.0, 0.3, 0.5) if harmonics else (1.0,)
    for h, g in enumerate(gains, start=1):
        if h * f0 < 0.45 * fs:
            x += hum_v * g * np.sin(2 * np.pi * h * f0 * t + rng.uniform(0, 6.3))
    return x, on


CASES = [(fs, mains, hum, harm, share)
         for fs in (1000.0, 2000.0, 20000.0, 48000.0) for mains in (50.0, 60.0)
         for hum in (0.0, 3e-6, 15e-6, 50e-6) for harm in (False, True) for share in (0.05, 0.5)]


def test_detect_mains_on_quiet_stretches():
    wrong = []
    for i, (fs, mains, hum, harm, share) in enumerate(CASES):
        x, _ = _session(fs, mains, hum, harm, share, seed=i)
        got = detect_mains(x, fs=fs)
        want = mains if hum > 0 else None
        if got != want:
            wrong.append((fs, mains, hum, harm, share, got))
    hummed = sum(c[2] > 0 for c in CASES)
    missed = [w for w in wrong if w[2] > 0]
    assert not [w for w in wrong if w[2] == 0], wrong  # never claims absent hum
    assert len(missed) <= 0.05 * hummed, missed


@pytest.mark.parametrize("share", [0.05, 0.5])
def test_quiet_noise_sd_ignores_contractions_and_spikes(share):
    fs = 2000.0
    x, on = _session(fs, 50.0, 0.0, False, share, seed=3)
    quiet, n = quiet_blocks(x, fs=fs)
    assert not quiet[on[: quiet.size * n].reshape(-1, n).any(axis=1)].any()
    assert quiet_noise_sd(x, fs=fs) == pytest.approx(4e-6, rel=0.1)
    assert quiet_noise_sd(np.stack([x, 2 * x]), fs=fs) == pytest.approx([4e-6, 8e-6], rel=0.1)


def test_hum_removed_when_contractions_fill_half_the_recording():
    fs = 2000.0
    x, on = _session(fs, 60.0, 15e-6, True, 0.5, seed=5)
    hp = bandpass(x, fs=fs, l_freq=20.0, h_freq=None)
    y = remove_mains(hp, fs=fs)
    assert quiet_noise_sd(y, fs=fs) == pytest.approx(4e-6, rel=0.15)
    assert quiet_noise_sd(hp, fs=fs) > 2.5 * 4e-6


@pytest.mark.parametrize("kw,match", [(dict(n_harmonics=10000), "n_harmonics"),
                                      (dict(n_harmonics=0), "n_harmonics"),
                                      (dict(n_harmonics=2.5), "n_harmonics"),
                                      (dict(mains_hz=0.0), "mains_hz"),
                                      (dict(mains_hz=-50.0), "mains_hz"),
                                      (dict(mains_hz=float("nan")), "mains_hz"),
                                      (dict(mains_hz=5000.0), "mains_hz")])
def test_remove_mains_refuses_absurd_requests(kw, match):
    x = np.random.default_rng(0).standard_normal(4000)
    kw = {"mains_hz": 50.0, **kw}
    with pytest.raises(ValueError, match=match):
        remove_mains(x, fs=2000.0, **kw)


@pytest.mark.parametrize("seconds", [1.0, 1.02, 1.3])
def test_detect_mains_on_a_recording_barely_one_segment_long(seconds):
    # A 1 s segment may not fit in whole quiet blocks: the hum is still found, with no warning.
    fs = 2000.0
    t = np.arange(int(seconds * fs)) / fs
    x = 20e-6 * np.sin(2 * np.pi * 50 * t) + 4e-6 * np.random.default_rng(3).normal(size=t.size)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert detect_mains(x, fs=fs) == 50.0
