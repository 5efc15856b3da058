"""The Recording container: rates per channel, roles, SI units, MNE round trip."""

import numpy as np
import pytest

from myoemg import Channel, Recording
from myoemg.roles import infer_kind
from myoemg.utils import ChannelError

from .settings import FS_EMG, FS_FORCE, N_SECONDS_ODD


@pytest.fixture
def rec():
    rng = np.random.default_rng(0)
    emg = Channel("EMG FDS", "emg", 1e-4 * rng.standard_normal(int(N_SECONDS_ODD * FS_EMG)),
                  FS_EMG, "V")
    t = np.arange(int(N_SECONDS_ODD * FS_FORCE)) / FS_FORCE
    force = Channel("Grip", "force", 100 + 50 * np.sin(t), FS_FORCE, "N")
    return Recording([emg, force], metadata={"muscle": "FDS"},
                     identifiers={"patient_name": "Jane Roe"}, source="x.edf")


def test_channels_keep_their_own_rates(rec):
    assert rec["EMG FDS"].fs == FS_EMG and rec["Grip"].fs == FS_FORCE
    assert rec.force.name == "Grip" and [c.name for c in rec.emg] == ["EMG FDS"]
    assert rec.duration_s == pytest.approx(N_SECONDS_ODD, abs=1 / FS_FORCE)


def test_repr_has_no_identifiers(rec):
    assert "Jane" not in repr(rec)


def test_missing_channel_suggests_a_name(rec):
    with pytest.raises(ChannelError, match="Did you mean 'Grip'"):
        rec.set_roles(force="Gripp")


def test_roles_can_be_overridden(rec):
    out = rec.set_roles(emg="EMG FDS", force="Grip")
    assert out.kinds == ["emg", "force"]
    # a signal in volts made the force is not newtons: it stays in arbitrary units (roles.py
    # and utils.convert_to_si are the one path, as in myoemg.read)
    volts = rec.set_roles(force="EMG FDS")
    assert volts["EMG FDS"].kind == "force" and volts["EMG FDS"].unit == "a.u."
    assert any("uncalibrated" in c for c in volts.conversions)


def test_duplicate_names_are_refused():
    ch = Channel("A", "emg", np.zeros(10), 100.0, "V")
    with pytest.raises(ChannelError, match="duplicate"):
        Recording([ch, ch])


@pytest.mark.parametrize("name, unit, kind", [
    ("Grip", "N", "force"), ("Force", "kgf", "force"), ("Dynamometer", "", "force"),
    ("EMG FDS", "uV", "emg"), ("Ch1", "mV", "emg"), ("Temp", "degC", "other"),
    ("EMG flexor", "", "emg"), ("k_torque", "v", "force"),
])
def test_infer_kind(name, unit, kind):
    assert infer_kind(name, unit) == kind


def test_mne_round_trip_split_rates_is_exact(rec):
    raws = rec.to_mne(split_rates=True)
    assert [r.info["sfreq"] for r in raws] == [FS_EMG, FS_FORCE]
    back = Recording.from_mne(raws)
    for name in rec.ch_names:
        np.testing.assert_array_equal(back[name].data, rec[name].data)
        assert back[name].fs == rec[name].fs and back[name].kind == rec[name].kind
    assert back.metadata["muscle"] == "FDS"


def test_mne_round_trip_single_raw_resamples_for_export_only(rec):
    raw = rec.to_mne()
    assert raw.info["sfreq"] == FS_EMG
    assert raw.get_channel_types() == ["emg", "misc"]
    back = Recording.from_mne(raw)
    assert back["Grip"].fs == FS_FORCE and back["Grip"].n_times == rec["Grip"].n_times
    np.testing.assert_array_equal(back["EMG FDS"].data, rec["EMG FDS"].data)
    # A 0.16 Hz sine survives up- and down-sampling to well under 0.1 % away from the edges.
    inner = slice(10, -10)
    np.testing.assert_allclose(back["Grip"].data[inner], rec["Grip"].data[inner], rtol=1e-3)


def test_events_become_annotations(rec):
    import pandas as pd

    rec.events = pd.DataFrame({"onset_s": [1.5], "duration_s": [0.5], "description": ["grip"]})
    raw = rec.to_mne()
    assert list(raw.annotations.description) == ["grip"]
    back = Recording.from_mne(raw)
    assert back.events.onset_s.tolist() == pytest.approx([1.5])


def test_copy_sharing_data_leaves_the_original_alone(rec):
    out = rec.copy(share_data=True)
    name = rec.ch_names[0]
    assert out[name].data is rec[name].data  # samples shared, nothing copied
    before = rec[name].data
    out[name].data = -out[name].data  # new data in the copy
    out[name].kind = "other"
    out.conversions.append("changed")
    assert rec[name].data is before and rec[name].kind != "other"
    assert "changed" not in rec.conversions
    assert rec.copy()[name].data is not rec[name].data  # the default copies everything


def test_events_table_is_made_on_first_use_and_old_pickles_load():
    import pickle

    import pandas as pd

    rec = Recording([Channel("EMG", "emg", np.zeros(100), 1000.0, "V")])
    assert rec.n_events == 0
    assert list(rec.events.columns) == ["onset_s", "duration_s", "description"]
    assert rec.copy(share_data=True).events.shape == (0, 3)
    table = pd.DataFrame({"onset_s": [1.0], "duration_s": [0.0], "description": ["grip"]})
    with_events = Recording(rec.channels, events=table)
    assert with_events.n_events == 1
    assert pickle.loads(pickle.dumps(with_events)).events.equals(table)
    # a recording pickled when the table was a plain attribute named "events"
    state = dict(with_events.__dict__)
    state["events"] = state.pop("_events")
    old = Recording.__new__(Recording)
    old.__setstate__(state)
    assert old.n_events == 1 and old.events.equals(table)
