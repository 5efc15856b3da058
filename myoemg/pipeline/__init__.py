"""``analyze``: the one place where readers, detectors and metrics meet.

:func:`analyze` (in :mod:`.core`) runs the steps: quality checks (:mod:`myoemg.quality`), the
force step (:mod:`.force_step`: grips and relaxation times), the EMG step (:mod:`.emg_step`:
after-activity, let-go ratio, discharges) and the tables (:mod:`.tables`: the trials table
and the session numbers).
"""

from ..detect.discharges import DISCHARGE_COLUMNS
from ..results import Analysis
from .core import analyze
from .emg_step import RELEASE_TOLERANCE_S
from .tables import TRIAL_MYOTONIC_RULE, TRIAL_TABLE_COLUMNS, trial_table_columns

__all__ = ["DISCHARGE_COLUMNS", "RELEASE_TOLERANCE_S", "TRIAL_MYOTONIC_RULE",
           "TRIAL_TABLE_COLUMNS", "Analysis", "analyze", "trial_table_columns"]
