"""Typed results of the warm-up analysis: pattern, per-measure numbers, the fit.

Definitions: docs, domain reference, warm-up.

Produced by :mod:`myoemg.metrics.warmup`; read by the grade, the report, the exports and the
batch tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._base import Result, force_key, newtons


@dataclass(frozen=True)
class PatternNumbers(Result):
    """The numbers behind a warm-up pattern label (:func:`myoemg.metrics.warmup_pattern`).

    Attributes
    ----------
    rt_first_s : float
        RT of trial 1, s.
    rt_late_s : float
        Median RT of the last half of the trials, s.
    change_s : float
        ``rt_first_s - rt_late_s``; positive for a warm-up, s.
    change_pct : float
        The change as a percentage of ``rt_first_s``.
    noise_s : float
        RMS deviation of the trials from the closest monotone course, s.
    n_usable, n_censored : int
        Trials with an RT (or a lower bound), and trials that did not relax.
    """

    rt_first_s: float = float("nan")
    rt_late_s: float = float("nan")
    change_s: float = float("nan")
    change_pct: float = float("nan")
    noise_s: float = float("nan")
    n_usable: int = 0
    n_censored: int = 0


@dataclass(frozen=True)
class Pattern(Result):
    """A pattern label with its rule (:func:`myoemg.metrics.warmup_pattern`).

    Attributes
    ----------
    pattern : str
        'warm-up', 'paradoxical', 'none' or 'inconclusive'.
    trend : str
        The label the relaxation times alone get (before the EMG evidence is considered).
    rule : str
        The rule in words.
    reason : str
        Why this label, with the numbers.
    numbers : PatternNumbers
    myotonic_evidence : bool | None
        Whether the EMG showed myotonia (None: not assessed).
    """

    pattern: str
    trend: str
    rule: str
    reason: str
    numbers: PatternNumbers
    myotonic_evidence: bool | None = None


@dataclass(frozen=True)
class CurveFit(Result):
    """Fit of RT_k = RT_inf + A·exp(−(k−1)/n) (:func:`myoemg.metrics.warmup_curve_fit`).

    Attributes
    ----------
    model : str
        The formula.
    status : str
        'ok', 'too few trials', 'failed' or 'n at bound'.
    rt_inf_s, a_s : float
        Fitted plateau and amplitude, s (A > 0 warm-up, A < 0 paradoxical).
    n_trials : float
        Fitted time constant n, in trials.
    rt_inf_se_s, a_se_s, n_trials_se : float
        Standard errors (NaN when not identifiable).
    rmse_s : float
        Residual RMS, s.
    n_used : int
        Trials fitted.
    """

    model: str = "RT_k = RT_inf + A * exp(-(k - 1) / n)"
    status: str = "too few trials"
    rt_inf_s: float = float("nan")
    rt_inf_se_s: float = float("nan")
    a_s: float = float("nan")
    a_se_s: float = float("nan")
    n_trials: float = float("nan")
    n_trials_se: float = float("nan")
    rmse_s: float = float("nan")
    n_used: int = 0


@dataclass(frozen=True)
class Plateau(Result):
    """First trial from which every later trial stays near the final level.

    Attributes
    ----------
    trial : int | None
        That trial (None with fewer than 3 finite trials or none on the plateau).
    level_s : float
        The final level: median of the last half of the trials, s.
    tolerance_s : float
        How near counts as on the plateau, s.
    """

    trial: int | None = None
    level_s: float = float("nan")
    tolerance_s: float = float("nan")


@dataclass(frozen=True)
class MeasureSummary(Result):
    """Per-session numbers of one relaxation measure (docs: domain reference, warm-up).

    Attributes
    ----------
    per_trial_s : tuple of float
        The measure per trial, s (NaN where censored).
    first_s, last_s, min_s, max_s : float
        Trial 1, last trial, minimum and maximum, s.
    warmup_s : float
        ``first_s - last_s``; positive for a warm-up, s.
    warmup_pct : float
        ``warmup_s`` as a percentage of ``first_s``.
    share_trial_1_2 : float
        Fraction of the change first − last that happens between trials 1 and 2.
    plateau_trial : int | None
        First trial on the plateau (:class:`Plateau`).
    plateau_s, plateau_tolerance_s : float
        Plateau level and tolerance, s.
    fit : CurveFit
    """

    per_trial_s: tuple
    first_s: float
    last_s: float
    min_s: float
    max_s: float
    warmup_s: float
    warmup_pct: float
    share_trial_1_2: float
    plateau_trial: int | None
    plateau_s: float
    plateau_tolerance_s: float
    fit: CurveFit


@dataclass(frozen=True)
class PeakForceCourse(Result):
    """Peak force above baseline over the trials (reported beside every RT).

    Definitions: docs, domain reference, relaxation.

    Attributes
    ----------
    per_trial : tuple of float
        Peak force per trial, in ``force_unit``.
    first, last, max : float
        Trial 1, last trial and the largest, in ``force_unit``.
    change : float
        ``last - first``, in ``force_unit``.
    change_pct : float
        The change as a percentage of ``first``.
    force_unit : str
        'N', or 'a.u.' for an uncalibrated force; serialised names carry it (``first_n`` or
        ``first_au``, :func:`~myoemg.results._base.force_key`).
    """

    per_trial: tuple
    first: float
    last: float
    max: float
    change: float
    change_pct: float
    force_unit: str = "N"

    # Newtons or NaN, for readers of the former fields.
    @property
    def per_trial_n(self) -> tuple:
        """``per_trial`` in newtons; a tuple of NaN when the force is not in newtons."""
        return newtons(self.per_trial, self.force_unit)

    @property
    def first_n(self) -> float:
        """``first`` in newtons; NaN when the force is not in newtons."""
        return newtons(self.first, self.force_unit)

    @property
    def last_n(self) -> float:
        """``last`` in newtons; NaN when the force is not in newtons."""
        return newtons(self.last, self.force_unit)

    @property
    def max_n(self) -> float:
        """``max`` in newtons; NaN when the force is not in newtons."""
        return newtons(self.max, self.force_unit)

    @property
    def change_n(self) -> float:
        """``change`` in newtons; NaN when the force is not in newtons."""
        return newtons(self.change, self.force_unit)

    def to_dict(self) -> dict:
        """Plain containers; force names carry the unit (``first_n`` or ``first_au``)."""
        u = self.force_unit
        return {"force_unit": u, force_key("per_trial", u): list(self.per_trial),
                force_key("first", u): self.first, force_key("last", u): self.last,
                force_key("max", u): self.max, force_key("change", u): self.change,
                "change_pct": self.change_pct}


@dataclass(frozen=True)
class Warmup(Result):
    """The warm-up analysis of a session (:func:`myoemg.metrics.warmup_summary`).

    Attributes
    ----------
    pattern, pattern_rule, pattern_reason, trend : str
        The label, its rule, why, and the label of the relaxation times alone.
    myotonic_evidence : bool | None
        Whether the EMG showed myotonia (None: not assessed).
    pattern_numbers : PatternNumbers
    rt90_5, rt90_50, rt50_5 : MeasureSummary | None
        Per-measure numbers (None when the measure was not given).
    peak_force : PeakForceCourse | None
    definitions : dict of str -> str
        The definitions of the numbers, in words.
    """

    pattern: str
    pattern_rule: str
    pattern_reason: str
    trend: str
    myotonic_evidence: bool | None
    pattern_numbers: PatternNumbers
    rt90_5: MeasureSummary | None = None
    rt90_50: MeasureSummary | None = None
    rt50_5: MeasureSummary | None = None
    peak_force: PeakForceCourse | None = None
    definitions: dict = field(default_factory=dict)

    def measures(self) -> list[tuple[str, MeasureSummary]]:
        """(key, MeasureSummary) of the measures present, in the order RT90-5, RT90-50, RT50-5."""
        return [(k, getattr(self, k)) for k in ("rt90_5", "rt90_50", "rt50_5")
                if getattr(self, k) is not None]

    def to_dict(self) -> dict:
        """As :meth:`Result.to_dict`, leaving out the measures that were not given."""
        out = super().to_dict()
        for key in ("rt90_5", "rt90_50", "rt50_5", "peak_force"):
            if out[key] is None:
                del out[key]
        return out


__all__ = ["CurveFit", "MeasureSummary", "Pattern", "PatternNumbers", "PeakForceCourse",
           "Plateau", "Warmup"]
