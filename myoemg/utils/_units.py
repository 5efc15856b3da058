"""Physical units: recognise how files write them and convert to SI (volts, newtons).

1 kgf = 9.80665 N and 1 lbf = 4.4482216152605 N exactly (docs: domain reference, recording).
"""

from __future__ import annotations

import unicodedata

import numpy as np

from ._errors import ChannelError, UnitError
from ._logging import logger

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


def normalise_unit(unit) -> str:
    """Return a lower-case ASCII spelling: 'µV' (U+00B5) and 'μV' (U+03BC) both become 'uv'."""
    text = unicodedata.normalize("NFKC", str(unit or "")).strip()
    text = text.replace("\u03bc", "u").replace("\u00b5", "u")
    return text.lower().strip("[]() ")


def to_si(unit) -> tuple[str | None, float]:
    """Return ``(si_unit, factor)`` for a unit string, or ``(None, 1.0)`` if it is not V or N.

    Examples
    --------
    >>> to_si("µV")
    ('V', 1e-06)
    >>> to_si("kgf")
    ('N', 9.80665)
    """
    return _UNITS.get(normalise_unit(unit), (None, 1.0))


def si_factor(unit, expected) -> float:
    """Factor converting ``unit`` to ``expected`` ('V' or 'N'); :class:`UnitError` if none."""
    si, factor = to_si(unit)
    if si != expected:
        known = sorted({k for k, (s, _) in _UNITS.items() if s == expected})
        raise UnitError(f"unit {unit!r} cannot be converted to {expected}; known units are "
                        f"{known}.")
    return factor


#: Units that mean "no physical unit": the samples are counts or arbitrary numbers.
UNCALIBRATED_UNITS = {"", "a.u.", "au", "arb", "arbitrary", "count", "counts", "adc", "adu",
                      "raw", "digital", "bits", "none", "-", "unitless", "1"}


#: Pressure units: a bulb or cuff dynamometer (Martin vigorimeter) measures pressure, not force;
#: its readings are kept in arbitrary units unless calibrated (newtons per unit).
PRESSURE_UNITS = {"pa", "kpa", "hpa", "mpa", "bar", "mbar", "psi", "mmhg", "cmh2o", "inhg",
                  "torr", "atm"}


def is_pressure(unit) -> bool:
    """True when ``unit`` is a pressure ('kPa', 'psi', 'mmHg', 'bar'...)."""
    return normalise_unit(unit) in PRESSURE_UNITS


def is_uncalibrated(unit) -> bool:
    """True when ``unit`` means "no physical unit" (counts, 'a.u.', nothing)."""
    return normalise_unit(unit) in UNCALIBRATED_UNITS


def convert_to_si(data, unit, kind, *, name, source, force_unit=None, force_calibration=None,
                  emg_calibration=None) -> tuple[np.ndarray, str, str | None]:
    """Convert one channel to the SI unit of its kind: volts for EMG, newtons for force.

    The one place where myoemg converts units (readers and :meth:`Recording.set_roles` call it).
    A signal without a physical unit stays in arbitrary units ('a.u.') unless calibrated; it is
    never labelled V or N.

    Parameters
    ----------
    data : ndarray, shape (n_times,)
        Samples in ``unit``.
    unit : str
        Unit as the file writes it ('' when none).
    kind : {'emg', 'force', 'other'}
        The channel's role.
    name, source : str
        Channel and file, for messages.
    force_unit : str | None
        Unit to read a force channel in, overriding the file's ('N', 'kgf', 'lbf').
    force_calibration : float | None
        Newtons per unit of an uncalibrated force channel (negative flips a negative-going trace).
    emg_calibration : float | None
        Volts per unit of an uncalibrated EMG channel.

    Returns
    -------
    data : ndarray, shape (n_times,)
        In the SI unit, or as given when it stays uncalibrated.
    unit : str
        'V', 'N', 'a.u.' or, for 'other' channels, the unit as written.
    note : str | None
        What was converted ("EMG FDS: uV -> V"), for ``Recording.conversions``.

    Raises
    ------
    UnitError
        When ``force_unit`` is not a force unit, or a calibration is given for a channel that
        already has a physical unit.
    ChannelError
        When an EMG channel is in a force unit.
    """
    unit = (unit or "").strip()
    data = np.asarray(data, dtype=float)
    if kind == "force":
        return _force_to_si(data, unit, name, source, force_unit, force_calibration)
    if kind == "emg":
        return _emg_to_si(data, unit, name, source, emg_calibration)
    si, factor = to_si(unit)
    if si is not None:
        return data * factor, si, (None if unit == si else f"{name}: {unit} -> {si}")
    return data, ("a.u." if is_uncalibrated(unit) else unit), None


def _force_to_si(data, unit, name, source, force_unit, force_calibration):
    if force_unit is not None:
        si, _ = to_si(force_unit)
        if si != "N":
            raise UnitError(f"force_unit={force_unit!r} is not a force unit; use 'N', "
                            f"'kgf' or 'lbf' (reading {source}).")
        if normalise_unit(unit) not in ("", normalise_unit(force_unit)):
            logger.info("%s: force channel %r written as %r, read as %r (force_unit)",
                        source, name, unit, force_unit)
        unit = force_unit
    si, factor = to_si(unit)
    if si == "N":
        if force_calibration is not None:
            raise UnitError(f"force channel {name!r} of {source} is already in {unit!r}; "
                            "force_calibration is for raw volts or counts only.")
        note = None if factor == 1.0 and unit == "N" else f"{name}: {unit} -> N"
        return data * factor, "N", note
    if force_calibration is not None:
        cal = float(force_calibration)
        per = unit or "unit"
        return (data * cal, "N",
                f"{name}: {unit or 'raw'} x {cal:g} N/{per} -> N (force_calibration)")
    if is_pressure(unit):
        note = (f"{name}: pressure ({unit}), not force; kept uncalibrated (a.u.); pass "
                f"force_calibration=<newtons per {unit}> to convert")
        logger.warning("%s: force channel %r is a pressure in %r, not a force; kept in "
                       "arbitrary units (a.u.). Pass force_calibration=<newtons per %s> to "
                       "convert it.", source, name, unit, unit)
        return data, "a.u.", note
    logger.warning(
        "%s: force channel %r is in %r, not a force unit; kept uncalibrated (a.u.). Pass "
        "force_calibration=<newtons per %s> (negative to flip a negative-going trace) or "
        "force_unit='N'|'kgf'|'lbf'.", source, name, unit or "no unit", unit or "unit")
    return data, "a.u.", f"{name}: {unit or 'no unit'} kept uncalibrated (a.u.)"


def _emg_to_si(data, unit, name, source, emg_calibration):
    si, factor = to_si(unit)
    if si == "V":
        if emg_calibration is not None:
            raise UnitError(f"EMG channel {name!r} of {source} is already in {unit!r}; "
                            "emg_calibration is for raw counts only.")
        return data * factor, "V", (None if unit == "V" else f"{name}: {unit} -> V")
    if si == "N":
        raise ChannelError(f"channel {name!r} of {source} is in {unit!r}, a force unit; it "
                           "cannot be EMG. Pick another channel with emg=NAME.")
    if emg_calibration is not None:
        cal = float(emg_calibration)
        return (data * cal, "V",
                f"{name}: {unit or 'raw'} x {cal:g} V/{unit or 'unit'} -> V (emg_calibration)")
    logger.warning(
        "%s: EMG channel %r has no voltage unit (%r); kept in arbitrary units (a.u.). Pass "
        "emg_calibration=<volts per count> to calibrate it.", source, name, unit or "no unit")
    return data, "a.u.", f"{name}: {unit or 'no unit'} kept uncalibrated (a.u.)"


def force_suffix(unit) -> str:
    """Suffix of serialised force names: 'n' for newtons, 'au' for anything else.

    myoemg's one naming convention (``peak_force_n`` vs ``peak_force_au``): a force that is not
    in newtons (counts, volts, a squeeze-bulb pressure) is never labelled N.
    """
    return "n" if unit == "N" else "au"
