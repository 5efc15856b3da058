import numpy as np
import pandas as pd
import pytest

from myoemg.signal.spikes import SPIKE_COLUMNS, detect_spikes, noise_level
from myoemg.sim.trains import fibre_potential, render_spikes


@pytest.mark.parametrize("fs", [1234.0, 4000.0, 31250.0])
def test_finds_known_spikes_with_subsample_times(fs):
    rng = np.random.default_rng(0)
    n = int(3.3 * fs)
    times = np.sort(rng.uniform(0.2, 3.0, 40))
    times = times[np.concatenate([[True], np.diff(times) > 0.02])]
    pols = rng.choice([-1.0, 1.0], times.size)
    x = sum(render_spikes([t], [200e-6], fs=fs, n_times=n, width_s=1.5e-3, polarity=p)
            for t, p in zip(times, pols, strict=True))
    x = x + 5e-6 * rng.standard_normal(n)
    sp = detect_spikes(x, fs=fs)
    assert list(sp.columns) == SPIKE_COLUMNS
    assert len(sp) == times.size  # each biphasic spike counted once (refractory)
    # detected on the larger phase, ±width/2 from the centre; within a sample of that phase
    err = np.abs(np.abs(sp["time_s"].to_numpy() - times) - 0.75e-3)
    # noise-limited on a 0.75 ms phase sampled at 1.2-31 kHz: within 0.6 sample + 0.2 ms
    assert np.all(err < 0.6 / fs + 2.0e-4), err.max()
    assert np.allclose(sp["amplitude_pp_v"], 200e-6, rtol=0.25)


def test_polarity_option_and_errors():
    fs = 2000.0
    x = render_spikes([0.5, 1.0], [1e-3, 1e-3], fs=fs, n_times=4000, width_s=1e-3)
    x = x + 1e-6 * np.random.default_rng(1).standard_normal(4000)
    pos = detect_spikes(x, fs=fs, polarity="positive")
    neg = detect_spikes(x, fs=fs, polarity="negative")
    assert (pos["peak_v"] > 0).all() and (neg["peak_v"] < 0).all()
    with pytest.raises(ValueError, match="polarity"):
        detect_spikes(x, fs=fs, polarity="up")
    with pytest.raises(ValueError, match="fs"):
        detect_spikes(x, fs=0)


def test_empty_and_1d():
    rng = np.random.default_rng(2)
    sp = detect_spikes(1e-6 * rng.standard_normal(3000), fs=1999.0, threshold=50)
    assert isinstance(sp, pd.DataFrame) and len(sp) == 0
    assert list(sp.columns) == SPIKE_COLUMNS


def test_noise_level_is_robust_to_a_dense_discharge():
    fs = 4000.0
    rng = np.random.default_rng(3)
    n = int(10 * fs)
    noise = 10e-6 * rng.standard_normal(n)
    sig = noise_level(noise, fs=fs)
    assert np.allclose(np.median(sig), 10e-6, rtol=0.1)
    times = np.arange(4.0, 5.0, 1 / 150)  # 150 Hz for 1 s, large spikes
    x = noise + render_spikes(times, np.full(times.size, 500e-6), fs=fs, n_times=n,
                              width_s=1e-3)
    sig2 = noise_level(x, fs=fs)
    assert sig2.max() <= 2.0 * np.percentile(sig2, 20) + 1e-12
    sp = detect_spikes(x, fs=fs)
    inside = sp[(sp.time_s > 4.0) & (sp.time_s < 5.0)]
    assert len(inside) >= 0.95 * times.size


def test_multichannel_rows():
    fs = 1999.0
    rng = np.random.default_rng(4)
    x = 2e-6 * rng.standard_normal((3, 4000))
    x[1] += render_spikes([0.5, 1.0, 1.5], [300e-6] * 3, fs=fs, n_times=4000, width_s=1e-3)
    sp = detect_spikes(x, fs=fs)
    assert set(sp["channel"]) == {1}
    assert fibre_potential(np.array([0.0])).shape == (1,)
