"""EMG channels a fraction of a sample apart are one group; other rates are their own groups.

spike2py/tremor_mvc_flex.smr holds two EMG channels at 5 kHz whose starts differ by 20 µs (a
tenth of a sample); analyze refused it ("the emg channels differ in rate, length or start").
"""

import numpy as np
import pytest
from scipy import signal as sps

import myoemg
from myoemg.recording import Channel, Recording
from myoemg.sim import simulate_session
from myoemg.utils import ChannelError

from .conftest import requires_shared_data


def _rec(*specs):
    """EMG channels from (name, fs, n_times, start_s)."""
    rng = np.random.default_rng(0)
    return Recording([Channel(n, "emg", 1e-5 * rng.standard_normal(k), fs, "V", start_s=t0)
                      for n, fs, k, t0 in specs], source="groups.edf")


def test_starts_a_fraction_of_a_sample_apart_are_aligned():
    rec = _rec(("Flex", 5000.0, 1000, 0.0), ("Ext", 5000.0, 1000, 2e-5))
    (group,) = rec.channel_groups("emg")
    assert group.names == ("Flex", "Ext") and group.data.shape == (2, 1000)
    assert group.start_s == 0.0 and "20 µs apart" in group.notes[0]
    data, fs, names = rec.get_data("emg")
    assert data.shape == (2, 1000) and fs == 5000.0 and names == ["Flex", "Ext"]


def test_lengths_a_sample_or_two_apart_are_trimmed():
    rec = _rec(("A", 2000.0, 1002, 0.0), ("B", 2000.0, 1000, 0.0), ("C", 2000.0, 1001, 0.0))
    (group,) = rec.channel_groups("emg")
    assert group.data.shape == (3, 1000)
    np.testing.assert_array_equal(group.data[0], rec["A"].data[:1000])
    assert any("trimmed to 1000 samples" in n for n in group.notes)


@pytest.mark.parametrize("second", [("B", 1000.0, 500, 0.0),    # another rate
                                    ("B", 2000.0, 1000, 1e-3),   # two samples later
                                    ("B", 2000.0, 1010, 0.0)])   # ten samples longer
def test_other_channels_form_their_own_groups(second):
    rec = _rec(("A", 2000.0, 1000, 0.0), second)
    groups = rec.channel_groups("emg")
    assert [g.names for g in groups] == [("A",), ("B",)]
    with pytest.raises(ChannelError, match="channel_groups"):
        rec.get_data("emg")


def test_rates_a_hair_apart_are_one_rate():
    # neo reports 25000.000000000004 Hz beside 25000 Hz
    rec = _rec(("A", 25000.0, 100, 0.0), ("B", 25000.000000000004, 100, 0.0))
    assert len(rec.channel_groups("emg")) == 1


def test_emg_of_two_rates_is_analysed_in_rate_groups():
    rec, truth = simulate_session(fs_emg=4000.0, fs_force=100.0, n_trials=3, n_emg=2,
                                  pattern="steady", rest_s=4.0, seed=31)
    fdp = rec["EMG FDP"]
    slow = Channel("EMG FDP", "emg", sps.decimate(fdp.data, 2, ftype="fir"), 2000.0, "V")
    mixed = Recording([c if c.name != "EMG FDP" else slow for c in rec.channels],
                      metadata=rec.metadata, source="mixed.edf")
    res = myoemg.analyze(mixed)
    assert res.summary.emg_channels == ("EMG FDS", "EMG FDP")
    assert any("2 groups" in n for n in res.summary.notes)
    myo = res.discharges[res.discharges.kind == "myotonic"]
    assert set(myo.channel) == {"EMG FDS", "EMG FDP"}  # both groups searched
    assert res.trials.myotonic.all()
    # per group, merged: the same as each channel analysed alone at its own rate
    alone = [myoemg.analyze(mixed, emg=name) for name in ("EMG FDS", "EMG FDP")]
    np.testing.assert_allclose(res.trials.after_activity_s,
                               np.fmax(*[a.trials.after_activity_s for a in alone]))
    assert len(res.discharges) == sum(len(a.discharges) for a in alone)


@requires_shared_data
def test_tremor_mvc_flex_is_analysed_on_both_channels(shared_data):
    res = myoemg.analyze(shared_data / "spike2py" / "tremor_mvc_flex.smr")
    assert set(res.summary.emg_channels) == {"Flex", "Ext"}
    assert any("20 µs apart" in n and "aligned" in n for n in res.summary.notes)
    assert res.summary.n_myotonic_discharges == 0  # a healthy MVC and release
