"""The warm-up effect across a session's trials (docs: domain reference, warm-up).

Warm-up: relaxation time falls with repetition (CLCN1 myotonia congenita, DM1; Statland 2012b,
Logigian 2005). Paradoxical myotonia: it rises (typical of paramyotonia congenita, SCN4A).

Two entry points, both on plain arrays in trial order:

- :func:`warmup_pattern` labels the course of RT90-5 (warm-up / paradoxical / none /
  inconclusive) with the rule that produced the label;
- :func:`warmup_summary` adds the per-session numbers of docs: domain reference, warm-up (trial 1,
  last, minimum, absolute and percent warm-up, share of the change between trials 1 and 2, trials to
  plateau, exponential fit with its uncertainty) for RT90-5, RT90-50 and RT50-5, and peak force per
  trial.

The pattern describes **myotonia**, and a detector that misses the discharges must not hide it:
with ``myotonic_evidence=False`` (the EMG was examined and holds no myotonic discharge) a
warm-up or paradoxical course keeps its label with the caveat "EMG did not confirm myotonia".
It is set aside ('none') only when the EMG shows what a slow voluntary let-go looks like — the
interference fading with the force (``voluntary_letgo=True``, :mod:`myoemg.metrics.letgo`).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.optimize import isotonic_regression

from ..results import (
    CurveFit,
    MeasureSummary,
    Pattern,
    PatternNumbers,
    PeakForceCourse,
    Plateau,
    Warmup,
)

PATTERNS = ("warm-up", "paradoxical", "none", "inconclusive")

#: Smallest change of RT90-5 between trial 1 and the late trials called a pattern, in seconds
#: (ours). Healthy RT of 0.15–0.3 s varies by a third from grip to grip (docs: domain reference,
#: relaxation reference values, Logigian 2005 controls ~0.4 s on all six grips), so a relative
#: change alone is not enough: the absolute change must also exceed this.
MIN_CHANGE_S = 0.25
#: Smallest relative change, as a fraction of the larger of the two levels (ours).
MIN_CHANGE_FRAC = 0.3
#: The change must exceed this many times the trial-to-trial noise: the RMS deviation of the
#: trials from the best monotone course in the direction of the change (ours).
NOISE_FACTOR = 3.0
#: Plateau tolerance (ours): a trial is on the plateau when it lies within
#: max(PLATEAU_TOL_FRAC × final level, PLATEAU_TOL_S) of the final level.
PLATEAU_TOL_FRAC = 0.2
#: Absolute floor of the plateau tolerance in seconds (ours; about the grip-to-grip scatter of a
#: healthy RT90-5, docs: domain reference, relaxation).
PLATEAU_TOL_S = 0.1
#: Fewest relaxed trials for the exponential fit: three parameters need at least one degree of
#: freedom left for an uncertainty (docs: domain reference, warm-up asks for the uncertainty).
MIN_FIT_TRIALS = 4
#: Bounds of the fitted time constant n, in trials (ours): below 0.1 the fall is complete after
#: trial 1 and n is not identifiable; above 50 the course is a straight line over a session.
FIT_N_BOUNDS = (0.1, 50.0)

EVIDENCE_RULE = ("the pattern describes myotonia: when the EMG was examined and holds no "
                 "myotonic discharge in any trial (myotonic_evidence=False), a warm-up or "
                 "paradoxical course of the relaxation times keeps its label with the caveat "
                 "'EMG did not confirm myotonia', unless the EMG interference fades with the "
                 "force (a slow voluntary let-go, voluntary_letgo=True, "
                 "myoemg.metrics.letgo), when it is reported but not attributed to myotonia")


def warmup_pattern(rt_s, *, censored=None, myotonic_evidence=None, voluntary_letgo=None,
                   min_trials=3,
                   min_change_s=MIN_CHANGE_S, min_change_frac=MIN_CHANGE_FRAC,
                   noise_factor=NOISE_FACTOR) -> Pattern:
    """Label the trend of relaxation times over a session.

    Parameters
    ----------
    rt_s : array-like, shape (n_trials,)
        RT90-5 of each trial in trial order, in seconds. For a censored trial give the time it
        was followed for (a lower bound), or NaN if unknown.
    censored : array-like of bool, shape (n_trials,) | None
        True where the trial did not relax within its window.
    myotonic_evidence : bool | None
        Whether the session shows myotonia on EMG (e.g. at least one myotonic discharge).
        None (default): not assessed, the label follows the relaxation times alone. True: as
        None. False: the EMG was examined and shows no myotonic discharge; the label of the
        relaxation course is kept with the caveat "EMG did not confirm myotonia" (a missed
        detection must not hide a warm-up), unless ``voluntary_letgo`` is True.
    voluntary_letgo : bool | None
        Whether the EMG interference fades with the force in the prolonged trials
        (:func:`myoemg.metrics.letgo.voluntary_letgo`): with ``myotonic_evidence=False`` such a
        course is a slow voluntary let-go and the label is 'none' (``trend`` still says what
        the relaxation times did). None: not measured.
    min_trials : int
        Fewer usable trials than this give 'inconclusive' (docs: domain reference, warm-up: fewer
        than 3).
    min_change_s, min_change_frac, noise_factor : float
        See :data:`MIN_CHANGE_S`, :data:`MIN_CHANGE_FRAC`, :data:`NOISE_FACTOR`.

    Returns
    -------
    result : Pattern
        ``pattern`` (one of :data:`PATTERNS`), ``trend`` (the label the relaxation times alone
        would get), ``rule`` (the rule in words), ``reason``, ``myotonic_evidence`` and
        ``numbers`` (:class:`~myoemg.results.PatternNumbers`: ``rt_first_s``, ``rt_late_s``
        (median of the last half of the trials), ``change_s`` (first − late; positive for
        warm-up), ``change_pct`` (of the first), ``noise_s``, ``n_usable``, ``n_censored``).

    Notes
    -----
    Rule (ours): with trial 1's RT as ``first`` and the median of the last ⌈n/2⌉ trials as
    ``late``, the change ``first − late`` is a pattern when its size exceeds ``min_change_s``
    and ``min_change_frac`` × max(first, late); its sign gives warm-up (fall) or paradoxical
    (rise). The noise is the RMS deviation of the trials from the closest monotone course in
    that direction (isotonic regression): an exponential warm-up or a steady rise fits it,
    alternating long and short grips do not. A change that passes the size tests but not
    ``noise_factor`` × noise is 'inconclusive' (too noisy to judge); one that fails the size
    tests is 'none'. A censored trial enters with its lower bound, which can only make its RT
    look shorter. Comparing trial 1 with the median of the late half (rather than with the last
    trial) keeps one odd late grip from making or unmaking a pattern; a steady myotonia whose
    grips scatter by ±5 % stays 'none' because the change is far below ``min_change_frac``.
    Finally, ``myotonic_evidence=False`` turns a warm-up or paradoxical trend into 'none'
    (:data:`EVIDENCE_RULE`).
    """
    rt = np.asarray(rt_s, dtype=float)
    cens = np.zeros(rt.size, bool) if censored is None else np.asarray(censored, bool)
    usable = np.isfinite(rt)
    rule = (f"change = RT90-5(trial 1) - median RT90-5(last half of trials); pattern if "
            f"|change| > {min_change_s:g} s and > {min_change_frac:.0%} of the larger level; "
            f"fall = warm-up, rise = paradoxical; inconclusive if |change| < "
            f"{noise_factor:g} x the RMS deviation of the trials from a monotone course, or "
            f"fewer than {min_trials} usable trials; {EVIDENCE_RULE}")
    n_usable, n_censored = int(usable.sum()), int(cens.sum())
    if usable.sum() < min_trials or not usable[0]:
        reason = (f"{n_usable} usable trials (need {min_trials}, including trial 1): the "
                  "pattern cannot be judged")
        return Pattern("inconclusive", "inconclusive", rule, reason,
                       PatternNumbers(n_usable=n_usable, n_censored=n_censored),
                       myotonic_evidence)
    values = rt[usable]
    late = values[-int(np.ceil(values.size / 2)):]
    first, late_level = values[0], float(np.median(late))
    change = first - late_level
    monotone = isotonic_regression(values, increasing=change < 0).x
    noise = float(np.sqrt(np.mean((values - monotone) ** 2)))
    numbers = PatternNumbers(
        rt_first_s=float(first), rt_late_s=late_level, change_s=float(change),
        change_pct=float(100 * change / first) if first > 0 else np.nan, noise_s=noise,
        n_usable=n_usable, n_censored=n_censored)
    big = (abs(change) > min_change_s
           and abs(change) > min_change_frac * max(first, late_level))
    if big and abs(change) > noise_factor * noise:
        trend = "warm-up" if change > 0 else "paradoxical"
        reason = f"RT90-5 {'fell' if change > 0 else 'rose'} by {abs(change):.2f} s"
    elif big:
        trend = "inconclusive"
        reason = (f"change {change:+.2f} s, but the trials scatter by {noise:.2f} s around any "
                  "monotone course: too noisy to judge")
    else:
        trend = "none"
        reason = f"change {change:+.2f} s is within the thresholds"
    pattern = trend
    if myotonic_evidence is False and trend in ("warm-up", "paradoxical"):
        if voluntary_letgo:
            pattern = "none"
            reason = (f"no myotonic discharge on EMG, and the EMG interference fades with the "
                      f"force (a slow voluntary let-go): the relaxation-time trend ({trend}, "
                      f"{reason}) is not attributed to myotonia")
        else:
            reason = (f"{reason}; EMG did not confirm myotonia (no myotonic discharge found"
                      + (", and the EMG does not show a slow voluntary let-go)"
                         if voluntary_letgo is False else ")"))
    return Pattern(pattern, trend, rule, reason, numbers, myotonic_evidence)


def warmup_curve_fit(rt_s, *, trial=None, min_trials=MIN_FIT_TRIALS,
                     n_bounds=FIT_N_BOUNDS) -> CurveFit:
    """Fit RT_k = RT_∞ + A·e^(−(k−1)/n) to relaxation times over trials.

    Parameters
    ----------
    rt_s : array-like, shape (n_trials,)
        Relaxation time of each trial in seconds; NaN (censored or missing) trials are left out.
    trial : array-like of int, shape (n_trials,) | None
        Trial numbers k (1-based); default 1, 2, ….
    min_trials : int
        Fewest finite values to fit (:data:`MIN_FIT_TRIALS`).
    n_bounds : (float, float)
        Bounds of the time constant n, in trials (:data:`FIT_N_BOUNDS`).

    Returns
    -------
    fit : CurveFit
        ``status`` ('ok', 'too few trials', 'failed' or 'n at bound'), ``rt_inf_s``, ``a_s``,
        ``n_trials`` (the time constant n, in trials) and their standard errors ``*_se``
        (square roots of the diagonal of the covariance from
        :func:`scipy.optimize.curve_fit`, NaN when not identifiable), ``rmse_s`` (residual RMS),
        ``n_used`` and ``model`` (the formula).

    Notes
    -----
    A > 0 is a warm-up, A < 0 a paradoxical rise. With four trials the fit has one degree of
    freedom and its standard errors are rough; 'n at bound' means the course is a step (n at
    the lower bound) or a straight line (upper bound), and n is then not meaningful.
    """
    from scipy.optimize import OptimizeWarning, curve_fit

    y = np.asarray(rt_s, dtype=float)
    k = np.arange(1, y.size + 1, dtype=float) if trial is None else np.asarray(trial, float)
    ok = np.isfinite(y) & np.isfinite(k)
    if ok.sum() < min_trials:
        return CurveFit(n_used=int(ok.sum()))
    y, k = y[ok], k[ok]

    def model(kk, rt_inf, a, n):
        return rt_inf + a * np.exp(-(kk - 1) / n)

    p0 = (float(np.median(y[-2:])), float(y[0] - np.median(y[-2:])), 1.0)
    lo, hi = n_bounds
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OptimizeWarning)
            popt, pcov = curve_fit(model, k, y, p0=p0, maxfev=5000,
                                   bounds=([-np.inf, -np.inf, lo], [np.inf, np.inf, hi]))
    except (RuntimeError, ValueError):
        return CurveFit(status="failed", n_used=int(ok.sum()))
    se = np.sqrt(np.clip(np.diag(pcov), 0, None)) if np.all(np.isfinite(pcov)) \
        else np.full(3, np.nan)
    resid = y - model(k, *popt)
    at_bound = np.isclose(popt[2], lo, rtol=1e-3) or np.isclose(popt[2], hi, rtol=1e-3)
    return CurveFit(status="n at bound" if at_bound else "ok", rt_inf_s=float(popt[0]),
                    rt_inf_se_s=float(se[0]), a_s=float(popt[1]), a_se_s=float(se[1]),
                    n_trials=float(popt[2]), n_trials_se=float(se[2]),
                    rmse_s=float(np.sqrt(np.mean(resid ** 2))), n_used=int(ok.sum()))


def trials_to_plateau(rt_s, *, trial=None, tol_frac=PLATEAU_TOL_FRAC, tol_s=PLATEAU_TOL_S):
    """First trial from which every later trial stays near the final level.

    Parameters
    ----------
    rt_s : array-like, shape (n_trials,)
        Relaxation time of each trial in seconds; NaN counts as off the plateau.
    trial : array-like of int | None
        Trial numbers (default 1, 2, …).
    tol_frac, tol_s : float
        Tolerance: max(``tol_frac`` × final level, ``tol_s``) seconds (:data:`PLATEAU_TOL_FRAC`,
        :data:`PLATEAU_TOL_S`; ours).

    Returns
    -------
    plateau : Plateau
        ``trial`` (int, or None when fewer than 3 finite trials), ``level_s`` (the final level:
        median of the finite values of the last ⌈n/2⌉ trials) and ``tolerance_s``.
    """
    y = np.asarray(rt_s, dtype=float)
    k = np.arange(1, y.size + 1) if trial is None else np.asarray(trial, int)
    if np.isfinite(y).sum() < 3:
        return Plateau()
    late = y[-int(np.ceil(y.size / 2)):]
    level = float(np.nanmedian(late)) if np.isfinite(late).any() else np.nan
    if not math.isfinite(level):
        return Plateau()
    tol = max(tol_frac * level, tol_s)
    near = np.isfinite(y) & (np.abs(y - level) <= tol)
    # first index from which all later trials are near: scan the suffix
    off = np.flatnonzero(~near)
    first = 0 if off.size == 0 else int(off[-1]) + 1
    return Plateau(trial=int(k[first]) if first < y.size else None, level_s=level,
                   tolerance_s=float(tol))


def _measure_summary(rt, trial, fit_min_trials, tol_frac, tol_s, min_change_s):
    """Per-session numbers of one relaxation measure (docs: domain reference, warm-up)."""
    finite = np.isfinite(rt)
    first, last = (float(rt[0]), float(rt[-1])) if rt.size else (np.nan, np.nan)
    warm = first - last
    second = float(rt[1]) if rt.size > 1 else np.nan
    share = (first - second) / warm if abs(warm) >= min_change_s else np.nan
    plateau = trials_to_plateau(rt, trial=trial, tol_frac=tol_frac, tol_s=tol_s)
    return MeasureSummary(
        per_trial_s=tuple(float(v) for v in rt), first_s=first, last_s=last,
        min_s=float(np.nanmin(rt)) if finite.any() else np.nan,
        max_s=float(np.nanmax(rt)) if finite.any() else np.nan,
        warmup_s=warm, warmup_pct=100 * warm / first if first > 0 else np.nan,
        share_trial_1_2=float(share), plateau_trial=plateau.trial, plateau_s=plateau.level_s,
        plateau_tolerance_s=plateau.tolerance_s,
        fit=warmup_curve_fit(rt, trial=trial, min_trials=fit_min_trials))


def warmup_summary(rt90_5_s, *, rt90_50_s=None, rt50_5_s=None, peak_force=None,
                   force_unit="N", censored=None, lower_bound_s=None, myotonic_evidence=None,
                   voluntary_letgo=None,
                   plateau_tol_frac=PLATEAU_TOL_FRAC, plateau_tol_s=PLATEAU_TOL_S,
                   fit_min_trials=MIN_FIT_TRIALS, **pattern_kwargs) -> Warmup:
    """Per-session warm-up numbers and pattern (docs: domain reference, warm-up).

    Parameters
    ----------
    rt90_5_s : array-like, shape (n_trials,)
        RT90-5 per trial in trial order, seconds; NaN where censored.
    rt90_50_s, rt50_5_s : array-like, shape (n_trials,) | None
        RT90-50 and RT50-5 per trial, seconds (summarised the same way when given).
    peak_force : array-like, shape (n_trials,) | None
        Peak force above baseline per trial, in ``force_unit``.
    force_unit : str
        'N', or 'a.u.' for an uncalibrated force (kept beside the numbers).
    censored : array-like of bool, shape (n_trials,) | None
        True where a trial did not relax (default: where RT90-5 is NaN).
    lower_bound_s : array-like, shape (n_trials,) | None
        For censored trials, how long they were followed (s); used by the pattern rule only.
    myotonic_evidence, voluntary_letgo : bool | None
        See :func:`warmup_pattern`.
    plateau_tol_frac, plateau_tol_s : float
        Plateau tolerance (:func:`trials_to_plateau`).
    fit_min_trials : int
        Fewest relaxed trials for the exponential fit (:data:`MIN_FIT_TRIALS`).
    **pattern_kwargs
        Passed to :func:`warmup_pattern` (``min_change_s``, ``min_change_frac``, ...).

    Returns
    -------
    summary : Warmup
        ``pattern``, ``pattern_rule``, ``pattern_reason``, ``trend``, ``myotonic_evidence``,
        ``pattern_numbers``;
        ``rt90_5`` (and ``rt90_50``, ``rt50_5`` when given): a MeasureSummary with ``per_trial_s``,
        ``first_s``, ``last_s``, ``min_s``, ``max_s``, ``warmup_s`` (first − last; positive
        for a warm-up), ``warmup_pct`` (of the first), ``share_trial_1_2`` (fraction of the
        change first − last that happens between trials 1 and 2; NaN when that change is below
        ``min_change_s``), ``plateau_trial``, ``plateau_s``, ``plateau_tolerance_s`` and
        ``fit`` (:func:`warmup_curve_fit`); ``peak_force``: a PeakForceCourse with
        ``per_trial``, ``first``, ``last``, ``max``, ``change`` (last − first), ``change_pct``
        and ``force_unit``; ``definitions``: the rules in words.

    Notes
    -----
    A censored trial has no RT (NaN), so ``first_s`` is NaN when trial 1 did not relax; the
    pattern rule then sees the lower bound. Logigian 2005 found no warm-up of peak force in DM1
    (docs: domain reference, relaxation); peak force is reported beside every relaxation time.
    """
    rt = np.asarray(rt90_5_s, dtype=float)
    n = rt.size
    cens = ~np.isfinite(rt) if censored is None else np.asarray(censored, bool)
    trial = np.arange(1, n + 1)
    for_pattern = rt.copy()
    if lower_bound_s is not None:
        lb = np.asarray(lower_bound_s, float)
        for_pattern = np.where(cens, lb, rt)
    pat = warmup_pattern(for_pattern, censored=cens, myotonic_evidence=myotonic_evidence,
                         voluntary_letgo=voluntary_letgo, **pattern_kwargs)
    min_change_s = pattern_kwargs.get("min_change_s", MIN_CHANGE_S)
    measures = {}
    for name, values in (("rt90_5", rt), ("rt90_50", rt90_50_s), ("rt50_5", rt50_5_s)):
        if values is None:
            continue
        v = np.asarray(values, dtype=float)
        if v.shape != (n,):
            raise ValueError(f"{name}_s must have one value per trial ({n}), got shape "
                             f"{v.shape}.")
        measures[name] = _measure_summary(v, trial, fit_min_trials, plateau_tol_frac,
                                          plateau_tol_s, min_change_s)
    peak = None
    if peak_force is not None:
        pf = np.asarray(peak_force, dtype=float)
        first, last = (float(pf[0]), float(pf[-1])) if pf.size else (np.nan, np.nan)
        peak = PeakForceCourse(
            per_trial=tuple(float(v) for v in pf), first=first, last=last,
            max=float(np.nanmax(pf)) if np.isfinite(pf).any() else np.nan,
            change=last - first,
            change_pct=100 * (last - first) / first if first > 0 else np.nan,
            force_unit=force_unit)
    definitions = {
        "warmup_s": ("RT(trial 1) - RT(last trial); positive = warm-up "
                     "(docs: domain reference, warm-up)"),
        "warmup_pct": "warmup_s / RT(trial 1) x 100",
        "share_trial_1_2": (f"(RT1 - RT2) / (RT1 - RT_last); NaN when |RT1 - RT_last| < "
                            f"{min_change_s:g} s (ours: the ratio is noise there)"),
        "plateau_trial": (f"first trial from which every later trial lies within "
                          f"max({plateau_tol_frac:.0%} of the final level, {plateau_tol_s:g} s) "
                          "of the final level (median of the last half of the trials; ours)"),
        "fit": (f"least-squares fit of RT_k = RT_inf + A exp(-(k-1)/n) to the relaxed trials "
                f"(>= {fit_min_trials}); standard errors from the covariance "
                "(scipy.optimize.curve_fit)"),
    }
    return Warmup(pattern=pat.pattern, pattern_rule=pat.rule, pattern_reason=pat.reason,
                  trend=pat.trend, myotonic_evidence=myotonic_evidence,
                  pattern_numbers=pat.numbers, peak_force=peak, definitions=definitions,
                  **measures)
