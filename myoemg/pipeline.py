"""``analyze``: the one place where readers, detectors and metrics meet.

``analyze(recording) -> Analysis`` finds the grips in the force trace, measures relaxation times,
the EMG after-activity and the myotonic discharges after each release, and labels the warm-up
pattern. It runs as steps that each return their piece — quality, trials, EMG measures, the
session numbers — and assembles one :class:`~myoemg.results.Analysis` at the end; nothing edits
a shared dict.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ._version import __version__
from .detect.discharges import (
    DISCHARGE_COLUMNS,
    SPIKE_TABLE_COLUMNS,
    TEMPLATE_COLUMNS,
    detect_discharges,
)
from .detect.trials import CUE_PATTERN, find_cues, find_trials
from .grading import grade_severity, resolve_uln
from .metrics import after_activity, relaxation_times, warmup_summary
from .metrics.letgo import letgo_emg_ratio, voluntary_letgo
from .metrics.relaxation import REFERENCES, reaction_times
from .quality import (
    QUALITY_TRIAL_COLUMNS,
    check_recording,
    quality_summary,
    trial_quality,
    usable_emg,
)
from .recording import Recording
from .results import Analysis, Summary
from .signal import EMG_BANDS_HZ, FORCE_LOWPASS_HZ, clean_emg, moving_rms
from .utils import (
    ChannelError,
    NoTrialsError,
    SignalQualityError,
    check_option,
    force_suffix,
    logger,
    verbose,
)


def trial_table_columns(force_unit="N"):
    """Columns of ``Analysis.trials`` (and ``trials.csv``), in order, for a force in ``unit``.

    Force columns carry the unit: ``peak_force_n`` / ``baseline_n`` / ``ref_force_n`` for a
    force in newtons, ``peak_force_au`` / ``baseline_au`` / ``ref_force_au`` otherwise.
    """
    sfx = force_suffix(force_unit)
    return ["trial", "onset_s", "release_s", "peak_s", f"peak_force_{sfx}", f"baseline_{sfx}",
            "rt90_5_s", "rt90_50_s", "rt50_5_s", "relaxed", "t90_s", "t50_s", "t5_s",
            "window_end_s",
            # relaxation reference, sag and optional times (myoemg.metrics.relaxation)
            "reference", f"ref_force_{sfx}", "sag_pct", "rt100_5_s", "rt100_50_s", "reaction_s",
            "after_activity_s", "letgo_emg_ratio", "myotonic", "discharge_count",
            "n_myotonic_units", "myotonic_start_s", "myotonic_end_s",
            *QUALITY_TRIAL_COLUMNS]  # quality: see myoemg.quality.trial_quality


#: Columns of ``Analysis.trials`` for a force in newtons.
TRIAL_TABLE_COLUMNS = trial_table_columns("N")



@verbose
def analyze(recording, *, emg=None, force=None, electrode=None, detect=True,
            band_hz=None, mains_hz="auto", force_lowpass_hz=FORCE_LOWPASS_HZ,
            trial_threshold_frac=0.3, min_hold_s=1.0, relaxation_reference="auto",
            cue_pattern=CUE_PATTERN, cue_channel=None, grading=None, verbose=None):
    """Analyse a grip session: trials, relaxation times, EMG after-activity, discharges.

    Parameters
    ----------
    recording : Recording | mne.io.BaseRaw | str | Path
        The session: a Recording, an MNE Raw (read with :func:`myoemg.io.read`), or a file
        path (read with :func:`myoemg.read` and its defaults).
    emg : str | list of str | None
        EMG channel name(s) to analyse, overriding the roles found on load.
    force : str | None
        Force channel name, overriding the role found on load.
    electrode : {'surface', 'needle'} | None
        EMG electrode type; default from ``recording.metadata['electrode']``, else 'surface'.
        Sets the EMG band (surface 20–450 Hz, needle 10 Hz–10 kHz; SPEC.md §6).
    detect : bool
        Run the myotonic-discharge detector (default True).
    band_hz : (float, float) | None
        EMG band in Hz, overriding the electrode default.
    mains_hz : 'auto' | float | None
        Mains frequency to remove from the EMG ('auto' detects 50 vs 60 Hz).
    force_lowpass_hz : float
        Force low-pass before crossings, Hz (SPEC.md §2).
    trial_threshold_frac, min_hold_s : float
        Grip detection thresholds (see :func:`myoemg.detect.trials.find_trials`).
    relaxation_reference : {'auto', 'peak', 'release'}
        What the 90/50/5 % levels are percentages of (:mod:`myoemg.metrics.relaxation`):
        'auto' measures a grip that sagged below 90 % of its peak before the let-go (or is
        clipped) from the force at the release and flags it; 'peak' gives the classic QMA
        numbers; 'release' always measures from the release.
    cue_pattern : str
        Regular expression of the "relax" cue in event texts and trigger-channel names, for
        ``reaction_s`` (:func:`myoemg.detect.trials.find_cues`).
    cue_channel : str | None
        A trigger channel whose rising edges are the cues, whatever its name.
    grading : dict | None
        Options of :func:`myoemg.grading.grade_severity`, e.g. ``{"uln_rt90_5_s": 0.5}`` or
        ``{"device_type": "qma"}``; by default the ULN follows ``metadata['device']``.
    verbose : bool | str | int | None
        Log level for this call.

    Returns
    -------
    analysis : Analysis

    Raises
    ------
    TypeError
        When ``recording`` is none of the accepted types.
    NoTrialsError
        When the recording has a force channel but no grip is found in it.
    ChannelError
        When the named channels do not exist, or the recording has neither EMG nor force.

    Notes
    -----
    A negative-going force trace (quality flag ``force_inverted``) is analysed flipped
    (``summary.force_flipped``, a note and a line in ``summary.conversions``). A force that is
    not in newtons is reported in arbitrary units: its columns and fields end in ``_au``.
    """
    rec = _as_recording(recording)
    if emg is not None or force is not None:
        rec = rec.set_roles(emg=emg, force=force)
    electrode = electrode or rec.metadata.get("electrode") or "surface"
    check_option("electrode", electrode, ("surface", "needle"))
    band = tuple(band_hz) if band_hz is not None else EMG_BANDS_HZ[electrode]
    # Quality (myoemg.quality): short NaN gaps filled and flagged, long ones refused; EMG that
    # cannot be analysed set aside; flags go to summary.quality and the trials table.
    rec, flags = check_recording(rec, electrode=electrode)
    rec, flags, flip_notes = _upright_force(rec, flags, electrode)
    rec, discharges_ok, quality_notes = usable_emg(rec, flags)
    force_ch, emg_chans = rec.force, rec.emg
    _require_something(rec, force_ch, emg_chans, quality_notes)
    detect = detect and discharges_ok  # EMG too slow or absent: "not measured", never "0 found"
    check_option("relaxation_reference", relaxation_reference, REFERENCES)
    force_unit = force_ch.unit if force_ch is not None else None

    trials, force_notes = _force_trials(
        rec, force_ch, flags, lowpass_hz=force_lowpass_hz, threshold_frac=trial_threshold_frac,
        min_hold_s=min_hold_s, reference=relaxation_reference,
        cues=find_cues(rec, pattern=cue_pattern, channel=cue_channel))
    emg_result = _emg_measures(rec, trials, band=band, mains_hz=mains_hz,
                               electrode=electrode, detect=detect)
    trials = _trial_table(trials, emg_result, flags, force_ch, emg_chans, detect)
    session = _session_numbers(trials, emg_result.discharges,
                               emg_assessed=bool(emg_chans) and detect,
                               device=rec.metadata.get("device"), grading=grading,
                               force_unit=force_unit or "N")
    params = {"electrode": electrode, "emg_band_hz": list(band), "mains_hz": mains_hz,
              "force_lowpass_hz": force_lowpass_hz, "trial_threshold_frac": trial_threshold_frac,
              "min_hold_s": min_hold_s, "relaxation_reference": relaxation_reference,
              "cue_pattern": cue_pattern, "cue_channel": cue_channel, "detect": detect,
              "grading": dict(grading or {})}
    summary = Summary(
        version=__version__, inputs=tuple(_inputs(rec)), parameters=params,
        force_channel=force_ch.name if force_ch else None,
        emg_channels=tuple(c.name for c in emg_chans), conversions=tuple(rec.conversions),
        metadata=dict(rec.metadata),
        notes=(*quality_notes, *flip_notes, *force_notes, *emg_result.notes),
        trial_myotonic_rule=TRIAL_MYOTONIC_RULE if emg_chans and detect else None,
        quality=quality_summary(flags), discharges_measured=bool(detect),
        force_unit=force_unit, force_flipped=bool(flip_notes), **session)
    logger.info("Analysed %s: %d trials, pattern %s, %s myotonic discharges", rec.source_name,
                len(trials), summary.pattern, summary.n_myotonic_discharges)
    return Analysis(trials, emg_result.discharges.reset_index(drop=True), summary, rec,
                    spikes=emg_result.spikes, templates=emg_result.templates)


#: Force-channel labels that name a torque rather than a force (ours; see myoemg.roles).
_TORQUE_LABEL = re.compile(r"torque|moment", re.IGNORECASE)

#: A train searched from a release may start this much before the release estimate, s: its
#: first potential is timed by its centre, and the release by the force (ours: a snippet).
RELEASE_TOLERANCE_S = 0.01

#: When a trial counts as myotonic (written into summary.json).
TRIAL_MYOTONIC_RULE = ("a trial is myotonic when at least one unit's train, starting between its "
                       "release and the next grip's onset, is myotonic")


def _as_recording(recording):
    """A Recording from what :func:`analyze` accepts, or a TypeError that says what it takes."""
    if isinstance(recording, Recording):
        return recording
    if isinstance(recording, (str, Path)):
        from .io import read

        return read(recording)
    if hasattr(recording, "info") and hasattr(recording, "get_data"):
        return Recording.from_mne(recording)
    raise TypeError(f"analyze needs a Recording (from myoemg.read), an mne.io.Raw or a file "
                    f"path; got {type(recording).__name__}.")


def _require_something(rec, force_ch, emg_chans, quality_notes):
    """Refuse a recording with neither force nor usable EMG, saying why."""
    if force_ch is not None or emg_chans:
        return
    if quality_notes:
        raise SignalQualityError(f"nothing to analyse in {rec.source_name}: no force channel, "
                                 f"and {'; '.join(quality_notes)}.")
    raise ChannelError(f"{rec.source_name} has neither an EMG nor a force channel; channels "
                       f"are {rec.ch_names} with kinds {rec.kinds}. Name them with emg= "
                       "and force=.")


def _upright_force(rec, flags, electrode):
    """Flip a negative-going force trace (quality flag ``force_inverted``) and say so.

    Returns the recording (a flipped copy, or the input), its flags (the force channel's
    re-checked on the flipped trace) and the notes (empty when nothing was flipped).
    """
    force = rec.force
    inverted = (len(flags) and force is not None
                and ((flags["code"] == "force_inverted") & (flags["channel"] == force.name)).any())
    if not inverted:
        return rec, flags, []
    why = flags[(flags["code"] == "force_inverted") & (flags["channel"] == force.name)]
    out = rec.copy()
    out[force.name].data = -out[force.name].data
    out.conversions.append(f"{force.name}: negative-going trace flipped (x -1)")
    note = (f"force channel {force.name!r} of {rec.source_name} is negative-going "
            f"({why['message'].iloc[0].split(':')[0]}): it was analysed flipped (-1 x the "
            "recorded trace); pass a negative force_calibration to say so explicitly")
    logger.warning("%s", note)
    _, fresh = check_recording(out.select([force.name]), electrode=electrode)
    flags = pd.concat([flags[flags["channel"] != force.name], fresh], ignore_index=True)
    return out, flags, [note]


def _force_trials(rec, force_ch, flags, *, lowpass_hz, threshold_frac, min_hold_s, reference,
                  cues):
    """(trials with relaxation times in recording time, notes); empty without force."""
    if force_ch is None:
        note = (f"no force channel in {rec.source_name}: analysed for EMG only, so the trials "
                "table is empty (give a force file or name the channel with force=)")
        return pd.DataFrame({c: pd.Series(dtype=float) for c in TRIAL_TABLE_COLUMNS}), [note]
    try:
        tr = find_trials(force_ch.data, fs=force_ch.fs, threshold_frac=threshold_frac,
                         min_hold_s=min_hold_s, lowpass_hz=lowpass_hz, unit=force_ch.unit)
    except NoTrialsError as err:
        raise NoTrialsError(f"{rec.source_name}, force channel {force_ch.name!r}: {err}") \
            from None
    clipped = _clipped_grips(flags, force_ch, tr)
    rt = relaxation_times(force_ch.data, tr, fs=force_ch.fs, lowpass_hz=lowpass_hz,
                          reference=reference, clipped=clipped)
    trials = tr.merge(rt, on="trial")
    time_cols = ["onset_s", "peak_s", "hold_end_s", "window_end_s", "release_s", "t90_s",
                 "t50_s", "t5_s"]
    trials[time_cols] += force_ch.start_s
    trials["reaction_s"] = reaction_times(trials["release_s"], trials["onset_s"], cues)
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


class _EmgResult:
    """What the EMG step returns: per-trial measures, unit trains, spikes, templates, notes."""

    def __init__(self, after_activity_s, letgo_ratio, discharges, notes, spikes=None,
                 templates=None):
        self.after_activity_s = after_activity_s
        self.letgo_ratio = letgo_ratio
        self.discharges = discharges
        self.notes = notes
        self.spikes = (pd.DataFrame(columns=[*SPIKE_TABLE_COLUMNS, "trial"]) if spikes is None
                       else spikes)
        self.templates = pd.DataFrame(columns=TEMPLATE_COLUMNS) if templates is None \
            else templates


def _emg_measures(rec, trials, *, band, mains_hz, electrode, detect):
    """After-activity and discharges after each release, from EMG cleaned once.

    EMG channels are taken in groups of one rate and start (:meth:`Recording.channel_groups`):
    each group is filtered and measured on its own, and the tables are merged.
    """
    after = np.full(len(trials), np.nan)
    letgo = np.full(len(trials), np.nan)
    discharges = pd.DataFrame(columns=[*DISCHARGE_COLUMNS, "trial"])
    if not rec.emg:
        return _EmgResult(after, letgo, discharges,
                          ["no EMG channel: discharges and after-activity not measured"])
    groups = rec.channel_groups("emg")
    notes = [n for g in groups for n in g.notes]
    if len(groups) > 1:
        notes.append("EMG analysed in {} groups of one rate and start: {}".format(
            len(groups), "; ".join(f"{', '.join(g.names)} at {g.fs:g} Hz" for g in groups)))
    per_channel, letgo_g, found = [], [], []
    for g in groups:
        # Filter once: the envelope and the discharge detector share the cleaned EMG.
        cleaned = clean_emg(g.data, fs=g.fs, band_hz=band, mains_hz=mains_hz)
        if len(trials):
            env = moving_rms(cleaned, fs=g.fs, window_s=0.05)
            t0 = g.start_s
            rest = [(on - t0 - 1.2, on - t0 - 0.2) for on in trials["onset_s"]]
            after_g, _ = after_activity(g.data, fs=g.fs, release_s=trials["release_s"] - t0,
                                        window_end_s=trials["window_end_s"] - t0,
                                        rest_windows_s=rest, envelope=env)
            per_channel.append(after_g)
            letgo_g.append(letgo_emg_ratio(env, fs=g.fs, release_s=trials["release_s"] - t0,
                                           t50_s=trials["t50_s"] - t0))
        if detect:
            found.append(_discharges(cleaned, g.fs, list(g.names), g.start_s, trials,
                                     electrode))
    if per_channel:
        after = _row_nanmax(np.hstack(per_channel))  # longest over channels
        letgo = _row_nanmax(np.hstack(letgo_g))
    spikes = templates = None
    if detect:
        discharges, spikes, templates = _merge_groups(found)
        after = _extend_by_discharges(trials, discharges, after)
    return _EmgResult(after, letgo, discharges, notes, spikes, templates)


def _trial_table(trials, emg_result, flags, force_ch, emg_chans, detect):
    """The trials table: relaxation, EMG measures and quality columns, in contract order.

    ``rt_flagged`` / ``rt_flag_reason`` join the quality flags with the relaxation's own
    comments (a sagging or clipped grip measured from its release).
    """
    trials = trials.copy()
    trials["after_activity_s"] = emg_result.after_activity_s
    trials["letgo_emg_ratio"] = emg_result.letgo_ratio
    units = _myotonic_units(trials, emg_result.discharges)
    trials = trials.drop(columns=units.columns, errors="ignore").join(units)
    trials["myotonic"] = trials["discharge_count"] > 0
    span = ((emg_chans[0].start_s, emg_chans[0].start_s + emg_chans[0].duration_s)
            if emg_chans else None)
    quality = trial_quality(trials, flags, force=force_ch, emg_span_s=span)
    relax_note = trials.get("rt_flag_reason", pd.Series("", index=trials.index)).fillna("")
    trials = trials.drop(columns=QUALITY_TRIAL_COLUMNS, errors="ignore").join(quality)
    trials["rt_flag_reason"] = [
        "; ".join(r for r in (q, n) if r) for q, n in zip(trials["rt_flag_reason"].fillna(""),
                                                          relax_note, strict=True)]
    trials["rt_flagged"] = trials["rt_flagged"].astype(bool) | (relax_note != "").to_numpy()
    unit = force_ch.unit if force_ch is not None else "N"
    trials = trials[trial_table_columns(unit)].reset_index(drop=True)
    if not detect:  # not measured: empty, not 0 / False
        trials["myotonic"] = pd.array([pd.NA] * len(trials), dtype="boolean")
        for col in ("discharge_count", "n_myotonic_units"):
            trials[col] = pd.array([pd.NA] * len(trials), dtype="Int64")
    return trials


def _row_nanmax(a):
    """Per-row max ignoring NaN; NaN for an all-NaN row (no RuntimeWarning)."""
    out = np.full(a.shape[0], np.nan)
    ok = np.isfinite(a).any(axis=1)
    out[ok] = np.nanmax(a[ok], axis=1)
    return out


def _discharges(cleaned, fs, names, t0, trials, electrode):
    """Unit trains after each release (or in the whole EMG without trials), with their trial.

    Returns the trains table and the decomposition's spikes and templates, in recording time.
    """
    if len(trials):
        windows = [(r - t0, e - t0) for r, e in zip(trials["release_s"], trials["window_end_s"],
                                                     strict=True) if np.isfinite(r)]
    else:
        windows = None  # EMG only: search the whole recording
    dec = detect_discharges(cleaned, fs=fs, ch_names=names, search_s=windows,
                            electrode=electrode, prefiltered=True, return_details=True)
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


def _myotonic_units(trials, discharges):
    """Per trial: myotonic unit trains, distinct units, earliest start and latest end."""
    out = pd.DataFrame({"discharge_count": 0, "n_myotonic_units": 0,
                        "myotonic_start_s": np.nan, "myotonic_end_s": np.nan},
                       index=trials.index)
    if not len(trials) or not len(discharges):
        return out
    myo = discharges[discharges["kind"] == "myotonic"].groupby("trial")
    key = trials["trial"]
    out["discharge_count"] = key.map(myo.size()).fillna(0).astype(int)
    out["n_myotonic_units"] = key.map(myo["unit"].nunique()).fillna(0).astype(int)
    out["myotonic_start_s"] = key.map(myo["start_s"].min()).astype(float)
    out["myotonic_end_s"] = key.map(myo["end_s"].max()).astype(float)
    return out


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


def _session_numbers(trials, discharges, *, emg_assessed, device, grading, force_unit):
    """Warm-up, grade and session counts: the keyword arguments of Summary they fill."""
    rt = trials["rt90_5_s"].to_numpy(float)
    relaxed = trials["relaxed"].to_numpy(bool) if len(trials) else np.zeros(0, bool)
    lower_bound = (trials["window_end_s"] - trials["t90_s"]).to_numpy(float)
    myo = discharges[discharges["kind"] == "myotonic"] if len(discharges) else discharges
    myotonic_trials = trials["myotonic"].to_numpy(bool) if emg_assessed and len(trials) \
        else np.zeros(len(trials), bool)
    # Myotonic evidence: True/False only when the EMG was examined by the detector.
    evidence = bool(len(myo) > 0) if emg_assessed else None
    peak = trials[f"peak_force_{force_suffix(force_unit)}"].to_numpy(float)
    grade_kw = dict(grading or {})
    uln = resolve_uln(uln_rt90_5_s=grade_kw.get("uln_rt90_5_s"),
                      device_type=grade_kw.get("device_type"), device=device)
    prolonged = np.where(relaxed, rt, lower_bound) > uln.uln_s
    voluntary = (voluntary_letgo(trials["letgo_emg_ratio"].to_numpy(float), prolonged)
                 if evidence is False else None)
    warm = warmup_summary(rt, rt90_50_s=trials["rt90_50_s"].to_numpy(float),
                          rt50_5_s=trials["rt50_5_s"].to_numpy(float), peak_force=peak,
                          force_unit=force_unit, censored=~relaxed, lower_bound_s=lower_bound,
                          myotonic_evidence=evidence, voluntary_letgo=voluntary)
    grade = grade_severity(rt, censored=~relaxed, lower_bound_s=lower_bound,
                           myotonic_trials=myotonic_trials if emg_assessed else None,
                           voluntary_letgo=voluntary,
                           after_activity_s=trials["after_activity_s"].to_numpy(float),
                           peak_force=peak, force_unit=force_unit, device=device,
                           **grade_kw)
    return dict(
        n_trials=int(len(trials)), n_relaxed=int(relaxed.sum()),
        myotonic_evidence=evidence, warmup=warm, grade=grade,
        rt90_5_first_s=float(rt[0]) if rt.size else math.nan,
        rt90_5_last_s=float(rt[-1]) if rt.size else math.nan,
        rt90_5_min_s=float(np.nanmin(rt)) if np.isfinite(rt).any() else math.nan,
        peak_force_max=float(np.nanmax(peak)) if np.isfinite(peak).any() else math.nan,
        n_discharges=int(len(discharges)),
        n_myotonic_discharges=int(len(myo)) if emg_assessed else None,
        n_myotonic_trials=int(myotonic_trials.sum()) if emg_assessed else None)


def _inputs(rec):
    src = rec.source if isinstance(rec.source, (list, tuple)) else [rec.source]
    return [str(s) for s in src if s]
