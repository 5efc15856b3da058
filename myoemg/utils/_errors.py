"""The exceptions myoemg raises on purpose, and the exit code of each.

Every class also inherits the built-in exception users already catch (``ValueError``,
``OSError``), so ``except ValueError`` keeps working. Messages say what was wrong, where
(file, channel, trial, time) and what to do. The CLI maps each class to an exit code
(:data:`EXIT_CODES`, :func:`exit_code`):

====  ==========================  ==============================================================
code  class                       meaning
====  ==========================  ==============================================================
0     —                           success
1     MyoemgError                 any other error myoemg raises on purpose
2     RecordingError              file missing, empty, truncated, unreadable or inconsistent
3     UnsupportedFormatError      unknown file type, or an optional package is missing
4     ChannelError                channel missing, ambiguous or of the wrong kind
5     UnitError                   unit unknown or not convertible to SI
6     SignalQualityError          signal unusable: long gaps of missing samples, nothing usable
7     NoTrialsError               the force trace holds no grip (flat, too short, too weak)
8     OutputError                 output exists already or its folder is not writable
64    —                           command-line usage error (bad or missing option)
70    any other exception         internal error: a bug in myoemg (please report it)
130   KeyboardInterrupt           interrupted
====  ==========================  ==============================================================

Signal problems that leave results usable are **flags**, not exceptions (see
:mod:`myoemg.quality`); :class:`SignalQualityError` is raised only when nothing trustworthy can
be computed.
"""

from __future__ import annotations


class MyoemgError(Exception):
    """Base of every error myoemg raises on purpose."""


class RecordingError(MyoemgError, ValueError):
    """A file is missing, unreadable, truncated, empty or internally inconsistent."""


class UnsupportedFormatError(RecordingError):
    """No reader knows this file type, or the reader needs an optional package."""


class ChannelError(MyoemgError, ValueError):
    """A channel is missing, ambiguous or of the wrong kind."""


class UnitError(MyoemgError, ValueError):
    """A physical unit is unknown or cannot be converted to SI."""


class SignalQualityError(MyoemgError, ValueError):
    """A signal is unusable: long gaps of missing samples, or nothing left worth analysing.

    Milder problems (clipping, short gaps, mains hum, slow EMG, ...) are flagged by
    :mod:`myoemg.quality` instead of raised.
    """


class NoTrialsError(MyoemgError, ValueError):
    """The force trace holds no grip."""


class OutputError(MyoemgError, OSError):
    """An output cannot be written (exists already, or the folder is not writable)."""


#: Exit codes of the command-line interface, one per error class (most specific first).
EXIT_CODES = {
    UnsupportedFormatError: 3,
    RecordingError: 2,
    ChannelError: 4,
    UnitError: 5,
    SignalQualityError: 6,
    NoTrialsError: 7,
    OutputError: 8,
    MyoemgError: 1,
}
#: Exit code of a command-line usage error (sysexits.h ``EX_USAGE``).
USAGE_ERROR = 64
#: Exit code of an unexpected exception: a bug (sysexits.h ``EX_SOFTWARE``).
INTERNAL_ERROR = 70
#: Exit code after Ctrl-C (128 + SIGINT).
INTERRUPTED = 130


def exit_code(err) -> int:
    """The CLI exit code for an exception (see the module table).

    Parameters
    ----------
    err : BaseException
        The exception.

    Returns
    -------
    code : int
        From :data:`EXIT_CODES` for a :class:`MyoemgError` (the most specific class wins),
        :data:`INTERRUPTED` for ``KeyboardInterrupt``, else :data:`INTERNAL_ERROR`.
    """
    if isinstance(err, KeyboardInterrupt):
        return INTERRUPTED
    for cls, code in EXIT_CODES.items():
        if isinstance(err, cls):
            return code
    return INTERNAL_ERROR
