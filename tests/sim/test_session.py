"""The simulator keeps its promises: requested RTs, rates, determinism, truth tables."""

import numpy as np
import pytest

from myoemg.signal import detect_mains
from myoemg.sim import simulate_session

from ..settings import FS_EMG_ODD, FS_FORCE


@pytest.mark.parametrize("rts", [[0.25, 0.3, 0.2], [2.5, 1.2, 0.8]])
def test_truth_rt_is_the_requested_rt(rts):
    _, truth = simulate_session(fs_emg=FS_EMG_ODD, fs_force=FS_FORCE, n_trials=3, rt90_5_s=rts,
                                seed=0)
    np.testing.assert_allclose(truth.trials.rt90_5_s, rts, atol=1e-3)
    np.testing.assert_allclose(truth.trials.rt90_50_s + truth.trials.rt50_5_s,
                               truth.trials.rt90_5_s, atol=1e-9)


def test_rates_lengths_and_determinism():
    a, ta = simulate_session(fs_emg=FS_EMG_ODD, fs_force=FS_FORCE, n_trials=2, seed=5)
    b, _ = simulate_session(fs_emg=FS_EMG_ODD, fs_force=FS_FORCE, n_trials=2, seed=5)
    assert a["EMG FDS"].fs == FS_EMG_ODD and a["Grip"].fs == FS_FORCE
    assert a["EMG FDS"].duration_s == pytest.approx(a["Grip"].duration_s, abs=0.01)
    np.testing.assert_array_equal(a["EMG FDS"].data, b["EMG FDS"].data)
    assert ta.params["seed"] == 5


@pytest.mark.parametrize("mains", [50.0, 60.0])
def test_mains_hum_is_at_the_requested_frequency(mains):
    rec, _ = simulate_session(fs_emg=FS_EMG_ODD, fs_force=FS_FORCE, n_trials=1, mains_hz=mains,
                              hum_v=30e-6, seed=1)
    assert detect_mains(rec["EMG FDS"].data, fs=FS_EMG_ODD) == mains


def test_discharge_truth_follows_each_release():
    rec, truth = simulate_session(fs_emg=FS_EMG_ODD, fs_force=FS_FORCE, n_trials=4,
                                  pattern="warm-up", n_emg=2, seed=2)
    d = truth.discharges
    assert len(d) == 4 * 2 and set(d.channel) == {"EMG FDS", "EMG FDP"}
    merged = d.merge(truth.trials, on="trial")
    assert (merged.start_s > merged.release_s).all()
    assert ((merged.rate_min_hz >= 20) & (merged.rate_max_hz <= 150)).all()
    assert truth.trials.myotonic.all()


def test_healthy_and_slow_release_have_no_discharges():
    for kwargs in ({"pattern": "healthy"}, {"pattern": "steady", "slow_release": True}):
        _, truth = simulate_session(fs_emg=FS_EMG_ODD, fs_force=FS_FORCE, n_trials=3, seed=3,
                                    **kwargs)
        assert len(truth.discharges) == 0 and not truth.trials.myotonic.any()
