"""The force step of :func:`myoemg.analyze`: grips and their relaxation times.

The force is low-passed once (by the quality checks, at the default cut-off) and that trace
is handed to the grip finder and the relaxation times.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..detect.trials import find_trials
from ..metrics import relaxation_times
from ..metrics.relaxation import reaction_times
from ..signal import lowpass
from ..utils import NoTrialsError
from .tables import TRIAL_TABLE_COLUMNS

#: Force-channel labels that name a torque rather than a force (ours; see myoemg.roles).
_TORQUE_LABEL = re.compile(r"torque|moment", re.IGNORECASE)


def force_trials(rec, force_ch, flags, *, lowpass_hz, threshold_frac, min_hold_s, reference,
                 cues, filtered=None) -> tuple[pd.DataFrame, list]:
    """(trials with relaxation times in recording time, notes); empty without force.

    ``filtered`` is ``force_ch.data`` already low-passed at ``lowpass_hz`` (order 4), e.g. by
    the quality checks; low-passed here once when None.
    """
    if force_ch is None:
        note = (f"no force channel in {rec.source_name}: analysed for EMG only, without "
                "relaxation times (give a force file or name the channel with force=)")
        return empty_trials(), [note]
    if filtered is None and force_ch.n_times > 16:
        filtered = lowpass(force_ch.data, fs=force_ch.fs, cutoff_hz=lowpass_hz)
    try:
        tr = find_trials(force_ch.data, fs=force_ch.fs, threshold_frac=threshold_frac,
                         min_hold_s=min_hold_s, lowpass_hz=lowpass_hz, unit=force_ch.unit,
                         filtered=filtered)
    except NoTrialsError as err:
        raise NoTrialsError(f"{rec.source_name}, force channel {force_ch.name!r}: {err}") \
            from None
    clipped = _clipped_grips(flags, force_ch, tr)
    rt = relaxation_times(force_ch.data, tr, fs=force_ch.fs, lowpass_hz=lowpass_hz,
                          reference=reference, clipped=clipped, filtered=filtered)
    trials = tr.merge(rt, on="trial")
    time_cols = ["onset_s", "peak_s", "hold_end_s", "window_end_s", "release_s", "t90_s",
                 "t50_s", "t5_s"]
    trials[time_cols] += force_ch.start_s
    trials["reaction_s"] = reaction_times(trials["release_s"], trials["onset_s"], cues)
    trials["grip_from"] = "force"
    notes = []
    if _TORQUE_LABEL.search(force_ch.name):
        notes.append(f"force channel {force_ch.name!r} is labelled a torque: a joint torque (N m "
                     "once calibrated), not a grip force; its contractions and relaxation "
                     "times are measured the same way, but the grip's reference values and "
                     "ULN do not apply to it")
    if force_ch.unit != "N":
        notes.append(f"force channel {force_ch.name!r} is not calibrated: forces are in "
                     "arbitrary units (columns and fields ending in _au), not newtons; pass "
                     "force_calibration=<newtons per unit> or force_unit='N'|'kgf'|'lbf'")
    n_release = int((rt["reference"] == "release").sum())
    if n_release and reference == "auto":
        notes.append(f"{n_release} of {len(rt)} grips sagged below 90 % of their peak before "
                     "the let-go (or were clipped): their relaxation levels are measured from "
                     "the force at the start of the final fall (reference 'release', flagged "
                     "in rt_flag_reason; relaxation_reference='peak' gives the peak-based "
                     "numbers)")
    if cues.size:
        notes.append(f"reaction_s: release minus the last of {cues.size} 'relax' cue(s) "
                     "during each grip")
    return trials, notes


def empty_trials() -> pd.DataFrame:
    """The trials table of a session without grips: the columns, no row."""
    text = ("grip_from", "reference", "quality_flags", "rt_flag_reason")
    return pd.DataFrame({c: pd.Series(dtype=object if c in text else float)
                         for c in TRIAL_TABLE_COLUMNS})


def emg_grip_trials(grips, *, start_s, cues) -> pd.DataFrame:
    """Trials from the grips found in the EMG (no force): times, no relaxation time.

    Parameters
    ----------
    grips : DataFrame
        :attr:`myoemg.detect.emg_bursts.EmgGrips.trials`, in s from the EMG's first sample.
    start_s : float
        Recording time of that first sample, s.
    cues : ndarray, shape (n_cues,)
        "Relax" cue times (:func:`myoemg.detect.trials.find_cues`), s, for ``reaction_s``
        (the EMG release minus the cue).

    Returns
    -------
    trials : DataFrame
        ``trial``, ``grip_from`` ('emg'), ``onset_s``, ``peak_s`` (largest envelope),
        ``release_s`` (end of the interference), ``window_end_s``, ``reaction_s`` in
        recording time; ``relaxed`` unknown (NA) and every force and relaxation column NaN:
        without a force nothing of the relaxation is measured, nothing is estimated.
    """
    trials = empty_trials().reindex(range(len(grips)))
    trials["trial"] = grips["trial"].to_numpy()
    trials["grip_from"] = "emg"
    for col in ("onset_s", "peak_s", "release_s", "window_end_s"):
        trials[col] = grips[col].to_numpy(float) + start_s
    trials["relaxed"] = pd.array([pd.NA] * len(grips), dtype="boolean")
    trials["reference"] = None
    trials["rt_flag_reason"] = ""  # no relaxation, nothing of its own to flag
    trials["reaction_s"] = reaction_times(trials["release_s"], trials["onset_s"], cues)
    return trials


def _clipped_grips(flags, force_ch, trials):
    """Whether the force of each trial is clipped (quality flag) from its onset to its hold end."""
    hit = flags[(flags["channel"] == force_ch.name) & (flags["code"] == "clipped")] \
        if len(flags) else flags
    a = trials["onset_s"].to_numpy(float) + force_ch.start_s
    b = trials["hold_end_s"].to_numpy(float) + force_ch.start_s
    if not len(hit):
        return np.zeros(len(trials), bool)
    start, end = hit["start_s"].to_numpy(float), hit["end_s"].to_numpy(float)
    return ((start[None, :] < b[:, None]) & (end[None, :] > a[:, None])).any(axis=1)


__all__ = ["emg_grip_trials", "empty_trials", "force_trials"]
