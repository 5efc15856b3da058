"""Array-level signal-quality checks: gaps, clipping, flat stretches, mains, signal-to-noise.

Every function takes a 1-D signal (or a 2-D block where stated) with a required ``fs`` in Hz,
is vectorised (no per-sample Python loops) and returns numbers or run boundaries; deciding
what to flag is :mod:`myoemg.quality.session`'s job. None of the thresholds here comes from a
published source unless the docstring cites one: they are **ours**, named and documented
in :mod:`myoemg.quality.rules`.
"""

from __future__ import annotations

import numpy as np
from scipy import fft as spfft
from scipy import signal as sps

from ..signal import moving_rms
from ..signal.envelope import Envelope
from ..signal.filters import bandpass
from ..signal.streaming import BLOCK
from ..utils import validate_fs


def runs(mask) -> tuple[np.ndarray, np.ndarray]:
    """Start and stop indices (stop exclusive) of the True runs of a 1-D boolean array.

    Parameters
    ----------
    mask : ndarray of bool, shape (n_times,)
        The samples to group.

    Returns
    -------
    starts, stops : ndarray of int, shape (n_runs,)
    """
    mask = np.asarray(mask, dtype=bool).ravel()
    padded = np.zeros(mask.size + 2, np.int8)  # int8 throughout: 2 bytes a sample, not 17
    padded[1:-1] = mask
    edges = np.diff(padded)
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def merge_runs(starts, stops, max_gap) -> tuple[np.ndarray, np.ndarray]:
    """Merge runs separated by fewer than ``max_gap`` samples.

    Returns
    -------
    starts, stops : ndarray of int
    """
    starts, stops = np.asarray(starts, int), np.asarray(stops, int)
    if starts.size < 2:
        return starts, stops
    keep = np.concatenate([[True], (starts[1:] - stops[:-1]) >= max_gap])
    group = np.cumsum(keep) - 1
    new_stops = np.zeros(int(group[-1]) + 1, dtype=int)
    np.maximum.at(new_stops, group, stops)
    return starts[keep], new_stops


def find_gaps(x) -> tuple[np.ndarray, np.ndarray]:
    """Runs of missing (NaN or infinite) samples.

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        Signal, any unit.

    Returns
    -------
    starts, stops : ndarray of int
        Sample index of the first missing sample of each gap and of the first valid sample
        after it (``n_times`` for a gap that reaches the end).
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}.")
    return runs(~np.isfinite(x))


def fill_gaps(x) -> np.ndarray:
    """Linearly interpolate missing samples; gaps at either end hold the nearest valid value.

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        Signal with NaN or infinite samples.

    Returns
    -------
    y : ndarray, shape (n_times,)
        A copy with every missing sample filled (``x`` is not changed).

    Raises
    ------
    ValueError
        When no sample is valid (there is nothing to interpolate from).
    """
    x = np.asarray(x, dtype=float)
    ok = np.isfinite(x)
    if ok.all():
        return x.copy()
    if not ok.any():
        raise ValueError("every sample is missing; there is nothing to interpolate from.")
    idx = np.arange(x.size)
    y = x.copy()
    y[~ok] = np.interp(idx[~ok], idx[ok], x[ok])  # np.interp holds the edge values
    return y


def find_clipping(x, *, min_count=5) -> tuple[np.ndarray, np.ndarray]:
    """Samples stuck at the extreme values of a signal: the signature of a saturated ADC.

    On each side (maximum and minimum) the extreme value counts as a rail when it is repeated
    **exactly** at least ``min_count`` times and more often than the next distinct value inward;
    a signal that holds nothing but its two extremes, each at least ``min_count`` times (an
    amplifier swinging between the limits of its ADC), is at a rail throughout.
    A natural signal thins out towards its extremes (a continuous signal reaches its maximum
    once; a coarsely quantised one a few times, fewer than the level below); a saturated one
    piles up at the rail. (A real clipped recording, ``pulse_max.wav``, holds 158 samples at
    +32 766 and 155 at −32 767 in runs of only 1–3 samples, so a run-length rule would miss it.)

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        Signal, any unit. Non-finite samples are ignored.
    min_count : int
        Fewest samples at exactly the extreme value (ours: 5).

    Returns
    -------
    starts, stops : ndarray of int
        Runs (stop exclusive) of samples at a rail, both sides, in time order; empty when the
        signal is not clipped.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}.")
    finite = np.isfinite(x)
    if finite.sum() < min_count:
        return np.empty(0, int), np.empty(0, int)
    xs = x if finite.all() else x[finite]  # no copy of a finite signal
    del finite
    hi, lo = float(xs.max()), float(xs.min())
    if not hi > lo:
        return np.empty(0, int), np.empty(0, int)
    # the values next to each rail, inward (max below hi, min above lo), without copies
    below_hi = float(np.max(xs, where=xs < hi, initial=-np.inf))
    above_lo = float(np.min(xs, where=xs > lo, initial=np.inf))
    two_valued = below_hi <= lo  # rail to rail, nothing between
    at_rail = np.zeros(x.size, bool)
    for rail, nxt in ((hi, below_hi), (lo, above_lo)):
        n_rail = int(np.count_nonzero(xs == rail))
        if n_rail < min_count:
            continue
        if two_valued or n_rail > np.count_nonzero(xs == nxt):
            at_rail |= x == rail
    return runs(at_rail)


def beyond(x, limit):
    """Samples further than ``limit`` from the median of ``x`` (NaN samples are not).

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        Signal, any unit.
    limit : float
        Largest plausible distance from the median, in the unit of ``x``.

    Returns
    -------
    starts, stops : ndarray of int
        Runs (stop exclusive) of the samples beyond ``limit``.
    """
    x = np.asarray(x, dtype=float)
    finite = np.isfinite(x)
    if not finite.any():
        return np.empty(0, int), np.empty(0, int)
    centre = float(np.median(x if finite.all() else x[finite]))
    far = np.empty(x.size, bool)
    for a in range(0, x.size, BLOCK):  # |x - centre| a block at a time: no float temporaries
        with np.errstate(invalid="ignore"):
            np.greater(np.abs(x[a:a + BLOCK] - centre), limit, out=far[a:a + BLOCK])
    far &= finite
    return runs(far)


def constant_runs(x, *, min_len) -> tuple[np.ndarray, np.ndarray]:
    """Runs of at least ``min_len`` samples that repeat exactly the same value.

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        Signal, any unit.
    min_len : int
        Fewest samples in a run.

    Returns
    -------
    starts, stops : ndarray of int
    """
    x = np.asarray(x, dtype=float)
    if x.size < 2 or min_len < 2:
        return np.empty(0, int), np.empty(0, int)
    same = np.empty(x.size - 1, bool)  # same[i]: x[i+1] - x[i] == 0, a block at a time
    for a in range(0, x.size - 1, BLOCK):
        b = min(x.size - 1, a + BLOCK)
        np.equal(x[a + 1:b + 1] - x[a:b], 0, out=same[a:b])
    starts, stops = runs(same)
    stops = stops + 1  # a run of k equal differences spans k + 1 samples
    keep = (stops - starts) >= min_len
    return starts[keep], stops[keep]


def is_flat(x, *, abs_tol=0.0, rel_tol=1e-9) -> bool:
    """True when the finite samples of ``x`` span no more than a tolerance.

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        Signal.
    abs_tol : float
        Peak-to-peak at or below which the signal is flat, in its unit.
    rel_tol : float
        Peak-to-peak at or below ``rel_tol`` × max |x| is flat too (a constant offset with
        float noise).

    Returns
    -------
    flat : bool
    """
    x = np.asarray(x, dtype=float)
    finite = np.isfinite(x)
    if np.count_nonzero(finite) < 2:
        return True
    # max and min of the finite samples without copying them; max |x| is the larger of |max|
    # and |min|
    hi = float(np.max(x, where=finite, initial=-np.inf))
    lo = float(np.min(x, where=finite, initial=np.inf))
    return hi - lo <= max(abs_tol, rel_tol * max(abs(hi), abs(lo)))


def mains_fraction(x, *, fs, mains_hz=(50.0, 60.0), band_hz=(20.0, 450.0), n_harmonics=3,
                   half_width_hz=1.0) -> tuple[float | None, float]:
    """Share of the EMG-band power carried by mains lines (50 or 60 Hz and harmonics).

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        EMG, finite, in volts.
    fs : float
        Sampling rate in Hz.
    mains_hz : tuple of float
        Candidate mains frequencies in Hz (docs: domain reference, signal processing: 50 or 60 Hz).
    band_hz : (float, float)
        The EMG band in Hz (docs: domain reference, signal processing: 20–450 Hz by default); capped
        below 0.45·fs.
    n_harmonics : int
        Lines counted per candidate: f0, 2·f0, ... (ours: 3).
    half_width_hz : float
        Half width of each line, in Hz (ours: 1 Hz, wider than the 0.25 Hz Welch resolution).

    Returns
    -------
    f0 : float | None
        The candidate carrying the most power (None when the signal is too short or too slowly
        sampled to say).
    fraction : float
        Power in its lines ÷ power in the band, in [0, 1]; NaN when it cannot be computed.
    """
    fs = validate_fs(fs)
    x = np.asarray(x, dtype=float)
    lo, hi = band_hz[0], min(band_hz[1], 0.45 * fs)
    nperseg = int(min(x.size, round(4 * fs)))
    if hi <= lo or nperseg < 8 or not np.isfinite(x).all():
        return None, float("nan")
    freqs, psd = _welch(x, fs, nperseg)
    in_band = (freqs >= lo) & (freqs <= hi)
    total = float(psd[in_band].sum())
    if not total > 0:
        return None, float("nan")
    best, best_power = None, 0.0
    for f0 in mains_hz:
        lines = np.zeros_like(in_band)
        for k in range(1, n_harmonics + 1):
            lines |= np.abs(freqs - k * f0) <= half_width_hz
        power = float(psd[lines & in_band].sum())
        if power > best_power:
            best, best_power = float(f0), power
    return best, best_power / total


def _welch(x, fs, nperseg):
    """Welch's average of periodograms (Hann, half overlap, each segment's mean removed).

    ``scipy.signal.welch`` of ``x - mean(x)`` up to the scale, which cancels in the ratios
    :func:`mains_fraction` takes: frequencies and the mean of ``|rfft|**2`` of the windowed
    segments, computed a few segments at a time (no stack of all segments in memory).
    """
    step = nperseg - nperseg // 2
    n_seg = (x.size - nperseg) // step + 1
    win = sps.get_window("hann", nperseg)
    frames = np.lib.stride_tricks.sliding_window_view(x, nperseg)[::step]
    mean = x.mean()
    total = np.zeros(nperseg // 2 + 1)
    per = max(1, BLOCK // nperseg)
    for k in range(0, n_seg, per):
        seg = frames[k:k + per] - mean
        seg -= seg.mean(axis=-1, keepdims=True)
        seg *= win
        spec = spfft.rfft(seg, axis=-1)
        total += (spec.real**2 + spec.imag**2).sum(axis=0)
    return np.fft.rfftfreq(nperseg, 1 / fs), total / n_seg


def emg_snr_db(x, *, fs, band_hz=(20.0, 450.0), window_s=0.05, envelope=None) -> float:
    """Activity-to-rest ratio of an EMG channel, in dB.

    The 50 ms RMS envelope of the band-passed EMG is computed; its 95th percentile stands for
    contraction and its 10th percentile for rest (ours). ``20·log10(p95 / p10)``.

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        EMG in volts, finite.
    fs : float
        Sampling rate in Hz.
    band_hz : (float, float)
        Band-pass in Hz before the envelope (docs: domain reference, signal processing); the upper
        edge is kept below 0.45·fs.
    window_s : float
        RMS window in seconds (ours: 50 ms, as the after-activity envelope).
    envelope : ndarray, shape (n_times,) | Envelope | None
        A precomputed envelope (volts) to use instead, e.g. the
        :class:`~myoemg.signal.envelope.Envelope` of the analysis's cleaned EMG (its exact
        percentiles are taken without holding it whole).

    Returns
    -------
    snr_db : float
        NaN when it cannot be computed (too short, too slow); +inf when the rest is exactly 0.
    """
    fs = validate_fs(fs)
    if envelope is None:
        x = np.asarray(x, dtype=float)
        hi = min(band_hz[1], 0.45 * fs)
        if x.size < 16 or hi <= band_hz[0] or not np.isfinite(x).all():
            return float("nan")
        envelope = moving_rms(bandpass(x, fs=fs, l_freq=band_hz[0], h_freq=hi), fs=fs,
                              window_s=window_s)
    if isinstance(envelope, Envelope):
        if envelope.shape[-1] == 0:
            return float("nan")
        p10, p95 = envelope.percentiles([10, 95])[0]
    else:
        env = np.asarray(envelope, dtype=float)
        if env.size == 0 or not np.isfinite(env).all():
            return float("nan")
        p10, p95 = np.percentile(env, [10, 95])
    if p95 <= 0:
        return float("nan")
    if p10 <= 0:
        return float("inf")
    return float(20 * np.log10(p95 / p10))


def noise_sd(x) -> float:
    """Robust SD of the sample-to-sample noise: MAD of the first difference ÷ (0.6745·√2).

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        Signal, finite.

    Returns
    -------
    sd : float
        In the unit of ``x``.
    """
    x = np.asarray(x, dtype=float)
    if x.size < 3:
        return float("nan")
    d = np.diff(x)
    return float(np.median(np.abs(d - np.median(d))) / (0.6745 * np.sqrt(2)))


__all__ = ["beyond", "constant_runs", "emg_snr_db", "fill_gaps", "find_clipping", "find_gaps",
           "is_flat", "mains_fraction", "merge_runs", "noise_sd", "runs"]
