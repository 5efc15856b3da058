"""One BLAS/OpenMP thread for the small matrix products of an analysis (threadpoolctl).

NumPy's BLAS (OpenBLAS here) wakes its thread pool for products of a few hundred numbers, the
mains fits and the detector's features; with two threads on two cores these stall for
10–50 ms at random. :func:`one_blas_thread` limits every BLAS/OpenMP pool to one thread
inside the block and restores the caller's setting afterwards. threadpoolctl inspects the
loaded libraries on every call (1–10 ms), so nested blocks do nothing but count: a batch
worker opens one block for its whole life and every analysis inside it costs nothing more. A
thread count the user chose (``OMP_NUM_THREADS`` and the like, :data:`THREAD_VARS`) is left
alone.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from typing import Any

#: Environment variables by which a user sets the BLAS/OpenMP thread count.
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")

_lock = threading.Lock()
_depth = 0
_limiter: Any = None  # a threadpoolctl.threadpool_limits while a block is open


def _forget_in_child() -> None:
    """A forked child starts with no open block: its first block limits its own libraries.

    Otherwise a child forked inside a block (a pool started from a batch worker or a Dask
    worker thread) inherits the count and never limits anything, while the OpenMP pool the
    parent left behind does not survive the fork: the child's first multi-threaded OpenMP
    region then deadlocks.
    """
    global _depth, _limiter, _lock
    _lock = threading.Lock()
    _depth, _limiter = 0, None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


def user_sets_threads() -> bool:
    """Whether the user chose a BLAS/OpenMP thread count (then we leave it alone)."""
    return any(k in os.environ for k in THREAD_VARS)


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Limit BLAS/OpenMP thread pools to one thread inside the block (re-entrant, cheap nested).

    The limit is process-wide (the libraries keep one setting); it is set by the outermost
    block and restored when the last open block, in any thread, ends. Nothing is changed when
    the user set a thread count (:func:`user_sets_threads`).
    """
    global _depth, _limiter
    if user_sets_threads():
        yield
        return
    with _lock:
        if _depth == 0:
            from threadpoolctl import threadpool_limits

            _limiter = threadpool_limits(limits=1)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _limiter.restore_original_limits()
                _limiter = None


__all__ = ["THREAD_VARS", "one_blas_thread", "user_sets_threads"]
