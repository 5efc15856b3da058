"""Relaxation times RT90-5, RT90-50 and RT50-5 of each grip (SPEC.md §2).

Levels are percentages of (peak − baseline) **above the baseline** of each trial:
``L_p = baseline + p/100 · (peak − baseline)``. On the zero-phase low-passed force:

- ``t5``: the first downward crossing of L5 after the peak — the end of relaxation;
- ``t90``, ``t50``: the last downward crossings of L90 and L50 before ``t5`` (SPEC.md §2, ours:
  "last downward crossing before relaxation"), so a tremor dip during the hold does not count;
- RT90-5 = t5 − t90 (primary outcome, Logigian 2010), RT90-50 = t50 − t90, RT50-5 = t5 − t50;
- crossings are linearly interpolated between samples.

A trial whose force does not reach L5 before its window ends (the next grip or the end of the
recording) is **censored**: ``relaxed`` is False and RT90-5 and RT50-5 are NaN, never a made-up
number; RT90-50 is still given when the force passed L50.

``release_s`` is the start of the final fall: the last local maximum of the low-passed force
before ``t90`` (ours).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..signal import FORCE_LOWPASS_HZ, level_crossings, lowpass
from ..utils import validate_fs

RELAXATION_COLUMNS = ["trial", "release_s", "t90_s", "t50_s", "t5_s", "rt90_5_s", "rt90_50_s",
                      "rt50_5_s", "relaxed"]


def relaxation_times(force, trials, *, fs, lowpass_hz=FORCE_LOWPASS_HZ, levels_pct=(90, 50, 5)):
    """Measure relaxation times of each trial.

    Parameters
    ----------
    force : ndarray, shape (n_times,)
        Force in newtons.
    trials : DataFrame
        From :func:`myoemg.detect.find_trials`: needs ``trial``, ``peak_s``, ``window_end_s``,
        ``baseline_n`` and ``peak_force_n`` (peak above baseline).
    fs : float
        Sampling rate of the force, in Hz.
    lowpass_hz : float
        Zero-phase low-pass cut-off in Hz before crossings (SPEC.md §2: ~10–20 Hz).
    levels_pct : (float, float, float)
        The upper, middle and lower levels in percent (SPEC.md §2: 90, 50, 5).

    Returns
    -------
    rt : DataFrame
        One row per trial: ``trial``, ``release_s``, ``t90_s``, ``t50_s``, ``t5_s`` (times in
        seconds from the first sample), ``rt90_5_s``, ``rt90_50_s``, ``rt50_5_s`` (durations in
        seconds; NaN when censored) and ``relaxed`` (bool).

    Notes
    -----
    A single exponential decay f = e^(−t/τ) gives RT90-5 = τ·ln 18 (SPEC.md §2).
    """
    fs = validate_fs(fs)
    hi, mid, lo = levels_pct
    xf = lowpass(np.asarray(force, dtype=float), fs=fs, cutoff_hz=lowpass_hz)
    rows = []
    for tr in trials.itertuples(index=False):
        i0 = int(round(tr.peak_s * fs))
        i1 = min(xf.size, int(np.floor(tr.window_end_s * fs)) + 1)
        seg = xf[i0:i1]
        base, amp = tr.baseline_n, tr.peak_force_n
        level = {p: base + p / 100 * amp for p in levels_pct}
        down_lo = level_crossings(seg, level[lo], direction="down")
        relaxed = down_lo.size > 0
        stop = down_lo[0] if relaxed else seg.size - 1.0
        t = {}
        for p in (hi, mid):
            down = level_crossings(seg[: int(np.floor(stop)) + 2], level[p], direction="down")
            down = down[down <= stop]
            t[p] = (i0 + down[-1]) / fs if down.size else np.nan
        t[lo] = (i0 + stop) / fs if relaxed else np.nan
        release = _release_time(seg, t[hi], i0, fs)
        rows.append({
            "trial": tr.trial, "release_s": release, "t90_s": t[hi], "t50_s": t[mid],
            "t5_s": t[lo], "rt90_5_s": t[lo] - t[hi], "rt90_50_s": t[mid] - t[hi],
            "rt50_5_s": t[lo] - t[mid], "relaxed": bool(relaxed),
        })
    return pd.DataFrame(rows, columns=RELAXATION_COLUMNS)


def _release_time(seg, t90, i0, fs):
    """Last local maximum of the force between the peak and t90, in seconds."""
    if not np.isfinite(t90):
        return np.nan
    stop = int(np.floor(t90 * fs)) - i0 + 1
    d = np.diff(seg[: max(stop, 1) + 1])
    tops = np.flatnonzero((d[:-1] > 0) & (d[1:] <= 0)) + 1
    return (i0 + (tops[-1] if tops.size else 0)) / fs
