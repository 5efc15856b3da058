"""CSV/TSV manifests that list a batch's recordings, with per-file options.

A manifest is a CSV or TSV file with a ``recording`` column; optional columns ``force``,
``subject`` and ``session``; any other column is a per-file option of :func:`myoemg.read` or
:func:`myoemg.analyze` (``a;b`` for a list). Relative paths are relative to the manifest.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ..utils import RecordingError
from ._layout import absolute
from ._walk import suffix

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from typing import Any

#: Columns of a manifest that are not per-file options.
MANIFEST_COLUMNS = ("recording", "force", "subject", "session")


def _is_manifest(path):
    if suffix(path) not in (".csv", ".tsv"):
        return False
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            header = fh.readline()
    except (OSError, UnicodeDecodeError):
        return False
    cols = [c.strip().lower() for c in re.split(r"[,\t;]", header)]
    return "recording" in cols


def _parse_value(text):
    text = text.strip()
    if text == "":
        return None
    if ";" in text:
        return [_parse_value(t) for t in text.split(";") if t.strip()]
    low = text.lower()
    if low in ("true", "yes"):
        return True
    if low in ("false", "no"):
        return False
    if low in ("none", "null"):
        return None
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def read_manifest(path) -> list[dict[str, Any]]:
    """Rows of a CSV/TSV manifest as dicts (``recording`` required; see :func:`discover`).

    Relative paths are relative to the manifest's folder. Empty cells are left out.
    """
    path = Path(path)
    delimiter = "\t" if suffix(path) == ".tsv" else ","
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh, delimiter=delimiter))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise RecordingError(f"cannot read the manifest {path}: {err}.") from None
    out = []
    for i, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
        rec = row.get("recording", "").strip()
        if not rec:
            raise RecordingError(f"manifest {path}, line {i}: the 'recording' cell is empty; "
                                 "give the recording's path (relative to the manifest).")
        entry = {"recording": absolute(path.parent / rec)}
        force = row.get("force", "").strip()
        if force.lower() in ("none", "false"):
            entry["force"] = False
        elif force:
            entry["force"] = absolute(path.parent / force)
        for key in ("subject", "session"):
            if row.get(key, "").strip():
                entry[key] = row[key].strip()
        options = {k: _parse_value(v) for k, v in row.items()
                   if k and k not in MANIFEST_COLUMNS}
        entry["options"] = {k: v for k, v in options.items() if v is not None}
        out.append(entry)
    return out
