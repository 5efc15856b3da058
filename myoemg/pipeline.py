"""``analyze``: the one place where readers, detectors and metrics meet.

``analyze(recording) -> Analysis`` finds the grips in the force trace, measures relaxation times,
the EMG after-activity and the myotonic discharges after each release, and labels the warm-up
pattern. :class:`Analysis` holds the tables and writes them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
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
from .detect.trials import find_trials
from .grading import grade_severity
from .metrics import after_activity, relaxation_times, warmup_summary
from .quality import (
    QUALITY_TRIAL_COLUMNS,
    check_recording,
    quality_summary,
    trial_quality,
    usable_emg,
)
from .recording import Recording
from .signal import EMG_BANDS_HZ, FORCE_LOWPASS_HZ, clean_emg, moving_rms
from .utils import (
    ChannelError,
    NoTrialsError,
    SignalQualityError,
    UnsupportedFormatError,
    atomic_path,
    check_option,
    logger,
    verbose,
    write_text_atomic,
)

#: Columns of ``Analysis.trials`` (and ``trials.csv``), in order.
TRIAL_TABLE_COLUMNS = ["trial", "onset_s", "release_s", "peak_s", "peak_force_n", "baseline_n",
                       "rt90_5_s", "rt90_50_s", "rt50_5_s", "relaxed", "t90_s", "t50_s", "t5_s",
                       "window_end_s", "after_activity_s", "myotonic", "discharge_count",
                       "n_myotonic_units", "myotonic_start_s", "myotonic_end_s",
                       *QUALITY_TRIAL_COLUMNS]  # quality: see myoemg.quality.trial_quality


@dataclass
class Analysis:
    """Results of :func:`analyze`.

    Attributes
    ----------
    trials : DataFrame
        One row per grip (:data:`TRIAL_TABLE_COLUMNS`); times in seconds from the start of the
        recording, forces in newtons.
    discharges : DataFrame
        One row per detected discharge train (``myoemg.detect.DISCHARGE_COLUMNS`` + ``trial``).
    summary : dict
        Session-level results, the inputs, the parameters and the package version.
    recording : Recording | None
        The analysed recording (not saved).
    spikes : DataFrame
        One row per sorted spike of the discharge units
        (``myoemg.detect.SPIKE_TABLE_COLUMNS`` + ``trial``; times in recording time).
    templates : DataFrame
        Mean waveform and SD of each unit (``myoemg.detect.TEMPLATE_COLUMNS``).
    """

    trials: pd.DataFrame
    discharges: pd.DataFrame
    summary: dict
    recording: Recording | None = field(default=None, repr=False)
    spikes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=[*SPIKE_TABLE_COLUMNS, "trial"]), repr=False)
    templates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=TEMPLATE_COLUMNS), repr=False)

    def save(self, directory, *, overwrite=True, report=True, identify=False):
        """Write the tables, the summary, the events, Parquet copies and the HTML report.

        Files in ``directory``: ``trials.csv``, ``discharges.csv``, ``summary.json``, a
        BIDS-compatible ``<stem>_events.tsv`` with its ``.json`` sidecar
        (:func:`myoemg.export.write_events_tsv`), ``trials.parquet`` and ``discharges.parquet``
        when pyarrow is installed, and ``report.html`` (when ``report`` is True and matplotlib
        and jinja2 are installed). Each file is written to a temporary name and then renamed,
        so an interrupted run never leaves a half-written file.

        Parameters
        ----------
        directory : str | Path
            Output folder (created if needed).
        overwrite : bool
            Replace existing files (default True).
        report : bool
            Also write ``report.html`` (default True).
        identify : bool
            Show identifying header fields in the report (default False: de-identified).

        Returns
        -------
        paths : dict of str -> Path
        """
        from . import export

        directory = Path(directory)
        paths = {}
        for name, table in (("trials", self.trials), ("discharges", self.discharges)):
            paths[name] = directory / f"{name}.csv"
            with atomic_path(paths[name], overwrite=overwrite) as tmp:
                table.to_csv(tmp, index=False, float_format="%.6g")
        paths["summary"] = directory / "summary.json"
        write_text_atomic(paths["summary"], json.dumps(_jsonable(self.summary), indent=2) + "\n",
                          overwrite=overwrite)
        paths.update(export.write_events_tsv(self, directory, overwrite=overwrite))
        paths.update(export.write_parquet(self, directory, overwrite=overwrite))
        if report:
            try:
                paths["report"] = self.to_html(directory / "report.html", overwrite=overwrite,
                                               identify=identify)
            except UnsupportedFormatError as err:  # matplotlib or jinja2 missing
                logger.warning("report.html not written: %s", err)
        return paths

    def to_html(self, path, *, identify=False, overwrite=True):
        """Write the self-contained HTML report (see :mod:`myoemg.report`).

        Parameters
        ----------
        path : str | Path
            The ``.html`` file to write (atomically).
        identify : bool
            Show identifying header fields (patient name, birth date); default False.
        overwrite : bool
            Replace an existing file (default True).

        Returns
        -------
        path : Path
        """
        from .report import write_html

        return write_html(self, path, identify=identify, overwrite=overwrite)

    def plot_trial(self, k, *, axes=None, show_discharges=True):
        """Force of trial ``k`` with its 90/50/5 % levels and crossings, EMG below.

        Parameters
        ----------
        k : int
            Trial number (1-based, as in ``trials['trial']``).
        axes : sequence of matplotlib Axes | None
            One for the force and one per EMG channel; None makes a new figure.
        show_discharges : bool
            Shade detected discharges on the EMG (myotonic in red).

        Returns
        -------
        fig : matplotlib.figure.Figure
        """
        from .viz import plot_trial

        if self.recording is None:
            raise ValueError("this Analysis holds no recording (it was loaded from files); "
                             "plot_trial needs the signals: run myoemg.analyze(recording).")
        return plot_trial(self.recording, self.trials,
                          self.discharges if show_discharges else None, k, axes=axes)

    def plot_warmup(self, *, ax=None):
        """RT90-5, RT90-50, RT50-5 and peak force against trial number, normal range shaded.

        Parameters
        ----------
        ax : matplotlib Axes | None
            Where to draw; None makes a new figure.

        Returns
        -------
        fig : matplotlib.figure.Figure
        """
        from .viz import plot_warmup

        uln = (self.summary.get("grade") or {}).get("uln", {}).get("uln_s")
        return plot_warmup(self.trials, uln_s=uln, ax=ax)

    def to_annotations(self, *, orig_time=None):
        """Trials and discharges as :class:`mne.Annotations` (see :mod:`myoemg.export`).

        Returns
        -------
        annotations : mne.Annotations
        """
        from .export import to_annotations

        if orig_time is None and self.recording is not None:
            orig_time = self.recording.start_time
        return to_annotations(self.trials, self.discharges, orig_time=orig_time)

    def __repr__(self):
        return (f"<Analysis {len(self.trials)} trials, {len(self.discharges)} discharges, "
                f"pattern {self.summary.get('pattern')!r}>")


@verbose
def analyze(recording, *, emg=None, force=None, electrode=None, detect=True,
            band_hz=None, mains_hz="auto", force_lowpass_hz=FORCE_LOWPASS_HZ,
            trial_threshold_frac=0.3, min_hold_s=1.0, grading=None, verbose=None):
    """Analyse a grip session: trials, relaxation times, EMG after-activity, discharges.

    Parameters
    ----------
    recording : Recording | mne.io.BaseRaw
        The session. A Raw is converted with :meth:`Recording.from_mne`.
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
        Grip detection thresholds (see :func:`myoemg.detect.find_trials`).
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
    NoTrialsError
        When the recording has a force channel but no grip is found in it.
    ChannelError
        When the named channels do not exist, or the recording has neither EMG nor force.
    """
    rec = recording if isinstance(recording, Recording) else Recording.from_mne(recording)
    if emg is not None or force is not None:
        rec = rec.set_roles(emg=emg, force=force)
    electrode = electrode or rec.metadata.get("electrode") or "surface"
    check_option("electrode", electrode, ("surface", "needle"))
    band = tuple(band_hz) if band_hz is not None else EMG_BANDS_HZ[electrode]
    # Quality (myoemg.quality): short NaN gaps filled and flagged, long ones refused; EMG too
    # slow to be raw EMG set aside; flags go to summary["quality"] and the trials table.
    rec, quality = check_recording(rec, electrode=electrode)
    rec, discharges_ok, quality_notes = usable_emg(rec, quality)
    force_ch = rec.force
    emg_chans = rec.emg
    if force_ch is None and not emg_chans and quality_notes:
        raise SignalQualityError(f"nothing to analyse in {rec.source_name}: no force channel, "
                                 f"and {'; '.join(quality_notes)}.")
    if force_ch is None and not emg_chans:
        raise ChannelError(f"{rec.source_name} has neither an EMG nor a force channel; channels "
                           f"are {rec.ch_names} with kinds {rec.kinds}. Name them with emg= "
                           "and force=.")
    params = {"electrode": electrode, "emg_band_hz": list(band), "mains_hz": mains_hz,
              "force_lowpass_hz": force_lowpass_hz, "trial_threshold_frac": trial_threshold_frac,
              "min_hold_s": min_hold_s, "detect": detect}
    summary = {"software": "myoemg", "version": __version__, "inputs": _inputs(rec),
               "parameters": params, "force_channel": force_ch.name if force_ch else None,
               "emg_channels": [c.name for c in emg_chans], "conversions": rec.conversions,
               "metadata": dict(rec.metadata), "notes": [*quality_notes]}
    detect = detect and discharges_ok  # EMG too slow or absent: "not measured", never "0 found"

    trials = _force_trials(rec, force_ch, force_lowpass_hz, trial_threshold_frac, min_hold_s,
                           summary)
    discharges = pd.DataFrame(columns=[*DISCHARGE_COLUMNS, "trial"])
    trials["after_activity_s"] = np.nan
    trials["myotonic"] = False
    trials["discharge_count"] = 0
    trials["n_myotonic_units"] = 0
    trials["myotonic_start_s"] = trials["myotonic_end_s"] = np.nan
    details = None
    if emg_chans:
        data, fs_emg, names = rec.get_data("emg")
        t0 = emg_chans[0].start_s
        # Filter once: the envelope and the discharge detector share the cleaned EMG.
        cleaned = clean_emg(data, fs=fs_emg, band_hz=band, mains_hz=mains_hz)
        env = moving_rms(cleaned, fs=fs_emg, window_s=0.05)
        if len(trials):
            rest = [(on - t0 - 1.2, on - t0 - 0.2) for on in trials["onset_s"]]
            after, _ = after_activity(data, fs=fs_emg, release_s=trials["release_s"] - t0,
                                      window_end_s=trials["window_end_s"] - t0,
                                      rest_windows_s=rest, envelope=env)
            trials["after_activity_s"] = _row_nanmax(after)  # longest over channels
        if detect:
            discharges, details = _discharges(cleaned, fs_emg, names, t0, trials, electrode,
                                              summary)
            trials["after_activity_s"] = _extend_by_discharges(trials, discharges)
    else:
        summary["notes"].append("no EMG channel: discharges and after-activity not measured")

    trials = trials.drop(columns=QUALITY_TRIAL_COLUMNS, errors="ignore").join(trial_quality(
        trials, quality, force=force_ch, emg_span_s=(emg_chans[0].start_s, emg_chans[0].start_s
                                                     + emg_chans[0].duration_s) if emg_chans
        else None))
    trials = trials[TRIAL_TABLE_COLUMNS].reset_index(drop=True)
    summary["parameters"]["grading"] = dict(grading or {})
    summary.update(_session_summary(trials, discharges, emg_assessed=bool(emg_chans) and detect,
                                    device=rec.metadata.get("device"), grading=grading))
    logger.info("Analysed %s: %d trials, pattern %s, %d myotonic discharges", rec.source_name,
                len(trials), summary["pattern"], summary["n_myotonic_discharges"])
    summary["quality"] = quality_summary(quality)
    summary["discharges_measured"] = bool(detect)
    if not detect:  # not measured: empty, not 0 / False
        trials["myotonic"] = pd.array([pd.NA] * len(trials), dtype="boolean")
        trials["discharge_count"] = pd.array([pd.NA] * len(trials), dtype="Int64")
        trials["n_myotonic_units"] = pd.array([pd.NA] * len(trials), dtype="Int64")
        summary["n_myotonic_discharges"] = summary["n_myotonic_trials"] = None
    out = Analysis(trials, discharges.reset_index(drop=True), summary, rec)
    if details is not None:
        out.spikes, out.templates = details
    return out


def _force_trials(rec, force_ch, lowpass_hz, threshold_frac, min_hold_s, summary):
    """Trials with relaxation times, in recording time; empty when there is no force."""
    if force_ch is None:
        summary["notes"].append(
            f"no force channel in {rec.source_name}: analysed for EMG only, so the trials "
            "table is empty (give a force file or name the channel with force=)")
        return pd.DataFrame({c: pd.Series(dtype=float) for c in TRIAL_TABLE_COLUMNS})
    try:
        tr = find_trials(force_ch.data, fs=force_ch.fs, threshold_frac=threshold_frac,
                         min_hold_s=min_hold_s, lowpass_hz=lowpass_hz)
    except NoTrialsError as err:
        raise NoTrialsError(f"{rec.source_name}, force channel {force_ch.name!r}: {err}") \
            from None
    rt = relaxation_times(force_ch.data, tr, fs=force_ch.fs, lowpass_hz=lowpass_hz)
    trials = tr.merge(rt, on="trial")
    time_cols = ["onset_s", "peak_s", "hold_end_s", "window_end_s", "release_s", "t90_s",
                 "t50_s", "t5_s"]
    trials[time_cols] += force_ch.start_s
    return trials


def _row_nanmax(a):
    """Per-row max ignoring NaN; NaN for an all-NaN row (no RuntimeWarning)."""
    out = np.full(a.shape[0], np.nan)
    ok = np.isfinite(a).any(axis=1)
    out[ok] = np.nanmax(a[ok], axis=1)
    return out


def _discharges(cleaned, fs, names, t0, trials, electrode, summary):
    """Decompose the EMG after each release into unit trains and attach them to trials.

    Returns the trains table and ``(spikes, templates)`` of the decomposition.
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
        inside = (found["start_s"] >= tr.release_s) & (found["start_s"] < tr.window_end_s)
        found.loc[inside, "trial"] = tr.trial
    spikes["trial"] = spikes["unit"].map(found.set_index("unit")["trial"]).astype("Int64")
    myo = found[found["kind"] == "myotonic"].groupby("trial")
    trials["discharge_count"] = trials["trial"].map(myo.size()).fillna(0).astype(int)
    trials["n_myotonic_units"] = trials["trial"].map(myo["unit"].nunique()).fillna(0).astype(int)
    trials["myotonic_start_s"] = trials["trial"].map(myo["start_s"].min())
    trials["myotonic_end_s"] = trials["trial"].map(myo["end_s"].max())
    trials["myotonic"] = trials["discharge_count"] > 0
    summary["trial_myotonic_rule"] = ("a trial is myotonic when at least one unit's train, "
                                      "starting between its release and the next grip's "
                                      "onset, is myotonic")
    return found, (spikes, dec.templates)


def _extend_by_discharges(trials, discharges):
    """After-activity lasts at least to the end of the last myotonic discharge of the trial.

    The envelope misses the waning end of a train (sparse, small spikes); the detector does not.
    """
    myo = discharges[discharges["kind"] == "myotonic"]
    last_end = myo.groupby("trial")["end_s"].max()
    by_discharge = trials["trial"].map(last_end) - trials["release_s"]
    return np.fmax(trials["after_activity_s"], by_discharge)


def _session_summary(trials, discharges, emg_assessed=False, device=None, grading=None):
    rt = trials["rt90_5_s"].to_numpy(float)
    relaxed = trials["relaxed"].to_numpy(bool) if len(trials) else np.zeros(0, bool)
    lower_bound = (trials["window_end_s"] - trials["t90_s"]).to_numpy(float)
    myo = discharges[discharges["kind"] == "myotonic"] if len(discharges) else discharges
    myotonic_trials = trials["myotonic"].to_numpy(bool) if len(trials) else np.zeros(0, bool)
    # Myotonic evidence: True/False only when the EMG was examined by the detector.
    evidence = bool(len(myo) > 0) if emg_assessed else None
    warm = warmup_summary(rt, rt90_50_s=trials["rt90_50_s"].to_numpy(float),
                          rt50_5_s=trials["rt50_5_s"].to_numpy(float),
                          peak_force_n=trials["peak_force_n"].to_numpy(float),
                          censored=~relaxed, lower_bound_s=lower_bound,
                          myotonic_evidence=evidence)
    grade = grade_severity(rt, censored=~relaxed, lower_bound_s=lower_bound,
                           myotonic_trials=myotonic_trials if emg_assessed else None,
                           after_activity_s=trials["after_activity_s"].to_numpy(float),
                           peak_force_n=trials["peak_force_n"].to_numpy(float), device=device,
                           **(grading or {}))
    return {
        "n_trials": int(len(trials)),
        "n_relaxed": int(relaxed.sum()),
        "pattern": warm["pattern"],
        "pattern_rule": warm["pattern_rule"],
        "pattern_reason": warm["pattern_reason"],
        "myotonic_evidence": evidence,
        "warmup": {k: v for k, v in warm.items()
                   if k not in ("pattern", "pattern_rule", "pattern_reason")},
        "grade": grade,
        "rt90_5_first_s": float(rt[0]) if rt.size else math.nan,
        "rt90_5_last_s": float(rt[-1]) if rt.size else math.nan,
        "rt90_5_min_s": float(np.nanmin(rt)) if np.isfinite(rt).any() else math.nan,
        "peak_force_max_n": float(trials["peak_force_n"].max()) if len(trials) else math.nan,
        "n_discharges": int(len(discharges)),
        "n_myotonic_discharges": int(len(myo)),
        "n_myotonic_trials": int(trials["myotonic"].sum()) if len(trials) else 0,
    }


def _inputs(rec):
    src = rec.source if isinstance(rec.source, (list, tuple)) else [rec.source]
    return [str(s) for s in src if s]


def _jsonable(obj):
    """Make a summary JSON-safe: NaN -> None, numpy scalars -> Python."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return None if not math.isfinite(obj) else float(obj)
    return obj
