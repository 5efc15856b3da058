"""Find the recordings of a batch: folders, globs, BIDS-EMG roots and CSV manifests.

Every input becomes :class:`Job` objects: one recording, its force partner (or none), subject,
session, per-file options and the folder (relative to the output root) its results go to.
"""

from __future__ import annotations

import csv
import glob
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..io import READERS
from ..io.text import TEXT_SUFFIXES
from ..utils import RecordingError, logger

#: Default pairing rule: a file named like one of these (``{stem}`` = the recording's file name
#: without its extension) beside a recording is that recording's force file. Such files are
#: force partners, never recordings of their own.
DEFAULT_FORCE_PATTERNS = ("{stem}_force.csv", "{stem}_force.tsv", "{stem}_force.txt")
#: Columns of a manifest that are not per-file options.
MANIFEST_COLUMNS = ("recording", "force", "subject", "session")
_GLOB_CHARS = re.compile(r"[*?[]")
_BIDS_ENTITY = re.compile(r"(?:^|[/_\\])(sub|ses)-([A-Za-z0-9]+)")


@dataclass(frozen=True)
class Job:
    """One recording to analyse.

    Attributes
    ----------
    recording : str
        Absolute path of the recording file.
    force : str | None
        Absolute path of its force file, or None (force channel inside the recording, or none).
    output : str
        Folder of its results, relative to the batch output folder (POSIX separators).
    file : str
        The recording's path relative to the common input folder (POSIX separators); the
        ``file`` column of the combined tables.
    subject, session : str | None
        From the manifest or the BIDS ``sub-``/``ses-`` entities in the path; None when unknown
        (the worker then takes them from the recording's metadata).
    options : dict
        Per-file options (manifest columns) for :func:`myoemg.read` and :func:`myoemg.analyze`.
    reader : str | None
        'bids' for a file of a BIDS-EMG dataset (read with :func:`myoemg.io.read_bids`, which
        takes channel roles and metadata from the sidecars); None for :func:`myoemg.read`.
    """

    recording: str
    force: str | None
    output: str
    file: str
    subject: str | None = None
    session: str | None = None
    options: dict = field(default_factory=dict, hash=False, compare=False)
    reader: str | None = None


def _suffix(path):
    name = Path(path).name.lower()
    return ".fif.gz" if name.endswith(".fif.gz") else Path(name).suffix


def _strip_suffix(name):
    suffix = _suffix(name)
    return name[: len(name) - len(suffix)] if suffix else name


def _pattern_regex(patterns):
    parts = []
    for p in patterns:
        if "{stem}" not in p:
            raise ValueError(f"force pattern {p!r} must contain '{{stem}}', e.g. "
                             "'{stem}_force.csv'.")
        parts.append(re.escape(p).replace(re.escape("{stem}"), ".+"))
    return re.compile("^(?:" + "|".join(parts) + ")$", re.I) if parts else None


def is_force_partner(path, patterns=DEFAULT_FORCE_PATTERNS):
    """Whether ``path`` is named like a force file by the pairing rule ``patterns``.

    Parameters
    ----------
    path : str | Path
        A file name or path.
    patterns : sequence of str
        Name templates with ``{stem}`` (see :data:`DEFAULT_FORCE_PATTERNS`).

    Returns
    -------
    bool
    """
    rx = _pattern_regex(patterns)
    return bool(rx and rx.match(Path(path).name))


def force_partner(recording, patterns=DEFAULT_FORCE_PATTERNS):
    """The force file beside ``recording`` by the pairing rule, or None.

    Parameters
    ----------
    recording : str | Path
        The recording file.
    patterns : sequence of str
        Name templates with ``{stem}``, tried in order; the first existing file wins.

    Returns
    -------
    Path | None
    """
    recording = Path(recording)
    stem = _strip_suffix(recording.name)
    for pattern in patterns:
        cand = recording.with_name(pattern.format(stem=stem))
        if cand.is_file() and cand != recording:
            return cand
    return None


def recording_suffixes(include_text=False):
    """File extensions a folder scan picks up as recordings.

    Text exports (.csv, .tsv, .txt, .dat, .asc) are left out unless ``include_text``: folders
    usually hold side tables (participants, truth, channels) that are not recordings. Name text
    recordings explicitly, by a glob or in a manifest.
    """
    return tuple(s for s in READERS if include_text or s not in TEXT_SUFFIXES)


def _is_manifest(path):
    if _suffix(path) not in (".csv", ".tsv"):
        return False
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            header = fh.readline()
    except (OSError, UnicodeDecodeError):
        return False
    cols = [c.strip().lower() for c in re.split(r"[,\t;]", header)]
    return "recording" in cols


def _is_bids_root(path):
    path = Path(path)
    if (path / "dataset_description.json").is_file():
        return True
    return any(p.is_dir() for p in path.glob("sub-*/emg")) or any(
        p.is_dir() for p in path.glob("sub-*/ses-*/emg"))


def _entities(path):
    found = dict(m.groups() for m in _BIDS_ENTITY.finditer(str(path)))
    return found.get("sub"), found.get("ses")


def _parse_value(text):
    text = text.strip()
    if text == "":
        return None
    if ";" in text:
        return [_parse_value(t) for t in text.split(";") if t.strip()]
    low = text.lower()
    if low in ("true", "yes"):
        return True
    if low in ("false", "no"):
        return False
    if low in ("none", "null"):
        return None
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def read_manifest(path):
    """Rows of a CSV/TSV manifest as dicts (``recording`` required; see :func:`discover`).

    Relative paths are relative to the manifest's folder. Empty cells are left out.
    """
    path = Path(path)
    delimiter = "\t" if _suffix(path) == ".tsv" else ","
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh, delimiter=delimiter))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise RecordingError(f"cannot read the manifest {path}: {err}.") from None
    out = []
    for i, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
        rec = row.get("recording", "").strip()
        if not rec:
            raise RecordingError(f"manifest {path}, line {i}: the 'recording' cell is empty; "
                                 "give the recording's path (relative to the manifest).")
        entry = {"recording": (path.parent / rec).resolve()}
        force = row.get("force", "").strip()
        if force.lower() in ("none", "false"):
            entry["force"] = False
        elif force:
            entry["force"] = (path.parent / force).resolve()
        for key in ("subject", "session"):
            if row.get(key, "").strip():
                entry[key] = row[key].strip()
        options = {k: _parse_value(v) for k, v in row.items()
                   if k and k not in MANIFEST_COLUMNS}
        entry["options"] = {k: v for k, v in options.items() if v is not None}
        out.append(entry)
    return out


def _walk(folder, suffixes, exclude):
    """Recording files under ``folder`` (sorted), skipping hidden entries and ``exclude``."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not _inside(here / d, exclude))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            p = here / name
            suffix = _suffix(name)
            if suffix == ".dat" and p.with_suffix(".hea").is_file():
                continue  # WFDB signal file: its .hea header is the recording
            if suffix in suffixes:
                found.append(p)
    return found


def _inside(path, folder):
    if folder is None:
        return False
    try:
        Path(path).resolve().relative_to(folder)
    except ValueError:
        return False
    return True


def _bids_files(root):
    files = []
    for pattern in ("sub-*/emg/*_emg.*", "sub-*/ses-*/emg/*_emg.*"):
        files += [p for p in Path(root).glob(pattern)
                  if p.is_file() and _suffix(p) in (".edf", ".bdf")]  # BIDS-EMG: EDF/BDF
    return sorted(files)


def discover(inputs, *, force_patterns=DEFAULT_FORCE_PATTERNS, include_text=False, out=None):
    """Turn batch inputs into a sorted list of :class:`Job`.

    Parameters
    ----------
    inputs : str | Path | sequence of str | Path
        Folders (searched recursively for every format :func:`myoemg.read` knows, text exports
        only with ``include_text``), glob patterns (``data/**/*.edf``), single files, BIDS-EMG
        dataset roots (``sub-*/[ses-*/]emg/*_emg.edf|bdf``, read with their sidecars;
        ``subject``/``session`` from the entities) and CSV/TSV manifests (a file with a
        ``recording`` column; optional columns ``force``, ``subject``, ``session``; any other
        column is a per-file option of :func:`myoemg.read` or :func:`myoemg.analyze`, ``a;b``
        for a list; relative paths are relative to the manifest).
    force_patterns : sequence of str
        Pairing rule: names, with ``{stem}``, of the force file beside a recording
        (:data:`DEFAULT_FORCE_PATTERNS`). Files named so are force partners, never recordings of
        their own. An empty sequence turns pairing off (force then comes from inside each file).
    include_text : bool
        Also pick up .csv/.tsv/.txt/.dat/.asc exports when scanning folders.
    out : str | Path | None
        The output folder, skipped while scanning.

    Returns
    -------
    jobs : list of Job
        Sorted by output folder; each recording once.

    Raises
    ------
    RecordingError
        An input does not exist, a manifest cannot be read, or nothing to analyse was found.
    """
    return _discover(inputs, force_patterns=force_patterns, include_text=include_text,
                     out=out)[0]


def _discover(inputs, *, force_patterns, include_text, out):
    """:func:`discover`, also returning the common input folder (the root of ``file``)."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    force_patterns = tuple(force_patterns or ())
    partner_rx = _pattern_regex(force_patterns)
    suffixes = recording_suffixes(include_text)
    out = Path(out).resolve() if out is not None else None
    entries, roots = [], []

    def add_file(p, explicit=False, **extra):
        p = Path(p).resolve()
        if partner_rx is not None and partner_rx.match(p.name) and "force" not in extra:
            (logger.warning if explicit else logger.debug)(
                "Skipping %s: by the pairing rule %s it is a force file, not a recording.",
                p, list(force_patterns))
            return
        entries.append({"recording": p, **extra})

    for item in inputs:
        text = str(item)
        p = Path(text).expanduser()
        if p.is_dir():
            roots.append(p.resolve())
            if _is_bids_root(p):
                for f in _bids_files(p):
                    sub, ses = _entities(f.relative_to(p))
                    add_file(f, subject=sub, session=ses, reader="bids")
            else:
                for f in _walk(p, suffixes, out):
                    add_file(f)
        elif p.is_file():
            if _is_manifest(p):
                roots.append(p.resolve().parent)
                for row in read_manifest(p):
                    entries.append(row)
            else:
                roots.append(p.resolve().parent)
                add_file(p, explicit=True)
        elif _GLOB_CHARS.search(text):
            matches = sorted(glob.glob(os.path.expanduser(text), recursive=True))
            base = Path(os.path.expanduser(text[: _GLOB_CHARS.search(text).start()]))
            roots.append((base if text.endswith(os.sep) or base.is_dir() else base.parent)
                         .resolve())
            if not matches:
                logger.warning("The pattern %r matches no file.", text)
            for m in map(Path, matches):
                if m.is_dir():
                    for f in _walk(m, suffixes, out):
                        add_file(f)
                elif _suffix(m) in READERS:
                    add_file(m, explicit=True)
        else:
            raise RecordingError(f"batch input {text!r} is neither a file, a folder nor a glob "
                                 f"pattern that matches (working folder: {Path.cwd()}).")

    # one job per recording (the first mention wins, e.g. a manifest row over a folder scan)
    seen, unique = set(), []
    for e in entries:
        rec = Path(e["recording"]).resolve()
        if rec not in seen:
            seen.add(rec)
            unique.append({**e, "recording": rec})
    if not unique:
        known = ", ".join(suffixes)
        raise RecordingError(
            f"no recordings found in {[str(i) for i in inputs]} (looked for {known}"
            f"{'' if include_text else '; text exports only with include_text'}). Check the "
            "paths, or list the files in a manifest with a 'recording' column.")
    base = Path(os.path.commonpath([*map(str, roots),
                                    *(str(e["recording"].parent) for e in unique)]))
    jobs = []
    for e in unique:
        rec = e["recording"]
        force = e.get("force")
        if force is None and force_patterns:
            force = force_partner(rec, force_patterns)
        rel = rec.relative_to(base)
        sub, ses = _entities(rel)
        jobs.append(dict(recording=str(rec), force=str(force) if force else None,
                         file=rel.as_posix(), output=_strip_suffix(rel.as_posix()),
                         subject=e.get("subject", sub), session=e.get("session", ses),
                         options=e.get("options", {}), reader=e.get("reader")))
    _disambiguate(jobs)
    return sorted((Job(**j) for j in jobs), key=lambda j: j.output), base


def _disambiguate(jobs):
    """``a.edf`` and ``a.bdf`` in one folder: results go to ``a_edf/`` and ``a_bdf/``."""
    counts = {}
    for j in jobs:
        counts[j["output"]] = counts.get(j["output"], 0) + 1
    for j in jobs:
        if counts[j["output"]] > 1:
            j["output"] = j["output"] + "_" + _suffix(j["file"]).lstrip(".").replace(".", "_")
