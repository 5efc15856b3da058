"""PhysioNet WFDB records (``.hea`` header + ``.dat`` signal files), through ``wfdb``.

Units as the header writes them ('mV', 'mv', 'uV') are converted to volts. Header comments
(age, sex, diagnosis, medication in PhysioNet's emgdb) are identifying: they are kept only with
``keep_identifiers=True``. The electrode type (needle / surface) and the muscle are taken from
them when they say so plainly ('concentric needle electrode placed in tibialis anterior muscle').
"""

from __future__ import annotations

import re

from ..recording import as_utc
from ..utils import RecordingError, soft_import
from ._common import RawChannel, build_recording, check_path, reading

_MUSCLE = re.compile(r"placed in (?:the )?([a-z ]+?) muscle", re.I)


def _electrode(comments):
    text = " ".join(comments).lower()
    if re.search(r"needle|intramuscular|concentric|monopolar electrode", text):
        return "needle"
    if re.search(r"surface", text):
        return "surface"
    return None


def read_wfdb(path, *, emg=None, force_channel=None, force_unit=None, force_calibration=None,
              emg_calibration=None, keep_identifiers=False):
    """Read a WFDB record into a Recording.

    Parameters
    ----------
    path : str | Path
        The ``.hea`` header (or the ``.dat`` beside it).
    emg, force_channel, force_unit, force_calibration, emg_calibration, keep_identifiers
        See :func:`myoemg.io.read`.

    Returns
    -------
    Recording
    """
    wfdb = soft_import("wfdb", "reading WFDB (PhysioNet) records", extra="wfdb")
    path = check_path(path)
    if path.suffix.lower() == ".dat":
        path = path.with_suffix(".hea")
        path = check_path(path)
    with reading(path, "WFDB"):
        header = wfdb.rdheader(str(path.with_suffix("")))
        if header.n_sig in (None, 0):
            raise RecordingError(f"{path} declares no signals.")
        for fname, fmt in zip(header.file_name, header.fmt, strict=True):
            dat = path.with_name(fname)
            if not dat.is_file():
                raise RecordingError(f"{path} names the signal file {fname!r}, which is not "
                                     "beside it.")
            bytes_per = {"16": 2, "61": 2, "80": 1, "32": 4, "24": 3, "212": 1.5,
                         "310": 4 / 3, "311": 4 / 3}.get(str(fmt))
            n_in_file = sum(1 for f in header.file_name if f == fname)
            if bytes_per and header.sig_len:
                need = int(header.sig_len * n_in_file * bytes_per)
                have = dat.stat().st_size
                if have < need:
                    raise RecordingError(
                        f"{dat} is truncated: {header.sig_len} samples of {n_in_file} "
                        f"signal(s) need {need} bytes, the file has {have} (record {path}).")
        record = wfdb.rdrecord(str(path.with_suffix("")), physical=True)
        data = record.p_signal
        if data is None or data.shape[0] == 0:
            raise RecordingError(f"{path} holds no samples.")
        fs = float(record.fs)
        raws = [RawChannel(name, data[:, i], fs, unit or "")
                for i, (name, unit) in enumerate(zip(record.sig_name, record.units,
                                                     strict=True))]
        comments = list(record.comments or [])
        meta = {"electrode": _electrode(comments)}
        m = _MUSCLE.search(" ".join(comments))
        if m:
            meta["muscle"] = m.group(1).strip()
        ident = {"comments": " | ".join(comments)} if comments else {}
        start = as_utc(record.base_datetime) if record.base_date else None
    return build_recording(path, raws, start_time=start, metadata=meta, identifiers=ident,
                           keep_identifiers=keep_identifiers, emg=emg,
                           force_channel=force_channel, force_unit=force_unit,
                           force_calibration=force_calibration, emg_calibration=emg_calibration)
