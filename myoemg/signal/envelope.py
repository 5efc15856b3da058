"""Moving-RMS envelopes, computed block by block: :func:`moving_rms` and :class:`Envelope`.

The envelope of sample i is the root mean square of the signal over the window
``[i - n // 2, i - n // 2 + n)`` of ``n = round(window_s * fs)`` samples, the mean taken over
the samples inside the signal where the window reaches past either end. It is computed by
``scipy.ndimage.uniform_filter1d`` on blocks of a fixed grid (:func:`grid_block`) that overlap
by one window: a running sum restarted at every block, so its rounding stays near 1e-16 of the
largest square in the block instead of drifting over hours of signal, and no full-length
temporary is needed. A value depends only on the signal and the grid, never on which part was
asked for, so an :class:`Envelope` read in windows gives the very numbers :func:`moving_rms`
gives for the whole signal.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy.ndimage import uniform_filter1d

from ..utils import validate_fs, validate_positive
from .streaming import exact_percentiles

#: Smallest grid block, samples (ours: 4096; small windows read from an Envelope cost little).
MIN_GRID = 4096


def grid_block(n_window) -> int:
    """Grid block length for a window of ``n_window`` samples (at least 4 windows)."""
    return max(MIN_GRID, 4 * int(n_window))


def mean_square_block(x, n, g, grid, n_total) -> np.ndarray:
    """Moving mean of ``x**2`` over ``n`` samples for grid block ``g`` (see module docstring).

    ``x`` is 1-D; beyond ``len(x)`` and up to ``n_total`` the signal continues with zeros.
    Returns the values of samples ``[g * grid, min(n_total, (g + 1) * grid))``.
    """
    a, b = g * grid, min(n_total, (g + 1) * grid)
    lead, lag = n // 2, n - n // 2
    lo, hi = max(0, a - lead), min(n_total, b + lag)
    seg = np.zeros(hi - lo)
    stop = min(hi, x.shape[-1])
    if stop > lo:
        seg[:stop - lo] = x[lo:stop]
    seg *= seg
    out = uniform_filter1d(seg, n, mode="constant")[a - lo:b - lo]
    if a < lead or b > n_total - lag:  # windows reaching past an end hold fewer samples
        idx = np.arange(a, b)
        out *= n / (np.minimum(n_total, idx - lead + n) - np.maximum(0, idx - lead))
    return out


class Envelope:
    """The moving-RMS envelope of a signal, computed for the samples asked for.

    Parameters
    ----------
    x : ndarray, shape (n_channels, n_times) or (n_times,)
        Signal (finite), e.g. cleaned EMG in volts. Not copied: do not change it while the
        envelope is in use.
    fs : float
        Sampling rate in Hz.
    window_s : float
        RMS window, s.

    Notes
    -----
    ``env[:, a:b]`` (or ``env[a:b]`` for a 1-D signal) returns the envelope of those samples,
    in the unit of ``x``; ``np.asarray(env)`` the whole of it; :meth:`percentiles` exact
    percentiles per channel without holding the whole envelope.
    """

    def __init__(self, x, *, fs, window_s=0.05):
        fs = validate_fs(fs)
        window_s = validate_positive(window_s, "window_s", "s")
        self._x = np.asarray(x, dtype=float)
        self._rows = np.atleast_2d(self._x)
        self.fs, self.window_s = fs, window_s
        self.n_window = max(1, round(window_s * fs))
        self.grid = grid_block(self.n_window)

    @property
    def shape(self) -> tuple:
        """Shape of the envelope (that of the signal)."""
        return self._x.shape

    @property
    def ndim(self) -> int:
        return self._x.ndim

    def atleast_2d(self) -> Envelope:
        """The envelope with a channel axis: itself, or that of the signal as one row."""
        if self._x.ndim == 2:
            return self
        return Envelope(self._rows, fs=self.fs, window_s=self.window_s)

    def channel(self, c, a=0, b=None) -> np.ndarray:
        """Envelope of channel ``c`` over samples ``[a, b)``, shape (b - a,)."""
        n_total = self._rows.shape[-1]
        a, b, _ = slice(a, b).indices(n_total)
        if b <= a:
            return np.zeros(0)
        blocks = range(a // self.grid, (b - 1) // self.grid + 1)
        ms = np.concatenate([mean_square_block(self._rows[c], self.n_window, g, self.grid,
                                               n_total) for g in blocks])
        off = blocks[0] * self.grid
        return np.sqrt(np.maximum(ms[a - off:b - off], 0.0))

    def blocks(self, c) -> Iterator[np.ndarray]:
        """Iterator over the envelope of channel ``c``, one grid block at a time."""
        n_total = self._rows.shape[-1]
        for g in range(-(-n_total // self.grid)):
            yield np.sqrt(np.maximum(mean_square_block(self._rows[c], self.n_window, g,
                                                       self.grid, n_total), 0.0))

    def percentiles(self, q) -> np.ndarray:
        """``np.percentile`` of each channel's envelope, exactly; shape (n_channels, len(q))."""
        return np.stack([exact_percentiles(lambda c=c: self.blocks(c), q)
                         for c in range(self._rows.shape[0])])

    def __getitem__(self, key):
        if self._x.ndim == 1:
            return self.channel(0, *_span(key))
        if not (isinstance(key, tuple) and len(key) == 2):
            raise TypeError("a 2-D Envelope is read as env[channels, a:b]")
        picked = range(self._rows.shape[0])[key[0]]
        a, b = _span(key[1])
        if isinstance(picked, int):
            return self.channel(picked, a, b)
        rows = [self.channel(c, a, b) for c in picked]
        return np.stack(rows) if rows else np.zeros((0, 0))

    def __array__(self, dtype=None, copy=None):
        out = np.stack([np.concatenate(list(self.blocks(c))) if self._rows.shape[-1] else
                        np.zeros(0) for c in range(self._rows.shape[0])])
        out = out.reshape(self._x.shape)
        return out if dtype is None else out.astype(dtype)


def _span(key):
    """(start, stop) of a slice of samples."""
    if not isinstance(key, slice) or key.step not in (None, 1):
        raise TypeError("an Envelope is read by contiguous slices of samples, e.g. env[:, a:b]")
    return key.start, key.stop


def moving_rms(x, *, fs, window_s=0.05, axis=-1) -> np.ndarray:
    """Centred moving root-mean-square over ``window_s`` seconds (see the module docstring).

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
    from .filters import _check_finite

    fs = validate_fs(fs)
    window_s = validate_positive(window_s, "window_s", "s")
    x = np.asarray(x, dtype=float)
    _check_finite(x, fs, axis)
    moved = np.moveaxis(x, axis, -1)
    out = np.empty(moved.shape)
    env = Envelope(np.zeros(0), fs=fs, window_s=window_s)  # the window and grid
    n_total = moved.shape[-1]
    for idx in np.ndindex(moved.shape[:-1]):
        row = moved[idx]
        for g in range(-(-n_total // env.grid)):
            a = g * env.grid
            ms = mean_square_block(row, env.n_window, g, env.grid, n_total)
            out[idx + (slice(a, a + ms.size),)] = ms
    np.maximum(out, 0.0, out=out)
    np.sqrt(out, out=out)
    return np.moveaxis(out, -1, axis)


__all__ = ["Envelope", "grid_block", "mean_square_block", "moving_rms"]
