"""Level crossings with sub-sample (linear) interpolation."""

from __future__ import annotations

import numpy as np

from ..utils import check_option


def level_crossings(x, level, *, direction="down") -> np.ndarray:
    """Fractional sample indices at which a 1-D signal crosses ``level``.

    A downward crossing at fractional index ``i - 1 + f`` means ``x[i-1] > level >= x[i]``, with
    ``f = (x[i-1] - level) / (x[i-1] - x[i])`` (linear interpolation between the two samples).

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        Signal.
    level : float
        Level, in the unit of ``x``.
    direction : {'down', 'up', 'both'}
        Which crossings to return.

    Returns
    -------
    idx : ndarray of float, shape (n_crossings,)
        Fractional sample indices, ascending. Divide by ``fs`` for seconds. Steps into or out
        of a NaN or infinite sample are not crossings.
    """
    check_option("direction", direction, ("down", "up", "both"))
    x = np.asarray(x, dtype=float)
    if x.size < 2:
        return np.empty(0)
    above = x > level
    down = above[:-1] & ~above[1:]
    up = ~above[:-1] & above[1:]
    mask = {"down": down, "up": up, "both": down | up}[direction]
    i = np.flatnonzero(mask)
    x0, x1 = x[i], x[i + 1]
    finite = np.isfinite(x0) & np.isfinite(x1)  # a step into or out of NaN/inf is no crossing
    i, x0, x1 = i[finite], x0[finite], x1[finite]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(x0 != x1, (x0 - level) / (x0 - x1), 0.0)
    return i + np.clip(frac, 0.0, 1.0)
