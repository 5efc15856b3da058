"""PhysioNet WFDB records (``.hea`` header + ``.dat`` signal files), through ``wfdb``.

Units as the header writes them ('mV', 'mv', 'uV') are converted to volts. Header comments
(age, sex, diagnosis, medication in PhysioNet's emgdb) are identifying: they are kept only with
``keep_identifiers=True``. The electrode type (needle / surface) and the muscle are taken from
them when they say so plainly ('concentric needle electrode placed in tibialis anterior muscle').

The header is parsed and checked here before ``wfdb`` reads it (``wfdb`` sizes its lists from
the signal count and its arrays from the sample count): the signal count must match the signal
lines, the rate must be plausible, each signal file must be a regular file beside the header
and hold the samples the header claims. A signal whose ADC gain is 0 or missing is
uncalibrated (``wfdb`` then assumes 200 units per mV, a convention, not a calibration): its
digital values are kept in arbitrary units.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np

from ..recording import as_utc
from ..utils import (
    RecordingError,
    UnsupportedFormatError,
    check_input_file,
    read_input_bytes,
    soft_import,
)
from ._common import RawChannel, build_recording, check_path, reading
from ._limits import MAX_SIGNALS, check_claimed_bytes, check_count, check_rate, header_number

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ..recording import Recording

_MUSCLE = re.compile(r"placed in (?:the )?([a-z ]+?) muscle", re.I)
#: Bytes per sample of the WFDB storage formats read (WFDB "signal(5)"); compressed (FLAC)
#: formats 508/516/524 are not read.
BYTES_PER_SAMPLE = {"8": 1, "16": 2, "61": 2, "80": 1, "160": 2, "24": 3, "32": 4, "212": 1.5,
                    "310": 4 / 3, "311": 4 / 3}
_FORMAT = re.compile(r"^(\d+)(?:x(\d+))?(?::(\d+))?(?:\+(\d+))?$")
_GAIN = re.compile(r"^([-+0-9.eE]+)")


@dataclass(frozen=True)
class _SignalSpec:
    file_name: str
    fmt: str
    samples_per_frame: int
    byte_offset: int
    uncalibrated: str | None


def _electrode(comments):
    text = " ".join(comments).lower()
    if re.search(r"needle|intramuscular|concentric|monopolar electrode", text):
        return "needle"
    if re.search(r"surface", text):
        return "surface"
    return None


def check_header(path):
    """Parse and check a ``.hea`` header before ``wfdb`` allocates from it.

    Returns
    -------
    specs : list of _SignalSpec
        One per signal, in header order.

    Raises
    ------
    RecordingError
        A count, rate or size the files cannot back, naming the file and the field.
    """
    text = read_input_bytes(path, "header", header=True).decode("latin-1")
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    if not lines:
        raise RecordingError(f"{path} holds no WFDB record line.")
    tokens = lines[0].split()
    if len(tokens) < 2:
        raise RecordingError(f"{path}: the record line {lines[0][:60]!r} gives no number of "
                             "signals; the file is not a WFDB header.")
    if "/" in tokens[0]:
        raise UnsupportedFormatError(f"{path} is a multi-segment WFDB record; myoemg reads "
                                     "single-segment records (one .hea with its .dat files).")
    n_sig = check_count(tokens[1], path, "number of signals", lo=1, hi=MAX_SIGNALS)
    if len(lines) - 1 < n_sig:
        raise RecordingError(f"{path}: the header field 'number of signals' claims {n_sig}, "
                             f"but the header describes {len(lines) - 1}; it is damaged.")
    fs = 250.0  # WFDB's default when the field is absent (header(5))
    if len(tokens) > 2:
        m = re.match(r"^([-+0-9.eE]+)", tokens[2])
        fs = header_number(m.group(1) if m else tokens[2], path, "sampling frequency")
    check_rate(fs, path, "sampling frequency")
    sig_len = None
    if len(tokens) > 3:
        sig_len = check_count(tokens[3], path, "number of samples per signal", lo=1)
    specs = [_signal_spec(path, lines[1 + i], i) for i in range(n_sig)]
    _check_signal_files(path, specs, sig_len)
    return specs


def _signal_spec(path, line, i):
    fields = line.split()
    name = f"signal {i + 1}"
    if len(fields) < 2:
        raise RecordingError(f"{path}: the line of {name} ({line[:60]!r}) gives no storage "
                             "format; the header is damaged.")
    file_name = fields[0]
    if "/" in file_name or "\\" in file_name or file_name in (".", ".."):
        raise RecordingError(f"{path}: {name} names the signal file {file_name!r} outside the "
                             "header's folder; myoemg reads signal files beside the header.")
    m = _FORMAT.match(fields[1])
    if not m:
        raise RecordingError(f"{path}: the field 'format' of {name} holds {fields[1]!r}, not "
                             "a WFDB storage format.")
    fmt = m.group(1)
    if fmt not in BYTES_PER_SAMPLE:
        raise UnsupportedFormatError(f"{path}: {name} is stored in WFDB format {fmt}, which "
                                     f"myoemg does not read (it reads {sorted(BYTES_PER_SAMPLE)}).")
    spf = check_count(m.group(2) or "1", path, "samples per frame", lo=1, hi=1_000_000,
                      channel=name)
    offset = int(m.group(4) or 0)
    gain = None
    if len(fields) > 2:
        g = _GAIN.match(fields[2])
        gain = header_number(g.group(1) if g else fields[2], path, "ADC gain", channel=name)
    reason = None
    if gain is None:
        reason = "no ADC gain in the header (WFDB's default of 200 per mV is not a calibration)"
    elif gain == 0 or gain != gain or abs(gain) == float("inf"):
        reason = (f"ADC gain {gain:g} in the header (WFDB then assumes 200 per mV, a "
                  "convention, not a calibration)")
    return _SignalSpec(file_name, fmt, spf, offset, reason)


def _check_signal_files(path, specs, sig_len):
    """Each signal file beside the header, regular, holding what the header claims."""
    files = {}
    for spec in specs:
        files.setdefault(spec.file_name, []).append(spec)
    for fname, group in files.items():
        dat = path.with_name(fname)
        if not dat.exists():
            raise RecordingError(f"{path} names the signal file {fname!r}, which is not "
                                 "beside it.")
        dat, have = check_input_file(dat, "signal")
        if sig_len is None:
            continue
        frame = sum(s.samples_per_frame * BYTES_PER_SAMPLE[s.fmt] for s in group)
        need = group[0].byte_offset + int(sig_len * frame)
        check_claimed_bytes(path, f"{sig_len} samples of {len(group)} signal(s)", need, have,
                            data_file=dat)


def read_wfdb(path, *, emg=None, force_channel=None, force_unit=None, force_calibration=None,
              emg_calibration=None, keep_identifiers=False) -> Recording:
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
    path = check_path(path)
    if path.suffix.lower() == ".dat":
        path = check_path(path.with_suffix(".hea"), "header")
    with reading(path, "WFDB"):
        with warnings.catch_warnings():  # wfdb's import-time pandas deprecations
            warnings.simplefilter("ignore")
            wfdb = soft_import("wfdb", "reading WFDB (PhysioNet) records", extra="wfdb")
        specs = check_header(path)
        record = wfdb.rdrecord(str(path.with_suffix("")), physical=True)
        data = record.p_signal
        if data is None or data.shape[0] == 0:
            raise RecordingError(f"{path} holds no samples.")
        fs = float(record.fs)
        raws = []
        for i, (name, unit) in enumerate(zip(record.sig_name, record.units, strict=True)):
            spec = specs[i]
            x = data[:, i]
            if spec.uncalibrated is not None:  # back to the digital values wfdb scaled
                x = np.round(x * record.adc_gain[i] + record.baseline[i])
            raws.append(RawChannel(name or f"ch{i + 1}", x, fs, unit or "",
                                   uncalibrated=spec.uncalibrated))
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
