"""Scan input folders for recordings; what cannot be scanned is recorded, never fatal.

Symbolic links to folders are followed, except one that leads back into a folder being scanned
(a loop); links that loop on themselves, dangling links with a recording's extension and
folders that cannot be listed (permissions) become :class:`Problem` entries: listed in
``failures.csv`` (stage 'discover') while the rest of the batch runs.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from ._layout import absolute


@dataclass(frozen=True)
class Problem:
    """An entry of an input folder that could not be scanned.

    Attributes
    ----------
    path : str
        The entry (absolute path, as found).
    error : str
        The exception type (``OSError``, ``PermissionError``, ...).
    message : str
        What happened and what to do.
    """

    path: str
    error: str
    message: str


def suffix(path):
    """The lower-case extension, ``.fif.gz`` counted as one."""
    name = Path(path).name.lower()
    return ".fif.gz" if name.endswith(".fif.gz") else Path(name).suffix


def link_problem(path, suffixes=None):
    """A :class:`Problem` for a symbolic link that loops or dangles, else None.

    Dangling links are problems only when named like a recording (``suffixes``; None: always).
    """
    if not os.path.islink(path):
        return None
    try:
        os.stat(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return Problem(str(path), type(err).__name__,
                           "symbolic link loop (the link leads back to itself); skipped. Fix "
                           "or remove the link.")
        if suffixes is None or suffix(path) in suffixes:
            return Problem(str(path), type(err).__name__,
                           f"broken symbolic link ({err.strerror}); skipped. Fix or remove it.")
    return None


def _folder_key(path):
    st = os.stat(path)
    return st.st_dev, st.st_ino


def walk(folder, suffixes, exclude, problems):
    """Recording files under ``folder`` (sorted), skipping hidden entries and ``exclude``.

    Parameters
    ----------
    folder : Path
        The input folder (absolute).
    suffixes : tuple of str
        Extensions of recordings.
    exclude : Path | None
        A folder not to enter (the output folder, resolved).
    problems : list of Problem
        Entries that could not be scanned are appended here.

    Returns
    -------
    files : list of Path
    """
    found = []
    ancestors = {}  # folder being scanned -> identity of its real folder and of its parents

    def on_error(err):
        problems.append(Problem(str(err.filename), type(err).__name__,
                                f"cannot list this folder ({err.strerror}); skipped, so the "
                                "recordings in it are not in this batch. Fix its permissions "
                                "and re-run the same command."))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=on_error, followlinks=True):
        here = Path(dirpath)
        try:
            chain = ancestors.pop(dirpath, frozenset()) | {_folder_key(here)}
        except OSError as err:  # removed while we scan
            on_error(err)
            dirnames[:] = []
            continue
        kept = []
        for d in sorted(dirnames):
            sub = here / d
            if d.startswith(".") or _inside(sub, exclude):
                continue
            try:
                key = _folder_key(sub)
            except OSError as err:
                on_error(err)
                continue
            if key in chain:
                problems.append(Problem(str(sub), "OSError",
                                        f"symbolic link loop: {sub} leads back to a folder that "
                                        "contains it; not followed."))
                continue
            ancestors[str(sub)] = chain
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            p = here / name
            problem = link_problem(p, suffixes)
            if problem is not None:
                problems.append(problem)
                continue
            ext = suffix(name)
            if ext == ".dat" and p.with_suffix(".hea").is_file():
                continue  # WFDB signal file: its .hea header is the recording
            if ext not in suffixes:
                continue
            if p.is_file():
                found.append(absolute(p))
            else:
                problems.append(Problem(str(p), "RecordingError",
                                        "not a regular file (a device, FIFO or socket); "
                                        "skipped."))
    return found


def _inside(path, folder):
    if folder is None:
        return False
    try:
        Path(path).resolve().relative_to(folder)
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a loop (Python < 3.13)
        return False
    return True
