"""The quiet stretches of a recording: where noise and mains hum are judged.

During a maximal grip the interference pattern (hundreds of µV, broadband) hides a hum of
10–20 µV in a whole-session spectrum, and it inflates any noise estimate that looks at every
sample; after the release the same hum is several times the noise floor (docs: domain reference,
signal processing). So both the mains test (:func:`detect_mains`) and the noise SD behind spike
thresholds (:func:`quiet_noise_sd`) look only at **quiet blocks**: blocks of 50 ms whose RMS is at
most twice a robust low quantile of all block RMS values of the channel (:func:`quiet_blocks`). The
quantile (10 %) stays in the rest between grips whether contractions take 5 % or 50 % of the
recording.
"""

from __future__ import annotations

import numpy as np

from ..utils import validate_fs
from .streaming import BLOCK

#: Block length for the quiet test, s (ours: 50 ms, several cycles of 50/60 Hz and short
#: enough to fit between the spikes of a slow train).
QUIET_BLOCK_S = 0.05
#: Quantile of the block RMS values that is taken as the quiet level (ours: 10 %: below
#: the share of rest in any grip protocol, docs: domain reference, recording, and above the few
#: blocks that a flat or clipped stretch may hold).
QUIET_QUANTILE = 10.0
#: A block is quiet when its RMS is at most this × the quiet level (ours: 2; noise-only
#: blocks of 50 ms at ≥ 1 kHz scatter by ±20 % around their RMS).
QUIET_FACTOR = 2.0
_MAD_TO_SD = 1 / 0.6744897501960817  # median |x| of a standard normal variable


def _blocks(x, fs, block_s):
    """Reshape (..., n_times) into (..., n_blocks, n) whole blocks; the tail is dropped."""
    n = max(8, int(round(block_s * fs)))
    n_blocks = x.shape[-1] // n
    return x[..., : n_blocks * n].reshape(x.shape[:-1] + (n_blocks, n)), n


def _block_rms(rows, n, offset=None):
    """RMS about its mean of every whole block of ``n`` samples, per row; (n_rows, n_blocks).

    ``offset`` (one value per row) is subtracted first. Computed a few hundred blocks at a
    time: the same numbers as on the whole signal at once, without its temporaries.
    """
    n_blocks = rows.shape[-1] // n
    out = np.empty((rows.shape[0], n_blocks))
    per = max(1, BLOCK // n)
    for c in range(rows.shape[0]):
        for k in range(0, n_blocks, per):
            m = min(per, n_blocks - k)
            blk = rows[c, k * n:(k + m) * n].reshape(m, n)
            if offset is not None:
                blk = blk - offset[c]
            out[c, k:k + m] = np.sqrt(np.mean((blk - blk.mean(axis=-1, keepdims=True)) ** 2,
                                              axis=-1))
    return out


def quiet_blocks(x, *, fs, block_s=QUIET_BLOCK_S, quantile=QUIET_QUANTILE,
                 factor=QUIET_FACTOR, offset=None) -> tuple[np.ndarray, int]:
    """Which blocks of each channel are quiet (rest: noise and hum, no contraction).

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Signal (EMG in volts, at least high-passed so that an offset does not count).
    fs : float
        Sampling rate in Hz.
    block_s : float
        Block length, s.
    quantile : float
        Percentile of the block RMS values taken as the quiet level.
    factor : float
        A block is quiet when its RMS ≤ ``factor`` × the quiet level.
    offset : ndarray, shape (...) | None
        A value per channel subtracted from ``x`` first (e.g. its mean).

    Returns
    -------
    quiet : ndarray of bool, shape (..., n_blocks)
        True for quiet blocks (whole blocks of ``round(block_s·fs)`` samples from the start).
    n : int
        Samples per block.
    """
    fs = validate_fs(fs)
    x = np.asarray(x, dtype=float)
    n = max(8, int(round(block_s * fs)))
    rows = x.reshape(-1, x.shape[-1])
    off = None if offset is None else np.asarray(offset, dtype=float).reshape(-1)
    rms = _block_rms(rows, n, off).reshape(x.shape[:-1] + (-1,))
    if rms.shape[-1] == 0:
        return np.zeros(rms.shape, bool), n
    level = np.percentile(rms, quantile, axis=-1, keepdims=True)
    return rms <= factor * level, n


def quiet_noise_sd(x, *, fs, block_s=QUIET_BLOCK_S, max_blocks=400) -> np.ndarray | float:
    """Robust noise standard deviation of each channel, from its quiet blocks only.

    The median of ``|x|`` over the quiet blocks (:func:`quiet_blocks`) divided by 0.6745
    (Quiroga et al. 2004): a spike in a quiet block barely moves it, and contractions or dense
    discharges are not looked at. At most ``max_blocks`` quiet blocks, evenly spread, are used
    (the estimate does not need more, and long recordings stay cheap).

    Parameters
    ----------
    x : ndarray, shape (n_channels, n_times) or (n_times,)
        Band-passed EMG in volts, free of mains hum.
    fs : float
        Sampling rate in Hz.
    block_s : float
        Block length, s.
    max_blocks : int
        Most quiet blocks used per channel.

    Returns
    -------
    sigma : ndarray, shape (n_channels,) or float
        Noise SD per channel, V (a float for 1-D input).
    """
    x = np.asarray(x, dtype=float)
    was_1d = x.ndim == 1
    arr = np.atleast_2d(x)
    quiet, n = quiet_blocks(arr, fs=fs, block_s=block_s)
    blocks, _ = _blocks(arr, fs, block_s)
    out = np.empty(arr.shape[0])
    for ch in range(arr.shape[0]):
        idx = np.flatnonzero(quiet[ch])
        if idx.size == 0:  # shorter than a block: the whole signal
            out[ch] = np.median(np.abs(arr[ch])) * _MAD_TO_SD
            continue
        idx = idx[np.linspace(0, idx.size - 1, min(idx.size, max_blocks)).astype(int)]
        out[ch] = np.median(np.abs(blocks[ch, idx])) * _MAD_TO_SD
    out = np.maximum(out, np.finfo(float).tiny)
    return float(out[0]) if was_1d else out


def _segment_starts(n_times, seg_n, quiet, block_n):
    """Starts of the half-overlapping segments of ``seg_n`` samples lying in quiet blocks."""
    starts = np.arange(0, n_times - seg_n + 1, seg_n // 2)
    if starts.size == 0:
        return starts
    first = starts // block_n
    last = (starts + seg_n - 1) // block_n
    ok = last < quiet.shape[-1]
    csum = np.concatenate([[0], np.cumsum(~quiet)])
    first, last, starts = first[ok], last[ok], starts[ok]
    return starts[(csum[last + 1] - csum[first]) == 0]


def detect_mains(x, *, fs, candidates_hz=(50.0, 60.0), min_snr_db=10.0,
                 segment_s=1.0) -> float | None:
    """Say whether 50 or 60 Hz mains hum is present, judged on the quiet stretches.

    Segments of ``segment_s`` (Hann window, half overlap) that lie wholly in quiet blocks
    (:func:`quiet_blocks`) of every channel are averaged into one power spectrum (1 Hz
    resolution at 1 s); when fewer than four such segments exist, all segments are used. At each
    candidate frequency and its second and third harmonics below 0.45·fs, the peak power within
    ±1 Hz is compared with the median power 3–8 Hz away on both sides; the candidate whose best
    line stands highest wins if it stands more than ``min_snr_db`` above its neighbours.

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Signal (EMG in volts).
    fs : float
        Sampling rate in Hz.
    candidates_hz : tuple of float
        Mains frequencies to test, in Hz.
    min_snr_db : float
        How far above the neighbouring bins a line must stand, in dB (ours: 10 dB; averaged
        over ≥ 4 segments, white noise exceeds it with a probability below 1e-6, and a hum of
        3 µV over 4 µV of white noise at 1 kHz stands about 20 dB high).
    segment_s : float
        Segment length, s.

    Returns
    -------
    mains_hz : float | None
        50.0, 60.0 or None when neither stands out.
    """
    fs = validate_fs(fs)
    arr = np.asarray(x, dtype=float)
    arr = arr.reshape(-1, arr.shape[-1]) if arr.ndim > 1 else arr[None, :]
    seg_n = int(round(segment_s * fs))
    if seg_n < 16 or arr.shape[-1] < seg_n:
        return None
    means = arr.mean(axis=-1)
    quiet, block_n = quiet_blocks(arr, fs=fs, offset=means)
    quiet_all = quiet.all(axis=0)
    starts = _segment_starts(arr.shape[-1], seg_n, quiet_all, block_n)
    if starts.size < 4:
        starts = _segment_starts(arr.shape[-1], seg_n, np.ones_like(quiet_all), block_n)
    if starts.size == 0:  # no whole segment within whole blocks: too short to judge
        return None
    starts = starts[np.linspace(0, starts.size - 1, min(starts.size, 64)).astype(int)]
    win = np.hanning(seg_n)
    total = None  # the segments' spectra summed one after the other, channel by channel
    for c in range(arr.shape[0]):
        segs = arr[c, starts[:, None] + np.arange(seg_n)] - means[c]
        spec = np.abs(np.fft.rfft((segs - segs.mean(axis=-1, keepdims=True)) * win,
                                  axis=-1)) ** 2
        total = np.add.reduce(spec if total is None else np.vstack([total[None], spec]),
                              axis=0)
    psd = total / (arr.shape[0] * starts.size)
    freqs = np.fft.rfftfreq(seg_n, 1 / fs)
    best, best_ratio = None, 10 ** (min_snr_db / 10)
    for f0 in candidates_hz:
        ratios = []
        for f in (f0, 2 * f0, 3 * f0):
            if f > 0.45 * fs:
                break
            d = np.abs(freqs - f)
            peak = psd[d <= 1.0 + 1e-9].max()
            ring = psd[(d >= 3.0) & (d <= 8.0)]
            ratios.append(peak / max(np.median(ring), np.finfo(float).tiny))
        ratio = max(ratios) if ratios else 0.0
        if ratio > best_ratio:
            best, best_ratio = f0, ratio
    return best
