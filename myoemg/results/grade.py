"""Typed result of the severity grade (research use, not a validated scale).

Definitions: docs, domain reference, grading.

Produced by :func:`myoemg.grading.grade_severity`; the summary, the report's grade box and the
CLI line all read this one object, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._base import Result, force_key, newtons

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
    provisional : bool
        True when the device's ULN is unknown (no ULN, no device type given, device not
        recognised) and a default was used: a grade against it is provisional.
    """

    uln_s: float
    device_type: str
    source: str
    provisional: bool = False


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
    peak_force_max, peak_force_first : float
        Largest and trial-1 peak force, in ``force_unit``.
    peak_force_change_pct : float
        Change of peak force from trial 1 to the last, %.
    force_unit : str
        'N', or 'a.u.' for an uncalibrated force; the serialised names carry it
        (``peak_force_max_n`` or ``peak_force_max_au``).
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
    peak_force_max: float = _NAN
    peak_force_first: float = _NAN
    peak_force_change_pct: float = _NAN
    force_unit: str = "N"

    # Newtons or NaN, for readers of the former fields.
    @property
    def peak_force_max_n(self) -> float:
        """``peak_force_max`` in newtons; NaN when the force is not in newtons."""
        return newtons(self.peak_force_max, self.force_unit)

    @property
    def peak_force_first_n(self) -> float:
        """``peak_force_first`` in newtons; NaN when the force is not in newtons."""
        return newtons(self.peak_force_first, self.force_unit)

    def to_dict(self) -> dict:
        """Plain containers; force names carry the unit (``peak_force_max_n`` or ``_au``)."""
        out = super().to_dict()
        for name in ("peak_force_max", "peak_force_first"):
            out[force_key(name, self.force_unit)] = out.pop(name)
        return out


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
    provisional : bool
        True when relaxation times were compared with a default ULN because the device's is
        unknown (a caveat says what to pass); the grade is then provisional.
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
    provisional: bool = False


__all__ = ["Grade", "GradeNumbers", "Uln"]
