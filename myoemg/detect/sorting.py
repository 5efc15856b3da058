"""Spike sorting of one channel's search window: spikes → aligned snippets → units.

Steps (after Wave_clus, Quiroga et al. 2004; EMGLAB, McGill et al. 2005; the template matching
of Kilosort, Pachitariu et al. 2016/2024, and SpikeInterface):

1. **Candidates**: peaks of ``|x|`` above ``threshold`` × the quiet noise SD, at least one
   refractory period apart (:func:`candidates`).
2. **Features** and 3. **clusters** (:mod:`myoemg.detect.clustering`): principal components
   of the peak-normalised snippets and the log amplitude, grouped by a Gaussian mixture whose
   size the Bayesian information criterion chooses.
4. **Merge** pairs of clusters whose templates match at the best shift (a biphasic potential
   detected on either phase, or one unit split into amplitude bands) when the merged train is
   no less regular than the less regular part (interval continuity: two fibres of the same
   shape interleave and become irregular when merged, while the two halves of one unit fill
   each other's gaps).
5. **Overlaps**: every sorted spike's template, scaled by least squares, is subtracted,
   and the spikes other units masked are found in the residual — the peeling of
   template-matching sorters, in two passes. Either at the residual's peaks that match a
   template, or (``match_overlaps``) by matching pursuit over the whole residual
   (:mod:`myoemg.detect.matching`), which also finds a potential whose peak another one
   hides, but places templates on whatever looks like them: also on the later phases of a
   potential longer than the snippet.
6. Spikes poorly correlated with their unit's template are left unsorted (unit −1); two
   spikes of one unit closer than the refractory period are one potential.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .clustering import gmm_bic, snippet_features
from .features import cv2
from .matching import match_pursuit, place
from .snippets import align_centroid, candidates, coincident, nearest_lag, snippets_at


@dataclass
class WindowSort:
    """Sorted spikes of one channel's search window (samples relative to the slice).

    Attributes
    ----------
    samples : ndarray of int, shape (n_spikes,)
        Alignment sample of each spike in the slice.
    units : ndarray of int, shape (n_spikes,)
        Unit index within the window (0..n_units-1), −1 for unsorted.
    gains : ndarray, shape (n_spikes,)
        Least-squares scale of the unit's template fitted to each spike.
    snippets : ndarray, shape (n_spikes, n_snip)
        Each spike's potential with the other spikes' templates subtracted, V.
    templates : ndarray, shape (n_units, n_snip)
        Median waveform of each unit (unit gain), V.
    """

    samples: np.ndarray
    units: np.ndarray
    gains: np.ndarray
    snippets: np.ndarray
    templates: np.ndarray


def best_shift_corr(a, b, max_shift):
    """Largest correlation of ``a`` and ``b`` over shifts of ±``max_shift`` samples.

    Returns ``(corr, shift)`` with ``a[i + shift] ≈ b[i]``: a snippet of ``b`` centred at
    sample p is aligned with ``a`` when centred at p − shift. At each shift only the
    overlapping parts are compared (their dot product over the product of their norms; 0 when
    either is all zeros); the first of equal maxima is kept.
    """
    n = a.size
    m = int(min(max_shift, n - 1))
    # row j holds a[i + s] for s = j - m (zero where i + s is outside a)
    shifted = np.lib.stride_tricks.sliding_window_view(np.pad(a, m), n)
    inside = np.lib.stride_tricks.sliding_window_view(np.pad(np.ones(n), m), n)
    den = np.sqrt(np.sum(shifted * shifted, axis=1)) * np.sqrt(inside @ (b * b))
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(den > 0, (shifted @ b) / den, 0.0)
    best = int(np.argmax(r))
    if r[best] <= -1.0:  # no shift better than the starting value of a search from −1
        return -1.0, 0
    return float(r[best]), best - m


def _locked_share(small, big, tol_n):
    """Share of ``small``'s spikes at one fixed lag (± ``tol_n``) from the nearest of ``big``."""
    if big.size == 0 or small.size == 0:
        return 0.0
    lag = nearest_lag(small, big)
    return float(np.mean(np.abs(lag - np.median(lag)) <= tol_n))


def drop_locked(samples, units, tol_n, min_share=0.5):
    """Units locked at a fixed lag to a larger unit are a later phase of its potentials.

    A potential detected on two of its phases (both phases of a biphasic spike, the slow
    wave of a positive sharp wave) gives a second "unit" whose spikes follow the first at a
    constant lag; an independent fibre drifts through every lag (ours). The smaller unit's
    spikes are left unsorted (−1).
    """
    units = units.copy()
    ids = sorted((u for u in np.unique(units) if u >= 0), key=lambda u: -np.sum(units == u))
    for i, big_u in enumerate(ids):
        big = np.sort(samples[units == big_u])
        for small_u in ids[i + 1:]:
            small = np.sort(samples[units == small_u])
            if _locked_share(small, big, tol_n) >= min_share:
                units[units == small_u] = -1
    return units


def _same_unit(ta, tb, dead_n, similar=True):
    """Whether two sorted spike-sample sequences are one unit's (see :func:`_merge`).

    One unit when most spikes of the smaller coincide with the other's (one potential found
    on both of its phases), or when the merged sequence, coincidences removed, is no less
    regular than the less regular part (the amplitude bands of a waning unit fill each
    other's gaps; two interleaved fibres do not). For templates that are only loosely
    alike (``similar`` False: one potential aligned on different phases, coarsely sampled),
    the merged sequence must be markedly more regular than either part — each part alone
    skips every other spike of the unit.
    """
    small, big = (ta, tb) if ta.size <= tb.size else (tb, ta)
    twice = coincident(small, big, dead_n)
    if similar and twice.mean() >= 0.5:
        return True
    both = np.sort(np.concatenate([big, small[~twice]]))
    c_a, c_b, c_ab = (cv2(np.diff(v).astype(float)) for v in (ta, tb, both))
    if not np.isfinite([c_a, c_b]).any():
        return similar
    if similar:
        return not np.isfinite(c_ab) or c_ab <= np.nanmax([c_a, c_b]) + 0.02
    return bool(np.isfinite(c_ab) and c_ab <= 0.5 * np.nanmin([c_a, c_b]))


def _merge(samples, labels, snips, x, half, rules, max_shift, dead_n):
    """Merge clusters of one unit (shifted modes, amplitude bands); see the module docstring.

    One merge per round, the best-matching pair that passes :func:`_same_unit` first. Only the
    unit that grew changes between rounds, so templates, correlations and verdicts of the
    other pairs are kept from the previous round.
    """
    labels = labels.copy()
    samples = samples.copy()
    temps, corr, same = {}, {}, {}
    while True:
        ids = [u for u in np.unique(labels) if u >= 0]
        for u in ids:
            if u not in temps:
                temps[u] = np.median(snips[labels == u], axis=0)
        pairs = []
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if (a, b) not in corr:
                    corr[a, b] = best_shift_corr(temps[a], temps[b], max_shift)
                r, s = corr[a, b]
                if r >= rules.merge_corr_interleaved:
                    pairs.append((r, a, b, s))
        for r, a, b, s in sorted(pairs, reverse=True):
            if (a, b) not in same:
                same[a, b] = _same_unit(np.sort(samples[labels == a]),
                                        np.sort(samples[labels == b] - s), dead_n,
                                        similar=r >= rules.merge_corr)
            if same[a, b]:
                moved = labels == b
                samples[moved] -= s
                labels[moved] = a
                snips[moved] = snippets_at(x, samples[moved], half)
                del temps[a]  # b's label is gone for good; a's entries are stale
                corr = {k: v for k, v in corr.items() if a not in k}
                same = {k: v for k, v in same.items() if a not in k}
                break
        else:
            return samples, _relabel(labels), snips


def _relabel(labels):
    out = np.full(labels.shape, -1)
    for i, u in enumerate(u for u in np.unique(labels) if u >= 0):
        out[labels == u] = i
    return out


def _model(n_times, samples, units, gains, templates):
    """Sum of the scaled templates of all sorted spikes over the slice."""
    ok = units >= 0
    return place(n_times, samples[ok], units[ok], gains[ok], templates)


def _fit(x, samples, units, templates, half, min_corr):
    """Gains, own snippets (others subtracted) and a refined unit per spike; poor fits → −1."""
    gains = np.ones(samples.size)
    ok = units >= 0
    t = templates[np.maximum(units, 0)]
    t_energy = np.maximum(np.sum(t * t, axis=1), 1e-30)
    raw = snippets_at(x, samples, half)
    for _ in range(2):
        model = _model(x.size, samples, units, gains, templates)
        # (x − model) at the snippet samples, without a window-long difference
        own = raw - snippets_at(model, samples, half)
        own[ok] += gains[ok, None] * templates[units[ok]]
        snips = own
        gains = np.where(ok, np.sum(own * t, axis=1) / t_energy, 0.0)
    den = np.linalg.norm(snips - snips.mean(1, keepdims=True), axis=1) * \
        np.linalg.norm(t - t.mean(1, keepdims=True), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = np.where(den > 0, np.sum((snips - snips.mean(1, keepdims=True))
                                        * (t - t.mean(1, keepdims=True)), axis=1) / den, 0.0)
    units = np.where((units >= 0) & (corr >= min_corr) & (gains > 0), units, -1)
    return gains, snips, units


def _peel(x, samples, units, gains, templates, sigma, half, dead_n, rules, match_overlaps):
    """Spikes hidden under other units, found in the residual (sorting step 5).

    The sorted spikes' scaled templates are subtracted; the masked potentials are then
    found at the residual's peaks (:func:`_residual_peaks`) or, with ``match_overlaps``, by
    matching pursuit over the whole residual (:func:`_matched`). Either way, one near a
    sorted spike's centre is what that spike's fit left over, not another potential.
    Returns the new spikes' samples and units.
    """
    if templates.shape[0] == 0:
        return np.zeros(0, int), np.zeros(0, int)
    resid = x - _model(x.size, samples, units, gains, templates)
    find = _matched if match_overlaps else _residual_peaks
    ok = units >= 0
    peaks, best = find(resid, samples[ok], units[ok], gains[ok], templates, sigma, half,
                       dead_n, rules)
    taken = np.sort(samples[ok])
    if taken.size and peaks.size:
        keep = ~coincident(peaks, taken, max(2, dead_n // 2))
        peaks, best = peaks[keep], best[keep]
    return peaks, best


def _residual_peaks(resid, samples, units, gains, templates, sigma, half, dead_n, rules):
    """Peaks of the residual that match a template (arguments as :func:`_peel`).

    A potential masked by a larger one seldom leaves a peak of its own, so this finds
    fewer of them than :func:`_matched`; but it places nothing on the unmodelled phases of
    a potential longer than the snippet.
    """
    peaks = candidates(resid, rules.threshold * sigma, dead_n)
    snips = snippets_at(resid, peaks, half)
    s = snips - snips.mean(1, keepdims=True)
    t = templates - templates.mean(1, keepdims=True)
    den = np.linalg.norm(s, axis=1)[:, None] * np.linalg.norm(t, axis=1)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(den > 0, (s @ t.T) / den, 0.0)
    best = np.argmax(r, axis=1)
    keep = r[np.arange(peaks.size), best] >= rules.peel_min_corr
    return peaks[keep], best[keep]


def _matched(resid, samples, units, gains, templates, sigma, half, dead_n, rules):
    """Templates matched over the residual, overlaps resolved (arguments as :func:`_peel`).

    Matching pursuit (:func:`myoemg.detect.matching.match_pursuit`): a potential masked by
    one or more others is found once they are gone; a unit is not placed within its
    refractory period of one of its spikes.
    """
    # a placement is fitted anywhere, not found at a peak: it must stand higher than a
    # detected spike, and at no less than a fraction of its unit's typical size
    typical = np.array([np.median(gains[units == u]) if np.any(units == u) else 0.0
                        for u in range(templates.shape[0])])
    min_peak = np.maximum(rules.match_threshold * sigma,
                          rules.match_min_gain * typical * np.abs(templates).max(axis=1))
    peaks, best, _, _ = match_pursuit(resid, templates, min_peak=min_peak,
                                      min_corr=rules.peel_min_corr,
                                      refractory_n=np.full(templates.shape[0], dead_n),
                                      spikes=(samples, units))
    return peaks, best


def _span_n(template):
    """Samples where ``|template|`` exceeds 20 % of its peak, first to last."""
    big = np.flatnonzero(np.abs(template) >= 0.2 * np.abs(template).max())
    return int(big[-1] - big[0] + 1) if big.size else 1


def _dedupe(samples, units, gains, refractory_n, templates):
    """Keep the larger of two spikes of one unit closer than its refractory period.

    The period is at least the span of the unit's potential: a closer spike is another phase
    of the same potential.
    """
    keep = np.ones(samples.size, bool)
    for u in np.unique(units[units >= 0]):
        idx = np.flatnonzero(units == u)
        idx = idx[np.argsort(samples[idx], kind="stable")]
        close = np.diff(samples[idx]) < max(refractory_n, _span_n(templates[u]))
        drop = np.where(np.abs(gains[idx[1:]]) > np.abs(gains[idx[:-1]]), idx[:-1], idx[1:])
        keep[drop[close]] = False
    return keep


def sort_window(x, sigma, *, fs, half, rules, match_overlaps=False):
    """Decompose one search window of one channel into units.

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        Band-passed, hum-free EMG of the window, V.
    sigma : float
        Quiet noise SD of the channel, V.
    fs : float
        Sampling rate, Hz.
    half : int
        Snippet half-length, samples.
    rules : DischargeRules
        ``threshold``, ``max_units``, ``min_corr``, ``merge_corr``, ``refractory_s``.
    match_overlaps : bool
        Find masked spikes by template matching over the residual (:func:`_matched`)
        rather than at the residual's peaks (:func:`_residual_peaks`); see step 5 above.

    Returns
    -------
    sort : WindowSort
    """
    thr = rules.threshold * sigma
    dead_n = max(1, int(np.ceil(rules.refractory_s * fs)))
    samples = align_centroid(x, candidates(x, thr, dead_n), max(1, half // 2), dead_n)
    empty = WindowSort(np.zeros(0, int), np.zeros(0, int), np.zeros(0), np.zeros((0, 2 * half
                                                                                 + 1)),
                       np.zeros((0, 2 * half + 1)))
    if samples.size < rules.min_train_spikes:
        return empty
    snips = snippets_at(x, samples, half)
    labels = gmm_bic(snippet_features(snips), rules.max_units) if samples.size >= 16 else \
        np.zeros(samples.size, int)
    max_shift = max(1, int(round(0.6 * half)))
    samples, labels, snips = _merge(samples, labels, snips, x, half, rules, max_shift, dead_n)
    for _ in range(2):
        ids = np.unique(labels[labels >= 0])
        if ids.size == 0:
            return empty
        labels = _relabel(labels)
        templates = np.stack([np.median(snips[labels == u], axis=0) for u in range(ids.size)])
        gains, snips, labels = _fit(x, samples, labels, templates, half, rules.min_corr)
        new, new_u = _peel(x, samples, labels, gains, templates, sigma, half, dead_n, rules,
                           match_overlaps)
        samples = np.concatenate([samples, new])
        labels = np.concatenate([labels, new_u])
        gains, snips, labels = _fit(x, samples, labels, templates, half, rules.min_corr)
        labels = drop_locked(samples, labels, max(2, int(round(3e-4 * fs))))
        keep = _dedupe(samples, labels, gains, dead_n, templates)
        samples, labels, gains, snips = samples[keep], labels[keep], gains[keep], snips[keep]
    order = np.argsort(samples, kind="stable")
    return WindowSort(samples[order], labels[order], gains[order], snips[order], templates)

