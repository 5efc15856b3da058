"""The EMG step of :func:`myoemg.analyze`: after-activity, let-go ratio and discharges.

Each group of EMG channels of one rate and start is cleaned once (band-pass and mains removal,
:func:`myoemg.signal.clean_emg_rows`); the cleaned array, its moving-RMS
:class:`~myoemg.signal.envelope.Envelope` (read only in the windows asked for) and the
signal-to-noise ratio judged on that envelope are handed to every consumer: after-activity,
the let-go ratio, the discharge detector and the quality check ``low_snr``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..detect.discharges import (
    DISCHARGE_COLUMNS,
    SPIKE_TABLE_COLUMNS,
    TEMPLATE_COLUMNS,
    detect_discharges,
)
from ..detect.emg_bursts import find_emg_grips
from ..metrics import after_activity
from ..metrics.letgo import letgo_emg_ratio
from ..quality import emg_snr_db
from ..recording import Recording
from ..signal.envelope import Envelope
from ..signal.filters import clean_emg_rows
from .force_step import emg_grip_trials

#: A train searched from a release may start this much before the release estimate, s: its
#: first potential is timed by its centre, and the release by the force (ours: a snippet).
RELEASE_TOLERANCE_S = 0.01

#: Moving-RMS window of the envelope, s (ours: 50 ms, as the quality checks' SNR).
ENVELOPE_WINDOW_S = 0.05


def _empty_spikes() -> pd.DataFrame:
    return pd.DataFrame(columns=[*SPIKE_TABLE_COLUMNS, "trial"])


def _empty_templates() -> pd.DataFrame:
    return pd.DataFrame(columns=TEMPLATE_COLUMNS)


@dataclass(frozen=True)
class GripSearch:
    """Find the grips in the EMG itself (a session without force), with these options.

    Attributes
    ----------
    threshold_frac, min_hold_s : float
        As for the force (:func:`myoemg.detect.emg_bursts.find_emg_grips`).
    cues : ndarray, shape (n_cues,)
        "Relax" cue times in recording time, s, for ``reaction_s``.
    """

    threshold_frac: float
    min_hold_s: float
    cues: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class EmgResult:
    """What the EMG step returns.

    Attributes
    ----------
    after_activity_s, letgo_ratio : ndarray, shape (n_trials,)
        Longest after-activity over channels (s) and the let-go EMG ratio per trial.
    discharges, spikes, templates : DataFrame
        Unit trains, their spikes and templates, in recording time.
    notes : list of str
        For ``summary['notes']``.
    snr_db : dict of str -> float
        Activity-to-rest ratio, dB, of each analysed EMG channel, on its cleaned envelope
        (for the quality flag ``low_snr``).
    trials : DataFrame | None
        The trials found in the EMG when a :class:`GripSearch` was asked for
        (:func:`~myoemg.pipeline.force_step.emg_grip_trials`, possibly empty); None when the
        trials came from the force.
    """

    after_activity_s: np.ndarray
    letgo_ratio: np.ndarray
    discharges: pd.DataFrame
    notes: list
    spikes: pd.DataFrame = field(default_factory=_empty_spikes)
    templates: pd.DataFrame = field(default_factory=_empty_templates)
    snr_db: dict = field(default_factory=dict)
    trials: pd.DataFrame | None = None


def emg_measures(rec: Recording, trials: pd.DataFrame, *, band, mains_hz, electrode,
                 detect, rules=None, snr_channels=(),
                 grip_search: GripSearch | None = None) -> EmgResult:
    """After-activity and discharges after each release, from EMG cleaned once.

    ``rules`` (a :class:`myoemg.detect.DischargeRules`, or None for the defaults) goes to the
    discharge detector.

    ``snr_channels`` names the EMG channels whose activity-to-rest ratio the quality checks
    ask for (:attr:`myoemg.quality.RecordingChecks.needs_snr`); it is judged on their
    cleaned envelope.

    EMG channels are taken in groups of one rate and start (:meth:`Recording.channel_groups`):
    each group is filtered and measured on its own, and the tables are merged.

    With a :class:`GripSearch` (a session without force) the grips are found in the envelope
    of the first group (:func:`myoemg.detect.emg_bursts.find_emg_grips`) and replace
    ``trials`` (:attr:`EmgResult.trials`): every measure, the discharge search included, then
    starts at each grip's EMG release, as it starts at the force release otherwise. Without
    any grip in the EMG the discharges are searched in the whole recording; a note says so.
    """
    if not rec.emg:
        return EmgResult(np.full(len(trials), np.nan), np.full(len(trials), np.nan),
                         pd.DataFrame(columns=[*DISCHARGE_COLUMNS, "trial"]),
                         ["no EMG channel: discharges and after-activity not measured"])
    groups = rec.channel_groups("emg")
    notes = [n for g in groups for n in g.notes]
    if len(groups) > 1:
        notes.append("EMG analysed in {} groups of one rate and start: {}".format(
            len(groups), "; ".join(f"{', '.join(g.names)} at {g.fs:g} Hz" for g in groups)))
    per_channel, letgo_g, found, snr = [], [], [], {}
    from_emg = None
    for g in groups:
        # Filter once: the envelope, the SNR and the discharge detector share the cleaned EMG.
        cleaned, _ = clean_emg_rows(g.rows, fs=g.fs, band_hz=band, mains_hz=mains_hz)
        for i, name in enumerate(g.names):
            if name in snr_channels:
                snr[name] = emg_snr_db(None, fs=g.fs, envelope=Envelope(
                    cleaned[i], fs=g.fs, window_s=ENVELOPE_WINDOW_S))
        env = Envelope(cleaned, fs=g.fs, window_s=ENVELOPE_WINDOW_S)
        if grip_search is not None and from_emg is None:
            trials = from_emg = _grips_in_emg(rec, g, env, grip_search, notes)
        if len(trials):
            t0 = g.start_s
            rest = [(on - t0 - 1.2, on - t0 - 0.2) for on in trials["onset_s"]]
            after_g, _ = after_activity(None, fs=g.fs, release_s=trials["release_s"] - t0,
                                        window_end_s=trials["window_end_s"] - t0,
                                        rest_windows_s=rest, envelope=env)
            per_channel.append(after_g)
            letgo_g.append(letgo_emg_ratio(env, fs=g.fs, release_s=trials["release_s"] - t0,
                                           t50_s=trials["t50_s"] - t0))
        if detect:
            found.append(_discharges(cleaned, g.fs, list(g.names), g.start_s, trials,
                                     electrode, rules))
        del cleaned, env
    after = _row_nanmax(np.hstack(per_channel)) if per_channel else \
        np.full(len(trials), np.nan)  # longest over channels
    letgo = _row_nanmax(np.hstack(letgo_g)) if letgo_g else np.full(len(trials), np.nan)
    out = EmgResult(after, letgo, pd.DataFrame(columns=[*DISCHARGE_COLUMNS, "trial"]), notes,
                    snr_db=snr, trials=from_emg)
    if detect:
        out.discharges, out.spikes, out.templates = _merge_groups(found)
        out.after_activity_s = _extend_by_discharges(trials, out.discharges, after)
    return out


def _grips_in_emg(rec, group, env, search, notes):
    """Trials from the grips in one group's EMG envelope; a note says how they were found."""
    grips = find_emg_grips(env, threshold_frac=search.threshold_frac,
                           min_hold_s=search.min_hold_s)
    where = f"{', '.join(group.names)} at {group.fs:g} Hz"
    if not len(grips.trials):
        notes.append(f"no contraction found in the EMG of {rec.source_name} ({where}): "
                     f"{grips.reason}; no trial, so discharges were searched in the whole "
                     "recording")
    else:
        n_held = int(grips.trials["release_s"].isna().sum())
        held = (f"; {n_held} still held when the EMG ends has no release, so nothing is "
                "searched after it" if n_held else "")
        notes.append(
            f"grips found from the EMG, not from a force: {len(grips.trials)} burst(s) of "
            f"interference pattern in {where} (column grip_from = 'emg'); onset_s is where "
            "the EMG rises from rest, release_s where the burst's interference ends (its "
            "envelope falls through half the grip's level), and discharges are searched "
            f"from there{held}; without a force there is no relaxation time or peak force "
            "(left empty, never estimated)")
    return emg_grip_trials(grips.trials, start_s=group.start_s, cues=search.cues)


def _row_nanmax(a):
    """Per-row max ignoring NaN; NaN for an all-NaN row (no RuntimeWarning)."""
    out = np.full(a.shape[0], np.nan)
    ok = np.isfinite(a).any(axis=1)
    out[ok] = np.nanmax(a[ok], axis=1)
    return out


def _discharges(cleaned, fs, names, t0, trials, electrode, rules=None):
    """Unit trains after each release (or in the whole EMG without trials), with their trial.

    Returns the trains table and the decomposition's spikes and templates, in recording time.
    """
    if len(trials):
        windows = [(r - t0, e - t0) for r, e in zip(trials["release_s"], trials["window_end_s"],
                                                     strict=True) if np.isfinite(r) and e > r]
    else:
        windows = None  # EMG only: search the whole recording
    dec = detect_discharges(cleaned, fs=fs, ch_names=names, search_s=windows,
                            electrode=electrode, prefiltered=True, return_details=True,
                            rules=rules)
    found = dec.trains.copy()
    found[["start_s", "end_s"]] += t0
    spikes = dec.spikes.copy()
    spikes["time_s"] += t0
    found["trial"] = pd.array([pd.NA] * len(found), dtype="Int64")
    for tr in trials.itertuples(index=False):
        inside = ((found["start_s"] >= tr.release_s - RELEASE_TOLERANCE_S)
                  & (found["start_s"] < tr.window_end_s))
        found.loc[inside, "trial"] = tr.trial
    spikes["trial"] = spikes["unit"].map(found.set_index("unit")["trial"]).astype("Int64")
    return found, spikes, dec.templates


def _merge_groups(found):
    """One trains, spikes and templates table from the EMG rate groups, unit ids made unique."""
    trains, spikes, templates, offset = [], [], [], 0
    for tr, sp, tm in found:
        trains.append(tr.assign(unit=tr["unit"] + offset))
        spikes.append(sp.assign(unit=sp["unit"] + offset))
        templates.append(tm.assign(unit=tm["unit"] + offset))
        offset += int(tr["unit"].max()) + 1 if len(tr) else 0
    return tuple(pd.concat(t, ignore_index=True) for t in (trains, spikes, templates))


def _extend_by_discharges(trials, discharges, after_s):
    """After-activity lasts at least to the end of the last myotonic discharge of the trial.

    The envelope misses the waning end of a train (sparse, small spikes); the detector does not.
    """
    if not len(trials):
        return after_s
    myo = discharges[discharges["kind"] == "myotonic"]
    last_end = myo.groupby("trial")["end_s"].max()
    by_discharge = (trials["trial"].map(last_end) - trials["release_s"]).to_numpy(float)
    return np.fmax(after_s, by_discharge)


__all__ = ["ENVELOPE_WINDOW_S", "RELEASE_TOLERANCE_S", "EmgResult", "GripSearch",
           "emg_measures"]
