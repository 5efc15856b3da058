"""Layer 0: validation, errors, logging and file helpers used by every other layer."""

from ._check import as_2d, check_option, missing_channel, soft_import, suggest, validate_fs
from ._errors import (
    EXIT_CODES,
    INTERNAL_ERROR,
    INTERRUPTED,
    USAGE_ERROR,
    ChannelError,
    MyoemgError,
    NoTrialsError,
    OutputError,
    RecordingError,
    SignalQualityError,
    UnitError,
    UnsupportedFormatError,
    exit_code,
)
from ._files import atomic_path, check_not_input, protect_inputs, write_text_atomic
from ._logging import logger, use_log_level, verbose
from ._units import (
    KGF_N,
    LBF_N,
    UNCALIBRATED_UNITS,
    convert_to_si,
    is_uncalibrated,
    normalise_unit,
    si_factor,
    to_si,
)

__all__ = [
    "KGF_N", "LBF_N", "UNCALIBRATED_UNITS", "convert_to_si", "is_uncalibrated", "normalise_unit",
    "si_factor", "to_si",
    "EXIT_CODES", "INTERNAL_ERROR", "INTERRUPTED", "USAGE_ERROR", "exit_code",
    "ChannelError", "MyoemgError", "NoTrialsError", "OutputError",
    "RecordingError", "SignalQualityError", "UnitError", "UnsupportedFormatError",
    "as_2d", "atomic_path", "check_not_input", "check_option", "logger", "missing_channel",
    "protect_inputs", "soft_import",
    "suggest", "use_log_level", "validate_fs", "verbose", "write_text_atomic",
]
