"""``analyze``: the one place where readers, detectors and metrics meet.

``analyze(recording) -> Analysis`` finds the grips in the force trace, measures relaxation times,
the EMG after-activity and the myotonic discharges after each release, and labels the warm-up
pattern. It runs as steps that each return their piece — quality (:mod:`myoemg.quality`),
trials (:mod:`.force_step`), EMG measures (:mod:`.emg_step`), the tables and session numbers
(:mod:`.tables`) — and assembles one :class:`~myoemg.results.Analysis` at the end; nothing
edits a shared dict.

Work is done once: the quality checks low-pass the force and that trace finds the grips and
times their relaxation; the EMG is cleaned once per group of channels and its envelope serves
after-activity, the let-go ratio and the signal-to-noise flag, the cleaned array the discharge
detector. BLAS runs on one thread inside (:func:`myoemg.utils.one_blas_thread`).
"""

from __future__ import annotations

from pathlib import Path

from .._version import __version__
from ..detect.rules import check_rules
from ..detect.trials import CUE_PATTERN, find_cues
from ..metrics.relaxation import REFERENCES
from ..quality import RecordingChecks, flag_notes, quality_summary, usable_emg
from ..quality.trial_flags import force_return_codes
from ..recording import Recording
from ..results import Analysis, Summary
from ..signal import EMG_BANDS_HZ, FORCE_LOWPASS_HZ
from ..utils import ChannelError, SignalQualityError, check_option, logger, one_blas_thread, verbose
from ..utils._memory import release_freed_memory
from .emg_step import GripSearch, emg_measures
from .force_step import force_trials
from .tables import TRIAL_MYOTONIC_RULE, session_numbers, trial_table


@verbose
def analyze(recording, *, emg=None, force=None, electrode=None, detect=True,
            band_hz=None, mains_hz="auto", force_lowpass_hz=FORCE_LOWPASS_HZ,
            trial_threshold_frac=0.3, min_hold_s=1.0, relaxation_reference="auto",
            cue_pattern=CUE_PATTERN, cue_channel=None, grading=None, discharge_rules=None,
            verbose=None) -> Analysis:
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
        Sets the EMG band (surface 20–450 Hz, needle 10 Hz–10 kHz; docs: domain reference, signal
        processing).
    detect : bool
        Run the myotonic-discharge detector (default True).
    band_hz : (float, float) | None
        EMG band in Hz, overriding the electrode default.
    mains_hz : 'auto' | float | None
        Mains frequency to remove from the EMG ('auto' detects 50 vs 60 Hz).
    force_lowpass_hz : float
        Force low-pass before crossings, Hz (docs: domain reference, relaxation).
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
    discharge_rules : DischargeRules | None
        Thresholds and options of the discharge detector (:class:`myoemg.detect.DischargeRules`,
        e.g. ``DischargeRules(match_overlaps=True)``); default ``DischargeRules()``. The fields
        that differ from the defaults are recorded in ``summary.parameters``.
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
    with one_blas_thread():
        return _analyze(recording, emg=emg, force=force, electrode=electrode, detect=detect,
                        band_hz=band_hz, mains_hz=mains_hz, force_lowpass_hz=force_lowpass_hz,
                        trial_threshold_frac=trial_threshold_frac, min_hold_s=min_hold_s,
                        relaxation_reference=relaxation_reference, cue_pattern=cue_pattern,
                        cue_channel=cue_channel, grading=grading,
                        discharge_rules=discharge_rules)


def _analyze(recording, *, emg, force, electrode, detect, band_hz, mains_hz, force_lowpass_hz,
             trial_threshold_frac, min_hold_s, relaxation_reference, cue_pattern, cue_channel,
             grading, discharge_rules):
    discharge_rules = check_rules(discharge_rules, "discharge_rules")
    rec = _as_recording(recording)
    release_freed_memory()  # what reading the file freed (the EMG step needs its pages)
    if emg is not None or force is not None:
        rec = rec.set_roles(emg=emg, force=force, share_data=True)
    electrode = electrode or rec.metadata.get("electrode") or "surface"
    check_option("electrode", electrode, ("surface", "needle"))
    band = tuple(band_hz) if band_hz is not None else EMG_BANDS_HZ[electrode]
    # Quality (myoemg.quality): short NaN gaps filled and flagged, long ones refused; EMG that
    # cannot be analysed set aside; flags go to summary.quality and the trials table. The
    # EMG's signal-to-noise ratio is judged after the EMG step, on the EMG as it cleans it.
    checks = RecordingChecks(rec, electrode=electrode)
    rec, flip_notes = _upright_force(checks.recording, checks)
    early_flags = checks.flags(final=False)
    rec, discharges_ok, aside_notes = usable_emg(rec, early_flags, flag_sentences=False)
    force_ch, emg_chans = rec.force, rec.emg
    if force_ch is None and not emg_chans:
        _require_something(rec, [*flag_notes(checks.flags()), *aside_notes])
    detect = detect and discharges_ok  # EMG too slow or absent: "not measured", never "0 found"
    check_option("relaxation_reference", relaxation_reference, REFERENCES)
    force_unit = force_ch.unit if force_ch is not None else None
    force_xf = checks.force_filtered.get(force_ch.name) if force_ch is not None else None

    cues = find_cues(rec, pattern=cue_pattern, channel=cue_channel)
    trials, force_notes = force_trials(
        rec, force_ch, early_flags, lowpass_hz=force_lowpass_hz,
        threshold_frac=trial_threshold_frac, min_hold_s=min_hold_s,
        reference=relaxation_reference, cues=cues,
        filtered=force_xf if force_lowpass_hz == FORCE_LOWPASS_HZ else None)
    # the last use of the low-passed force: let it go before the EMG is cleaned
    no_return = force_return_codes(trials, force_ch, force_xf)
    del force_xf
    checks.force_filtered.clear()
    release_freed_memory()
    # no force: the grips are found in the EMG itself (grip_from 'emg', no relaxation time)
    emg_result = emg_measures(rec, trials, band=band, mains_hz=mains_hz, electrode=electrode,
                              detect=detect, rules=discharge_rules,
                              snr_channels=set(checks.needs_snr),
                              grip_search=GripSearch(trial_threshold_frac, min_hold_s, cues)
                              if force_ch is None else None)
    if emg_result.trials is not None:
        trials, no_return = emg_result.trials, None
    flags = checks.flags(emg_result.snr_db)
    quality_notes = [*flag_notes(flags), *aside_notes]
    trials = trial_table(trials, emg_result, flags, force_ch, emg_chans, detect,
                         no_return=no_return)
    session = session_numbers(trials, emg_result.discharges,
                              emg_assessed=bool(emg_chans) and detect,
                              device=rec.metadata.get("device"), grading=grading,
                              force_unit=force_unit or "N", has_force=force_ch is not None)
    params = {"electrode": electrode, "emg_band_hz": list(band), "mains_hz": mains_hz,
              "force_lowpass_hz": force_lowpass_hz, "trial_threshold_frac": trial_threshold_frac,
              "min_hold_s": min_hold_s, "relaxation_reference": relaxation_reference,
              "cue_pattern": cue_pattern, "cue_channel": cue_channel, "detect": detect,
              "grading": dict(grading or {}),
              "discharge_rules": discharge_rules.changed()}
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


def _as_recording(recording):
    """A Recording from what :func:`analyze` accepts, or a TypeError that says what it takes."""
    if isinstance(recording, Recording):
        return recording
    if isinstance(recording, (str, Path)):
        from ..io import read

        return read(recording)
    if hasattr(recording, "info") and hasattr(recording, "get_data"):
        return Recording.from_mne(recording)
    raise TypeError(f"analyze needs a Recording (from myoemg.read), an mne.io.Raw or a file "
                    f"path; got {type(recording).__name__}.")


def _require_something(rec, quality_notes):
    """Refuse a recording with neither force nor usable EMG, saying why."""
    if quality_notes:
        raise SignalQualityError(f"nothing to analyse in {rec.source_name}: no force channel, "
                                 f"and {'; '.join(quality_notes)}.")
    raise ChannelError(f"{rec.source_name} has neither an EMG nor a force channel; channels "
                       f"are {rec.ch_names} with kinds {rec.kinds}. Name them with emg= "
                       "and force=.")


def _upright_force(rec, checks):
    """Flip a negative-going force trace (quality flag ``force_inverted``) and say so.

    Returns the recording (a flipped copy sharing the other channels' samples, or the input)
    and the notes (empty when nothing was flipped); ``checks`` then holds the force channel's
    flags and low-passed trace re-checked on the flipped trace.
    """
    force = rec.force
    flags = checks.flags(final=False)
    is_it = (flags["code"] == "force_inverted") & (flags["channel"] == force.name) \
        if len(flags) and force is not None else None
    if is_it is None or not is_it.any():
        return rec, []
    out = rec.copy(share_data=True)
    out[force.name].data = -out[force.name].data
    out.conversions.append(f"{force.name}: negative-going trace flipped (x -1)")
    note = (f"force channel {force.name!r} of {rec.source_name} is negative-going "
            f"({flags[is_it]['message'].iloc[0].split(':')[0]}): it was analysed flipped (-1 x "
            "the recorded trace); pass a negative force_calibration to say so explicitly")
    logger.warning("%s", note)
    # a zero-phase filter is odd-symmetric to the last bit: low-pass(-x) == -low-pass(x)
    xf = checks.force_filtered.get(force.name)
    checks.recheck_force(out[force.name], filtered=None if xf is None else -xf)
    return out, [note]


def _inputs(rec):
    src = rec.source if isinstance(rec.source, (list, tuple)) else [rec.source]
    return [str(s) for s in src if s]


__all__ = ["analyze"]
