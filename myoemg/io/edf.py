"""Reading EDF, EDF+, BDF and BDF+ files (via ``edfio``) at native per-channel rates.

Each signal keeps its own rate (no resampling), EDF+ annotations become events, the reader
refuses discontinuous EDF+D files whose data records leave gaps (they are read when the records
are in fact contiguous), puts the EDF+ patient *code* into ``metadata['subject']`` and the
equipment field into ``metadata['device']``, and keeps names, birth dates, sex and free text
only with ``keep_identifiers=True``. Writing is in :mod:`myoemg.io.edf_write`.
"""

from __future__ import annotations

import re
import warnings

from ..recording import METADATA_KEYS
from ..utils import RecordingError, logger, soft_import
from ._common import RawChannel, build_recording, check_path, make_events, reading

_ANNOT_LABELS = ("EDF Annotations", "BDF Annotations")
_META_TOKEN = re.compile(r"^([a-z_]+)=(.+)$")
#: Metadata keys shortened in the 80-character header fields, and back.
SHORT_KEYS = {"temperature_c": "temp_c"}
_LONG_KEYS = {v: k for k, v in SHORT_KEYS.items()}


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
                                 f"(256 bytes); the file is truncated or not an {fmt} file.")
        with open(path, "rb") as fh:
            head = fh.read(256)
        version = head[:8]
        if is_bdf and version[:1] != b"\xff" or not is_bdf and version[:1] != b"0":
            raise RecordingError(
                f"{path} does not start like an {fmt} file (version field {version!r}); "
                f"it may be another format with a .{path.suffix.lstrip('.')} name.")
        n_header = _header_int(head, 184, 192, path, "header bytes")
        n_records = _header_int(head, 236, 244, path, "number of data records", default=-1)
        if n_header < 256 or size < n_header:
            raise RecordingError(f"{path} is truncated: its header says {n_header} header bytes "
                                 f"but the file has {size} bytes.")
        record_bytes = _record_bytes(path, n_header, 3 if is_bdf else 2)
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


def _header_int(head, a, b, path, what, default=None):
    """An integer field of the fixed 256-byte header, or a RecordingError naming it."""
    text = head[a:b].decode("ascii", "replace").strip()
    if not text and default is not None:
        return default
    try:
        return int(text)
    except ValueError:
        raise RecordingError(f"{path}: the header field '{what}' holds {text!r}, not a whole "
                             "number; the file is damaged or not an EDF/BDF file.") from None


def _record_bytes(path, n_header, sample_bytes):
    """Bytes per data record, from the samples-per-record fields of every signal's header.

    Read from the file itself (the field after the 216 bytes per signal that precede it), so
    annotation signals count too.
    """
    with open(path, "rb") as fh:
        header = fh.read(n_header)
    n_signals = (n_header - 256) // 256
    offset = 256 + 216 * n_signals
    fields = header[offset: offset + 8 * n_signals]
    try:
        counts = [int(fields[8 * i: 8 * i + 8].decode("ascii").strip())
                  for i in range(n_signals)]
    except ValueError:
        raise RecordingError(f"{path}: a 'samples per data record' header field is not a "
                             "whole number; the file is damaged.") from None
    return sum(counts) * sample_bytes
