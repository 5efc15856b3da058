"""RecordingChecks: the quality checks in two steps give what check_recording gives at once."""

import numpy as np
import pandas as pd
import pytest

from myoemg.quality import RecordingChecks, check_recording
from myoemg.quality.channel_checks import emg_snr, force_filtered
from myoemg.signal import FORCE_LOWPASS_HZ, lowpass
from myoemg.sim import simulate_session


@pytest.fixture(scope="module")
def rec():
    rec, _ = simulate_session(pattern="steady", fs_emg=2000.0, fs_force=500.0, n_trials=3,
                              n_emg=2, seed=3)
    emg = rec.emg[0]
    emg.data = emg.data.copy()
    emg.data[5000:5010] = np.nan  # a short gap: filled and flagged
    return rec


def test_two_steps_give_the_one_step_table(rec):
    _, once = check_recording(rec)
    checks = RecordingChecks(rec)
    snr = {name: emg_snr(checks.recording[name], "surface") for name in checks.needs_snr}
    pd.testing.assert_frame_equal(checks.flags(snr), once)
    pd.testing.assert_frame_equal(checks.flags(), once)  # computed there when not given


def test_input_not_changed_and_unfilled_channels_shared(rec):
    checks = RecordingChecks(rec)
    filled = rec.emg[0].name
    assert np.isnan(rec[filled].data).any()
    assert np.isfinite(checks.recording[filled].data).all()
    other = rec.emg[1].name
    assert checks.recording[other].data is rec[other].data


def test_force_low_passed_once_and_kept(rec):
    checks = RecordingChecks(rec)
    name = rec.force.name
    want = lowpass(rec.force.data, fs=rec.force.fs, cutoff_hz=FORCE_LOWPASS_HZ)
    np.testing.assert_array_equal(checks.force_filtered[name], want)
    np.testing.assert_array_equal(force_filtered(rec.force), want)


def test_a_low_snr_given_becomes_a_flag(rec):
    checks = RecordingChecks(rec)
    name = checks.needs_snr[0]
    table = checks.flags({name: 1.0})
    hit = table[(table["channel"] == name) & (table["code"] == "low_snr")]
    assert len(hit) == 1 and hit["value"].iloc[0] == 1.0
    early = checks.flags({name: 1.0}, final=False)  # the SNR flags wait for the final table
    assert not ((early["channel"] == name) & (early["code"] == "low_snr")).any()


def test_recheck_force_replaces_its_flags(rec):
    checks = RecordingChecks(rec)
    force = rec.force
    flipped = type(force)(force.name, force.kind, -force.data, force.fs, force.unit,
                          force.start_s, force.source_unit)
    checks.recheck_force(flipped, filtered=-checks.force_filtered[force.name])
    table = checks.flags()
    codes = set(table.loc[table["channel"] == force.name, "code"])
    assert "force_inverted" in codes
    # -lowpass(x) is lowpass(-x) to the last bit (the filter is odd-symmetric)
    np.testing.assert_array_equal(
        checks.force_filtered[force.name],
        lowpass(-force.data, fs=force.fs, cutoff_hz=FORCE_LOWPASS_HZ))
