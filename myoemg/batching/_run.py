"""The batch driver: discover, dispatch (serial, processes or Dask), combine, write, resume."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .._version import __version__
from ..utils import OutputError, atomic_path, logger, soft_import, use_log_level, write_text_atomic
from ..utils._logging import _level
from ._discover import DEFAULT_FORCE_PATTERNS, Job, _discover
from ._worker import MARKER, SESSION_COLUMNS, init_worker, load_marker, process, split_options

#: Exit statuses of a batch (``BatchResult.exit_code`` and ``myoemg batch``).
EXIT_OK, EXIT_FAILURES, EXIT_INTERRUPTED = 0, 1, 130
#: The manifest of a run, in the output folder.
MANIFEST = "batch_manifest.json"
_ID_COLUMNS = ["file", "subject", "session"]
FAILURE_COLUMNS = ["file", "force_file", "stage", "error", "message"]


@dataclass
class BatchResult:
    """Combined results of :func:`batch`.

    Attributes
    ----------
    trials : DataFrame
        One row per trial of every analysed recording: ``file``, ``subject``, ``session`` and
        the columns of ``Analysis.trials``.
    sessions : DataFrame
        One row per analysed recording: ``file``, ``subject``, ``session``, ``force_file``,
        ``output`` (its results folder, relative to ``out``) and ``pattern``, ``grade``,
        ``n_trials``, key relaxation times (``rt90_5_first_s`` ...), ``peak_force_max_n`` and
        discharge counts.
    discharges : DataFrame
        One row per discharge train of every analysed recording, with ``file``, ``subject``,
        ``session``.
    failures : DataFrame
        One row per recording that failed: ``file``, ``force_file``, ``stage`` (hash, options,
        read, analyze, save or worker), ``error`` (exception type) and ``message``.
    manifest : dict
        The run manifest (also ``out/batch_manifest.json``): inputs with SHA-256, parameters,
        version, per-recording status and timings, peak memory per worker.
    out : Path | None
        The output folder (None when ``batch`` ran without one).
    interrupted : bool
        True when the run was stopped (Ctrl-C) before every recording was handled.
    """

    trials: pd.DataFrame
    sessions: pd.DataFrame
    discharges: pd.DataFrame
    failures: pd.DataFrame
    manifest: dict
    out: Path | None = None
    interrupted: bool = False
    counts: dict = field(default_factory=dict)

    @property
    def exit_code(self):
        """0 all recordings analysed or up to date, 1 some failed, 130 interrupted."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_FAILURES if len(self.failures) else EXIT_OK

    def __repr__(self):
        c = self.counts
        return (f"<BatchResult {c.get('recordings', 0)} recordings: {c.get('done', 0)} analysed, "
                f"{c.get('skipped', 0)} up to date, {c.get('failed', 0)} failed"
                f"{', interrupted' if self.interrupted else ''}>")


def batch(inputs, out=None, *, jobs=1, scheduler=None, force_patterns=DEFAULT_FORCE_PATTERNS,
          include_text=False, redo=False, progress="auto", callback=None, verbose=None,
          **options):
    """Analyse many recordings: in parallel, resumable, one bad file never stops the run.

    Parameters
    ----------
    inputs : str | Path | sequence of str | Path
        Folders (recursive), glob patterns, single files, BIDS-EMG roots and CSV manifests (a
        file with a ``recording`` column); see :func:`myoemg.batching.discover`.
    out : str | Path | None
        Output folder. Per recording, ``out/<path mirrored from the input, without
        extension>/`` gets the :meth:`Analysis.save` outputs and a done-marker
        (``batch_done.json``, written last); at the top, ``trials.csv``, ``sessions.csv``,
        ``discharges.csv`` (with ``.parquet`` twins when pyarrow is installed),
        ``failures.csv`` and ``batch_manifest.json``. None: work in a temporary folder,
        deleted afterwards, and only return the tables (nothing is resumable).
    jobs : int
        Worker processes on this machine (1: in this process). With ``scheduler='local'``,
        the number of Dask workers (default: the number of CPUs).
    scheduler : str | None
        ``'local'`` to start a Dask ``LocalCluster`` (processes, one thread each), or the
        address of a running Dask scheduler (``'tcp://host:8786'``): the same work on Dask
        distributed. Workers must see the input and output paths (a shared file system).
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
        ``out`` holds an input, or cannot be written.
    TypeError
        An option that neither ``read`` nor ``analyze`` takes.

    Notes
    -----
    Resuming: a recording is skipped when its folder holds a done-marker whose input SHA-256
    (recording and force file) and parameter fingerprint (options, force file name, myoemg
    version) match and whose listed outputs exist. Every file is written atomically (temporary
    name, then rename) and the marker last, so a run killed at any point leaves either complete
    results or none for each recording; re-running the same command finishes the rest.
    Ctrl-C stops the run cleanly: queued recordings are dropped, running ones finish (a second
    Ctrl-C abandons them), and the tables and manifest are written for what finished
    (``interrupted=True``). In a script, call ``batch`` under ``if __name__ == '__main__':``
    when ``jobs > 1`` (worker processes import the main module).

    Each recording is analysed with one BLAS/OpenMP thread (worker processes start with
    ``OMP_NUM_THREADS=1`` etc., as Dask workers do; ``jobs=1`` uses threadpoolctl when
    installed), unless those variables are set: the analysis is many small fits, for which
    extra BLAS threads cost more than they give.

    Examples
    --------
    >>> res = myoemg.batch("data/", "results/", jobs=4)  # doctest: +SKIP
    >>> res.sessions[["file", "pattern", "rt90_5_first_s"]]  # doctest: +SKIP
    """
    with use_log_level(verbose):
        split_options(options)  # fail fast on a misspelt option
        jobs = int(jobs)
        if jobs < 1:
            raise ValueError(f"jobs must be a positive integer, got {jobs}.")
        if out is None:
            if scheduler not in (None, "local"):
                raise ValueError("out is required with a remote Dask scheduler: its workers "
                                 "write the results, so give a folder they can reach.")
            with tempfile.TemporaryDirectory(prefix="myoemg-batch-") as tmp:
                res = _batch(inputs, Path(tmp), jobs, scheduler, force_patterns, include_text,
                             redo, progress, callback, verbose, options)
            res.out = None
            return res
        return _batch(inputs, Path(out), jobs, scheduler, force_patterns, include_text, redo,
                      progress, callback, verbose, options)


def _batch(inputs, out, jobs, scheduler, force_patterns, include_text, redo, progress,
           callback, verbose, options):
    t_start = time.perf_counter()
    started = _now()
    job_list, base = _discover(inputs, force_patterns=force_patterns,
                               include_text=include_text, out=out)
    out = out.resolve()
    _check_out(out, job_list)
    for tmp in out.glob(".*.tmp"):  # left by a killed run
        with contextlib.suppress(OSError):
            tmp.unlink()
    level = _level(verbose) if verbose is not None else (
        logger.level if logger.level != 0 else None)
    settings = {"options": options, "redo": bool(redo), "log_level": level}
    manifest = {
        "software": "myoemg", "version": __version__, "python": platform.python_version(),
        "platform": platform.platform(), "started_at": started, "status": "running",
        "inputs_given": [str(i) for i in ([inputs] if isinstance(inputs, (str, Path))
                                          else inputs)],
        "input_root": str(base), "out": str(out),
        "parameters": {"options": options, "force_patterns": list(force_patterns or ()),
                       "include_text": include_text, "jobs": jobs, "scheduler": scheduler,
                       "redo": bool(redo)},
    }
    write_text_atomic(out / MANIFEST, json.dumps(manifest, indent=2, default=str) + "\n")
    mode = (f"Dask ({scheduler})" if scheduler else
            f"{jobs} processes" if jobs > 1 else "this process")
    logger.info("Batch: %d recordings under %s -> %s, in %s", len(job_list), base, out, mode)

    records = {}
    bar = _progress_bar(progress, len(job_list))

    def on_result(job, record):
        records[job.output] = record
        if record["status"] == "failed":
            logger.info("Failed %s (%s): %s: %s", job.file, record.get("stage"),
                        record.get("error"), record.get("message"))
        else:
            logger.debug("%s %s in %.2f s", record["status"], job.file, record["seconds"])
        if bar is not None:
            bar.update(1)
            n_failed = sum(r["status"] == "failed" for r in records.values())
            if n_failed:
                bar.set_postfix(failed=n_failed, refresh=False)
        if callback is not None:
            callback(job, record, len(records), len(job_list))

    interrupted = False
    try:
        if scheduler is not None:
            _run_dask(job_list, out, settings, scheduler, jobs, on_result)
        elif jobs > 1 and len(job_list) > 1:
            _run_processes(job_list, out, settings, jobs, on_result)
        else:
            with _one_thread_in_process():
                for job in job_list:
                    on_result(job, process(job, str(out), settings))
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if bar is not None:
            bar.close()

    with _deferred_interrupt():  # the work is over: a Ctrl-C now must not cut the tables short
        return _finish(job_list, records, out, base, manifest, t_start, interrupted)


def _finish(job_list, records, out, base, manifest, t_start, interrupted):
    """Combine, write the tables and the manifest, log the outcome."""
    result = _combine(job_list, records, out, base)
    result.interrupted = interrupted
    counts = {"recordings": len(job_list),
              "done": sum(r["status"] == "done" for r in records.values()),
              "skipped": sum(r["status"] == "skipped" for r in records.values()),
              "failed": sum(r["status"] == "failed" for r in records.values())}
    counts["not_run"] = len(job_list) - len(records)
    result.counts = counts
    manifest.update(
        finished_at=_now(), wall_s=round(time.perf_counter() - t_start, 3),
        status="interrupted" if interrupted else "failures" if counts["failed"] else "complete",
        counts=counts, workers=_workers(records),
        recordings=[_manifest_entry(j, records.get(j.output), base) for j in job_list])
    result.manifest = manifest
    _write_tables(result, out)
    write_text_atomic(out / MANIFEST, json.dumps(manifest, indent=2, default=str) + "\n")
    msg = (f"Batch of {counts['recordings']} recordings: {counts['done']} analysed, "
           f"{counts['skipped']} up to date, {counts['failed']} failed")
    if interrupted:
        logger.warning("%s, %d not run (interrupted); re-run the same command to finish them.",
                       msg, counts["not_run"])
    elif counts["failed"]:
        logger.warning("%s (listed in %s).", msg, out / "failures.csv")
    else:
        logger.info("%s.", msg)
    return result


@contextlib.contextmanager
def _deferred_interrupt():
    """Ignore SIGINT (main thread only) while the block runs; yields a list of the hits."""
    import signal
    import threading

    hits = []
    if threading.current_thread() is not threading.main_thread():
        yield hits
        return
    previous = signal.signal(signal.SIGINT, lambda *_: hits.append(True))
    try:
        yield hits
    finally:
        signal.signal(signal.SIGINT, previous)


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _check_out(out, job_list):
    for job in job_list:
        for p in (job.recording, job.force):
            if p is None:
                continue
            try:
                Path(p).relative_to(out)
            except ValueError:
                continue
            raise OutputError(f"the output folder {out} holds the input {p}; choose an output "
                              "folder outside the inputs (inputs are never written to).")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create the output folder {out}: {err.strerror or err}.") \
            from None


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


def _crash_record(job, err):
    return {"output": job.output, "status": "failed", "stage": "worker",
            "error": type(err).__name__, "sha256": None, "timings": {}, "seconds": None,
            "pid": None, "peak_rss_mb": None,
            "message": "a worker process died while this recording (or one analysed beside it) "
                       "was in progress: killed for lack of memory, or crashed. Re-run the same "
                       f"command to retry it. ({err or type(err).__name__})"}


def _run_processes(job_list, out, settings, n_workers, on_result):
    """Run on a pool of worker processes, one recording in flight per worker.

    Submitting only as many recordings as there are workers keeps the queue (and memory) small
    and makes Ctrl-C prompt: queued recordings are never started, running ones finish (a second
    Ctrl-C abandons them). A worker that dies (e.g. killed for memory) fails the recordings in
    flight; the pool is restarted for the rest. Workers use one BLAS/OpenMP thread each (as
    Dask workers do) unless ``OMP_NUM_THREADS``/``OPENBLAS_NUM_THREADS``/... are set.
    """
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, as_completed, wait
    from concurrent.futures.process import BrokenProcessPool

    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["myoemg.batching._worker"])
    n_workers = min(n_workers, len(job_list))

    def new_pool():
        return ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx,
                                   initializer=init_worker, initargs=(settings["log_level"],))

    pools = [new_pool()]
    queue = iter(job_list)
    inflight = {}

    def submit_next():
        job = next(queue, None)
        if job is None:
            return
        try:
            fut = pools[-1].submit(process, job, str(out), settings)
        except BrokenProcessPool:
            pools.append(new_pool())
            fut = pools[-1].submit(process, job, str(out), settings)
        inflight[fut] = job

    def handle(fut):
        job = inflight.pop(fut)
        try:
            record = fut.result()
        except BrokenProcessPool as err:
            record = _crash_record(job, err)
        on_result(job, record)

    try:
        with _one_thread_per_worker():  # workers (and the fork server) start here
            for _ in range(n_workers):
                submit_next()
        while inflight:
            done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            for fut in done:
                handle(fut)
                submit_next()
    except KeyboardInterrupt:
        if inflight:
            logger.warning("Interrupted: letting %d running recording(s) finish (Ctrl-C again "
                           "to abandon them).", len(inflight))
            try:
                for fut in as_completed(list(inflight)):
                    handle(fut)
            except KeyboardInterrupt:
                procs = getattr(pools[-1], "_processes", None) or {}  # no public API for this
                for proc in list(procs.values()):
                    proc.terminate()
        raise
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)


#: Thread-count variables of BLAS / OpenMP libraries; Dask's nanny sets the same ones.
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


@contextlib.contextmanager
def _one_thread_per_worker():
    """Start worker processes with one BLAS/OpenMP thread each, unless the user set a number.

    N workers with N BLAS threads each oversubscribe the CPUs; OpenBLAS threads also spin while
    they wait, which makes the small least-squares fits of the analysis slower, not faster.
    """
    added = [k for k in _THREAD_VARS if k not in os.environ]
    os.environ.update({k: "1" for k in added})
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


@contextlib.contextmanager
def _one_thread_in_process():
    """One BLAS/OpenMP thread in this process while it analyses (threadpoolctl, if installed).

    Skipped when the user set one of the thread-count variables.
    """
    if any(k in os.environ for k in _THREAD_VARS):
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=1):
        yield


def _run_dask(job_list, out, settings, scheduler, n_workers, on_result):
    """Run on Dask distributed: a new LocalCluster ('local') or a running scheduler."""
    distributed = soft_import("distributed", "batch runs on Dask", extra="batch")
    cluster = None
    if scheduler == "local":
        import dask

        n = n_workers if n_workers > 1 else (os.cpu_count() or 1)
        # the workers' statistical profiler samples the task thread every 10 ms, holding the
        # GIL: a cost without a dashboard to show it
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = distributed.LocalCluster(n_workers=min(n, len(job_list)),
                                               threads_per_worker=1, processes=True,
                                               dashboard_address=None)
        client = distributed.Client(cluster)
    else:
        client = distributed.Client(scheduler)
    futures = {}
    try:
        for job in job_list:
            fut = client.submit(process, job, str(out), settings, pure=False,
                                key=f"myoemg-batch-{job.output}-{os.getpid()}-{time.time_ns()}")
            futures[fut.key] = (fut, job)
        for fut in distributed.as_completed([f for f, _ in futures.values()]):
            job = futures[fut.key][1]
            try:
                record = fut.result()
            except Exception as err:  # noqa: BLE001 - e.g. KilledWorker; the run goes on
                record = _crash_record(job, err)
            fut.release()
            on_result(job, record)
    except KeyboardInterrupt:
        client.cancel([f for f, _ in futures.values()])
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _rel(path, base):
    if path is None:
        return None
    try:
        return Path(path).relative_to(base).as_posix()
    except ValueError:
        return str(path)


def _combine(job_list, records, out, base):
    """Combined tables, read back from each recording's outputs (fresh or resumed alike)."""
    from ..detect.discharges import DISCHARGE_COLUMNS
    from ..pipeline import TRIAL_TABLE_COLUMNS

    trials, discharges, sessions, failures = [], [], [], []
    for job in job_list:
        record = records.get(job.output)
        if record is None:
            continue
        if record["status"] == "failed":
            failures.append({"file": job.file, "force_file": _rel(job.force, base),
                             "stage": record.get("stage"), "error": record.get("error"),
                             "message": record.get("message")})
            continue
        folder = out / job.output
        marker = load_marker(folder)
        if marker is None:  # removed under our feet: report, do not guess
            failures.append({"file": job.file, "force_file": _rel(job.force, base),
                             "stage": "combine", "error": "OutputError",
                             "message": f"{folder / MARKER} disappeared during the run."})
            continue
        ids = {"file": job.file, "subject": job.subject or marker.get("subject"),
               "session": job.session or marker.get("session")}
        sessions.append({**ids, "force_file": _rel(job.force, base), "output": job.output,
                         **marker["session_row"]})
        for name, acc in (("trials.csv", trials), ("discharges.csv", discharges)):
            table = pd.read_csv(folder / name)
            if len(table):
                acc.append(table.assign(**ids))
    return BatchResult(
        trials=_stack(trials, TRIAL_TABLE_COLUMNS),
        sessions=pd.DataFrame(sessions, columns=[*_ID_COLUMNS, "force_file", "output",
                                                 *SESSION_COLUMNS]),
        discharges=_stack(discharges, [*DISCHARGE_COLUMNS, "trial"]),
        failures=pd.DataFrame(failures, columns=FAILURE_COLUMNS),
        manifest={}, out=out)


def _stack(tables, columns):
    if not tables:
        return pd.DataFrame(columns=[*_ID_COLUMNS, *columns])
    df = pd.concat(tables, ignore_index=True)
    rest = [c for c in df.columns if c not in _ID_COLUMNS]
    return df[[*_ID_COLUMNS, *rest]]


def _write_tables(result, out):
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        parquet = False
        logger.info("pyarrow not installed: writing CSV tables only.")
    else:
        parquet = True
    for name in ("trials", "sessions", "discharges", "failures"):
        table = getattr(result, name)
        with atomic_path(out / f"{name}.csv") as tmp:
            table.to_csv(tmp, index=False, float_format="%.6g")
        if parquet and name != "failures":
            with atomic_path(out / f"{name}.parquet") as tmp:
                table.to_parquet(tmp, index=False)


def _workers(records):
    peaks = {}
    for r in records.values():
        pid = r.get("pid")
        if pid is None:
            continue
        w = peaks.setdefault(str(pid), {"recordings": 0, "peak_rss_mb": 0.0})
        w["recordings"] += 1
        if r.get("peak_rss_mb") is not None:
            w["peak_rss_mb"] = round(max(w["peak_rss_mb"], r["peak_rss_mb"]), 1)
    return peaks


def _manifest_entry(job, record, base):
    entry = {"file": job.file, "recording": job.recording, "force_file": _rel(job.force, base),
             "output": job.output, "subject": job.subject, "session": job.session,
             "options": job.options, "status": "not run"}
    if record is not None:
        entry.update(status=record["status"], sha256=record.get("sha256"),
                     seconds=_round(record.get("seconds")),
                     timings={k: _round(v) for k, v in record.get("timings", {}).items()},
                     worker=record.get("pid"), started_unix=record.get("started_unix"))
        if record["status"] == "failed":
            entry.update(stage=record.get("stage"), error=record.get("error"),
                         message=record.get("message"))
    return entry


def _round(x):
    return None if x is None else round(float(x), 4)


__all__ = ["BatchResult", "EXIT_FAILURES", "EXIT_INTERRUPTED", "EXIT_OK", "Job", "MANIFEST",
           "batch"]
