"""Find the recordings of a batch: folders, globs, BIDS-EMG roots and CSV manifests.

Every input becomes :class:`Job` objects: one recording, its force partner (or none), subject,
session, per-file options and the folder (relative to the output root) its results go to.
Folder scanning is in :mod:`._walk`, the output layout in :mod:`._layout`.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..io import READERS
from ..io.text import TEXT_SUFFIXES
from ..utils import RecordingError, logger
from ._layout import Layout, absolute
from ._listing import MANIFEST_COLUMNS, _is_manifest, _parse_value, read_manifest  # noqa: F401
from ._pairing import (  # noqa: F401 - public through myoemg.batching
    DEFAULT_FORCE_PATTERNS,
    _pattern_regex,
    _strip_suffix,
    force_partner,
    is_force_partner,
)
from ._walk import Problem, link_problem, suffix, walk

_GLOB_CHARS = re.compile(r"[*?[]")
_BIDS_ENTITY = re.compile(r"(?:^|[/_\\])(sub|ses)-([A-Za-z0-9]+)")


@dataclass(frozen=True)
class Job:
    """One recording to analyse.

    Attributes
    ----------
    recording : str
        Absolute path of the recording file (symbolic links kept, as found).
    force : str | None
        Absolute path of its force file, or None (force channel inside the recording, or none).
    output : str
        Folder of its results, relative to the batch output folder (POSIX separators).
    file : str
        The recording's path below the common input folder (POSIX separators; see
        :class:`~myoemg.batching._layout.Layout` when the inputs share no folder below the
        file-system root); the ``file`` column of the combined tables.
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


def recording_suffixes(include_text=False) -> tuple[str, ...]:
    """File extensions a folder scan picks up as recordings.

    Text exports (.csv, .tsv, .txt, .dat, .asc) are left out unless ``include_text``: folders
    usually hold side tables (participants, truth, channels) that are not recordings. Name text
    recordings explicitly, by a glob or in a manifest.
    """
    return tuple(s for s in READERS if include_text or s not in TEXT_SUFFIXES)


def _is_bids_root(path):
    path = Path(path)
    if (path / "dataset_description.json").is_file():
        return True
    return any(p.is_dir() for p in path.glob("sub-*/emg")) or any(
        p.is_dir() for p in path.glob("sub-*/ses-*/emg"))


def _entities(path):
    found = dict(m.groups() for m in _BIDS_ENTITY.finditer(str(path)))
    return found.get("sub"), found.get("ses")


def _bids_files(root):
    files = []
    for pattern in ("sub-*/emg/*_emg.*", "sub-*/ses-*/emg/*_emg.*"):
        files += [p for p in Path(root).glob(pattern)
                  if p.is_file() and suffix(p) in (".edf", ".bdf")]  # BIDS-EMG: EDF/BDF
    return sorted(files)


def discover(inputs, *, force_patterns=DEFAULT_FORCE_PATTERNS, include_text=False,
             out=None) -> list[Job]:
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
        Sorted by output folder; each recording once (a file reached by two paths, e.g.
        through a symbolic link, counts once: the first path found).

    Notes
    -----
    Folder scans follow symbolic links to folders, but not one that leads back into a folder
    being scanned; such loops, dangling links, non-regular files with a recording's extension
    and folders that cannot be listed are skipped (:func:`myoemg.batch` lists them in
    ``failures.csv``).

    Raises
    ------
    RecordingError
        An input does not exist, a manifest cannot be read, or nothing to analyse was found.
    """
    return _discover(inputs, force_patterns=force_patterns, include_text=include_text,
                     out=out).jobs


@dataclass
class Discovery:
    """What :func:`discover` found: the jobs, where their results go, what could not be scanned.

    Attributes
    ----------
    jobs : list of Job
        Sorted by output folder.
    layout : Layout
        Maps input paths to paths below the output folder (and the tables' ``file`` column).
    problems : list of Problem
        Entries of input folders that could not be scanned (loops, dangling links, folders
        that cannot be listed, non-regular files).
    """

    jobs: list
    layout: Layout
    problems: list


class _Finder:
    """Collects recordings (with the input folder each came from) and scan problems."""

    def __init__(self, force_patterns, suffixes, out):
        self.force_patterns = force_patterns
        self.partner_rx = _pattern_regex(force_patterns)
        self.suffixes = suffixes
        self.out = Path(out).resolve() if out is not None else None
        self.entries, self.problems = [], []

    def add_file(self, path, root, explicit=False, **extra):
        path = absolute(path)
        if (self.partner_rx is not None and self.partner_rx.match(path.name)
                and "force" not in extra):
            (logger.warning if explicit else logger.debug)(
                "Skipping %s: by the pairing rule %s it is a force file, not a recording.",
                path, list(self.force_patterns))
            return
        problem = link_problem(path, None if explicit else self.suffixes)
        if problem is not None:
            self.problems.append(problem)
            return
        self.entries.append({"recording": path, "root": root, **extra})

    def add_folder(self, folder):
        folder = absolute(folder)
        if _is_bids_root(folder):
            for f in _bids_files(folder):
                sub, ses = _entities(f.relative_to(folder))
                self.add_file(f, folder, subject=sub, session=ses, reader="bids")
        else:
            for f in walk(folder, self.suffixes, self.out, self.problems):
                self.add_file(f, folder)

    def add_manifest(self, path):
        folder = absolute(path).parent
        for row in read_manifest(path):
            rec = row["recording"]
            root = folder if rec.is_relative_to(folder) else rec.parent
            self.entries.append({**row, "root": root})

    def add_glob(self, text):
        matches = sorted(glob.glob(os.path.expanduser(text), recursive=True))
        base = Path(os.path.expanduser(text[: _GLOB_CHARS.search(text).start()]))
        root = absolute(base if text.endswith(os.sep) or base.is_dir() else base.parent)
        if not matches:
            logger.warning("The pattern %r matches no file.", text)
        for m in map(Path, matches):
            if m.is_dir():
                for f in walk(absolute(m), self.suffixes, self.out, self.problems):
                    self.add_file(f, root)
            elif suffix(m) in READERS:
                self.add_file(m, root, explicit=True)

    def add_input(self, item):
        text = str(item)
        p = Path(text).expanduser()
        problem = link_problem(p)
        if problem is not None:
            raise RecordingError(f"batch input {text!r}: {problem.message}")
        if p.is_dir():
            self.add_folder(p)
        elif p.is_file():
            if _is_manifest(p):
                self.add_manifest(p)
            else:
                self.add_file(p, absolute(p).parent, explicit=True)
        elif _GLOB_CHARS.search(text):
            self.add_glob(text)
        else:
            raise RecordingError(f"batch input {text!r} is neither a file, a folder nor a glob "
                                 f"pattern that matches (working folder: {Path.cwd()}).")

    def unique_entries(self):
        """One entry per recording file (the first mention wins, e.g. a manifest row)."""
        seen, unique = set(), []
        for e in self.entries:
            try:
                real = Path(e["recording"]).resolve()
            except (OSError, RuntimeError):  # a loop the checks above did not see
                self.problems.append(Problem(str(e["recording"]), "OSError",
                                             "cannot resolve this path (symbolic link loop?); "
                                             "skipped."))
                continue
            if real not in seen:
                seen.add(real)
                unique.append(e)
        return unique


def _discover(inputs, *, force_patterns, include_text, out):
    """:func:`discover`, returning a :class:`Discovery` (jobs, layout and scan problems)."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    force_patterns = tuple(force_patterns or ())
    suffixes = recording_suffixes(include_text)
    finder = _Finder(force_patterns, suffixes, out)
    for item in inputs:
        finder.add_input(item)
    entries = finder.unique_entries()
    if not entries:
        unscanned = (f" {len(finder.problems)} entries could not be scanned, e.g. "
                     f"{finder.problems[0].path}: {finder.problems[0].message}"
                     if finder.problems else "")
        raise RecordingError(
            f"no recordings found in {[str(i) for i in inputs]} (looked for "
            f"{', '.join(suffixes)}"
            f"{'' if include_text else '; text exports only with include_text'}).{unscanned} "
            "Check the paths, or list the files in a manifest with a 'recording' column.")
    layout = Layout.from_roots(e["root"] for e in entries)
    jobs = []
    for e in entries:
        rec = e["recording"]
        force = e.get("force")
        if force is None and force_patterns:
            force = force_partner(rec, force_patterns)
        rel = layout.relative(rec)
        sub, ses = _entities(rel)
        jobs.append(dict(recording=str(rec), force=str(force) if force else None,
                         file=rel, output=_strip_suffix(rel),
                         subject=e.get("subject", sub), session=e.get("session", ses),
                         options=e.get("options", {}), reader=e.get("reader")))
    _disambiguate(jobs)
    jobs = sorted((Job(**j) for j in jobs), key=lambda j: j.output)
    return Discovery(jobs=jobs, layout=layout, problems=finder.problems)


def _disambiguate(jobs):
    """``a.edf`` and ``a.bdf`` in one folder: results go to ``a_edf/`` and ``a_bdf/``."""
    counts = {}
    for j in jobs:
        counts[j["output"]] = counts.get(j["output"], 0) + 1
    for j in jobs:
        if counts[j["output"]] > 1:
            j["output"] = j["output"] + "_" + suffix(j["file"]).lstrip(".").replace(".", "_")
