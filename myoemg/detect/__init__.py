"""Layer 2: events from signals (myotonic discharges and their look-alikes)."""

from .discharges import DISCHARGE_COLUMNS, KINDS, detect_discharges

__all__ = ["DISCHARGE_COLUMNS", "KINDS", "detect_discharges"]
