"""Repetitive discharge trains with known truth: spike times, rates and amplitudes.

Each generator returns the samples of the train on a time grid and one truth row (a dict with
the columns of :data:`TRUTH_COLUMNS`). Waveforms are evaluated in continuous time at the sample
instants, so any sampling rate works (1 kHz surface EMG to 44.1 kHz needle audio).

Model of a myotonic discharge (SPEC.md §5): single muscle-fibre potentials (biphasic spikes
< 5 ms) firing at 20–150 Hz whose rate **and** amplitude wax and wane: both follow a smooth
rise-then-fall over the train (the "dive-bomber"), with small random jitter of the intervals.
"""

from __future__ import annotations

import numpy as np

from ..utils import validate_fs

TRUTH_COLUMNS = ["channel", "trial", "start_s", "end_s", "kind", "n_spikes", "rate_start_hz",
                 "rate_end_hz", "rate_min_hz", "rate_max_hz", "amplitude_min_uv",
                 "amplitude_max_uv"]


def fibre_potential(t, *, width_s=1.0e-3, polarity=1.0):
    """Biphasic single-fibre potential, peak-to-peak amplitude 1, centred at ``t = 0``.

    The first derivative of a Gaussian of standard deviation ``width_s / 2``: total duration about
    ``3 * width_s`` (1 ms gives a 3 ms spike, SPEC.md §5: "biphasic spikes < 5 ms").

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


def _wax_wane(x, peak_at):
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


def myotonic_train(*, fs, n_times, start_s, duration_s, rate_start_hz=60.0, rate_peak_hz=90.0,
                   rate_end_hz=30.0, amplitude_v=100e-6, amplitude_end_frac=0.3, peak_at=0.25,
                   width_s=1.0e-3, polarity=1.0, jitter=0.02, channel=None, trial=None, t0=0.0,
                   rng=None):
    """A myotonic discharge: rate and amplitude wax then wane, SPEC.md §5.

    The rate rises smoothly from ``rate_start_hz`` to ``rate_peak_hz`` at ``peak_at`` of the
    duration, then falls to ``rate_end_hz``; the amplitude follows the same shape from
    ``amplitude_v`` (peak-to-peak, at the peak) down to ``amplitude_end_frac`` of it at both ends.

    Parameters
    ----------
    fs : float
        Sampling rate in Hz.
    n_times : int
        Length of the output grid in samples, starting at ``t0`` seconds.
    start_s, duration_s : float
        Train start and duration, in seconds.

    Returns
    -------
    x : ndarray, shape (n_times,)
        The train, in volts.
    truth : dict
        One row of :data:`TRUTH_COLUMNS` with ``kind='myotonic'``.
    """
    rng = np.random.default_rng(rng)

    def rate_fn(t):
        shape = _wax_wane(t / duration_s, peak_at)
        before = t / duration_s < peak_at
        low = np.where(before, rate_start_hz, rate_end_hz)
        return low + (rate_peak_hz - low) * shape

    times = spike_times_from_rate(rate_fn, start_s, duration_s, jitter=jitter, rng=rng)
    rel = (times - start_s) / duration_s
    amp = amplitude_v * (amplitude_end_frac + (1 - amplitude_end_frac) * _wax_wane(rel, peak_at))
    amp *= 1 + 0.05 * rng.standard_normal(amp.size)
    x = render_spikes(times, amp, fs=fs, n_times=n_times, width_s=width_s, polarity=polarity,
                      t0=t0)
    return x, _truth_row(times, amp, "myotonic", channel, trial)


def _truth_row(times, amplitudes, kind, channel, trial):
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
