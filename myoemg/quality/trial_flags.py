"""Per-trial quality columns from the flags of a recording (:mod:`myoemg.quality`).

:func:`trial_quality` turns the flags of :func:`myoemg.quality.check_recording` into the columns
:data:`QUALITY_TRIAL_COLUMNS` of the trials table, and adds the checks that only make sense per
trial (force that does not return to baseline, EMG that does not cover the trial).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..signal import FORCE_LOWPASS_HZ, lowpass
from . import rules as R

#: Columns :func:`trial_quality` adds to the trials table.
QUALITY_TRIAL_COLUMNS = ["quality_flags", "clipped", "gap_filled", "rt_flagged",
                         "rt_flag_reason"]


def _overlaps(flags, a, b):
    start = flags["start_s"].to_numpy(float)
    end = flags["end_s"].to_numpy(float)
    whole = ~np.isfinite(start)
    return whole | ((start < b) & (end > a))


def force_return_codes(trials, force, force_filtered=None) -> list:
    """Per trial, ``['force_no_return']`` when the force has not settled back to baseline.

    Parameters
    ----------
    trials : DataFrame
        Trials with ``peak_s``, ``window_end_s`` and the peak and baseline force columns.
    force : Channel | None
        The (gap-filled) force channel.
    force_filtered : ndarray, shape (n_times,) | None
        ``force.data`` low-passed at :data:`~myoemg.signal.FORCE_LOWPASS_HZ`; computed here
        when None.

    Returns
    -------
    codes : list of list of str, one per trial
    """
    if force is None or not len(trials):
        return [[] for _ in range(len(trials))]
    xf = lowpass(force.data, fs=force.fs, cutoff_hz=FORCE_LOWPASS_HZ) \
        if force_filtered is None else np.asarray(force_filtered, dtype=float)
    return [_no_return(xf, force, tr) for tr in trials.itertuples(index=False)]


def trial_quality(trials, flags, *, force=None, emg_span_s=None,
                  force_filtered=None, no_return=None) -> pd.DataFrame:
    """Per-trial quality columns from the flags of :func:`check_recording`.

    Parameters
    ----------
    trials : DataFrame
        The trials table of :func:`myoemg.analyze` (``onset_s``, ``window_end_s``,
        ``release_s``, ``t5_s``, ``relaxed``, ``baseline_n``, ``peak_force_n`` — or
        ``baseline_au``, ``peak_force_au`` for an uncalibrated force), in recording
        time.
    flags : DataFrame
        From :func:`check_recording`.
    force : Channel | None
        The (gap-filled) force channel, for the return-to-baseline check.
    emg_span_s : (float, float) | None
        First and last time covered by the analysed EMG, in seconds.
    force_filtered : ndarray, shape (n_times,) | None
        ``force.data`` already low-passed at :data:`~myoemg.signal.FORCE_LOWPASS_HZ`, when a
        previous step has it; computed here when None.
    no_return : list of list of str | None
        :func:`force_return_codes` of these trials when a previous step has them (then
        ``force_filtered`` is not needed).

    Returns
    -------
    quality : DataFrame, same index as ``trials``
        :data:`QUALITY_TRIAL_COLUMNS`: ``quality_flags`` (codes joined by ';', '' when none),
        ``clipped`` (force or EMG saturated within the trial), ``gap_filled`` (samples
        interpolated within the trial), ``rt_flagged`` (a relaxation time was measured across
        a flagged stretch of the force, or on a flagged force channel) and ``rt_flag_reason``.
    """
    rows = []
    shown = flags[flags["severity"] != "info"] if len(flags) else flags
    if no_return is None:
        no_return = force_return_codes(trials, force, force_filtered)
    for tr, settle in zip(trials.itertuples(index=False), no_return, strict=True):
        a, b = float(tr.onset_s), float(tr.window_end_s)
        codes: list[str] = []
        reasons: list[str] = []
        hit = shown[_overlaps(shown, a, b)] if len(shown) else shown
        codes.extend(hit["code"].tolist() if len(hit) else [])
        rt_end = float(tr.t5_s) if bool(tr.relaxed) and np.isfinite(tr.t5_s) else b
        if len(hit):
            rt_hit = hit[(hit["kind"] == "force")
                         & hit["code"].map(lambda c: R.RULES[c][1]).astype(bool)
                         & _overlaps(hit, a, rt_end)]
            reasons = [f"{r.code} on {r.channel!r}: {r.message}" for r in
                       rt_hit.itertuples(index=False)]
        codes.extend(settle)
        if emg_span_s is not None and np.isfinite(tr.release_s):
            if tr.release_s < emg_span_s[0] or b > emg_span_s[1]:
                codes.append("no_emg_for_trial")
        codes = list(dict.fromkeys(codes))
        rows.append({"quality_flags": ";".join(codes), "clipped": "clipped" in codes,
                     "gap_filled": "gap_filled" in codes, "rt_flagged": bool(reasons),
                     "rt_flag_reason": "; ".join(reasons)})
    out = pd.DataFrame(rows, columns=QUALITY_TRIAL_COLUMNS, index=trials.index)
    if not len(out):
        out = out.astype({"clipped": bool, "gap_filled": bool, "rt_flagged": bool,
                          "quality_flags": object, "rt_flag_reason": object})
    return out


def _no_return(xf, force, tr):
    i1 = int(np.floor((tr.window_end_s - force.start_s) * force.fs)) + 1
    i0 = max(0, i1 - max(1, round(R.SETTLE_S * force.fs)))
    i0 = max(i0, int(np.ceil((tr.peak_s - force.start_s) * force.fs)))
    sfx = "n" if hasattr(tr, "peak_force_n") else "au"  # the unit is in the column names
    peak, base = getattr(tr, f"peak_force_{sfx}"), getattr(tr, f"baseline_{sfx}")
    if i1 <= i0 or i1 > xf.size or not peak > 0:
        return []
    residual = float(np.median(xf[i0:i1])) - base
    return ["force_no_return"] if residual > R.NO_RETURN_FRAC * peak else []


__all__ = ["QUALITY_TRIAL_COLUMNS", "force_return_codes", "trial_quality"]
