"""Mains hum removal: blockwise robust fits of the mains harmonics (:func:`remove_mains`).

The fit reads the signal a few dozen blocks at a time and writes the hum-free signal in place
(:func:`subtract_mains`), so hours of EMG need no temporary of their length; the numbers are
those of fitting all blocks at once.
"""

from __future__ import annotations

import numpy as np

from ..utils import check_option, logger, validate_fs
from .envelope import grid_block, mean_square_block
from .quiet import detect_mains
from .streaming import BLOCK, exact_percentiles

#: Most harmonics :func:`remove_mains` fits (ours: the design holds 2 columns per harmonic,
#: and hum above the 50th harmonic, 2.5–3 kHz, is not seen on EMG amplifiers).
MAX_HARMONICS = 50
#: Quiet-start rule of the fit (ours): a sample starts with weight 0 where the 50 ms RMS
#: exceeds this × its 10th percentile over the channel.
_LOUD_FACTOR = 4.0
_TUKEY_C = 4.685  # Tukey biweight tuning constant (95 % efficiency at the normal)


def remove_mains(x, *, fs, mains_hz="auto", n_harmonics=None, block_s=1.0, n_iter=2) -> np.ndarray:
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
        Signal (EMG in volts). Stretches louder than 4x the channel's 10th percentile of the
        50 ms RMS start with zero weight.
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
    out = np.array(x, dtype=float, order="C")
    if x.ndim and x.shape[-1]:
        subtract_mains(out.reshape(-1, x.shape[-1]), fs=fs, mains_hz=mains_hz,
                       n_harmonics=n_harmonics, block_s=block_s, n_iter=n_iter)
    return out


def subtract_mains(rows, *, fs, mains_hz, n_harmonics=None, block_s=1.0, n_iter=2):
    """:func:`remove_mains` in place on ``rows``, shape (n_channels, n_times), float64.

    The channels share the refined mains frequency (their phase drifts are averaged).

    Returns
    -------
    f0 : float | None
        The mains frequency removed after refinement (None when nothing was removed).
    """
    n_times = rows.shape[-1]
    if mains_hz is None or n_times < 4:
        return None
    mains_hz = _check_mains(mains_hz, fs)
    k = _check_harmonics(n_harmonics, mains_hz, fs)
    if k < 1:
        return None
    plan = _Plan(n_times, fs, mains_hz, k, block_s)
    quiet = [_quiet_start(row, plan) for row in rows]
    f0 = float(mains_hz)
    for refine in (True, False):
        design = _harmonic_design(plan.n, fs, f0, k)
        model = _Model(design[::plan.stride])
        coefs = np.stack([_fit_channel(row, plan, model, q, n_iter)
                          for row, q in zip(rows, quiet, strict=True)])
        if not refine or plan.n_blocks < 3:
            break
        # Phase of the fundamental in each block, block starts at b*n/fs.
        phase = np.arctan2(-coefs[..., k], coefs[..., 0])
        phase = np.unwrap(phase, axis=-1).mean(axis=0)
        slope = np.polyfit(np.arange(plan.n_blocks) * plan.n / fs, phase, 1)[0]
        df = slope / (2 * np.pi)
        if abs(df) < 0.5:
            f0 += df
    for row, coef in zip(rows, coefs, strict=True):
        for k0, k1 in plan.chunks():
            a, b = k0 * plan.n, min(n_times, k1 * plan.n)
            row[a:b] -= (coef[k0:k1] @ design.T).reshape(-1)[:b - a]
    return f0


class _Plan:
    """Blocks, thinning and chunks of one fit (the layout of the old all-at-once version)."""

    def __init__(self, n_times, fs, mains_hz, n_harmonics, block_s):
        self.n_times, self.fs = n_times, fs
        self.n = int(min(n_times, max(round(block_s * fs), round(4 * fs / mains_hz))))
        self.n_blocks = -(-n_times // self.n)
        stride = max(1, int(fs / (2.5 * n_harmonics * mains_hz)))
        # keep enough samples per block
        self.stride = min(stride, max(1, self.n // (8 * 2 * n_harmonics)))
        self.per = max(1, BLOCK // self.n)  # blocks per chunk
        self.n_last = n_times - (self.n_blocks - 1) * self.n  # samples in the last block
        self.last_sub = -(-self.n_last // self.stride)  # of them, thinned

    def chunks(self):
        for k0 in range(0, self.n_blocks, self.per):
            yield k0, min(self.n_blocks, k0 + self.per)

    def thinned(self, row, k0, k1):
        """Blocks k0..k1 of the zero-padded signal, every ``stride``-th sample: (m, n_sub)."""
        a, b = k0 * self.n, k1 * self.n
        if b <= self.n_times:
            return row[a:b].reshape(k1 - k0, self.n)[:, ::self.stride]
        seg = np.zeros(b - a)
        seg[:self.n_times - a] = row[a:]
        return seg.reshape(k1 - k0, self.n)[:, ::self.stride]

    def valid(self, k0, k1):
        """Which thinned samples of blocks k0..k1 lie inside the signal (not padding)."""
        ok = np.ones((k1 - k0, -(-self.n // self.stride)), bool)
        if k1 == self.n_blocks:
            ok[-1, self.last_sub:] = False
        return ok


class _Model:
    """The thinned harmonic design and its outer products (for the weighted Gram matrices)."""

    def __init__(self, design):
        n, k = design.shape
        self.design = design
        self.outer = (design[:, :, None] * design[:, None, :]).reshape(n, k * k)

    def fit(self, blocks, weights):
        """Weighted least squares of each block on the design; (m, n) -> (m, 2K).

        A block with too little weight left (all contraction) is fitted unweighted: its hum is
        buried under EMG anyway, and the fit must stay defined.
        """
        n, k = self.design.shape
        starved = (weights > 0).sum(axis=-1, keepdims=True) < 4 * k
        weights = np.where(starved, 1.0, weights)
        gram = (weights @ self.outer).reshape(-1, k, k)
        rhs = (weights * blocks) @ self.design
        gram += 1e-9 * np.trace(gram, axis1=-2, axis2=-1)[..., None, None] * np.eye(k)
        return np.linalg.solve(gram, rhs[..., None])[..., 0]

    def residual(self, blocks, coef):
        return blocks - coef @ self.design.T


def _quiet_start(row, plan):
    """Thinned samples (n_blocks, n_sub) of one channel that start with weight 1 (not loud)."""
    n_win = max(1, round(0.05 * plan.fs))
    grid, total = grid_block(n_win), plan.n_blocks * plan.n
    n_grid = -(-total // grid)

    def env(g):
        return np.sqrt(np.maximum(mean_square_block(row, n_win, g, grid, total), 0.0))

    def inside():  # the envelope of the samples of the signal (not of the padding)
        for g in range(n_grid):
            yield env(g)[:max(0, plan.n_times - g * grid)]

    level = exact_percentiles(inside, [10])[0]
    loud_free = np.empty(total, bool)
    for g in range(n_grid):
        e = env(g)
        loud_free[g * grid:g * grid + e.size] = e <= _LOUD_FACTOR * level
    return np.ascontiguousarray(loud_free.reshape(plan.n_blocks, plan.n)[:, ::plan.stride])


def _fit_channel(row, plan, model, quiet, n_iter):
    """Coefficients (n_blocks, 2K) of one channel after ``n_iter`` re-weighted passes."""
    coef, scale = None, None
    for it in range(n_iter):
        last = it == n_iter - 1
        new = np.empty((plan.n_blocks, model.design.shape[1]))
        mad = np.empty(plan.n_blocks)
        for k0, k1 in plan.chunks():
            blocks, valid = plan.thinned(row, k0, k1), plan.valid(k0, k1)
            if coef is None:
                weights = (valid & quiet[k0:k1]).astype(float)
            else:
                u = model.residual(blocks, coef[k0:k1]) / (_TUKEY_C * scale)
                weights = np.where(valid & (np.abs(u) < 1), (1 - u**2) ** 2, 0.0)
            new[k0:k1] = model.fit(blocks, weights)
            if not last:
                mad[k0:k1] = _block_mads(np.abs(model.residual(blocks, new[k0:k1])),
                                         plan, k1)
        coef = new
        if not last:
            # Resting noise level: the lower quartile of block MADs, × 1.4826.
            scale = max(1.4826 * np.percentile(mad, 25), np.finfo(float).tiny)
    return coef


def _block_mads(abs_resid, plan, k1):
    """Median |residual| of each block; the last block over its samples inside the signal."""
    if k1 < plan.n_blocks:
        return np.median(abs_resid, axis=-1)
    return np.concatenate([np.median(abs_resid[:-1], axis=-1),
                           np.median(abs_resid[-1:, :plan.last_sub], axis=-1)])


def _harmonic_design(n, fs, f0, n_harmonics):
    t = np.arange(n) / fs
    k = np.arange(1, n_harmonics + 1)
    phase = 2 * np.pi * f0 * k[None, :] * t[:, None]
    return np.concatenate([np.cos(phase), np.sin(phase)], axis=1)  # (n, 2K)


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


__all__ = ["MAX_HARMONICS", "remove_mains", "subtract_mains"]
