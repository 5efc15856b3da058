"""The exceptions myoemg raises on purpose.

Every class also inherits the built-in exception users already catch (``ValueError``,
``OSError``), so ``except ValueError`` keeps working. Messages say what was wrong, where
(file, channel, trial) and what to do. The CLI maps each class to an exit code
(:data:`EXIT_CODES`).
"""

from __future__ import annotations


class MyoemgError(Exception):
    """Base of every error myoemg raises on purpose."""


class RecordingError(MyoemgError, ValueError):
    """A file is unreadable, truncated, empty or internally inconsistent."""


class UnsupportedFormatError(RecordingError):
    """No reader knows this file type, or the reader needs an optional package."""


class ChannelError(MyoemgError, ValueError):
    """A channel is missing, ambiguous or of the wrong kind."""


class UnitError(MyoemgError, ValueError):
    """A physical unit is unknown or cannot be converted to SI."""


class SignalQualityError(MyoemgError, ValueError):
    """A signal is unusable: NaNs, flat, clipped or sampled too slowly."""


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
