"""Voluntary EMG of the grips: a sum of motor-unit potential trains (not filtered noise).

A pool of tens of motor units (surface 60–150 seen, needle 15–40) is driven by each grip's
excitation (:meth:`Grip.drive`): units are recruited in order of threshold, fire at 8–35 Hz
with interval CV 0.1–0.25 (:class:`firing.MotorPool`), and each adds its own triphasic MUAP
(5–15 ms) on its home channel and, attenuated by ρ^distance, on the neighbours. The sum is
scaled to a drawn RMS during the holds (surface 100–500 µV, needle 200 µV–1 mV; ours). Firing
stops within 50–150 ms of release when the drive stops, or fades with the force for a slow
voluntary let-go.

Written for the held-out family, independently of ``myoemg.sim``.
"""

from __future__ import annotations

import numpy as np

from . import firing, shapes


def pool_templates(ctx, n_units):
    """One MUAP per unit: surface 8–15 ms spread by 2–5 ms of tissue; needle 5–12 ms."""
    rng = ctx.rng
    needle = ctx.electrode == "needle"
    out = []
    for _ in range(n_units):
        dur = rng.uniform(5, 12) if needle else rng.uniform(8, 15)
        tpl = shapes.muap(rng, duration_ms=dur, needle=needle)
        out.append(tpl if needle else shapes.tissue_filter(tpl, spread_ms=rng.uniform(2, 5)))
    return out


def unit_times(pool, grips, rng):
    """Spike times per unit over all grips, list of arrays (s)."""
    times = [[] for _ in range(pool.n_units)]
    for g in grips:
        tail = 0.2 if not g.drive_follows_force else 12.0
        grid = np.arange(g.onset_s - 0.1, g.release_s + tail, firing.RATE_DT_S)
        drive = g.drive(grid)
        if g.drive_follows_force:
            last = np.flatnonzero(drive > 0)
            grid, drive = grid[: last[-1] + 2], drive[: last[-1] + 2]
        for i in range(pool.n_units):
            r = pool.rates(drive, i)
            if r.any():
                times[i].append(firing.rescaled_times(r, t0_s=grid[0], cv=pool.cv[i], rng=rng))
    return [np.concatenate(t) if t else np.zeros(0) for t in times]


def voluntary_emg(ctx, grips):
    """Render the voluntary interference of all grips, shape (n_channels, n_times), V."""
    rng = ctx.rng
    needle = ctx.electrode == "needle"
    n_units = int(rng.integers(15, 41) if needle else rng.integers(60, 151))
    pool = firing.draw_pool(rng, n_units=n_units)
    templates = pool_templates(ctx, n_units)
    home = rng.integers(ctx.n_channels, size=n_units)
    rho = rng.uniform(0.02, 0.08) if needle else rng.uniform(0.15, 0.5)
    # needle: a unit's amplitude falls steeply with its distance to the tip (ours)
    size = pool.size * (rng.lognormal(0, 0.5, n_units) if needle else 1.0)
    emg = np.zeros((ctx.n_channels, ctx.n_times))
    for i, t in enumerate(unit_times(pool, grips, rng)):
        if t.size == 0:
            continue
        for ch in range(ctx.n_channels):
            gain = rho ** abs(ch - home[i])
            if gain >= 0.03:
                shapes.render(emg[ch], t, np.full(t.size, size[i] * gain), templates[i],
                              fs=ctx.fs)
    hold = np.zeros(ctx.n_times, bool)
    for g in grips:
        a = int((g.onset_s + g.rise_s) * ctx.fs)
        hold[a:int(g.release_s * ctx.fs)] = True
    rms = np.sqrt(np.mean(emg[:, hold] ** 2, axis=1))
    target = rng.uniform(200e-6, 1e-3, ctx.n_channels) if needle \
        else rng.uniform(100e-6, 500e-6, ctx.n_channels)
    return emg * (target / np.where(rms > 0, rms, 1.0))[:, None]
