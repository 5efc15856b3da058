"""Every reader passes check_reader on a small file generated here with known content."""

import datetime as dt

import numpy as np
import pytest

from myoemg.io import read, write_edf, write_force_csv
from myoemg.recording import Channel, Recording
from tests.settings import FS_EMG, FS_FORCE

from ._helpers import grip_emg, grip_force, simple_recording
from .conformance import check_reader

DUR = 3 + 1 / 7


def _edf(tmp_path, suffix):
    rec = simple_recording(duration_s=DUR)
    path = write_edf(rec, tmp_path / f"rec{suffix}")
    bits = 16 if suffix == ".edf" else 24
    atol_emg = 2 * np.ptp(rec["EMG FDS"].data) / 2**bits
    atol_f = 2 * np.ptp(rec["Grip"].data) / 2**bits
    return path, dict(
        channels=[("EMG FDS", "emg", FS_EMG, "V"), ("Grip", "force", FS_FORCE, "N")],
        duration_s=4.0, n_events=1,  # the event at 4.0 s lies past the end
        values={"EMG FDS": (rec["EMG FDS"].data, atol_emg), "Grip": (rec["Grip"].data, atol_f)},
    ), {}


def _force_csv(tmp_path, suffix):
    f = grip_force(FS_FORCE, DUR)
    path = write_force_csv(f, tmp_path / f"dyn{suffix}", fs=FS_FORCE, unit="lbf")
    sep = b"\t" if suffix == ".tsv" else b","
    return path, dict(channels=[("force", "force", FS_FORCE, "N")],
                      duration_s=f.size / FS_FORCE, values={"force": (f, 1e-6)},
                      n_events=0), {"cut": lambda data: data.index(sep, int(len(data) * 0.6)) + 1}


def _emg_text(tmp_path, suffix):
    x = grip_emg(1000.0, 2.0)
    path = tmp_path / "emg.txt"
    path.write_text("# Sampling Rate (Hz):= 1000.00\n# Labels:= EMG FDS\t Grip\n" + "\n".join(
        f"{v * 1e6:.6f}\t{i * 0.01:.4f}" for i, v in enumerate(x)) + "\n")
    return path, dict(channels=[("EMG FDS", "emg", 1000.0, "V"), ("Grip", "force", 1000.0, "N")],
                      duration_s=2.0, values={"EMG FDS": (x, 1e-11)}, n_events=0), dict(
        unit="uV", force_unit="N")


def _brainvision(tmp_path, _):
    n, fs = 1500, 1999.0
    rng = np.random.default_rng(1)
    counts = rng.integers(-2000, 2000, size=(n, 2)).astype("<i2")
    (tmp_path / "bv.eeg").write_bytes(counts.tobytes())
    (tmp_path / "bv.vhdr").write_text(
        "Brain Vision Data Exchange Header File Version 1.0\n[Common Infos]\nCodepage=UTF-8\n"
        "DataFile=bv.eeg\nMarkerFile=bv.vmrk\nDataFormat=BINARY\nDataOrientation=MULTIPLEXED\n"
        f"NumberOfChannels=2\nSamplingInterval={1e6 / fs}\n[Binary Infos]\nBinaryFormat=INT_16\n"
        "[Channel Infos]\nCh1=EMG FDS,,0.1,µV\nCh2=Grip,,0.5,N\n", encoding="utf-8")
    (tmp_path / "bv.vmrk").write_text(
        "Brain Vision Data Exchange Marker File, Version 1.0\n[Common Infos]\nCodepage=UTF-8\n"
        "DataFile=bv.eeg\n[Marker Infos]\nMk1=New Segment,,1,1,0,20240305093000000000\n"
        "Mk2=Stimulus,S  1,200,1,0\nMk3=Stimulus,S  2,900,1,0\n", encoding="utf-8")
    return tmp_path / "bv.vhdr", dict(
        channels=[("EMG FDS", "emg", fs, "V"), ("Grip", "force", fs, "N")],
        duration_s=n / fs, n_events=2,
        values={"EMG FDS": (counts[:, 0] * 0.1e-6, 1e-12), "Grip": (counts[:, 1] * 0.5, 1e-9)},
    ), {"companions": [tmp_path / "bv.eeg", tmp_path / "bv.vmrk"],
        "truncate": lambda d: d / "bv.eeg"}


def _fif(tmp_path, _):
    mne = pytest.importorskip("mne")
    x = grip_emg(FS_EMG, 2.0)
    f = grip_force(FS_EMG, 2.0)
    info = mne.create_info(["EMG FDS", "Grip"], FS_EMG, ["emg", "misc"])
    info["subject_info"] = {"first_name": "Jane", "his_id": "MRN-123"}
    raw = mne.io.RawArray(np.vstack([x, f]), info, verbose=False)
    raw.set_annotations(mne.Annotations([0.5], [0.0], ["grip"]))
    path = tmp_path / "rec_raw.fif"
    raw.save(path, verbose=False)
    return path, dict(channels=[("EMG FDS", "emg", FS_EMG, "V"), ("Grip", "force", FS_EMG,
                                                                     "a.u.")],
                      duration_s=2.0, n_events=1, identifiers=["Jane", "MRN-123"],
                      values={"EMG FDS": (x, 1e-9)}), {}


def _wfdb(tmp_path, _):
    wfdb = pytest.importorskip("wfdb")
    x = grip_emg(4000.0, 1.5) * 1e3  # mV
    wfdb.wrsamp("rec", fs=4000, units=["mV"], sig_name=["EMG"], p_signal=x[:, None],
                fmt=["16"], adc_gain=[10000.0], baseline=[0], write_dir=str(tmp_path),
                comments=["<age>: 57 <sex>: M", "Jane Doe, surface electrode on FDS"])
    return tmp_path / "rec.hea", dict(
        channels=[("EMG", "emg", 4000.0, "V")], duration_s=1.5, n_events=0,
        values={"EMG": (x * 1e-3, 1e-7 * 0.51)}, identifiers=["Jane", "<age>"],
    ), {"companions": [tmp_path / "rec.dat"], "truncate": lambda d: d / "rec.dat"}


def _wav(tmp_path, _):
    from scipy.io import wavfile

    x = (grip_emg(44100.0, 0.5) / 2e-3 * 32767).clip(-32767, 32767).astype(np.int16)
    path = tmp_path / "needle.wav"
    wavfile.write(path, 44100, x)
    return path, dict(channels=[("EMG", "emg", 44100.0, "V")], duration_s=x.size / 44100,
                      values={"EMG": (x * 1e-7, 1e-12)}, n_events=0), {"emg_calibration": 1e-7}


def _bids(tmp_path, _):
    root = tmp_path / "ds"
    folder = root / "sub-07" / "ses-01" / "emg"
    folder.mkdir(parents=True)
    (root / "dataset_description.json").write_text('{"Name": "t", "BIDSVersion": "1.11.0"}')
    rec = simple_recording(duration_s=DUR, events=False)
    rec.channels[1].name = "Dyn"  # a label that says nothing: the sidecar decides
    rec.channels[1].kind = "other"
    rec.start_time = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    path = write_edf(rec, folder / "sub-07_ses-01_task-grip_emg.edf")
    (folder / "sub-07_ses-01_task-grip_channels.tsv").write_text(
        "name\ttype\tunits\tsampling_frequency\ttarget_muscle\n"
        f"EMG FDS\tEMG\tuV\t{FS_EMG}\tflexor digitorum superficialis\n"
        f"Dyn\tMISC\tN\t{FS_FORCE}\tn/a\n")
    (root / "task-grip_emg.json").write_text(
        '{"Manufacturer": "Acme", "ManufacturersModelName": "G2", '
        '"EMGPlacementScheme": "surface electrodes over FDS"}')
    (folder / "sub-07_ses-01_task-grip_events.tsv").write_text(
        "onset\tduration\ttrial_type\n1.0\t1.7\tgrip\n4.0\tn/a\tgrip\n")
    return path, dict(channels=[("EMG FDS", "emg", FS_EMG, "V"), ("Dyn", "force", FS_FORCE,
                                                                  "N")],
                      duration_s=4.0, n_events=2,
                      values={"Dyn": (rec["Dyn"].data, 0.01)}), {}


FORMATS = {
    "edf": (_edf, ".edf"), "bdf": (_edf, ".bdf"), "force_csv": (_force_csv, ".csv"),
    "force_tsv": (_force_csv, ".tsv"), "text": (_emg_text, ".txt"),
    "brainvision": (_brainvision, ".vhdr"), "fif": (_fif, ".fif"), "wfdb": (_wfdb, ".hea"),
    "wav": (_wav, ".wav"), "bids": (_bids, ".edf"),
}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_reader_conformance(tmp_path, fmt):
    make, suffix = FORMATS[fmt]
    path, expect, extra = make(tmp_path, suffix)
    companions = extra.pop("companions", ())
    truncate = extra.pop("truncate", None)
    cut = extra.pop("cut", None)
    if fmt == "text":
        truncate = "skip"  # a one-value-per-line text file cut at a line end is undetectable
    rec = check_reader(read, path, expect=expect, companions=companions, truncate=truncate,
                       cut=cut, **extra)
    if fmt == "bids":
        assert rec.metadata["subject"] == "07" and rec.metadata["session"] == "01"
        assert rec.metadata["device"] == "Acme G2"
        assert rec.metadata["electrode"] == "surface"
        assert rec.metadata["muscle"] == "flexor digitorum superficialis"


def test_in_memory_raw_conformance():
    mne = pytest.importorskip("mne")
    x = grip_emg(FS_EMG, 1.0)
    raw = mne.io.RawArray(x[None], mne.create_info(["EMG FDS"], FS_EMG, ["emg"]),
                          verbose=False)
    rec = read(raw)
    assert rec.kinds == ["emg"] and rec.source == "mne.io.Raw"
    np.testing.assert_allclose(rec["EMG FDS"].data, x)
    rec2 = read(Recording([Channel("EMG", "emg", x, FS_EMG, "V"),
                           Channel("Grip", "force", grip_force(FS_FORCE, 1.0), FS_FORCE,
                                   "N")]).to_mne(split_rates=True)[1])
    assert rec2.kinds == ["force"] and rec2["Grip"].fs == FS_FORCE
