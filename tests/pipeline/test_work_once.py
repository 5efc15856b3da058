"""Work done once in analyze: a low-passed force and an envelope handed on give the same numbers."""

import numpy as np
import pandas as pd
import pytest

from myoemg.detect.trials import find_trials
from myoemg.metrics import after_activity, relaxation_times
from myoemg.metrics.letgo import letgo_emg_ratio
from myoemg.signal import FORCE_LOWPASS_HZ, clean_emg, lowpass, moving_rms
from myoemg.signal.envelope import Envelope
from myoemg.sim import simulate_session


@pytest.fixture(scope="module")
def session():
    rec, _ = simulate_session(pattern="warm-up", fs_emg=2000.0, fs_force=500.0, n_trials=3,
                              n_emg=2, seed=21)
    return rec


def test_trials_and_relaxation_from_a_given_low_passed_force(session):
    f = session.force
    xf = lowpass(f.data, fs=f.fs, cutoff_hz=FORCE_LOWPASS_HZ)
    tr = find_trials(f.data, fs=f.fs)
    pd.testing.assert_frame_equal(find_trials(f.data, fs=f.fs, filtered=xf), tr)
    rt = relaxation_times(f.data, tr, fs=f.fs)
    pd.testing.assert_frame_equal(relaxation_times(f.data, tr, fs=f.fs, filtered=xf), rt)
    with pytest.raises(ValueError, match="filtered has shape"):
        find_trials(f.data, fs=f.fs, filtered=xf[:-1])
    with pytest.raises(ValueError, match="filtered has shape"):
        relaxation_times(f.data, tr, fs=f.fs, filtered=xf[1:])


def test_envelope_read_in_windows_gives_the_whole_envelope_numbers(session):
    emg, fs, _ = session.get_data("emg")
    cleaned = clean_emg(emg, fs=fs)
    whole = moving_rms(cleaned, fs=fs, window_s=0.05)
    lazy = Envelope(cleaned, fs=fs, window_s=0.05)
    tr = find_trials(session.force.data, fs=session.force.fs)
    tr = tr.merge(relaxation_times(session.force.data, tr, fs=session.force.fs), on="trial")
    rest = [(on - 1.2, on - 0.2) for on in tr["onset_s"]]
    kw = dict(fs=fs, release_s=tr["release_s"], window_end_s=tr["window_end_s"],
              rest_windows_s=rest)
    a_whole, r_whole = after_activity(emg, envelope=whole, **kw)
    a_lazy, r_lazy = after_activity(None, envelope=lazy, **kw)
    np.testing.assert_array_equal(a_lazy, a_whole)
    np.testing.assert_array_equal(r_lazy, r_whole)
    kw = dict(fs=fs, release_s=tr["release_s"], t50_s=tr["t50_s"])
    np.testing.assert_array_equal(letgo_emg_ratio(lazy, **kw), letgo_emg_ratio(whole, **kw))
