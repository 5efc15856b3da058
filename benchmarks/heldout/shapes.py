"""Potential shapes on a fine time grid, tissue filtering, and rendering of spike trains.

Every potential is a :class:`Template`: samples on a fine grid (``FINE_DT_S`` = 5 µs) with its
main extremum at t = 0 and a peak |value| of 1, so a spike "at time t" means that its main
extremum is at t, and its amplitude in volts is the peak |value|. Rendering evaluates the
template at each output sample by linear interpolation on the fine grid (sub-sample timing).

Written for the held-out family, independently of ``myoemg.sim``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal as sps

#: Fine grid step of every template, s (5 µs: 4 points per sample even at 48 kHz).
FINE_DT_S = 5e-6
_SUPPORT_REL = 1e-3  # a template ends where |w| < 0.1 % of its peak (ours)


@dataclass(frozen=True)
class Template:
    """A potential on the fine grid; main extremum at t = 0, peak |value| = 1.

    Attributes
    ----------
    values : ndarray, shape (n_fine,)
        Dimensionless shape.
    t0_s : float
        Time of ``values[0]`` relative to the main extremum, s (negative).
    polarity : int
        Sign of the main extremum (+1 or -1).
    shape : str
        Name of the shape family ('biphasic', 'positive_wave', 'muap', 'complex', ...).
    """

    values: np.ndarray
    t0_s: float
    polarity: int
    shape: str

    @property
    def duration_ms(self):
        """Time between the first and last fine sample above 5 % of the peak, ms."""
        above = np.flatnonzero(np.abs(self.values) > 0.05)
        return (above[-1] - above[0]) * FINE_DT_S * 1e3


def _grid(before_ms, after_ms):
    return np.arange(-before_ms * 1e-3, after_ms * 1e-3, FINE_DT_S)


def _gauss(t, sigma):
    return np.exp(-0.5 * (t / sigma) ** 2)


def finalize(w, shape):
    """Centre a raw shape on its main extremum, crop its support, normalise the peak to 1."""
    w = np.asarray(w, float)
    i = int(np.argmax(np.abs(w)))
    pol = 1 if w[i] > 0 else -1
    w = w / abs(w[i])
    keep = np.flatnonzero(np.abs(w) > _SUPPORT_REL)
    lo, hi = keep[0], keep[-1] + 1
    return Template(w[lo:hi].copy(), (lo - i) * FINE_DT_S, pol, shape)


def fibre_spike(rng, *, phase_ms, polarity):
    """Biphasic single-fibre spike: a main phase and a smaller opposite one (ratio 1.5–3).

    The smaller phase comes first or second (e.g. an initial positive deflection before the
    main negative spike of a fibrillation-like potential); its width is 0.8–2 times the main
    phase's (ours).

    Parameters
    ----------
    phase_ms : float
        Duration of the main phase, ms (needle 0.3–1 ms).
    polarity : {+1, -1}
        Sign of the main (largest) phase.
    """
    s_main = phase_ms * 1e-3 / 2.5
    s_other = s_main * rng.uniform(0.8, 2.0)
    gap = 1.2 * (s_main + s_other)
    t = _grid(6 * (s_main + s_other) * 1e3, 6 * (s_main + s_other) * 1e3)
    side = rng.choice([-1, 1])  # the smaller phase before (-1) or after (+1) the main one
    w = _gauss(t, s_main) - _gauss(t - side * gap, s_other) / rng.uniform(1.5, 3.0)
    return finalize(polarity * w, "biphasic")


def positive_wave(rng, *, duration_ms):
    """Positive wave: sharp positive phase (rise 0.3–1 ms) and a long shallow negative return.

    The net area is zero (a capacitively coupled potential); total duration 5–20 ms.
    """
    rise = rng.uniform(0.15, 0.5) * 1e-3
    fall = rng.uniform(0.6, 2.0) * 1e-3
    t = _grid(8 * rise * 1e3, duration_ms * 1.6)
    pos = np.where(t < 0, _gauss(t, rise), np.exp(-np.clip(t, 0, None) / fall))
    theta = max(duration_ms * 1e-3 / 5.0, 2 * fall)
    tt = np.clip(t, 0, None)
    neg = (tt / theta) ** 2 * np.exp(-tt / theta)
    neg *= pos.sum() / neg.sum()
    return finalize(pos - neg, "positive_wave")


def muap(rng, *, duration_ms, needle):
    """Motor-unit potential: triphasic (Gaussian second derivative), asymmetric, some polyphasic.

    Needle MUAPs carry a sharp spike (σ 0.15–0.35 ms) on the slower triphasic wave.
    """
    sigma = duration_ms * 1e-3 / 6.0
    t = _grid(duration_ms * 1.2, duration_ms * 1.5)
    g = _gauss(t, sigma)
    w = (1 - (t / sigma) ** 2) * g + rng.uniform(-0.6, 0.6) * (t / sigma) * g
    if needle:
        s = rng.uniform(0.15, 0.35) * 1e-3
        w = 0.5 * w + ((1 - (t / s) ** 2) * _gauss(t, s) + rng.uniform(-0.5, 0.5) * t / s
                       * _gauss(t, s))
    for _ in range(rng.choice([0, 0, 0, 1, 2])):  # satellite / late components (polyphasic)
        d = rng.uniform(1.5, 0.5 * duration_ms) * 1e-3
        s = sigma * rng.uniform(0.25, 0.5)
        w += rng.uniform(0.15, 0.5) * rng.choice([-1, 1]) * (t - d) / s * _gauss(t - d, s)
    tpl = finalize(w, "muap")
    return tpl if rng.random() < 0.5 else Template(-tpl.values, tpl.t0_s, -tpl.polarity, "muap")


def complex_potential(rng, *, n_components, span_ms, phase_ms):
    """Polyphasic / serrated complex (CRD): several fibre spikes locked together."""
    t = _grid(6 * phase_ms, span_ms + 6 * phase_ms)
    w = np.zeros_like(t)
    for d in np.sort(rng.uniform(0, span_ms * 1e-3, n_components)):
        s = phase_ms * 1e-3 / 2 * rng.uniform(0.7, 1.4)
        w += rng.uniform(0.3, 1.0) * rng.choice([-1, 1]) * (t - d) / s * _gauss(t - d, s)
    return finalize(w, "complex")


def tissue_filter(tpl, *, spread_ms):
    """Volume conduction: spread a potential by a Gaussian kernel (low-pass), re-centre.

    Parameters
    ----------
    spread_ms : float
        Full width of the kernel (4 σ), ms; surface 2–8 ms. The amplitude is renormalised to 1
        afterwards (the caller sets the amplitude seen at the skin).
    """
    sigma = spread_ms / 4.0 * 1e-3
    half = int(np.ceil(4 * sigma / FINE_DT_S))
    k = _gauss(np.arange(-half, half + 1) * FINE_DT_S, sigma)
    pad = np.concatenate([np.zeros(half), tpl.values, np.zeros(half)])
    w = sps.fftconvolve(pad, k / k.sum(), mode="same")
    out = finalize(w, tpl.shape)
    return out


def render(out, times_s, amps, tpl, *, fs, max_block=4_000_000):
    """Add a train of one potential into ``out`` (in place).

    Parameters
    ----------
    out : ndarray, shape (n_times,)
        Signal to add into (sample 0 at t = 0 s).
    times_s : ndarray, shape (n_spikes,)
        Times of the main extremum, s.
    amps : ndarray, shape (n_spikes,)
        Amplitude of each potential (peak |value| in the output unit; the template carries
        the sign).
    tpl : Template
    fs : float
        Sampling rate, Hz.
    """
    times_s = np.asarray(times_s, float)
    amps = np.broadcast_to(np.asarray(amps, float), times_s.shape)
    if times_s.size == 0:
        return out
    n_fine = tpl.values.size
    first = np.ceil((times_s + tpl.t0_s) * fs).astype(np.int64)
    n_win = int(np.ceil(n_fine * FINE_DT_S * fs)) + 1
    k = np.arange(n_win)
    step = max(1, max_block // n_win)
    for a in range(0, times_s.size, step):
        sl = slice(a, a + step)
        idx = first[sl, None] + k
        pos = ((idx / fs) - times_s[sl, None] - tpl.t0_s) / FINE_DT_S
        i0 = np.floor(pos).astype(np.int64)
        frac = pos - i0
        ok = (i0 >= 0) & (i0 < n_fine - 1) & (idx >= 0) & (idx < out.size)
        i0c = np.clip(i0, 0, n_fine - 2)
        val = tpl.values[i0c] * (1 - frac) + tpl.values[i0c + 1] * frac
        val = np.where(ok, val * amps[sl, None], 0.0)
        lo = max(int(idx.min()), 0)
        hi = min(int(idx.max()) + 1, out.size)
        if hi <= lo:
            continue
        sel = ok.ravel()
        out[lo:hi] += np.bincount(idx.ravel()[sel] - lo, weights=val.ravel()[sel],
                                  minlength=hi - lo)
    return out


def band_gain(tpl, *, fs, sos):
    """Peak |value| of a unit-amplitude potential after the analysis band-pass (zero-phase).

    Returns
    -------
    gain : float
        Peak |value| in the band.
    shift_s : float
        Time of that peak relative to the template's t = 0 (parabolic sub-sample estimate).
    """
    n = int(np.ceil(tpl.values.size * FINE_DT_S * fs))
    pad = max(int(0.2 * fs), 64)  # 200 ms each side: the 10–20 Hz high-pass settles
    x = np.zeros(n + 2 * pad)
    t_spike = pad / fs - tpl.t0_s
    render(x, np.array([t_spike]), np.array([1.0]), tpl, fs=fs)
    y = np.abs(sps.sosfiltfilt(sos, x))
    i = int(np.argmax(y))
    a, b, c = y[i - 1], y[i], y[i + 1]
    den = a - 2 * b + c
    frac = 0.5 * (a - c) / den if den != 0 else 0.0
    return float(b), (i + frac) / fs - t_spike


def shifted(tpl, shift_s):
    """The same potential with its reference instant moved by ``shift_s`` (s)."""
    return Template(tpl.values, tpl.t0_s - shift_s, tpl.polarity, tpl.shape)
