"""Zero-phase filters, mains removal and envelopes for arrays of shape (..., n_times).

All functions take a required sampling rate ``fs`` in Hz and cut-offs in Hz, filter along the
last axis and never change their input. Zero-phase second-order sections (``sosfiltfilt``) are
used throughout so that timing measurements are not shifted (SPEC.md §6).
"""

from __future__ import annotations

import numpy as np
from scipy import signal as sps

from ..utils import SignalQualityError, check_option, logger, validate_fs, validate_positive
from .quiet import detect_mains

__all__ = ["EMG_BAND_HZ", "EMG_BANDS_HZ", "FORCE_LOWPASS_HZ", "bandpass", "clean_emg",
           "detect_mains", "emg_envelope", "lowpass", "moving_rms", "remove_mains"]

#: Default surface-EMG band, Hz: 20–450 Hz (SPEC.md §6; SENIAM, Merletti 1999, De Luca 2010).
EMG_BAND_HZ = (20.0, 450.0)
#: Default EMG band by electrode, Hz (SPEC.md §6: surface 20–450 Hz; needle about 10 Hz–10 kHz).
#: Upper edges are kept below 0.45·fs by the filters.
EMG_BANDS_HZ = {"surface": EMG_BAND_HZ, "needle": (10.0, 10_000.0)}
#: Default force low-pass before level crossings, Hz (SPEC.md §2, §6: "~10–20 Hz", ours: 15 Hz).
FORCE_LOWPASS_HZ = 15.0


#: Highest Butterworth order accepted (ours: 10). The filters run forward and backward, so the
#: effective order is twice this; the EMG and force filters use 2 to 4 (SPEC.md §6), and a
#: higher order adds nothing but ringing and, at low cut-offs, numerical trouble (an order of
#: 200 returns NaN).
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
    bad = ~np.isfinite(x)
    if not bad.any():
        return
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


def bandpass(x, *, fs, l_freq, h_freq, order=4, axis=-1):
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
    order = _check_order(order)
    x = np.asarray(x, dtype=float)
    if l_freq is not None:
        l_freq = _check_cutoff(l_freq, "l_freq", fs)
    h = None if h_freq is None else _nyquist_guard(validate_positive(h_freq, "h_freq", "Hz"),
                                                   fs)
    if l_freq is None and h is None:
        return x.copy()
    _check_finite(x, fs, axis)
    if l_freq is not None and h is not None:
        if l_freq >= h:
            raise ValueError(f"band {l_freq}-{h_freq} Hz is empty at fs={fs} Hz.")
        sos = sps.butter(order, [l_freq, h], btype="bandpass", fs=fs, output="sos")
    elif l_freq is not None:
        sos = sps.butter(order, l_freq, btype="highpass", fs=fs, output="sos")
    else:
        sos = sps.butter(order, h, btype="lowpass", fs=fs, output="sos")
    if x.shape[axis] < 2:
        return x.copy()
    return sps.sosfiltfilt(sos, x, axis=axis, padlen=_padlen(x.shape[axis], sos))


def lowpass(x, *, fs, cutoff_hz, order=4, axis=-1):
    """Zero-phase Butterworth low-pass at ``cutoff_hz`` (Hz); see :func:`bandpass`.

    ``cutoff_hz`` must be a finite number above 0 (it is kept below 0.45·fs); NaN samples and
    orders outside 1..10 are refused as in :func:`bandpass`.
    """
    if cutoff_hz is None:
        raise ValueError("cutoff_hz (low-pass cut-off in Hz) is required; got None.")
    return bandpass(x, fs=fs, l_freq=None, h_freq=cutoff_hz, order=order, axis=axis)


def _harmonic_design(n, fs, f0, n_harmonics):
    t = np.arange(n) / fs
    k = np.arange(1, n_harmonics + 1)
    phase = 2 * np.pi * f0 * k[None, :] * t[:, None]
    return np.concatenate([np.cos(phase), np.sin(phase)], axis=1)  # (n, 2K)


def _blockwise_fit(blocks, design, weights):
    """Weighted least squares of each block on the design; blocks (..., n_blocks, n).

    A block with too little weight left (all contraction) is fitted unweighted: its hum is
    buried under EMG anyway, and the fit must stay defined.
    """
    n, k = design.shape
    starved = (weights > 0).sum(axis=-1, keepdims=True) < 4 * k
    weights = np.where(starved, 1.0, weights)
    # Gram matrices of all blocks at once as one BLAS product: W @ (D_t ⊗ D_t).
    outer = (design[:, :, None] * design[:, None, :]).reshape(n, k * k)
    lead = weights.shape[:-1]  # 2-D products: a stacked (3-D) matmul is far slower in BLAS
    gram = (weights.reshape(-1, n) @ outer).reshape(lead + (k, k))
    rhs = ((weights * blocks).reshape(-1, n) @ design).reshape(lead + (k,))
    gram += 1e-9 * np.trace(gram, axis1=-2, axis2=-1)[..., None, None] * np.eye(k)
    return np.linalg.solve(gram, rhs[..., None])[..., 0]  # (..., n_blocks, 2K)


def remove_mains(x, *, fs, mains_hz="auto", n_harmonics=None, block_s=1.0, n_iter=2):
    """Subtract fitted mains harmonics, block by block, with robust weights.

    A narrow IIR notch rings for about Q/(π·f0) seconds after the abrupt end of a contraction
    and fakes activity right after release. Instead, in each block of ``block_s`` seconds the
    hum is modelled as a sum of harmonics of ``f0`` with free amplitude and phase and fitted by
    iteratively re-weighted least squares (Tukey biweight on the residual, scale = resting noise
    of the whole channel), so that contraction EMG barely moves the fit and nothing is added to
    the quiet samples after a release. ``f0`` is refined from the drift of the fitted phase
    across blocks, so a mains frequency a little off 50 or 60 Hz is followed. The fit looks at
    every k-th sample only, with k chosen so that the thinned rate still exceeds 2.5× the
    highest harmonic removed (at 44.1 kHz, 1 sample in 29): the model is exact at any instant,
    so thinning costs precision only through fewer noise samples.

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Signal (EMG in volts). Stretches louder than 3x the channel's median 50 ms RMS start
        with zero weight.
    fs : float
        Sampling rate in Hz.
    mains_hz : 'auto' | float | None
        Mains frequency; 'auto' detects 50 vs 60 Hz with :func:`detect_mains`; None does nothing.
    n_harmonics : int | None
        Harmonics to remove (1 to :data:`MAX_HARMONICS`; those above 0.45·fs are skipped);
        default all below 0.45·fs, at most 6.
    block_s : float
        Block length in seconds.
    n_iter : int
        Re-weighting iterations.

    Returns
    -------
    y : ndarray, same shape as ``x``
    """
    fs = validate_fs(fs)
    x = np.asarray(x, dtype=float)
    if isinstance(mains_hz, str):
        check_option("mains_hz", mains_hz, ("auto",))
        mains_hz = detect_mains(x, fs=fs)
        logger.debug("mains detected: %s", mains_hz)
    if mains_hz is None or x.shape[-1] < 4:
        return x.copy()
    mains_hz = _check_mains(mains_hz, fs)
    n_harmonics = _check_harmonics(n_harmonics, mains_hz, fs)
    if n_harmonics < 1:
        return x.copy()
    n_times = x.shape[-1]
    n = int(min(n_times, max(round(block_s * fs), round(4 * fs / mains_hz))))
    n_blocks = -(-n_times // n)
    pad = n_blocks * n - n_times
    padded = np.concatenate([x, np.zeros(x.shape[:-1] + (pad,))], axis=-1)
    blocks = padded.reshape(x.shape[:-1] + (n_blocks, n))
    valid = np.ones(n_blocks * n, bool)
    valid[n_times:] = False
    valid = np.broadcast_to(valid.reshape(n_blocks, n), blocks.shape)

    # Start from weights that already exclude loud stretches (contractions): where the 50 ms
    # RMS exceeds 4x its 10th percentile over the channel (the quiet level of hum + noise,
    # whether contractions fill 5 % or 50 % of the recording; ours), the fit does not look.
    env = moving_rms(padded, fs=fs, window_s=0.05).reshape(blocks.shape)
    level = np.percentile(env.reshape(x.shape[:-1] + (-1,))[..., :n_times], 10, axis=-1)
    quiet = env <= 4 * level[..., None, None]
    stride = max(1, int(fs / (2.5 * n_harmonics * mains_hz)))
    stride = min(stride, max(1, n // (8 * 2 * n_harmonics)))  # keep enough samples per block
    sub_blocks, sub_valid = blocks[..., ::stride], valid[..., ::stride]
    f0 = float(mains_hz)
    for refine in (True, False):
        design = _harmonic_design(n, fs, f0, n_harmonics)
        sub_design = design[::stride]
        weights = (sub_valid & quiet[..., ::stride]).astype(float)
        for _ in range(n_iter):
            coef = _blockwise_fit(sub_blocks, sub_design, weights)
            resid = sub_blocks - (coef.reshape(-1, coef.shape[-1]) @ sub_design.T).reshape(
                sub_blocks.shape)
            scale = _robust_scale(resid, sub_valid)
            u = resid / (4.685 * scale)
            weights = np.where(sub_valid & (np.abs(u) < 1), (1 - u**2) ** 2, 0.0)
        if not refine or n_blocks < 3:
            break
        # Phase of the fundamental in each block, block starts at b*n/fs.
        phase = np.arctan2(-coef[..., n_harmonics], coef[..., 0])
        phase = np.unwrap(phase.reshape(-1, n_blocks), axis=-1).mean(axis=0)
        slope = np.polyfit(np.arange(n_blocks) * n / fs, phase, 1)[0]
        df = slope / (2 * np.pi)
        if abs(df) < 0.5:
            f0 += df
    hum = (coef.reshape(-1, coef.shape[-1]) @ design.T).reshape(padded.shape)[..., :n_times]
    return x - hum


#: Most harmonics :func:`remove_mains` fits (ours: the design holds 2 columns per harmonic,
#: and hum above the 50th harmonic, 2.5–3 kHz, is not seen on EMG amplifiers).
MAX_HARMONICS = 50


def _check_mains(mains_hz, fs):
    try:
        f0 = float(mains_hz)
    except (TypeError, ValueError):
        raise ValueError(f"mains_hz must be 'auto', None or a frequency in Hz, got "
                         f"{mains_hz!r}.") from None
    if not (np.isfinite(f0) and 0 < f0 < 0.45 * fs):
        raise ValueError(f"mains_hz must be a frequency above 0 and below 0.45 x fs "
                         f"({0.45 * fs:g} Hz), got {mains_hz!r}; pass 50, 60, 'auto' or None.")
    return f0


def _check_harmonics(n_harmonics, mains_hz, fs):
    """Harmonics to fit: default all below 0.45·fs, at most 6; refuse absurd requests."""
    below = int(np.floor(0.45 * fs / mains_hz))
    if n_harmonics is None:
        return int(min(6, below))
    if isinstance(n_harmonics, bool) or not float(n_harmonics).is_integer() \
            or not 1 <= n_harmonics <= MAX_HARMONICS:
        raise ValueError(f"n_harmonics must be a whole number from 1 to {MAX_HARMONICS}, got "
                         f"{n_harmonics!r}; None fits every harmonic below 0.45 x fs, "
                         "at most 6.")
    return int(min(int(n_harmonics), below))


def _robust_scale(resid, valid):
    """Resting noise level per channel: the lower quartile of block MADs, × 1.4826."""
    # Only the last block holds padding: plain medians (fast) for the full blocks.
    a = np.abs(resid)
    n_last = int(valid[(0,) * (valid.ndim - 2) + (-1,)].sum())
    mad = np.concatenate([np.median(a[..., :-1, :], axis=-1),
                          np.median(a[..., -1:, :n_last], axis=-1)], axis=-1)
    scale = 1.4826 * np.percentile(mad, 25, axis=-1, keepdims=True)[..., None]
    return np.maximum(scale, np.finfo(float).tiny)


def moving_rms(x, *, fs, window_s=0.05, axis=-1):
    """Centred moving root-mean-square over ``window_s`` seconds (cumulative sums, no loops).

    Returns
    -------
    rms : ndarray, same shape as ``x``, in the unit of ``x``

    Raises
    ------
    SignalQualityError
        ``x`` holds NaN or infinite samples (a running sum would carry one to every later
        sample); the message says where.
    ValueError
        ``window_s`` not a finite number of seconds above 0.
    """
    fs = validate_fs(fs)
    window_s = validate_positive(window_s, "window_s", "s")
    x = np.asarray(x, dtype=float)
    _check_finite(x, fs, axis)
    x = np.moveaxis(x, axis, -1)
    n = max(1, round(window_s * fs))
    csum = np.concatenate([np.zeros(x.shape[:-1] + (1,)), np.cumsum(x**2, axis=-1)], axis=-1)
    idx = np.arange(x.shape[-1])
    lo = np.clip(idx - n // 2, 0, x.shape[-1])
    hi = np.clip(idx - n // 2 + n, 0, x.shape[-1])
    ms = (csum[..., hi] - csum[..., lo]) / np.maximum(hi - lo, 1)
    return np.moveaxis(np.sqrt(np.maximum(ms, 0.0)), -1, axis)


def clean_emg(x, *, fs, band_hz=EMG_BAND_HZ, mains_hz="auto"):
    """Band-pass EMG and remove mains hum: the preprocessing every EMG measure starts from.

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        EMG in volts.
    fs : float
        Sampling rate in Hz (≥ 1 kHz for surface EMG, SPEC.md §6).
    band_hz : (float, float)
        Pass band in Hz; the upper edge is kept below 0.45·fs. Default 20–450 Hz (SPEC.md §6);
        use about (10, 10000) for needle EMG.
    mains_hz : 'auto' | float | None
        See :func:`remove_mains`.

    Returns
    -------
    y : ndarray, same shape as ``x``, in volts
    """
    fs = validate_fs(fs)
    hp = bandpass(x, fs=fs, l_freq=band_hz[0], h_freq=None)
    return bandpass(remove_mains(hp, fs=fs, mains_hz=mains_hz), fs=fs, l_freq=None,
                    h_freq=band_hz[1])


def emg_envelope(x, *, fs, window_s=0.05, band_hz=EMG_BAND_HZ, mains_hz="auto"):
    """Moving-RMS envelope of cleaned EMG (:func:`clean_emg` then :func:`moving_rms`).

    Returns
    -------
    envelope : ndarray, same shape as ``x``, in volts
    """
    return moving_rms(clean_emg(x, fs=fs, band_hz=band_hz, mains_hz=mains_hz), fs=fs,
                      window_s=window_s)
