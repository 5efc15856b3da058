"""BIDS-EMG reading: entities and paths from mne-bids, our own EDF reading, sidecars inherited."""

import logging
import sys

import pytest

import myoemg
from myoemg.io import read_bids, write_edf
from myoemg.io.bids import find_emg_files
from myoemg.utils import RecordingError, UnsupportedFormatError

from .._bids_dataset import write_dataset


@pytest.fixture()
def dataset(tmp_path):
    files = write_dataset(tmp_path / "ds", n_trials=1)
    return tmp_path / "ds", files


def test_entities_of_every_file_reach_the_metadata(dataset):
    root, files = dataset
    for path, entities in files.items():
        rec = myoemg.read(path)
        assert rec.metadata["subject"] == entities["subject"]
        assert rec.metadata.get("session") == entities.get("session")
        assert rec.kinds == ["emg", "force"]
        assert rec["Grip"].fs == 100.0  # force at its own rate: not resampled to the EMG's


def test_folder_picks_by_entities_and_skips_derivatives(dataset):
    root, files = dataset
    clean = root / "derivatives/clean/sub-01/ses-01/emg"
    clean.mkdir(parents=True)
    first = next(iter(files))
    (clean / first.name).write_bytes(first.read_bytes())  # a processed copy, not raw data
    assert find_emg_files(root, subject="01", run="2") == [
        root / "sub-01/ses-01/emg/sub-01_ses-01_task-grip_run-2_emg.edf"]
    assert len(find_emg_files(root)) == 3
    rec = read_bids(root, subject="02")
    assert rec.metadata["subject"] == "02"
    with pytest.raises(RecordingError, match="holds 2 BIDS-EMG recordings"):
        read_bids(root, subject="01")


def test_channels_tsv_inherited_from_the_dataset_root(tmp_path):
    root = tmp_path / "ds"
    folder = root / "sub-03/emg"
    folder.mkdir(parents=True)
    (root / "dataset_description.json").write_text('{"Name": "t", "BIDSVersion": "1.11.0"}')
    rec = myoemg.sim.simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=1)[0]
    rec.channels[1].name = "Dyn"  # a label that says nothing: only the sidecar makes it force
    rec.channels[1].kind = "other"
    path = write_edf(rec, folder / "sub-03_task-grip_emg.edf")
    (root / "task-grip_channels.tsv").write_text("name\ttype\nEMG FDS\tEMG\nDyn\tFORCE\n")
    read = myoemg.read(path)  # no sidecar beside it: still read as BIDS
    assert dict(zip(read.ch_names, read.kinds, strict=True)) == {"EMG FDS": "emg", "Dyn": "force"}
    assert read.metadata["subject"] == "03"  # the entity, not the EDF header's code (SIM)


def test_a_name_mne_bids_rejects_is_read_leniently_with_a_warning(tmp_path, caplog):
    folder = tmp_path / "ds/sub-01/emg"
    folder.mkdir(parents=True)
    rec = myoemg.sim.simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=1)[0]
    path = write_edf(rec, folder / "sub-01_task-grip_foo-bar_emg.edf")  # 'foo': no entity
    with caplog.at_level(logging.WARNING, logger="myoemg"):
        read = myoemg.read(path)
    assert read.metadata["subject"] == "01"
    assert "not a valid BIDS file name" in caplog.text and "foo" in caplog.text


def test_missing_mne_bids_is_one_clear_error(dataset, monkeypatch):
    _, files = dataset
    monkeypatch.setitem(sys.modules, "mne_bids", None)  # import fails as if not installed
    with pytest.raises(UnsupportedFormatError, match="pip install mne-bids"):
        myoemg.read(next(iter(files)))
