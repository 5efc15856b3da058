"""Grips found as bursts of interference in the EMG envelope, against known bursts."""

import numpy as np
import pytest

from myoemg.detect.emg_bursts import EMG_GRIP_COLUMNS, find_emg_grips
from myoemg.detect.trials import merged_runs
from myoemg.signal.envelope import Envelope

FS = 2000.0


def test_merged_runs_bridge_short_gaps_only():
    mask = np.array([0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0], bool)
    starts, stops = merged_runs(mask, max_gap=1)
    assert starts.tolist() == [1, 8] and stops.tolist() == [5, 10]
    starts, stops = merged_runs(mask, max_gap=3)
    assert starts.tolist() == [1] and stops.tolist() == [10]
    starts, stops = merged_runs(np.zeros(5, bool), max_gap=1)
    assert starts.size == 0 and stops.size == 0


def _session(bursts, *, n_s=40.0, noise_v=5e-6, seed=0):
    """Noise with white bursts of interference: (start_s, end_s, rms_v) each; cleaned EMG."""
    rng = np.random.default_rng(seed)
    n = int(n_s * FS)
    t = np.arange(n) / FS
    x = noise_v * rng.standard_normal(n)
    for a, b, rms in bursts:
        inside = (t >= a) & (t < b)
        x[inside] += rms * rng.standard_normal(inside.sum())
    return x


def test_bursts_of_interference_are_grips_weak_and_brief_ones_are_not():
    bursts = [(3.0, 6.0, 200e-6), (12.0, 15.0, 100e-6),  # a maximal and a half grip
              (20.0, 23.0, 15e-6),  # activity under 0.3 of the strongest: not a grip
              (28.0, 28.5, 200e-6),  # a jerk: too brief
              (33.0, 36.0, 180e-6)]
    x = _session(bursts)
    grips = find_emg_grips(Envelope(x, fs=FS, window_s=0.05))
    tr = grips.trials
    assert list(tr.columns) == EMG_GRIP_COLUMNS and tr.trial.tolist() == [1, 2, 3]
    ends = np.array([6.0, 15.0, 36.0])
    # an abrupt stop: the 50 ms envelope is at half the hold's level a quarter window after
    np.testing.assert_allclose(tr.release_s, ends + 0.0125, atol=0.01)
    np.testing.assert_allclose(tr.onset_s, [3.0, 12.0, 33.0], atol=0.03)
    np.testing.assert_allclose(tr.window_end_s[:2], tr.onset_s[1:], atol=1e-12)
    assert tr.window_end_s.iloc[-1] == pytest.approx((x.size - 1) / FS)
    np.testing.assert_allclose(tr.level_db, 20 * np.log10([200 / 5, 100 / 5, 180 / 5]),
                               atol=2.0)
    assert grips.reason == "" and grips.rest_v[0] == pytest.approx(5e-6, rel=0.1)


def test_discharges_after_a_grip_do_not_move_its_release():
    x = _session([(3.0, 6.0, 200e-6)], n_s=15.0)
    rng = np.random.default_rng(1)
    # a train of 60 Hz spikes of 150 µV after the release, for 2 s
    spikes = (6.05 + np.cumsum(rng.uniform(1 / 80, 1 / 40, 120))) * FS
    spikes = spikes[spikes < 8.0 * FS].astype(int)
    for i in spikes:
        x[i:i + 6] += 150e-6 * np.hanning(6)
    tr = find_emg_grips(Envelope(x, fs=FS, window_s=0.05)).trials
    assert len(tr) == 1 and tr.release_s.iloc[0] == pytest.approx(6.0 + 0.0125, abs=0.01)


def test_no_contraction_or_a_silent_channel_says_why():
    rest = find_emg_grips(Envelope(_session([]), fs=FS, window_s=0.05))
    assert not len(rest.trials) and "no contraction found" in rest.reason
    silent = find_emg_grips(Envelope(np.zeros(int(10 * FS)), fs=FS, window_s=0.05))
    assert not len(silent.trials) and "digitally silent" in silent.reason
    with pytest.raises(TypeError, match="Envelope"):
        find_emg_grips(np.zeros(100))


def test_channels_are_combined_relative_to_their_own_rest():
    # the same grips on a channel recorded 100 times larger: found once, at the same times
    x = _session([(3.0, 6.0, 200e-6), (12.0, 15.0, 150e-6)], n_s=20.0)
    y = 100 * _session([(3.0, 6.0, 200e-6), (12.0, 15.0, 150e-6)], n_s=20.0, seed=5)
    both = find_emg_grips(Envelope(np.stack([x, y]), fs=FS, window_s=0.05)).trials
    one = find_emg_grips(Envelope(x, fs=FS, window_s=0.05)).trials
    assert len(both) == len(one) == 2
    np.testing.assert_allclose(both.release_s, one.release_s, atol=0.01)


def test_a_grip_held_to_the_end_of_the_emg_has_no_release():
    x = _session([(3.0, 6.0, 200e-6), (10.0, 12.0, 200e-6)], n_s=12.0)
    tr = find_emg_grips(Envelope(x, fs=FS, window_s=0.05)).trials
    assert len(tr) == 2 and np.isfinite(tr.release_s.iloc[0])
    assert np.isnan(tr.release_s.iloc[1])  # still held when the recording stops
