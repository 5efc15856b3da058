"""The warm-up effect across a session's trials (SPEC.md §3).

Warm-up: relaxation time falls with repetition (CLCN1 myotonia congenita, DM1; Statland 2012b,
Logigian 2005). Paradoxical myotonia: it rises (typical of paramyotonia congenita, SCN4A).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import isotonic_regression

PATTERNS = ("warm-up", "paradoxical", "none", "inconclusive")

#: Smallest change of RT90-5 between trial 1 and the late trials called a pattern, in seconds
#: (ours). Healthy RT of 0.15–0.3 s varies by a third from grip to grip (SPEC.md §2 reference
#: values, Logigian 2005 controls ~0.4 s on all six grips), so a relative change alone is not
#: enough: the absolute change must also exceed this.
MIN_CHANGE_S = 0.25
#: Smallest relative change, as a fraction of the larger of the two levels (ours).
MIN_CHANGE_FRAC = 0.3
#: The change must exceed this many times the trial-to-trial noise: the RMS deviation of the
#: trials from the best monotone course in the direction of the change (ours).
NOISE_FACTOR = 3.0


def warmup_pattern(rt_s, *, censored=None, min_trials=3, min_change_s=MIN_CHANGE_S,
                   min_change_frac=MIN_CHANGE_FRAC, noise_factor=NOISE_FACTOR):
    """Label the trend of relaxation times over a session.

    Parameters
    ----------
    rt_s : array-like, shape (n_trials,)
        RT90-5 of each trial in trial order, in seconds. For a censored trial give the time it
        was followed for (a lower bound), or NaN if unknown.
    censored : array-like of bool, shape (n_trials,) | None
        True where the trial did not relax within its window.
    min_trials : int
        Fewer usable trials than this give 'inconclusive' (SPEC.md §3: fewer than 3).
    min_change_s, min_change_frac, noise_factor : float
        See :data:`MIN_CHANGE_S`, :data:`MIN_CHANGE_FRAC`, :data:`NOISE_FACTOR`.

    Returns
    -------
    result : dict
        ``pattern`` (one of :data:`PATTERNS`), ``rule`` (the rule in words), ``rt_first_s``,
        ``rt_late_s`` (median of the last half of the trials), ``change_s`` (first − late;
        positive for warm-up), ``change_pct`` (of the first), ``noise_s`` and ``n_usable``.

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
    look shorter.
    """
    rt = np.asarray(rt_s, dtype=float)
    cens = np.zeros(rt.size, bool) if censored is None else np.asarray(censored, bool)
    usable = np.isfinite(rt)
    rule = (f"change = RT(trial 1) - median RT(last half); pattern if |change| > "
            f"{min_change_s} s and > {min_change_frac:.0%} of the larger level; fall = warm-up, "
            f"rise = paradoxical; inconclusive if |change| < {noise_factor:g} x the RMS "
            "deviation from a monotone course, or fewer than 3 trials")
    out = {"pattern": "inconclusive", "rule": rule, "rt_first_s": np.nan, "rt_late_s": np.nan,
           "change_s": np.nan, "change_pct": np.nan, "noise_s": np.nan,
           "n_usable": int(usable.sum()), "n_censored": int(cens.sum())}
    if usable.sum() < min_trials or not usable[0]:
        out["reason"] = (f"{int(usable.sum())} usable trials (need {min_trials}, including "
                         "trial 1)")
        return out
    values = rt[usable]
    late = values[-int(np.ceil(values.size / 2)):]
    first, late_level = values[0], float(np.median(late))
    change = first - late_level
    monotone = isotonic_regression(values, increasing=change < 0).x
    noise = float(np.sqrt(np.mean((values - monotone) ** 2)))
    out.update(rt_first_s=float(first), rt_late_s=late_level, change_s=float(change),
               change_pct=float(100 * change / first) if first > 0 else np.nan, noise_s=noise)
    big = (abs(change) > min_change_s
           and abs(change) > min_change_frac * max(first, late_level))
    if big and abs(change) > noise_factor * noise:
        out["pattern"] = "warm-up" if change > 0 else "paradoxical"
        out["reason"] = f"RT90-5 {'fell' if change > 0 else 'rose'} by {abs(change):.2f} s"
    elif big:
        out["reason"] = (f"change {change:+.2f} s, but the trials scatter by {noise:.2f} s "
                         "around any monotone course: too noisy to judge")
    else:
        out["pattern"] = "none"
        out["reason"] = f"change {change:+.2f} s is within the thresholds"
    return out
