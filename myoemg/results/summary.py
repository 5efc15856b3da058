"""Typed session-level result of :func:`myoemg.analyze`: the ``summary.json`` of a recording."""

from __future__ import annotations

from dataclasses import dataclass, field

from ._base import Result, force_key, newtons, plain
from .grade import Grade
from .quality import QualityReport
from .warmup import Warmup

_NAN = float("nan")


@dataclass(frozen=True)
class Summary(Result):
    """Session-level results, the inputs, the parameters and the package version.

    Attributes
    ----------
    version : str
        myoemg version that made the result.
    inputs : tuple of str
        The file(s) read.
    parameters : dict
        The options of the analysis (electrode, band, mains, force low-pass, grading, ...).
    force_channel : str | None
        Name of the analysed force channel.
    emg_channels : tuple of str
        Names of the analysed EMG channels.
    conversions : tuple of str
        Unit conversions made on reading.
    metadata : dict
        Non-identifying facts (subject code, muscle, side, electrode, device, ...).
    notes : tuple of str
        What the user should know: quality warnings, channels set aside, measures skipped.
    trial_myotonic_rule : str | None
        When a trial counts as myotonic (None when discharges were not detected).
    n_trials, n_relaxed : int
        Trials found, and trials whose force reached the 5 % level.
    myotonic_evidence : bool | None
        Whether any myotonic discharge was found (None: EMG not examined).
    warmup : Warmup | None
    grade : Grade | None
    rt90_5_first_s, rt90_5_last_s, rt90_5_min_s : float
        RT90-5 of trial 1, of the last trial and the minimum, s.
    force_unit : str | None
        Unit of the force: 'N', 'a.u.' (uncalibrated), or None without a force channel.
        Serialised force names carry it (``peak_force_max_n`` or ``peak_force_max_au``).
    force_flipped : bool
        True when the force trace was negative-going and was analysed flipped (a note says so).
    peak_force_max : float
        Largest peak force above baseline, in ``force_unit``.
    n_discharges : int
        Discharge trains of every kind.
    n_myotonic_discharges, n_myotonic_trials : int | None
        Myotonic trains and trials with one (None: not measured).
    quality : QualityReport | None
    discharges_measured : bool
        False when the EMG was absent or too slow for discharge detection.
    software : str
        'myoemg'.
    """

    version: str
    inputs: tuple = ()
    parameters: dict = field(default_factory=dict)
    force_channel: str | None = None
    emg_channels: tuple = ()
    conversions: tuple = ()
    metadata: dict = field(default_factory=dict)
    notes: tuple = ()
    trial_myotonic_rule: str | None = None
    n_trials: int = 0
    n_relaxed: int = 0
    myotonic_evidence: bool | None = None
    warmup: Warmup | None = None
    grade: Grade | None = None
    rt90_5_first_s: float = _NAN
    rt90_5_last_s: float = _NAN
    rt90_5_min_s: float = _NAN
    force_unit: str | None = None
    force_flipped: bool = False
    peak_force_max: float = _NAN
    n_discharges: int = 0
    n_myotonic_discharges: int | None = None
    n_myotonic_trials: int | None = None
    quality: QualityReport | None = None
    discharges_measured: bool = False
    software: str = "myoemg"

    @property
    def peak_force_max_n(self) -> float:
        """Largest peak force in newtons, NaN when the force is not in newtons."""
        return newtons(self.peak_force_max, self.force_unit)

    @property
    def pattern(self) -> str | None:
        """The warm-up pattern label ('warm-up', 'paradoxical', 'none', 'inconclusive')."""
        return self.warmup.pattern if self.warmup is not None else None

    @property
    def pattern_rule(self) -> str:
        """The rule behind :attr:`pattern`, in words."""
        return self.warmup.pattern_rule if self.warmup is not None else ""

    @property
    def pattern_reason(self) -> str:
        """Why :attr:`pattern`, with the numbers."""
        return self.warmup.pattern_reason if self.warmup is not None else ""

    def to_dict(self) -> dict:
        """The ``summary.json`` content as plain Python containers (NaN kept).

        The pattern and its rule and reason appear once, at the top level; the ``warmup``
        block holds the rest of the warm-up numbers.
        """
        warm = plain(self.warmup) if self.warmup is not None else None
        if warm is not None:
            for key in ("pattern", "pattern_rule", "pattern_reason"):
                warm.pop(key, None)
        out = {"software": self.software, "version": self.version,
               "inputs": list(self.inputs), "parameters": plain(self.parameters),
               "force_channel": self.force_channel, "emg_channels": list(self.emg_channels),
               "conversions": list(self.conversions), "metadata": plain(self.metadata),
               "notes": list(self.notes)}
        if self.trial_myotonic_rule is not None:
            out["trial_myotonic_rule"] = self.trial_myotonic_rule
        out.update({
            "n_trials": self.n_trials, "n_relaxed": self.n_relaxed, "pattern": self.pattern,
            "pattern_rule": self.pattern_rule, "pattern_reason": self.pattern_reason,
            "myotonic_evidence": self.myotonic_evidence, "warmup": warm,
            "grade": plain(self.grade), "rt90_5_first_s": self.rt90_5_first_s,
            "rt90_5_last_s": self.rt90_5_last_s, "rt90_5_min_s": self.rt90_5_min_s,
            "force_unit": self.force_unit, "force_flipped": self.force_flipped,
            force_key("peak_force_max", self.force_unit): self.peak_force_max,
            "n_discharges": self.n_discharges,
            "n_myotonic_discharges": self.n_myotonic_discharges,
            "n_myotonic_trials": self.n_myotonic_trials, "quality": plain(self.quality),
            "discharges_measured": self.discharges_measured})
        return out


__all__ = ["Summary"]
