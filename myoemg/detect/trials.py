"""Find the grips (trials) of a session in the force trace.

A trial is a contraction whose low-passed force rises above ``threshold_frac`` of the session's
strongest grip (above the resting level) for at least ``min_hold_s`` seconds. Around it:

- **baseline**: median force of a quiet window that ends ``baseline_gap_s`` before onset
  (SPEC.md §2: "resting force before the trial"); all levels are above this baseline, so a
  dynamometer offset of a few newtons does not change them;
- **onset**: the last upward crossing of baseline + 5 % of (peak − baseline) before the peak
  (the same 5 % level as the relaxation end point);
- **peak**: maximum of the low-passed force during the contraction (SPEC.md §2);
- **window end**: where the next trial's rise begins (or the end of the recording): the
  relaxation of this trial is looked for before it.

The thresholds are ours (SPEC.md §2 defines only the levels); each is a keyword argument.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..signal import FORCE_LOWPASS_HZ, level_crossings, lowpass
from ..utils import NoTrialsError, SignalQualityError, logger, validate_fs, verbose

TRIAL_COLUMNS = ["trial", "onset_s", "peak_s", "hold_end_s", "window_end_s", "baseline_n",
                 "peak_force_n"]


def _segments(mask):
    """Start and stop indices (stop exclusive) of the True runs of a 1-D boolean array."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


@verbose
def find_trials(force, *, fs, threshold_frac=0.3, min_hold_s=1.0, merge_gap_s=0.3,
                lowpass_hz=FORCE_LOWPASS_HZ, baseline_window_s=1.0, baseline_gap_s=0.2,
                onset_level_pct=5.0, verbose=None):
    """Find grips in a force trace.

    Parameters
    ----------
    force : ndarray, shape (n_times,)
        Force in newtons.
    fs : float
        Sampling rate of the force, in Hz.
    threshold_frac : float
        A grip must exceed this fraction of the session's strongest grip, above the resting
        level (ours: 0.3, so a submaximal grip of a third of the best still counts).
    min_hold_s : float
        Minimum time above the threshold, in seconds (ours; QMA grips last ~3 s, SPEC.md §1).
    merge_gap_s : float
        Dips below the threshold shorter than this (tremor, regrip) do not split a grip, in s.
    lowpass_hz : float
        Zero-phase low-pass before everything else, in Hz (SPEC.md §2, §6: ~10–20 Hz).
    baseline_window_s, baseline_gap_s : float
        Length of the baseline window and its distance before onset, in seconds (ours).
    onset_level_pct : float
        Onset level, percent of (peak − baseline) above baseline (ours: 5 %, as RT's end point).
    verbose : bool | str | int | None
        Log level for this call.

    Returns
    -------
    trials : DataFrame
        One row per grip: ``trial`` (1-based), ``onset_s``, ``peak_s``, ``hold_end_s`` (last
        time above the threshold), ``window_end_s``, ``baseline_n``, ``peak_force_n`` (peak
        above the baseline). Times in seconds from the first sample.

    Raises
    ------
    NoTrialsError
        When no contraction reaches the threshold for ``min_hold_s``.
    SignalQualityError
        When the force holds NaNs or is flat.
    """
    fs = validate_fs(fs)
    x = np.asarray(force, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"force must be 1-D, got shape {x.shape}.")
    if not np.isfinite(x).all():
        raise SignalQualityError(f"force holds {np.count_nonzero(~np.isfinite(x))} NaN or "
                                 "infinite samples; interpolate or cut them out first.")
    min_len = max(2 * round(min_hold_s * fs), 16)
    if x.size < min_len:
        raise NoTrialsError(f"force is {x.size / fs:.2f} s long: too short to hold a grip of "
                            f"{min_hold_s} s.")
    xf = lowpass(x, fs=fs, cutoff_hz=lowpass_hz)
    rest = np.percentile(xf, 5)
    span = xf.max() - rest
    if not span > 0 or span < 1e-6 * max(1.0, abs(rest)):
        raise NoTrialsError("force is flat: no grip found. Is this the force channel?")
    above = xf > rest + threshold_frac * span
    starts, stops = _segments(above)
    # Merge segments separated by short dips.
    keep = np.concatenate([[True], (starts[1:] - stops[:-1]) > merge_gap_s * fs])
    group = np.cumsum(keep) - 1
    starts = starts[keep]
    stops = np.array([stops[group == g].max() for g in range(group.max() + 1)])
    long_enough = (stops - starts) >= min_hold_s * fs
    starts, stops = starts[long_enough], stops[long_enough]
    if starts.size == 0:
        raise NoTrialsError(
            f"no grip found: the force never stayed above {threshold_frac:.0%} of its range "
            f"for {min_hold_s} s. Check the force channel, its unit, or lower min_hold_s.")

    rows = []
    prev_stop = 0
    n_gap = round(baseline_gap_s * fs)
    n_win = max(1, round(baseline_window_s * fs))
    for k, (start, stop) in enumerate(zip(starts, stops, strict=True)):
        peak_i = start + int(np.argmax(xf[start:stop]))
        rest_k = np.percentile(xf[prev_stop:start], 10) if start > prev_stop else rest
        onset_i = _onset_index(xf, rest_k, xf[peak_i], prev_stop, peak_i, onset_level_pct)
        lo = max(prev_stop, int(onset_i) - n_gap - n_win)
        hi = max(lo + 1, int(onset_i) - n_gap)
        baseline = float(np.median(xf[lo:hi]))
        onset_i = _onset_index(xf, baseline, xf[peak_i], prev_stop, peak_i, onset_level_pct)
        rows.append({"trial": k + 1, "onset_s": onset_i / fs, "peak_s": peak_i / fs,
                     "hold_end_s": (stop - 1) / fs, "baseline_n": baseline,
                     "peak_force_n": float(xf[peak_i] - baseline), "_onset_i": onset_i})
        prev_stop = stop
    trials = pd.DataFrame(rows)
    # Each relaxation window ends where the next grip starts rising.
    next_onset = trials["_onset_i"].shift(-1).to_numpy() / fs
    trials["window_end_s"] = np.where(np.isnan(next_onset), (x.size - 1) / fs, next_onset)
    logger.info("Found %d grips (force %.1f Hz, strongest %.1f N above rest)", len(trials),
                fs, span)
    return trials[TRIAL_COLUMNS]


def _onset_index(xf, baseline, peak, lo, peak_i, level_pct):
    """Fractional index of the last upward crossing of the onset level before the peak."""
    level = baseline + level_pct / 100 * (peak - baseline)
    ups = level_crossings(xf[lo:peak_i + 1], level, direction="up")
    return lo + (ups[-1] if ups.size else 0.0)
