"""The batch driver: discover, dispatch (serial, processes or Dask), combine, write, resume.

Imports here are light on purpose: :func:`batch` starts the warm fork server *before* it
imports the analysis, so the two imports run side by side on two cores.
"""

from __future__ import annotations

import contextlib
import platform
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .._version import __version__
from ..utils import OutputError, logger, use_log_level
from ..utils._logging import _level
from ._executors import describe_scheduler
from ._pairing import DEFAULT_FORCE_PATTERNS
from ._result import MANIFEST, BatchOutputError
from ._stop import Stop, signals_counted

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ._result import BatchResult


@dataclass
class _Spec:
    """What a batch was asked to do (the arguments of :func:`batch`)."""

    jobs: int
    scheduler: object
    force_patterns: tuple
    include_text: bool
    redo: bool
    progress: object
    callback: object
    verbose: object
    options: dict
    ctx: object = None
    modules: list = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)


def batch(inputs, out=None, *, jobs=1, scheduler=None, force_patterns=DEFAULT_FORCE_PATTERNS,
          include_text=False, redo=False, progress="auto", callback=None, verbose=None,
          **options) -> BatchResult:
    """Analyse many recordings: in parallel, resumable, one bad file never stops the run.

    Parameters
    ----------
    inputs : str | Path | sequence of str | Path
        Folders (recursive), glob patterns, single files, BIDS-EMG roots and CSV manifests (a
        file with a ``recording`` column); see :func:`myoemg.batching.discover`.
    out : str | Path | None
        Output folder. Per recording, ``out/<its path below the inputs' common folder, without
        extension>/`` gets the :meth:`Analysis.save` outputs and a done-marker
        (``batch_done.json``, written last); at the top, ``trials.csv``, ``sessions.csv``,
        ``discharges.csv`` (with ``.parquet`` twins when pyarrow is installed),
        ``failures.csv`` and ``batch_manifest.json``. Inputs that share no folder below the
        file-system root each get a top folder named after them (never ``out/<absolute
        path>``). None: work in a temporary folder, deleted afterwards, and only return the
        tables (nothing is resumable).
    jobs : int
        Worker processes on this machine (1: in this process). With ``scheduler='local'``,
        the number of Dask workers (default: the number of CPUs).
    scheduler : str | distributed.Client | cluster | None
        Run on Dask distributed: ``'local'`` starts a ``LocalCluster`` (worker processes, one
        thread each); an address (``'tcp://host:8786'``) or a cluster object (e.g. a
        ``dask_jobqueue.SLURMCluster``) gets a Client for this run; a ``Client`` is used as
        it is and left open. Workers must see the input and output paths (a shared file
        system).
    force_patterns : sequence of str
        Pairing rule: names of a recording's force file with ``{stem}`` for the recording's
        name without extension, tried in order (default ``{stem}_force.csv``, ``.tsv``,
        ``.txt``). Files named so are never recordings of their own. Empty: no pairing.
    include_text : bool
        Also take .csv/.tsv/.txt/.dat/.asc exports found in folders as recordings.
    redo : bool
        Recompute every recording, even those whose results are up to date.
    progress : bool | 'auto'
        Show a tqdm progress bar ('auto': when stderr is a terminal and tqdm is installed).
    callback : callable | None
        Called in this process as ``callback(job, record, n_handled, n_total)`` after each
        recording (``record['status']`` is 'done', 'skipped' or 'failed'), e.g. to print one
        line per recording.
    verbose : bool | str | int | None
        Logging level for this call (also passed to workers).
    **options
        Options of :func:`myoemg.read` (``emg``, ``force_channel``, ``force_unit``, format
        options such as ``fs``) and :func:`myoemg.analyze` (``electrode``, ``detect``,
        ``mains_hz``, ...) and :meth:`Analysis.save` (``report=False`` skips the HTML report),
        for every recording; manifest columns override them per file.

    Returns
    -------
    result : BatchResult
        The combined tables, the manifest and ``exit_code`` (0 all analysed or up to date,
        1 some failed, 130 interrupted).

    Raises
    ------
    RecordingError
        An input path does not exist, a manifest cannot be read, or no recordings were found.
    OutputError
        ``out`` holds an input, or cannot be written. When the run has started (disk full, a
        folder where a table should go), a :class:`BatchOutputError` is raised after writing
        what could be written; its ``result`` holds the tables and the manifest says
        'failed'.
    TypeError
        An option that neither ``read`` nor ``analyze`` takes.

    Notes
    -----
    Resuming: a recording is skipped when its folder holds a done-marker whose input SHA-256
    (recording, force file and every companion file it is read from: WFDB signal files,
    BrainVision data and marker files, BIDS sidecars) and parameter fingerprint (options,
    force file name, myoemg version) match and whose listed outputs exist. Every file is
    written atomically (temporary name, then rename) and the marker last, so a run killed at
    any point leaves either complete results or none for each recording; re-running the same
    command finishes the rest.

    Stopping: the first Ctrl-C (or SIGTERM) starts no new recording and lets the running ones
    finish, a second abandons them; the tables and the manifest are then written for what
    finished (``interrupted=True``). Worker processes exit with this process, even when it is
    killed (SIGKILL). A disk that fills up stops the run the same way, then raises. In a
    script, call ``batch`` under ``if __name__ == '__main__':`` when ``jobs > 1``.

    Each recording is analysed with one BLAS/OpenMP thread (threadpoolctl in this process
    and in every worker, ``OMP_NUM_THREADS=1`` etc. for new processes), unless those
    variables are set: the analysis is many small fits, for which extra BLAS threads cost
    more than they give. Worker processes fork from a server that has myoemg imported
    already, and at most two recordings per worker are in flight.

    Examples
    --------
    >>> res = myoemg.batch("data/", "results/", jobs=4)  # doctest: +SKIP
    >>> res.sessions[["file", "pattern", "rt90_5_first_s"]]  # doctest: +SKIP
    """
    with use_log_level(verbose):
        spec = _Spec(jobs=_positive(jobs), scheduler=scheduler,
                     force_patterns=tuple(force_patterns or ()), include_text=include_text,
                     redo=bool(redo), progress=progress, callback=callback, verbose=verbose,
                     options=options, timings={"called_unix": time.time()})
        _warm_up(spec)  # first: the fork server's imports overlap the ones below
        if options:  # fail fast on a misspelt option (checking imports the analysis)
            from ._worker import split_options

            split_options(options)
        if out is not None:
            return _batch(inputs, Path(out), spec)
        if not (scheduler is None or scheduler == "local"):
            raise ValueError("out is required with a remote Dask scheduler: its workers "
                             "write the results, so give a folder they can reach.")
        with tempfile.TemporaryDirectory(prefix="myoemg-batch-") as tmp:
            res = _batch(inputs, Path(tmp), spec)
        res.out = None
        return res


def _positive(jobs):
    try:
        n = int(jobs)
        ok = not isinstance(jobs, bool) and n >= 1 and n == float(jobs)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"jobs must be a positive integer, got {jobs!r}.")
    return n


def _warm_up(spec):
    """Start the fork server for worker processes (pool, or a local Dask cluster)."""
    if not (spec.jobs > 1 and spec.scheduler is None) and spec.scheduler != "local":
        return
    from ._executors import start_forkserver, worker_modules

    spec.modules = worker_modules(report=spec.options.get("report", True) is not False,
                                  dask=spec.scheduler == "local")
    spec.ctx = start_forkserver(spec.modules)
    spec.timings["warm_up_unix"] = time.time()


def _batch(inputs, out, spec):
    from ._discover import _discover
    from ._outputs import prepare_output_folder, write_manifest

    t_start = time.perf_counter()
    stop = Stop()
    with signals_counted(stop):
        found = _discover(inputs, force_patterns=spec.force_patterns,
                          include_text=spec.include_text, out=out)
        spec.timings["discover_s"] = time.perf_counter() - t_start
        out = out.resolve()
        prepare_output_folder(out, found.jobs)
        level = _level(spec.verbose) if spec.verbose is not None else (
            logger.level if logger.level != 0 else None)
        spec.settings = {"options": spec.options, "redo": spec.redo, "log_level": level}
        manifest = _new_manifest(inputs, out, found, spec)
        write_manifest(out / MANIFEST, manifest)
        try:
            records, combiner = _run(found, out, spec, stop)
            return _finish(found, records, combiner, out, manifest, t_start, stop, spec)
        except BatchOutputError:
            raise  # the manifest says 'failed' already
        except BaseException as err:  # a bug, or an interrupt we could not count
            interrupted = isinstance(err, KeyboardInterrupt)
            manifest.update(status="interrupted" if interrupted else "failed",
                            finished_at=_now(), error=f"{type(err).__name__}: {err}")
            with contextlib.suppress(OutputError):
                write_manifest(out / MANIFEST, manifest)
            raise


def _new_manifest(inputs, out, found, spec):
    scheduler = describe_scheduler(spec.scheduler)
    for tmp in out.glob(".*.tmp"):  # left by a killed run
        with contextlib.suppress(OSError):
            tmp.unlink()
    given = [inputs] if isinstance(inputs, (str, Path)) else inputs
    return {
        "software": "myoemg", "version": __version__, "python": platform.python_version(),
        "platform": platform.platform(), "started_at": _now(), "status": "running",
        "inputs_given": [str(i) for i in given], **found.layout.describe(), "out": str(out),
        "parameters": {"options": spec.options, "force_patterns": list(spec.force_patterns),
                       "include_text": spec.include_text, "jobs": spec.jobs,
                       "scheduler": scheduler, "redo": spec.redo},
    }


def _run(found, out, spec, stop):
    """Dispatch every job; returns the records by output folder and the filled combiner."""
    from ._combine import Combiner
    from ._executors import run_processes, run_serial

    records = {}
    combiner = Combiner(out, found.layout)
    bar = _progress_bar(spec.progress, len(found.jobs))
    mode = (f"Dask ({describe_scheduler(spec.scheduler)})" if spec.scheduler is not None
            else f"{spec.jobs} processes" if spec.jobs > 1 else "this process")
    logger.info("Batch: %d recordings -> %s, in %s", len(found.jobs), out, mode)

    def on_result(job, record):
        records[job.output] = record
        combiner.add(job, record)
        _note(job, record, stop, bar, records)
        if spec.callback is not None:
            spec.callback(job, record, len(records), len(found.jobs))

    spec.timings["run_started_unix"] = time.time()
    t = time.perf_counter()
    try:
        if spec.scheduler is not None:
            _run_dask(found.jobs, out, spec, on_result, stop)
        elif spec.jobs > 1 and len(found.jobs) > 1:
            run_processes(found.jobs, out, spec.settings, spec.jobs, on_result, stop, spec.ctx)
        else:
            run_serial(found.jobs, out, spec.settings, on_result, stop)
    except KeyboardInterrupt:  # raised by someone else's handler: an interrupt all the same
        stop.hits = max(stop.hits, 1)
    finally:
        if bar is not None:
            bar.close()
    spec.timings["run_s"] = time.perf_counter() - t
    return records, combiner


def _run_dask(jobs, out, spec, on_result, stop):
    import os

    from ..utils import soft_import

    soft_import("distributed", "batch runs on Dask", extra="batch")
    from ._dask import run_dask
    from ._executors import worker_modules

    n = spec.jobs if spec.jobs > 1 else (os.cpu_count() or 1)
    modules = spec.modules or worker_modules(spec.options.get("report", True) is not False)
    run_dask(jobs, out, spec.settings, spec.scheduler, n, on_result, stop, modules)


def _note(job, record, stop, bar, records):
    """Log one outcome, move the bar, and stop the run when outputs cannot be written."""
    if record["status"] == "failed":
        logger.info("Failed %s (%s): %s: %s", job.file, record.get("stage"),
                    record.get("error"), record.get("message"))
        if record.get("fatal") and stop.fatal is None:
            stop.fatal = OutputError(record["message"])
            logger.warning("Outputs cannot be written any more: no new recording is started.")
    else:
        logger.debug("%s %s in %.2f s", record["status"], job.file, record["seconds"])
    if bar is not None:
        bar.update(1)
        n_failed = sum(r["status"] == "failed" for r in records.values())
        if n_failed:
            bar.set_postfix(failed=n_failed, refresh=False)


def _finish(found, records, combiner, out, manifest, t_start, stop, spec):
    """Combine, write the tables and the manifest (interrupts wait), log the outcome."""
    from ._combine import manifest_entry, workers, write_tables
    from ._outputs import write_manifest

    t = time.perf_counter()
    result = combiner.result(found.jobs, found.problems)
    statuses = [r["status"] for r in records.values()]
    counts = {"recordings": len(found.jobs), "done": statuses.count("done"),
              "skipped": statuses.count("skipped"), "failed": statuses.count("failed"),
              "not_run": len(found.jobs) - len(records), "unscanned": len(found.problems)}
    result.counts = counts
    errors = write_tables(result, out)
    fatal = stop.fatal or next(iter(errors.values()), None)
    status = ("failed" if fatal else "interrupted" if stop.hits else
              "failures" if counts["failed"] or counts["unscanned"] else "complete")
    spec.timings["finish_s"] = time.perf_counter() - t
    manifest.update(
        finished_at=_now(), wall_s=round(time.perf_counter() - t_start, 3), status=status,
        counts=counts, workers=workers(records),
        driver={k: round(v, 4) for k, v in spec.timings.items()},
        recordings=[manifest_entry(j, records.get(j.output), found.layout)
                    for j in found.jobs],
        unscanned=[{"path": p.path, "error": p.error, "message": p.message}
                   for p in found.problems])
    if fatal is not None:
        manifest["error"] = str(fatal)
    result.manifest = manifest
    try:
        write_manifest(out / MANIFEST, manifest)
    except OutputError as err:
        errors[out / MANIFEST] = err
        fatal = fatal or err
    result.interrupted = stop.hits > 0
    if fatal is not None:
        raise _output_failure(fatal, errors, counts, out, result)
    _log_outcome(counts, stop, out)
    return result


def _output_failure(fatal, errors, counts, out, result):
    """The error raised when outputs could not be written; it carries ``result``."""
    from ._combine import TABLES

    wanted = [f"{t}.csv" for t in TABLES] + [MANIFEST]
    missing = [p.name for p in errors]
    written = [n for n in wanted if n not in missing and (out / n).is_file()]
    handled = counts["recordings"] - counts["not_run"]
    err = BatchOutputError(
        f"{fatal} " + (f"The batch stopped after {handled} of {counts['recordings']} "
                       f"recordings ({counts['not_run']} not run)" if counts["not_run"] else
                       f"All {counts['recordings']} recordings were handled")
        + (f"; not written: {', '.join(missing)}" if missing else "")
        + (f"; written: {', '.join(written)}" if written else "") + ".")
    err.result = result
    return err


def _log_outcome(counts, stop, out):
    msg = (f"Batch of {counts['recordings']} recordings: {counts['done']} analysed, "
           f"{counts['skipped']} up to date, {counts['failed']} failed")
    if counts["unscanned"]:
        msg += f", {counts['unscanned']} folder entries not scanned"
    if stop.hits:
        logger.warning("%s, %d not run (interrupted); re-run the same command to finish them.",
                       msg, counts["not_run"])
    elif counts["failed"] or counts["unscanned"]:
        logger.warning("%s (listed in %s).", msg, out / "failures.csv")
    else:
        logger.info("%s.", msg)


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _progress_bar(progress, total):
    if progress == "auto":
        progress = sys.stderr.isatty()
    if not progress:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        logger.info("Install tqdm for a progress bar (pip install myoemg[batch]).")
        return None
    return tqdm(total=total, unit="rec", desc="myoemg batch", file=sys.stderr,
                dynamic_ncols=True)
