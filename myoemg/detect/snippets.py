"""Spike candidates and their snippets: what sorting starts from (:mod:`myoemg.detect.sorting`).

Peaks above a threshold, aligned on their energy centroid; the waveform around each; and the
nearest spike of another sorted sequence (to tell one potential found twice from two).
"""

from __future__ import annotations

import numpy as np
from scipy import signal as sps


def candidates(x, thr, dead_n):
    """Peaks of ``|x|`` above ``thr``, at least ``dead_n`` samples apart (larger kept)."""
    peaks, _ = sps.find_peaks(np.abs(x), height=thr, distance=max(1, dead_n))
    return peaks


def align_centroid(x, peaks, reach, dead_n):
    """Move each peak to the energy centroid of ``x`` within ±``reach`` samples.

    A biphasic potential is found on whichever phase is larger in the noise; its energy
    centroid is the same point either way, so one unit gives one snippet shape rather than
    two shifted ones (ours; a polarity-free version of aligning on the detection peak,
    Quiroga et al. 2004). Peaks that land within ``dead_n`` of a larger one are dropped.
    """
    if peaks.size == 0:
        return peaks
    snips = snippets_at(x, peaks, reach)
    energy = snips**2
    offset = (energy @ np.arange(-reach, reach + 1)) / np.maximum(energy.sum(axis=1), 1e-30)
    centre = np.clip(peaks + np.round(offset).astype(int), 0, x.size - 1)
    height = np.abs(x[peaks])
    order = np.argsort(centre, kind="stable")
    centre, height = centre[order], height[order]
    for _ in range(3):  # drop the smaller of neighbours closer than dead_n (vectorised)
        close = np.diff(centre) < dead_n
        if not close.any():
            break
        drop = np.zeros(centre.size, bool)
        i = np.flatnonzero(close)
        drop[np.where(height[i] < height[i + 1], i, i + 1)] = True
        centre, height = centre[~drop], height[~drop]
    return np.unique(centre)


def snippets_at(x, samples, half):
    """Rows ``x[s - half : s + half + 1]`` (clipped at the edges), shape (n, 2·half + 1)."""
    idx = np.asarray(samples)[:, None] + np.arange(-half, half + 1)[None, :]
    return x.take(idx, mode="clip")


def nearest_lag(small, big):
    """Signed lag from each of ``small`` to the nearest of ``big``, samples.

    Both sorted, ``big`` not empty; the lag is ``big[j] − small[i]``.
    """
    pos = np.clip(np.searchsorted(big, small), 1, max(1, big.size - 1))
    after, before = big[np.minimum(pos, big.size - 1)] - small, big[pos - 1] - small
    return np.where(np.abs(after) < np.abs(before), after, before)


def coincident(small, big, dead_n):
    """Mask of the samples of ``small`` within ``dead_n`` of one of ``big`` (both sorted)."""
    if big.size == 0:
        return np.zeros(small.size, bool)
    return np.abs(nearest_lag(small, big)) < dead_n
