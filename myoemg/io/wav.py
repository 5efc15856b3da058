"""WAV audio (needle-EMG loudspeaker exports, SpikerBox recordings), through ``scipy.io.wavfile``.

WAV has no physical unit: each audio channel is read as EMG in arbitrary units ('a.u.', warned)
unless ``emg_calibration=`` (volts per count, after the integer samples are read as they are)
is given. Integer PCM is kept as counts; float WAV as written. A RIFF size field that overstates
the file (Backyard Brains files claim 4 bytes more than they hold) is tolerated with a warning
when every frame the data chunk declares is present; a data chunk cut short is refused.
Samples at the integer full scale are counted and a clipping warning is logged.
"""

from __future__ import annotations

import struct
import warnings

import numpy as np

from ..utils import RecordingError, logger
from ._common import RawChannel, build_recording, check_path, reading


def _data_chunk(path):
    """(declared data bytes, bytes present, block align) from the RIFF chunks."""
    raw = path.read_bytes()
    if len(raw) < 12 or raw[:4] not in (b"RIFF", b"RIFX") or raw[8:12] != b"WAVE":
        raise RecordingError(f"{path} is not a WAV file (no RIFF/WAVE header).")
    pos, block = 12, None
    while pos + 8 <= len(raw):
        cid, size = raw[pos:pos + 4], struct.unpack("<I", raw[pos + 4:pos + 8])[0]
        if cid == b"fmt " and pos + 24 <= len(raw):
            block = struct.unpack("<H", raw[pos + 20:pos + 22])[0]
        if cid == b"data":
            return size, len(raw) - pos - 8, block
        pos += 8 + size + (size & 1)
    raise RecordingError(f"{path} has no data chunk; the file is truncated or not audio.")


def read_wav(path, *, emg=None, force_channel=None, force_unit=None, force_calibration=None,
             emg_calibration=None, keep_identifiers=False):
    """Read a WAV file into a Recording (one EMG channel per audio channel).

    Parameters
    ----------
    path : str | Path
        The ``.wav`` file.
    emg, force_channel, force_unit, force_calibration, keep_identifiers
        See :func:`myoemg.io.read`.
    emg_calibration : float | None
        Volts per count of the audio samples; without it the EMG is in arbitrary units.

    Returns
    -------
    Recording
    """
    from scipy.io import wavfile

    path = check_path(path)
    with reading(path, "WAV"):
        declared, present, _ = _data_chunk(path)
        if present < declared:
            raise RecordingError(
                f"{path} is truncated: its data chunk declares {declared} bytes, the file "
                f"holds {present}.")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fs, x = wavfile.read(path)
        for w in caught:
            logger.warning("%s: %s (tolerated: every frame of the data chunk is present).", path,
                           w.message)
        x = np.asarray(x)
        if x.ndim == 1:
            x = x[:, None]
        if x.shape[0] == 0:
            raise RecordingError(f"{path} holds no audio frames.")
        unit = "counts" if x.dtype.kind in "iu" else ""
        if x.dtype.kind in "iu":
            info = np.iinfo(x.dtype)
            clipped = int(np.sum(np.abs(x.astype(np.int64)) >= info.max - 1))
            if clipped:
                logger.warning("%s: %d samples at the %d-bit full scale: the signal is "
                               "clipped there.", path, clipped, info.bits)
        names = ["EMG"] if x.shape[1] == 1 else [f"EMG {i + 1}" for i in range(x.shape[1])]
        raws = [RawChannel(n, x[:, i].astype(float), float(fs), unit, kind="emg")
                for i, n in enumerate(names)]
    return build_recording(path, raws, keep_identifiers=keep_identifiers, emg=emg,
                           force_channel=force_channel, force_unit=force_unit,
                           force_calibration=force_calibration, emg_calibration=emg_calibration)
