"""Analyse a batch on Dask distributed: a local cluster, a scheduler address or your Client.

- ``'local'``: a ``LocalCluster`` of worker *processes* with one thread each (the analysis holds
  the GIL; threads would share it), forked from the warm fork server (myoemg already imported),
  closed at the end.
- an address (``'tcp://head:8786'``) or a cluster object (e.g. a ``dask_jobqueue.SLURMCluster``):
  a Client is opened on it for this run and closed at the end; the cluster stays.
- a ``distributed.Client``: used as it is, and left open.

Workers import myoemg once, when a worker plugin is registered (not in the first task), and
use one BLAS thread; at most :data:`~._executors.PER_WORKER` recordings per worker thread are
in flight, so a large batch never floods the scheduler and Ctrl-C is prompt. Workers must
see the input and output paths (a shared file system).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import time

import distributed
from distributed.diagnostics.plugin import WorkerPlugin

from ..utils import logger
from ..utils._threads import one_blas_thread
from ._executors import PER_WORKER, crash_record, dispatch, is_client

#: Name of the worker plugin (registering it again replaces it).
PLUGIN_NAME = "myoemg-batch"


def _process(*args, **kwargs):
    """:func:`myoemg.batching._worker.process`, imported on the worker that runs it.

    Submitted by reference, so the driver never imports the analysis (1.5–2 s of imports
    that would compete with the workers for the cores); the workers have it preloaded.
    """
    from ._worker import process

    return process(*args, **kwargs)


class WarmWorker(WorkerPlugin):
    """Worker plugin: import myoemg (and the report's modules) once; one BLAS thread.

    Parameters
    ----------
    modules : list of str
        Modules to import at set-up.
    log_level : int | None
        Level of the ``myoemg`` logger on the worker.
    """

    name = PLUGIN_NAME
    idempotent = False

    def __init__(self, modules, log_level=None):
        self.modules, self.log_level = list(modules), log_level
        self._limits = None

    def setup(self, worker):
        for name in self.modules:
            with contextlib.suppress(ImportError):  # report extras may be absent
                importlib.import_module(name)
        self._limits = one_blas_thread()  # for the worker's life: analyze nests in it
        self._limits.__enter__()
        if self.log_level is not None:
            logger.setLevel(self.log_level)

    def teardown(self, worker):
        if self._limits is not None:  # a user's cluster gets its BLAS threads back
            self._limits.__exit__(None, None, None)
            self._limits = None


@contextlib.contextmanager
def open_client(scheduler, n_workers):
    """A Client for ``scheduler`` ('local', an address, a cluster or a Client).

    Only what this function opened is closed at the end.
    """
    import multiprocessing as mp

    import dask

    if is_client(scheduler):
        yield scheduler
        return
    if scheduler != "local":
        client = distributed.Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    config = {"distributed.worker.profile.enabled": False}  # samples hold the GIL every 10 ms
    if "forkserver" in mp.get_all_start_methods():
        config["distributed.worker.multiprocessing-method"] = "forkserver"  # warm workers
    with dask.config.set(config):  # kept for the whole run: a restarted worker forks warm too
        cluster = distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1,
                                           processes=True, dashboard_address=None,
                                           silence_logs=logging.ERROR)
        client = distributed.Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()


class DaskExecutor:
    """Submit recordings to a Dask cluster, for :func:`~._executors.dispatch`."""

    def __init__(self, client, out, settings):
        self.client, self.args = client, (str(out), settings)
        self.futures = set()
        self._window, self._checked = PER_WORKER, 0.0

    def window(self):
        now = time.monotonic()
        if now - self._checked > 1.0:  # workers come and go (adaptive clusters)
            threads = sum(self.client.nthreads().values())
            self._window, self._checked = PER_WORKER * max(threads, 1), now
        return self._window

    def submit(self, job):
        fut = self.client.submit(_process, job, *self.args, pure=False,
                                 key=f"myoemg-batch-{job.output}-{os.getpid()}-{time.time_ns()}")
        self.futures.add(fut)
        return fut

    def wait(self, futures, timeout):
        try:
            return distributed.wait(futures, timeout=timeout, return_when="FIRST_COMPLETED").done
        except (TimeoutError, distributed.TimeoutError):
            return set()

    def result(self, fut, job):
        self.futures.discard(fut)
        try:
            return fut.result()
        except Exception as err:  # noqa: BLE001 - e.g. KilledWorker: Dask retried already
            return crash_record(job, err, alone=False)
        finally:
            fut.release()

    def stop_queued(self):
        """Queued tasks cannot be told from running ones: they are few (the window)."""

    def abandon(self):
        self.client.cancel(list(self.futures))


def run_dask(jobs, out, settings, scheduler, n_workers, on_result, stop, modules):
    """Analyse ``jobs`` on Dask (see the module docstring)."""
    with open_client(scheduler, min(n_workers, len(jobs))) as client:
        client.register_plugin(WarmWorker(modules, settings.get("log_level")), name=PLUGIN_NAME)
        executor = DaskExecutor(client, out, settings)
        try:
            dispatch(jobs, executor, on_result, stop)
        finally:
            if executor.futures:
                client.cancel(list(executor.futures))
            if scheduler != "local":  # a cluster that outlives the run: leave it as it was
                with contextlib.suppress(Exception):  # noqa: BLE001 - only tidying up
                    client.unregister_worker_plugin(PLUGIN_NAME)
