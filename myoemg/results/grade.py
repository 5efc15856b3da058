"""Typed result of the severity grade (SPEC.md §4; research use, not a validated scale).

Produced by :func:`myoemg.grading.grade_severity`; the summary, the report's grade box and the
CLI line all read this one object, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._base import Result

_NAN = float("nan")


@dataclass(frozen=True)
class Uln(Result):
    """The upper limit of normal of RT90-5 used, and where it comes from.

    Attributes
    ----------
    uln_s : float
        ULN of RT90-5, s.
    device_type : str
        The device type whose default was used, or 'given'.
    source : str
        The derivation, in words.
    """

    uln_s: float
    device_type: str
    source: str


@dataclass(frozen=True)
class GradeNumbers(Result):
    """The numbers behind a grade (:func:`myoemg.grading.grade_severity`).

    Attributes
    ----------
    uln_rt90_5_s : float
        ULN used, s.
    n_trials, n_censored : int
        Trials, and trials that did not relax.
    worst_trial : int | None
        The trial with the longest (effective) RT90-5.
    rt90_5_worst_s, rt90_5_plateau_s : float
        Worst and plateau RT90-5, s (a lower bound for a censored worst trial).
    worst_censored : bool
        Whether the worst trial did not relax.
    multiple_uln_worst, multiple_uln_plateau : float
        Those RTs divided by the ULN.
    points_worst, points_plateau, score : int | None
        Points of each multiple and their sum.
    n_myotonic_trials : int | None
        Trials with myotonic discharges (None: EMG not assessed).
    myotonic_evidence : bool | None
    after_activity_first_s, after_activity_max_s : float
        EMG after-activity of trial 1 and the longest, s (reported, not scored).
    peak_force_max_n, peak_force_first_n : float
        Largest and trial-1 peak force, N.
    peak_force_change_pct : float
        Change of peak force from trial 1 to the last, %.
    """

    uln_rt90_5_s: float
    n_trials: int
    n_censored: int
    worst_trial: int | None = None
    rt90_5_worst_s: float = _NAN
    worst_censored: bool = False
    rt90_5_plateau_s: float = _NAN
    multiple_uln_worst: float = _NAN
    multiple_uln_plateau: float = _NAN
    points_worst: int | None = None
    points_plateau: int | None = None
    score: int | None = None
    n_myotonic_trials: int | None = None
    myotonic_evidence: bool | None = None
    after_activity_first_s: float = _NAN
    after_activity_max_s: float = _NAN
    peak_force_max_n: float = _NAN
    peak_force_first_n: float = _NAN
    peak_force_change_pct: float = _NAN


@dataclass(frozen=True)
class Grade(Result):
    """An explained severity grade.

    Attributes
    ----------
    grade : int | None
        0–3, or None when not graded.
    label : str
        'none', 'mild', 'moderate', 'marked' or 'not graded'.
    text : str
        One line with the disclaimer.
    reasons, caveats : tuple of str
        Why this grade, and what limits it.
    numbers : GradeNumbers
    uln : Uln
    rule : str
        The rule in words.
    disclaimer : str
        "research use; not a validated clinical scale".
    """

    grade: int | None
    label: str
    text: str
    reasons: tuple
    caveats: tuple
    numbers: GradeNumbers
    uln: Uln
    rule: str
    disclaimer: str


__all__ = ["Grade", "GradeNumbers", "Uln"]
