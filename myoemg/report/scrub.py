"""De-identification of the report: identifier values redacted wherever they occur."""

from __future__ import annotations

import copy
import dataclasses
import re

REDACTED = "[redacted]"
#: A pointer into the documentation's domain reference ("docs: domain reference, relaxation"):
#: the report cites the papers themselves, so the pointer is left out of it.
_DOCS_REF = re.compile(r"\s*[;,]?\s*docs: domain reference, [a-z -]*[a-z]")


def _secrets(identifiers):
    """Strings to redact: every identifier value, and each name-like word in it (≥ 3 letters)."""
    values = []

    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple, set)):
            for x in v:
                walk(x)
        elif v is not None and str(v).strip():
            values.append(str(v).strip())

    walk(identifiers or {})
    words = {w for v in values for w in re.findall(r"[^\W\d_]{3,}", v)}  # letters only
    return sorted(set(values), key=len, reverse=True), sorted(words, key=len, reverse=True)


class Scrubber:
    """Replace identifying strings by :data:`REDACTED` (case-insensitive).

    Parameters
    ----------
    identifiers : dict
        ``Recording.identifiers`` (patient name, birth date, ...).
    enabled : bool
        False shows everything (the report was asked to identify the patient).
    """

    def __init__(self, identifiers, enabled):
        values, words = _secrets(identifiers) if enabled else ([], [])
        parts = [re.escape(v) for v in values] + [rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])"
                                                  for w in words]
        self._re = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def __call__(self, text):
        if text is None:
            return ""
        text = str(text)
        return self._re.sub(REDACTED, text) if self._re else text


def cite(text):
    """``text`` without pointers to the docs' domain reference (the report names the sources)."""
    return _DOCS_REF.sub("", str(text or "")).replace("()", "").replace("( ", "(").strip()


def deidentified_recording(rec, scrub):
    """A shallow copy whose channel names are scrubbed (the figures show channel names)."""
    if rec is None:
        return None
    out = copy.copy(rec)
    out.channels = [dataclasses.replace(ch, name=scrub(ch.name)) for ch in rec.channels]
    return out


__all__ = ["REDACTED", "Scrubber", "cite", "deidentified_recording"]
