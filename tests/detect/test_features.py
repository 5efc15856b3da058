"""Features of one unit's train: the potential's duration, the waxing and waning."""

import numpy as np
import pytest

import myoemg
from myoemg.detect import DischargeRules, detect_discharges
from myoemg.detect.features import amplitude_noise_cv2, cv2, excess_cv2, potential_duration_ms
from myoemg.sim import trains as T
from myoemg.sim.families import make_session


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


def test_fibre_whose_potentials_wane_by_under_a_fifth_is_myotonic():
    # The rate falls 100 -> 30 Hz, the amplitude only to 82 %: still "both wax and wane".
    fs, n = 2000.0, 10000
    found, found_strict = [], []
    for seed in range(4):
        x, _ = T.myotonic_train(fs=fs, n_times=n, start_s=1.0, duration_s=2.5,
                                rate_start_hz=100, rate_peak_hz=100, rate_end_hz=30,
                                peak_at=0.02, amplitude_end_frac=0.82, amplitude_v=150e-6,
                                width_s=1.5e-3, rng=seed)
        x = x + 5e-6 * np.random.default_rng(seed).standard_normal(n)
        found.append((detect_discharges(x, fs=fs).kind == "myotonic").sum())
        strict = DischargeRules(min_amplitude_modulation=0.2)
        found_strict.append((detect_discharges(x, fs=fs, rules=strict).kind == "myotonic").sum())
    assert found == [1, 1, 1, 1]
    assert sum(found_strict) < 4  # the former 0.2 missed most of them


def _scaled_snippets(rng, scales, noise_sd):
    """Snippets a_k · T + white noise, and the least-squares scales measured on them."""
    t = np.linspace(-1, 1, 41)
    template = -t * np.exp(-4 * t**2)
    snippets = scales[:, None] * template + noise_sd * rng.standard_normal((scales.size, t.size))
    measured = snippets @ template / (template @ template)
    return snippets, measured


@pytest.mark.parametrize("noise_sd", [0.01, 0.05, 0.1])
def test_amplitude_noise_cv2_predicts_the_cv2_that_noise_gives(noise_sd):
    # Constant true amplitudes: all the measured CV2 is noise, and the prediction matches it
    # (mean of 10 trains of 400 potentials; one median alone scatters by ~5 %).
    rng = np.random.default_rng(3)
    draws = [_scaled_snippets(rng, np.ones(400), noise_sd) for _ in range(10)]
    measured = np.mean([cv2(m) for _, m in draws])
    predicted = np.mean([amplitude_noise_cv2(m, s) for s, m in draws])
    assert predicted == pytest.approx(measured, rel=0.08)
    assert excess_cv2(measured, predicted) < 0.5 * measured


def test_excess_cv2_keeps_a_real_amplitude_irregularity():
    # Amplitudes that truly jump between two sizes (two units mixed) stay irregular.
    rng = np.random.default_rng(4)
    scales = np.where(rng.random(300) < 0.5, 1.0, 0.5)
    snippets, measured = _scaled_snippets(rng, scales, 0.02)
    noise = amplitude_noise_cv2(measured, snippets)
    assert noise < 0.25 * cv2(measured)
    assert excess_cv2(cv2(measured), noise) == pytest.approx(cv2(measured), rel=0.05)


def test_dense_surface_fibre_with_scattered_amplitudes_is_myotonic():
    # Tuning-family trial (seed 1036, trial 2: 8 fibres at 1234 Hz): the regular units'
    # amplitudes scatter with the fibres that were never detected (CV2 0.33 at ISI CV2 0.07);
    # missed before the one-generator rule counted amplitude irregularity beyond noise.
    rec, truth = make_session(1036, family="tuning")
    assert bool(truth.trials.myotonic.iloc[1])
    a = myoemg.analyze(rec, verbose="error")
    assert bool(a.trials.myotonic.iloc[1])
    myo = a.discharges[(a.discharges.trial == 2) & (a.discharges.kind == "myotonic")]
    assert (myo.amplitude_noise_cv2 > 0).all() and (myo.rate_max_hz < 165).all()
