"""Trial detection on simulated sessions: count, onsets, baselines, bad input."""

import numpy as np
import pytest

from myoemg.detect.trials import find_trials
from myoemg.sim import simulate_session
from myoemg.utils import NoTrialsError, SignalQualityError

from ..settings import FS_EMG_ODD, FS_FORCE


@pytest.mark.parametrize("pattern", ["healthy", "warm-up", "paradoxical", "steady"])
def test_finds_every_grip(pattern):
    rec, truth = simulate_session(fs_emg=FS_EMG_ODD, fs_force=FS_FORCE, pattern=pattern, seed=3,
                                  n_emg=1)
    tr = find_trials(rec.force.data, fs=FS_FORCE)
    assert len(tr) == len(truth.trials)
    np.testing.assert_allclose(tr.onset_s, truth.trials.onset_s, atol=2 / FS_FORCE)
    np.testing.assert_allclose(tr.baseline_n, truth.trials.baseline_n, atol=0.5)
    np.testing.assert_allclose(tr.peak_force_n, truth.trials.peak_force_n, rtol=0.01)


def test_flat_force_has_no_trials():
    with pytest.raises(NoTrialsError, match="flat"):
        find_trials(np.full(2000, 3.0), fs=FS_FORCE)


def test_nan_force_is_refused():
    x = np.zeros(2000)
    x[5] = np.nan
    with pytest.raises(SignalQualityError, match="NaN"):
        find_trials(x, fs=FS_FORCE)


def test_short_twitch_is_not_a_grip():
    fs = FS_FORCE
    t = np.arange(int(10 * fs)) / fs
    x = 100 * np.exp(-(((t - 5) / 0.1) ** 2))  # 0.2 s twitch
    with pytest.raises(NoTrialsError, match="never stayed above"):
        find_trials(x, fs=fs)


def test_sampling_rate_is_required():
    with pytest.raises(TypeError):
        find_trials(np.zeros(100))  # the missing fs is the point
