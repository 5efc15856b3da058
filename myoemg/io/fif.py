"""MNE's FIF files (``.fif``, ``.fif.gz``).

A FIF written from a Recording (``rec.to_mne().save(...)``) restores each channel's kind, unit
and rate exactly; others are read as in :func:`myoemg.io.read_raw`.
"""

from __future__ import annotations

from ..utils import RecordingError, soft_import
from ._common import check_path, reading
from .mne_raw import read_raw


def read_fif(path, *, emg=None, force_channel=None, force_unit=None, force_calibration=None,
             emg_calibration=None, keep_identifiers=False):
    """Read a raw FIF file into a Recording.

    Parameters
    ----------
    path : str | Path
        The ``.fif`` or ``.fif.gz`` file (raw data, not epochs or evoked).
    emg, force_channel, force_unit, force_calibration, emg_calibration, keep_identifiers
        See :func:`myoemg.io.read`.

    Returns
    -------
    Recording
    """
    mne = soft_import("mne", "reading FIF files")
    path = check_path(path)
    with reading(path, "FIF"):
        try:
            raw = mne.io.read_raw_fif(path, preload=True, verbose="error")
        except ValueError as err:
            raise RecordingError(f"{path} is not a raw FIF recording ({err}); epochs and "
                                 "evoked files hold no continuous recording.") from None
        if raw.n_times == 0:
            raise RecordingError(f"{path} holds no samples.")
    return read_raw(raw, emg=emg, force_channel=force_channel, force_unit=force_unit,
                    force_calibration=force_calibration, emg_calibration=emg_calibration,
                    keep_identifiers=keep_identifiers, source=str(path))
