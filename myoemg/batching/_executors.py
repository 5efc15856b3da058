"""Where recordings are analysed: in this process, or on a pool of warm worker processes.

The pool's processes fork from a *fork server* started with myoemg (and, for reports, the
report's modules) already imported (:func:`start_forkserver`), as early as :func:`myoemg.batch` can,
so a worker is ready in milliseconds instead of paying the imports itself. Every worker (and
this process while it analyses) uses one BLAS/OpenMP thread: the analysis is many small fits,
for which extra threads cost more than they give. At most :data:`PER_WORKER` recordings per
worker are in flight: enough that a worker never waits for the next one, few enough that
Ctrl-C is prompt and memory bounded. Each worker watches a pipe from this process and exits
as soon as it closes, so killing this process (even with SIGKILL) leaves nothing behind.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import threading
import time

from ..utils import logger
from ..utils._threads import THREAD_VARS, one_blas_thread, user_sets_threads  # noqa: F401 (re-exported)

#: Recordings in flight per worker: one running, one queued behind it.
PER_WORKER = 2
#: Seconds between checks of the stop flags while waiting for results.
POLL_S = 0.1


@contextlib.contextmanager
def one_thread_env():
    """Processes started inside the block get one BLAS/OpenMP thread (unless the user chose)."""
    added = [k for k in THREAD_VARS if k not in os.environ]
    os.environ.update({k: "1" for k in added})
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


def worker_modules(report, dask=False):
    """Modules a warm worker holds: the analysis, the report's figures, Dask's worker.

    Not matplotlib: the HTML report draws its figures as SVG itself, and importing
    ``matplotlib.pyplot`` cost the fork server 0.4–0.6 s before the first worker could start.
    """
    # scikit-learn: the detector imports its mixtures on first use, 0.2–0.4 s in every worker
    modules = ["myoemg.batching._worker", "threadpoolctl", "sklearn.mixture"]
    if report:
        modules += ["myoemg.report", "myoemg.viz"]
    if dask:  # what distributed would preload itself (distributed.utils.get_mp_context)
        modules += ["distributed", "dask", "msgpack", "cloudpickle", "tornado", "toolz",
                    "pandas", "lz4"]
    return modules


def start_forkserver(modules):
    """Start the fork server now (if not running) with ``modules`` imported in it.

    It starts in the background: its imports overlap whatever this process does next.
    Returns the multiprocessing context for the pool ('spawn' where there is no fork server).
    """
    import multiprocessing as mp

    if "forkserver" not in mp.get_all_start_methods():  # Windows
        return mp.get_context("spawn")
    from multiprocessing import forkserver

    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(modules)  # used only if the server is not running yet
    with one_thread_env(), _sigint_ignored():  # inherited by the server and its workers
        forkserver.ensure_running()
    return ctx


@contextlib.contextmanager
def _sigint_ignored():
    """SIGINT ignored while new processes are spawned: an ignored signal survives ``exec``.

    The fork server imports its preloaded modules before it ignores Ctrl-C itself, so a
    terminal's Ctrl-C (sent to the whole process group) during those seconds would kill it
    with a traceback; workers forked from it would also take Ctrl-C until their initializer
    ran. Started with SIGINT ignored, neither can happen; Ctrl-C stays the driver's to handle.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# --- inside a worker process -----------------------------------------------------------------

_STOP_EVENT = None
_held_limit: list = []


def init_worker(log_level, alive, stop_event):
    """Initializer of pool workers: die with the driver, ignore Ctrl-C, one BLAS thread."""
    import logging

    global _STOP_EVENT
    _STOP_EVENT = stop_event
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    threading.Thread(target=_exit_when_closed, args=(alive,), daemon=True,
                     name="myoemg-batch-watchdog").start()
    _held_limit.append(one_blas_thread())  # for the worker's life: analyze nests in it
    _held_limit[-1].__enter__()
    if log_level is not None and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(log_level)


def _exit_when_closed(alive):
    """Block on the driver's pipe; when the driver closes it or dies, exit at once."""
    try:
        alive.recv_bytes()
    except (EOFError, OSError):
        pass
    os._exit(1)


def pool_task(job, out, settings):
    """:func:`process` in a pool worker, unless the batch was stopped since it was queued."""
    from ._worker import process

    if _STOP_EVENT is not None and _STOP_EVENT.is_set():
        return {"output": job.output, "status": "cancelled"}
    return process(job, out, settings)


# --- in the driver ---------------------------------------------------------------------------

def is_client(obj):
    """Whether ``obj`` is a ``distributed.Client`` (duck-typed: no Dask import needed)."""
    return hasattr(obj, "submit") and hasattr(obj, "scheduler_info") and hasattr(obj, "cancel")


def describe_scheduler(scheduler):
    """The scheduler as the manifest records it: None, 'local', an address or a type name."""
    if scheduler is None or isinstance(scheduler, str):
        return scheduler
    with contextlib.suppress(Exception):  # only for the record
        address = getattr(scheduler, "scheduler_address", None)
        return address or scheduler.scheduler.address
    return type(scheduler).__name__


def crash_record(job, err, alone):
    """The failure record of a recording whose worker died."""
    why = ("the worker process died while analysing this recording on its own: most likely "
           "killed for lack of memory, or a crash in a library" if alone else
           "a worker process died while this recording was in progress")
    return {"output": job.output, "status": "failed", "stage": "worker",
            "error": type(err).__name__, "sha256": None, "timings": {}, "seconds": None,
            "pid": None, "peak_rss_mb": None,
            "message": f"{why}. Re-run the same command to retry it. "
                       f"({err or type(err).__name__})"}


def dispatch(jobs, executor, on_result, stop):
    """Keep a few recordings in flight on ``executor`` until done or stopped.

    ``executor`` has ``window()`` (recordings in flight at most), ``submit(job)`` -> future,
    ``wait(futures, timeout)`` -> finished futures, ``result(future, job)`` -> record,
    ``stop_queued()`` and ``abandon()``. A record with status 'crashed' (the worker died)
    sends its recording back to run *alone*: only the one that kills its worker again is
    failed, not the ones that happened to run beside it. 'cancelled' records are not run.
    """
    queue, suspects = collections.deque(jobs), collections.deque()
    inflight, retried, stopping = {}, set(), False
    while True:
        alone = suspects or any(j.output in retried for j in inflight.values())
        limit = 1 if alone else executor.window()
        while not stop.requested and len(inflight) < limit and (suspects or queue):
            job = (suspects or queue).popleft()
            inflight[executor.submit(job)] = job
            alone = alone or job.output in retried
            limit = 1 if alone else limit
        if not inflight:
            return
        if stop.requested and not stopping:
            stopping = True
            executor.stop_queued()
        if stop.abandon:
            logger.warning("Abandoning %d recording(s) in progress; their results are not "
                           "written (re-run the same command to redo them).", len(inflight))
            executor.abandon()
            return
        for fut in executor.wait(list(inflight), POLL_S):
            job = inflight.pop(fut)
            record = executor.result(fut, job)
            if record["status"] == "cancelled" or (record["status"] == "crashed"
                                                   and stop.requested):
                continue  # not run
            if record["status"] == "crashed":
                if job.output not in retried:
                    retried.add(job.output)
                    suspects.append(job)
                    continue
                record = crash_record(job, record["error"], alone=True)
            on_result(job, record)


def run_serial(jobs, out, settings, on_result, stop):
    """Analyse the recordings one after the other in this process."""
    from ._worker import process

    stop.raise_on_second = True  # a second Ctrl-C abandons the recording in progress
    try:
        with one_blas_thread():
            for job in jobs:
                if stop.requested:
                    return
                on_result(job, process(job, str(out), settings))
    except KeyboardInterrupt:
        stop.hits = max(stop.hits, 2)
        logger.warning("Abandoning the recording in progress; its results are not written "
                       "(re-run the same command to redo it).")
    finally:
        stop.raise_on_second = False


class ProcessPool:
    """A :class:`~concurrent.futures.ProcessPoolExecutor` of warm workers, for :func:`dispatch`.

    Parameters
    ----------
    ctx : multiprocessing context
        From :func:`start_forkserver`.
    n_workers : int
    out : Path
    settings : dict
        As for :func:`process`.
    """

    def __init__(self, ctx, n_workers, out, settings):
        self.ctx, self.n_workers = ctx, n_workers
        self.args = (str(out), settings)
        self.alive_r, self.alive_w = ctx.Pipe(duplex=False)
        self.stop_event = ctx.Event()
        self.pools = [self._new_pool()]

    def _new_pool(self):
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=self.n_workers, mp_context=self.ctx, initializer=init_worker,
            initargs=(self.args[1]["log_level"], self.alive_r, self.stop_event))

    def window(self):
        return PER_WORKER * self.n_workers

    def submit(self, job):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pools[-1].submit(pool_task, job, *self.args)
        except BrokenProcessPool:  # a worker died: start over for the rest
            self.pools.append(self._new_pool())
            return self.pools[-1].submit(pool_task, job, *self.args)

    def wait(self, futures, timeout):
        from concurrent.futures import FIRST_COMPLETED, wait

        return wait(futures, timeout=timeout, return_when=FIRST_COMPLETED).done

    def result(self, fut, job):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return fut.result()
        except BrokenProcessPool as err:
            return {"output": job.output, "status": "crashed", "error": err}

    def stop_queued(self):
        self.stop_event.set()

    def abandon(self):
        self.alive_w.close()  # every worker's watchdog exits its process

    def close(self):
        """Shut the pools down (workers exit); the fork server stays, warm, for a next batch."""
        for pool in self.pools:
            pool.shutdown(wait=True, cancel_futures=True)
        for conn in (self.alive_w, self.alive_r):
            conn.close()


def run_processes(jobs, out, settings, n_workers, on_result, stop, ctx):
    """Analyse the recordings on ``n_workers`` worker processes (see :class:`ProcessPool`)."""
    t0 = time.perf_counter()
    pool = ProcessPool(ctx, min(n_workers, len(jobs)), out, settings)
    try:
        dispatch(jobs, pool, on_result, stop)
    finally:
        pool.close()
    logger.debug("Process pool of %d workers: %.2f s.", pool.n_workers, time.perf_counter() - t0)
