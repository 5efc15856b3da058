"""Whole-signal operations in blocks of bounded size: zero-phase filters and percentiles.

Hours of EMG must not need several full-length temporaries per step. Each function here
returns what its whole-signal counterpart does while holding at most one block of
:data:`BLOCK` samples of scratch at a time (the moving RMS is in :mod:`.envelope`):

- :func:`sosfiltfilt_into` is ``scipy.signal.sosfiltfilt`` (odd padding of ``padlen``) written
  into an output buffer: the forward pass runs block by block carrying the filter state
  (``sosfilt(..., zi=...)``) and the backward pass does the same from the end. A recursive
  filter carried this way performs the very same arithmetic as one call over the whole
  signal, so the result is **identical to the last bit**, with no overlap and no edge error.
- :func:`exact_percentiles` gives ``np.percentile`` (linear interpolation) of a signal that is
  only ever produced block by block, exactly: a first pass counts the values per fine bin of
  their bit pattern, a second keeps only the values in the bins that hold the wanted ranks.
"""

from __future__ import annotations

import numpy as np
from scipy import signal as sps

#: Samples per block (ours: 2**16, 0.5 MiB of float64: large enough that the per-call cost of
#: scipy is lost in the work, small enough to stay in the processor's cache hierarchy).
BLOCK = 1 << 16


def sosfiltfilt_into(sos, x, out, padlen, block=BLOCK):
    """Zero-phase ``sos`` filter of the 1-D signal ``x``, written into ``out``.

    Parameters
    ----------
    sos : ndarray, shape (n_sections, 6)
        Second-order sections.
    x : ndarray, shape (n_times,)
        Input (float64); may be ``out`` itself (filtered in place).
    out : ndarray of float64, shape (n_times,)
        Output buffer.
    padlen : int
        Odd-extension length at each end, ``0 <= padlen < n_times`` (as ``sosfiltfilt``).
    block : int
        Samples per block.

    Returns
    -------
    out : ndarray
        ``scipy.signal.sosfiltfilt(sos, x, padlen=padlen)``, bit for bit.
    """
    n = x.shape[-1]
    zi = sps.sosfilt_zi(sos)
    if padlen > 0:  # scipy.signal._arraytools.odd_ext, the same arithmetic
        left = 2 * x[0:1] - x[padlen:0:-1]
        right = 2 * x[-1:] - x[-2:-(padlen + 2):-1]
        _, z = sps.sosfilt(sos, left, zi=zi * left[0])
    else:
        left = right = x[:0]
        z = zi * x[0]
    for a in range(0, n, block):
        out[a:a + block], z = sps.sosfilt(sos, x[a:a + block], zi=z)
    if padlen > 0:
        y_right, z = sps.sosfilt(sos, right, zi=z)
        _, z = sps.sosfilt(sos, y_right[::-1], zi=zi * y_right[-1])
    else:
        z = zi * out[-1]
    for b in range(n, 0, -block):
        a = max(0, b - block)
        seg, z = sps.sosfilt(sos, out[a:b][::-1], zi=z)
        out[a:b] = seg[::-1]
    return out


#: Bits of a float64 dropped by the first pass of :func:`exact_percentiles`: sign, exponent
#: and the top 7 mantissa bits are kept (128 bins per octave, 2**19 bins in all).
_KEY_SHIFT = 45
_KEY_OFFSET = 1 << (63 - _KEY_SHIFT)


def exact_percentiles(blocks, q):
    """``np.percentile(signal, q)`` of a signal produced block by block, exactly.

    Parameters
    ----------
    blocks : callable
        ``blocks()`` returns a fresh iterator over the signal's consecutive blocks (float64
        arrays); it is called twice.
    q : sequence of float
        Percentiles, 0–100.

    Returns
    -------
    values : ndarray, shape (len(q),)
        Linear interpolation between the closest ranks, as ``np.percentile``; NaN for an
        empty signal.
    """
    q = np.asarray(q, dtype=float)
    counts, size = np.zeros(2 * _KEY_OFFSET, np.int64), 0
    for blk in blocks():
        if blk.size:
            keys = _keys(blk)
            k0 = int(keys.min())
            c = np.bincount(keys - k0)
            counts[k0:k0 + c.size] += c
            size += blk.size
    if size == 0:
        return np.full(q.shape, np.nan)
    cum = np.cumsum(counts)  # values in bins 0..i
    # numpy's 'linear' method: virtual index (n - 1) * q, neighbours floor and floor + 1
    rank = (size - 1) * (q / 100)
    lo = np.floor(rank).astype(np.int64)
    hi = np.minimum(lo + 1, size - 1)
    bin_lo, bin_hi = np.searchsorted(cum, lo, "right"), np.searchsorted(cum, hi, "right")
    chosen = np.unique(np.concatenate([bin_lo, bin_hi]))
    kept = np.sort(np.concatenate([blk[np.isin(_keys(blk), chosen)] for blk in blocks()]))
    # kept holds the chosen bins one after the other, in key order
    first = dict(zip(chosen.tolist(), np.cumsum([0, *counts[chosen]])[:-1].tolist(),
                     strict=True))

    def value(r, b):
        return kept[first[int(b)] + int(r) - (int(cum[b - 1]) if b else 0)]

    a = np.array([value(r, b) for r, b in zip(lo, bin_lo, strict=True)])
    b = np.array([value(r, k) for r, k in zip(hi, bin_hi, strict=True)])
    t = rank - lo
    diff = b - a  # numpy's _lerp
    return np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)


def _keys(blk):
    """Monotone integer keys of float64 values (their bits, sign folded), coarsened."""
    bits = np.ascontiguousarray(blk, dtype=np.float64).view(np.int64)
    magnitude = bits & np.int64(0x7FFFFFFFFFFFFFFF)
    return (np.where(bits < 0, -magnitude - 1, magnitude) >> _KEY_SHIFT) + _KEY_OFFSET


__all__ = ["BLOCK", "exact_percentiles", "sosfiltfilt_into"]
