"""Input validation shared by every layer (after MNE's ``mne/utils/check.py``)."""

from __future__ import annotations

import difflib
import importlib
import math
from collections.abc import Iterable
from types import ModuleType

import numpy as np

from ._errors import ChannelError, SignalQualityError, UnsupportedFormatError

#: Plausible sampling rates of any channel, in Hz (ours). Below 1 mHz (one sample in 17
#: minutes) a "signal" is no signal: the slowest real channels seen are 1/30 Hz sleep-stage
#: channels of EDF files. Above 1 MHz: 20 times the fastest needle-EMG rates (10–50 kHz,
#: docs: domain reference, recording) and beyond any biopotential or force amplifier; such a rate
#: comes from a damaged header, and filter design breaks down at either extreme (1e-300 and 1e300 Hz
#: give singular filters).
FS_RANGE_HZ = (1e-3, 1e6)


def validate_fs(fs, name="fs") -> float:
    """Return ``fs`` as a float after checking it is a plausible rate in Hz.

    Raises
    ------
    ValueError
        None, not finite, at or below 0, or outside :data:`FS_RANGE_HZ` (1 mHz to 1 MHz); the
        message names the parameter.
    TypeError
        Not a number.
    """
    if fs is None:
        raise ValueError(f"{name} (sampling rate in Hz) is required; got None.")
    if isinstance(fs, bool):
        raise TypeError(f"{name} must be a number in Hz, got a bool.")
    try:
        value = float(fs)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number in Hz, got {type(fs).__name__}.") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite rate above 0 Hz, got {fs!r}.")
    lo, hi = FS_RANGE_HZ
    if not lo <= value <= hi:
        raise ValueError(f"{name} = {value:g} Hz is outside the plausible range of sampling "
                         f"rates ({lo:g} Hz to {hi:g} Hz); check the rate and its unit.")
    return value


def validate_positive(value, name, unit="s") -> float:
    """Return ``value`` as a float after checking it is finite and above 0 (a duration, ...).

    Raises
    ------
    ValueError
        Not finite, or at or below 0; the message names the parameter.
    TypeError
        Not a number.
    """
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number in {unit}, got a bool.")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number in {unit}, got "
                        f"{type(value).__name__}.") from None
    if not math.isfinite(out) or out <= 0:
        raise ValueError(f"{name} must be a finite number of {unit} above 0, got {value!r}.")
    return out


def summarise_names(names, *, head=5, tail=2) -> str:
    """A list of names for a message, summarised when long (the first, '…', the last, the count).

    Examples
    --------
    >>> summarise_names(["a", "b"])
    "['a', 'b']"
    >>> summarise_names([f"ch{i}" for i in range(3000)])
    "['ch0', 'ch1', 'ch2', 'ch3', 'ch4', …, 'ch2998', 'ch2999'] (3000 in all)"
    """
    names = [str(n) for n in names]
    if len(names) <= head + tail + 1:
        return repr(names)
    shown = ", ".join(repr(n) for n in names[:head])
    last = ", ".join(repr(n) for n in names[-tail:]) if tail else ""
    return f"[{shown}, …{', ' + last if last else ''}] ({len(names)} in all)"


def check_option(parameter, value, allowed) -> None:
    """Raise a ``ValueError`` listing the allowed values unless ``value`` is one of them."""
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(
            f"Invalid value for the {parameter!r} parameter: allowed are {options}, "
            f"but got {value!r} instead."
        )
    return value


#: Samples checked at a time by :func:`all_finite` (ours: 2**16, as the signal blocks).
_FINITE_BLOCK = 1 << 16


def all_finite(x) -> bool:
    """Whether every value of ``x`` is finite, checked a block at a time along the last axis.

    ``np.isfinite(x).all()`` without its full-size boolean temporary (hours of EMG).
    """
    x = np.asarray(x)
    n = x.shape[-1] if x.ndim else 1
    if x.ndim == 0 or n <= _FINITE_BLOCK:
        return bool(np.isfinite(x).all())
    return all(np.isfinite(x[..., a:a + _FINITE_BLOCK]).all() for a in range(0, n, _FINITE_BLOCK))


def as_2d(data, name="data") -> tuple[np.ndarray, bool]:
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
    if not all_finite(arr):
        bad = ~np.isfinite(arr)
        ch, idx = np.nonzero(bad)
        raise SignalQualityError(
            f"{name} holds {bad.sum()} NaN or infinite samples (first in row {ch[0]}, "
            f"sample {idx[0]}); interpolate or cut them out before analysis."
        )
    return arr, was_1d


def suggest(name, options: Iterable[str]) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest option, or an empty string."""
    close = difflib.get_close_matches(str(name), [str(o) for o in options], n=1, cutoff=0.5)
    return f" Did you mean {close[0]!r}?" if close else ""


def missing_channel(kind, name, available, source=None) -> ChannelError:
    """Build the :class:`ChannelError` for a channel that is not there."""
    where = f" in {source}" if source else ""
    return ChannelError(
        f"{kind} channel {name!r} not found{where}; channels are "
        f"{summarise_names(list(available))}."
        f"{suggest(name, available)}"
    )


def soft_import(name, purpose, extra=None) -> ModuleType:
    """Import an optional module or raise an error naming what to install."""
    try:
        return importlib.import_module(name)
    except ImportError:
        pip = f"myoemg[{extra}]" if extra else name
        raise UnsupportedFormatError(
            f"For {purpose} to work, the module {name} is needed; install it with "
            f"'pip install {pip}'."
        ) from None
