"""Layer 2: events from signals — grips in the force trace, discharges in the EMG.

- :func:`find_trials`: the grips (onset, hold, release) of a force trace.
- :func:`detect_discharges` / :func:`decompose`: EMG decomposed into units per channel and
  search window, each unit train named (myotonic or a look-alike) by :class:`DischargeRules`.
"""

from .discharges import (
    DISCHARGE_COLUMNS,
    SPIKE_TABLE_COLUMNS,
    TEMPLATE_COLUMNS,
    Decomposition,
    decompose,
    detect_discharges,
)
from .rules import KINDS, DischargeRules, classify_train
from .trials import find_trials

__all__ = ["DISCHARGE_COLUMNS", "KINDS", "SPIKE_TABLE_COLUMNS", "TEMPLATE_COLUMNS",
           "Decomposition", "DischargeRules", "classify_train", "decompose", "detect_discharges",
           "find_trials"]
