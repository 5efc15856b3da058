"""Potential shapes and spike rendering for simulated EMG (any sampling rate).

Shapes have peak-to-peak amplitude 1 and are centred at ``t = 0`` with the signature
``shape(t, *, width_s, polarity)``: :func:`fibre_potential` (biphasic single-fibre spike),
:func:`positive_sharp_wave`, :func:`motor_unit_potential` (triphasic) and polyphasic
complexes (:func:`complex_shape`). :func:`spike_times_from_rate` turns a rate course into
spike times; :func:`render_spikes` sums potentials on a time grid, touching only the samples
near each spike. Waveforms are evaluated in continuous time at the sample instants.
"""

from __future__ import annotations

import numpy as np

from ..utils import validate_fs


def fibre_potential(t, *, width_s=1.0e-3, polarity=1.0):
    """Biphasic single-fibre potential, peak-to-peak amplitude 1, centred at ``t = 0``.

    The first derivative of a Gaussian of standard deviation ``width_s / 2``: total duration about
    ``3 * width_s`` (1 ms gives a 3 ms spike, docs: domain reference, discharges: "biphasic spikes <
    5 ms").

    Parameters
    ----------
    t : ndarray
        Time from the spike centre, in seconds.
    width_s : float
        Phase-to-phase interval, in seconds.
    polarity : float
        +1 for an initially positive spike, -1 for negative-first.
    """
    sigma = width_s / 2
    u = np.asarray(t) / sigma
    return -polarity * u * np.exp(0.5 - 0.5 * u**2) / 2  # peaks at ±0.5


def wax_wane(x, peak_at):
    """Smooth rise from 0 to 1 at ``peak_at`` and back to 0 at x = 1, for x in [0, 1]."""
    x = np.clip(x, 0, 1)
    return np.where(x < peak_at, np.sin(0.5 * np.pi * x / peak_at) ** 2,
                    np.cos(0.5 * np.pi * (x - peak_at) / (1 - peak_at)) ** 2)


def spike_times_from_rate(rate_fn, start_s, duration_s, *, jitter=0.0, rng=None):
    """Spike times of a pulse train whose instantaneous rate is ``rate_fn(t - start_s)``.

    The phase ∫rate dt is integrated on a fine grid and a spike fires at each whole cycle;
    ``jitter`` adds Gaussian noise to each interval as a fraction of it.
    """
    rng = np.random.default_rng(rng)
    grid = np.linspace(0, duration_s, max(int(duration_s * 20_000), 2))
    phase = np.concatenate([[0.0], np.cumsum(0.5 * (rate_fn(grid[1:]) + rate_fn(grid[:-1]))
                                             * np.diff(grid))])
    cycles = np.arange(0.0, phase[-1])
    times = np.interp(cycles, phase, grid)
    if jitter and times.size > 1:
        isi = np.diff(times) * (1 + jitter * rng.standard_normal(times.size - 1))
        times = np.concatenate([[times[0]], times[0] + np.cumsum(np.maximum(isi, 1e-4))])
        times = times[times <= duration_s]
    return start_s + times


def render_spikes(times, amplitudes, *, fs, n_times, width_s, polarity=1.0, t0=0.0,
                  shape=fibre_potential):
    """Sum of spike waveforms at ``times`` (s) with peak-to-peak ``amplitudes`` (V).

    Only samples within ±6 widths of each spike are touched (vectorised over spikes).

    Returns
    -------
    x : ndarray, shape (n_times,), in volts
    """
    fs = validate_fs(fs)
    x = np.zeros(n_times)
    if len(times) == 0:
        return x
    half = int(np.ceil(6 * width_s * fs)) + 1
    offsets = np.arange(-half, half + 1)
    centre = np.round((np.asarray(times) - t0) * fs).astype(int)
    idx = centre[:, None] + offsets[None, :]
    tt = (idx / fs + t0) - np.asarray(times)[:, None]
    wave = np.asarray(amplitudes)[:, None] * shape(tt, width_s=width_s, polarity=polarity)
    ok = (idx >= 0) & (idx < n_times)
    np.add.at(x, idx[ok], wave[ok])
    return x


def motor_unit_potential(t, *, width_s=8.0e-3, polarity=1.0):
    """Triphasic motor-unit potential of total duration about ``width_s``, peak-to-peak 1.

    The negative second derivative of a Gaussian (standard deviation ``width_s / 6``): a large
    main phase flanked by two smaller opposite phases (docs: domain reference, discharges: 5–15 ms).
    """
    sigma = width_s / 6
    u = np.asarray(t) / sigma
    return polarity * (1 - u**2) * np.exp(-0.5 * u**2) / (1 + 2 * np.exp(-1.5))


def positive_sharp_wave(t, *, width_s=8.0e-3, polarity=1.0):
    """Positive sharp wave: a sharp positive phase, then a slow negative one; peak-to-peak 1.

    The sharp phase is a Gaussian of SD ``width_s / 16`` at ``t = 0``; the slow phase a gamma-like
    lobe with time constant ``width_s / 5`` that starts at the sharp peak (total ≈ ``width_s``).
    """
    t = np.asarray(t)
    sharp = np.exp(-0.5 * (t / (width_s / 16)) ** 2)
    tau = width_s / 5
    v = np.clip(t, 0, None) / tau
    slow = -0.4 * v * np.exp(1 - v)
    return polarity * (sharp + slow) / 1.4


def complex_shape(offsets_s, gains, polarities, width_s):
    """Return a fixed polyphasic complex: fibre potentials at ``offsets_s`` (a closure)."""

    def shape(t, *, width_s=width_s, polarity=1.0):
        out = 0.0
        for off, g, p in zip(offsets_s, gains, polarities, strict=True):
            out = out + g * fibre_potential(np.asarray(t) - off, width_s=width_s,
                                            polarity=p * polarity)
        return out

    grid = np.linspace(-0.05, 0.05, 20001)
    norm = np.ptp(shape(grid))
    return lambda t, *, width_s=width_s, polarity=1.0: shape(t, polarity=polarity) / norm


#: Columns of one truth row of a simulated train (see :func:`truth_row`).
TRUTH_COLUMNS = ["channel", "trial", "start_s", "end_s", "kind", "n_spikes", "rate_start_hz",
                 "rate_end_hz", "rate_min_hz", "rate_max_hz", "amplitude_min_uv",
                 "amplitude_max_uv"]


def truth_row(times, amplitudes, kind, channel, trial):
    """One truth row (:data:`TRUTH_COLUMNS`) of a train with spike ``times`` and ``amplitudes``."""
    rates = 1 / np.diff(times) if len(times) > 1 else np.array([np.nan])
    head = rates[: min(3, rates.size)]
    tail = rates[-min(3, rates.size):]
    return {
        "channel": channel, "trial": trial,
        "start_s": float(times[0]) if len(times) else np.nan,
        "end_s": float(times[-1]) if len(times) else np.nan,
        "kind": kind, "n_spikes": int(len(times)),
        "rate_start_hz": float(np.mean(head)), "rate_end_hz": float(np.mean(tail)),
        "rate_min_hz": float(np.min(rates)), "rate_max_hz": float(np.max(rates)),
        "amplitude_min_uv": float(np.min(amplitudes) * 1e6) if len(times) else np.nan,
        "amplitude_max_uv": float(np.max(amplitudes) * 1e6) if len(times) else np.nan,
    }
