"""The slow voluntary let-go is told apart by its EMG (interference fading with the force)."""

import numpy as np

from myoemg.metrics.letgo import VOLUNTARY_RATIO, letgo_emg_ratio, voluntary_letgo

FS = 1000.0


def _envelope(kind):
    """A 3-s hold at 200 µV, release at 4 s; 'voluntary' fades with a force that halves at 4.6 s."""
    t = np.arange(int(8 * FS)) / FS
    env = np.full(t.size, 5e-6)
    env[(t >= 1) & (t < 4)] = 200e-6
    after = t >= 4
    if kind == "voluntary":
        env[after] = np.maximum(200e-6 * np.exp(-(t[after] - 4) * np.log(2) / 0.6), 5e-6)
    else:  # myotonia: voluntary drive stops, sparse fibre discharges remain
        env[after] = 12e-6
    return env


def test_ratio_separates_a_voluntary_fade_from_an_abrupt_stop():
    env = np.vstack([_envelope("voluntary"), _envelope("myotonic")])
    ratio = letgo_emg_ratio(env, fs=FS, release_s=[4.0], t50_s=[4.6])
    assert ratio.shape == (1, 2)
    assert ratio[0, 0] > VOLUNTARY_RATIO > ratio[0, 1]
    assert abs(ratio[0, 0] - 0.5) < 0.05


def test_unknown_times_or_windows_outside_give_nan():
    env = _envelope("voluntary")[None]
    ratio = letgo_emg_ratio(env, fs=FS, release_s=[np.nan, 0.5, 4.0], t50_s=[4.6, 0.9, 7.99])
    assert np.isnan(ratio).all()


def test_session_rule_uses_the_prolonged_trials_only():
    ratio = np.array([0.5, 0.55, 0.05, 0.6])
    assert voluntary_letgo(ratio, [True, True, False, True]) is True
    assert voluntary_letgo(ratio, [False, False, True, False]) is False
    assert voluntary_letgo(ratio, [False] * 4) is None
