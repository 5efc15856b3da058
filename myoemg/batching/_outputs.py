"""Writing a batch's own files, and telling an unwritable output from a bad recording.

Every failure to write becomes an :class:`~myoemg.utils.OutputError` that names the path and
says what to do; a full disk, an exceeded quota or a read-only file system are *fatal*: the
batch stops dispatching (every later recording would fail the same way), writes what it can
and raises.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from pathlib import Path

from ..utils import OutputError, write_text_atomic

#: Name of the per-recording done-marker, written last (atomically) when a recording's outputs
#: are complete. It holds the input hashes and parameter fingerprint a re-run compares.
MARKER = "batch_done.json"

#: errno values after which no later output can be written either.
FATAL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


def os_error(err):
    """The :class:`OSError` behind ``err`` (itself, or one it was raised from), or None."""
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, OSError) and err.errno is not None:
            return err
        err = err.__cause__ or err.__context__
    return None


def is_fatal(err):
    """Whether ``err`` means nothing more can be written (disk full, quota, read-only)."""
    cause = os_error(err)
    return cause is not None and cause.errno in FATAL_ERRNOS


def output_error(err, target):
    """An :class:`OutputError` for a failure to write ``target`` (a file or folder).

    Parameters
    ----------
    err : BaseException
        The error raised while writing.
    target : str | Path
        What was being written.

    Returns
    -------
    OutputError
    """
    cause = os_error(err)
    code = cause.errno if cause is not None else None
    where = Path(getattr(cause, "filename2", None) or target)
    if code in (errno.ENOSPC, errno.EDQUOT):
        what = (f"{'no space left' if code == errno.ENOSPC else 'disk quota exceeded'} on the "
                f"device holding {target}; free some space or choose another output folder, "
                "then re-run the same command (finished recordings are kept)")
    elif code == errno.EROFS:
        what = f"{target} is on a read-only file system; choose another output folder"
    elif code in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST) or where.is_dir():
        what = (f"{where} is a folder where an output file should go; move or remove it, "
                "then re-run")
    elif code in (errno.EACCES, errno.EPERM):
        what = f"no permission to write {target}; fix the permissions or choose another folder"
    elif cause is not None:
        what = f"cannot write {target}: {cause.strerror or cause}"
    else:
        what = f"cannot write {target}: {err}"
    return OutputError(what + ".")


def prepare_output_folder(out, jobs) -> None:
    """Refuse an output folder that holds an input of ``jobs``; create it.

    An input is never written to, so a folder below which one lies cannot take the outputs.
    """
    for job in jobs:
        for p in (job.recording, job.force):
            if p is None:
                continue
            candidates = {Path(p)}
            with contextlib.suppress(OSError, RuntimeError):
                candidates.add(Path(p).resolve())
            if any(c.is_relative_to(out) for c in candidates):
                raise OutputError(f"the output folder {out} holds the input {p}; choose an "
                                  "output folder outside the inputs (inputs are never written "
                                  "to).")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create the output folder {out}: {err.strerror or err}.") \
            from None


def write_checked(path, write):
    """Call ``write()`` to produce ``path``; any failure becomes an :class:`OutputError`."""
    try:
        write()
    except OutputError as err:
        if os_error(err) is None:
            raise
        raise output_error(err, path) from err
    except OSError as err:
        raise output_error(err, path) from err


def write_manifest(path, manifest):
    """Write the run manifest atomically; when that fails, mark the old one in place.

    A full disk cannot take a new copy of the manifest, but the one written at the start of the
    run occupies blocks already: overwriting its first bytes with a short record of the
    outcome keeps it from claiming 'running' forever.

    Raises
    ------
    OutputError
        The manifest could not be written (the short record may still have been).
    """
    text = json.dumps(manifest, indent=2, default=str) + "\n"
    try:
        write_checked(path, lambda: write_text_atomic(path, text))
    except OutputError:
        if manifest.get("status") != "running":  # never mark a previous run's as 'running'
            _mark_in_place(path, manifest)
        raise


def _mark_in_place(path, manifest):
    short = json.dumps({k: manifest.get(k) for k in ("software", "version", "started_at",
                                                    "finished_at", "status", "error", "counts")},
                       default=str)
    try:
        size = os.path.getsize(path)
        if size < len(short) + 1:
            short = json.dumps({"status": manifest.get("status"), "error": "see the log"})
        if size < len(short) + 1:
            return
        with open(path, "r+b") as fh:
            fh.write((short + "\n").encode())
            fh.truncate()
    except OSError:
        pass


def load_marker(folder):
    """The done-marker of a recording's output folder as a dict, or None."""
    try:
        return json.loads((Path(folder) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
