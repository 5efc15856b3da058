"""Signal-quality flags (myoemg.quality): known answers on arrays, simulations and real files."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import myoemg
from myoemg.quality import (
    FLAG_COLUMNS,
    QUALITY_TRIAL_COLUMNS,
    RULES,
    check_recording,
    constant_runs,
    emg_snr_db,
    fill_gaps,
    find_clipping,
    find_gaps,
    is_flat,
    mains_fraction,
    quality_summary,
    usable_emg,
)
from myoemg.quality import rules as R
from myoemg.sim import simulate_session
from myoemg.utils import SignalQualityError
from tests.conftest import requires_shared_data
from tests.settings import FS_EMG, FS_FORCE

FS = 1999.0


@pytest.fixture(scope="module")
def session():
    rec, truth = simulate_session(fs_emg=FS_EMG, fs_force=FS_FORCE, n_trials=3, seed=11)
    rec.source = "S01_grip.edf"
    return rec, truth


@pytest.fixture(scope="module")
def clean_analysis(session):
    return myoemg.analyze(session[0])


def _codes(flags, channel=None):
    sel = flags if channel is None else flags[flags.channel == channel]
    return set(sel.code)


# -- array checks ---------------------------------------------------------------------------
def test_find_and_fill_gaps():
    x = np.arange(10.0)
    x[[0, 4, 5, 9]] = np.nan
    starts, stops = find_gaps(x)
    assert starts.tolist() == [0, 4, 9] and stops.tolist() == [1, 6, 10]
    y = fill_gaps(x)
    np.testing.assert_allclose(y, [1, 1, 2, 3, 4, 5, 6, 7, 8, 8])  # interior linear, edges held
    assert np.isnan(x[4])  # input untouched
    with pytest.raises(ValueError, match="every sample"):
        fill_gaps(np.full(4, np.nan))


def test_clipping_found_on_a_saturated_sine_only():
    t = np.arange(0, 2, 1 / FS)
    sine = np.sin(2 * np.pi * 7 * t)
    assert find_clipping(sine)[0].size == 0
    clipped = np.clip(1.5 * sine, -1, 1)
    starts, stops = find_clipping(clipped)
    assert starts.size == 28  # 14 periods, one plateau at each rail
    assert np.all(np.abs(clipped[starts]) == 1)
    # coarse quantisation thins out towards the extremes: not clipping
    noise = np.round(np.random.default_rng(0).normal(0, 3, 50_000))
    assert find_clipping(noise)[0].size == 0


def test_constant_runs_and_flatness():
    x = np.r_[np.arange(5.0), np.zeros(10), np.arange(5.0)]
    starts, stops = constant_runs(x, min_len=8)
    assert (starts.tolist(), stops.tolist()) == ([5], [16])  # the zeros, and the 0 after them
    assert is_flat(np.full(100, 3.0)) and not is_flat(np.arange(3.0))
    assert is_flat(np.full(100, 1e3) + 1e-9 * np.arange(100))  # float noise on an offset
    assert is_flat(np.r_[1.0, np.nan])  # fewer than 2 finite samples


def test_mains_fraction_and_snr_known_answers():
    rng = np.random.default_rng(1)
    t = np.arange(0, 8, 1 / FS)
    noise = rng.normal(0, 1e-6, t.size)
    hum = 20e-6 * np.sin(2 * np.pi * 60 * t)
    f0, frac = mains_fraction(noise + hum, fs=FS)
    assert f0 == 60.0 and frac > 0.9
    assert mains_fraction(noise, fs=FS)[1] < 0.05
    burst = noise.copy()
    burst[(t > 2) & (t < 4)] += rng.normal(0, 100e-6, int(np.sum((t > 2) & (t < 4))))
    assert emg_snr_db(burst, fs=FS) > 30
    assert emg_snr_db(noise, fs=FS) < R.EMG_MIN_SNR_DB
    assert np.isnan(emg_snr_db(noise, fs=30.0))  # no band left below Nyquist


# -- whole recordings ----------------------------------------------------------------------
def test_clean_simulation_has_no_flags(session, clean_analysis):
    rec, _ = session
    out, flags = check_recording(rec)
    assert out is rec and len(flags) == 0 and list(flags.columns) == FLAG_COLUMNS
    trials = clean_analysis.trials
    assert list(trials.columns[-len(QUALITY_TRIAL_COLUMNS):]) == QUALITY_TRIAL_COLUMNS
    assert (trials.quality_flags == "").all() and not trials.rt_flagged.any()
    q = clean_analysis.summary.quality
    assert q.worst_severity == "none" and q.n_flags == 0
    assert clean_analysis.summary.discharges_measured is True


def test_every_rule_has_severity_and_text():
    for code, (severity, affects_rt, rule) in RULES.items():
        assert severity in R.SEVERITIES and isinstance(affects_rt, bool) and rule, code


def test_short_force_gap_is_filled_flagged_and_marks_the_rt(session, clean_analysis):
    rec = session[0].copy()
    grip = rec["Grip"]
    t90 = clean_analysis.trials.t90_s[1]
    i = int((t90 + 0.05) * grip.fs)
    grip.data[i:i + 4] = np.nan  # 4 samples at 123 Hz = 0.033 s, inside the relaxation
    before = grip.data.copy()
    res = myoemg.analyze(rec)
    np.testing.assert_array_equal(grip.data, before)  # the caller's recording is not changed
    tr = res.trials
    assert tr.gap_filled.tolist() == [False, True, False]
    assert tr.rt_flagged.tolist() == [False, True, False]
    assert "gap_filled" in tr.rt_flag_reason[1] and "Grip" in tr.rt_flag_reason[1]
    assert np.isfinite(tr.rt90_5_s[1])  # still given, but marked
    assert abs(tr.rt90_5_s[1] - clean_analysis.trials.rt90_5_s[1]) < 0.05


def test_long_gap_is_refused_naming_file_channel_and_time(session):
    rec = session[0].copy()
    rec["Grip"].data[500:600] = np.nan  # 0.81 s at 123 Hz
    with pytest.raises(SignalQualityError, match=r"S01_grip\.edf") as exc:
        check_recording(rec)
    msg = str(exc.value)
    assert "'Grip'" in msg and "4.065 s" in msg and "0.05 s" in msg


def test_many_short_gaps_are_refused(session):
    rec = session[0].copy()
    rec["EMG FDS"].data[::10] = np.nan  # 10 % missing, every gap one sample
    with pytest.raises(SignalQualityError, match="10.0%"):
        check_recording(rec)


def test_clipped_emg_is_flagged_per_trial(session):
    rec = session[0].copy()
    emg = rec["EMG FDS"]
    lim = 0.3 * np.abs(emg.data).max()
    emg.data = np.clip(emg.data, -lim, lim)
    res = myoemg.analyze(rec)
    flags = res.summary.quality.channels["EMG FDS"]
    assert any(f["code"] == "clipped" for f in flags)
    assert res.trials.clipped.all()
    assert not res.trials.rt_flagged.any()  # EMG clipping does not touch the force RTs


def test_clipped_force_marks_the_rt(session):
    rec = session[0].copy()
    grip = rec["Grip"]
    grip.data = np.minimum(grip.data, 0.8 * grip.data.max())
    res = myoemg.analyze(rec)
    assert res.trials.clipped.all() and res.trials.rt_flagged.all()
    assert res.trials.rt_flag_reason.str.contains("clipped on 'Grip'").all()


def test_flat_emg_is_set_aside(session):
    rec = session[0].copy()
    rec["EMG FDS"].data[:] = 0.0
    res = myoemg.analyze(rec)
    assert res.summary.emg_channels == ()
    assert any("is flat" in n for n in res.summary.notes)
    assert res.trials.discharge_count.isna().all() and res.trials.myotonic.isna().all()
    assert res.summary.n_myotonic_discharges is None


def test_slow_emg_gives_not_measured_not_zero():
    rec, _ = simulate_session(fs_emg=500.0, fs_force=FS_FORCE, n_trials=3, seed=5)
    res = myoemg.analyze(rec)
    assert res.summary.discharges_measured is False
    assert res.trials.discharge_count.isna().all() and res.trials.myotonic.isna().all()
    assert (res.trials.quality_flags == "emg_fs_low").all()
    assert np.isfinite(res.trials.after_activity_s).any()  # the envelope is still measured
    assert any("NOT MEASURED" in n for n in res.summary.notes)


def test_envelope_rate_emg_is_not_emg():
    rec, _ = simulate_session(fs_emg=1000.0, fs_force=FS_FORCE, n_trials=3, seed=5)
    env = rec["EMG FDS"]
    env.data, env.fs = np.abs(env.data[::1000]), 1.0  # a 1 Hz "EMG" envelope
    out, flags = check_recording(rec)
    assert _codes(flags, "EMG FDS") == {"emg_not_raw"}
    kept, ok, notes = usable_emg(out, flags)
    assert kept["EMG FDS"].kind == "other" and not ok
    assert any("1 Hz" in n for n in notes)
    with pytest.raises(SignalQualityError, match="1 Hz"):
        myoemg.analyze(rec.select(["EMG FDS"]))


def test_force_plausibility_flags(session):
    rec = session[0].copy()
    rec["Grip"].data = -rec["Grip"].data
    assert "force_inverted" in _codes(check_recording(rec)[1])
    rec = session[0].copy()
    rec["Grip"].data = rec["Grip"].data * 100  # e.g. a wrong unit: 30 kN
    assert "force_implausible" in _codes(check_recording(rec)[1])
    rec = session[0].copy()
    grip = rec["Grip"]
    grip.data = grip.data.copy()
    grip.data[int(1.0 * grip.fs):int(1.5 * grip.fs)] -= 100.0  # pulled on the handle
    assert "force_negative" in _codes(check_recording(rec)[1])
    rec = session[0].copy()
    rec["Grip"].unit = "a.u."
    flags = check_recording(rec)[1]
    assert "force_uncalibrated" in _codes(flags)
    assert flags.set_index("code").loc["force_uncalibrated", "severity"] == "info"


def test_force_that_does_not_return_to_baseline(session, clean_analysis):
    rec = session[0].copy()
    grip = rec["Grip"]
    t = grip.times
    # 0.5 s after the last trial relaxed, the force comes back to 25 % of its peak and stays
    tr = clean_analysis.trials
    stuck = t > tr.t5_s[2] + 0.5
    grip.data = grip.data + np.where(stuck, 0.25 * tr.peak_force_n[2], 0.0)
    res = myoemg.analyze(rec)
    assert "force_no_return" in res.trials.quality_flags[2]
    assert "force_no_return" not in res.trials.quality_flags[1]


def test_low_snr_emg_and_mains_are_flagged():
    rec, _ = simulate_session(fs_emg=FS_EMG, fs_force=FS_FORCE, n_trials=2, seed=2,
                              pattern="healthy", discharges="none", emg_rms_v=1e-9,
                              mains_hz=60.0, hum_v=500e-6)
    flags = check_recording(rec)[1]
    assert {"low_snr", "mains_high"} <= _codes(flags, "EMG FDS")


def test_quality_summary_is_json_ready(session):
    rec = session[0].copy()
    rec["EMG FDS"].data = np.clip(rec["EMG FDS"].data, -1e-5, 1e-5)
    flags = check_recording(rec)[1]
    block = quality_summary(flags)
    assert block.worst_severity == "warning" and "clipped" in block.rules
    text = block.to_json()
    assert "EMG FDS" in text and json.loads(text)["n_flags"] == len(flags)


def test_trials_csv_carries_the_quality_columns(session, tmp_path):
    rec, _ = simulate_session(fs_emg=500.0, fs_force=FS_FORCE, n_trials=2, seed=5)
    paths = myoemg.analyze(rec).save(tmp_path, report=False)
    trials = pd.read_csv(paths["trials"], keep_default_na=False)
    for col in ["trial", "rt90_5_s", "relaxed", "myotonic", "discharge_count",
                *QUALITY_TRIAL_COLUMNS]:
        assert col in trials.columns
    assert (trials.discharge_count == "").all()  # not measured: empty, not 0
    summary = json.loads(paths["summary"].read_text())
    assert summary["quality"]["channels"]["EMG FDS"][0]["code"] == "emg_fs_low"


# -- real recordings -----------------------------------------------------------------------
@requires_shared_data
def test_real_clipped_wav_is_flagged_and_unclipped_ones_are_not(shared_data):
    from scipy.io import wavfile

    found = {}
    for name in ["pulse_max", "pulse_1", "amp_on_baseline"]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # RIFF size quirk (README)
            fs, x = wavfile.read(shared_data / "backyardbrains_emg" / f"{name}.wav")
        starts, stops = find_clipping(x.astype(float))
        found[name] = int((stops - starts).sum())
    assert found["pulse_max"] >= 300  # README: 318 samples at +-32 766/32 767
    assert found["pulse_1"] == 0 and found["amp_on_baseline"] == 0


@requires_shared_data
def test_real_text_emg_is_not_clipped_or_frozen(shared_data):
    for name in ["emg.txt", "emg_1.txt"]:
        x = np.loadtxt(shared_data / "biosppy" / name)
        assert find_clipping(x)[0].size == 0
        assert constant_runs(x, min_len=500)[0].size == 0


@requires_shared_data
def test_real_1hz_emg_envelope_is_refused_as_emg(shared_data):
    rec = myoemg.read(shared_data / "edfio" / "short_psg.edf")
    assert rec["EMG submental"].kind != "emg"  # the reader already sets it aside
    with pytest.raises(SignalQualityError, match="EMG submental.*1 Hz"):
        myoemg.analyze(rec, emg="EMG submental")
