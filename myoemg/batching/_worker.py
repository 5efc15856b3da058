"""What one worker does with one recording: hash, skip if up to date, read, analyse, save.

:func:`process` runs in the driver (``jobs=1``), in a worker process or on a Dask worker. It
holds one recording in memory at a time and returns a small dict (no arrays, no tables): the
tables stay in the recording's output folder, from which the driver combines them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import inspect
import json
import math
import os
import sys
import time
from pathlib import Path

from .._version import __version__
from ..io import READERS, file_sha256, read
from ..pipeline import analyze
from ..results import Analysis
from ..utils import RecordingError, logger, use_log_level, write_text_atomic

#: Name of the per-recording done-marker, written last (atomically) when a recording's outputs
#: are complete. It holds the input hashes and parameter fingerprint a re-run compares.
MARKER = "batch_done.json"
#: Keys of the per-recording row of ``sessions.csv`` taken from the analysis.
SESSION_COLUMNS = ["pattern", "grade", "n_trials", "n_relaxed", "rt90_5_first_s",
                   "rt90_5_last_s", "rt90_5_min_s", "rt90_5_median_s", "rt90_50_first_s",
                   "rt50_5_first_s", "peak_force_max_n", "after_activity_max_s",
                   "n_discharges", "n_myotonic_discharges", "n_myotonic_trials"]
_NOT_OPTIONS = {"recording", "path", "force", "verbose", "self", "directory", "overwrite"}


def _params(func):
    return {k for k, p in inspect.signature(func).parameters.items()
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)} - _NOT_OPTIONS


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


def peak_rss_mb():
    """Peak resident memory of this process so far, in MiB (None where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024


def _clean(value):
    """JSON-safe scalar: NaN -> None, numpy -> Python."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def session_row(summary, trials):
    """One row of ``sessions.csv`` (:data:`SESSION_COLUMNS`) from an analysis."""
    import numpy as np

    grade = summary.grade.grade if summary.grade is not None else None

    def first(col):
        return trials[col].iloc[0] if len(trials) else math.nan

    rt = trials["rt90_5_s"].to_numpy(float)
    aa = trials["after_activity_s"].to_numpy(float)
    row = {"pattern": summary.pattern, "grade": grade,
           "n_trials": summary.n_trials, "n_relaxed": summary.n_relaxed,
           "rt90_5_first_s": summary.rt90_5_first_s,
           "rt90_5_last_s": summary.rt90_5_last_s,
           "rt90_5_min_s": summary.rt90_5_min_s,
           "rt90_5_median_s": np.nanmedian(rt) if np.isfinite(rt).any() else math.nan,
           "rt90_50_first_s": first("rt90_50_s"), "rt50_5_first_s": first("rt50_5_s"),
           "peak_force_max_n": summary.peak_force_max_n,
           "after_activity_max_s": np.nanmax(aa) if np.isfinite(aa).any() else math.nan,
           "n_discharges": summary.n_discharges,
           "n_myotonic_discharges": summary.n_myotonic_discharges,
           "n_myotonic_trials": summary.n_myotonic_trials}
    return {k: _clean(row[k]) for k in SESSION_COLUMNS}


def load_marker(folder):
    """The done-marker of a recording's output folder as a dict, or None."""
    try:
        return json.loads((Path(folder) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


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


def init_worker(log_level):
    """Initializer of worker processes: Ctrl-C is the driver's to handle; log like it."""
    import logging
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if log_level is not None and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(log_level)


def process(job, out, settings):
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
        ``peak_rss_mb`` and, on failure, ``stage``, ``error`` (the exception's type) and
        ``message``. Never raises for a bad file.
    """
    t0 = time.perf_counter()
    folder = Path(out) / job.output
    record = {"output": job.output, "pid": os.getpid(), "sha256": None, "timings": {},
              "started_unix": time.time()}
    stage = "hash"
    try:
        with use_log_level(settings.get("log_level")):
            for p in (job.recording, job.force):
                if p is not None and not Path(p).is_file():
                    raise RecordingError(f"{p} not found (it was listed when the batch "
                                         "started); check the path.")
            hashes = {"recording": file_sha256(job.recording),
                      "force": file_sha256(job.force) if job.force else None}
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
            stage = "read"
            t = time.perf_counter()
            if job.reader == "bids" and job.force is None:
                from ..io import read_bids

                rec = read_bids(job.recording, **read_opts)
            else:
                rec = read(job.recording, force=Path(job.force) if job.force else False,
                           **read_opts)
            record["timings"]["read_s"] = time.perf_counter() - t
            stage = "analyze"
            t = time.perf_counter()
            res = dataclasses.replace(analyze(rec, **analyze_opts), recording=None)
            del rec
            record["timings"]["analyze_s"] = time.perf_counter() - t
            stage = "save"
            t = time.perf_counter()
            paths = res.save(folder, **save_opts)
            meta = res.summary.metadata
            marker = {
                "status": "done", "software": "myoemg", "version": __version__,
                "file": job.file, "recording": job.recording, "force": job.force,
                "subject": _str(job.subject or meta.get("subject")),
                "session": _str(job.session or meta.get("session")),
                "sha256": hashes, "fingerprint": fp, "options": options,
                "outputs": sorted(Path(p).name for p in paths.values()),
                "session_row": session_row(res.summary, res.trials),
            }
            write_text_atomic(folder / MARKER,
                              json.dumps(marker, indent=2, default=str) + "\n")
            record["timings"]["save_s"] = time.perf_counter() - t
            record["status"] = "done"
            return record
    except Exception as err:  # noqa: BLE001 - one bad file never stops the batch
        record.update(status="failed", stage=stage, error=type(err).__name__,
                      message=str(err) or repr(err))
        return record
    finally:
        record["seconds"] = time.perf_counter() - t0
        record["peak_rss_mb"] = peak_rss_mb()


def _str(value):
    return None if value in (None, "") else str(value)
