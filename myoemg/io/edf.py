"""EDF, EDF+, BDF and BDF+ files (via ``edfio``), read and written at native per-channel rates.

Reading keeps each signal at its own rate (no resampling), turns EDF+ annotations into events,
refuses discontinuous EDF+D files whose data records leave gaps (they are read when the records
are in fact contiguous), puts the EDF+ patient *code* into ``metadata['subject']`` and the
equipment field into ``metadata['device']``, and keeps names, birth dates, sex and free text
only with ``keep_identifiers=True``.

Writing (:func:`write_edf`) produces EDF+ (BDF+ for a ``.bdf`` path) with EMG in µV and force in
N, one data record of 1 s when every rate is a whole number of hertz (else the shortest record
holding a whole number of samples of every channel), events as annotations, atomically.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..recording import METADATA_KEYS
from ..utils import RecordingError, UnitError, atomic_path, logger, soft_import, to_si
from ._common import RawChannel, build_recording, check_path, make_events, reading

_ANNOT_LABELS = ("EDF Annotations", "BDF Annotations")
_META_TOKEN = re.compile(r"^([a-z_]+)=(.+)$")


def _edfio():
    return soft_import("edfio", "reading and writing EDF/BDF files", extra=None)


def _patient_fields(edf):
    """(metadata, identifiers) from the EDF(+) patient and recording header fields."""
    meta, ident = {}, {}
    local_patient = str(edf.local_patient_identification).strip()
    local_recording = str(edf.local_recording_identification).strip()
    plus = str(edf.reserved).startswith(("EDF+", "BDF+"))
    patient = None
    if plus or len(local_patient.split()) >= 4:  # EDF+ subfields (some EDF writers use them)
        try:
            patient = edf.patient
        except Exception:  # noqa: BLE001 - malformed EDF+ patient subfields
            patient = None
    if patient is not None:
        code = getattr(patient, "code", "X")
        if code and code != "X":
            meta["subject"] = code
        for key in ("name", "sex"):
            val = getattr(patient, key, "X")
            if val and val != "X":
                ident[f"patient_{key}"] = val
        try:
            birth = patient.birthdate
        except Exception:  # noqa: BLE001 - anonymised birth date
            birth = None
        if birth:
            ident["birthdate"] = str(birth)
        extra = _meta_tokens(getattr(patient, "additional", ()) or (), meta)
        if extra:
            ident["patient_additional"] = " ".join(extra)
    elif local_patient and local_patient.replace("X", "").strip():
        ident["patient"] = local_patient
    record = None
    if plus or local_recording.startswith("Startdate"):
        try:
            record = edf.recording
        except Exception:  # noqa: BLE001
            record = None
    if record is not None:
        equip = getattr(record, "equipment_code", "X")
        if equip and equip != "X":
            meta["device"] = equip
        tech = getattr(record, "investigator_technician_code", "X")
        if tech and tech != "X":
            ident["investigator"] = tech
        admin = getattr(record, "hospital_administration_code", "X")
        if admin and admin != "X":
            ident["hospital_code"] = admin
        free = _meta_tokens(getattr(record, "additional", ()) or (), meta)
        if free:
            ident["recording_additional"] = " ".join(free)
    elif local_recording and local_recording.replace("X", "").strip():
        ident["recording"] = local_recording
    return meta, ident


def _meta_tokens(tokens, meta):
    """Move ``key=value`` tokens naming metadata keys into ``meta``; return the rest."""
    free = []
    for token in tokens:
        m = _META_TOKEN.match(token)
        key = _LONG_KEYS.get(m.group(1), m.group(1)) if m else None
        if key in METADATA_KEYS:
            meta[key] = _meta_value(key, m.group(2))
        else:
            free.append(token)
    return free


def _meta_value(key, text):
    text = text.replace("_", " ")
    if key == "temperature_c":
        try:
            return float(text)
        except ValueError:
            return text
    return text


def read_edf(path, *, emg=None, force_channel=None, force_unit=None, force_calibration=None,
             emg_calibration=None, keep_identifiers=False, header_encoding="latin-1"):
    """Read an EDF, EDF+, BDF or BDF+ file into a :class:`~myoemg.Recording`.

    Parameters
    ----------
    path : str | Path
        The ``.edf`` or ``.bdf`` file.
    emg, force_channel, force_unit, force_calibration, emg_calibration, keep_identifiers
        See :func:`myoemg.io.read`.
    header_encoding : str
        Encoding of the header text (labels and units); EDF is ASCII, but files from some
        devices carry 'µV' in Latin-1.

    Returns
    -------
    Recording
        One channel per signal at its native rate; EDF+ annotations as events.
    """
    path = check_path(path)
    raws, start, events, meta, ident = load_edf(path, header_encoding=header_encoding)
    return build_recording(path, raws, start_time=start, events=events, metadata=meta,
                           identifiers=ident, keep_identifiers=keep_identifiers, emg=emg,
                           force_channel=force_channel, force_unit=force_unit,
                           force_calibration=force_calibration, emg_calibration=emg_calibration)


def load_edf(path, *, header_encoding="latin-1"):
    """Parse an EDF/BDF file: (raw channels, start time, events, metadata, identifiers)."""
    edfio = _edfio()
    is_bdf = path.suffix.lower() == ".bdf"
    fmt = "BDF" if is_bdf else "EDF"
    with reading(path, fmt):
        size = path.stat().st_size
        if size < 256:
            raise RecordingError(f"{path} is {size} bytes, shorter than an {fmt} header "
                                 "(256 bytes); the file is truncated or not an {fmt} file.")
        with open(path, "rb") as fh:
            head = fh.read(256)
        version = head[:8]
        if is_bdf and version[:1] != b"\xff" or not is_bdf and version[:1] != b"0":
            raise RecordingError(
                f"{path} does not start like an {fmt} file (version field {version!r}); "
                f"it may be another format with a .{path.suffix.lstrip('.')} name.")
        n_header = int(head[184:192].decode("ascii", "replace").strip() or 0)
        n_records = int(head[236:244].decode("ascii", "replace").strip() or -1)
        if n_header < 256 or size < n_header:
            raise RecordingError(f"{path} is truncated: its header says {n_header} header bytes "
                                 f"but the file has {size} bytes.")
        reader = edfio.read_bdf if is_bdf else edfio.read_edf
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            edf = reader(path, header_encoding=header_encoding)
        for w in caught:
            text = str(w.message)
            if re.search(r"truncat|incomplete|but file contains", text, re.I):
                raise RecordingError(f"{path} is truncated or damaged: {text} Refusing a "
                                     "partial read; re-export the file.")
            logger.warning("%s: %s", path, text)
        record_bytes = sum(s.samples_per_data_record for s in edf._signals) * (3 if is_bdf
                                                                               else 2)
        expected = n_header + max(n_records, 0) * record_bytes
        if size < expected:
            raise RecordingError(f"{path} is truncated: {n_records} data records need "
                                 f"{expected} bytes, the file has {size}.")
        if not edf.is_continuous:
            raise RecordingError(
                f"{path} is a discontinuous EDF+D/BDF+D recording (its data records leave "
                "gaps); myoemg needs continuous signals. Export each continuous segment as its "
                "own EDF+C file, or cut it with edfio's Edf.slice_between_seconds().")
        try:
            start = edf.startdatetime
        except Exception:  # noqa: BLE001 - anonymised start date
            start = None
        raws = []
        for sig in edf.signals:
            if sig.label in _ANNOT_LABELS:
                continue
            hint = " ".join(x for x in (sig.prefiltering, sig.transducer_type) if x)
            raws.append(RawChannel(sig.label, sig.data, float(sig.sampling_frequency),
                                   sig.physical_dimension.strip(), hint=hint))
        ann = [a for a in edf.annotations if a.text]
        events = make_events([a.onset for a in ann],
                             [a.duration or 0.0 for a in ann],
                             [a.text for a in ann]) if ann else None
        meta, ident = _patient_fields(edf)
        meta.setdefault("device", None)
    return raws, start, events, meta, ident


# ---------------------------------------------------------------------------------- writing
def _rate_fraction(fs, name):
    frac = Fraction(fs).limit_denominator(10_000)
    if abs(float(frac) - fs) > 1e-12 * fs:
        raise RecordingError(f"channel {name!r}: rate {fs!r} Hz is not a ratio of small "
                             "integers; EDF needs a whole number of samples per data record.")
    return frac


def record_duration(rates, names=None):
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


def write_edf(recording, path, *, overwrite=False, verbose=None):
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


_SHORT_KEYS = {"temperature_c": "temp_c"}
_LONG_KEYS = {v: k for k, v in _SHORT_KEYS.items()}


def _fit_tokens(meta, keys, room, path):
    """``key=value`` header tokens for the metadata that fits in ``room`` characters."""
    tokens = []
    for key in keys:
        if key not in meta:
            continue
        token = f"{_SHORT_KEYS.get(key, key)}={_header_text(meta[key])}"
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
