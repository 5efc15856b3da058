"""Layer 2: measures from signals and trial tables (relaxation, warm-up, after-activity)."""

from .after_activity import after_activity
from .relaxation import RELAXATION_COLUMNS, relaxation_times
from .warmup import PATTERNS, warmup_curve_fit, warmup_pattern, warmup_summary

__all__ = ["PATTERNS", "RELAXATION_COLUMNS", "after_activity", "relaxation_times",
           "warmup_curve_fit", "warmup_pattern", "warmup_summary"]
