"""BIDS-EMG datasets (BIDS 1.11), EDF/BDF data with their sidecars.

Layout: ``sub-<label>/[ses-<label>/]emg/*_emg.edf|.bdf`` with ``*_channels.tsv``,
``*_emg.json`` and optional ``*_events.tsv``.

- Channel roles from ``channels.tsv`` ``type``: 'EMG' is EMG; 'FORCE' (not a BIDS type, but
  used) is force; 'MISC' is decided by label and unit (so a MISC channel in N is force); other
  types (TRIG, SYSCLOCK, ECG, EEG, ...) are 'other'. Channels with ``status`` 'bad' are
  'other'. Overrides still win.
- Units: the EDF header's physical dimension scales the numbers, so it is used; when
  ``channels.tsv`` disagrees (BIDS examples say 'V' while the EDF says 'uV') a warning names both;
  when the EDF gives no unit, the sidecar's is used.
- Entities and paths through mne-bids (``mne_bids.get_entities_from_fname``,
  ``mne_bids.get_bids_path_from_fname``); the EDF/BDF data are read by our own reader
  (MNE's would resample the force to the EMG rate).
- Metadata: ``subject`` and ``session`` from the entities, ``device`` from Manufacturer and
  ManufacturersModelName, ``electrode`` 'needle' or 'surface' when the sidecar text says so,
  ``muscle`` from ``target_muscle`` of the first EMG channel.
- Events from ``*_events.tsv`` (``onset``, ``duration``, ``trial_type`` or ``value``), else the
  EDF+ annotations.
- Sidecars are looked up beside the data file and then in parent folders up to the dataset root
  (BIDS inheritance), the most specific first.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..utils import (
    EMG_EXTENSIONS,
    ChannelError,
    RecordingError,
    bids_entities,
    bids_recording_path,
    check_input_file,
    dataset_root,
    logger,
    read_input_bytes,
    summarise_names,
)
from ._common import build_recording, check_path, make_events, reading
from .edf import load_edf

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ..recording import Recording

_TYPE_KIND = {"EMG": "emg", "FORCE": "force", "MISC": None}
#: Entities that pick a recording in a folder (mne-bids names).
ENTITY_KEYS = ("subject", "session", "task", "acquisition", "run", "recording")
#: Folders of a dataset that hold no raw recordings (BIDS: derivatives, source data, code).
_NOT_RAW = {"derivatives", "sourcedata", "code"}


def find_emg_files(root, **wanted):
    """Every ``*_emg.edf|bdf`` under ``root`` matching the given entities (e.g. subject='01').

    Entities are read from the names by mne-bids; files below ``derivatives/``,
    ``sourcedata/`` and ``code/`` are not raw recordings and are left out.
    """
    root = Path(root)
    files = sorted(f for ext in EMG_EXTENSIONS for f in root.rglob(f"*_emg{ext}")
                   if not _NOT_RAW & set(f.relative_to(root).parts[:-1]))
    wanted = {k: str(v) for k, v in wanted.items() if v is not None}
    return [f for f in files
            if all(bids_entities(f.name, strict=False).get(k) == v for k, v in wanted.items())]


def _sidecar(data_file, suffix_ext):
    """The most specific inherited sidecar for ``data_file`` (e.g. 'channels.tsv'), or None.

    BIDS inheritance: a sidecar applies when its entities are a subset of the data file's;
    the data file's folder is searched first, then its parents up to the dataset root.
    """
    ents = bids_entities(data_file.name, strict=False)
    root = dataset_root(data_file.parent) or data_file.parent
    folder = data_file.parent
    while True:
        best, best_n = None, -1
        for cand in sorted(folder.glob(f"*_{suffix_ext}")):
            ce = bids_entities(cand.name, strict=False)
            if all(ents.get(k) == v for k, v in ce.items()) and len(ce) > best_n:
                best, best_n = cand, len(ce)
        if best is not None:
            return best
        if folder == root or folder.parent == folder:
            return None
        folder = folder.parent


def read_bids(path, *, subject=None, session=None, task=None, acquisition=None, run=None,
              emg=None, force_channel=None, force_unit=None, force_calibration=None,
              emg_calibration=None, keep_identifiers=False) -> Recording:
    """Read one BIDS-EMG recording (the data file, or a folder holding exactly one match).

    Parameters
    ----------
    path : str | Path
        A ``*_emg.edf|bdf`` file inside a BIDS dataset, or a folder (the dataset root or a
        subject/session folder); a folder must hold exactly one recording matching the entities.
    subject, session, task, acquisition, run : str | None
        BIDS entities that pick the recording in a folder (labels without the 'sub-' prefix).
    emg, force_channel, force_unit, force_calibration, emg_calibration, keep_identifiers
        See :func:`myoemg.io.read`.

    Returns
    -------
    Recording
    """
    path = check_path(path, directory_ok=True)
    if path.is_dir():
        files = find_emg_files(path, subject=subject, session=session, task=task,
                               acquisition=acquisition, run=run)
        if not files:
            raise RecordingError(f"no BIDS-EMG recording (sub-*/[ses-*/]emg/*_emg.edf|bdf) "
                                 f"matches in {path}.")
        if len(files) > 1:
            listed = summarise_names([str(f.relative_to(path)) for f in files])
            raise RecordingError(f"{path} holds {len(files)} BIDS-EMG recordings ({listed}); "
                                 "pick one with subject=, session=, task=, run= or pass the "
                                 "file itself.")
        path = check_path(files[0])
    with reading(path, "BIDS-EMG"):
        raws, start, events, meta, ident = load_edf(path)
    ents = _recording_entities(path)
    meta = {**meta, "subject": ents.get("subject"), "session": ents.get("session")}
    chan_file = _sidecar(path, "channels.tsv")
    if chan_file is not None:
        table = _read_tsv(chan_file, dtype=str, keep_default_na=False)
        _apply_channels(raws, table, chan_file, path)
        if "target_muscle" in table:
            emg_rows = table[table["type"].str.upper() == "EMG"] if "type" in table else table
            first = [m for m in emg_rows["target_muscle"] if m not in ("", "n/a")]
            if first:
                meta["muscle"] = first[0]
    else:
        logger.warning("%s: no channels.tsv sidecar found; roles from labels and units.",
                       path)
    json_file = _sidecar(path, "emg.json")
    if json_file is not None:
        meta.update(_json_facts(json_file))
    events_file = _sidecar(path, "events.tsv")
    if events_file is not None:
        events = _events(events_file)
    return build_recording(path, raws, start_time=start, events=events, metadata=meta,
                           identifiers=ident, keep_identifiers=keep_identifiers, emg=emg,
                           force_channel=force_channel, force_unit=force_unit,
                           force_calibration=force_calibration, emg_calibration=emg_calibration)


def _recording_entities(path):
    """The entities of a BIDS-EMG data file; a name mne-bids rejects is read leniently."""
    try:
        return {k: v for k, v in bids_recording_path(path).entities.items() if v is not None}
    except RecordingError as err:
        logger.warning("%s; its entities are read leniently, and BIDS derivatives of it cannot "
                       "be named until it is renamed.", err)
        return bids_entities(path.name, strict=False)


def _read_tsv(sidecar, **options):
    """A BIDS ``.tsv`` sidecar as a DataFrame, or a RecordingError naming the sidecar."""
    check_input_file(sidecar, "sidecar", header=True)
    with reading(sidecar, "BIDS sidecar (tab-separated)"):
        return pd.read_csv(sidecar, sep="\t", **options)


def _needs(table, columns, sidecar):
    missing = [c for c in columns if c not in table]
    if missing:
        raise RecordingError(f"{sidecar} has no {', '.join(repr(c) for c in missing)} "
                             f"column (columns: {summarise_names(list(table.columns))}); BIDS "
                             "requires it. Fix the sidecar or remove it.")


def _events(sidecar):
    """Events from a BIDS ``*_events.tsv`` (``onset``, ``duration``, a label column)."""
    ev = _read_tsv(sidecar, keep_default_na=False, na_values=["n/a"])
    _needs(ev, ["onset"], sidecar)
    columns = {}
    for col in ("onset", "duration"):
        if col not in ev:
            continue
        values = pd.to_numeric(ev[col], errors="coerce")
        given = ev[col].notna() & (ev[col].astype(str).str.strip() != "")
        bad = values.isna() if col == "onset" else values.isna() & given  # duration: n/a ok
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise RecordingError(f"{sidecar}: column {col!r} holds {ev[col].iloc[row]!r}, "
                                 f"not a number of seconds, at line {row + 2}.")
        columns[col] = values.to_numpy(float)
    label = next((c for c in ("trial_type", "value", "event_type") if c in ev), None)
    return make_events(columns["onset"], columns.get("duration"),
                       ev[label].astype(str).tolist() if label else None)


def _json_facts(sidecar):
    """Metadata (device, electrode) from a BIDS ``*_emg.json`` sidecar."""
    try:
        content = json.loads(read_input_bytes(sidecar, "sidecar", header=True)
                             .decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as err:
        raise RecordingError(f"{sidecar} is not valid JSON ({err}); fix or remove the "
                             "sidecar.") from None
    if not isinstance(content, dict):
        raise RecordingError(f"{sidecar} holds a JSON {type(content).__name__}, not the "
                             "object of key/value pairs BIDS requires.")
    meta = {}
    device = " ".join(str(content[k]) for k in ("Manufacturer", "ManufacturersModelName")
                      if content.get(k) not in (None, "", "n/a"))
    if device:
        meta["device"] = device
    text = " ".join(str(v) for v in content.values() if isinstance(v, str)).lower()
    if re.search(r"needle|intramuscular|concentric", text):
        meta["electrode"] = "needle"
    elif "surface" in text:
        meta["electrode"] = "surface"
    return meta


def _apply_channels(raws, table, chan_file, path):
    _needs(table, ["name"], chan_file)
    rows = {r["name"]: r for r in table.to_dict("records")}
    missing = [r.name for r in raws if r.name not in rows]
    extra = sorted(set(rows) - {r.name for r in raws})
    if missing or extra:
        raise ChannelError(f"{chan_file} does not match {path.name}: channels only in the "
                           f"data file {summarise_names(missing)}, only in channels.tsv "
                           f"{summarise_names(extra)}.")
    for r in raws:
        row = rows[r.name]
        ctype = str(row.get("type", "")).upper()
        r.kind = _TYPE_KIND.get(ctype, "other" if ctype else None)
        if str(row.get("status", "")).lower() == "bad":
            r.kind = "other"
            logger.info("%s: channel %r is marked bad in %s; set to 'other'.", path, r.name,
                        chan_file.name)
        units = str(row.get("units", "")).strip()
        if units in ("", "n/a"):
            pass
        elif not r.unit:
            r.unit = units
        elif units != r.unit and _norm(units) != _norm(r.unit):
            logger.warning("%s: channel %r is in %r per the EDF header but %r per %s; the EDF "
                           "header scales the numbers, so %r is used.", path, r.name, r.unit,
                           units, chan_file.name, r.unit)
        sf = row.get("sampling_frequency")
        try:
            sf_hz = float(sf) if sf not in (None, "", "n/a") else None
        except ValueError:
            raise RecordingError(f"{chan_file}: 'sampling_frequency' of channel {r.name!r} "
                                 f"holds {sf!r}, not a number of Hz.") from None
        if sf_hz is not None and not np.isclose(sf_hz, r.fs, rtol=1e-6):
            logger.warning("%s: channel %r is sampled at %g Hz per the EDF header but %s Hz per "
                           "%s; using the EDF header.", path, r.name, r.fs, sf, chan_file.name)


def _norm(unit):
    from ..utils import normalise_unit

    return normalise_unit(unit)
