"""What a neurophysiologist reads on one unit's train: rates, waxing and waning, regularity.

:func:`train_features` measures the spikes of **one unit** (one generator, after sorting), so
every rate comes from that unit's own intervals: two detections of one potential are merged
by the sorter and an interval never joins the spikes of two fibres. Intervals that span a
spike masked by another unit (≈ k × the neighbouring intervals) are divided by k.
"""

from __future__ import annotations

import numpy as np

_MAINS_HZ = (50.0, 60.0)


def running_median3(v):
    """Running median of 3 (ends kept), shape preserved."""
    if v.size < 3:
        return v.copy()
    out = v.copy()
    out[1:-1] = np.median(np.stack([v[:-2], v[1:-1], v[2:]]), axis=0)
    return out


def modulation(tnorm, values):
    """``1 - min/max`` of a polynomial trend of log(values) at the data points (0 = flat)."""
    n = values.size
    if n < 4:
        return 0.0
    deg = int(min(3, max(1, n // 8)))
    logv = np.log(np.maximum(values, np.finfo(float).tiny))
    coef = np.polyfit(tnorm, logv, deg)
    fit = np.polyval(coef, tnorm)
    return float(1 - np.exp(fit.min() - fit.max()))


def cv2(v):
    """Median of 2|Δv| / (v_k + v_k+1): local irregularity of a sequence (Holt et al. 1996)."""
    if v.size < 2:
        return np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.nanmedian(2 * np.abs(np.diff(v)) / (v[1:] + v[:-1])))


def amplitude_noise_cv2(amplitudes, snippets):
    """Median CV2 of successive amplitudes that measurement noise alone would give.

    Each amplitude is a least-squares scale of the unit's template
    (:mod:`myoemg.detect.sorting`), so what the template leaves unexplained in a snippet (noise,
    and potentials of other fibres that were never detected, hence never subtracted) makes it
    uncertain: relative SD ``r = σ / (|a| ‖T‖)``, with ``σ`` the residual SD per sample and
    ``T`` the template scaled so that a snippet ≈ ``a T``. Two successive amplitudes then
    differ by a CV2 of about ``|ε_k+1 − ε_k|``, whose median is ``0.674 √(r_k² + r_k+1²)``
    for normal errors. Parameters as :func:`train_features`; returns 0 for < 2 spikes.
    """
    a = np.asarray(amplitudes, float)
    if a.size < 2:
        return 0.0
    tiny = np.finfo(float).tiny
    template = (a @ snippets) / max(float(a @ a), tiny)
    resid = snippets - a[:, None] * template
    rel = np.sqrt(np.mean(resid**2, axis=1)) / np.maximum(
        np.abs(a) * np.linalg.norm(template), tiny)
    return float(0.674 * np.median(np.hypot(rel[1:], rel[:-1])))


def excess_cv2(measured, noise):
    """The part of a median CV2 that the measurement noise does not explain (in quadrature)."""
    return float(np.sqrt(max(measured**2 - noise**2, 0.0))) if np.isfinite(measured) else measured


def fill_missed(isi, min_ratio=1.7, max_k=4):
    """Divide an interval that is close to k × its neighbours' median (k = 2..4) by k.

    A spike masked by another unit's potential, or below threshold at the waning end, leaves
    one interval k times as long as its neighbours; rates and regularity are measured as if it
    had been found (ours). Returns the corrected intervals and the number of presumed misses.
    """
    if isi.size < 3:
        return isi, 0
    pad = np.pad(isi, 2, mode="edge")
    win = np.lib.stride_tricks.sliding_window_view(pad, 5)
    ref = np.median(np.delete(win, 2, axis=1), axis=1)
    ratio = isi / ref
    k = np.where(ratio >= min_ratio, np.clip(np.round(ratio), 1, max_k), 1.0)
    k = np.where(np.abs(ratio - k) <= 0.3 * k, k, 1.0)
    return isi / k, int(np.sum(k - 1))


def mains_locking(t, n_bins=20, k=4):
    """Concentration of spike times on a few phases of the 50 or 60 Hz cycle (0–1).

    The share of spikes in the ``k`` fullest of ``n_bins`` phase bins, rescaled so that a
    uniform spread gives 0 and spikes at ≤ ``k`` fixed phases (hum peaks) give 1 (ours).
    """
    if t.size < 4:
        return 0.0
    best = 0.0
    chance = k / n_bins
    for f0 in _MAINS_HZ:
        ph = np.floor(np.mod(t * f0, 1.0) * n_bins).astype(int)
        counts = np.sort(np.bincount(ph, minlength=n_bins))[::-1]
        best = max(best, (counts[:k].sum() / t.size - chance) / (1 - chance))
    return float(best)


def mains_fraction(wide, fs, n_harmonics=4):
    """Share of a median waveform's energy (± one mains cycle) at 50 or 60 Hz harmonics.

    Hum is a sum of mains harmonics (docs: domain reference, signal processing); a brief potential
    spreads its energy over the band (ours). ``wide`` is the unit's median waveform, centred, shape
    (2·half + 1,).
    """
    centre = wide.size // 2
    best = 0.0
    for f0 in _MAINS_HZ:
        half = min(centre, max(2, int(round(fs / f0))))
        seg = wide[centre - half: centre + half + 1]
        seg = seg - seg.mean()
        energy = float(seg @ seg)
        if energy <= 0:
            continue
        tt = np.arange(-half, half + 1) / fs
        k = np.arange(1, n_harmonics + 1)
        k = k[k * f0 < 0.45 * fs]
        phase = 2 * np.pi * f0 * np.outer(tt, k)
        design = np.concatenate([np.cos(phase), np.sin(phase)], axis=1)
        coef, *_ = np.linalg.lstsq(design, seg, rcond=None)
        fitted = design @ coef
        best = max(best, float(fitted @ fitted) / energy)
    return best


#: The span of a potential measured on the ±25 ms median waveform ends where its 1 ms RMS
#: falls below this × the RMS of the waveform outside the measured part (ours: in a dense
#: stretch the median keeps a background of the other fibres' potentials, and a tail that
#: does not stand out of it cannot be told from it).
BACKGROUND_FACTOR = 2.0


def _span_ms(wave, fs, floor=0.0):
    """Span (ms) above 20 % of the peak and ``floor`` of the 1 ms RMS, and edge contact."""
    n = max(3, int(round(1e-3 * fs)))
    env = np.sqrt(np.convolve(wave**2, np.ones(n) / n, mode="same"))
    level = min(max(0.2 * env.max(), floor), env.max())
    above = np.flatnonzero(env >= level) if env.max() > 0 else np.array([0])
    edge = above[0] <= n // 2 or above[-1] >= wave.size - 1 - n // 2
    return float(1e3 * (above[-1] - above[0] + 1) / fs), edge


def potential_duration_ms(template, wide, fs, max_half_n):
    """Duration of a unit's potential, ms.

    Measured on its template (other units subtracted); a potential that still stands at the
    template's edges is longer than a snippet and is measured on the ±25 ms median waveform
    ``wide`` instead (ours), down to 20 % of its peak or :data:`BACKGROUND_FACTOR` × the RMS
    of ``wide`` outside the measured part, whichever is higher.
    """
    dur, edge = _span_ms(template, fs)
    if not edge:
        return dur
    centre = wide.size // 2
    lim = int(min(centre, max(template.size // 2, max_half_n)))
    outer = np.concatenate([wide[:centre - lim], wide[centre + lim + 1:]])
    floor = BACKGROUND_FACTOR * float(np.sqrt(np.mean(outer**2))) if outer.size else 0.0
    return _span_ms(wide[centre - lim: centre + lim + 1], fs, floor)[0]


def n_phases(template):
    """Runs of one sign among the samples of ``template`` above 20 % of its peak."""
    big = template[np.abs(template) >= 0.2 * np.abs(template).max()]
    return int(1 + np.count_nonzero(np.diff(np.sign(big)))) if big.size else 0


def similarity(snippets):
    """Median correlation of each snippet (rows) with their median waveform."""
    s = snippets - snippets.mean(axis=1, keepdims=True)
    template = np.median(s, axis=0)
    template = template - template.mean()
    den = np.linalg.norm(s, axis=1) * np.linalg.norm(template)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(den > 0, (s @ template) / den, 0.0)
    return float(np.median(r))


def train_features(times, amplitudes, snr, snippets, wide, *, fs, rules):
    """Features of one unit's train.

    Parameters
    ----------
    times : ndarray, shape (n_spikes,)
        Spike times of the unit, s, sorted.
    amplitudes : ndarray, shape (n_spikes,)
        Peak-to-peak amplitude of each potential, V.
    snr : ndarray, shape (n_spikes,)
        |peak| / quiet noise SD of each potential.
    snippets : ndarray, shape (n_spikes, n_snip)
        The aligned potentials (overlapping units subtracted).
    wide : ndarray, shape (n_wide,)
        Median waveform of the unit over ±25 ms, V (durations and mains share).
    fs : float
        Sampling rate, Hz.
    rules : DischargeRules
        For the neuromyotonic rate band (``burst_fraction``).

    Returns
    -------
    features : dict
        The numeric columns of :data:`myoemg.detect.DISCHARGE_COLUMNS` plus ``burst_fraction`` and
        ``sample_ms`` (the sample interval, the resolution of the durations).
    """
    t = np.asarray(times, float)
    amp = np.asarray(amplitudes, float)
    raw_isi = np.diff(t)
    isi, n_missed = fill_missed(raw_isi)
    rate = 1 / np.maximum(isi, 1e-9)
    rate_s, amp_s = running_median3(rate), running_median3(amp)
    span = max(t[-1] - t[0], 1e-9)
    mid = (0.5 * (t[1:] + t[:-1]) - t[0]) / span
    rate_med = float(np.median(rate)) if rate.size else 0.0
    med_isi_n = float(np.median(raw_isi)) * fs if raw_isi.size else np.inf
    dur_ms = potential_duration_ms(np.mean(snippets, axis=0), wide, fs, 0.5 * med_isi_n)
    lo, hi = rules.neuromyotonic_rate_hz
    raw_rate = 1 / np.maximum(raw_isi, 1e-9)
    one = rate.size > 0
    return {
        "start_s": float(t[0]), "end_s": float(t[-1]), "duration_s": float(t[-1] - t[0]),
        "n_spikes": int(t.size),
        "rate_start_hz": float(np.median(rate[:3])) if one else np.nan,
        "rate_end_hz": float(np.median(rate[-3:])) if one else np.nan,
        "rate_min_hz": float(rate_s.min()) if one else np.nan,
        "rate_max_hz": float(rate_s.max()) if one else np.nan,
        "rate_median_hz": rate_med,
        "amplitude_min_uv": float(amp_s.min() * 1e6), "amplitude_max_uv": float(amp_s.max() * 1e6),
        "amplitude_median_uv": float(np.median(amp) * 1e6),
        "rate_modulation": modulation(mid, rate_s) if one else 0.0,
        "amplitude_modulation": modulation((t - t[0]) / span, amp_s),
        "isi_cv": float(np.std(raw_isi) / np.mean(raw_isi)) if one else np.nan,
        "isi_cv2": cv2(isi), "amplitude_cv2": cv2(amp),
        "amplitude_noise_cv2": amplitude_noise_cv2(amp, snippets),
        "waveform_similarity": similarity(snippets),
        "n_phases": n_phases(np.median(snippets, axis=0)), "spike_duration_ms": dur_ms,
        "amplitude_start_frac": float(np.median(amp[:3]) / amp_s.max()),
        "amplitude_end_frac": float(np.median(amp[-3:]) / amp_s.max()),
        "duty_cycle": float(dur_ms * 1e-3 * rate_med),
        "snr_median": float(np.median(snr)),
        "mains_locking": mains_locking(t), "mains_fraction": mains_fraction(wide, fs),
        "n_missed": n_missed,
        "burst_fraction": float(np.mean((raw_rate >= lo) & (raw_rate <= hi))) if one else 0.0,
        "sample_ms": 1e3 / fs,
    }
