"""Layer 2: signal-quality checks that flag rather than crash.

Clipping, flat or disconnected channels, missing samples (short gaps filled and flagged, long
ones refused), mains level, low signal-to-noise, EMG sampled too slowly for discharge detection,
negative, inverted or implausible force and force that does not return to baseline. Each flag
has a short code, a severity and a message (:mod:`myoemg.quality.rules` lists them with their
thresholds); :func:`myoemg.analyze` carries them per channel into ``summary['quality']`` and per
trial into ``trials.csv``.
"""

from . import rules
from .checks import (
    constant_runs,
    emg_snr_db,
    fill_gaps,
    find_clipping,
    find_gaps,
    is_flat,
    mains_fraction,
    noise_sd,
)
from .recording_checks import (
    FLAG_COLUMNS,
    RecordingChecks,
    check_recording,
    empty_flags,
    usable_emg,
)
from .report import flag_notes, quality_summary
from .rules import RULES
from .trial_flags import QUALITY_TRIAL_COLUMNS, trial_quality

__all__ = [
    "FLAG_COLUMNS", "QUALITY_TRIAL_COLUMNS", "RULES", "RecordingChecks", "check_recording",
    "constant_runs", "emg_snr_db", "empty_flags", "fill_gaps", "flag_notes", "find_clipping",
    "find_gaps", "is_flat", "mains_fraction", "noise_sd", "quality_summary", "rules",
    "trial_quality", "usable_emg",
]
