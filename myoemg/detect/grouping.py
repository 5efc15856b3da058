"""Where to search and how a unit's spikes form trains: windows, interference end, continuity.

- :func:`check_windows` validates the search windows ``(start_s, end_s)``.
- :func:`interference_end` decides from the signal where the voluntary interference pattern
  that runs into a search window has ended: the window is cut into 20 ms blocks, and each
  block's level is the lower quartile of ``|x|`` divided by that of a unit normal variable.
  An interference pattern (many overlapping motor-unit potentials) raises every sample, so
  the level stands well above the quiet noise SD; a train of brief fibre potentials leaves
  most samples at the noise. The busy stretch is the first run of blocks, from the window
  start, whose level exceeds ``interference_factor`` × the quiet noise SD; many concurrent
  myotonic fibres raise every sample too, so the driver sorts that stretch apart from the rest
  rather than skipping it (:func:`myoemg.detect.discharges.decompose`).
- :func:`drop_extra_spikes` removes, by interval continuity, a spike that splits one regular
  interval of a unit in two (a noise crossing or another potential that matched the template).
- :func:`split_train` cuts a unit's spikes at silences longer than ``max_gap_s``.
- :func:`crosstalk_pairs` finds units seen on two channels at the same instants.
"""

from __future__ import annotations

import numpy as np

_LOWER_QUARTILE_HALF_NORMAL = 0.31863936396437514  # quantile 0.25 of |N(0, 1)|
#: Block length of the interference test, s (ours: 20 ms, a few interference cycles).
INTERFERENCE_BLOCK_S = 0.02


def check_windows(search_s, total_s):
    """Validated search windows clipped to ``[0, total_s]``; the whole signal when None."""
    if search_s is None:
        return [(0.0, total_s)] if total_s > 0 else []
    windows = []
    for item in search_s:
        try:
            a, b = (float(v) for v in item)
        except (TypeError, ValueError):
            raise ValueError(f"search_s must be a list of (start_s, end_s) pairs, got {item!r}."
                             ) from None
        if not b > a:
            raise ValueError(f"search window {item!r} ends before it starts; "
                             "pass (start_s, end_s) with end_s > start_s.")
        a, b = max(a, 0.0), min(b, total_s)
        if b > a:
            windows.append((a, b))
    return windows


def interference_end(x, sigma, *, fs, factor):
    """Samples from the start of ``x`` to the end of its busy stretch (an interference pattern).

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        Band-passed EMG of one search window, V.
    sigma : float
        Quiet noise SD of the channel, V.
    fs : float
        Sampling rate, Hz.
    factor : float
        Level, in quiet noise SDs, above which a block is interference.

    Returns
    -------
    start : int
        First sample after the initial run of interference blocks (0 when the window starts
        quiet).
    """
    n = max(8, int(round(INTERFERENCE_BLOCK_S * fs)))
    n_blocks = x.size // n
    if n_blocks == 0:
        return 0
    blocks = np.abs(x[: n_blocks * n]).reshape(n_blocks, n)
    level = np.quantile(blocks, 0.25, axis=1) / _LOWER_QUARTILE_HALF_NORMAL
    busy = level > factor * sigma
    quiet = np.flatnonzero(~busy)
    return int(n * (quiet[0] if quiet.size else n_blocks))


def drop_extra_spikes(times, tolerance=0.25):
    """Mask of the spikes kept after removing those that split a regular interval in two.

    Spike k is extra when the interval from k−1 to k+1 matches the unit's local interval (the
    median of the two intervals on either side, ±``tolerance``) while both of its own intervals
    are shorter than 75 % of it (ours). Applied twice.
    """
    keep = np.ones(times.size, bool)
    for _ in range(2):
        idx = np.flatnonzero(keep)
        t = times[idx]
        if t.size < 6:
            break
        isi = np.diff(t)
        n = t.size
        pad = np.pad(isi, 2, mode="edge")  # pad[j + 2] = isi[j]
        # for spike k = 1..n-2: the intervals k-3, k-2, k+1, k+2 around its own two
        local = np.median(np.stack([pad[0:n - 2], pad[1:n - 1], pad[4:n + 2], pad[5:n + 3]]),
                          axis=0)
        span = t[2:] - t[:-2]
        own_a, own_b = isi[:-1], isi[1:]
        extra = (np.abs(span - local) <= tolerance * local) & (np.maximum(own_a, own_b)
                                                                < 0.75 * local)
        # never drop two neighbours at once: keep the first of a pair
        extra[1:] &= ~extra[:-1]
        keep[idx[1:-1][extra]] = False
    return keep


def split_train(times, max_gap_s, min_spikes, end_ratio=4.0):
    """``(first, last + 1)`` index bounds of the pieces between silences > ``max_gap_s``.

    A first or last spike separated from the rest by more than ``end_ratio`` × the median of
    the next three intervals is a stray detection, not the train's start or end (ours), and
    is left out (repeatedly).
    """
    if times.size < min_spikes:
        return []
    cut = np.flatnonzero(np.diff(times) > max_gap_s) + 1
    edges = np.concatenate([[0], cut, [times.size]])
    out = []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        while b - a >= 5 and times[a + 1] - times[a] > end_ratio * np.median(
                np.diff(times[a + 1:a + 5])):
            a += 1
        while b - a >= 5 and times[b - 1] - times[b - 2] > end_ratio * np.median(
                np.diff(times[b - 5:b - 1])):
            b -= 1
        if b - a >= min_spikes:
            out.append((int(a), int(b)))
    return out


def crosstalk_pairs(spike_times, channels, tolerance_s, min_share=0.5):
    """Pairs of units on different channels that fire at the same instants.

    Parameters
    ----------
    spike_times : list of ndarray
        Sorted spike times of each unit train, s.
    channels : list
        Channel of each train.
    tolerance_s : float
        Largest time difference of coincident spikes, s.
    min_share : float
        Least share of the smaller train's spikes that coincide (ours: 0.5).

    Returns
    -------
    pairs : list of (int, int)
        Indices ``(i, j)`` of coincident trains.
    """
    pairs = []
    for i in range(len(spike_times)):
        for j in range(i + 1, len(spike_times)):
            if channels[i] == channels[j]:
                continue
            a, b = spike_times[i], spike_times[j]
            if a.size == 0 or b.size == 0 or a[-1] < b[0] or b[-1] < a[0]:
                continue
            small, big = (a, b) if a.size <= b.size else (b, a)
            pos = np.clip(np.searchsorted(big, small), 1, big.size - 1) if big.size > 1 \
                else np.zeros(small.size, int)
            near = np.minimum(np.abs(big[pos] - small), np.abs(big[pos - 1] - small))
            if np.mean(near <= tolerance_s) >= min_share:
                pairs.append((i, j))
    return pairs
