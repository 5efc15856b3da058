"""What every reader shares: path checks, error wrapping, roles, SI units, identifiers.

A format module turns its file into :class:`RawChannel` objects (samples as the file stores
them, in the file's units) plus header facts, and hands them to :func:`build_recording`, which
decides each channel's role (see :mod:`myoemg.io._roles`), converts units to SI (EMG volts,
force newtons), logs and lists every conversion, and keeps identifying fields apart.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..recording import EVENT_COLUMNS, METADATA_KEYS, Channel, Recording
from ..roles import assign_roles
from ..utils import (
    UNCALIBRATED_UNITS,
    MyoemgError,
    RecordingError,
    convert_to_si,
    logger,
)

__all__ = ["UNCALIBRATED_UNITS", "RawChannel", "build_recording", "check_path", "file_sha256",
           "make_events", "reading", "unique_names"]


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
    """

    name: str
    data: np.ndarray
    fs: float
    unit: str = ""
    start_s: float = 0.0
    kind: str | None = None
    hint: str = ""
    source_unit: str | None = None


def check_path(path, what="recording"):
    """Return ``path`` as a :class:`Path` after checking it exists and is not empty."""
    if isinstance(path, (str, Path)):
        p = Path(path).expanduser()
    else:
        raise TypeError(f"path must be a str or pathlib.Path, got {type(path).__name__}.")
    if not p.exists():
        raise RecordingError(f"{what} file {str(p)!r} not found; check the path "
                             f"(working folder: {Path.cwd()}).")
    if p.is_file() and p.stat().st_size == 0:
        raise RecordingError(f"{p} is empty (0 bytes); it holds no recording.")
    return p


@contextlib.contextmanager
def reading(path, fmt):
    """Turn any unexpected exception raised while parsing ``path`` into a RecordingError."""
    try:
        yield
    except MyoemgError:
        raise
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 - third-party parsers raise anything
        raise RecordingError(
            f"cannot read {path} as {fmt}: {type(err).__name__}: {err}. The file may be "
            "truncated, damaged or not a " + fmt + " file.") from err


def file_sha256(path):
    """SHA-256 of a file's bytes (tests check readers never write into their input)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def make_events(onsets, durations=None, descriptions=None):
    """Events table (``onset_s``, ``duration_s``, ``description``) from three sequences."""
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
    roles = assign_roles(raws, emg=emg, force=force_channel, source=source)
    channels, conversions = [], list(notes)
    for raw, kind in zip(raws, roles.kinds, strict=True):
        data, unit, note = convert_to_si(raw.data, raw.unit, kind, name=raw.name, source=source,
                                         force_unit=force_unit,
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
    meta = {k: v for k, v in (metadata or {}).items()
            if v not in (None, "") and (k in METADATA_KEYS or k == "device_model")}
    ident = {k: v for k, v in (identifiers or {}).items() if v not in (None, "", "X")}
    if ident and not keep_identifiers:
        logger.info("%s: dropped identifying header fields %s (keep_identifiers=False)",
                    source, sorted(ident))
        ident = {}
    rec = Recording(channels, start_time=start_time, events=events, metadata=meta,
                    identifiers=ident, source=source, conversions=conversions,
                    set_aside=roles.set_aside)
    logger.info("Read %s: %s", source,
                ", ".join(f"{c.name!r} {c.kind} {c.fs:g} Hz {c.unit}" for c in channels))
    return rec
