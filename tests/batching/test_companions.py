"""The resume hash covers every file a recording is read from, for every reader."""

import json
import shutil
import subprocess
import sys

import pytest

import myoemg
from myoemg.batching import companion_files
from myoemg.io import write_edf

from ._helpers import ROOT, small_session

#: Runs in a fresh interpreter: makes each conformance file, reads it with an audit hook that
#: records every file opened below the folder, prints {format: [path, [opened...]]}.
_SPY = """
import json, sys, tempfile
from pathlib import Path
from tests.io.test_conformance import FORMATS
from myoemg.io import read

opened, folder = set(), None

def hook(event, args):
    if event == "open" and folder is not None and isinstance(args[0], (str, bytes, Path)):
        p = Path(args[0] if not isinstance(args[0], bytes) else args[0].decode())
        if str(p).startswith(str(folder)) and p.is_file():
            opened.add(str(p.resolve()))

sys.addaudithook(hook)
seen = {}
for fmt, (make, suffix) in FORMATS.items():
    with tempfile.TemporaryDirectory() as tmp:
        path, _, extra = make(Path(tmp), suffix)
        opts = {k: v for k, v in extra.items() if k not in ("companions", "truncate", "cut")}
        folder = Path(tmp).resolve()
        read(path, **opts)
        folder = None
        from myoemg.batching import companion_files
        seen[fmt] = [str(Path(path).resolve()), sorted(opened),
                     [str(p.resolve()) for p in companion_files(path)]]
        opened.clear()
print(json.dumps(seen))
"""


def test_companions_cover_every_file_each_reader_opens():
    pytest.importorskip("wfdb")
    out = subprocess.run([sys.executable, "-c", _SPY], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    for fmt, (path, opened, companions) in seen.items():
        missed = set(opened) - {path, *companions}
        assert not missed, f"{fmt}: read opens {sorted(missed)}, not hashed"
    assert len(seen["wfdb"][2]) == 1 and len(seen["brainvision"][2]) == 2
    assert len(seen["bids"][2]) == 3  # channels.tsv, task-grip_emg.json (root), events.tsv


def test_companions_of_hand_written_headers(tmp_path):
    (tmp_path / "r.vhdr").write_text("Brain Vision Data Exchange Header File Version 1.0\n"
                                     "[Common Infos]\nDataFile=r data.eeg\n"
                                     "MarkerFile = r.vmrk \n")
    (tmp_path / "m.hea").write_text("m/2 1 100 200\nseg1 100\n~ 50\nseg2 50\n")
    (tmp_path / "seg1.hea").write_text("seg1 2 100 100\nseg1.dat 16 1 0 0 0 0 0 EMG\n"
                                       "../../etc/passwd 16 1 0 0 0 0 0 Grip\n")
    (tmp_path / "seg2.hea").write_text("# a comment\nseg2 1 100 50\nshared.dat 16 1\n")
    (tmp_path / "x.fif").write_bytes(b"")
    for name in ("r data.eeg", "r.vmrk", "seg1.dat", "shared.dat", "x-1.fif", "x-2.fif",
                 "x-4.fif"):
        (tmp_path / name).write_bytes(b"1")
    names = {k: [p.name for p in companion_files(tmp_path / k)]
             for k in ("r.vhdr", "m.hea", "x.fif")}
    assert names == {"r.vhdr": ["r data.eeg", "r.vmrk"],
                     "m.hea": ["seg1.dat", "seg1.hea", "seg2.hea", "shared.dat"],
                     "x.fif": ["x-1.fif", "x-2.fif"]}  # a gap ends the split series
    (tmp_path / "z.hea").write_text("z 1 100 10\nzero.dat 16\n")
    (tmp_path / "zero.dat").symlink_to("/dev/zero")  # never hashed
    assert companion_files(tmp_path / "z.hea") == []


@pytest.mark.parametrize("change", ["wfdb_dat", "bids_channels"])
def test_changed_companion_is_recomputed_not_up_to_date(tmp_path, change):
    rec = small_session("healthy", 4)
    data = tmp_path / "data"
    if change == "wfdb_dat":
        wfdb = pytest.importorskip("wfdb")
        import numpy as np

        emg = rec.emg[0]
        force = np.interp(emg.times, rec.force.times, rec.force.data)  # WFDB: one rate
        data.mkdir()
        wfdb.wrsamp("rec", fs=emg.fs, units=["mV", "N"], sig_name=["EMG FDS", "Grip"],
                    p_signal=np.c_[emg.data * 1e3, force], fmt=["16", "16"],
                    adc_gain=[20000.0, 50.0], baseline=[0, 0], write_dir=str(data))
        victim = data / "rec.dat"
    else:
        folder = data / "sub-01/emg"
        folder.mkdir(parents=True)
        (data / "dataset_description.json").write_text('{"Name": "t"}')
        write_edf(rec.set_roles(emg=["EMG FDS"], force="Grip"),
                  folder / "sub-01_task-grip_emg.edf")
        victim = folder / "sub-01_task-grip_channels.tsv"
        victim.write_text("name\ttype\tunits\nEMG FDS\tEMG\tuV\nGrip\tFORCE\tN\n")
    first = myoemg.batch(data, tmp_path / "out", report=False)
    assert first.exit_code == 0, first.failures.to_dict("records")
    assert first.manifest["recordings"][0]["sha256"]["companions"]
    again = myoemg.batch(data, tmp_path / "out", report=False)
    assert again.counts["skipped"] == 1
    raw = bytearray(victim.read_bytes())
    if change == "wfdb_dat":
        raw[-2:] = bytes([raw[-2] ^ 0xFF, raw[-1]])  # one sample changes, the size does not
    else:
        raw = bytearray(bytes(raw).replace(b"Grip\tFORCE\tN", b"Grip\tFORCE\tkgf"))
    victim.write_bytes(bytes(raw))
    changed = myoemg.batch(data, tmp_path / "out", report=False)
    assert changed.counts["done"] == 1 and changed.counts["skipped"] == 0
    shutil.rmtree(tmp_path / "out")
