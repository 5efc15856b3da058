"""Ctrl-C and SIGTERM at any moment: one line ``myoemg: interrupted.`` and exit 130.

:func:`main <.main.main>` enters :class:`Interrupts` before it imports anything heavy, so an
interrupt while modules load, while analysing, while writing or before the last line is
printed unwinds the program as ``KeyboardInterrupt`` (``finally`` blocks run: temporary files
of atomic writes are removed, batch workers are stopped), which ``main`` turns into the line
and the exit code. Never a traceback, never death by signal:

- a second interrupt while unwinding ends the process at once (``os._exit(130)``, after
  flushing what was printed), so a stuck clean-up cannot trap the user;
- an interrupt that lands in a finaliser (``__del__``, a weakref callback), where Python can
  only print it as "Exception ignored", is re-delivered to the main program instead;
- after ``main`` returns, while the interpreter shuts down (thread joins, atexit hooks), an
  interrupt ends the process at once with the same line and code; once the last atexit hook
  has run, interrupts are ignored, because the interpreter then resets Python-level handlers
  to the default action (death by signal) for its final milliseconds.

Only the standard library is imported here (nothing that is not loaded already at start-up
besides :mod:`signal`), so installing the handlers costs well under a millisecond.
"""

import _thread
import atexit
import os
import signal
import sys

from ._exit import INTERRUPTED

MESSAGE = "myoemg: interrupted."
SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _flush_and_exit(code):
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):  # closed pipe or closed stream
            pass
    os._exit(code)


class Interrupts:
    """Context manager: SIGINT and SIGTERM raise ``KeyboardInterrupt`` inside the block.

    Parameters
    ----------
    process : bool
        True when the block is the whole process (the console script): a second interrupt
        ends the process at once, and the handlers stay installed after the block for the
        interpreter's shut-down. False (``main(argv)`` called from Python, e.g. the tests):
        the previous handlers come back when the block ends.
    """

    def __init__(self, *, process):
        self.process = process
        self.hits = 0
        self.reported = False
        self._previous = {}
        self._previous_hook = None

    def __enter__(self):
        if self.process:  # registered first, so it runs after every other atexit hook
            atexit.register(self._ignore)
        for signum in SIGNALS:
            try:
                self._previous[signum] = signal.signal(signum, self._handle)
            except ValueError:  # not the main thread: leave signals to whoever owns them
                break
        self._previous_hook = sys.unraisablehook
        sys.unraisablehook = self._unraisable
        return self

    def __exit__(self, *exc):
        sys.unraisablehook = self._previous_hook
        for signum, previous in self._previous.items():
            signal.signal(signum, self._exit_now if self.process else previous)
        return False

    @property
    def interrupted(self):
        """Whether a SIGINT or SIGTERM arrived inside the block."""
        return self.hits > 0

    def report(self):
        """Print :data:`MESSAGE` on stderr (once) and return :data:`INTERRUPTED`."""
        if self.reported:
            return INTERRUPTED
        # Signals wait while the line is written, so a second Ctrl-C can neither cut it nor
        # print it twice; it is delivered (and ends the process) right after.
        blocked = hasattr(signal, "pthread_sigmask")
        if blocked:
            signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        try:
            print(MESSAGE, file=sys.stderr, flush=True)
        except (OSError, ValueError):  # stderr closed: the exit code still says it
            pass
        finally:
            self.reported = True
            if blocked:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
        return INTERRUPTED

    def _handle(self, signum, frame):
        self.hits += 1
        if self.hits == 1 or not self.process:
            raise KeyboardInterrupt
        self.report()  # a second interrupt while unwinding: stop now
        _flush_and_exit(INTERRUPTED)

    def _exit_now(self, signum, frame):
        self.report()
        _flush_and_exit(INTERRUPTED)

    def _ignore(self):
        for signum in self._previous:
            signal.signal(signum, signal.SIG_IGN)

    def _unraisable(self, unraisable):
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            # The interrupt hit a finaliser, which swallows it; deliver it again to the main
            # program (the handler runs at its next bytecode) as if it were the first.
            self.hits = 0
            _thread.interrupt_main(signal.SIGINT)
            return
        self._previous_hook(unraisable)
