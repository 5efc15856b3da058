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
from ..utils import RecordingError, check_input_file, logger, soft_import
from ._common import RawChannel, build_recording, check_path, make_events, reading
from .edf_header import parse_header

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ..recording import Recording

_META_TOKEN = re.compile(r"^([a-z_]+)=(.+)$")
#: Metadata keys shortened in the 80-character header fields, and back.
SHORT_KEYS = {"temperature_c": "temp_c"}
_LONG_KEYS = {v: k for k, v in SHORT_KEYS.items()}


def _edfio():
    return soft_import("edfio", "reading and writing EDF/BDF files", extra=None)


#: The EDF+ patient subfields "code sex birthdate name ...": sex M, F or X; birth date
#: dd-MMM-yyyy or X (EDF+ specification, 2003, section 2.1.3.3).
_EDF_PLUS_PATIENT = re.compile(r"^\S+ [MFX] (X|\d{2}-[A-Z]{3}-\d{4}) \S+", re.I)


def _patient_fields(edf, is_plus):
    """(metadata, identifiers) from the EDF(+) patient and recording header fields.

    The subject code comes only from the EDF+ patient-code subfield: of an EDF+ file, or of a
    plain EDF whose patient field follows the EDF+ layout exactly (some writers do). Any other
    patient text ("Firstname Lastname 14.03.1961 female") is free text: an identifier.
    """
    meta, ident = {}, {}
    local_patient = str(edf.local_patient_identification).strip()
    local_recording = str(edf.local_recording_identification).strip()
    plus = is_plus
    patient = None
    if plus or _EDF_PLUS_PATIENT.match(local_patient):
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
        if key in METADATA_KEYS and key != "subject":  # a subject code only from its subfield
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
             emg_calibration=None, keep_identifiers=False, header_encoding="latin-1") -> Recording:
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
    """Parse an EDF/BDF file: (raw channels, start time, events, metadata, identifiers).

    The header is checked first (:func:`myoemg.io.edf_header.parse_header`), so ``edfio``
    never sizes anything from a damaged field.
    """
    edfio = _edfio()
    path, size = check_input_file(path)
    is_bdf = path.suffix.lower() == ".bdf"
    fmt = "BDF" if is_bdf else "EDF"
    with reading(path, fmt):
        header = parse_header(path, size, is_bdf=is_bdf, encoding=header_encoding)
        reader = edfio.read_bdf if is_bdf else edfio.read_edf
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            edf = reader(path, header_encoding=header_encoding)
        for w in caught:
            text = str(w.message)
            if re.search(r"but file contains", text, re.I):  # more records than declared
                raise RecordingError(f"{path} holds more data than its header declares "
                                     f"({text.split(' Updating')[0]}); refusing to guess which "
                                     "is right. Re-export the file.")
            if re.search(r"truncat|incomplete", text, re.I):
                raise RecordingError(f"{path} is truncated or damaged: {text} Refusing a "
                                     "partial read; re-export the file.")
            if "uncalibrated signal" not in text:  # said by our own note instead
                logger.warning("%s: %s", path, text)
        if not edf.is_continuous:
            raise RecordingError(
                f"{path} is a discontinuous EDF+D/BDF+D recording (its data records leave "
                "gaps); myoemg needs continuous signals. Export each continuous segment as its "
                "own EDF+C file, or cut it with edfio's Edf.slice_between_seconds().")
        try:
            start = edf.startdatetime
        except Exception:  # noqa: BLE001 - anonymised or malformed start date
            start = None
        raws = []
        heads = [h for h in header.signals if not h.is_annotation]  # edf.signals: same order
        for sig, head in zip(edf.signals, heads, strict=True):
            hint = " ".join(x for x in (head.prefiltering, head.transducer) if x)
            data = (sig.digital.astype(float) if head.uncalibrated else sig.data)
            raws.append(RawChannel(sig.label, data, head.rate_hz, head.unit, hint=hint,
                                   uncalibrated=head.uncalibrated))
        events = _events(edf, path)
        meta, ident = _patient_fields(edf, header.is_plus)
        meta.setdefault("device", None)
    return raws, start, events, meta, ident


def _events(edf, path):
    """EDF+ annotations as events; unreadable annotations are logged and left out."""
    try:
        ann = [a for a in edf.annotations if a.text]
    except Exception as err:  # noqa: BLE001 - a damaged annotation signal
        logger.warning("%s: the EDF+ annotations cannot be read (%s); events left out.",
                       path, err)
        return None
    if not ann:
        return None
    return make_events([a.onset for a in ann], [a.duration or 0.0 for a in ann],
                       [a.text for a in ann])
