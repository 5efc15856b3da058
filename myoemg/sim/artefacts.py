"""Things that are not discharges but fill a search window: let-go, hum, movement.

:func:`voluntary_release` (an interference pattern fading after a slow voluntary let-go),
:func:`mains_hum` (switched-on, modulated 50/60 Hz hum) and :func:`movement_artefact`. Same
signature and truth rows as :mod:`myoemg.sim.lookalikes`.
"""

from __future__ import annotations

import numpy as np

from .lookalikes import _grid_doc, _linear_rate
from .potentials import motor_unit_potential, render_spikes, spike_times_from_rate, truth_row

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from typing import Any


@_grid_doc
def voluntary_release(*, fs, n_times, start_s, duration_s, n_units=20, amplitude_v=300e-6,
                      rate_range_hz=(8.0, 25.0), width_s=10.0e-3, cv=0.2, channel=None,
                      trial=None, t0=0.0, rng=None) -> tuple[np.ndarray, dict[str, Any]]:
    """Simulate a slow voluntary let-go: an interference pattern fading over ``duration_s`` seconds.

    ``n_units`` motor units (amplitudes log-uniform from 5 % to 100 % of ``amplitude_v``,
    rates drawn in ``rate_range_hz``) fire from ``start_s - 0.5`` s; each stops at its own time
    in ``[start_s, start_s + duration_s]``, larger units first (derecruitment), while its rate
    falls linearly to 60 % of its initial value. No discharge: truth ``kind='interference'``.

    Parameters
    ----------
    n_units : int
        Number of motor units.
    amplitude_v : float
        Peak-to-peak amplitude of the largest unit, V.
    rate_range_hz : (float, float)
        Range of the initial firing rates, Hz.
    width_s : float
        Mean duration of the motor-unit potentials, s (each unit ×0.7–1.3).
    cv : float
        Interval coefficient of variation of each unit.
    %(grid)s

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`myoemg.sim.potentials.TRUTH_COLUMNS` with ``kind='interference'``.
    """
    rng = np.random.default_rng(rng)
    amps = amplitude_v * np.exp(rng.uniform(np.log(0.05), 0, n_units))
    order = np.argsort(-amps)
    stops = np.sort(rng.uniform(0.05, 1.0, n_units))[np.argsort(order)] * duration_s
    x = np.zeros(n_times)
    all_t, all_a = [], []
    begin = start_s - 0.5
    for k in range(n_units):
        r0 = rng.uniform(*rate_range_hz)
        dur = stops[k] + 0.5
        onset = begin + rng.uniform(0, 0.1)
        times = spike_times_from_rate(_linear_rate(r0, 0.6 * r0, dur), onset, dur, jitter=cv,
                                      rng=rng)
        a = amps[k] * (1 + 0.05 * rng.standard_normal(times.size))
        w = width_s * rng.uniform(0.7, 1.3)
        x += render_spikes(times, a, fs=fs, n_times=n_times, width_s=w,
                           polarity=rng.choice([-1.0, 1.0]), t0=t0, shape=motor_unit_potential)
        all_t.append(times)
        all_a.append(a)
    times = np.concatenate(all_t)
    amp = np.concatenate(all_a)
    keep = times >= start_s
    order = np.argsort(times[keep])
    return x, truth_row(times[keep][order], amp[keep][order], "interference", channel, trial)


@_grid_doc
def mains_hum(*, fs, n_times, start_s, duration_s, mains_hz=50.0, amplitude_v=50e-6,
              n_harmonics=3, modulation=0.5, channel=None, trial=None, t0=0.0,
              rng=None) -> tuple[np.ndarray, dict[str, Any]]:
    """Mains interference (50 or 60 Hz + harmonics) switched on for ``duration_s`` seconds.

    The amplitude waxes and wanes (a slow sine, depth ``modulation``) as it does when a cable
    moves — the hardest case, since its peaks form a perfectly regular 50/60 Hz "train".

    Parameters
    ----------
    mains_hz : float
        50 or 60 Hz.
    amplitude_v : float
        Peak-to-peak amplitude of the fundamental, V.
    n_harmonics : int
        Number of harmonics (the fundamental included; gains 0.1–0.4 above it).
    modulation : float
        Depth of the slow amplitude modulation, 0–1.
    %(grid)s

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`myoemg.sim.potentials.TRUTH_COLUMNS` with ``kind='artefact'``.
    """
    rng = np.random.default_rng(rng)
    t = t0 + np.arange(n_times) / fs
    on = (t >= start_s) & (t < start_s + duration_s)
    phase = rng.uniform(0, 2 * np.pi, n_harmonics)
    gains = np.concatenate([[1.0], rng.uniform(0.1, 0.4, n_harmonics - 1)])
    x = np.zeros(n_times)
    for k in range(n_harmonics):
        f = (k + 1) * mains_hz
        if f < 0.45 * fs:
            x += gains[k] * np.sin(2 * np.pi * f * t + phase[k])
    env = 1 - modulation * 0.5 * (1 - np.cos(2 * np.pi * (t - start_s) / max(duration_s, 1e-9)))
    x = np.where(on, amplitude_v / 2 * x * env, 0.0)
    times = start_s + np.arange(int(duration_s * mains_hz)) / mains_hz
    return x, truth_row(times, np.full(times.size, amplitude_v), "artefact", channel, trial)


@_grid_doc
def movement_artefact(*, fs, n_times, start_s, duration_s, amplitude_v=2e-3, n_steps=3,
                      channel=None, trial=None, t0=0.0,
                      rng=None) -> tuple[np.ndarray, dict[str, Any]]:
    """Movement artefact: electrode shifts (smoothed steps and pops) within ``duration_s``.

    ``n_steps`` baseline jumps of ±``amplitude_v`` at random times, each with a rise of
    2–20 ms and an exponential recovery of 50–300 ms; a band-pass turns them into large, slow,
    ringing deflections.

    Parameters
    ----------
    amplitude_v : float
        Largest baseline jump, V.
    n_steps : int
        Number of jumps.
    %(grid)s

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`myoemg.sim.potentials.TRUTH_COLUMNS` with ``kind='artefact'``.
    """
    rng = np.random.default_rng(rng)
    t = t0 + np.arange(n_times) / fs
    x = np.zeros(n_times)
    times = np.sort(start_s + rng.uniform(0, duration_s, n_steps))
    amps = amplitude_v * rng.uniform(0.3, 1.0, n_steps) * rng.choice([-1, 1], n_steps)
    for tk, ak in zip(times, amps, strict=True):
        rise = rng.uniform(2e-3, 20e-3)
        tau = rng.uniform(0.05, 0.3)
        d = t - tk
        step = 0.5 * (1 + np.tanh(d / rise))
        x += ak * step * np.exp(-np.clip(d, 0, None) / tau)
    return x, truth_row(times, np.abs(amps), "artefact", channel, trial)
