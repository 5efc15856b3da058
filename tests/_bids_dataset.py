"""A small BIDS-EMG dataset for the tests: EDF+ data with channels.tsv and emg.json sidecars."""

import json

from myoemg.io import write_edf
from myoemg.sim import simulate_session

#: (entities of each recording, simulator seed): sessions, runs and an acquisition label.
RECORDINGS = (
    ({"subject": "01", "session": "01", "task": "grip", "run": "1"}, 0),
    ({"subject": "01", "session": "01", "task": "grip", "run": "2"}, 1),
    ({"subject": "02", "task": "grip", "acquisition": "needle"}, 2),
)
_SHORT = (("subject", "sub"), ("session", "ses"), ("task", "task"), ("acquisition", "acq"),
          ("run", "run"))


def basename(entities):
    """``sub-01_ses-01_task-grip_run-1`` (BIDS order)."""
    return "_".join(f"{short}-{entities[key]}" for key, short in _SHORT if key in entities)


def write_dataset(root, recordings=RECORDINGS, n_trials=3):
    """Write a BIDS-EMG dataset at ``root``; returns {data file: entities}."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "dataset_description.json").write_text(json.dumps(
        {"Name": "grip test", "BIDSVersion": "1.11.0", "DatasetType": "raw"}))
    (root / "task-grip_emg.json").write_text(json.dumps(
        {"TaskName": "grip", "Manufacturer": "Acme", "EMGPlacementScheme": "surface"}))
    files = {}
    for entities, seed in recordings:
        folder = root / f"sub-{entities['subject']}"
        if "session" in entities:
            folder = folder / f"ses-{entities['session']}"
        folder = folder / "emg"
        folder.mkdir(parents=True, exist_ok=True)
        rec = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=n_trials,
                               pattern="warm-up", seed=seed)[0]
        stem = basename(entities)
        path = write_edf(rec.set_roles(emg=["EMG FDS"], force="Grip"),
                         folder / f"{stem}_emg.edf")
        (folder / f"{stem}_channels.tsv").write_text(
            "name\ttype\tunits\nEMG FDS\tEMG\tuV\nGrip\tFORCE\tN\n")
        files[path] = entities
    return files
