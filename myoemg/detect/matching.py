"""Template matching of a window's residual: the potentials other units masked.

Once clustering (:mod:`myoemg.detect.sorting`) has given each unit a template and the sorted
spikes have been subtracted, what is left is explained as a sum of scaled templates by greedy
matching pursuit, as the template matching of Kilosort (Pachitariu et al. 2016/2024) and the
decomposition of EMGLAB (McGill et al., J Neurosci Methods 2005;149:121–133) do. At each
round, every template is placed where it removes the most energy, at placements that do not
overlap each other; their scaled templates are subtracted; and the search goes on. Potentials
that collide are thus found one after the other, the larger first. Placements are not thinned
by a refractory period across the channel, only within a unit afterwards (two fibres may fire
within a millisecond of each other).

The correlations are computed once by FFT and then updated only near each subtraction, from
the templates' overlaps at every lag. Everything is vectorised over samples; the loops run
over rounds (a few) and over units (at most ``DischargeRules.max_units``).
"""

from __future__ import annotations

import numpy as np
from scipy import signal as sps
from scipy import sparse
from scipy.sparse.linalg import spsolve


def correlate_templates(x, templates):
    """Dot product of every template with ``x`` centred at every sample.

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        The signal.
    templates : ndarray, shape (n_units, 2·half + 1)
        Templates of odd length.

    Returns
    -------
    c : ndarray, shape (n_units, n_times)
        ``c[u, p] = Σ_k x[p − half + k] · templates[u, k]`` (x taken as zero outside).
    """
    # convolving with the time-reversed template is correlating; "same" keeps p centred
    rows = np.broadcast_to(x, (templates.shape[0], x.size))  # oaconvolve does not broadcast
    return sps.oaconvolve(rows, templates[:, ::-1], mode="same", axes=1)


def template_overlaps(templates):
    """Dot products of every pair of templates at every relative lag.

    Parameters
    ----------
    templates : ndarray, shape (n_units, n_snip)
        Templates of odd length ``n_snip``.

    Returns
    -------
    overlap : ndarray, shape (n_units, 2·n_snip − 1, n_units)
        ``overlap[u, j, v]`` is what a unit-gain template ``u`` centred at sample p adds to
        :func:`correlate_templates` of template ``v`` at sample p + j − (n_snip − 1).
    """
    n_units, n_snip = templates.shape
    padded = np.pad(templates, ((0, 0), (n_snip - 1, n_snip - 1)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, n_snip, axis=1)
    return windows @ templates.T


def place(n_times, samples, units, gains, templates):
    """Sum of ``gains``-scaled templates centred at ``samples``, shape (n_times,)."""
    if samples.size == 0:
        return np.zeros(n_times)
    half = templates.shape[1] // 2
    idx = samples[:, None] + np.arange(-half, half + 1)[None, :]
    inside = (idx >= 0) & (idx < n_times)
    wave = gains[:, None] * templates[units]
    # bincount adds in the order of np.add.at, from zero: the same sums, without its overhead
    return np.bincount(idx[inside], weights=wave[inside], minlength=n_times)


def joint_gains(x, samples, units, templates):
    """Least-squares gains of all placements at once (the templates as sparse columns).

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        The signal, V.
    samples, units : ndarray of int, shape (n_spikes,)
        Centre sample and template of each placement.
    templates : ndarray, shape (n_units, n_snip)
        Templates (unit gain), V.

    Returns
    -------
    gains : ndarray, shape (n_spikes,)
        The gains minimising ``‖x − Σ gain · template‖²`` jointly.
    """
    if samples.size == 0:
        return np.zeros(0)
    half = templates.shape[1] // 2
    rows = samples[:, None] + np.arange(-half, half + 1)[None, :]
    cols = np.broadcast_to(np.arange(samples.size)[:, None], rows.shape)
    inside = (rows >= 0) & (rows < x.size)
    design = sparse.csc_array((templates[units][inside], (rows[inside], cols[inside])),
                              shape=(x.size, samples.size))
    # normal equations: banded, since only placements that overlap interact; a ridge of
    # 1e-9 of the mean template energy keeps a placement repeated at one sample solvable
    gram = (design.T @ design).tocsc()
    ridge = 1e-9 * float(gram.diagonal().mean())
    return spsolve(gram + ridge * sparse.eye_array(samples.size, format="csc"),
                   design.T @ x)


def _local_energy(x, n_snip):
    """``Σ x²`` over the ``n_snip`` samples centred at each sample (zero outside)."""
    half = n_snip // 2
    c = np.concatenate([[0.0], np.cumsum(np.pad(x * x, (half, half)))])
    return c[n_snip:] - c[:-n_snip]


def _best_placements(c, local, free, energy, peak, min_peak, min_corr):
    """Best template and the energy its placement removes, at some samples.

    A placement counts when its unit is ``free`` there (not within its refractory period of
    one of its spikes), its gain is positive, its peak stands at ``min_peak`` or more and its
    template correlates with the residual under it at ``min_corr`` or more; else its score
    is 0. ``c`` and ``free`` hold the correlations and the freedom at those samples, shape
    (n_units, n_cols), and ``local`` the residual's energy under the template there, shape
    (n_cols,).
    """
    gain = c / energy[:, None]
    removed = np.where(free & (gain > 0) & (gain * peak[:, None] >= min_peak[:, None]), c * gain,
                       0.0)
    best = np.argmax(removed, axis=0)
    score = removed[best, np.arange(best.size)]
    # correlation c / (|t| |r|) ≥ min_corr, squared: c² ≥ min_corr² |t|² |r|², c² = removed |t|²
    score[score < min_corr**2 * local] = 0.0
    return best, score


def _block(free, samples, units, refractory_n):
    """Mark each unit not free within its refractory period of each of its spikes."""
    if samples.size == 0:
        return
    ref = refractory_n[units]
    width = int(ref.max())
    lag = np.arange(-width, width + 1)
    rows = np.broadcast_to(units[:, None], (units.size, lag.size))
    cols = samples[:, None] + lag[None, :]
    inside = (np.abs(lag)[None, :] < ref[:, None]) & (cols >= 0) & (cols < free.shape[1])
    free[rows[inside], cols[inside]] = False


def match_pursuit(x, templates, *, min_peak, min_corr, refractory_n=None, spikes=None,
                  max_rounds=4):
    """Place scaled templates on ``x`` until no placement explains a potential.

    Parameters
    ----------
    x : ndarray, shape (n_times,)
        Band-passed EMG of the window, V.
    templates : ndarray, shape (n_units, 2·half + 1)
        Unit templates (unit gain), V.
    min_peak : float or ndarray, shape (n_units,)
        Least peak ``|gain · template|`` of a placement, V (the spike threshold), for all
        units or for each.
    min_corr : float
        Least correlation of a placement's template with the residual under it (0–1).
    refractory_n : ndarray of int, shape (n_units,), optional
        Least distance of two spikes of one unit, samples: a unit is not placed closer than
        this to one of its spikes (those in ``spikes`` and those placed here). Default 1.
    spikes : tuple of ndarray of int, optional
        ``(samples, units)`` of spikes already in ``x`` (subtracted from it), for the
        refractory periods only.
    max_rounds : int
        Most rounds of placement: a potential under up to ``max_rounds − 1`` others is found
        (ours: 3 and 8 rounds gave the same calls on the tuning family, with matching on
        every window).

    Returns
    -------
    samples : ndarray of int, shape (n_spikes,)
        Centre sample of each placement, sorted.
    units : ndarray of int, shape (n_spikes,)
        Template of each placement.
    gains : ndarray, shape (n_spikes,)
        Least-squares scale of each placement (> 0).
    residual : ndarray, shape (n_times,)
        ``x`` minus every placed template, V.
    """
    n_units, n_snip = templates.shape
    resid = np.array(x, dtype=float, copy=True)
    out_s, out_u = [], []
    if n_units == 0 or x.size == 0:
        return np.zeros(0, int), np.zeros(0, int), np.zeros(0), resid
    energy = np.maximum(np.sum(templates * templates, axis=1), 1e-30)
    peak = np.abs(templates).max(axis=1)
    lags = np.arange(-(n_snip - 1), n_snip)
    overlap = template_overlaps(templates)  # (n_units, 2·n_snip − 1, n_units)
    min_peak = np.broadcast_to(np.asarray(min_peak, float), (n_units,))
    refractory_n = (np.ones(n_units, int) if refractory_n is None
                     else np.maximum(np.asarray(refractory_n, int), 1))
    free = np.ones((n_units, x.size), bool)
    if spikes is not None:
        _block(free, *spikes, refractory_n)
    # a placement changes the correlations within a snippet, the freedom within a refractory
    # period: the scores to recompute around it
    far = max(n_snip - 1, int(refractory_n.max()))
    reach = np.arange(-far, far + 1)
    c = correlate_templates(resid, templates)  # correlated once, then updated in place
    best, score = _best_placements(c, _local_energy(resid, n_snip), free, energy, peak,
                                   min_peak, min_corr)
    for _ in range(max_rounds):
        # placements at least one snippet apart do not overlap: subtract them all at once
        pos, _ = sps.find_peaks(np.concatenate([[0.0], score, [0.0]]), height=1e-300,
                                distance=n_snip)
        pos = pos - 1
        if pos.size == 0:
            break
        u = best[pos]
        g = c[u, pos] / energy[u]
        resid -= place(x.size, pos, u, g, templates)
        _block(free, pos, u, refractory_n)
        # what each subtraction changes in every template's correlation, near it; elsewhere
        # the correlations, the residual energy, the refractory periods and so the scores
        # are as they were
        near = pos[:, None] + lags[None, :]
        ok = (near >= 0) & (near < x.size)
        for v in range(n_units):
            delta = g[:, None] * overlap[u, :, v]  # (n_pos, 2·n_snip − 1)
            c[v] -= np.bincount(near[ok], weights=delta[ok], minlength=x.size)
        dirty = np.unique(np.clip(pos[:, None] + reach[None, :], 0, x.size - 1))
        local = _local_energy(resid, n_snip)[dirty]
        best[dirty], score[dirty] = _best_placements(c[:, dirty], local, free[:, dirty],
                                                     energy, peak, min_peak, min_corr)
        out_s.append(pos)
        out_u.append(u)
    if not out_s:
        return np.zeros(0, int), np.zeros(0, int), np.zeros(0), resid
    samples, units = np.concatenate(out_s), np.concatenate(out_u)
    # greedy gains are biased where placements overlap (the larger took some of the
    # smaller's energy): refit them jointly, and drop what no longer stands above threshold
    gains = joint_gains(x, samples, units, templates)
    keep = (gains > 0) & (gains * peak[units] >= min_peak[units])
    samples, units = samples[keep], units[keep]
    gains = joint_gains(x, samples, units, templates)
    order = np.argsort(samples, kind="stable")
    samples, units, gains = samples[order], units[order], gains[order]
    return samples, units, gains, x - place(x.size, samples, units, gains, templates)
