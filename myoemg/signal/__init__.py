"""Layer 1: array functions on (..., n_times) signals with a required ``fs`` in Hz."""

from .crossings import level_crossings
from .filters import (
    EMG_BAND_HZ,
    EMG_BANDS_HZ,
    FORCE_LOWPASS_HZ,
    bandpass,
    clean_emg,
    detect_mains,
    emg_envelope,
    lowpass,
    moving_rms,
    remove_mains,
)
from .quiet import quiet_blocks, quiet_noise_sd

__all__ = ["EMG_BAND_HZ", "EMG_BANDS_HZ", "FORCE_LOWPASS_HZ", "bandpass", "clean_emg",
           "detect_mains", "emg_envelope", "level_crossings", "lowpass", "moving_rms",
           "quiet_blocks", "quiet_noise_sd", "remove_mains"]
