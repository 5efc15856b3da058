"""Physical units: recognise how files write them and convert to SI (volts, newtons).

1 kgf = 9.80665 N and 1 lbf = 4.4482216152605 N exactly (SPEC.md §1).
"""

from __future__ import annotations

import unicodedata

from ._errors import UnitError

KGF_N = 9.80665
LBF_N = 4.4482216152605

# normalised spelling -> (SI unit, factor to SI)
_UNITS = {
    "v": ("V", 1.0), "volt": ("V", 1.0), "volts": ("V", 1.0),
    "mv": ("V", 1e-3), "millivolt": ("V", 1e-3), "millivolts": ("V", 1e-3),
    "uv": ("V", 1e-6), "microvolt": ("V", 1e-6), "microvolts": ("V", 1e-6),
    "nv": ("V", 1e-9),
    "n": ("N", 1.0), "newton": ("N", 1.0), "newtons": ("N", 1.0),
    "kn": ("N", 1e3), "dan": ("N", 10.0),
    "kgf": ("N", KGF_N), "kg": ("N", KGF_N), "kp": ("N", KGF_N),
    "lbf": ("N", LBF_N), "lb": ("N", LBF_N), "lbs": ("N", LBF_N),
}


def normalise_unit(unit):
    """Return a lower-case ASCII spelling: 'µV' (U+00B5) and 'μV' (U+03BC) both become 'uv'."""
    text = unicodedata.normalize("NFKC", str(unit or "")).strip()
    text = text.replace("\u03bc", "u").replace("\u00b5", "u")
    return text.lower().strip("[]() ")


def to_si(unit):
    """Return ``(si_unit, factor)`` for a unit string, or ``(None, 1.0)`` if it is not V or N.

    Examples
    --------
    >>> to_si("µV")
    ('V', 1e-06)
    >>> to_si("kgf")
    ('N', 9.80665)
    """
    return _UNITS.get(normalise_unit(unit), (None, 1.0))


def si_factor(unit, expected):
    """Factor converting ``unit`` to ``expected`` ('V' or 'N'); :class:`UnitError` if none."""
    si, factor = to_si(unit)
    if si != expected:
        known = sorted({k for k, (s, _) in _UNITS.items() if s == expected})
        raise UnitError(f"unit {unit!r} cannot be converted to {expected}; known units are "
                        f"{known}.")
    return factor
