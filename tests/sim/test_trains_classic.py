import inspect

import numpy as np
import pandas as pd
import pytest

from myoemg.sim import trains as T
from myoemg.sim.discharge_sets import make_discharge_set

COMMON = ("fs", "n_times", "start_s", "duration_s", "channel", "trial", "t0", "rng")


def test_myotonic_train_signature_is_backward_compatible():
    params = inspect.signature(T.myotonic_train).parameters
    for name in ("fs", "n_times", "start_s", "duration_s", "rate_start_hz", "rate_peak_hz",
                 "rate_end_hz", "amplitude_v", "amplitude_end_frac", "peak_at", "width_s",
                 "polarity", "jitter", "channel", "trial", "t0", "rng"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY


@pytest.mark.parametrize("kind", sorted(T.TRAIN_KINDS))
@pytest.mark.parametrize("fs", [1234.0, 44100.0])
def test_registry_generators(kind, fs):
    gen = T.TRAIN_KINDS[kind]
    params = inspect.signature(gen).parameters
    assert all(c in params for c in COMMON)
    n = int(4.0 * fs)
    x, row = gen(fs=fs, n_times=n, start_s=1.0, duration_s=1.5, channel="EMG", trial=2,
                 t0=0.0, rng=1)
    assert x.shape == (n,) and np.isfinite(x).all() and np.ptp(x) > 0
    assert set(row) == set(T.TRUTH_COLUMNS)
    assert row["kind"] == kind and row["channel"] == "EMG" and row["trial"] == 2
    assert 1.0 <= row["start_s"] < row["end_s"] <= 2.5 + 1e-9
    # deterministic
    x2, _ = gen(fs=fs, n_times=n, start_s=1.0, duration_s=1.5, rng=1)
    assert np.array_equal(x, x2)


def test_rates_follow_the_spec_table():
    fs = 20000.0
    n = int(5 * fs)
    kw = dict(fs=fs, n_times=n, start_s=0.5, duration_s=3.0, rng=0)
    vol = T.voluntary_train(rate_hz=10.0, **kw)[1]
    assert 8 < vol["rate_start_hz"] < 12.5
    fib = T.fibrillation_train(rate_hz=5.0, **kw)[1]
    assert fib["rate_min_hz"] > 4.5 and fib["rate_max_hz"] < 5.5
    crd = T.crd_train(rate_hz=40.0, **kw)[1]
    assert abs(crd["rate_min_hz"] - 40) < 1 and abs(crd["rate_max_hz"] - 40) < 1
    nmt = T.neuromyotonic_train(rate_hz=220.0, **kw)[1]
    assert 150 < nmt["rate_start_hz"] < 300
    myo = T.myotonic_train(rate_start_hz=40, rate_peak_hz=100, rate_end_hz=25, **kw)[1]
    assert myo["rate_max_hz"] > 85 and myo["rate_end_hz"] < 35
    assert myo["amplitude_min_uv"] < 0.5 * myo["amplitude_max_uv"]


@pytest.mark.parametrize("shape", [T.fibre_potential, T.motor_unit_potential,
                                   T.positive_sharp_wave])
def test_shapes_have_unit_peak_to_peak(shape):
    t = np.linspace(-0.05, 0.05, 200001)
    assert np.ptp(shape(t, width_s=2e-3, polarity=1.0)) == pytest.approx(1.0, rel=0.02)


def test_lookalikes_have_truth():
    fs = 2000.0
    n = int(4 * fs)
    for name, gen in T.LOOKALIKES.items():
        x, row = gen(fs=fs, n_times=n, start_s=1.0, duration_s=1.5, rng=0)
        assert x.shape == (n,), name
        assert row["kind"] in ("interference", "artefact")


def test_discharge_set_composition():
    emg, fs, truth = make_discharge_set(n_per_cell=1, snr_db=(30.0,), surface_fs=(1234.0,),
                                        needle_fs=(20000.0,), seed=3)
    assert len(emg) == len(fs) == len(truth)
    assert isinstance(truth, pd.DataFrame)
    assert set(truth.loc[truth.electrode == "needle", "kind"]) >= {
        "myotonic", "voluntary", "fibrillation", "crd", "neuromyotonic"}
    assert (truth["segment"] == np.arange(len(truth))).all()
    for x, f, (_, row) in zip(emg, fs, truth.iterrows(), strict=True):
        assert row["end_s"] < x.size / f
    emg2, _, truth2 = make_discharge_set(n_per_cell=1, snr_db=(30.0,), surface_fs=(1234.0,),
                                         needle_fs=(20000.0,), seed=3)
    assert all(np.array_equal(a, b) for a, b in zip(emg, emg2, strict=True))
