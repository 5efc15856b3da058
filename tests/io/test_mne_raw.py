"""Recording.to_mne: the mains frequency in info['line_freq'], the force channel's unit."""

import mne
import numpy as np
import pytest
from mne.io.constants import FIFF

import myoemg
from myoemg.recording import Channel, Recording
from myoemg.sim import simulate_session


def _session(mains_hz, seed=3):
    return simulate_session(fs_emg=2000.0, fs_force=100.0, n_trials=3, seed=seed,
                            mains_hz=mains_hz)[0]


@pytest.mark.parametrize("mains_hz", [50.0, 60.0])
def test_line_freq_is_the_mains_on_the_emg(mains_hz):
    raw = _session(mains_hz).to_mne()
    assert raw.info["line_freq"] == mains_hz
    for part in _session(mains_hz).to_mne(split_rates=True):
        assert part.info["line_freq"] == mains_hz  # the force-rate Raw too


def test_line_freq_none_without_hum_or_emg_and_given_value_wins():
    rec = _session(mains_hz=None)
    assert rec.to_mne().info["line_freq"] is None
    assert rec.to_mne(line_freq=60).info["line_freq"] == 60.0
    force_only = rec.select(["Grip"])
    assert force_only.to_mne().info["line_freq"] is None
    with pytest.raises(ValueError, match="line_freq"):
        rec.to_mne(line_freq="fifty")


def test_calibrated_force_is_in_newtons_for_mne_and_after_a_fif_round_trip(tmp_path):
    rec = _session(50.0)
    raw = rec.to_mne()
    units = {ch["ch_name"]: ch["unit"] for ch in raw.info["chs"]}
    assert units == {"EMG FDS": FIFF.FIFF_UNIT_V, "Grip": FIFF.FIFF_UNIT_N}
    raw.save(tmp_path / "grip_raw.fif", verbose=False)
    back = mne.io.read_raw_fif(tmp_path / "grip_raw.fif", verbose=False)
    assert back.info["chs"][1]["unit"] == FIFF.FIFF_UNIT_N
    assert back.info["line_freq"] == 50.0
    # Without myoemg's own layout the unit alone still says force in N.
    back.load_data().info["description"] = None
    read = myoemg.read(back)
    assert read["Grip"].unit == "N" and read["Grip"].kind == "force"


def test_uncalibrated_force_is_never_labelled_newtons():
    t = np.arange(2000) / 100.0
    rec = Recording([Channel("Grip", "force", 1 + np.sin(t), 100.0, "a.u.")])
    (ch,) = rec.to_mne().info["chs"]
    assert ch["unit"] == FIFF.FIFF_UNIT_NONE
    assert Recording.from_mne(rec.to_mne())["Grip"].unit == "a.u."
