"""Typed result of the quality checks of a recording (:mod:`myoemg.quality`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ._base import SKIP, Result


@dataclass(frozen=True)
class QualityReport(Result):
    """The quality block of a summary: flags per channel, the rules used, the worst severity.

    Attributes
    ----------
    worst_severity : str
        'none', 'info', 'warning' or 'error'.
    n_flags : int
        Number of flags.
    channels : dict of str -> list of dict
        Channel name -> its flags (``code``, ``severity``, ``start_s``, ``end_s``, ``value``,
        ``message``), at most :data:`myoemg.quality.report.MAX_LISTED` per code and then one
        entry ``{"code", "n_more"}``.
    rules : dict of str -> dict
        Code -> ``severity`` and ``rule`` (in words), for the codes present.
    trial_rules : dict of str -> str
        The per-trial rules (force that does not return, EMG that does not cover a trial).
    flags : DataFrame
        The full flags table (:data:`myoemg.quality.FLAG_COLUMNS`); not serialised.
    """

    worst_severity: str = "none"
    n_flags: int = 0
    channels: dict = field(default_factory=dict)
    rules: dict = field(default_factory=dict)
    trial_rules: dict = field(default_factory=dict)
    flags: pd.DataFrame | None = field(default=None, repr=False, compare=False,
                                       metadata={SKIP: True})


__all__ = ["QualityReport"]
