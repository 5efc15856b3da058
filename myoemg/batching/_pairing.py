"""The pairing rule: which file beside a recording is its force file.

A file named like one of the patterns (``{stem}`` = the recording's file name without its
extension) beside a recording is that recording's force file, and never a recording of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

from ._walk import suffix

#: Default pairing rule (``myoemg.batching.DEFAULT_FORCE_PATTERNS``).
DEFAULT_FORCE_PATTERNS = ("{stem}_force.csv", "{stem}_force.tsv", "{stem}_force.txt")


def _strip_suffix(name):
    ext = suffix(name)
    return name[: len(name) - len(ext)] if ext else name


def _pattern_regex(patterns):
    parts = []
    for p in patterns:
        if "{stem}" not in p:
            raise ValueError(f"force pattern {p!r} must contain '{{stem}}', e.g. "
                             "'{stem}_force.csv'.")
        parts.append(re.escape(p).replace(re.escape("{stem}"), ".+"))
    return re.compile("^(?:" + "|".join(parts) + ")$", re.I) if parts else None


def is_force_partner(path, patterns=DEFAULT_FORCE_PATTERNS) -> bool:
    """Whether ``path`` is named like a force file by the pairing rule ``patterns``.

    Parameters
    ----------
    path : str | Path
        A file name or path.
    patterns : sequence of str
        Name templates with ``{stem}`` (see :data:`DEFAULT_FORCE_PATTERNS`).

    Returns
    -------
    bool
    """
    rx = _pattern_regex(patterns)
    return bool(rx and rx.match(Path(path).name))


def force_partner(recording, patterns=DEFAULT_FORCE_PATTERNS) -> Path | None:
    """The force file beside ``recording`` by the pairing rule, or None.

    Parameters
    ----------
    recording : str | Path
        The recording file.
    patterns : sequence of str
        Name templates with ``{stem}``, tried in order; the first existing file wins.

    Returns
    -------
    Path | None
    """
    recording = Path(recording)
    stem = _strip_suffix(recording.name)
    for pattern in patterns:
        cand = recording.with_name(pattern.format(stem=stem))
        if cand.is_file() and cand != recording:
            return cand
    return None
