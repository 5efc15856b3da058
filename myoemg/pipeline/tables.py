"""The tables step of :func:`myoemg.analyze`: the trials table and the session numbers."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from ..grading import grade_severity, resolve_uln
from ..metrics import warmup_summary
from ..metrics.letgo import voluntary_letgo
from ..quality import QUALITY_TRIAL_COLUMNS, trial_quality
from ..utils import force_suffix


def trial_table_columns(force_unit="N") -> list:
    """Columns of ``Analysis.trials`` (and ``trials.csv``), in order, for a force in ``unit``.

    Force columns carry the unit: ``peak_force_n`` / ``baseline_n`` / ``ref_force_n`` for a
    force in newtons, ``peak_force_au`` / ``baseline_au`` / ``ref_force_au`` otherwise.
    ``grip_from`` says where the grip was found: 'force', or 'emg' in a session without force
    (no relaxation time then).
    """
    sfx = force_suffix(force_unit)
    return ["trial", "grip_from", "onset_s", "release_s", "peak_s", f"peak_force_{sfx}",
            f"baseline_{sfx}", "rt90_5_s", "rt90_50_s", "rt50_5_s", "relaxed", "t90_s",
            "t50_s", "t5_s", "window_end_s",
            # relaxation reference, sag and optional times (myoemg.metrics.relaxation)
            "reference", f"ref_force_{sfx}", "sag_pct", "rt100_5_s", "rt100_50_s", "reaction_s",
            "after_activity_s", "letgo_emg_ratio", "myotonic", "discharge_count",
            "n_myotonic_units", "myotonic_start_s", "myotonic_end_s",
            *QUALITY_TRIAL_COLUMNS]  # quality: see myoemg.quality.trial_quality


#: Columns of ``Analysis.trials`` for a force in newtons.
TRIAL_TABLE_COLUMNS = trial_table_columns("N")


#: When a trial counts as myotonic (written into summary.json).
TRIAL_MYOTONIC_RULE = ("a trial is myotonic when at least one unit's train, starting between its "
                       "release and the next grip's onset, is myotonic")


def trial_table(trials, emg_result, flags, force_ch, emg_chans, detect,
                no_return=None) -> pd.DataFrame:
    """The trials table: relaxation, EMG measures and quality columns, in contract order.

    ``rt_flagged`` / ``rt_flag_reason`` join the quality flags with the relaxation's own
    comments (a sagging or clipped grip measured from its release). ``no_return`` holds
    the return-to-baseline codes per trial (:func:`myoemg.quality.trial_flags.force_return_codes`),
    found right after the force step.
    """
    trials = trials.copy()
    trials["after_activity_s"] = emg_result.after_activity_s
    trials["letgo_emg_ratio"] = emg_result.letgo_ratio
    units = _myotonic_units(trials, emg_result.discharges)
    trials = trials.drop(columns=units.columns, errors="ignore").join(units)
    trials["myotonic"] = trials["discharge_count"] > 0
    span = ((emg_chans[0].start_s, emg_chans[0].start_s + emg_chans[0].duration_s)
            if emg_chans else None)
    # a grip found in the EMG has relaxed unknown (NA): its window runs to the next onset
    quality = trial_quality(trials.assign(relaxed=trials["relaxed"].fillna(False)), flags,
                            force=force_ch, emg_span_s=span, no_return=no_return)
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


def session_numbers(trials, discharges, *, emg_assessed, device, grading,
                    force_unit, has_force=True) -> dict:
    """Warm-up, grade and session counts: the keyword arguments of Summary they fill.

    Without a force (``has_force`` False) there is no relaxation time: the grade says so
    (:func:`_without_force`).
    """
    rt = trials["rt90_5_s"].to_numpy(float)
    known = trials["relaxed"].astype("boolean")  # NA: a grip found in the EMG, no force
    relaxed = known.fillna(False).to_numpy(bool)
    censored = (~known).fillna(False).to_numpy(bool)  # the force never reached 5 %
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
                          force_unit=force_unit, censored=censored, lower_bound_s=lower_bound,
                          myotonic_evidence=evidence, voluntary_letgo=voluntary)
    grade = grade_severity(rt, censored=censored, lower_bound_s=lower_bound,
                           myotonic_trials=myotonic_trials if emg_assessed else None,
                           voluntary_letgo=voluntary,
                           after_activity_s=trials["after_activity_s"].to_numpy(float),
                           peak_force=peak if has_force else None, force_unit=force_unit,
                           device=device, **grade_kw)
    if not has_force:
        grade = _without_force(grade, int(myotonic_trials.sum()) if emg_assessed else None)
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


def _without_force(grade, n_myotonic_trials):
    """The grade of a session without force: not graded, for want of relaxation times.

    The reasons say why and what the EMG showed after the releases found in it (reported,
    not graded: the grade rests on relaxation times, docs: domain reference, grading).
    """
    n = grade.numbers.n_trials
    if not n:
        emg = "no grip found in the EMG either"
    elif n_myotonic_trials is None:
        emg = f"{n} grip(s) found from the EMG; discharges not assessed"
    else:
        emg = (f"{n} grip(s) found from the EMG, myotonic discharges after the release of "
               f"{n_myotonic_trials} of them (reported, not graded)")
    kept = [r for r in grade.reasons if not r.startswith("no trial with a relaxation time")]
    return replace(grade, grade=None, label="not graded",
                   text=f"not graded (no force, so no relaxation time) - {grade.disclaimer}",
                   reasons=("no force channel: no relaxation time, so nothing to grade", emg,
                            *kept))


__all__ = ["TRIAL_MYOTONIC_RULE", "TRIAL_TABLE_COLUMNS", "session_numbers", "trial_table",
           "trial_table_columns"]
