"""analyze() on real grip shapes: sagging and clipped grips, the reference option, cues."""

import numpy as np
import pandas as pd
import pytest

import myoemg
from myoemg.pipeline import trial_table_columns
from myoemg.recording import Channel, Recording
from myoemg.sim.force import GripShape, random_shapes, simulate_grips


@pytest.fixture(scope="module")
def sagging():
    shapes = random_shapes("overshoot", 4, seed=41)
    return simulate_grips(shapes, fs=123.0, seed=41)


def test_sagging_session_is_measured_from_the_let_go(sagging):
    rec, truth = sagging
    res = myoemg.analyze(rec)
    tr = res.trials
    assert list(tr.columns) == trial_table_columns("N")
    np.testing.assert_allclose(tr.release_s, truth.release_s, atol=0.05)
    tol = np.maximum(0.03, 0.1 * truth.rt90_5_s)
    assert ((tr.rt90_5_s - truth.rt90_5_s).abs() <= tol).all()
    assert (tr.reference == "release").all() and tr.rt_flagged.all()
    assert tr.rt_flag_reason.str.contains("sagged").all()
    np.testing.assert_allclose(tr.sag_pct, truth.sag_pct, atol=2.0)
    assert any("sagged below 90 %" in n for n in res.summary.notes)
    assert res.summary.rt90_5_first_s < 0.5  # healthy, not the 2-4 s of the issue


def test_peak_reference_option_gives_the_classic_numbers(sagging):
    rec, truth = sagging
    res = myoemg.analyze(rec, relaxation_reference="peak")
    assert (res.trials.reference == "peak").all()
    np.testing.assert_allclose(res.trials.rt90_5_s, truth.rt90_5_peak_s, rtol=0.05, atol=0.05)
    assert res.summary.parameters["relaxation_reference"] == "peak"
    with pytest.raises(ValueError, match="relaxation_reference"):
        myoemg.analyze(rec, relaxation_reference="median")


def test_clipped_session_uses_the_quality_flag():
    shapes = [GripShape(peak_n=300.0, sag=0.04) for _ in range(3)]
    rec, truth = simulate_grips(shapes, fs=200.0, adc_top_n=285.0, adc_bits=10, seed=42)
    res = myoemg.analyze(rec)
    assert res.trials.clipped.all() and (res.trials.reference == "release").all()
    np.testing.assert_allclose(res.trials.rt90_5_s, truth.rt90_5_s, atol=0.03)


def test_reaction_time_from_an_annotation_and_from_a_trigger_channel(sagging):
    rec, truth = sagging
    cues = truth.release_s - 0.25
    events = pd.DataFrame({"onset_s": [1.0, *cues], "duration_s": 0.0,
                           "description": ["start", *["Relax!"] * len(cues)]})
    annotated = Recording(rec.channels, events=events, metadata=rec.metadata)
    res = myoemg.analyze(annotated)
    np.testing.assert_allclose(res.trials.reaction_s, 0.25, atol=0.05)
    assert any("reaction_s" in n for n in res.summary.notes)
    # a trigger channel, named anything, given by name
    fs = rec.force.fs
    t = rec.force.times
    pulse = ((t[:, None] >= cues.to_numpy()) & (t[:, None] < cues.to_numpy() + 0.1)).any(1)
    trig = Channel("TTL 3", "other", 5.0 * pulse, fs, "V")
    wired = Recording([*rec.channels, trig], metadata=rec.metadata)
    res = myoemg.analyze(wired, cue_channel="TTL 3")
    np.testing.assert_allclose(res.trials.reaction_s, 0.25, atol=0.05)
    assert myoemg.analyze(wired).trials.reaction_s.isna().all()  # not a cue by its name


def test_discharge_rules_reach_the_detector_and_are_recorded():
    from myoemg.detect import DischargeRules
    from myoemg.sim import simulate_session

    rec, _ = simulate_session(pattern="warm-up", seed=3, n_trials=2, rest_s=4.0,
                              fs_emg=2000.0, fs_force=100.0)
    default = myoemg.analyze(rec, verbose="error")
    assert default.summary.parameters["discharge_rules"] == {}
    assert (default.discharges.kind == "myotonic").any()
    # a spike threshold no potential reaches: the detector runs with these rules
    deaf = myoemg.analyze(rec, discharge_rules=DischargeRules(threshold=1e6), verbose="error")
    assert deaf.summary.parameters["discharge_rules"] == {"threshold": 1e6}
    assert len(deaf.discharges) == 0 and not deaf.trials.myotonic.any()
    with pytest.raises(TypeError, match="DischargeRules"):
        myoemg.analyze(rec, discharge_rules={"threshold": 5.0}, verbose="error")
