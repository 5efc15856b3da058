"""The EDF/BDF header, parsed and checked before ``edfio`` allocates anything from it.

The fixed 256-byte header and the 256 bytes per signal are read here (no more than the header
itself) and every field that sizes an array or sets a rate is checked against the real file:
the number of signals and of header bytes, the samples per data record, the number of data
records, the record duration (each signal's rate must be plausible) and the calibration
(physical and digital ranges). A signal whose calibration cannot be used (physical minimum
equal to its maximum, a physical limit that is not finite, digital minimum not below the
digital maximum) is marked ``uncalibrated``: its digital values are kept in arbitrary units,
never reported as volts or newtons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..utils import RecordingError, open_input
from ._limits import MAX_SIGNALS, check_claimed_bytes, check_count, check_rate, header_number

ANNOTATION_LABELS = ("EDF Annotations", "BDF Annotations")
#: (name, width) of the per-signal fields, in header order (EDF specification, 1992).
_SIGNAL_FIELDS = (("label", 16), ("transducer", 80), ("unit", 8), ("physical minimum", 8),
                  ("physical maximum", 8), ("digital minimum", 8), ("digital maximum", 8),
                  ("prefiltering", 80), ("samples per data record", 8), ("reserved", 32))


@dataclass(frozen=True)
class SignalHeader:
    """One signal's header fields, as numbers where they are numbers."""

    label: str
    unit: str
    transducer: str
    prefiltering: str
    samples_per_record: int
    rate_hz: float
    uncalibrated: str | None

    @property
    def is_annotation(self):
        return self.label in ANNOTATION_LABELS


@dataclass(frozen=True)
class EdfHeader:
    """The checked header of an EDF/BDF file."""

    n_header_bytes: int
    n_records: int
    record_duration_s: float
    signals: tuple
    is_plus: bool


def _text(raw, encoding):
    return raw.decode(encoding, errors="replace").strip()


def parse_header(path, size, *, is_bdf, encoding="latin-1"):
    """Parse and check the header of ``path`` (``size`` bytes long).

    Returns
    -------
    EdfHeader

    Raises
    ------
    RecordingError
        A field that is not a number, a count that the file cannot hold, an impossible or
        implausible rate; the message names the file and the field.
    """
    fmt = "BDF" if is_bdf else "EDF"
    if size < 256:
        raise RecordingError(f"{path} is {size} bytes, shorter than an {fmt} header "
                             f"(256 bytes); the file is truncated or not an {fmt} file.")
    with open_input(path) as fh:
        head = fh.read(256)
        version = head[:8]
        if is_bdf and version[:1] != b"\xff" or not is_bdf and version[:1] != b"0":
            raise RecordingError(
                f"{path} does not start like an {fmt} file (version field {version!r}); "
                f"it may be another format with a .{path.suffix.lstrip('.')} name.")
        n_signals = check_count(head[252:256], path, "number of signals", lo=1,
                                hi=MAX_SIGNALS)
        n_header = check_count(head[184:192], path, "number of bytes in header", lo=512)
        if n_header != 256 * (n_signals + 1):
            raise RecordingError(f"{path}: the header field 'number of bytes in header' "
                                 f"({n_header}) disagrees with the {n_signals} signals it "
                                 f"declares ({256 * (n_signals + 1)} bytes); the header is "
                                 "damaged.")
        check_claimed_bytes(path, f"the header of {n_signals} signals", n_header, size)
        block = fh.read(n_header - 256)
    n_records_text = _text(head[236:244], "ascii")
    n_records = -1 if n_records_text in ("", "-1") else check_count(
        n_records_text, path, "number of data records", lo=1)
    duration = header_number(head[244:252], path, "duration of a data record")
    fields = _split(block, n_signals)
    signals = tuple(_signal(path, fields, i, duration, encoding) for i in range(n_signals))
    record_bytes = sum(s.samples_per_record for s in signals) * (3 if is_bdf else 2)
    if n_records > 0:
        check_claimed_bytes(path, f"{n_records} data records of {record_bytes} bytes",
                            n_header + n_records * record_bytes, size)
    elif size - n_header < record_bytes:
        raise RecordingError(f"{path} holds no complete data record ({size - n_header} bytes "
                             f"of data, a record needs {record_bytes}); it is truncated.")
    if all(s.is_annotation for s in signals):
        raise RecordingError(f"{path} holds annotations only, no signal.")
    is_plus = head[192:197] in (b"EDF+C", b"EDF+D", b"BDF+C", b"BDF+D")
    return EdfHeader(n_header, n_records, duration, signals, is_plus)


def _split(block, n):
    """{field name: list of n raw values} from the per-signal part of the header."""
    out, pos = {}, 0
    for name, width in _SIGNAL_FIELDS:
        out[name] = [block[pos + width * i: pos + width * (i + 1)] for i in range(n)]
        pos += width * n
    return out


def _signal(path, fields, i, duration, encoding):
    label = _text(fields["label"][i], encoding)
    name = label or f"signal {i + 1}"
    spr = check_count(fields["samples per data record"][i], path, "samples per data record",
                      lo=1, channel=name)
    rate = math.nan
    if label not in ANNOTATION_LABELS:
        rate = check_rate(spr / duration if duration else math.nan, path,
                          "duration of a data record", channel=name,
                          detail=f"{spr} samples per record of {duration:g} s")
        values = {k: header_number(fields[k][i], path, k, channel=name,
                                   integer=k.startswith("digital"))
                  for k in ("physical minimum", "physical maximum", "digital minimum",
                            "digital maximum")}
        uncalibrated = _calibration_problem(values)
    else:
        uncalibrated = None
    return SignalHeader(label, _text(fields["unit"][i], encoding),
                        _text(fields["transducer"][i], encoding),
                        _text(fields["prefiltering"][i], encoding), spr, rate, uncalibrated)


def _calibration_problem(v):
    """Why the header's calibration of one signal cannot be used, or None."""
    pmin, pmax = v["physical minimum"], v["physical maximum"]
    dmin, dmax = v["digital minimum"], v["digital maximum"]
    if not (math.isfinite(pmin) and math.isfinite(pmax)):
        return f"physical range {pmin:g} to {pmax:g} in the header is not finite"
    if pmin == pmax:
        return f"physical minimum equals physical maximum ({pmin:g}) in the header"
    if dmin >= dmax:
        return (f"digital minimum ({dmin}) is not below the digital maximum ({dmax}) in the "
                "header")
    return None


__all__ = ["ANNOTATION_LABELS", "EdfHeader", "SignalHeader", "parse_header"]
