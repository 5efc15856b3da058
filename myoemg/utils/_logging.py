"""The package logger and MNE-style ``verbose`` handling."""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])

logger = logging.getLogger("myoemg")
logger.addHandler(logging.NullHandler())

_LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50}


def _level(verbose):
    if verbose is None:
        return None
    if isinstance(verbose, bool):
        return logging.INFO if verbose else logging.WARNING
    if isinstance(verbose, str):
        try:
            return _LEVELS[verbose.lower()]
        except KeyError:
            raise ValueError(f"verbose must be a bool, an int or one of {list(_LEVELS)}, "
                             f"got {verbose!r}.") from None
    return int(verbose)


@contextlib.contextmanager
def use_log_level(verbose) -> Iterator[None]:
    """Temporarily set the myoemg logger to ``verbose`` (bool, level name or int)."""
    level = _level(verbose)
    if level is None:
        yield
        return
    old = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(old)


def verbose(func: F) -> F:
    """Decorate a function taking ``verbose=None`` so the logger uses that level during the call."""
    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        bound = signature.bind_partial(*args, **kwargs)
        with use_log_level(bound.arguments.get("verbose")):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature
