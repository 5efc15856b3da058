"""Zero-phase filters, mains removal and envelopes for arrays of shape (..., n_times).

All functions take a required sampling rate ``fs`` in Hz and cut-offs in Hz, filter along the
last axis and never change their input. Zero-phase second-order sections (``sosfiltfilt``) are
used throughout so that timing measurements are not shifted (docs: domain reference, signal
processing); they run block by block (:func:`myoemg.signal.streaming.sosfiltfilt_into`, the same
numbers as ``scipy.signal.sosfiltfilt`` without its full-length temporaries).
"""

from __future__ import annotations

import numpy as np
from scipy import signal as sps

from ..utils import SignalQualityError, check_option, logger, validate_fs, validate_positive
from ..utils._check import all_finite
from .envelope import moving_rms
from .mains import MAX_HARMONICS, remove_mains, subtract_mains
from .quiet import detect_mains
from .streaming import sosfiltfilt_into

__all__ = ["EMG_BAND_HZ", "EMG_BANDS_HZ", "FORCE_LOWPASS_HZ", "MAX_HARMONICS", "bandpass",
           "clean_emg", "clean_emg_rows", "detect_mains", "emg_envelope", "lowpass",
           "moving_rms", "remove_mains"]

#: Default surface-EMG band, Hz: 20–450 Hz (docs: domain reference, signal processing; SENIAM,
#: Merletti 1999, De Luca 2010).
EMG_BAND_HZ = (20.0, 450.0)
#: Default EMG band by electrode, Hz (docs: domain reference, signal processing: surface 20–450 Hz;
#: needle about 10 Hz–10 kHz). Upper edges are kept below 0.45·fs by the filters.
EMG_BANDS_HZ = {"surface": EMG_BAND_HZ, "needle": (10.0, 10_000.0)}
#: Default force low-pass before level crossings, Hz (docs: domain reference, relaxation and signal
#: processing: "~10–20 Hz", ours: 15 Hz).
FORCE_LOWPASS_HZ = 15.0


#: Highest Butterworth order accepted (ours: 10). The filters run forward and backward, so the
#: effective order is twice this; the EMG and force filters use 2 to 4 (docs: domain reference,
#: signal processing), and a higher order adds nothing but ringing and, at low cut-offs, numerical
#: trouble (an order of 200 returns NaN).
MAX_ORDER = 10


def _check_order(order):
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)):
        raise TypeError(f"order must be a whole number, got {type(order).__name__}.")
    if not 1 <= order <= MAX_ORDER:
        raise ValueError(f"order={order} is outside 1..{MAX_ORDER}: a zero-phase Butterworth "
                         f"of order {MAX_ORDER} (applied twice) is already steeper than EMG and "
                         "force analysis needs.")
    return int(order)


def _check_finite(x, fs, axis):
    """Refuse NaN or infinite samples, saying where the first one is.

    A zero-phase IIR filter spreads one NaN over the whole output; filling it would invent
    signal. :func:`myoemg.quality.check_recording` fills short gaps (and flags them) before any
    filter runs, and refuses long ones.
    """
    if all_finite(x):
        return
    bad = ~np.isfinite(x)
    moved = np.moveaxis(bad, axis, -1)
    where = np.argwhere(moved)[0]
    row = f"row {tuple(int(i) for i in where[:-1])}, " if moved.ndim > 1 else ""
    raise SignalQualityError(
        f"x holds {int(bad.sum())} NaN or infinite samples (first at {row}sample "
        f"{int(where[-1])}, {where[-1] / fs:.4f} s); fill or cut them out first (short gaps: "
        "myoemg.quality.fill_gaps).")


def _check_cutoff(freq, name, fs):
    value = validate_positive(freq, name, "Hz")
    if value >= 0.45 * fs:
        raise ValueError(f"{name}={value:g} Hz is at or above 0.45·fs ({0.45 * fs:g} Hz at "
                         f"fs={fs:g} Hz); a high-pass there leaves no band.")
    return value


def _nyquist_guard(freq, fs):
    """Keep a cut-off below 0.45·fs so that the filter stays well conditioned."""
    return min(float(freq), 0.45 * fs)


def _padlen(n_times, sos):
    # sosfiltfilt's default pad is 3 * (2 * n_sections + 1); shorter signals need less.
    return min(n_times - 1, 3 * (2 * len(sos) + 1))


def bandpass(x, *, fs, l_freq, h_freq, order=4, axis=-1) -> np.ndarray:
    """Zero-phase Butterworth band-pass.

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Signal, any unit.
    fs : float
        Sampling rate in Hz.
    l_freq, h_freq : float | None
        Pass-band edges in Hz; ``None`` for a low-pass or high-pass only. ``h_freq`` is kept
        below 0.45·fs.
    order : int
        Butterworth order, 1 to :data:`MAX_ORDER` (10) (applied twice, forward and backward).
    axis : int
        Time axis.

    Returns
    -------
    y : ndarray, same shape as ``x``

    Raises
    ------
    SignalQualityError
        ``x`` holds NaN or infinite samples (a ``ValueError``; the message says where).
    ValueError
        An order outside 1..10, a cut-off that is not a finite number above 0 Hz, a high-pass
        edge at or above 0.45·fs, or an empty band.
    """
    fs = validate_fs(fs)
    sos = _design(fs, l_freq, h_freq, order)
    x = np.asarray(x, dtype=float)
    if sos is None:
        return x.copy()
    _check_finite(x, fs, axis)
    if x.shape[axis] < 2:
        return x.copy()
    moved = np.moveaxis(x, axis, -1)
    out = np.empty(moved.shape)
    padlen = _padlen(moved.shape[-1], sos)
    for idx in np.ndindex(moved.shape[:-1]):
        sosfiltfilt_into(sos, moved[idx], out[idx], padlen)
    return np.moveaxis(out, -1, axis)


def _design(fs, l_freq, h_freq, order):
    """Second-order sections of a Butterworth band-, high- or low-pass; None for no filter."""
    order = _check_order(order)
    if l_freq is not None:
        l_freq = _check_cutoff(l_freq, "l_freq", fs)
    h = None if h_freq is None else _nyquist_guard(validate_positive(h_freq, "h_freq", "Hz"),
                                                   fs)
    if l_freq is None and h is None:
        return None
    if l_freq is not None and h is not None:
        if l_freq >= h:
            raise ValueError(f"band {l_freq}-{h_freq} Hz is empty at fs={fs} Hz.")
        return sps.butter(order, [l_freq, h], btype="bandpass", fs=fs, output="sos")
    if l_freq is not None:
        return sps.butter(order, l_freq, btype="highpass", fs=fs, output="sos")
    return sps.butter(order, h, btype="lowpass", fs=fs, output="sos")


def lowpass(x, *, fs, cutoff_hz, order=4, axis=-1) -> np.ndarray:
    """Zero-phase Butterworth low-pass at ``cutoff_hz`` (Hz); see :func:`bandpass`.

    ``cutoff_hz`` must be a finite number above 0 (it is kept below 0.45·fs); NaN samples and
    orders outside 1..10 are refused as in :func:`bandpass`.
    """
    if cutoff_hz is None:
        raise ValueError("cutoff_hz (low-pass cut-off in Hz) is required; got None.")
    return bandpass(x, fs=fs, l_freq=None, h_freq=cutoff_hz, order=order, axis=axis)


def clean_emg(x, *, fs, band_hz=EMG_BAND_HZ, mains_hz="auto") -> np.ndarray:
    """Band-pass EMG and remove mains hum: the preprocessing every EMG measure starts from.

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        EMG in volts.
    fs : float
        Sampling rate in Hz (≥ 1 kHz for surface EMG, docs: domain reference, signal processing).
    band_hz : (float, float)
        Pass band in Hz; the upper edge is kept below 0.45·fs. Default 20–450 Hz (docs: domain
        reference, signal processing); use about (10, 10000) for needle EMG.
    mains_hz : 'auto' | float | None
        See :func:`remove_mains`.

    Returns
    -------
    y : ndarray, same shape as ``x``, in volts
    """
    fs = validate_fs(fs)
    x = np.asarray(x, dtype=float)
    if x.ndim == 0:
        raise ValueError("x must have a time axis, shape (..., n_times).")
    rows = x.reshape(-1, x.shape[-1])
    return clean_emg_rows(list(rows), fs=fs, band_hz=band_hz, mains_hz=mains_hz)[0].reshape(
        x.shape)


def clean_emg_rows(rows, *, fs, band_hz=EMG_BAND_HZ, mains_hz="auto"):
    """:func:`clean_emg` of channels given one by one, into one new (n_channels, n_times) array.

    The channels are not stacked first: the output is the only full-length array made (the
    high-pass is written into it, the hum subtracted and the low-pass applied in place).

    Parameters
    ----------
    rows : sequence of ndarray, shape (n_times,) each
        EMG channels of one rate and length, in volts.
    fs, band_hz, mains_hz
        See :func:`clean_emg`.

    Returns
    -------
    cleaned : ndarray, shape (n_channels, n_times)
    mains_hz : float | None
        The mains frequency whose harmonics were fitted (detected when ``mains_hz='auto'``)
        before its refinement, None when none was removed.
    """
    fs = validate_fs(fs)
    high = _design(fs, band_hz[0], None, 4)
    low = _design(fs, None, band_hz[1], 4)
    rows = [np.asarray(r, dtype=float) for r in rows]
    n = rows[0].shape[-1] if rows else 0
    out = np.empty((len(rows), n))
    for i, row in enumerate(rows):
        if row.shape != (n,):
            raise ValueError(f"EMG rows must share one length; row {i} has shape {row.shape}, "
                             f"row 0 has {n} samples.")
        if high is None or n < 2:
            out[i] = row
        else:
            _check_finite(row, fs, -1)
            sosfiltfilt_into(high, row, out[i], _padlen(n, high))
    if isinstance(mains_hz, str):
        check_option("mains_hz", mains_hz, ("auto",))
        mains_hz = detect_mains(out, fs=fs)
        logger.debug("mains detected: %s", mains_hz)
    if mains_hz is not None and n >= 4:
        subtract_mains(out, fs=fs, mains_hz=mains_hz)
    if low is not None and n >= 2:
        for i in range(len(rows)):
            if high is None:
                _check_finite(out[i], fs, -1)
            sosfiltfilt_into(low, out[i], out[i], _padlen(n, low))
    return out, mains_hz


def emg_envelope(x, *, fs, window_s=0.05, band_hz=EMG_BAND_HZ, mains_hz="auto") -> np.ndarray:
    """Moving-RMS envelope of cleaned EMG (:func:`clean_emg` then :func:`moving_rms`).

    Returns
    -------
    envelope : ndarray, same shape as ``x``, in volts
    """
    return moving_rms(clean_emg(x, fs=fs, band_hz=band_hz, mains_hz=mains_hz), fs=fs,
                      window_s=window_s)
