"""Layer 0: validation, errors, logging and file helpers used by every other layer."""

from ._bids import (
    EMG_EXTENSIONS,
    SOURCE_ENTITIES,
    bids_derivative_path,
    bids_entities,
    bids_recording_path,
    dataset_root,
    is_bids_emg_file,
    mne_bids,
)
from ._check import (
    FS_RANGE_HZ,
    as_2d,
    check_option,
    missing_channel,
    soft_import,
    suggest,
    summarise_names,
    validate_fs,
    validate_positive,
)
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
from ._inputs import (
    MAX_HEADER_BYTES,
    MAX_INPUT_BYTES,
    check_input_file,
    input_limit,
    input_size_limit,
    open_input,
    read_input_bytes,
)
from ._logging import logger, use_log_level, verbose
from ._threads import one_blas_thread
from ._units import (
    KGF_N,
    LBF_N,
    PRESSURE_UNITS,
    UNCALIBRATED_UNITS,
    convert_to_si,
    force_suffix,
    is_pressure,
    is_uncalibrated,
    normalise_unit,
    si_factor,
    to_si,
)

__all__ = [
    "EMG_EXTENSIONS", "SOURCE_ENTITIES", "bids_derivative_path", "bids_entities",
    "bids_recording_path", "dataset_root", "is_bids_emg_file", "mne_bids",
    "KGF_N", "LBF_N", "PRESSURE_UNITS", "UNCALIBRATED_UNITS", "convert_to_si", "force_suffix",
    "is_pressure", "is_uncalibrated", "normalise_unit", "si_factor", "to_si",
    "EXIT_CODES", "INTERNAL_ERROR", "INTERRUPTED", "USAGE_ERROR", "exit_code",
    "ChannelError", "MyoemgError", "NoTrialsError", "OutputError",
    "RecordingError", "SignalQualityError", "UnitError", "UnsupportedFormatError",
    "as_2d", "atomic_path", "check_not_input", "check_option", "logger", "missing_channel",
    "one_blas_thread", "protect_inputs", "soft_import",
    "suggest", "use_log_level", "validate_fs", "verbose", "write_text_atomic",
    "FS_RANGE_HZ", "MAX_HEADER_BYTES", "MAX_INPUT_BYTES", "check_input_file", "input_limit",
    "input_size_limit",
    "open_input", "read_input_bytes", "summarise_names", "validate_positive",
]
