"""BrainVision recordings (``.vhdr`` + ``.vmrk`` + ``.eeg``), through MNE.

The three files name each other, so pass the ``.vhdr``. Units come from the header's
``[Channel Infos]`` lines as written: voltages are converted to volts; an empty unit is
BrainVision's default µV (as MNE reads it, and logged); other units ('BS', 'µS', 'ARU', 'C')
are kept as they are and those channels become 'other'. Markers become events (the
'New Segment' marker, which only carries the start date, is dropped).
"""

from __future__ import annotations

import re
import warnings

from ..utils import RecordingError, logger, soft_import
from ._common import build_recording, check_path, reading
from .mne_raw import mne_facts, raws_from_mne

_CH_LINE = re.compile(r"^Ch(\d+)=(.*)$")


def _header_units(vhdr):
    """{channel name: unit as written} from the [Channel Infos] section of a .vhdr."""
    text = vhdr.read_bytes().decode("utf-8", errors="replace")
    units, section = {}, None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
            continue
        m = _CH_LINE.match(line)
        if section == "[Channel Infos]" and m:
            fields = m.group(2).split(",")
            name = fields[0].replace(r"\1", ",")
            units[name] = fields[3].strip() if len(fields) > 3 else ""
    return units


def read_brainvision(path, *, emg=None, force_channel=None, force_unit=None,
                     force_calibration=None, emg_calibration=None, keep_identifiers=False):
    """Read a BrainVision ``.vhdr`` (with its ``.vmrk`` and data file) into a Recording.

    Parameters
    ----------
    path : str | Path
        The ``.vhdr`` header file.
    emg, force_channel, force_unit, force_calibration, emg_calibration, keep_identifiers
        See :func:`myoemg.io.read`.

    Returns
    -------
    Recording
    """
    mne = soft_import("mne", "reading BrainVision files")
    path = check_path(path)
    with reading(path, "BrainVision"):
        head = path.read_bytes()[:64]
        if not head.lstrip(b"\xef\xbb\xbf").startswith(b"Brain"):
            raise RecordingError(f"{path} is not a BrainVision header (it should start with "
                                 "'Brain Vision Data Exchange Header File').")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            raw = mne.io.read_raw_brainvision(path, preload=True, verbose="error")
        for w in caught:
            msg = str(w.message)
            if re.search(r"truncat|fewer|not match|size", msg, re.I):
                raise RecordingError(f"{path}: {msg}")
            logger.debug("%s: %s", path, msg)
        _check_data_size(path, raw)
        written = _header_units(path)
        raws = raws_from_mne(raw, orig_units={n: written.get(n, u) for n, u in
                                              (raw._orig_units or {}).items()})
        for rc in raws:
            if written.get(rc.name, "") == "" and rc.unit == "V":
                rc.source_unit = "µV"
                logger.info("%s: channel %r has no unit; read as BrainVision's default µV.",
                            path, rc.name)
        start, events, meta, ident = mne_facts(raw)
        if events is not None:
            events = events[events["description"] != "New Segment/"].reset_index(drop=True)
    return build_recording(path, raws, start_time=start, events=events, metadata=meta,
                           identifiers=ident, keep_identifiers=keep_identifiers, emg=emg,
                           force_channel=force_channel, force_unit=force_unit,
                           force_calibration=force_calibration, emg_calibration=emg_calibration)


def _check_data_size(path, raw):
    """Refuse a data file that ends inside a sample frame (a truncated copy)."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    data_name = re.search(r"^DataFile=(.+)$", text, re.M)
    fmt = re.search(r"^BinaryFormat=(\w+)$", text, re.M)
    if not data_name:
        return
    data_file = path.with_name(data_name.group(1).strip())
    if not data_file.is_file():
        raise RecordingError(f"{path} names the data file {data_file.name!r}, which is not "
                             "beside it; keep the .vhdr, .vmrk and data files together.")
    width = {"INT_16": 2, "UINT_16": 2, "INT_32": 4, "IEEE_FLOAT_32": 4}.get(
        fmt.group(1) if fmt else "", None)
    if width:
        frame = width * len(raw.ch_names)
        size = data_file.stat().st_size
        if size == 0 or size % frame:
            raise RecordingError(f"{data_file} ({size} bytes) is not a whole number of "
                                 f"{frame}-byte sample frames for {len(raw.ch_names)} channels; "
                                 f"the data file of {path.name} is truncated or damaged.")
