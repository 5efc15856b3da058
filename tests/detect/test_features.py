"""Features of one unit's train: the potential's duration."""

import numpy as np

from myoemg.detect.features import potential_duration_ms


def _wide(potential, fs, background_v, seed):
    """A ±25 ms median waveform: the potential at the centre over a background."""
    n = int(round(0.025 * fs))
    wide = background_v * np.random.default_rng(seed).standard_normal(2 * n + 1)
    wide[n - potential.size // 2: n + potential.size // 2 + 1] += potential
    return wide


def test_brief_potential_in_a_dense_background_is_not_measured_long():
    # 1 kHz: a 3 ms triphasic fibre potential whose lobes reach the 9-sample template's edges,
    # in the median waveform of a dense stretch (other fibres leave ~15 % of its peak).
    fs = 1000.0
    pot = 1e-6 * np.array([-12.0, -25.0, -11.0, 40.0, 77.0, 38.0, -19.0, -38.0, -22.0])
    wide = _wide(pot, fs, 12e-6, seed=0)
    assert potential_duration_ms(pot, wide, fs, max_half_n=10) < 8.0


def test_long_potential_over_quiet_background_stays_long():
    # 12 ms motor-unit potential (a slow let-go's or a tremor's unit), quiet background
    fs = 2000.0
    t = np.arange(-12, 13) / fs
    pot = 200e-6 * np.sin(2 * np.pi * t / 0.012) * np.exp(-(t / 0.005) ** 2)
    template = pot[4:-4]  # the snippet is shorter than the potential: measured on wide
    wide = _wide(pot, fs, 1e-6, seed=1)
    assert potential_duration_ms(template, wide, fs, max_half_n=40) >= 8.0
