"""What a header claims, checked before anything is allocated or computed from it.

Every reader parses the few header fields that size its arrays or set its rates and checks
them here: counts (signals, samples, records) against the real file size, rates against a
plausible range, free-text fields against the values myoemg knows. Each check raises a
:class:`~myoemg.utils.RecordingError` that names the file and the field, so a damaged header
gives one clear message, never a ``MemoryError``, a ``ZeroDivisionError`` or a rate of 1e-30 Hz.
"""

from __future__ import annotations

import math
import re

from ..utils import FS_RANGE_HZ, RecordingError

#: Most signals a header may declare (ours): far above any EMG or polysomnography montage
#: (high-density EMG grids have 64–256 electrodes); each is still checked against the file size.
MAX_SIGNALS = 4096

#: Electrode types myoemg knows, and the words a header may use for them.
_ELECTRODES = {"surface": "surface", "semg": "surface", "skin": "surface",
               "needle": "needle", "concentric": "needle", "monopolar": "needle",
               "intramuscular": "needle", "fine-wire": "needle", "wire": "needle"}


def _where(path, field, channel):
    ch = f" of channel {channel!r}" if channel is not None else ""
    return f"{path}: the header field '{field}'{ch}"


def header_number(text, path, field, *, channel=None, integer=False):
    """Parse a header value as a number, or raise a RecordingError naming the field."""
    raw = text.decode("latin-1") if isinstance(text, bytes) else str(text)
    raw = raw.strip()
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        what = "a whole number" if integer else "a number"
        raise RecordingError(f"{_where(path, field, channel)} holds {raw!r}, not {what}; the "
                             "file is damaged or not of this format.") from None
    return value


def check_count(value, path, field, *, lo=0, hi=None, channel=None):
    """An integer a header claims, within [lo, hi], or a RecordingError naming the field."""
    if not isinstance(value, int):
        value = header_number(value, path, field, channel=channel, integer=True)
    if value < lo or (hi is not None and value > hi):
        rng = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise RecordingError(f"{_where(path, field, channel)} claims {value}; it must be "
                             f"{rng}. The header is damaged.")
    return value


def check_rate(fs, path, field, *, channel=None, detail=""):
    """A sampling rate (Hz) computed from header fields, or a RecordingError naming them.

    Impossible rates (not finite, at or below 0) and absurd ones (outside
    :data:`myoemg.utils.FS_RANGE_HZ`, 1 mHz to 1 MHz) are refused.
    """
    try:
        value = float(fs)
    except (TypeError, ValueError):
        value = math.nan
    extra = f" ({detail})" if detail else ""
    if not math.isfinite(value) or value <= 0:
        raise RecordingError(f"{_where(path, field, channel)} gives an impossible sampling rate "
                             f"of {fs!r} Hz{extra}; the header is damaged.")
    lo, hi = FS_RANGE_HZ
    if not lo <= value <= hi:
        raise RecordingError(f"{_where(path, field, channel)} gives a sampling rate of "
                             f"{value:g} Hz{extra}, outside the plausible {lo:g} Hz to {hi:g} "
                             "Hz of any recording; the header is damaged.")
    return value


def check_claimed_bytes(path, what, need, have, *, data_file=None):
    """Refuse a header that claims more bytes than the file holds (before reading them)."""
    if need > have:
        target = data_file or path
        raise RecordingError(f"{target} is truncated or its header is wrong: {what} take "
                             f"{need} bytes, the file has {have}"
                             f"{f' (header {path})' if data_file else ''}.")


def check_electrode(value, path, field="electrode"):
    """'surface' or 'needle' from a header's electrode field, or a RecordingError."""
    text = str(value).strip().lower()
    words = re.findall(r"[a-z\-]+", text)
    found = {_ELECTRODES[w] for w in words if w in _ELECTRODES}
    if len(found) == 1:
        return found.pop()
    raise RecordingError(f"{path}: the header field '{field}' says {str(value)[:60]!r}; "
                         "myoemg knows 'surface' and 'needle' electrodes. Correct the field "
                         "(or remove it and pass electrode= to myoemg.analyze).")


__all__ = ["MAX_SIGNALS", "check_claimed_bytes", "check_count", "check_electrode",
           "check_rate", "header_number"]
