"""BIDS names through mne-bids: strict parsing, derivative names that survive a round trip."""

import pytest

from myoemg.utils import (
    RecordingError,
    bids_derivative_path,
    bids_entities,
    is_bids_emg_file,
)


def test_entities_are_mne_bids_names_in_bids_order():
    ents = bids_entities("sub-01_ses-a_task-grip_acq-needle_run-3_emg.edf")
    assert list(ents.items()) == [("subject", "01"), ("session", "a"), ("task", "grip"),
                                  ("acquisition", "needle"), ("run", "3")]
    with pytest.raises(RecordingError, match="task-grip_sub-01_emg.edf is not a valid BIDS"):
        bids_entities("task-grip_sub-01_emg.edf")  # out of order
    assert bids_entities("sub-01_foo-x_emg.edf", strict=False) == {"subject": "01", "foo": "x"}


def test_derivative_path_keeps_every_source_entity_and_adds_desc(tmp_path):
    source = {"subject": "01", "session": "02", "task": "grip", "acquisition": "hd",
              "run": "1", "recording": "x"}
    path = bids_derivative_path(source, suffix="trials", extension=".tsv", root=tmp_path)
    assert path == tmp_path / ("sub-01/ses-02/emg/"
                               "sub-01_ses-02_task-grip_acq-hd_run-1_recording-x_desc-myoemg_"
                               "trials.tsv")
    back = bids_entities(path.name)
    assert back.pop("description") == "myoemg" and back == source
    with pytest.raises(RecordingError, match="letters and digits"):
        bids_derivative_path({"subject": "0_1", "task": "grip"})


def test_bids_emg_file_by_name_and_place(tmp_path):
    (tmp_path / "emg").mkdir()
    assert is_bids_emg_file(tmp_path / "emg/sub-01_task-grip_emg.edf")
    assert is_bids_emg_file(tmp_path / "emg/sub-01_task-grip_emg.BDF")
    assert not is_bids_emg_file(tmp_path / "sub-01_task-grip_emg.edf")  # loose, no dataset
    assert not is_bids_emg_file(tmp_path / "emg/grip_emg.edf")
    assert not is_bids_emg_file(tmp_path / "emg/sub-01_task-grip_eeg.edf")
    (tmp_path / "dataset_description.json").write_text("{}")
    assert is_bids_emg_file(tmp_path / "sub-01_task-grip_emg.edf")
