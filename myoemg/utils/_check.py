"""Input validation shared by every layer (after MNE's ``mne/utils/check.py``)."""

from __future__ import annotations

import difflib
import importlib
import math
from collections.abc import Iterable

import numpy as np

from ._errors import ChannelError, SignalQualityError, UnsupportedFormatError


def validate_fs(fs, name="fs"):
    """Return ``fs`` as a float after checking it is a finite rate above zero, in Hz."""
    if fs is None:
        raise ValueError(f"{name} (sampling rate in Hz) is required; got None.")
    try:
        value = float(fs)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number in Hz, got {type(fs).__name__}.") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite rate above 0 Hz, got {fs!r}.")
    return value


def check_option(parameter, value, allowed):
    """Raise a ``ValueError`` listing the allowed values unless ``value`` is one of them."""
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(
            f"Invalid value for the {parameter!r} parameter: allowed are {options}, "
            f"but got {value!r} instead."
        )
    return value


def as_2d(data, name="data"):
    """Return ``data`` as a float array of shape (n_channels, n_times) and whether it was 1-D.

    Raises
    ------
    SignalQualityError
        If the array holds NaN or infinite values (never filled in silently).
    """
    arr = np.asarray(data, dtype=float)
    if arr.ndim not in (1, 2):
        raise ValueError(f"{name} must have shape (n_times,) or (n_channels, n_times), "
                         f"got shape {arr.shape}.")
    was_1d = arr.ndim == 1
    arr = np.atleast_2d(arr)
    bad = ~np.isfinite(arr)
    if bad.any():
        ch, idx = np.nonzero(bad)
        raise SignalQualityError(
            f"{name} holds {bad.sum()} NaN or infinite samples (first in row {ch[0]}, "
            f"sample {idx[0]}); interpolate or cut them out before analysis."
        )
    return arr, was_1d


def suggest(name, options: Iterable[str]):
    """Return ``" Did you mean 'x'?"`` for the closest option, or an empty string."""
    close = difflib.get_close_matches(str(name), [str(o) for o in options], n=1, cutoff=0.5)
    return f" Did you mean {close[0]!r}?" if close else ""


def missing_channel(kind, name, available, source=None):
    """Build the :class:`ChannelError` for a channel that is not there."""
    where = f" in {source}" if source else ""
    return ChannelError(
        f"{kind} channel {name!r} not found{where}; channels are {list(available)}."
        f"{suggest(name, available)}"
    )


def soft_import(name, purpose, extra=None):
    """Import an optional module or raise an error naming what to install."""
    try:
        return importlib.import_module(name)
    except ImportError:
        pip = f"myoemg[{extra}]" if extra else name
        raise UnsupportedFormatError(
            f"For {purpose} to work, the module {name} is needed; install it with "
            f"'pip install {pip}'."
        ) from None
