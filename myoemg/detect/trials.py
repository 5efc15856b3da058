"""Find the grips (trials) of a session in the force trace.

A trial is a contraction whose low-passed force rises above ``threshold_frac`` of the session's
strongest grip (above the resting level) for at least ``min_hold_s`` seconds. Around it:

- **baseline**: median force of a quiet window that ends ``baseline_gap_s`` before onset
  (docs: domain reference, relaxation: "resting force before the trial"); all levels are above this
  baseline, so a dynamometer offset of a few newtons does not change them;
- **onset**: the last upward crossing of baseline + 5 % of (peak − baseline) before the peak
  (the same 5 % level as the relaxation end point);
- **peak**: maximum of the low-passed force during the contraction (docs: domain reference,
  relaxation);
- **window end**: where the next trial's rise begins (or the end of the recording): the
  relaxation of this trial is looked for before it.

The thresholds are ours (docs: domain reference, relaxation defines only the levels); each is a
keyword argument.

Force columns carry their unit (``baseline_n``, ``peak_force_n`` for newtons; ``baseline_au``,
``peak_force_au`` for a force in arbitrary units): a value that is not in newtons is never
labelled N.

:func:`find_cues` finds the "relax" cues a recording carries (EDF+ annotations, markers, a
trigger channel), for the reaction time of :func:`myoemg.metrics.relaxation.reaction_times`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..signal import FORCE_LOWPASS_HZ, level_crossings, lowpass
from ..utils import (
    ChannelError,
    NoTrialsError,
    SignalQualityError,
    force_suffix,
    logger,
    validate_fs,
    verbose,
)


def trial_columns(unit="N") -> list:
    """Columns of :func:`find_trials` for a force in ``unit`` ('N' or anything else: a.u.)."""
    sfx = force_suffix(unit)
    return ["trial", "onset_s", "peak_s", "hold_end_s", "window_end_s", f"baseline_{sfx}",
            f"peak_force_{sfx}"]


#: Columns for a force in newtons.
TRIAL_COLUMNS = trial_columns("N")


def merged_runs(mask, *, max_gap) -> tuple[np.ndarray, np.ndarray]:
    """Start and stop indices (stop exclusive) of the True runs of a 1-D boolean array.

    Runs separated by at most ``max_gap`` False samples are merged into one (a dip below a
    threshold shorter than that does not split a contraction). Shared by the grip finders of
    the force (:func:`find_trials`) and of the EMG
    (:func:`myoemg.detect.emg_bursts.find_emg_grips`).

    Parameters
    ----------
    mask : ndarray of bool, shape (n_times,)
        Where the signal is above its threshold.
    max_gap : float
        Longest gap that is bridged, in samples.

    Returns
    -------
    starts, stops : ndarray of int, shape (n_runs,)
    """
    edges = np.diff(np.concatenate([[0], np.asarray(mask).astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if not starts.size:
        return starts, stops
    keep = np.concatenate([[True], (starts[1:] - stops[:-1]) > max_gap])
    # a merged run ends where the last run of its group ends: the one before the next kept start
    return starts[keep], stops[np.concatenate([keep[1:], [True]])]


@verbose
def find_trials(force, *, fs, threshold_frac=0.3, min_hold_s=1.0, merge_gap_s=0.3,
                lowpass_hz=FORCE_LOWPASS_HZ, baseline_window_s=1.0, baseline_gap_s=0.2,
                onset_level_pct=5.0, unit="N", filtered=None, verbose=None) -> pd.DataFrame:
    """Find grips in a force trace.

    Parameters
    ----------
    force : ndarray, shape (n_times,)
        Force in newtons (or in arbitrary units: say so with ``unit``).
    fs : float
        Sampling rate of the force, in Hz.
    threshold_frac : float
        A grip must exceed this fraction of the session's strongest grip, above the resting
        level (ours: 0.3, so a submaximal grip of a third of the best still counts).
    min_hold_s : float
        Minimum time above the threshold, in seconds (ours; QMA grips last ~3 s, docs: domain
        reference, recording).
    merge_gap_s : float
        Dips below the threshold shorter than this (tremor, regrip) do not split a grip, in s.
    lowpass_hz : float
        Zero-phase low-pass before everything else, in Hz (docs: domain reference, relaxation and
        signal processing: ~10–20 Hz).
    baseline_window_s, baseline_gap_s : float
        Length of the baseline window and its distance before onset, in seconds (ours).
    onset_level_pct : float
        Onset level, percent of (peak − baseline) above baseline (ours: 5 %, as RT's end point).
    unit : str
        Unit of ``force``: 'N', or 'a.u.' for an uncalibrated force (names the columns).
    filtered : ndarray, shape (n_times,) | None
        ``force`` already low-passed at ``lowpass_hz`` (:func:`myoemg.signal.lowpass`, order
        4), when a previous step has it; computed here when None.
    verbose : bool | str | int | None
        Log level for this call.

    Returns
    -------
    trials : DataFrame
        One row per grip (:func:`trial_columns`): ``trial`` (1-based), ``onset_s``,
        ``peak_s``, ``hold_end_s`` (last time above the threshold), ``window_end_s``,
        ``baseline_n`` and ``peak_force_n`` (peak above the baseline) — ``baseline_au`` and
        ``peak_force_au`` when ``unit`` is not 'N'. Times in seconds from the first sample.

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
    xf = lowpass(x, fs=fs, cutoff_hz=lowpass_hz) if filtered is None else \
        _check_filtered(filtered, x)
    rest = np.percentile(xf, 5)
    span = xf.max() - rest
    if not span > 0 or span < 1e-6 * max(1.0, abs(rest)):
        raise NoTrialsError("force is flat: no grip found. Is this the force channel?")
    above = xf > rest + threshold_frac * span
    starts, stops = merged_runs(above, max_gap=merge_gap_s * fs)
    held_s = (stops - starts) / fs
    long_enough = held_s >= min_hold_s
    if not long_enough.any():
        raise NoTrialsError(
            f"no grip found: the force never stayed above {threshold_frac:.0%} of its range "
            f"for {min_hold_s} s ({held_s.size} shorter contraction(s), the longest "
            f"{held_s.max():.2g} s). Check the force channel, its unit, or lower min_hold_s "
            "for brief pinches.")
    starts, stops = starts[long_enough], stops[long_enough]

    sfx = force_suffix(unit)
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
                     "hold_end_s": (stop - 1) / fs, f"baseline_{sfx}": baseline,
                     f"peak_force_{sfx}": float(xf[peak_i] - baseline), "_onset_i": onset_i})
        prev_stop = stop
    trials = pd.DataFrame(rows)
    # Each relaxation window ends where the next grip starts rising.
    next_onset = trials["_onset_i"].shift(-1).to_numpy() / fs
    trials["window_end_s"] = np.where(np.isnan(next_onset), (x.size - 1) / fs, next_onset)
    logger.info("Found %d grips (force %.1f Hz, strongest %.4g %s above rest)", len(trials),
                fs, span, "N" if sfx == "n" else "a.u.")
    return trials[trial_columns(unit)]


def _check_filtered(filtered, x):
    """``filtered`` as a float array, refused unless it matches the force sample for sample."""
    xf = np.asarray(filtered, dtype=float)
    if xf.shape != x.shape:
        raise ValueError(f"filtered has shape {xf.shape} but the force has {x.shape}; pass "
                         "the low-passed force itself (or None).")
    return xf


def _onset_index(xf, baseline, peak, lo, peak_i, level_pct):
    """Fractional index of the last upward crossing of the onset level before the peak."""
    level = baseline + level_pct / 100 * (peak - baseline)
    ups = level_crossings(xf[lo:peak_i + 1], level, direction="up")
    return lo + (ups[-1] if ups.size else 0.0)


#: Default pattern of a "relax" cue in event texts and trigger-channel names (ours).
CUE_PATTERN = r"\b(relax|release|let[ _-]?go|go)\b"


def find_cues(recording, *, pattern=CUE_PATTERN, channel=None) -> np.ndarray:
    """Times of the "relax" cues a recording carries, in seconds from its start.

    Cues are events (EDF+ annotations, BrainVision markers ...) whose text matches
    ``pattern``, and the rising edges of a trigger channel: ``channel`` when given, else every
    'other' channel whose name matches ``pattern``. An edge is an upward crossing of the
    midpoint between the channel's minimum and maximum.

    Parameters
    ----------
    recording : Recording
        The session (its ``events`` and 'other' channels are searched).
    pattern : str
        Regular expression, case-insensitive (:data:`CUE_PATTERN`: 'relax', 'release',
        'let go', 'go').
    channel : str | None
        A trigger channel to use whatever its name.

    Returns
    -------
    cue_s : ndarray, shape (n_cues,)
        Sorted cue times, s.

    Raises
    ------
    ChannelError
        When ``channel`` is not in the recording.
    """
    regex = re.compile(pattern, re.IGNORECASE)
    events = recording.events
    times = [float(t) for t, d in zip(events["onset_s"], events["description"].astype(str),
                                      strict=True) if regex.search(d)]
    if channel is not None and channel not in recording:
        raise ChannelError(f"cue channel {channel!r} is not in {recording.source_name}; "
                           f"channels are {recording.ch_names}.")
    chans = ([recording[channel]] if channel is not None else
             [c for c in recording.pick("other") if regex.search(c.name)])
    for ch in chans:
        lo, hi = np.nanmin(ch.data), np.nanmax(ch.data)  # a TTL pulse is brief: not percentiles
        if hi > lo:
            ups = level_crossings(ch.data, 0.5 * (lo + hi), direction="up")
            times.extend(ch.start_s + ups / ch.fs)
    return np.sort(np.asarray(times, dtype=float))
