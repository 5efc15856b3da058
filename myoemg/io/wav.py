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

from ..utils import RecordingError, check_input_file, logger, open_input
from ._common import RawChannel, build_recording, reading
from ._limits import MAX_SIGNALS, check_count, check_rate

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ..recording import Recording


def check_header(path, size):
    """Walk the RIFF chunks and check the format chunk before scipy reads the samples.

    Returns
    -------
    declared, present : int
        Bytes of the data chunk: as its header says, and as the file holds.

    Raises
    ------
    RecordingError
        Not RIFF/WAVE, no format or data chunk, or a format field that cannot be right (0
        channels, a rate of 0 Hz, a frame size that disagrees with channels × sample width);
        the message names the file and the field.
    """
    with open_input(path) as fh:
        head = fh.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RIFX") or head[8:12] != b"WAVE":
            raise RecordingError(f"{path} is not a WAV file (no RIFF/WAVE header).")
        endian = "<" if head[:4] == b"RIFF" else ">"
        pos, fmt = 12, None
        while pos + 8 <= size:
            fh.seek(pos)
            cid, n = struct.unpack(endian + "4sI", fh.read(8))
            if cid == b"fmt ":
                fmt = fh.read(min(n, 40))
            if cid == b"data":
                if fmt is None:
                    raise RecordingError(f"{path} has its data chunk before any format chunk; "
                                         "the file is damaged.")
                _check_format(path, fmt, endian)
                return n, size - pos - 8
            pos += 8 + n + (n & 1)
    raise RecordingError(f"{path} has no data chunk; the file is truncated or not audio.")


def _check_format(path, fmt, endian):
    """Refuse a format chunk whose fields cannot describe audio."""
    if len(fmt) < 16:
        raise RecordingError(f"{path}: its format chunk holds {len(fmt)} bytes, fewer than the "
                             "16 a WAV format needs; the file is damaged.")
    tag, channels, rate, _, block, bits = struct.unpack(endian + "HHIIHH", fmt[:16])
    check_count(channels, path, "number of channels", lo=1, hi=MAX_SIGNALS)
    check_rate(rate, path, "sample rate")
    if bits not in (8, 16, 24, 32, 64) or block != channels * bits // 8:
        raise RecordingError(f"{path}: the format fields 'bits per sample' ({bits}) and 'block "
                             f"align' ({block}) do not describe {channels} channel(s) of whole "
                             "bytes; the file is damaged.")


def read_wav(path, *, emg=None, force_channel=None, force_unit=None, force_calibration=None,
             emg_calibration=None, keep_identifiers=False) -> Recording:
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

    path, size = check_input_file(path)
    with reading(path, "WAV"):
        declared, present = check_header(path, size)
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
