"""Relaxation times against known answers: analytic decays, censoring, offsets, real pinches."""

import numpy as np
import pandas as pd
import pytest

from myoemg.detect.trials import find_trials
from myoemg.metrics import relaxation_times
from myoemg.signal import level_crossings

from ..conftest import requires_shared_data
from ..settings import FS_FORCE, FS_FORCE_FAST


def _grip(fs, *, tau, rest=2.0, hold=3.0, after=None, peak=250.0, offset=0.0, drift=0.0,
          shape="exp"):
    """Rest, ramp, hold, then an analytic decay from the release at t_r."""
    after = 12 * tau + 2 if after is None else after
    t = np.arange(int((rest + 0.3 + hold + after) * fs)) / fs
    t_r = rest + 0.3 + hold
    rise = np.clip((t - rest) / 0.3, 0, 1)
    f = np.where(t < t_r, peak * (0.5 - 0.5 * np.cos(np.pi * rise)), 0.0)
    decay = np.exp(-(t - t_r) / tau) if shape == "exp" else np.exp(-(((t - t_r) / tau) ** 2))
    f = np.where(t >= t_r, peak * decay, f)
    return f + offset + drift * t, t_r


@pytest.mark.parametrize("tau", [0.1384, 0.8649])
@pytest.mark.parametrize("fs", [FS_FORCE_FAST, 997.0])
def test_single_exponential_gives_tau_ln18(tau, fs):
    # docs: domain reference, relaxation: f = exp(-t/tau) has RT90-5 = tau*ln 18 (0.400 s and 2.500
    # s for these taus).
    force, _ = _grip(fs, tau=tau)
    trials = find_trials(force, fs=fs, lowpass_hz=fs / 4)
    rt = relaxation_times(force, trials, fs=fs, lowpass_hz=fs / 4)
    assert len(rt) == 1 and rt.relaxed[0]
    # Tolerance: the low-pass smooths the kink at release; 1 % of RT or 2 samples.
    assert rt.rt90_5_s[0] == pytest.approx(tau * np.log(18), rel=0.01, abs=2 / fs)
    assert rt.rt90_50_s[0] == pytest.approx(tau * np.log(0.9 / 0.5), rel=0.02, abs=2 / fs)
    assert rt.rt50_5_s[0] == pytest.approx(tau * np.log(10), rel=0.01, abs=2 / fs)


def test_crossings_are_subsample():
    x = np.array([10.0, 8.0, 6.0, 4.0])
    assert level_crossings(x, 5.0) == pytest.approx([2.5])
    assert level_crossings(x[::-1], 5.0, direction="up") == pytest.approx([0.5])


@pytest.mark.parametrize("offset, drift", [(0.0, 0.0), (4.0, 0.0), (-3.0, 0.0), (2.0, 0.05)])
def test_offset_and_drift_do_not_change_rt(offset, drift):
    tau = 0.3
    ref, _ = _grip(FS_FORCE, tau=tau)
    force, _ = _grip(FS_FORCE, tau=tau, offset=offset, drift=drift)
    rts = [relaxation_times(f, find_trials(f, fs=FS_FORCE), fs=FS_FORCE) for f in (ref, force)]
    # drift of 0.05 N/s moves the 5 % level (12.5 N) by < 0.1 N over the relaxation.
    assert rts[1].rt90_5_s[0] == pytest.approx(rts[0].rt90_5_s[0], abs=0.01)
    tr = find_trials(force, fs=FS_FORCE)
    assert tr.peak_force_n[0] == pytest.approx(250.0, rel=0.01)


def test_censored_trial_is_not_given_a_number():
    # Force stays at 20 % of peak: it never reaches the 5 % level before the recording ends.
    fs = FS_FORCE
    force, t_r = _grip(fs, tau=0.2, after=4.0)
    t = np.arange(force.size) / fs
    force = np.where(t > t_r, np.maximum(force, 50.0), force)
    trials = find_trials(force, fs=fs)
    rt = relaxation_times(force, trials, fs=fs)
    assert not rt.relaxed[0]
    assert np.isnan(rt.rt90_5_s[0]) and np.isnan(rt.rt50_5_s[0])
    assert np.isfinite(rt.rt90_50_s[0])  # it did pass 50 %


def test_tremor_dip_during_hold_is_not_the_90_crossing():
    fs = 250.0
    force, t_r = _grip(fs, tau=0.2, shape="gauss")
    t = np.arange(force.size) / fs
    dip = (t > t_r - 1.0) & (t < t_r - 0.8)
    force = np.where(dip, force * 0.85, force)  # falls below 90 % and recovers
    rt = relaxation_times(force, find_trials(force, fs=fs), fs=fs)
    expected = 0.2 * (np.sqrt(np.log(20)) - np.sqrt(np.log(1 / 0.9)))
    assert rt.rt90_5_s[0] == pytest.approx(expected, abs=0.01)
    assert rt.release_s[0] == pytest.approx(t_r, abs=0.05)


@requires_shared_data
def test_real_pinch_baseline_shift_gives_same_rt(shared_data):
    # fda pinch: `pinch` is `pinchraw` minus 2 N (data README): RTs above baseline must match.
    raw = pd.read_csv(shared_data / "fda_pinch" / "pinchraw.csv")
    shifted = pd.read_csv(shared_data / "fda_pinch" / "pinch.csv")
    fs = 1 / np.diff(raw["time_s"]).mean()
    assert fs == pytest.approx(500.0)
    trials = pd.DataFrame({"trial": [1], "peak_s": [np.nan], "window_end_s": [0.298],
                           "baseline_n": [np.nan], "peak_force_n": [np.nan]})
    for col in [c for c in raw.columns if c.startswith("pulse")][:5]:
        # pinch windows differ (aligned on the peak), so measure each on its own peak.
        out = []
        for table in (raw, shifted):
            x = table[col].to_numpy()
            xf = x  # no low-pass: a 0.3 s pulse is too short for the 15 Hz filter's edges
            base = np.median(xf[:10])
            pk = int(np.argmax(xf))
            tr = trials.assign(peak_s=pk / fs, baseline_n=base, peak_force_n=xf[pk] - base)
            out.append(relaxation_times(x, tr, fs=fs, lowpass_hz=200.0).rt90_5_s[0])
        assert np.isfinite(out[0])
        assert out[0] == pytest.approx(out[1], abs=2 / fs)
        assert 0.03 < out[0] < 0.15  # README: crude 90->5 % fall 0.058-0.074 s
