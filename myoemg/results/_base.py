"""What every typed result shares: ``to_dict()`` and ``to_json()``.

Results are frozen dataclasses. ``to_dict()`` gives plain Python containers (dicts, lists,
floats that may be NaN) with the field names as keys, nested results included;
``to_json()`` gives JSON text in which NaN and infinities become ``null``.

Units of force (one convention for every result): a typed force field is unit-neutral
(``peak_force_max``) only beside an explicit ``force_unit`` ('N' or 'a.u.'); its serialised
name carries the unit (:func:`force_key`: ``peak_force_max_n`` or ``peak_force_max_au``), and
the ``*_n`` properties kept for readers give the value only when it is in newtons (NaN
otherwise, :func:`newtons`). Tables (trials, events) name their columns the same way.
"""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np

from ..utils import force_suffix

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from typing import Any

#: Field metadata key: fields marked ``{SKIP: True}`` hold live objects (tables, recordings)
#: and are left out of ``to_dict()``.
SKIP = "myoemg_skip"


def plain(obj) -> Any:
    """Turn a result, numpy scalar or container into plain Python values (NaN kept)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return obj.to_dict() if hasattr(obj, "to_dict") else dataclasses.asdict(obj)
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    return obj


def jsonable(obj) -> Any:
    """Plain values made JSON-safe: NaN and infinities become None."""
    obj = plain(obj)
    if isinstance(obj, dict):
        return {k: jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def force_key(name, unit):
    """Serialised name of a force value: ``name`` + ``_n`` for newtons, else ``_au``.

    ``force_key("peak_force_max", "a.u.")`` is ``"peak_force_max_au"``: a value that is not in
    newtons is never labelled N.
    """
    return f"{name}_{force_suffix(unit)}"


def newtons(value, unit):
    """``value`` when ``unit`` is 'N', else NaN (a tuple of NaN for a tuple)."""
    if unit == "N":
        return value
    if isinstance(value, tuple):
        return tuple(math.nan for _ in value)
    return math.nan


class Result:
    """Mixin of the typed results: ``to_dict()`` and ``to_json()``."""

    def to_dict(self) -> dict:
        """The result as plain Python containers, field names as keys (NaN kept)."""
        return {f.name: plain(getattr(self, f.name)) for f in dataclasses.fields(self)  # type: ignore[arg-type]  # mixed into dataclasses
                if not f.metadata.get(SKIP)}

    def to_json(self, *, indent=2) -> str:
        """The result as JSON text (NaN and infinities as ``null``)."""
        return json.dumps(jsonable(self.to_dict()), indent=indent)


__all__ = ["SKIP", "Result", "force_key", "jsonable", "newtons", "plain"]
