"""Dynamometer exports: one force column beside a time column, unit in the header.

:func:`read_force_csv` reads a force file that goes with a separate EMG file (see
:func:`myoemg.io.read` and :mod:`myoemg.io.align`); :func:`write_force_csv` writes one
(``time_s,force_kgf``), as the simulator and the bundled samples do.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..recording import Channel
from ..roles import infer_kind
from ..utils import ChannelError, UnitError, atomic_path, logger, missing_channel, si_factor
from ..utils import validate_fs as _validate_fs
from ._common import build_recording, check_path, reading
from .text import parse_table

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ..recording import Recording


def read_force_csv(path, *, force_channel=None, force_unit=None, force_calibration=None,
                   fs=None, time_column=None, keep_identifiers=False) -> Recording:
    """Read the force column of a dynamometer CSV/TSV export.

    Parameters
    ----------
    path : str | Path
        The text export (see :mod:`myoemg.io.text` for the layout rules).
    force_channel : str | None
        Column holding the force. By default the single signal column, or the one whose name or
        unit says force ('Grip', 'force_kgf', 'Force (N)').
    force_unit : str | None
        Unit of the force column when its name does not say ('N', 'kgf', 'lbf'); overrides it
        otherwise.
    force_calibration : float | None
        Newtons per unit for raw volts or counts (negative flips a negative-going trace).
    fs : float | None
        Rate in Hz when the file has no time column.
    time_column : str | None
        Name of the time column.
    keep_identifiers : bool
        Keep identifying header fields.

    Returns
    -------
    Recording
        One force channel (kind 'force', unit 'N' or 'a.u.'); ``start_s`` is the first value of
        the time column, in seconds.

    Raises
    ------
    ChannelError
        When several columns could be the force and none is named.
    """
    path = check_path(path, "force")
    with reading(path, "force CSV/TSV"):
        raws, start_time, _ = parse_table(path, fs=fs, time_column=time_column)
    names = [r.name for r in raws]
    headers = [r.hint for r in raws]
    if force_channel is not None:
        if force_channel in headers:
            force_channel = names[headers.index(force_channel)]
        if force_channel not in names:
            raise missing_channel("force", force_channel, names, str(path))
        chosen = force_channel
    elif len(raws) == 1:
        chosen = names[0]
    else:
        candidates = [r.name for r in raws if infer_kind(r.name, r.unit) == "force"]
        if len(candidates) != 1:
            raise ChannelError(
                f"{path} has {len(raws)} signal columns {headers} and "
                f"{'several' if candidates else 'none'} look like force; pass "
                "force_channel=NAME.")
        chosen = candidates[0]
    raws = [r for r in raws if r.name == chosen]
    raws[0].kind = "force"
    return build_recording(path, raws, start_time=start_time, keep_identifiers=keep_identifiers,
                           force_channel=chosen, force_unit=force_unit,
                           force_calibration=force_calibration)


def write_force_csv(channel_or_array, path, *, fs=None, unit="N", start_s=0.0, name="force",
                    overwrite=False) -> Path:
    """Write a dynamometer-style CSV: a ``time_s`` column and a force column named with its unit.

    Parameters
    ----------
    channel_or_array : Channel | ndarray, shape (n_times,)
        Force in newtons (a :class:`~myoemg.Channel` of kind 'force' in 'N', or an array).
    path : str | Path
        Output ``.csv`` (or ``.tsv``: tab-separated).
    fs : float
        Sampling rate in Hz (taken from the channel when one is given).
    unit : {'N', 'kgf', 'lbf'}
        Unit to write; values are converted from newtons (1 kgf = 9.80665 N, 1 lbf =
        4.4482216152605 N) and the column is named ``force_<unit>``.
    start_s : float
        Time of the first sample in seconds (the time column starts there; a channel's own
        ``start_s`` is added).
    name : str
        Column name before the unit suffix.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    Path
        The file written (atomically).

    Examples
    --------
    A file reading ``time_s,force_kgf`` / ``0.000000,0.1234`` / ...
    """
    if isinstance(channel_or_array, Channel):
        ch = channel_or_array
        if ch.unit != "N":
            raise UnitError(f"channel {ch.name!r} is in {ch.unit!r}; write_force_csv writes "
                            "force in N (or converted from N).")
        data, rate, start = ch.data, ch.fs, start_s + ch.start_s
        if fs is not None and abs(float(fs) - rate) > 1e-9 * rate:
            raise ValueError(f"fs={fs} disagrees with channel {ch.name!r} ({rate} Hz).")
    else:
        data = np.asarray(channel_or_array, dtype=float)
        if data.ndim != 1:
            raise ValueError(f"force must be 1-D, got shape {data.shape}.")
        rate, start = _validate_fs(fs, "fs"), float(start_s)
    factor = si_factor(unit, "N")
    path = Path(path)
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    t = start + np.arange(data.size) / rate
    values = data / factor
    table = np.column_stack([t, values])
    with atomic_path(path, overwrite=overwrite) as tmp:
        np.savetxt(tmp, table, fmt=["%.9f", "%.10g"], delimiter=sep,
                   header=f"time_s{sep}{name}_{unit}", comments="", encoding="utf-8")
    logger.info("Wrote %s: %d samples at %g Hz, force in %s", path, data.size, rate, unit)
    return path


__all__ = ["read_force_csv", "write_force_csv"]
