"""Relaxation times RT90-5, RT90-50 and RT50-5 of each grip (docs: domain reference, relaxation).

Definitions (the sources define only the levels, from peak force: Logigian 2005, 2010; Statland
2012b; everything else here is **ours**, as docs: domain reference, relaxation says):

- **Release** (``release_s``): the onset of the final fall of the grip — the last sustained drop
  towards baseline, not the global maximum. On the force low-passed at
  :data:`RELEASE_LOWPASS_HZ` (below physiological tremor, 8–12 Hz, so that a tremor cycle is not
  taken for the let-go), the final fall is the last steep descent (a local minimum of the slope
  reaching :data:`STEEP_FRAC` of the steepest slope since the peak) before the force passes
  :data:`ANCHOR_PCT` % of the peak for the last time; going back from its steepest point, the
  release is the first sample whose slope is no longer steeper than the hold's median slope by
  :data:`FALL_SLOPE_FRAC` of that steepest slope (sub-sample interpolated). A partial let-go
  followed by a re-grip, or an early overshoot that settles, is not the final fall.
- **Reference level** (``reference``, ``ref_force_*``): levels are percentages of
  ``(reference − baseline)`` above the baseline, ``L_p = baseline + p/100 · (reference −
  baseline)``. The QMA sources use peak force. When the force has **sagged** below
  ``100 − SAG_LIMIT_PCT`` = 90 % of the peak by the release (docs: domain reference, relaxation,
  "Sagging grips"), the reference is the force at the release: the median of the (crossing-filtered)
  force over the
  :data:`REFERENCE_WINDOW_S` before it (ours: 0.3 s, three cycles of a 10 Hz tremor, short
  enough to sit on the end of the hold), and the trial is flagged (``rt_flag_reason``). The
  same holds when the grip is clipped at the sensor's top (its peak is then unknown).
  ``sag_pct = 100 · (peak − F_release) / (peak − baseline)`` is reported for every trial — in
  DM1 and myotonia congenita transient weakness makes it of interest in itself.
- ``reference='auto'`` (default) applies that rule; ``'peak'`` gives the classic QMA numbers
  (levels from the peak, crossings searched from the peak: on a sagging grip the 90 % level is
  then crossed during the hold, and the trial is flagged); ``'release'`` always uses the force
  at the release.
- ``t5``: the first downward crossing of L5 after the release — the end of relaxation;
  ``t90``, ``t50``: the last downward crossings of L90 and L50 between the release and ``t5``
  (docs: domain reference, relaxation: "last downward crossing before relaxation"), or the release
  itself when the force there is already below the level; RT90-5 = t5 − t90 (primary outcome,
  Logigian 2010), RT90-50 = t50 − t90, RT50-5 = t5 − t50; RT100-5 = t5 − release and RT100-50 = t50
  − release (docs: domain reference, relaxation "optional", measured from the release onset);
  crossings are linearly interpolated between samples.

A trial whose force does not reach L5 before its window ends (the next grip or the end of the
recording) is **censored**: ``relaxed`` is False and RT90-5, RT50-5 and RT100-5 are NaN, never a
made-up number; RT90-50 is still given when the force passed L50.

The reaction time (``reaction_s``, :func:`reaction_times`) is the release minus the last
"relax" cue during the grip, when the recording carries cues
(:func:`myoemg.detect.trials.find_cues`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..signal import FORCE_LOWPASS_HZ, level_crossings, lowpass
from ..utils import check_option, force_suffix, validate_fs

#: Sag (percent of the peak above baseline) beyond which the levels are measured from the force
#: at the release (docs: domain reference, relaxation, "Sagging grips": "sagged below 90 % of the
#: peak").
SAG_LIMIT_PCT = 10.0
#: Window before the release whose median force is the release reference, s (ours).
REFERENCE_WINDOW_S = 0.3
#: Low-pass of the force used to find the release, Hz (ours: below physiological tremor,
#: 8–12 Hz, which a 15 Hz crossing filter keeps).
RELEASE_LOWPASS_HZ = 5.0
#: Level (percent of the peak above baseline) surely inside the final fall (ours: the 30 %
#: of :func:`myoemg.detect.trials.find_trials`, above which a grip is held).
ANCHOR_PCT = 30.0
#: The fall is steeper than the hold by more than this fraction of its steepest slope (ours).
FALL_SLOPE_FRAC = 0.1
#: A descent counts as a fall when its slope reaches this fraction of the steepest slope since
#: the peak (ours: a slow tail or the noise on it stays well below it).
STEEP_FRAC = 0.3
#: The hold's slope is the median over this long before the fall (ours), from the peak on when
#: the peak is at least MIN_HOLD_S before the fall (ours), else reaching before the peak.
HOLD_WINDOW_S = 1.0
MIN_HOLD_S = 0.3
REFERENCES = ("auto", "peak", "release")


def relaxation_columns(unit="N") -> list:
    """Columns of :func:`relaxation_times` for a force in ``unit`` ('N' or 'a.u.')."""
    return ["trial", "release_s", "t90_s", "t50_s", "t5_s", "rt90_5_s", "rt90_50_s",
            "rt50_5_s", "rt100_5_s", "rt100_50_s", "relaxed", "sag_pct", "reference",
            f"ref_force_{force_suffix(unit)}", "rt_flag_reason"]


#: Columns for a force in newtons.
RELAXATION_COLUMNS = relaxation_columns("N")


def relaxation_times(force, trials, *, fs, lowpass_hz=FORCE_LOWPASS_HZ, levels_pct=(90, 50, 5),
                     reference="auto", sag_limit_pct=SAG_LIMIT_PCT,
                     reference_window_s=REFERENCE_WINDOW_S,
                     release_lowpass_hz=RELEASE_LOWPASS_HZ, clipped=None,
                     filtered=None) -> pd.DataFrame:
    """Measure relaxation times of each trial (definitions: module docstring).

    Parameters
    ----------
    force : ndarray, shape (n_times,)
        Force, in newtons or arbitrary units (as ``trials`` says).
    trials : DataFrame
        From :func:`myoemg.detect.trials.find_trials`: needs ``trial``, ``peak_s``,
        ``window_end_s``, and ``baseline_n`` / ``peak_force_n`` (peak above baseline) — or
        ``baseline_au`` / ``peak_force_au`` for a force in arbitrary units.
    fs : float
        Sampling rate of the force, in Hz.
    lowpass_hz : float
        Zero-phase low-pass cut-off in Hz before crossings (docs: domain reference, relaxation:
        ~10–20 Hz).
    levels_pct : (float, float, float)
        The upper, middle and lower levels in percent (docs: domain reference, relaxation: 90, 50,
        5).
    reference : {'auto', 'peak', 'release'}
        What the levels are percentages of (module docstring).
    sag_limit_pct : float
        Sag beyond which 'auto' measures from the release (:data:`SAG_LIMIT_PCT`).
    reference_window_s : float
        Window before the release whose median is the release reference, s.
    release_lowpass_hz : float
        Low-pass used to find the release, Hz (:data:`RELEASE_LOWPASS_HZ`).
    clipped : array-like of bool, shape (n_trials,) | None
        Trials whose grip is clipped at the sensor's top ('auto' then measures from the
        release); None: not known.
    filtered : ndarray, shape (n_times,) | None
        ``force`` already low-passed at ``lowpass_hz`` (:func:`myoemg.signal.lowpass`, order
        4), when a previous step has it; computed here when None.

    Returns
    -------
    rt : DataFrame
        One row per trial, :func:`relaxation_columns`: ``trial``, ``release_s``, ``t90_s``,
        ``t50_s``, ``t5_s`` (times in seconds from the first sample), ``rt90_5_s``,
        ``rt90_50_s``, ``rt50_5_s``, ``rt100_5_s``, ``rt100_50_s`` (durations in seconds;
        NaN when censored), ``relaxed`` (bool), ``sag_pct`` (%), ``reference`` ('peak' or
        'release'), ``ref_force_n`` or ``ref_force_au`` (reference above baseline) and
        ``rt_flag_reason`` ('' when the numbers need no comment).

    Notes
    -----
    A single exponential decay f = e^(−t/τ) gives RT90-5 = τ·ln 18 (docs: domain reference,
    relaxation).
    """
    fs = validate_fs(fs)
    check_option("reference", reference, REFERENCES)
    unit = "N" if "peak_force_n" in trials else "a.u."
    sfx = force_suffix(unit)
    x = np.asarray(force, dtype=float)
    xf = lowpass(x, fs=fs, cutoff_hz=lowpass_hz) if filtered is None else \
        np.asarray(filtered, dtype=float)
    if xf.shape != x.shape:
        raise ValueError(f"filtered has shape {xf.shape} but the force has {x.shape}; pass "
                         "the low-passed force itself (or None).")
    xs = xf if release_lowpass_hz >= lowpass_hz else lowpass(x, fs=fs,
                                                              cutoff_hz=release_lowpass_hz)
    clip = np.zeros(len(trials), bool) if clipped is None else np.asarray(clipped, bool)
    rule = _Rule(reference, sag_limit_pct, max(1, round(reference_window_s * fs)),
                 reference_window_s, levels_pct)
    rows = []
    for tr, clip_k in zip(trials.itertuples(index=False), clip, strict=True):
        i0 = int(round(tr.peak_s * fs))
        i1 = min(xf.size, int(np.floor(tr.window_end_s * fs)) + 1)
        base, amp = getattr(tr, f"baseline_{sfx}"), getattr(tr, f"peak_force_{sfx}")
        onset = _release_onset(xs, i0, i1, fs, base, amp)
        row = _measure(xf[i0:i1], onset, fs, base, amp, rule, bool(clip_k))
        row = {k: v + i0 / fs if k.endswith("_s") and not k.startswith("rt") else v
               for k, v in row.items()}
        rows.append({"trial": tr.trial, **row, f"ref_force_{sfx}": row.pop("ref_force")})
    return pd.DataFrame(rows, columns=relaxation_columns(unit))


class _Rule:
    """The reference rule and levels of one call (see :func:`relaxation_times`)."""

    def __init__(self, reference, sag_limit_pct, n_window, window_s, levels_pct):
        self.reference, self.sag_limit_pct = reference, sag_limit_pct
        self.n_window, self.window_s, self.levels_pct = n_window, window_s, levels_pct


def _release_onset(xs, i_peak, i_end, fs, base, amp):
    """Fractional index, from the peak, of the onset of the final fall; NaN when there is none.

    ``xs`` is the release-filtered force, ``i_peak`` and ``i_end`` the trial's peak and the end
    of its window (samples). Module docstring: the final fall is the last steep descent before
    the force passes :data:`ANCHOR_PCT` % for the last time; it starts at the first sample,
    going back from its steepest point, whose slope is no longer steeper than the hold's by
    :data:`FALL_SLOPE_FRAC` of that steepest slope.
    """
    seg = xs[i_peak:i_end]
    if seg.size < 5 or not amp > 0:
        return np.nan
    j = _anchor(seg, base, amp)
    if j is None:
        return np.nan
    i_hold = max(0, i_peak - int(round(HOLD_WINDOW_S * fs)))
    slope = np.gradient(xs[i_hold:i_peak + j + 2]) * fs
    j, p = j + i_peak - i_hold, i_peak - i_hold  # indices in ``slope``
    k = _steepest_of_last_fall(slope, p, j)
    onset = _fall_start(slope, k, p, hold=0.0, steepest=slope[k])
    # Second pass: compare with the slope of the hold just before that first estimate (a
    # sagging hold falls too, more slowly); the hold starts at the peak when it is long enough.
    i_on = int(np.floor(onset))
    first = i_on - int(round(HOLD_WINDOW_S * fs))
    if i_on - p >= round(MIN_HOLD_S * fs):
        first = max(first, p)
    hold = float(np.median(slope[max(0, first):i_on + 1]))
    if hold < 0:
        onset = _fall_start(slope, k, p, hold=hold, steepest=slope[k])
    return onset - p


def _steepest_of_last_fall(slope, p, j):
    """Index of the steepest point of the last steep descent between the peak and ``j``.

    The last local minimum of the slope that reaches :data:`STEEP_FRAC` of the steepest slope
    since the peak: a slow tail after the fast fall (the anchor may lie in it) or an early
    overshoot that settles are not the let-go.
    """
    part = slope[p:j + 1]
    steepest = float(part.min())
    if part.size < 3 or not steepest < 0:
        return p + int(np.argmin(part))
    inner = (part[1:-1] <= part[:-2]) & (part[1:-1] < part[2:])
    minima = np.flatnonzero(inner & (part[1:-1] <= STEEP_FRAC * steepest)) + 1
    last = minima[-1] if minima.size else int(np.argmin(part))
    if part[-1] <= STEEP_FRAC * steepest and part[-1] < part[-2]:
        last = part.size - 1  # still steepening at the anchor
    return p + int(last)


def _anchor(seg, base, amp):
    """Sample (in ``seg``, from the peak) surely inside the final fall, or None."""
    end5 = level_crossings(seg, base + 0.05 * amp, direction="down")
    end = end5[0] if end5.size else seg.size - 1.0
    ahead = seg[: int(np.floor(end)) + 2]
    anchor = level_crossings(ahead, base + ANCHOR_PCT / 100 * amp, direction="down")
    anchor = anchor[anchor <= end]
    if not anchor.size:  # never below 30 %: the fall down to the lowest force reached
        low = int(np.argmin(ahead))
        anchor = level_crossings(ahead[: low + 1], 0.5 * (seg[0] + ahead[low]),
                                 direction="down")
        if not anchor.size:
            return None
    return int(np.floor(anchor[-1]))


def _fall_start(slope, k, p, *, hold, steepest):
    """First sample of the steep run through ``k`` (not before the peak ``p``), interpolated."""
    threshold = hold - FALL_SLOPE_FRAC * max(hold - steepest, 0.0)
    calm = np.flatnonzero(slope[: k + 1] >= threshold)
    if not calm.size or calm[-1] < p:
        return float(p)  # the fall starts at the peak
    i = calm[-1]  # last sample not yet in the fall
    s0, s1 = slope[i], slope[min(i + 1, slope.size - 1)]
    frac = (s0 - threshold) / (s0 - s1) if s0 != s1 else 0.0
    return i + float(np.clip(frac, 0.0, 1.0))


def _measure(seg, onset, fs, base, amp, rule, clipped):
    """Crossings and RTs of one trial; times in s from the start of ``seg`` (the peak)."""
    nan = np.nan
    out = {"release_s": onset / fs, "t90_s": nan, "t50_s": nan, "t5_s": nan, "rt90_5_s": nan,
           "rt90_50_s": nan, "rt50_5_s": nan, "rt100_5_s": nan, "rt100_50_s": nan,
           "relaxed": False, "sag_pct": nan, "reference": "peak", "ref_force": amp,
           "rt_flag_reason": ""}
    if not np.isfinite(onset):
        out["rt_flag_reason"] = "no fall towards baseline found after the peak"
        return out
    i_on = int(np.floor(onset))
    lo = max(0, i_on + 1 - rule.n_window)
    f_release = float(np.median(seg[lo:i_on + 1]))
    sag = 100 * (1 - (f_release - base) / amp)
    use_release = rule.reference == "release" or (
        rule.reference == "auto" and (sag > rule.sag_limit_pct or clipped))
    ref = f_release - base if use_release else amp
    start = onset if rule.reference != "peak" else 0.0
    hi, mid, lo_pct = rule.levels_pct
    t = _crossings(seg, start, onset, {p: base + p / 100 * ref for p in rule.levels_pct})
    relaxed = np.isfinite(t[lo_pct])
    out.update(t90_s=t[hi] / fs, t50_s=t[mid] / fs, t5_s=t[lo_pct] / fs,
               rt90_5_s=(t[lo_pct] - t[hi]) / fs, rt90_50_s=(t[mid] - t[hi]) / fs,
               rt50_5_s=(t[lo_pct] - t[mid]) / fs, rt100_5_s=(t[lo_pct] - onset) / fs,
               rt100_50_s=(t[mid] - onset) / fs, relaxed=bool(relaxed), sag_pct=sag,
               reference="release" if use_release else "peak", ref_force=ref,
               rt_flag_reason=_flag_reason(rule, sag, clipped, use_release))
    return out


def _crossings(seg, start, onset, levels):
    """Fractional indices of the crossings (module docstring); NaN where there is none."""
    lo_level = min(levels.values())
    i_on = int(np.floor(onset))
    down5 = level_crossings(seg[i_on:], lo_level, direction="down")
    down5 = i_on + down5[down5 + i_on >= onset]
    stop = down5[0] if down5.size else seg.size - 1.0
    out = {}
    i_start = int(np.floor(start))
    for p, level in levels.items():
        if level == lo_level:
            out[p] = down5[0] if down5.size else np.nan
            continue
        down = i_start + level_crossings(seg[i_start:int(np.floor(stop)) + 2], level,
                                         direction="down")
        down = down[(down >= start) & (down <= stop)]
        if down.size:
            out[p] = down[-1]
        elif np.interp(start, np.arange(seg.size), seg) <= level and stop > start:
            out[p] = start  # already below the level where the search starts
        else:
            out[p] = np.nan
    return out


def _flag_reason(rule, sag, clipped, use_release):
    """Why the relaxation numbers of a trial need a comment ('' when they do not)."""
    if rule.reference == "auto" and use_release:
        why = ("clipped at the sensor's top (its peak is unknown)" if clipped
               and sag <= rule.sag_limit_pct else
               f"sagged {sag:.0f} % below its peak before the let-go")
        return (f"grip {why}: levels measured from the force at the start of the final fall "
                f"(median of the {rule.window_s:g} s before it), not from the peak "
                "(docs: domain reference, "
                "relaxation, 'Sagging grips')")
    if rule.reference == "peak" and sag > rule.sag_limit_pct:
        return (f"reference='peak' on a grip that sagged {sag:.0f} % before the let-go: the "
                "90 % level is crossed during the hold, so RT90-5 includes part of it")
    return ""


def reaction_times(release_s, onset_s, cue_s) -> np.ndarray:
    """Time from the last "relax" cue during each grip to its release.

    Parameters
    ----------
    release_s, onset_s : array-like, shape (n_trials,)
        Release and onset of each grip, s.
    cue_s : array-like, shape (n_cues,)
        Times of the cues, s (same clock).

    Returns
    -------
    reaction_s : ndarray, shape (n_trials,)
        ``release − cue`` for the last cue between the onset and the release; NaN without one.
    """
    release = np.asarray(release_s, dtype=float)
    onset = np.asarray(onset_s, dtype=float)
    cues = np.sort(np.asarray(cue_s, dtype=float).ravel())
    out = np.full(release.shape, np.nan)
    if not cues.size:
        return out
    k = np.searchsorted(cues, release, side="right") - 1
    ok = (k >= 0) & np.isfinite(release)
    last = cues[np.clip(k, 0, cues.size - 1)]
    ok &= last >= onset
    out[ok] = release[ok] - last[ok]
    return out
