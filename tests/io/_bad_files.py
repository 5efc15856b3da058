"""Builders of bad inputs (damaged headers, uncalibrated signals, non-files) and a CLI runner.

The CLI is reached through its console-script entry point (in-process, fast) or the installed
``myoemg`` script (a real process), so these tests do not depend on where the CLI package
lives.
"""

import importlib.metadata
import os
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np

from myoemg.io import write_edf
from myoemg.recording import Channel, Recording
from myoemg.sim import simulate_session

#: EDF header: global fields (offset, width) and the per-signal fields (name, width) in order.
EDF_GLOBAL = {"header_bytes": (184, 8), "n_records": (236, 8), "duration": (244, 8),
              "n_signals": (252, 4)}
EDF_SIGNAL = [("label", 16), ("transducer", 80), ("unit", 8), ("physical_min", 8),
              ("physical_max", 8), ("digital_min", 8), ("digital_max", 8),
              ("prefiltering", 80), ("samples", 8), ("reserved", 32)]


def session(seed=4, n_trials=3):
    """A simulated grip session: 'EMG FDS' at 1 kHz (V) and 'Grip' at 100 Hz (N)."""
    rec, _ = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=n_trials, rest_s=3.0,
                              seed=seed)
    return rec


def edf_field(raw, name, value, signal=0):
    """``raw`` (EDF/BDF bytes) with one header field set to ``value`` (padded to its width)."""
    raw = bytearray(raw)
    if name in EDF_GLOBAL:
        start, width = EDF_GLOBAL[name]
    else:
        ns = int(raw[252:256])
        start = 256
        for field, width in EDF_SIGNAL:
            if field == name:
                start += width * signal
                break
            start += width * ns
    raw[start:start + width] = str(value).encode("ascii")[:width].ljust(width)
    return bytes(raw)


def write_edf_with(path, name, value, signal=0, recording=None):
    """Write a valid EDF of ``recording`` (default :func:`session`), then set one field."""
    rec = recording if recording is not None else session()
    write_edf(rec, path, overwrite=True)
    path.write_bytes(edf_field(path.read_bytes(), name, value, signal))
    return path


def write_wfdb(folder, name="rec", gain=(20000.0, 50.0)):
    """A two-signal WFDB record (EMG in mV, force in N) at 1 kHz; returns the .hea path."""
    with warnings.catch_warnings():  # wfdb's pandas deprecations, not ours
        warnings.simplefilter("ignore")
        import wfdb

    rec = session(n_trials=2)
    emg, force = rec["EMG FDS"], rec["Grip"]
    f = np.interp(emg.times, force.times, force.data)
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wfdb.wrsamp(name, fs=emg.fs, units=["mV", "N"],
                        sig_name=["EMG FDS", "Grip"],
                        p_signal=np.stack([emg.data * 1e3, f], axis=1), fmt=["16", "16"],
                        adc_gain=list(gain), baseline=[0, 0])
    finally:
        os.chdir(cwd)
    return Path(folder) / f"{name}.hea"


def write_fif(path):
    session(n_trials=2).to_mne().save(path, verbose="error", overwrite=True)
    return path


def fif_tag_positions(raw):
    """Byte positions of the FIF tags of a file written by MNE (a sequential chain)."""
    pos, out = 0, []
    while pos + 16 <= len(raw):
        _, _, size, _ = struct.unpack(">iIii", raw[pos:pos + 16])
        out.append(pos)
        pos += 16 + size
    return out


def write_brainvision(folder, *, interval="1000", n_channels="2", resolution="0.1"):
    """A two-channel BrainVision recording (EMG µV, force N) with chosen header fields."""
    rec = session(n_trials=2)
    emg, force = rec["EMG FDS"], rec["Grip"]
    f = np.interp(emg.times, force.times, force.data)
    data = np.stack([np.round(emg.data * 1e7), np.round(f * 100)], axis=1)
    (folder / "rec.eeg").write_bytes(np.clip(data, -32768, 32767).astype("<i2").tobytes())
    (folder / "rec.vhdr").write_text(
        "Brain Vision Data Exchange Header File Version 1.0\n\n[Common Infos]\n"
        "Codepage=UTF-8\nDataFile=rec.eeg\nMarkerFile=rec.vmrk\nDataFormat=BINARY\n"
        f"DataOrientation=MULTIPLEXED\nNumberOfChannels={n_channels}\n"
        f"SamplingInterval={interval}\n\n[Binary Infos]\nBinaryFormat=INT_16\n\n"
        f"[Channel Infos]\nCh1=EMG FDS,,{resolution},µV\nCh2=Grip,,0.01,N\n", encoding="utf-8")
    (folder / "rec.vmrk").write_text(
        "Brain Vision Data Exchange Marker File, Version 1.0\n\n[Common Infos]\n"
        "Codepage=UTF-8\nDataFile=rec.eeg\n\n[Marker Infos]\n"
        "Mk1=New Segment,,1,1,0,20240305093000000000\n", encoding="utf-8")
    return folder / "rec.vhdr"


def write_wav(path, rate, channels=1):
    """A 16-bit PCM WAV whose format chunk claims ``rate`` Hz and ``channels`` channels."""
    x = (np.sin(np.arange(8000) / 5) * 1000).astype("<i2").tobytes()
    fmt = struct.pack("<HHIIHH", 1, channels, rate, (rate * 2 * channels) % 2**32,
                      2 * channels, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + \
        struct.pack("<I", len(x)) + x
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def recording_with(emg=None, force=None, fs_emg=1000.0, fs_force=100.0, unit_force="N"):
    """The simulated session with its EMG and/or force samples replaced."""
    rec = session()
    e, f = rec["EMG FDS"], rec["Grip"]
    chans = [Channel("EMG FDS", "emg", e.data if emg is None else emg, fs_emg, "V"),
             Channel("Grip", "force", f.data if force is None else force, fs_force, unit_force)]
    return Recording(chans, start_time=rec.start_time)


# -- the command line -------------------------------------------------------------------------
def cli_main():
    """The function behind the ``myoemg`` console script, wherever the CLI package lives."""
    (ep,) = importlib.metadata.entry_points(group="console_scripts", name="myoemg")
    return ep.load()


def run_cli(capsys, *args):
    """(exit code, stdout, stderr) of ``myoemg ARGS`` run in this process."""
    code = cli_main()([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def console_script():
    """The installed ``myoemg`` script beside this Python."""
    script = Path(sys.executable).parent / "myoemg"
    return script if script.exists() else None


def run_script(*args, timeout=120):
    """``myoemg ARGS`` in a fresh process: CompletedProcess (text)."""
    script = console_script()
    cmd = [str(script)] if script else [sys.executable, "-c",
                                       "import sys; from importlib.metadata import "
                                       "entry_points as e; sys.exit(next(iter(e(group="
                                       "'console_scripts', name='myoemg'))).load()())"]
    return subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)
