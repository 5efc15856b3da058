"""BrainVision recordings (``.vhdr`` + ``.vmrk`` + ``.eeg``), through MNE.

The three files name each other, so pass the ``.vhdr``. Units come from the header's
``[Channel Infos]`` lines as written: voltages are converted to volts; an empty unit is
BrainVision's default µV (as MNE reads it, and logged); other units ('BS', 'µS', 'ARU', 'C')
are kept as they are and those channels become 'other'. Markers become events (the
'New Segment' marker, which only carries the start date, is dropped).

The header is parsed and checked here before MNE reads it: the channel count must match the
channel lines, the sampling interval must give a plausible rate, each channel's resolution
must be a finite number other than 0, and the marker and data files must be regular files
beside the header, the data file a whole number of sample frames.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field

from ..utils import RecordingError, check_input_file, logger, read_input_bytes, soft_import
from ._common import build_recording, check_path, reading
from ._limits import MAX_SIGNALS, check_count, check_rate, header_number
from .mne_raw import mne_facts, raws_from_mne

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ..recording import Recording

_CH_LINE = re.compile(r"^Ch(\d+)=(.*)$")
_KEY = re.compile(r"^([A-Za-z]+)=(.*)$")
#: Bytes per value of the BrainVision binary formats.
_WIDTH = {"INT_16": 2, "UINT_16": 2, "INT_32": 4, "IEEE_FLOAT_32": 4}


@dataclass
class VhdrHeader:
    """The facts of a ``.vhdr`` that size or scale the data."""

    common: dict = field(default_factory=dict)
    binary_format: str = ""
    units: dict = field(default_factory=dict)
    resolutions: list = field(default_factory=list)
    n_channel_lines: int = 0


def _parse(text):
    head, section = VhdrHeader(), None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
            continue
        if not line or line.startswith(";"):
            continue
        m = _CH_LINE.match(line)
        if section == "[Channel Infos]" and m:
            fields = m.group(2).split(",")
            name = fields[0].replace(r"\1", ",")
            head.units[name] = fields[3].strip() if len(fields) > 3 else ""
            head.n_channel_lines += 1
            head.resolutions.append((name, fields[2].strip() if len(fields) > 2 else ""))
            continue
        m = _KEY.match(line)
        if m and section == "[Common Infos]":
            head.common[m.group(1)] = m.group(2).strip()
        elif m and section == "[Binary Infos]" and m.group(1) == "BinaryFormat":
            head.binary_format = m.group(2).strip()
    return head


def _companion(path, head, key, what, *, header):
    name = head.common.get(key)
    if not name:
        raise RecordingError(f"{path} names no {what} ({key}=); the header is damaged.")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise RecordingError(f"{path}: {key}={name!r} points outside the header's folder; "
                             "keep the .vhdr, .vmrk and data files together and name them "
                             "without a folder.")
    target = path.with_name(name)
    if not target.exists():
        raise RecordingError(f"{path} names the {what} {name!r}, which is not beside it; "
                             "keep the .vhdr, .vmrk and data files together.")
    return check_input_file(target, what, header=header)


def check_header(path):
    """Parse and check a ``.vhdr`` before MNE reads it; returns the units as written."""
    text = read_input_bytes(path, "header", header=True).decode("utf-8", errors="replace")
    if not text.lstrip("\ufeff").startswith("Brain"):
        raise RecordingError(f"{path} is not a BrainVision header (it should start with "
                             "'Brain Vision Data Exchange Header File').")
    head = _parse(text)
    n_ch = check_count(head.common.get("NumberOfChannels", ""), path, "NumberOfChannels",
                       lo=1, hi=MAX_SIGNALS)
    if n_ch != head.n_channel_lines:
        raise RecordingError(f"{path}: the header field 'NumberOfChannels' claims {n_ch}, but "
                             f"[Channel Infos] describes {head.n_channel_lines}; the header "
                             "is damaged.")
    interval = header_number(head.common.get("SamplingInterval", ""), path,
                             "SamplingInterval")
    check_rate(1e6 / interval if interval else math.nan, path, "SamplingInterval",
               detail=f"an interval of {interval:g} µs")
    for name, res in head.resolutions:
        if res:
            value = header_number(res, path, "resolution", channel=name)
            if not math.isfinite(value) or value == 0:
                raise RecordingError(f"{path}: the header field 'resolution' of channel "
                                     f"{name!r} is {res!r}; every sample would be "
                                     f"{'0' if value == 0 else 'infinite'}. Correct the "
                                     "header.")
    _companion(path, head, "MarkerFile", "marker file", header=True)
    data_file, size = _companion(path, head, "DataFile", "data file", header=False)
    width = _WIDTH.get(head.binary_format)
    binary = head.common.get("DataFormat", "BINARY").upper() == "BINARY"
    if binary and width and size % (width * n_ch):
        raise RecordingError(f"{data_file} ({size} bytes) is not a whole number of "
                             f"{width * n_ch}-byte sample frames for {n_ch} channels; the data "
                             f"file of {path.name} is truncated or damaged.")
    return head.units


def read_brainvision(path, *, emg=None, force_channel=None, force_unit=None,
                     force_calibration=None, emg_calibration=None,
                     keep_identifiers=False) -> Recording:
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
    path = check_path(path, "header")
    with reading(path, "BrainVision"):
        written = check_header(path)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            raw = mne.io.read_raw_brainvision(path, preload=True, verbose="error")
        for w in caught:
            msg = str(w.message)
            if re.search(r"truncat|fewer|not match|size", msg, re.I):
                raise RecordingError(f"{path}: {msg}")
            logger.debug("%s: %s", path, msg)
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
