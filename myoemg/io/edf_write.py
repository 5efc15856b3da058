"""Writing EDF+ and BDF+ files (via ``edfio``), each channel at its own rate, atomically.

:func:`write_edf` produces EDF+ (BDF+ for a ``.bdf`` path) with EMG in µV and force in N, one data
record of 1 s when every rate is a whole number of hertz (else the shortest record holding a
whole number of samples of every channel), events as annotations. The header carries the subject
code and non-identifying metadata only: identifiers are never written. Reading is in
:mod:`myoemg.io.edf`.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..utils import RecordingError, UnitError, atomic_path, logger, to_si
from .edf import SHORT_KEYS, _edfio


def _rate_fraction(fs, name):
    frac = Fraction(fs).limit_denominator(10_000)
    if abs(float(frac) - fs) > 1e-12 * fs:
        raise RecordingError(f"channel {name!r}: rate {fs!r} Hz is not a ratio of small "
                             "integers; EDF needs a whole number of samples per data record.")
    return frac


def record_duration(rates, names=None) -> Fraction:
    """Shortest-sensible EDF data-record duration (s) holding whole samples of every rate.

    1 s when every rate is a whole number of hertz; otherwise the shortest whole number of
    seconds (up to 60 s) in which every channel has a whole number of samples, else the
    shortest such duration that the 8-character header field writes exactly.

    Raises
    ------
    RecordingError
        When no such duration fits the header (pick rates that are ratios of small integers).
    """
    names = names or [f"#{i}" for i in range(len(rates))]
    fracs = [_rate_fraction(float(fs), n) for fs, n in zip(rates, names, strict=True)]
    if all(f.denominator == 1 for f in fracs):
        return Fraction(1)
    lcm_q = math.lcm(*(f.denominator for f in fracs))
    g = math.gcd(*(f.numerator * lcm_q // f.denominator for f in fracs))
    d = Fraction(lcm_q, g)
    if d.numerator <= 60:  # whole seconds keep EDF+ timekeeping exact
        return Fraction(d.numerator)
    for k in range(1, 10_000):  # the shortest multiple of d written exactly in 8 characters
        cand = d * k
        if cand > 60:
            break
        if _format_duration(cand) is not None:
            return cand
    raise RecordingError(
        f"no EDF data-record duration up to 60 s holds a whole number of samples at the rates "
        f"{[float(r) for r in rates]} Hz; resample a channel to a rate that is a ratio of "
        "small integers.")


def _format_duration(frac):
    for digits in range(0, 8):
        text = f"{float(frac):.{digits}f}"
        if len(text) <= 8 and Fraction(text) == frac:
            return text
    return None


def _edf_unit(ch):
    if ch.kind == "emg" and ch.unit == "V":
        return "uV", 1e6
    if ch.kind == "force" and ch.unit == "N":
        return "N", 1.0
    si, _ = to_si(ch.unit)
    if si == "V":
        return "uV", 1e6
    return ch.unit, 1.0


def _physical_range(x):
    """Physical min and max that hold ``x`` and that edfio writes in 8 characters."""
    lo, hi = float(np.min(x)), float(np.max(x))
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RecordingError("cannot write NaN or infinite samples to EDF.")
    if lo == hi:
        lo, hi = lo - 1.0, hi + 1.0
    return _fit8(lo, math.floor, hi - lo), _fit8(hi, math.ceil, hi - lo)


def _fit8(value, rnd, span):
    """Round ``value`` outward to fit the 8-character field (``str()`` at most 8 characters).

    As fine as the field allows, and no finer than ``span * 1e-7``.
    """
    finest = max(0, min(7, math.ceil(-math.log10(span)) + 7))
    for digits in range(finest, -1, -1):
        v = rnd(value * 10.0**digits) / 10.0**digits
        v = round(v, digits)
        if v == 0:
            v = 0.0
        text = str(int(v)) if float(v).is_integer() else str(v)
        if len(text) <= 8:
            return int(v) if float(v).is_integer() else v
    raise UnitError(f"value {value:g} does not fit an 8-character EDF header field; rescale "
                    "the channel.")


def _label(name, path):
    label = "".join(c if 32 <= ord(c) < 127 else "_" for c in str(name))
    if len(label) > 16 or label != name:
        logger.warning("%s: channel name %r written as %r (EDF labels are 16 ASCII "
                       "characters).", path, name, label[:16])
    return label[:16]


def _header_text(text, limit=80):
    text = re.sub(r"\s+", "_", str(text).strip())
    return "".join(c if 32 <= ord(c) < 127 else "_" for c in text)[:limit] or "X"


def write_edf(recording, path, *, overwrite=False, verbose=None) -> Path:
    """Write a recording to EDF+ (or BDF+ when ``path`` ends in ``.bdf``), atomically.

    Each channel keeps its own rate. EMG is stored in µV and force in N (other voltage channels
    in µV, other units as they are), so reading the file back gives the same values within the
    quantisation step ((physical max − physical min) / 65535 for EDF, / 16777215 for BDF).
    Events become EDF+ annotations. The subject code and non-identifying metadata (muscle, side,
    electrode, temperature) go into the header; identifiers are never written.

    Parameters
    ----------
    recording : Recording
        What to write.
    path : str | Path
        Output file, ``.edf`` or ``.bdf``.
    overwrite : bool
        Replace an existing file.
    verbose : bool | str | int | None
        Logging level for this call.

    Notes
    -----
    EDF needs every signal to span the same whole number of data records. The record lasts 1 s
    when every rate is a whole number of hertz (see :func:`record_duration` otherwise); a
    channel that starts later or ends sooner than the others is padded with its first or last
    value to fill the records, and the padding is logged.
    """
    from ..utils import use_log_level

    with use_log_level(verbose):
        return _write_edf(recording, path, overwrite=overwrite)


def _write_edf(recording, path, *, overwrite):
    edfio = _edfio()
    path = Path(path)
    is_bdf = path.suffix.lower() == ".bdf"
    if path.suffix.lower() not in (".edf", ".bdf"):
        raise UnitError(f"write_edf writes .edf or .bdf files, not {path.name!r}.")
    chans = recording.channels
    rates = [ch.fs for ch in chans]
    d = record_duration(rates, [ch.name for ch in chans])
    end_s = max(ch.start_s + ch.duration_s for ch in chans)
    n_records = max(1, math.ceil(round(end_s / float(d), 9)))
    total_s = float(d) * n_records
    signal_cls = edfio.BdfSignal if is_bdf else edfio.EdfSignal
    digital = (-8388608, 8388607) if is_bdf else (-32768, 32767)
    signals = []
    for ch in chans:
        unit, scale = _edf_unit(ch)
        n_total = round(total_s * ch.fs)
        n_front = round(ch.start_s * ch.fs)
        if abs(n_front - ch.start_s * ch.fs) > 1e-6:
            logger.warning("%s: channel %r starts at %.6f s, not on a sample of its own rate; "
                           "shifted by %.3g s to the nearest sample.", path, ch.name,
                           ch.start_s, n_front / ch.fs - ch.start_s)
        x = ch.data * scale
        n_back = n_total - n_front - x.size
        if n_back < 0:
            x = x[: x.size + n_back]
            n_back = 0
        if n_front or n_back:
            logger.info("%s: channel %r padded with %d + %d edge samples to fill %d data "
                        "records of %s s", path, ch.name, n_front, n_back, n_records,
                        _format_duration(d))
            x = np.pad(x, (n_front, n_back), mode="edge")
        if len(unit) > 8:
            raise UnitError(f"unit {unit!r} of channel {ch.name!r} is longer than the 8 "
                            "characters EDF allows.")
        signals.append(signal_cls(x, ch.fs, label=_label(ch.name, path),
                                  physical_dimension=unit, physical_range=_physical_range(x),
                                  digital_range=digital,
                                  transducer_type=_transducer(recording, ch)))
    meta = recording.metadata
    start = recording.start_time
    code = _header_text(meta.get("subject", "X"))
    patient_tokens = _fit_tokens(meta, ("muscle", "side"), 80 - len(code) - 7, path)
    patient = edfio.Patient(code=code, additional=patient_tokens)
    device = _header_text(meta.get("device", "X"))
    record_tokens = _fit_tokens(meta, ("electrode", "temperature_c", "session"),
                                80 - len("Startdate 01-JAN-2000 X X ") - len(device) - 1, path)
    rec_field = edfio.Recording(startdate=start.date() if start else None,
                                equipment_code=device, additional=record_tokens)
    annotations = [edfio.EdfAnnotation(float(r.onset_s),
                                       float(r.duration_s) if r.duration_s else None,
                                       str(r.description))
                   for r in recording.events.itertuples(index=False)
                   if 0 <= r.onset_s < total_s]
    if len(annotations) < len(recording.events):
        logger.warning("%s: %d events outside 0-%g s not written.", path,
                       len(recording.events) - len(annotations), total_s)
    cls = edfio.Bdf if is_bdf else edfio.Edf
    kwargs = dict(patient=patient, recording=rec_field,
                  starttime=start.time().replace(microsecond=0, tzinfo=None) if start
                  else _dt.time(0, 0, 0),
                  data_record_duration=float(d), annotations=annotations)  # [] -> EDF+C
    try:
        edf = cls(signals, **kwargs)
    except ValueError as err:
        raise RecordingError(f"cannot write {path}: {err}") from None
    with atomic_path(path, overwrite=overwrite) as tmp:
        edf.write(tmp)
    logger.info("Wrote %s: %d channels, %d records of %s s, %d annotations", path, len(chans),
                n_records, _format_duration(d), len(annotations))
    return path


def _fit_tokens(meta, keys, room, path):
    """``key=value`` header tokens for the metadata that fits in ``room`` characters."""
    tokens = []
    for key in keys:
        if key not in meta:
            continue
        token = f"{SHORT_KEYS.get(key, key)}={_header_text(meta[key])}"
        if len(token) + 1 > room:
            logger.warning("%s: metadata %s=%r does not fit the 80-character EDF header field; "
                           "not written.", path, key, meta[key])
            continue
        tokens.append(token)
        room -= len(token) + 1
    return tuple(tokens)


def _transducer(recording, ch):
    if ch.kind == "emg":
        electrode = recording.metadata.get("electrode")
        return _header_text(f"{electrode} EMG electrode" if electrode else "EMG electrode")
    if ch.kind == "force":
        return "dynamometer"
    return ""
