"""EMG-only sessions against truth: simulated grips with the force channel dropped.

Without a force the grips are found in the EMG (bursts of interference pattern) and the
discharges are searched from each burst's end (the EMG release), never from the whole
recording: a myotonic train must start after the release, not at the contraction's onset.
"""

import numpy as np
import pandas as pd
import pytest

import myoemg
from myoemg.pipeline import TRIAL_TABLE_COLUMNS
from myoemg.pipeline.emg_step import RELEASE_TOLERANCE_S
from myoemg.recording import Channel, Recording
from myoemg.sim import simulate_session


def _emg_only(rec):
    return rec.select([c.name for c in rec.emg])


@pytest.fixture(scope="module")
def myotonic():
    """A warm-up session with myotonic trains after every release, analysed without force."""
    rec, truth = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=4, n_emg=2,
                                  pattern="warm-up", seed=7)
    return myoemg.analyze(_emg_only(rec)), truth


def test_grips_found_from_the_emg_match_the_truth(myotonic):
    res, truth = myotonic
    tr = res.trials
    assert len(tr) == len(truth.trials) and list(tr.columns) == TRIAL_TABLE_COLUMNS
    assert (tr.grip_from == "emg").all()
    # the interference ends ~50 ms after the force's let-go in the simulation: the EMG
    # release is where the envelope falls through half the grip's level, within 0.1 s after it
    lag = tr.release_s.to_numpy() - truth.trials.release_s.to_numpy()
    assert ((lag > 0) & (lag < 0.1)).all(), lag
    # onset: where the EMG rises from rest, within the force's ramp (0.3 s) of the true onset
    np.testing.assert_allclose(tr.onset_s, truth.trials.onset_s, atol=0.3)
    assert any("grips found from the EMG" in n for n in res.summary.notes)


def test_no_force_means_no_relaxation_time_and_an_ungraded_session(myotonic):
    res, _ = myotonic
    tr = res.trials
    for col in ("rt90_5_s", "rt90_50_s", "rt50_5_s", "t90_s", "t5_s", "peak_force_n",
                "baseline_n", "rt100_5_s", "sag_pct"):
        assert tr[col].isna().all(), col
    assert tr.relaxed.isna().all()  # unknown, not "did not relax"
    s = res.summary
    assert s.n_relaxed == 0 and np.isnan(s.rt90_5_first_s) and s.force_channel is None
    assert s.grade.grade is None and "no relaxation time" in s.grade.text
    assert s.grade.numbers.n_censored == 0  # no trial is claimed to have stayed contracted
    assert any("myotonic discharges after the release of 4 of them" in r
               for r in s.grade.reasons)


def test_myotonic_trains_start_after_the_emg_release_never_at_the_onset(myotonic):
    res, truth = myotonic
    tr, d = res.trials, res.discharges
    myo = d[d.kind == "myotonic"]
    assert tr.myotonic.all() and res.summary.n_myotonic_trials == len(truth.trials)
    assert myo.trial.notna().all()
    release = myo.trial.map(tr.set_index("trial").release_s)
    assert (myo.start_s >= release - RELEASE_TOLERANCE_S).all()
    # nothing found inside a contraction, from its onset to the force's let-go
    on, off = truth.trials.onset_s.to_numpy(), truth.trials.release_s.to_numpy()
    start = d.start_s.to_numpy()[:, None]
    assert not ((start >= on - 0.2) & (start <= off)).any()


def test_a_normal_emg_only_session_gives_no_myotonic_call():
    rec, truth = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=3,
                                  pattern="healthy", seed=11)
    res = myoemg.analyze(_emg_only(rec))
    assert len(res.trials) == len(truth.trials)
    assert res.summary.myotonic_evidence is False and not res.trials.myotonic.any()
    assert res.summary.n_myotonic_discharges == 0


def test_an_emg_only_session_without_a_contraction_gives_a_note_not_an_error():
    fs = 1000.0
    rng = np.random.default_rng(3)
    t = np.arange(int(20 * fs)) / fs
    rest = 5e-6 * rng.standard_normal(t.size) + 20e-6 * np.sin(2 * np.pi * 50 * t)
    rec = Recording([Channel("EMG FDS", "emg", rest, fs, "V")], source="rest_only.edf")
    res = myoemg.analyze(rec)
    assert len(res.trials) == 0 and list(res.trials.columns) == TRIAL_TABLE_COLUMNS
    note = [n for n in res.summary.notes if "no contraction found in the EMG" in n]
    assert len(note) == 1 and "rest_only.edf" in note[0]
    assert res.summary.grade.grade is None and "no relaxation time" in res.summary.grade.text
    assert not (res.discharges.kind == "myotonic").any()


def test_emg_grips_go_through_saving_and_the_report(myotonic, tmp_path):
    res, _ = myotonic
    paths = res.save(tmp_path / "out")
    saved = pd.read_csv(paths["trials"])
    assert (saved.grip_from == "emg").all() and saved.rt90_5_s.isna().all()
    events = pd.read_csv(paths["events"], sep="\t")
    assert not events.trial_type.str.startswith("relaxation").any()  # no force, no relaxation
    html = res.to_html(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "grips found from the EMG; no force, so no relaxation time" in html
    assert "grip found from the EMG (no force)" in html
    assert "Peak force" not in html  # no force: no peak-force line of dashes, no unit
    assert "peak force (N)" not in html  # nor an empty column or panel labelled N


def test_real_mvc_and_release_without_force(shared_data):
    # forearm-flexor surface EMG, two maximal contractions, each ending in a clean release
    # (../shared/data/README.md: at about 3.9-7.3 s and 40.7-45.4 s); no myotonia
    res = myoemg.analyze(shared_data / "spike2py" / "tremor_mvc_flex.smr", verbose="error")
    tr = res.trials
    assert len(tr) == 2 and (tr.grip_from == "emg").all()
    assert ((tr.release_s > [6.0, 43.0]) & (tr.release_s < [7.5, 45.5])).all(), tr.release_s
    assert res.summary.n_myotonic_discharges == 0 and not tr.myotonic.any()


def test_a_recording_that_stops_during_a_grip_has_no_release_for_it():
    rec, truth = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=2, seed=5)
    stop = int((truth.trials.release_s.iloc[-1] - 1.0) * 1000)  # 1 s before the last let-go
    emg = rec.emg[0]
    cut = Recording([Channel(emg.name, "emg", emg.data[:stop], emg.fs, "V")], source="cut.edf")
    res = myoemg.analyze(cut)
    assert len(res.trials) == 2 and np.isnan(res.trials.release_s.iloc[-1])
    assert np.isfinite(res.trials.release_s.iloc[0])
    assert any("still held when the EMG ends" in n for n in res.summary.notes)
    assert not (res.discharges.trial == 2).any()  # nothing searched after a grip still held
