"""Stopping a batch early: Ctrl-C and SIGTERM as flags, never as exceptions mid-bookkeeping.

While a batch runs (main thread only), SIGINT and SIGTERM are counted instead of raising
``KeyboardInterrupt`` wherever the driver happens to be: the first stops new recordings from
starting and lets the running ones finish, the second abandons them. The dispatch loops poll
the flags, so the tables and the manifest are always written for what finished. Signals the
caller ignores (``SIG_IGN``, e.g. a background job) stay ignored.
"""

from __future__ import annotations

import contextlib
import signal
import threading

from ..utils import logger


class Stop:
    """Why a batch stops early.

    Attributes
    ----------
    hits : int
        Interrupts received (Ctrl-C, SIGTERM).
    fatal : Exception | None
        The output error after which nothing more can be written (disk full, ...).
    raise_on_second : bool
        Raise ``KeyboardInterrupt`` at the second hit (set while the driver itself analyses a
        recording, which it can only abandon by unwinding).
    """

    def __init__(self):
        self.hits = 0
        self.fatal = None
        self.raise_on_second = False

    @property
    def requested(self):
        """Start no new recording."""
        return self.hits > 0 or self.fatal is not None

    @property
    def abandon(self):
        """Give up the recordings in progress too."""
        return self.hits >= 2

    def hit(self, *_):
        """Count one interrupt (the signal handler)."""
        self.hits += 1
        if self.hits == 1:
            logger.warning("Interrupted: no new recording is started; the running ones finish "
                           "(Ctrl-C again to abandon them).")
        elif self.raise_on_second:
            raise KeyboardInterrupt


@contextlib.contextmanager
def signals_counted(stop):
    """Within the block, SIGINT and SIGTERM call ``stop.hit`` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = {}
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            current = signal.getsignal(sig)
            if current in (signal.SIG_IGN, None):  # ignored by the caller, or not ours to touch
                continue
            previous[sig] = signal.signal(sig, stop.hit)
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
