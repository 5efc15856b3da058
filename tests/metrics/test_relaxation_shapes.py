"""Relaxation times on real grip shapes (issue 12): sagging, re-grips, tremor, device faults.

Healthy adults whose grips sag before the let-go were reported with RT90-5 of 2-4 s: the 90 %
level of the early peak was crossed during the hold. Here the release must be the onset of the
final fall and the levels must follow the documented reference rule, on simulated grips with
their truth (myoemg.sim.force).
"""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from myoemg.detect.trials import find_trials
from myoemg.metrics import relaxation_times
from myoemg.metrics.relaxation import SAG_LIMIT_PCT, reaction_times
from myoemg.sim.force import GripShape, random_shapes, simulate_grips

SAG_KINDS = ["sag", "overshoot", "regrip", "burst", "myotonic_sag"]
RATES = [100.0, 150.0, 200.0, 500.0]


def _tolerance(truth_rt):
    return np.maximum(0.030, 0.10 * truth_rt)  # issue 12: max(30 ms, 10 %)


def _measure(kind, fs, *, tremor, lag, seed, reference="auto", **sim):
    shapes = random_shapes(kind, 3, seed=seed)
    shapes = [dataclasses.replace(s, **({"tremor": 0.03} if tremor else {}),
                                  **({"sensor_lag": 0.12, "sensor_tau_s": 0.6} if lag else {}))
              for s in shapes]
    rec, truth = simulate_grips(shapes, fs=fs, seed=seed, **sim)
    tr = find_trials(rec.force.data, fs=fs)
    assert len(tr) == len(truth), (kind, fs)
    refs = (reference,) if isinstance(reference, str) else reference
    out = [relaxation_times(rec.force.data, tr, fs=fs, reference=ref,
                            clipped=truth["clipped"].to_numpy())
           .assign(kind=kind, fs=fs, tremor=tremor, lag=lag) for ref in refs]
    return (out[0] if isinstance(reference, str) else out), truth


@pytest.fixture(scope="module")
def sagging():
    """120 grips that sag 10-35 %: 5 shapes x 4 rates x (tremor, sensor lag) x 3 grips.

    Returns the measurements with reference='release' and 'auto', and the truth.
    """
    release, auto, truths = [], [], []
    for i, kind in enumerate(SAG_KINDS):
        for j, fs in enumerate(RATES):
            for tremor, lag in ((False, False), (True, True)) if (i + j) % 2 else \
                    ((True, False), (False, True)):
                (rt_release, rt_auto), truth = _measure(
                    kind, fs, tremor=tremor, lag=lag, seed=10 * i + j,
                    reference=("release", "auto"))
                release.append(rt_release)
                auto.append(rt_auto)
                truths.append(truth)
    return (pd.concat(release, ignore_index=True), pd.concat(auto, ignore_index=True),
            pd.concat(truths, ignore_index=True))


def test_sagging_grips_release_and_rt_match_the_truth(sagging):
    found, _, truth = sagging
    assert len(found) >= 100
    release_err = (found.release_s - truth.release_s).abs()
    assert release_err.max() <= 0.05, release_err.describe()
    # reference='release' against the truth measured from the release, on every grip
    err = (found.rt90_5_s - truth.rt90_5_release_s).abs()
    bad = found[err > _tolerance(truth.rt90_5_release_s)]
    assert bad.empty, bad
    assert found.tremor.any() and found.lag.any() and (~found.lag).any()
    # a compliant sensor hides part of the muscle's sag; without one every grip sags > 10 %
    assert (truth.sag_pct[~found.lag] > SAG_LIMIT_PCT).all()


def test_auto_reference_follows_the_sag_rule(sagging):
    _, auto, truth = sagging
    # The measured peak rides on the tremor (docs: domain reference, relaxation: the peak of the
    # 10-20 Hz force), the truth's does not: near the limit, within the tremor's amplitude, either
    # choice is fair.
    margin = 1.5 + np.where(auto.tremor, 100 * 0.03, 0.0)
    clear = (truth.sag_pct - SAG_LIMIT_PCT).abs().to_numpy() > margin
    assert (auto.reference[clear] == truth.reference[clear]).all()
    assert clear.sum() >= 90  # 97 of the 120 here
    agree = (auto.reference == truth.reference).to_numpy()
    err = (auto.rt90_5_s - truth.rt90_5_s).abs()
    assert (err[agree] <= _tolerance(truth.rt90_5_s)[agree]).all()
    released = (auto.reference == "release").to_numpy()
    assert auto.rt_flag_reason[released].str.contains("sagged").all()
    assert (auto.rt_flag_reason[~released] == "").all()


def test_peak_reference_keeps_the_classic_numbers_and_flags_them():
    rt, truth = _measure("sag", 200.0, tremor=False, lag=False, seed=3, reference="peak")
    assert (rt.reference == "peak").all()
    np.testing.assert_allclose(rt.rt90_5_s, truth.rt90_5_peak_s, atol=0.05, rtol=0.05)
    assert (truth.rt90_5_peak_s > 3 * truth.rt90_5_s).all()  # the issue: 2-4 s for healthy
    assert rt.rt_flag_reason.str.contains("crossed during the hold").all()


@pytest.mark.parametrize("kind", ["clean", "compliant"])
@pytest.mark.parametrize("fs, bits", [(100.0, 8), (123.0, 10), (200.0, None)])
def test_other_shapes_and_low_resolution(kind, fs, bits):
    rt, truth = _measure(kind, fs, tremor=False, lag=False, seed=int(fs), adc_bits=bits)
    assert (rt.release_s - truth.release_s).abs().max() <= 0.05
    agree = rt.reference.to_numpy() == truth.reference.to_numpy()
    err = (rt.rt90_5_s - truth.rt90_5_s).abs()[agree]
    assert (err <= _tolerance(truth.rt90_5_s[agree])).all(), err


def test_clipped_grip_is_measured_from_its_release():
    shapes = [GripShape(peak_n=300.0, sag=0.05, sag_tau_s=3.0) for _ in range(3)]
    rec, truth = simulate_grips(shapes, fs=200.0, adc_top_n=280.0, adc_bits=10, seed=7)
    assert truth.clipped.all()
    tr = find_trials(rec.force.data, fs=200.0)
    rt = relaxation_times(rec.force.data, tr, fs=200.0, clipped=truth.clipped.to_numpy())
    assert (rt.reference == "release").all()
    assert rt.rt_flag_reason.str.contains("clipped").all()
    np.testing.assert_allclose(rt.release_s, truth.release_s, atol=0.05)
    np.testing.assert_allclose(rt.rt90_5_s, truth.rt90_5_s, atol=0.03)


def test_regrip_release_is_the_final_fall():
    shape = GripShape(sag=0.15, sag_tau_s=2.0, regrip_depth=0.4, regrip_gap_s=0.4,
                      tremor=0.0)
    rec, truth = simulate_grips([shape], fs=150.0, seed=8)
    tr = find_trials(rec.force.data, fs=150.0)
    rt = relaxation_times(rec.force.data, tr, fs=150.0)
    assert rt.release_s[0] == pytest.approx(truth.release_s[0], abs=0.05)
    assert rt.rt90_5_s[0] == pytest.approx(truth.rt90_5_s[0], abs=0.03)


def test_sag_and_optional_columns_on_a_known_grip():
    shape = GripShape(sag=0.3, sag_tau_s=2.5, tremor=0.0)
    rec, truth = simulate_grips([shape], fs=500.0, noise_n=0.0, seed=9)
    tr = find_trials(rec.force.data, fs=500.0)
    rt = relaxation_times(rec.force.data, tr, fs=500.0)
    assert rt.sag_pct[0] == pytest.approx(truth.sag_pct[0], abs=1.0)
    assert rt.ref_force_n[0] == pytest.approx(truth.ref_force_n[0], rel=0.02)
    assert rt.rt100_5_s[0] == pytest.approx(truth.rt100_5_s[0], abs=0.03)
    assert rt.rt100_50_s[0] == pytest.approx(truth.rt100_50_s[0], abs=0.03)


def test_arbitrary_units_name_their_columns_au():
    shape = GripShape(sag=0.2)
    rec, _ = simulate_grips([shape], fs=200.0, seed=10)
    counts = rec.force.data * 13.7  # ADC counts, not newtons
    tr = find_trials(counts, fs=200.0, unit="a.u.")
    assert "peak_force_au" in tr and "peak_force_n" not in tr
    rt = relaxation_times(counts, tr, fs=200.0)
    assert "ref_force_au" in rt and "ref_force_n" not in rt
    assert rt.reference[0] == "release"


def test_reaction_time_from_cues():
    out = reaction_times([5.0, 15.0, 25.0], [2.0, 12.0, 22.0], [4.6, 9.0, 26.0])
    np.testing.assert_allclose(out, [0.4, np.nan, np.nan])  # cue 9 s is before grip 2
    assert np.isnan(reaction_times([5.0], [2.0], [])).all()
