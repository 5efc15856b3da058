"""input_files lists every file a read opens (for batch hashes and output-vs-input checks)."""

from myoemg.io import input_files, write_edf, write_force_csv

from ._bad_files import session, write_brainvision, write_wfdb


def test_companions_of_each_format(tmp_path):
    bv = tmp_path / "bv"
    bv.mkdir()
    vhdr = write_brainvision(bv)
    files = [p.name for p in input_files(vhdr)]
    assert files[0] == "rec.vhdr" and sorted(files[1:]) == ["rec.eeg", "rec.vmrk"]
    wf = tmp_path / "wf"
    wf.mkdir()
    hea = write_wfdb(wf)
    assert [p.name for p in input_files(hea)] == ["rec.hea", "rec.dat"]
    assert [p.name for p in input_files(hea.with_suffix(".dat"))] == ["rec.hea", "rec.dat"]


def test_sibling_force_file_and_bids_sidecars(tmp_path):
    rec = session(n_trials=2)
    emg = write_edf(rec.select(["EMG FDS"]), tmp_path / "S03_grip.edf")
    force = write_force_csv(rec["Grip"], tmp_path / "S03_grip_force.csv")
    assert input_files(emg) == [emg, force]
    assert input_files(emg, force=False) == [emg]
    root = tmp_path / "ds"
    folder = root / "sub-01" / "emg"
    folder.mkdir(parents=True)
    (root / "dataset_description.json").write_text("{}")
    data = write_edf(rec, folder / "sub-01_task-grip_emg.edf")
    chans = folder / "sub-01_task-grip_channels.tsv"
    chans.write_text("name\ttype\nEMG FDS\tEMG\nGrip\tMISC\n")
    events = root / "task-grip_events.tsv"  # inherited from the dataset root
    events.write_text("onset\tduration\n1\t1\n")
    assert input_files(data) == [data, chans, events]
