"""Separating interleaved fibres by the continuity of their firing: seed a train, follow it.

After a myotonic release several fibres near the electrode fire at once; on surface EMG, or
when their potentials are small against the noise, their potentials look alike, and waveform
clustering (:mod:`myoemg.detect.sorting`) puts interleaved fibres into one cluster whose
spikes fail the one-generator rule. Each fibre, however, fires with smoothly changing
intervals and amplitudes (docs: domain reference, discharges: rate and amplitude wax and
wane). :func:`track_trains` uses that: starting from the largest unassigned potential, it
finds the neighbours before and after it that fit one interval, then follows the train
forward and backward, taking at each predicted time the candidate whose time, amplitude and
shape best continue the train, and bridging up to ``max_misses`` predicted times where the
fibre's potential was masked by another's. This is the firing-pattern continuity that EMG
decomposition uses to resolve superimposed motor-unit trains (McGill KC et al., J Neurosci
Methods 2005;149:121–133, EMGLAB; De Luca CJ et al., J Neurophysiol 2006;96:1646–1657),
applied to fibre potentials. :func:`needs_tracking` decides which unit trains get this second
look, and :func:`track_pool` which tracked trains are kept.

Everything here is on one unit train; the loops run over its spikes (hundreds), never over
samples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .features import amplitude_noise_cv2, cv2, excess_cv2, fill_missed


@dataclass(frozen=True)
class TrackingRules:
    """Thresholds of :func:`track_trains` (all ours; see the module docstring).

    Attributes
    ----------
    min_isi_s, max_isi_s : float
        Intervals a tracked train may have, s: 6 ms (165 Hz, the top of the myotonic band,
        150 Hz, with the 10 % margin of the rules; docs: domain reference, discharges) to 70 ms
        (14 Hz, below its 20 Hz floor; slower units are left to waveform clustering).
    time_tol : float
        Half-width of the window around a predicted spike time, as a fraction of the interval
        (ours: the interval of one fibre changes by a few per cent per spike; 0.1 leaves room
        for jitter and the steady fall of a waning rate, while a window of 0.2 let chains be
        picked by chance out of dense neuromyotonic bursts, tuning family).
    time_tol_s : float
        Least half-width of that window, s (timing jitter of the detected peak).
    amp_tol : float
        Most change of log peak-to-peak amplitude from the train's running level to the next
        spike (0.3 ≈ ±35 %: amplitudes change smoothly; two overlapping potentials do not).
    min_corr : float
        Least correlation of a spike's shape with the train's running template.
    max_misses : int
        Predicted times in a row without a spike after which the train ends.
    min_spikes : int
        Fewest spikes of an accepted train (ours: 20, twice a myotonic call's 10: in a pool
        of alike potentials a short chain at a steady interval turns up by chance, e.g. every
        k-th peak of a neuromyotonic burst on surface EMG, in a stress test of bursts at
        150–300 Hz).
    """

    min_isi_s: float = 1 / 165
    max_isi_s: float = 0.070
    time_tol: float = 0.1
    time_tol_s: float = 0.4e-3
    amp_tol: float = 0.3
    min_corr: float = 0.75
    max_misses: int = 3
    min_spikes: int = 20


def _shapes(snips):
    """Snippets centred and scaled to unit norm (sign kept), shape (n, n_snip)."""
    s = snips - snips.mean(axis=1, keepdims=True)
    return s / np.maximum(np.linalg.norm(s, axis=1, keepdims=True), np.finfo(float).tiny)


def _seed(i, t, loga, shapes, free, r):
    """The spikes before and after ``i`` that fit one interval with it, or None."""
    near = free & (np.abs(t - t[i]) >= r.min_isi_s) & (np.abs(t - t[i]) <= r.max_isi_s)
    near &= np.abs(loga - loga[i]) <= r.amp_tol
    idx = np.flatnonzero(near)
    if idx.size < 2:
        return None
    idx = idx[shapes[idx] @ shapes[i] >= r.min_corr]
    before, after = idx[t[idx] < t[i]], idx[t[idx] > t[i]]
    if before.size == 0 or after.size == 0:
        return None
    d_b, d_a = t[i] - t[before], t[after] - t[i]
    ratio = np.log(d_a[None, :] / d_b[:, None])
    # the nearest consistent neighbours: a pair two intervals away fits one interval too
    # (every other spike), so longer intervals cost more
    cost = (ratio / np.log1p(r.time_tol)) ** 2 \
        + ((loga[before][:, None] - loga[i]) / r.amp_tol) ** 2 \
        + ((loga[after][None, :] - loga[i]) / r.amp_tol) ** 2 \
        + 2.0 * (d_b[:, None] + d_a[None, :]) / (2 * r.max_isi_s)
    j, k = np.unravel_index(np.argmin(cost), cost.shape)
    if cost[j, k] > 3.0:
        return None
    return int(before[j]), int(after[k])


def _best(t_pred, isi, t, loga, shapes, free, level, template, r):
    """The free spike that best continues a train at ``t_pred``, or None."""
    tol = max(r.time_tol * isi, r.time_tol_s)
    lo, hi = np.searchsorted(t, [t_pred - tol, t_pred + tol])
    cand = np.arange(lo, hi)
    cand = cand[free[cand]]
    if cand.size == 0:
        return None
    corr = shapes[cand] @ template / max(np.linalg.norm(template), 1e-12)
    ok = (np.abs(loga[cand] - level) <= r.amp_tol) & (corr >= r.min_corr)
    if not ok.any():
        return None
    cost = ((t[cand] - t_pred) / tol) ** 2 + ((loga[cand] - level) / r.amp_tol) ** 2 \
        + ((1 - corr) / (1 - r.min_corr)) ** 2
    return int(cand[ok][np.argmin(cost[ok])])


def _follow(track, t, loga, shapes, free, r, direction):
    """Extend a train (list of indices in time order) forward (+1) or backward (−1)."""
    seq = track if direction > 0 else track[::-1]
    isi = abs(t[seq[-1]] - t[seq[-2]])
    level = float(np.mean(loga[seq[-3:]]))
    template = shapes[seq].mean(axis=0)
    misses = 0
    while misses < r.max_misses:
        t_pred = t[seq[-1]] + direction * isi * (misses + 1)
        best = _best(t_pred, isi, t, loga, shapes, free, level, template, r)
        if best is None:
            misses += 1
            continue
        new_isi = abs(t[best] - t[seq[-1]]) / (misses + 1)
        if not r.min_isi_s <= new_isi <= r.max_isi_s:
            break
        seq.append(best)
        free[best] = False
        isi = 0.6 * isi + 0.4 * new_isi  # follows a rate that keeps rising or falling
        level = 0.7 * level + 0.3 * float(loga[best])
        template = 0.9 * template + 0.1 * shapes[best]
        misses = 0
    return seq if direction > 0 else seq[::-1]


def track_trains(times, amplitudes, snippets, rules=None):
    """Separate interleaved trains by the continuity of their intervals and amplitudes.

    Parameters
    ----------
    times : ndarray, shape (n_spikes,)
        Spike times of one channel's search window, s, sorted.
    amplitudes : ndarray, shape (n_spikes,)
        Peak-to-peak amplitude of each spike (any unit).
    snippets : ndarray, shape (n_spikes, n_snip)
        The potential of each spike.
    rules : TrackingRules | None
        Thresholds (default :class:`TrackingRules()`).

    Returns
    -------
    labels : ndarray of int, shape (n_spikes,)
        Train index of each spike (0, 1, ... in the order found, largest first), −1 for the
        spikes no accepted train took.
    """
    r = rules or TrackingRules()
    t = np.asarray(times, dtype=float)
    n = t.size
    labels = np.full(n, -1)
    if n < r.min_spikes:
        return labels
    loga = np.log(np.maximum(np.asarray(amplitudes, dtype=float), np.finfo(float).tiny))
    shapes = _shapes(np.asarray(snippets, dtype=float))
    free = np.ones(n, bool)
    tried = np.zeros(n, bool)
    n_trains = 0
    for i in np.argsort(-loga, kind="stable"):
        if not free[i] or tried[i]:
            continue
        tried[i] = True
        pair = _seed(i, t, loga, shapes, free, r)
        if pair is None:
            continue
        track = [pair[0], int(i), pair[1]]
        free[track] = False
        track = _follow(track, t, loga, shapes, free, r, +1)
        track = _follow(track, t, loga, shapes, free, r, -1)
        if len(track) >= r.min_spikes:
            labels[track] = n_trains
            n_trains += 1
        else:
            free[track] = True  # too short: give the spikes back
            tried[track] = True
    return labels


#: Most share of a tracked train's intervals that bridge masked spikes (ours: beyond it, a
#: chain picked out of a denser pattern at a sub-multiple of its rate is likelier than a fibre).
MAX_BRIDGED_SHARE = 0.3


def _bridged_share(times):
    """Share of the intervals of a train that span presumed missed spikes."""
    isi = np.diff(times)
    filled, _ = fill_missed(isi)
    return float(np.mean(filled < isi)) if isi.size else 0.0


def needs_tracking(times, amplitudes, rules, snippets=None):
    """Whether a unit's train should be tracked: interleaved fibres, not one generator.

    Fibres whose potentials look alike (surface EMG, or small potentials in noise) share one
    cluster, or split between clusters by chance, and their interleaved spikes fail the
    one-generator rule (intervals or amplitudes irregular,
    :class:`~myoemg.detect.rules.DischargeRules`). A train at neuromyotonic burst rates is
    one fast generator and is not tracked; nor is one too short to hold two myotonic trains.

    Parameters
    ----------
    times : ndarray, shape (n_spikes,)
        Spike times of the unit's train, s, sorted.
    amplitudes : ndarray, shape (n_spikes,)
        Peak-to-peak amplitude of each potential.
    rules : DischargeRules
        ``myotonic_min_spikes``, ``myotonic_max_isi_cv2``, ``myotonic_max_amplitude_cv2``,
        ``neuromyotonic_rate_hz``, ``min_burst_fraction``.
    snippets : ndarray, shape (n_spikes, n_snip) | None
        The potentials: the amplitude irregularity is then counted beyond what measurement
        noise explains (:func:`~myoemg.detect.features.amplitude_noise_cv2`), as the rules do.
    """
    raw_isi = np.diff(times)
    if times.size < 2 * rules.myotonic_min_spikes:
        return False
    amp_cv2 = cv2(np.asarray(amplitudes, float))
    if snippets is not None:
        amp_cv2 = excess_cv2(amp_cv2, amplitude_noise_cv2(amplitudes, snippets))
    one_generator = (cv2(fill_missed(raw_isi)[0]) <= rules.myotonic_max_isi_cv2
                     and amp_cv2 <= rules.myotonic_max_amplitude_cv2)
    lo, hi = rules.neuromyotonic_rate_hz
    at_burst_rates = np.mean((raw_isi >= 1 / hi) & (raw_isi <= 1 / lo)) >= rules.min_burst_fraction
    return not one_generator and not at_burst_rates


def track_pool(times, amplitudes, snippets, rules):
    """Fibre trains in a pool of spikes that failed the one-generator rule.

    :func:`track_trains` with intervals at myotonic rates; a train bridging more than
    :data:`MAX_BRIDGED_SHARE` of its intervals is not kept.

    Parameters
    ----------
    times : ndarray, shape (n_spikes,)
        Spike times, s, sorted.
    amplitudes : ndarray, shape (n_spikes,)
        Peak-to-peak amplitude of each potential.
    snippets : ndarray, shape (n_spikes, n_snip)
        The potentials.
    rules : DischargeRules
        ``myotonic_rate_hz`` and ``myotonic_min_spikes``.

    Returns
    -------
    labels : ndarray of int, shape (n_spikes,)
        Train of each spike (0, 1, ...), −1 for the spikes no kept train took.
    """
    tracking = TrackingRules(min_isi_s=1 / (1.1 * rules.myotonic_rate_hz[1]),
                             min_spikes=2 * rules.myotonic_min_spikes)
    labels = track_trains(times, amplitudes, snippets, tracking)
    out = np.full(labels.shape, -1)
    kept = 0
    for k in range(labels.max() + 1):
        own = labels == k
        if _bridged_share(times[own]) <= MAX_BRIDGED_SHARE:
            out[own] = kept
            kept += 1
    return out


__all__ = ["MAX_BRIDGED_SHARE", "TrackingRules", "needs_tracking", "track_pool",
           "track_trains"]
