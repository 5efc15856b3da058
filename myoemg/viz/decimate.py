"""EMG for display: the slice of a time window, reduced to its min and max per pixel column."""

from __future__ import annotations

import numpy as np


def time_slice(start_s, fs, n_times, t0, t1):
    """Sample indices ``[a, b)`` of the window ``[t0, t1]`` s of a channel starting at ``start_s``.

    Returns
    -------
    a, b : int
        Clipped to ``[0, n_times]``.
    """
    a = int(np.clip(np.floor((t0 - start_s) * fs), 0, n_times))
    b = int(np.clip(np.ceil((t1 - start_s) * fs) + 1, a, n_times))
    return a, b


def minmax_bins(x, n_bins):
    """Min and max of ``x`` in ``n_bins`` equal column bins (the waveform a screen can show).

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Samples of one time window (any unit).
    n_bins : int
        Pixel columns; with fewer samples than columns, ``x`` is returned as both min and max.

    Returns
    -------
    centre : ndarray, shape (n,)
        Fractional sample index of each bin's centre.
    lo, hi : ndarray, shape (..., n)
        Per-bin minimum and maximum (NaN-free input assumed).
    """
    x = np.asarray(x, float)
    n = x.shape[-1]
    if n <= 2 * n_bins:
        idx = np.arange(n, dtype=float)
        return idx, x, x
    edges = np.linspace(0, n, n_bins + 1).astype(int)
    lo = np.minimum.reduceat(x, edges[:-1], axis=-1)
    hi = np.maximum.reduceat(x, edges[:-1], axis=-1)
    centre = 0.5 * (edges[:-1] + edges[1:] - 1)
    return centre, lo, hi


__all__ = ["minmax_bins", "time_slice"]
