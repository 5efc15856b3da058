"""Scored tests of the discharge detector on simulated ground truth.

Kinds and rules: docs, domain reference, discharges.
"""

import numpy as np
import pandas as pd
import pytest

from myoemg.detect import DISCHARGE_COLUMNS, DischargeRules, detect_discharges
from myoemg.evaluation import score_detections
from myoemg.sim import trains as T
from myoemg.sim.discharge_sets import make_discharge_set

REQUIRED = ["channel", "start_s", "end_s", "duration_s", "n_spikes", "rate_start_hz",
            "rate_end_hz", "rate_min_hz", "rate_max_hz", "amplitude_min_uv", "amplitude_max_uv",
            "rate_modulation", "amplitude_modulation", "kind", "score"]


def run_set(emg, fs, truth):
    found = []
    for seg, (x, f) in enumerate(zip(emg, fs, strict=True)):
        row = truth.iloc[seg]
        d = detect_discharges(x, fs=f, electrode=row.electrode,
                              search_s=[(row.search_start_s, x.size / f)])
        found.append(d.assign(segment=seg))
    return pd.concat(found, ignore_index=True)


@pytest.fixture(scope="module")
def scored():
    # SNR 30–42 dB (the benchmark also reports 24 dB). Mains hum on needle EMG is left out of
    # this set: its block-wise mains fit costs seconds per segment at 20–44.1 kHz, and
    # test_mains_hum_is_not_myotonic covers hum at 44.1 kHz on both electrodes.
    emg, fs, truth = make_discharge_set(
        n_per_cell=2, myotonic_weight=3, snr_db=(30.0, 36.0, 42.0),
        needle_fs=(20000.0, 44100.0), seed=11,
        needle_kinds=("myotonic", "voluntary", "fibrillation", "crd", "neuromyotonic",
                      "interference"))
    found = run_set(emg, fs, truth)
    return found, truth


def test_set_is_large_and_varied(scored):
    _, truth = scored
    assert len(truth) >= 200
    assert set(truth["fs_hz"]) >= {1000.0, 1234.0, 2000.0, 20000.0, 44100.0}
    assert truth["snr_db"].nunique() >= 3
    assert (truth["kind"] == "myotonic").sum() >= 50


def test_myotonic_precision_and_recall_at_default_settings(scored):
    # per segment, as per trial in analyze: myotonic when at least one unit train is
    found, truth = scored
    called = found.groupby("segment")["kind"].agg(lambda k: (k == "myotonic").any())
    called = called.reindex(truth["segment"], fill_value=False).to_numpy()
    true = (truth["kind"] == "myotonic").to_numpy()
    recall = (called & true).sum() / true.sum()
    precision = (called & true).sum() / called.sum()
    assert recall >= 0.92, recall
    assert precision >= 0.97, precision


def test_lookalikes_are_not_called_myotonic(scored):
    found, truth = scored
    others = truth.loc[truth["kind"] != "myotonic", "segment"]
    assert not (found["segment"].isin(others) & (found["kind"] == "myotonic")).any()


def test_other_kinds_are_mostly_named_right(scored):
    found, truth = scored
    sc = score_detections(found, truth).set_index("kind")
    assert sc.loc["neuromyotonic", "f1"] >= 0.8, sc
    assert sc.loc["fibrillation", "f1"] >= 0.7, sc
    assert sc.loc["crd", "precision"] >= 0.7, sc


def test_columns_and_features_of_one_myotonic_train():
    fs = 1999.0
    n = int(5 * fs)
    rng = np.random.default_rng(0)
    x, truth = T.myotonic_train(fs=fs, n_times=n, start_s=1.0, duration_s=2.5,
                                rate_start_hz=50, rate_peak_hz=110, rate_end_hz=25,
                                amplitude_v=300e-6, width_s=1.5e-3, rng=1)
    x = x + 5e-6 * rng.standard_normal(n)
    d = detect_discharges(x, fs=fs)
    assert list(d.columns) == DISCHARGE_COLUMNS and all(c in d for c in REQUIRED)
    assert len(d) == 1
    row = d.iloc[0]
    assert row["kind"] == "myotonic" and 0.5 <= row["score"] <= 1
    assert row["channel"] == "ch0"
    assert abs(row["start_s"] - truth["start_s"]) < 0.05
    assert abs(row["end_s"] - truth["end_s"]) < 0.1
    assert row["rate_max_hz"] == pytest.approx(truth["rate_max_hz"], rel=0.2)
    assert row["rate_start_hz"] == pytest.approx(truth["rate_start_hz"], rel=0.25)
    assert row["amplitude_max_uv"] == pytest.approx(truth["amplitude_max_uv"], rel=0.35)
    assert row["rate_modulation"] > 0.4 and row["amplitude_modulation"] > 0.4


def test_nothing_found_gives_zero_rows_same_columns():
    rng = np.random.default_rng(1)
    d = detect_discharges(3e-6 * rng.standard_normal((2, 6000)), fs=1234.0,
                          ch_names=["a", "b"])
    assert len(d) == 0 and list(d.columns) == DISCHARGE_COLUMNS


def test_search_windows_channels_and_errors():
    fs = 2000.0
    n = int(8 * fs)
    rng = np.random.default_rng(2)
    x = 5e-6 * rng.standard_normal((2, n))
    x[1] += T.myotonic_train(fs=fs, n_times=n, start_s=4.0, duration_s=2.0, rng=3,
                             amplitude_v=300e-6, width_s=1.5e-3)[0]
    d = detect_discharges(x, fs=fs, ch_names=["FDS", "EDC"])
    assert list(d.loc[d.kind == "myotonic", "channel"]) == ["EDC"]
    assert len(detect_discharges(x, fs=fs, search_s=[(0.0, 3.5)])) == 0
    assert (detect_discharges(x, fs=fs, search_s=[(3.9, 8.0)]).kind == "myotonic").sum() == 1
    with pytest.raises(ValueError, match="ch_names"):
        detect_discharges(x, fs=fs, ch_names=["one"])
    with pytest.raises(ValueError, match="electrode"):
        detect_discharges(x, fs=fs, electrode="wire")
    with pytest.raises(ValueError, match="ends before"):
        detect_discharges(x, fs=fs, search_s=[(3.0, 1.0)])
    with pytest.raises(TypeError):
        detect_discharges(x, fs=fs, no_such_threshold=1)


def test_thresholds_are_keywords():
    fs = 2000.0
    n = int(5 * fs)
    x = T.myotonic_train(fs=fs, n_times=n, start_s=1.0, duration_s=2.5, rng=4,
                         amplitude_v=300e-6, width_s=1.5e-3)[0]
    x = x + 5e-6 * np.random.default_rng(5).standard_normal(n)
    assert (detect_discharges(x, fs=fs).kind == "myotonic").sum() == 1
    strict = detect_discharges(x, fs=fs, rules=DischargeRules(min_rate_modulation=0.99))
    assert (strict.kind == "myotonic").sum() == 0


# --- failure modes named in the issue: none may be called myotonic ---------------------------

@pytest.mark.parametrize("rate", [7.0, 9.5, 12.0])
def test_tonic_voluntary_unit_after_grip_is_not_myotonic(rate):
    fs = 1999.0
    n = int(6 * fs)
    x, _ = T.voluntary_train(fs=fs, n_times=n, start_s=0.5, duration_s=5.0, rate_hz=rate,
                             rate_end_hz=0.8 * rate, amplitude_v=400e-6, rng=int(rate))
    x = x + 5e-6 * np.random.default_rng(6).standard_normal(n)
    d = detect_discharges(x, fs=fs)
    assert (d.kind == "myotonic").sum() == 0
    assert (d.kind == "voluntary").sum() >= 1


@pytest.mark.parametrize("seed", range(4))
def test_slow_voluntary_let_go_on_surface_is_not_myotonic(seed):
    fs = 1234.0
    n = int(5 * fs)
    x, _ = T.voluntary_release(fs=fs, n_times=n, start_s=1.0, duration_s=2.0, n_units=25,
                               amplitude_v=400e-6, rng=seed)
    x = x + 5e-6 * np.random.default_rng(seed).standard_normal(n)
    d = detect_discharges(x, fs=fs, search_s=[(1.0, n / fs)])
    assert (d.kind == "myotonic").sum() == 0


@pytest.mark.parametrize("mains_hz,fs", [(50.0, 2000.0), (60.0, 1234.0), (50.0, 44100.0)])
def test_mains_hum_is_not_myotonic(mains_hz, fs):
    n = int(6 * fs)
    rng = np.random.default_rng(7)
    x, _ = T.mains_hum(fs=fs, n_times=n, start_s=0.5, duration_s=5.0, mains_hz=mains_hz,
                       amplitude_v=200e-6, modulation=0.8, rng=8)
    x = x + 5e-6 * rng.standard_normal(n)
    for electrode in ("surface", "needle"):
        d = detect_discharges(x, fs=fs, electrode=electrode)
        assert (d.kind == "myotonic").sum() == 0


def test_steady_sinusoid_peaks_are_not_a_train_of_discharges():
    fs = 2000.0
    t = np.arange(int(5 * fs)) / fs
    x = 100e-6 * np.sin(2 * np.pi * 50 * t) * (1 + 0.5 * np.sin(2 * np.pi * 0.4 * t))
    d = detect_discharges(x + 2e-6 * np.random.default_rng(9).standard_normal(t.size), fs=fs)
    assert (d.kind == "myotonic").sum() == 0


@pytest.mark.parametrize("seed", range(3))
def test_movement_artefact_is_not_myotonic(seed):
    fs = 2000.0
    n = int(5 * fs)
    x, _ = T.movement_artefact(fs=fs, n_times=n, start_s=1.0, duration_s=3.0, n_steps=4,
                               amplitude_v=3e-3, rng=seed)
    x = x + 5e-6 * np.random.default_rng(seed).standard_normal(n)
    d = detect_discharges(x, fs=fs)
    assert (d.kind == "myotonic").sum() == 0


@pytest.mark.parametrize("electrode,fs,gen,kw,kind", [
    ("needle", 25000.0, T.crd_train, dict(rate_hz=40.0), "crd"),
    ("needle", 25000.0, T.fibrillation_train, dict(rate_hz=8.0), "fibrillation"),
    ("needle", 25000.0, T.fibrillation_train, dict(rate_hz=5.0, wave="psw"), "fibrillation"),
    ("needle", 25000.0, T.neuromyotonic_train, dict(rate_hz=220.0), "neuromyotonic"),
    ("needle", 25000.0, T.neuromyotonic_multiplets, {}, "neuromyotonic"),
    ("surface", 2000.0, T.fasciculation_train, dict(rate_hz=1.5), "fasciculation"),
    ("surface", 2000.0, T.voluntary_tremor, {}, "voluntary"),
    ("surface", 2000.0, T.voluntary_train, dict(rate_hz=9.0), "voluntary"),
])
@pytest.mark.parametrize("seed", [0, 1])
def test_lookalikes_are_found_and_named(electrode, fs, gen, kw, kind, seed):
    n = int(5 * fs)
    x, _ = gen(fs=fs, n_times=n, start_s=1.0, duration_s=3.0, amplitude_v=300e-6, rng=seed,
               **kw)
    noise = 10e-6 if electrode == "needle" else 5e-6
    x = x + noise * np.random.default_rng(seed).standard_normal(n)
    d = detect_discharges(x, fs=fs, electrode=electrode, search_s=[(0.9, n / fs)])
    assert (d.kind == "myotonic").sum() == 0, d
    assert kind in set(d.kind), d[["kind", "reason"]]


def test_concurrent_fibres_are_decomposed_into_units():
    fs = 25000.0
    n = int(5 * fs)
    x, fibres, spikes = T.myotonic_fibres(fs=fs, n_times=n, release_s=1.0, n_fibres=3,
                                          electrode="needle", noise_sd_v=10e-6,
                                          snr_range=(15.0, 30.0), rng=4)
    x = x + 10e-6 * np.random.default_rng(4).standard_normal(n)
    dec = detect_discharges(x, fs=fs, electrode="needle", search_s=[(0.7, n / fs)],
                            return_details=True)
    myo = dec.trains[dec.trains.kind == "myotonic"]
    assert len(myo) >= 1 and dec.trains.unit.nunique() >= 2  # interleaved fibres: units
    assert (myo.rate_max_hz < 300).all() and set(myo.unit) <= set(dec.spikes.unit)
    assert {"unit", "rule", "reason"} <= set(dec.trains.columns)
    assert set(dec.templates.unit) == set(dec.trains.unit)
    assert 0.7 <= dec.windows.busy_end_s.iloc[0] <= dec.windows.end_s.iloc[0]


def test_dense_fibres_after_release_are_sorted_not_skipped_as_interference():
    # Eight concurrent surface fibres raise every 20 ms block for ~1.5 s after the release,
    # as an interference pattern does: the busy stretch is sorted (on its own), not skipped.
    fs = 2000.0
    n = int(6 * fs)
    x, _, _ = T.myotonic_fibres(fs=fs, n_times=n, release_s=1.0, n_fibres=8,
                                electrode="surface", noise_sd_v=4e-6, snr_range=(15.0, 30.0),
                                rng=2)
    x = x + 4e-6 * np.random.default_rng(2).standard_normal(n)
    dec = detect_discharges(x, fs=fs, search_s=[(1.0, n / fs)], return_details=True)
    busy_end = dec.windows.busy_end_s.iloc[0]
    assert busy_end > 2.0
    early = dec.trains[dec.trains.start_s < busy_end]
    assert (early.kind == "myotonic").any(), early[["start_s", "kind", "reason"]]
