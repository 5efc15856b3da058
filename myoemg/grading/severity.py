"""Severity grade of grip myotonia from relaxation times, EMG evidence and peak force.

No published, validated cut-offs for grading myotonia severity from RT90-5 exist (docs: domain
reference, grading). This module makes the choice explicit: every number below is **ours** unless it
cites a source, every threshold is a keyword argument, and :func:`grade_severity` returns the rule
in words and the numbers it used, labelled :data:`DISCLAIMER`.

The rule, in brief (defaults)
-----------------------------
1. ``m_worst`` = RT90-5 of the worst trial (usually the first) ÷ ULN; a trial that never relaxed
   counts with the time it was followed for (a lower bound). ``m_plateau`` = the final level
   (median RT90-5 of the last half of the trials, :func:`myoemg.metrics.warmup.trials_to_plateau`)
   ÷ ULN.
2. Each multiple scores points: ≤ 1× ULN → 0, ≤ 2× → 1, ≤ 4× → 2, > 4× → 3 (``cutoffs_uln``).
3. ``score = points(m_worst) + points(m_plateau)`` (0–6): a myotonia that warms up to normal
   scores lower than one that persists.
4. Grade: score 0 → 0 'none', 1–2 → 1 'mild', 3–4 → 2 'moderate', 5–6 → 3 'marked'
   (``grade_bounds``).
5. EMG evidence: myotonic discharges with a score of 0 give grade 1 'mild' (electrical myotonia
   with relaxation within the ULN). Prolonged relaxation (score > 0) when the EMG was examined
   and holds **no** myotonic discharge keeps its grade with the caveat "EMG did not confirm
   myotonia" — a missed detection must not hide a prolonged relaxation — unless the EMG shows a
   slow voluntary let-go (the interference fading with the force, :mod:`myoemg.metrics.letgo`):
   then it is **not graded** (grade None), not attributed to myotonia. Without EMG (not
   assessed) the grade follows the relaxation times and says so.
6. After-activity (EMG activity after release) is reported beside the grade but not scored: on
   surface EMG a slow voluntary let-go prolongs it as much as myotonia does (docs: domain reference,
   discharges).
7. Peak force is reported in its unit (newtons, or "a.u." for an uncalibrated force); a
   largest peak below ``min_peak_force_n`` newtons adds a caveat (a weak or submaximal grip
   makes relaxation times hard to compare), without changing the grade. An uncalibrated force
   cannot be compared with newtons, so it never triggers that caveat.
8. The ULN is device-dependent (docs: domain reference, relaxation and grading). When it is unknown
   — no ``uln_rt90_5_s``, no ``device_type``, and a device that is not recognised — the
   :data:`DEFAULT_DEVICE` default is used and the grade is **provisional** (``Grade.provisional``,
   and a caveat that names what to pass).
"""

from __future__ import annotations

import math

import numpy as np

from ..metrics.warmup import trials_to_plateau
from ..results import Grade, GradeNumbers, Uln

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from typing import Any

#: Label carried by every grade (docs: domain reference, grading).
DISCLAIMER = "research use; not a validated clinical scale"

#: Names of the grades 0–3 (ours).
GRADE_LABELS = {0: "none", 1: "mild", 2: "moderate", 3: "marked"}

#: Default upper limits of normal (ULN) of RT90-5 per device type, in seconds, with how each
#: was derived. **All are ours**: the literature gives control means, and a mean is not a ULN
#: (docs: domain reference, relaxation and grading). Replace them with your own controls (mean + 2
#: SD, or the 97.5th centile).
DEVICE_ULN: dict[str, dict[str, Any]] = {
    "qma": {
        "uln_s": 0.6,
        "derivation": ("1.5 x the control mean of about 0.4 s on all six grips (QMA, n = 17; "
                       "Logigian 2005, doi:10.1002/mus.20339; docs: domain reference, relaxation). "
                       "No SD is given there, "
                       "so the factor 1.5 is ours."),
    },
    "commercial": {
        "uln_s": 0.26,
        "derivation": ("1.5 x the control mean relaxation time of 0.17 s (35 controls, commercial "
                       "dynamometer; Muscle Nerve 2019;59(4):431-435, doi:10.1002/mus.26401; the "
                       "levels the relaxation time spans are unverified, docs: domain reference, "
                       "relaxation). The "
                       "factor 1.5 is ours."),
    },
    "simulated": {
        "uln_s": 0.35,
        "derivation": ("myoemg.sim healthy sessions: RT90-5 = 0.25 s +/- 15 % (at most 0.29 s); "
                       "0.35 s leaves a margin for measurement noise (ours)."),
    },
}
#: Device type used when the device is not recognised (ours).
DEFAULT_DEVICE = "qma"
#: Points per multiple of ULN: a multiple above cut-off i scores i + 1 points (ours).
CUTOFFS_ULN = (1.0, 2.0, 4.0)
#: Smallest score of grades 1, 2 and 3 (ours).
GRADE_BOUNDS = (1, 3, 5)
#: Largest peak force below this (N) adds a weak-grip caveat (ours: about 5 kgf, far below the
#: grip of any adult who squeezes maximally).
MIN_PEAK_FORCE_N = 50.0


def resolve_uln(*, uln_rt90_5_s=None, device_type=None, device=None) -> Uln:
    """Pick the ULN of RT90-5 and say where it comes from.

    Parameters
    ----------
    uln_rt90_5_s : float | None
        An explicit ULN in seconds (wins over everything else).
    device_type : {'qma', 'commercial', 'simulated'} | None
        A key of :data:`DEVICE_ULN`.
    device : str | None
        The device as the recording names it (``metadata['device']``); 'sim' in it gives
        'simulated', 'qma' gives 'qma'.

    Returns
    -------
    uln : Uln
        ``uln_s``, ``device_type``, ``source`` (the derivation in words) and ``provisional``
        (True when the device is unknown and the :data:`DEFAULT_DEVICE` default was used).
    """
    if uln_rt90_5_s is not None:
        uln = float(uln_rt90_5_s)
        if not (math.isfinite(uln) and uln > 0):
            raise ValueError(f"uln_rt90_5_s must be a positive number of seconds, got "
                             f"{uln_rt90_5_s!r}.")
        return Uln(uln, device_type or "given", "given by the user (uln_rt90_5_s)")
    if device_type is None:
        name = str(device or "").lower()
        device_type = ("simulated" if "sim" in name else "qma" if "qma" in name
                       else "commercial" if "commercial" in name else None)
    if device_type is None:
        d = DEVICE_ULN[DEFAULT_DEVICE]
        which = f"device {device!r} not recognised" if device else "device not given"
        return Uln(d["uln_s"], DEFAULT_DEVICE,
                   f"{which}: the {DEFAULT_DEVICE} default is used ({d['derivation']}) - pass "
                   "uln_rt90_5_s for your device", provisional=True)
    if device_type not in DEVICE_ULN:
        raise ValueError(f"unknown device_type {device_type!r}; use one of "
                         f"{sorted(DEVICE_ULN)} or pass uln_rt90_5_s.")
    d = DEVICE_ULN[device_type]
    return Uln(d["uln_s"], device_type, d["derivation"])


def _points(multiple, cutoffs):
    return int(np.searchsorted(np.asarray(cutoffs, float), multiple, side="left"))


def grade_severity(rt90_5_s, *, censored=None, lower_bound_s=None, myotonic_trials=None,
                   voluntary_letgo=None, after_activity_s=None, peak_force=None,
                   force_unit="N", uln_rt90_5_s=None, device_type=None, device=None,
                   cutoffs_uln=CUTOFFS_ULN,
                   grade_bounds=GRADE_BOUNDS, min_peak_force_n=MIN_PEAK_FORCE_N) -> Grade:
    """Grade the severity of grip myotonia in one session (research use only).

    Parameters
    ----------
    rt90_5_s : array-like, shape (n_trials,)
        RT90-5 per trial in trial order, seconds; NaN where a trial did not relax.
    censored : array-like of bool, shape (n_trials,) | None
        True where a trial did not relax (default: where RT90-5 is NaN).
    lower_bound_s : array-like, shape (n_trials,) | None
        For censored trials, how long the force was followed after its 90 % crossing (s).
    myotonic_trials : array-like of bool, shape (n_trials,) | int | None
        Which trials hold myotonic discharges (or their number). None: EMG not assessed.
    voluntary_letgo : bool | None
        Whether the EMG interference fades with the force in the prolonged trials
        (:func:`myoemg.metrics.letgo.voluntary_letgo`); None: not measured.
    after_activity_s : array-like, shape (n_trials,) | None
        EMG after-activity per trial, seconds (reported, not scored).
    peak_force : array-like, shape (n_trials,) | None
        Peak force above baseline per trial, in ``force_unit``.
    force_unit : str
        'N', or 'a.u.' for an uncalibrated force (reported as such; no weak-grip caveat).
    uln_rt90_5_s, device_type, device
        The ULN of RT90-5 (see :func:`resolve_uln` and :data:`DEVICE_ULN`).
    cutoffs_uln : sequence of float
        Multiples of ULN that separate 0, 1, 2, 3 points (:data:`CUTOFFS_ULN`, ours).
    grade_bounds : (int, int, int)
        Smallest score of grades 1, 2, 3 (:data:`GRADE_BOUNDS`, ours).
    min_peak_force_n : float | None
        Weak-grip caveat below this largest peak force, newtons (:data:`MIN_PEAK_FORCE_N`);
        only for a force in newtons.

    Returns
    -------
    grade : Grade
        ``grade`` (0–3, or None when not graded), ``label`` ('none', 'mild', 'moderate',
        'marked', 'not graded'), ``text`` (one line with the disclaimer), ``reasons``,
        ``caveats``, ``numbers`` (:class:`~myoemg.results.GradeNumbers`: ULN, multiples,
        points, score, EMG and force numbers), ``uln`` (:func:`resolve_uln`), ``rule`` (the
        rule in words), ``disclaimer`` (:data:`DISCLAIMER`) and ``provisional`` (the ULN of
        the device is unknown).
    """
    rt = np.asarray(rt90_5_s, dtype=float)
    n = rt.size
    cens = ~np.isfinite(rt) if censored is None else np.asarray(censored, bool)
    bound = (np.full(n, np.nan) if lower_bound_s is None
             else np.asarray(lower_bound_s, dtype=float))
    uln = resolve_uln(uln_rt90_5_s=uln_rt90_5_s, device_type=device_type, device=device)
    u = uln.uln_s
    effective = np.where(cens & np.isfinite(bound), bound, rt)
    reasons, caveats = [], []
    numbers = {"uln_rt90_5_s": u, "n_trials": int(n), "n_censored": int(cens.sum()),
               "force_unit": force_unit}

    if np.isfinite(effective).any():
        worst_i = int(np.nanargmax(effective))
        worst = float(effective[worst_i])
        plateau = trials_to_plateau(effective).level_s
        if not math.isfinite(plateau):
            plateau = float(np.nanmedian(effective[-int(np.ceil(n / 2)):]))
    else:
        worst_i, worst, plateau = None, np.nan, np.nan
    m_worst, m_plateau = worst / u, plateau / u
    p_worst = _points(m_worst, cutoffs_uln) if math.isfinite(m_worst) else None
    p_plateau = _points(m_plateau, cutoffs_uln) if math.isfinite(m_plateau) else None
    score = (p_worst + p_plateau) if p_worst is not None and p_plateau is not None else None
    numbers.update(worst_trial=None if worst_i is None else worst_i + 1, rt90_5_worst_s=worst,
                   worst_censored=bool(worst_i is not None and cens[worst_i]),
                   rt90_5_plateau_s=plateau, multiple_uln_worst=m_worst,
                   multiple_uln_plateau=m_plateau, points_worst=p_worst,
                   points_plateau=p_plateau, score=score)

    # EMG evidence
    if myotonic_trials is None:
        n_myo, evidence = None, None
    else:
        mt = np.asarray(myotonic_trials)
        n_myo = int(mt.sum()) if mt.dtype == bool else int(mt)
        evidence = n_myo > 0
    numbers.update(n_myotonic_trials=n_myo, myotonic_evidence=evidence)
    if after_activity_s is not None:
        aa = np.asarray(after_activity_s, dtype=float)
        numbers.update(after_activity_first_s=float(aa[0]) if aa.size else np.nan,
                       after_activity_max_s=float(np.nanmax(aa)) if np.isfinite(aa).any()
                       else np.nan)
    if peak_force is not None:
        pf = np.asarray(peak_force, dtype=float)
        numbers.update(peak_force_max=float(np.nanmax(pf)) if np.isfinite(pf).any()
                       else np.nan,
                       peak_force_first=float(pf[0]) if pf.size else np.nan,
                       peak_force_change_pct=(100 * (pf[-1] - pf[0]) / pf[0]
                                              if pf.size and pf[0] > 0 else np.nan))

    # grade
    if score is None:
        grade, label = None, "not graded"
        reasons.append("no trial with a relaxation time: nothing to grade")
    else:
        grade = int(np.searchsorted(np.asarray(grade_bounds), score, side="right"))
        assert worst_i is not None  # a score comes from at least one trial
        worst_txt = (f"worst trial {worst_i + 1}: RT90-5 "
                     f"{'>= ' if numbers['worst_censored'] else ''}{worst:.2f} s = "
                     f"{m_worst:.1f} x ULN (points: {p_worst})")
        reasons.append(worst_txt)
        reasons.append(f"plateau (final level) {plateau:.2f} s = {m_plateau:.1f} x ULN "
                       f"(points: {p_plateau}); score {score}")
        if evidence is True:
            reasons.append(f"myotonic discharges in {n_myo} of {n} trials")
            if grade == 0:
                grade = 1
                reasons.append("relaxation within the ULN but myotonic discharges present: "
                               "grade 1 (electrical myotonia)")
        elif evidence is False:
            reasons.append("no myotonic discharge in any trial")
            if grade > 0 and voluntary_letgo:
                grade = None
                reasons.append("the EMG interference fades with the force (a slow voluntary "
                               "let-go): the prolonged relaxation is not attributed to "
                               "myotonia; not graded")
            elif grade > 0:
                caveats.append(
                    "EMG did not confirm myotonia: relaxation is prolonged but no myotonic "
                    "discharge was found" + (" and the EMG does not show a slow voluntary "
                                             "let-go" if voluntary_letgo is False else "")
                    + "; check the EMG by eye and ear")
        else:
            caveats.append("EMG evidence not assessed (no EMG or detection off): the grade "
                           "rests on relaxation times alone")
        label = GRADE_LABELS[grade] if grade is not None else "not graded"
    if "after_activity_max_s" in numbers and math.isfinite(numbers["after_activity_max_s"]):
        reasons.append(f"EMG after-activity up to {numbers['after_activity_max_s']:.2f} s after "
                       "release (reported, not scored)")
    if "peak_force_max" in numbers:
        _force_reasons(numbers, force_unit, min_peak_force_n, reasons, caveats)
    provisional = uln.provisional and score is not None  # a comparison with the ULN was made
    if provisional:
        caveats.append(f"provisional: the ULN of RT90-5 for this device is unknown "
                       f"({uln.source.split(':')[0]}), so the {uln.device_type} default "
                       f"{u:g} s was used; pass uln_rt90_5_s=<seconds, from your own "
                       f"controls> or device_type={sorted(DEVICE_ULN)}")
    rule = (f"multiple of ULN (RT90-5 ULN {u:g} s, {uln.device_type}) of the worst trial and "
            f"of the plateau each score points: <= {cutoffs_uln[0]:g}x 0, <= {cutoffs_uln[1]:g}x "
            f"1, <= {cutoffs_uln[2]:g}x 2, above 3; score = sum; grade 0 none (score 0), 1 mild "
            f"(>= {grade_bounds[0]}), 2 moderate (>= {grade_bounds[1]}), 3 marked "
            f"(>= {grade_bounds[2]}); myotonic discharges raise grade 0 to 1; prolonged "
            "relaxation without myotonic discharges on an examined EMG keeps its grade with "
            "the caveat 'EMG did not confirm myotonia', and is not graded when the EMG shows "
            "a slow voluntary let-go; after-activity and peak force are reported, not scored "
            "(ours; docs: domain reference, grading)")
    head = (f"grade {grade} ({label}{', provisional' if provisional else ''})"
            if grade is not None else "not graded")
    if any(c.startswith("EMG did not confirm myotonia") for c in caveats):
        head += ", EMG did not confirm myotonia"
    return Grade(grade=grade, label=label, text=f"{head} - {DISCLAIMER}",
                 reasons=tuple(reasons), caveats=tuple(caveats),
                 numbers=GradeNumbers(**numbers), uln=uln, rule=rule, disclaimer=DISCLAIMER,
                 provisional=provisional)


def _force_reasons(numbers, force_unit, min_peak_force_n, reasons, caveats):
    """The peak-force reason (in its unit) and, for newtons only, the weak-grip caveat."""
    pmax = numbers["peak_force_max"]
    digits = ".0f" if force_unit == "N" or abs(pmax) >= 100 else ".3g"
    value = f"{pmax:{digits}} {'N' if force_unit == 'N' else 'a.u.'}"
    reasons.append(f"peak force up to {value} "
                   f"({numbers['peak_force_change_pct']:+.0f} % from trial 1 to the last)")
    if force_unit != "N":
        caveats.append("force uncalibrated (a.u.): peak forces cannot be compared with "
                       "newtons or with other devices")
    elif min_peak_force_n is not None and math.isfinite(pmax) and pmax < min_peak_force_n:
        caveats.append(f"largest peak force {pmax:.0f} N is below {min_peak_force_n:g} N: "
                       "a weak or submaximal grip; relaxation times may not be comparable")
