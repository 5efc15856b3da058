"""Is a slow relaxation a slow *voluntary* let-go? The EMG tells, not the absence of discharges.

When a patient lets go slowly on purpose (or cannot relax on command for a non-myotonic
reason), the voluntary interference pattern fades together with the force: surface EMG
amplitude grows roughly in proportion to isometric force (Lippold OCJ, J Physiol
1952;117:492–499; Bigland B, Lippold OCJ, J Physiol 1954;123:214–224), so half-way down the
force still carries a large share of the hold's EMG. In myotonia the voluntary drive stops at
the command: the interference ends within a fraction of a second, and what follows are muscle
fibre discharges (docs: domain reference, discharges), far smaller than the interference of a
maximal grip.

:func:`letgo_emg_ratio` measures, per trial, the EMG envelope at the moment the force passes
half-way down (``t50``) relative to the envelope during the hold; :data:`VOLUNTARY_RATIO` is the
ratio from which the fall is taken to be voluntary (ours). The pattern and the grade use it only
when the EMG was examined and held no myotonic discharge (see :mod:`myoemg.metrics.warmup` and
:mod:`myoemg.grading`).
"""

from __future__ import annotations

import numpy as np

from ..signal.envelope import Envelope
from ..utils import validate_fs

#: Envelope at half relaxation over the hold envelope from which the fall is voluntary (ours:
#: EMG roughly proportional to force gives about 0.5 at half force; an interference that ends
#: at the command leaves the noise floor or sparse fibre discharges, well under 0.2 of a maximal
#: grip's interference in our simulations; 0.35 sits between).
VOLUNTARY_RATIO = 0.35
#: The hold window: from 1.0 s to 0.2 s before the release, s (ours: inside a 3-s grip, away
#: from the ramp and from the let-go itself).
HOLD_WINDOW_S = (-1.0, -0.2)
#: Half-width of the window around ``t50`` whose median envelope is taken, s (ours: the 50 ms
#: envelope already smooths; ± 25 ms keeps the measure local).
HALF_WINDOW_S = 0.025


def letgo_emg_ratio(envelope, *, fs, release_s, t50_s, hold_window_s=HOLD_WINDOW_S,
                    half_window_s=HALF_WINDOW_S) -> np.ndarray:
    """EMG envelope at half relaxation over the envelope of the hold, per trial and channel.

    Parameters
    ----------
    envelope : ndarray, shape (n_channels, n_times) | Envelope
        Moving-RMS envelope of the cleaned EMG, V (an
        :class:`~myoemg.signal.envelope.Envelope` is read in windows, never whole).
    fs : float
        EMG sampling rate, Hz.
    release_s, t50_s : array-like, shape (n_trials,)
        Release time and 50 % crossing of each trial, s from the first EMG sample.
    hold_window_s : (float, float)
        The hold window relative to the release, s (:data:`HOLD_WINDOW_S`).
    half_window_s : float
        Half-width of the window around ``t50_s``, s (:data:`HALF_WINDOW_S`).

    Returns
    -------
    ratio : ndarray, shape (n_trials, n_channels)
        NaN where a time is unknown or a window falls outside the EMG.
    """
    fs = validate_fs(fs)
    env: Envelope | np.ndarray = (envelope.atleast_2d() if isinstance(envelope, Envelope)
                                  else np.atleast_2d(np.asarray(envelope, dtype=float)))
    release = np.asarray(release_s, dtype=float)
    t50 = np.asarray(t50_s, dtype=float)
    out = np.full((release.size, env.shape[0]), np.nan)
    n = env.shape[-1]
    for k, (r, h) in enumerate(zip(release, t50, strict=True)):
        if not (np.isfinite(r) and np.isfinite(h)):
            continue
        a, b = int(round((r + hold_window_s[0]) * fs)), int(round((r + hold_window_s[1]) * fs))
        c, d = int(round((h - half_window_s) * fs)), int(round((h + half_window_s) * fs)) + 1
        if a < 0 or d > n or b <= a or d <= c:
            continue
        hold = np.median(env[:, a:b], axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[k] = np.where(hold > 0, np.median(env[:, c:d], axis=-1) / hold, np.nan)
    return out


def voluntary_letgo(ratio, prolonged, *, threshold=VOLUNTARY_RATIO) -> bool | None:
    """Whether the prolonged relaxations of a session look like a slow voluntary let-go.

    Parameters
    ----------
    ratio : ndarray, shape (n_trials,)
        :func:`letgo_emg_ratio` per trial (largest over channels).
    prolonged : ndarray of bool, shape (n_trials,)
        Trials whose relaxation is above the upper limit of normal.
    threshold : float
        :data:`VOLUNTARY_RATIO`.

    Returns
    -------
    voluntary : bool | None
        True when the median ratio of the prolonged trials reaches ``threshold``; None when no
        prolonged trial has a ratio.
    """
    r = np.asarray(ratio, dtype=float)[np.asarray(prolonged, bool)]
    r = r[np.isfinite(r)]
    return None if r.size == 0 else bool(np.median(r) >= threshold)


__all__ = ["HALF_WINDOW_S", "HOLD_WINDOW_S", "VOLUNTARY_RATIO", "letgo_emg_ratio",
           "voluntary_letgo"]
