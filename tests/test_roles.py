"""Channel roles are decided in one place (myoemg.roles), whichever way a recording enters."""

import numpy as np
import pytest

import myoemg
from myoemg import Channel, Recording
from myoemg.quality import check_recording
from myoemg.roles import MIN_RAW_EMG_FS, assign_roles, not_raw_emg_reason, override_kinds
from myoemg.utils import ChannelError


def _eeg_typed_raw():
    mne = pytest.importorskip("mne")
    info = mne.create_info(["Ch1", "FDS"], 2000.0, ["eeg", "eeg"])
    x = np.random.default_rng(0).standard_normal((2, 4000)) * 1e-5
    return mne.io.RawArray(x, info, verbose=False)


def test_raw_gives_the_same_kinds_through_read_and_from_mne():
    raw = _eeg_typed_raw()
    assert myoemg.read(raw).kinds == Recording.from_mne(raw).kinds == ["emg", "emg"]


def test_round_trip_through_mne_keeps_kinds_and_rates():
    ch = [Channel("EMG FDS", "emg", np.zeros(2000), 2000.0, "V"),
          Channel("Grip", "force", np.ones(100), 100.0, "N")]
    back = Recording.from_mne(Recording(ch).to_mne(split_rates=True))
    assert back.kinds == ["emg", "force"] and [c.fs for c in back.channels] == [2000.0, 100.0]


class _Raw:
    def __init__(self, name, fs, unit="V", kind=None, hint=""):
        self.name, self.fs, self.unit, self.kind, self.hint = name, fs, unit, kind, hint


def test_slow_or_envelope_emg_is_set_aside_with_a_reason():
    chans = [_Raw("EMG FDS", 2000.0), _Raw("EMG submental", 1.0), _Raw("EMG rect", 1000.0,
                                                                     hint="rectified")]
    decision = assign_roles(chans)
    assert decision.kinds == ("emg", "other", "other")
    assert set(decision.set_aside) == {"EMG submental", "EMG rect"}
    assert "too slowly" in decision.set_aside["EMG submental"]
    # the user may insist
    assert assign_roles(chans, emg="EMG submental").kinds[1] == "emg"
    assert not_raw_emg_reason("x", MIN_RAW_EMG_FS) is None


def test_override_names_a_missing_channel():
    with pytest.raises(ChannelError, match="Did you mean 'Grip'"):
        override_kinds(["EMG", "Grip"], ["emg", "force"], force="Gripp")


def test_emg_too_slow_is_flagged_not_silently_dropped():
    """Issue 13: a 100 Hz 'EMG' must give the 'emg_not_raw' flag, not just 'no EMG channel'."""
    from myoemg.io._common import RawChannel, build_recording

    rec = build_recording("x.csv", [RawChannel("EMG FDS", np.zeros(500), 100.0, "uV"),
                                    RawChannel("Grip", np.zeros(500), 100.0, "N")])
    assert rec.kinds == ["other", "force"] and "EMG FDS" in rec.set_aside
    _, flags = check_recording(rec)
    assert "emg_not_raw" in set(flags.loc[flags["channel"] == "EMG FDS", "code"])
