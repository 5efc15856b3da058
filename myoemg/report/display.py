"""The EMG the report shows and plays: band-passed and freed of mains lines, filtered once.

The analysis removes mains hum by fitting and subtracting its harmonics, which costs most of
``analyze``'s time; the report must cost a fraction of that. It filters the EMG once, with the
band the analysis used (zero-phase Butterworth) and zero-phase notches at the mains frequency and
its first harmonics, and states that filter in the captions. Figures and audio cut their
windows from this one filtered copy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import signal as sps

from ..signal import EMG_BANDS_HZ, bandpass
from ..signal.filters import detect_mains

#: Mains harmonics notched for display (ours: hum power sits in the first three).
N_NOTCHED = 3
#: Quality factor of each notch (ours: −3 dB width f0 / 30, under 2 Hz at 50 Hz).
NOTCH_Q = 30.0
#: Seconds of EMG that 'auto' mains detection looks at (ours: enough lines, bounded cost).
_MAINS_PROBE_S = 120.0


@dataclass(frozen=True)
class DisplayEmg:
    """The filtered EMG of a recording and the filter that made it.

    Attributes
    ----------
    data : ndarray, shape (n_channels, n_times)
        Filtered EMG, V.
    fs : float
        Sampling rate, Hz.
    start_s : float
        Time of the first sample, s.
    names : list of str
        Channel names (as shown: de-identified).
    band_hz : (float, float)
        Pass band actually applied, Hz.
    mains_hz : float | None
        Mains frequency notched (None: no hum found or asked).
    """

    data: np.ndarray
    fs: float
    start_s: float
    names: list
    band_hz: tuple
    mains_hz: float | None

    def caption(self):
        """The filter in words."""
        lo, hi = self.band_hz
        text = f"EMG band-passed {lo:g}–{hi:g} Hz (4th-order Butterworth, zero-phase)"
        if self.mains_hz:
            text += (f", {self.mains_hz:g} Hz mains and its first {N_NOTCHED - 1} harmonics "
                     "notched")
        return text

    def window(self, i, t0, t1):
        """(times s, EMG V) of channel ``i`` between ``t0`` and ``t1`` s."""
        n = self.data.shape[1]
        a = int(np.clip(math.floor((t0 - self.start_s) * self.fs), 0, n))
        b = int(np.clip(math.ceil((t1 - self.start_s) * self.fs) + 1, a, n))
        return self.start_s + np.arange(a, b) / self.fs, self.data[i, a:b]

    def index(self, name):
        """Row of the channel called ``name`` (None when absent)."""
        return self.names.index(name) if name in self.names else None


def display_emg(recording, parameters, names):
    """Filter the recording's EMG once for figures and audio.

    Parameters
    ----------
    recording : Recording
        The analysed recording (EMG in V).
    parameters : dict
        ``Summary.parameters`` (``emg_band_hz``, ``mains_hz``, ``electrode``).
    names : list of str
        Channel names to show (de-identified), one per EMG channel.

    Returns
    -------
    emg : DisplayEmg | None
        None when the recording has no EMG.
    """
    if recording is None or not recording.emg:
        return None
    data, fs, _ = recording.get_data("emg")
    band = parameters.get("emg_band_hz") or EMG_BANDS_HZ[parameters.get("electrode",
                                                                       "surface")]
    lo, hi = float(band[0]), min(float(band[1]), 0.45 * fs)
    mains = parameters.get("mains_hz", "auto")
    if mains == "auto":
        mains = detect_mains(data[:, : int(_MAINS_PROBE_S * fs)], fs=fs)
    mains = float(mains) if mains else None
    y = bandpass(np.nan_to_num(data), fs=fs, l_freq=lo, h_freq=hi)
    if mains:
        freqs = [h * mains for h in range(1, N_NOTCHED + 1) if lo < h * mains < hi]
        if freqs:
            sos = np.vstack([sps.tf2sos(*sps.iirnotch(f, NOTCH_Q, fs=fs)) for f in freqs])
            y = sps.sosfiltfilt(sos, y, axis=-1)
    return DisplayEmg(y, float(fs), float(recording.emg[0].start_s), list(names), (lo, hi),
                      mains)


__all__ = ["DisplayEmg", "display_emg"]
