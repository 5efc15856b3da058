"""What every reader shares: path checks, error wrapping, roles, SI units, identifiers.

A format module turns its file into :class:`RawChannel` objects (samples as the file stores
them, in the file's units) plus header facts, and hands them to :func:`build_recording`, which
decides each channel's role (see :mod:`myoemg.io._roles`), converts units to SI (EMG volts,
force newtons), logs and lists every conversion, and keeps identifying fields apart.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
import warnings
from dataclasses import dataclass

import numpy as np

from ..recording import EVENT_COLUMNS, METADATA_KEYS, Channel, Recording
from ..roles import assign_roles
from ..utils import (
    UNCALIBRATED_UNITS,
    MyoemgError,
    RecordingError,
    UnitError,
    check_input_file,
    convert_to_si,
    logger,
    summarise_names,
)
from ._limits import check_electrode, check_rate

__all__ = ["UNCALIBRATED_UNITS", "RawChannel", "build_recording", "check_path", "file_sha256",
           "header_facts", "make_events", "reading", "subject_code", "unique_names"]


@dataclass
class RawChannel:
    """One signal as the file holds it, before roles and SI conversion.

    Parameters
    ----------
    name : str
        Label as written in the file.
    data : ndarray, shape (n_times,)
        Samples in ``unit``.
    fs : float
        Sampling rate in Hz.
    unit : str
        Unit as written in the file ('' when none).
    start_s : float
        Time of the first sample, in seconds from the start of the recording.
    kind : str | None
        Role declared by the file or a sidecar ('emg', 'force', 'other'); None to infer it.
    hint : str
        Extra text that helps to infer the role (EDF prefiltering, transducer, channel type).
    source_unit : str | None
        The unit the file wrote, when a library already converted ``data`` (MNE gives volts
        for 'µV' channels); None when ``unit`` is what the file wrote.
    uncalibrated : str | None
        Why the header's calibration cannot be used (EDF physical minimum equal to its maximum,
        WFDB gain 0, ...); ``data`` then holds the digital values, which stay in arbitrary
        units whatever ``unit`` says. None for a calibrated channel.
    """

    name: str
    data: np.ndarray
    fs: float
    unit: str = ""
    start_s: float = 0.0
    kind: str | None = None
    hint: str = ""
    source_unit: str | None = None
    uncalibrated: str | None = None


def check_path(path, what="recording", *, directory_ok=False):
    """Return ``path`` as a :class:`Path` after the guarded-input checks.

    A regular, non-empty file below the size cap (see :func:`myoemg.utils.check_input_file`);
    a folder only when ``directory_ok``.
    """
    return check_input_file(path, what, directory_ok=directory_ok)[0]


#: Longest library message quoted in a RecordingError, in characters.
_MAX_QUOTED = 300


@contextlib.contextmanager
def reading(path, fmt):
    """Parse ``path`` with warnings logged and any unexpected exception as a RecordingError.

    Library warnings go to the log, naming the file (deprecations at debug level), never to
    stderr. A ``MemoryError`` becomes a RecordingError saying so (headers are checked before
    reading, so it means the machine is short of memory for this file).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        except MyoemgError:
            raise
        except MemoryError as err:
            raise RecordingError(f"not enough memory to read {path} as {fmt}; close other "
                                 "programs or read a shorter file.") from err
        except RecursionError as err:
            raise RecordingError(f"cannot read {path} as {fmt}: its structure nests too "
                                 "deeply; the file is damaged.") from err
        except Exception as err:  # noqa: BLE001 - third-party parsers raise anything
            text = str(err)
            text = text if len(text) <= _MAX_QUOTED else text[:_MAX_QUOTED] + " …"
            raise RecordingError(
                f"cannot read {path} as {fmt}: {type(err).__name__}: {text}. The file may be "
                "truncated, damaged or not a " + fmt + " file.") from err
        finally:
            for w in caught:
                minor = issubclass(w.category, (DeprecationWarning, FutureWarning))
                (logger.debug if minor else logger.warning)("%s: %s", path, w.message)


def file_sha256(path) -> str:
    """SHA-256 of a file's bytes (tests check readers never write into their input)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def make_events(onsets, durations=None, descriptions=None):
    """Events table (``onset_s``, ``duration_s``, ``description``) from three sequences."""
    import pandas as pd

    onsets = np.asarray(onsets, dtype=float).ravel()
    if durations is None:
        durations = np.zeros_like(onsets)
    durations = np.nan_to_num(np.asarray(durations, dtype=float).ravel(), nan=0.0)
    if descriptions is None:
        descriptions = [""] * onsets.size
    return pd.DataFrame({"onset_s": onsets, "duration_s": durations,
                         "description": [str(d) for d in descriptions]},
                        columns=EVENT_COLUMNS)


def unique_names(raws, source):
    """Rename duplicate labels 'X' -> 'X-0', 'X-1' (as MNE does) and say so; never drop one."""
    names = [r.name.strip() or f"ch{i + 1}" for i, r in enumerate(raws)]
    notes = []
    for name in sorted(set(names)):
        idx = [i for i, n in enumerate(names) if n == name]
        if len(idx) > 1:
            for k, i in enumerate(idx):
                names[i] = f"{name}-{k}"
            msg = (f"{source}: {len(idx)} channels share the label {name!r}; renamed them "
                   f"{[names[i] for i in idx]}.")
            logger.warning(msg)
            notes.append(msg)
    for r, n in zip(raws, names, strict=True):
        r.name = n
    return notes


def build_recording(path, raws, *, start_time=None, events=None, metadata=None,
                    identifiers=None, keep_identifiers=False, emg=None, force_channel=None,
                    force_unit=None, force_calibration=None, emg_calibration=None,
                    notes=(), source=None):
    """Decide roles, convert to SI and assemble a :class:`Recording`.

    Parameters
    ----------
    path : str | Path
        The file read (for messages and ``Recording.source``).
    raws : list of RawChannel
        The signals as the file holds them.
    emg, force_channel : str | list of str | None
        Role overrides by channel name (see :func:`myoemg.io.read`).
    force_unit, force_calibration, emg_calibration
        Unit fixes (see :func:`myoemg.io.read`).
    start_time, events, metadata, identifiers, keep_identifiers, notes, source
        Header facts; ``identifiers`` are dropped unless ``keep_identifiers``; ``notes`` are
        added to the conversions; ``source`` replaces the path in ``Recording.source``.
        ``metadata['subject']`` must be a code (see :func:`subject_code`); other text goes to
        the identifiers.
    """
    source = str(path) if source is None else source
    raws = [r for r in raws if r is not None]
    if not raws:
        raise RecordingError(f"{source} holds no signal channels.")
    notes = list(notes) + unique_names(raws, source)
    for r in raws:
        n = np.asarray(r.data).shape[-1] if np.ndim(r.data) else 0
        if n == 0:
            raise RecordingError(f"channel {r.name!r} of {source} holds no samples; the file "
                                 "may be truncated.")
        check_rate(r.fs, source, "sampling rate", channel=r.name)
    roles = assign_roles(raws, emg=emg, force=force_channel, source=source)
    channels, conversions = [], list(notes)
    for raw, kind in zip(raws, roles.kinds, strict=True):
        data, unit, note = _to_si(raw, kind, source, force_unit=force_unit,
                                  force_calibration=force_calibration,
                                  emg_calibration=emg_calibration)
        if note:
            conversions.append(note)
            if "uncalibrated" not in note:
                logger.info("%s: %s", source, note)
        bad = ~np.isfinite(data)
        if bad.any():
            logger.warning("%s: channel %r holds %d NaN or infinite samples (first at %.3f s).",
                           source, raw.name, int(bad.sum()),
                           raw.start_s + np.flatnonzero(bad)[0] / raw.fs)
        if note is None and raw.source_unit and raw.source_unit != unit:
            note = f"{raw.name}: {raw.source_unit} -> {unit}"
            conversions.append(note)
            logger.info("%s: %s", source, note)
        channels.append(Channel(raw.name, kind, data, raw.fs, unit, float(raw.start_s),
                                source_unit=raw.source_unit or raw.unit))
    for msg in roles.set_aside.values():
        logger.info("%s: %s", source, msg)
    meta, ident = header_facts(metadata, identifiers, source, keep_identifiers)
    rec = Recording(channels, start_time=start_time, events=events, metadata=meta,
                    identifiers=ident, source=source, conversions=conversions,
                    set_aside=roles.set_aside)
    logger.info("Read %s: %s", source,
                ", ".join(f"{c.name!r} {c.kind} {c.fs:g} Hz {c.unit}" for c in channels[:20])
                + (f", ... ({len(channels)} channels)" if len(channels) > 20 else ""))
    return rec


def _to_si(raw, kind, source, *, force_unit, force_calibration, emg_calibration):
    """(data, unit, note) of one channel; uncalibrated digital values never become V or N."""
    if raw.uncalibrated is None:
        return convert_to_si(raw.data, raw.unit, kind, name=raw.name, source=source,
                             force_unit=force_unit, force_calibration=force_calibration,
                             emg_calibration=emg_calibration)
    if kind == "force" and force_unit is not None:
        raise UnitError(f"force channel {raw.name!r} of {source} holds uncalibrated digital "
                        f"values ({raw.uncalibrated}); force_unit cannot calibrate them. Pass "
                        "force_calibration=<newtons per count>.")
    data, unit, note = convert_to_si(raw.data, "counts", kind, name=raw.name, source=source,
                                     force_calibration=force_calibration,
                                     emg_calibration=emg_calibration)
    if unit == "a.u.":
        note = (f"{raw.name}: {raw.uncalibrated}; kept as digital values, uncalibrated (a.u.), "
                f"not {raw.unit or 'a physical unit'}")
        logger.warning("%s: %s.", source, note)
    return data, unit, note


#: A subject code: letters, digits, '-', '_' or '.', no blanks, at most 32 characters (ours:
#: BIDS labels are alphanumeric; EDF+ codes have no blanks). Free text such as
#: "Firstname Lastname" is not a code.
_SUBJECT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")


def subject_code(value):
    """``value`` when it looks like a subject code (see :data:`_SUBJECT_CODE`), else None."""
    text = str(value).strip() if value is not None else ""
    return text if _SUBJECT_CODE.match(text) else None


def header_facts(metadata, identifiers, source, keep_identifiers):
    """(metadata, identifiers) as a Recording keeps them, from what a reader found.

    Metadata keys other than :data:`METADATA_KEYS` are dropped; ``subject`` must be a code (free
    text moves to the identifiers); ``electrode`` must say surface or needle (else a
    RecordingError naming the file and the field); a temperature must be a finite number.
    Identifiers are dropped unless ``keep_identifiers``.
    """
    meta = {k: v for k, v in (metadata or {}).items()
            if v not in (None, "") and (k in METADATA_KEYS or k == "device_model")}
    ident = {k: v for k, v in (identifiers or {}).items() if v not in (None, "", "X")}
    if "subject" in meta and subject_code(meta["subject"]) is None:
        ident["subject_text"] = str(meta.pop("subject"))
        logger.info("%s: the subject field is free text, not a code; kept out of the "
                    "metadata (set recording.metadata['subject'] to a code).", source)
    if "electrode" in meta:
        meta["electrode"] = check_electrode(meta["electrode"], source)
    temp = meta.get("temperature_c")
    if isinstance(temp, float) and not math.isfinite(temp):
        del meta["temperature_c"]
    if ident and not keep_identifiers:
        logger.info("%s: dropped identifying header fields %s (keep_identifiers=False)",
                    source, summarise_names(sorted(ident)))
        ident = {}
    return meta, ident
