"""What one worker does with one recording: hash, skip if up to date, read, analyse, save.

:func:`process` runs in the driver (``jobs=1``), in a worker process or on a Dask worker. It
holds one recording in memory at a time and returns a small dict (no arrays, no tables): the
tables stay in the recording's output folder, from which the driver combines them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import inspect
import json
import os
import sys
import time
from pathlib import Path

from .._version import __version__
from ..io import READERS, file_sha256, read
from ..pipeline import analyze
from ..results import Analysis
from ..utils import RecordingError, logger, use_log_level, write_text_atomic
from ._companions import companion_files
from ._outputs import MARKER, is_fatal, load_marker, output_error
from ._row import SESSION_COLUMNS, session_row, summary_values  # noqa: F401 (SESSION_COLUMNS)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from typing import Any

_NOT_OPTIONS = {"recording", "path", "force", "verbose", "self", "directory", "overwrite",
                "derivatives_root"}  # the batch puts every recording's derivatives in one


def _params(func):
    return {k for k, p in inspect.signature(func).parameters.items()
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)} - _NOT_OPTIONS


@functools.lru_cache(maxsize=1)
def option_names():
    """Options a batch accepts, as ``(read, analyze, format, save)`` sets of names."""
    import importlib

    fmt = {"max_lag_s"}
    for module, func, _, _ in set(READERS.values()):
        try:
            reader = getattr(importlib.import_module(f"..io.{module}", __package__), func)
        except ImportError:  # reader needs an optional package that is not installed
            continue
        fmt |= _params(reader)
    read_keys = _params(read)
    return (read_keys, _params(analyze) - read_keys, fmt - read_keys,
            _params(Analysis.save) - read_keys)


def split_options(options):
    """Split batch options into ``(read_options, analyze_options, save_options)``.

    Raises
    ------
    TypeError
        An option that neither :func:`myoemg.read`, a reader nor :func:`myoemg.analyze` takes.
    ValueError
        ``force=``: the pairing rule decides the force file.
    """
    if "force" in options:
        raise ValueError("force= does not apply to a batch: the pairing rule (force_patterns=) "
                         "or a manifest's 'force' column names each force file; name the force "
                         "channel inside the files with force_channel=.")
    read_keys, analyze_keys, fmt_keys, save_keys = option_names()
    unknown = sorted(set(options) - read_keys - analyze_keys - fmt_keys - save_keys)
    if unknown:
        raise TypeError(f"unknown batch option(s) {unknown}; myoemg.read takes "
                        f"{sorted(read_keys | fmt_keys)}, myoemg.analyze takes "
                        f"{sorted(analyze_keys)} and Analysis.save takes {sorted(save_keys)}.")
    return ({k: v for k, v in options.items() if k not in analyze_keys | save_keys},
            {k: v for k, v in options.items() if k in analyze_keys},
            {k: v for k, v in options.items() if k in save_keys})


def fingerprint(job, options):
    """SHA-256 of everything besides the input bytes that decides a recording's results."""
    spec = {"version": __version__, "options": {**options, **job.options},
            "force_file": Path(job.force).name if job.force else None, "reader": job.reader}
    text = json.dumps(spec, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def blas_threads():
    """Threads of the BLAS/OpenMP libraries in this process (the largest; None if unknown).

    Measured once per process (the first recording it analyses), for the run manifest.
    """
    return _blas_threads(os.getpid())


@functools.lru_cache(maxsize=4)
def _blas_threads(pid):
    from threadpoolctl import threadpool_info

    return max((lib.get("num_threads") or 0 for lib in threadpool_info()), default=None)


def peak_rss_mb():
    """Peak resident memory of this process so far, in MiB (None where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024


def _up_to_date(folder, marker, hashes, fp):
    return (marker is not None and marker.get("status") == "done"
            and marker.get("sha256") == hashes and marker.get("fingerprint") == fp
            and all((folder / name).is_file() for name in marker.get("outputs", ())))


def _start_over(folder):
    """Remove a stale marker first (it is written last) and temp files of a killed run."""
    with contextlib.suppress(FileNotFoundError):
        (folder / MARKER).unlink()
    if folder.is_dir():
        for tmp in folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()


def input_hashes(job):
    """SHA-256 of every file the recording is read from: recording, force, companions.

    Returns
    -------
    hashes : dict
        ``recording``, ``force`` (None without a force file) and, for formats that read
        companion files (:func:`~myoemg.batching._companions.companion_files`), ``companions``:
        file name (relative to the recording's folder) -> SHA-256.
    """
    rec = Path(job.recording)
    hashes = {"recording": file_sha256(rec),
              "force": file_sha256(job.force) if job.force else None}
    companions = companion_files(rec)
    if companions:
        hashes["companions"] = {os.path.relpath(p, rec.parent).replace(os.sep, "/"):
                                file_sha256(p) for p in companions}
    return hashes


def _check_inputs(job):
    for p in (job.recording, job.force):
        if p is None:
            continue
        if not os.path.lexists(p):
            raise RecordingError(f"{p} not found (it was listed when the batch started); "
                                 "check the path.")
        if not Path(p).is_file():
            raise RecordingError(f"{p} is not a regular file (a folder, device, FIFO or broken "
                                 "link); pass the recording file itself.")


def _read(job, read_opts):
    if job.reader == "bids" and job.force is None:
        from ..io import read_bids

        return read_bids(job.recording, **read_opts)
    return read(job.recording, force=Path(job.force) if job.force else False, **read_opts)


def _save(res, folder, job, done, save_opts, out):
    """Write the analysis outputs and, last, the done-marker (``done``: its hashes etc.).

    BIDS derivatives of every recording go to one dataset, ``out/derivatives/myoemg``; the
    marker then stays in ``folder`` and lists the outputs relative to it.
    """
    try:
        paths = res.save(folder, **{"derivatives_root": out, **save_opts})
        outputs = {k: os.path.relpath(p, folder).replace(os.sep, "/") for k, p in paths.items()}
        values = summary_values(res.summary)
        marker = {
            "status": "done", "software": "myoemg", "version": __version__,
            "file": job.file, "recording": job.recording, "force": job.force,
            "subject": _str(job.subject or values["subject"]),
            "session": _str(job.session or values["session"]),
            **done, "outputs": sorted(outputs.values()),
            "tables": {k: outputs[k] for k in ("trials", "discharges")},
            "session_row": session_row(values, res.trials),
        }
        write_text_atomic(folder / MARKER, json.dumps(marker, indent=2, default=str) + "\n")
    except OSError as err:  # OutputError included: name the folder, say what to do
        raise output_error(err, folder) from err


def process(job, out, settings) -> dict[str, Any]:
    """Analyse one recording into ``out / job.output`` unless its results are up to date.

    Parameters
    ----------
    job : Job
        The recording (see :func:`myoemg.batching.discover`).
    out : str
        The batch output folder.
    settings : dict
        ``options`` (batch-wide options of read/analyze), ``redo`` (bool: ignore done-markers)
        and ``log_level`` (None or a logging level for this call).

    Returns
    -------
    record : dict
        ``status`` ('done', 'skipped' or 'failed'), ``sha256`` (input hashes), ``seconds``,
        ``timings``, ``started_unix`` (start time, s since the epoch), ``pid``,
        ``peak_rss_mb``, ``blas_threads`` and, on failure, ``stage``, ``error`` (the
        exception's type), ``message`` and ``fatal`` (True when no output can be written any
        more: disk full, quota, read-only). Never raises for a bad file.
    """
    t0 = time.perf_counter()
    folder = Path(out) / job.output
    record = {"output": job.output, "pid": os.getpid(), "sha256": None, "timings": {},
              "started_unix": time.time()}
    stage = "hash"
    try:
        with use_log_level(settings.get("log_level")):
            _check_inputs(job)
            hashes = input_hashes(job)
            record["sha256"] = hashes
            options = {**settings["options"], **job.options}
            fp = fingerprint(job, settings["options"])
            if not settings.get("redo") and _up_to_date(folder, load_marker(folder), hashes, fp):
                logger.debug("%s is up to date in %s; skipped.", job.file, folder)
                record["status"] = "skipped"
                return record
            _start_over(folder)
            stage = "options"
            read_opts, analyze_opts, save_opts = split_options(options)
            timings = record["timings"]
            stage, t = "read", time.perf_counter()
            rec = _read(job, read_opts)
            stage, timings["read_s"], t = "analyze", time.perf_counter() - t, time.perf_counter()
            res: Analysis = dataclasses.replace(analyze(rec, **analyze_opts), recording=None)
            del rec
            stage, timings["analyze_s"], t = "save", time.perf_counter() - t, time.perf_counter()
            _save(res, folder, job, {"sha256": hashes, "fingerprint": fp, "options": options},
                  save_opts, out)
            timings["save_s"] = time.perf_counter() - t
            record["status"] = "done"
            return record
    except Exception as err:  # noqa: BLE001 - one bad file never stops the batch
        record.update(status="failed", stage=stage, error=type(err).__name__,
                      message=str(err) or repr(err), fatal=is_fatal(err))
        return record
    finally:
        record["seconds"] = time.perf_counter() - t0
        record["peak_rss_mb"] = peak_rss_mb()
        record["blas_threads"] = blas_threads()


def _str(value):
    return None if value in (None, "") else str(value)
