"""Exports of an analysis for other tools: MNE Annotations, BIDS ``*_events.tsv``, Parquet.

- :func:`to_annotations`: trials and discharges as :class:`mne.Annotations`, so
  ``raw.set_annotations(ann); raw.plot()`` shows them; :func:`annotations_to_frame` reads them
  back.
- :func:`events_table` / :func:`write_events_tsv`: a BIDS-compatible events file (``onset``,
  ``duration`` in seconds, ``trial_type``, ``n/a`` for missing values) with its JSON sidecar.
- :func:`write_parquet`: ``trials.parquet`` and ``discharges.parquet`` when pyarrow is installed.

Force values keep their unit in the column name, as in ``trials.csv``: ``peak_force_n`` (with
``"Units": "N"`` in the sidecar) for a force in newtons, ``peak_force_au`` (``"a.u."``) for an
uncalibrated one.

Descriptions (``trial_type``) are hierarchical, as MNE's event ids: ``grip/<k>`` (onset to
release of grip k), ``relaxation/<k>`` (90 % crossing to 5 % crossing; ``relaxation/<k>/censored``
to the end of the window when the force did not relax) and ``discharge/<kind>/<k>`` (start to
end of a discharge after grip k, on its channel; ``<k>`` is ``na`` outside any trial).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .utils import (
    RecordingError,
    atomic_path,
    bids_derivative_path,
    bids_entities,
    force_suffix,
    is_bids_emg_file,
    logger,
    write_text_atomic,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    import mne


def events_columns(force_unit="N") -> list[str]:
    """Columns of :func:`events_table`, in order, for a force in ``force_unit``."""
    return ["onset", "duration", "trial_type", "trial", "channel", "kind", "rt90_5_s",
            f"peak_force_{force_suffix(force_unit)}", "relaxed"]


#: Columns of :func:`events_table` for a force in newtons.
EVENTS_COLUMNS = events_columns("N")

_EVENTS_SIDECAR = {
    "onset": {"Description": "Start of the event from the first sample of the recording",
              "Units": "s"},
    "duration": {"Description": "Duration of the event", "Units": "s"},
    "trial_type": {"Description": (
        "grip/<k>: onset to release of grip k; relaxation/<k>: 90 % to 5 % crossing of the "
        "force (relaxation/<k>/censored: 90 % crossing to the end of the window, the force did "
        "not relax); discharge/<kind>/<k>: an EMG discharge after grip k")},
    "trial": {"Description": "Grip number (1-based)"},
    "channel": {"Description": "EMG channel of a discharge"},
    "kind": {"Description": "Discharge class given by the myoemg detector"},
    "rt90_5_s": {"Description": "Relaxation time from 90 % to 5 % of peak force "
                                "(docs: domain reference, relaxation)",
                 "Units": "s"},
    "relaxed": {"Description": "True when the force reached 5 % of peak before the next grip"},
}


def _trial_label(value):
    return "na" if value is None or pd.isna(value) else str(int(value))


def events_table(trials, discharges=None) -> pd.DataFrame:
    """Trials and discharges as one events table (BIDS ``*_events.tsv`` columns).

    Parameters
    ----------
    trials : DataFrame
        ``Analysis.trials`` (needs ``trial``, ``onset_s``, ``release_s``, ``t90_s``, ``t5_s``,
        ``window_end_s``, ``relaxed``, ``rt90_5_s`` and ``peak_force_n`` or
        ``peak_force_au``); times in seconds.
    discharges : DataFrame | None
        ``Analysis.discharges`` (needs ``channel``, ``start_s``, ``end_s``, ``kind``, ``trial``).

    Returns
    -------
    events : DataFrame
        :func:`events_columns` (the force column named as in ``trials``), sorted by onset;
        ``onset`` and ``duration`` in seconds.
    """
    force_col = "peak_force_n" if "peak_force_n" in trials else "peak_force_au"
    rows = []
    for tr in trials.itertuples(index=False):
        k = int(tr.trial)
        relaxed = None if pd.isna(tr.relaxed) else bool(tr.relaxed)  # NA: a grip from the EMG
        common = {"trial": k, "channel": None, "kind": None, "rt90_5_s": tr.rt90_5_s,
                  force_col: getattr(tr, force_col), "relaxed": relaxed}
        if np.isfinite(tr.onset_s) and np.isfinite(tr.release_s):
            rows.append({"onset": tr.onset_s, "duration": tr.release_s - tr.onset_s,
                         "trial_type": f"grip/{k}", **common})
        end = tr.t5_s if relaxed else tr.window_end_s
        if np.isfinite(tr.t90_s) and np.isfinite(end):
            rows.append({"onset": tr.t90_s, "duration": max(end - tr.t90_s, 0.0),
                         "trial_type": f"relaxation/{k}" + ("" if relaxed else "/censored"),
                         **common})
    if discharges is not None:
        for d in discharges.itertuples(index=False):
            trial = getattr(d, "trial", None)
            rows.append({"onset": d.start_s, "duration": d.end_s - d.start_s,
                         "trial_type": f"discharge/{d.kind}/{_trial_label(trial)}",
                         "trial": None if trial is None or pd.isna(trial) else int(trial),
                         "channel": d.channel, "kind": d.kind, "rt90_5_s": np.nan,
                         force_col: np.nan, "relaxed": None})
    events = pd.DataFrame(rows, columns=events_columns("N" if force_col == "peak_force_n"
                                                       else "a.u."))
    events["trial"] = events["trial"].astype("Int64")
    return events.sort_values("onset", kind="stable").reset_index(drop=True)


def to_annotations(trials, discharges=None, *, orig_time=None) -> mne.Annotations:
    """Trials and discharges as :class:`mne.Annotations`.

    Parameters
    ----------
    trials, discharges : DataFrame
        See :func:`events_table`. Times are seconds from the start of the recording.
    orig_time : datetime | None
        ``raw.info['meas_date']`` of the Raw the annotations go with (None: relative times).

    Returns
    -------
    annotations : mne.Annotations
        One annotation per event of :func:`events_table`; discharges carry their channel in
        ``ch_names``.

    Notes
    -----
    With ``orig_time`` None, MNE reads onsets relative to the first sample of the Raw
    (``raw.first_time``); :meth:`myoemg.Recording.to_mne` starts at sample 0, so the onsets
    here match the recording's time axis.
    """
    import mne

    ev = events_table(trials, discharges)
    ch_names = [() if pd.isna(c) or c is None else (str(c),) for c in ev["channel"]]
    return mne.Annotations(ev["onset"].to_numpy(float), ev["duration"].to_numpy(float),
                           ev["trial_type"].astype(str).to_numpy(), orig_time=orig_time,
                           ch_names=ch_names)


def annotations_to_frame(annotations) -> pd.DataFrame:
    """Read annotations written by :func:`to_annotations` back into a table.

    Parameters
    ----------
    annotations : mne.Annotations
        For example ``raw.annotations`` after a FIF round trip.

    Returns
    -------
    events : DataFrame
        ``onset`` (s, relative to the annotations' own origin), ``duration`` (s),
        ``trial_type``, ``event`` ('grip', 'relaxation' or 'discharge'), ``trial`` (Int64),
        ``kind`` (discharge class or None), ``censored`` (bool) and ``channel``.
    """
    rows = []
    for onset, duration, desc, chs in zip(annotations.onset, annotations.duration,
                                          annotations.description, annotations.ch_names,
                                          strict=True):
        parts = str(desc).split("/")
        event = parts[0]
        kind = parts[1] if event == "discharge" and len(parts) > 2 else None
        k = parts[2] if event == "discharge" and len(parts) > 2 else (
            parts[1] if len(parts) > 1 else "na")
        rows.append({"onset": float(onset), "duration": float(duration), "trial_type": desc,
                     "event": event, "trial": None if k == "na" or not k.isdigit() else int(k),
                     "kind": kind, "censored": parts[-1] == "censored",
                     "channel": chs[0] if len(chs) else None})
    out = pd.DataFrame(rows, columns=["onset", "duration", "trial_type", "event", "trial",
                                      "kind", "censored", "channel"])
    out["trial"] = out["trial"].astype("Int64")
    return out


#: The task label of a recording without a BIDS name (ours: the task myoemg analyses).
DEFAULT_TASK = "grip"
#: The ``desc-`` label of every file myoemg names by BIDS entities.
DESCRIPTION = "myoemg"


def source_entities(analysis) -> tuple[dict[str, str], bool]:
    """The BIDS entities that name the outputs of ``analysis``, and where they came from.

    Parameters
    ----------
    analysis : Analysis
        The result of :func:`myoemg.analyze`.

    Returns
    -------
    entities : dict of str -> str
        mne-bids entity names to labels. For a BIDS-EMG input, the entities of its file name
        (read by mne-bids): subject, session, task, acquisition, run, ... as they are. For any
        other input, ``subject`` and ``session`` from the recording's metadata when they are
        codes (letters and digits are kept: BIDS labels hold nothing else; a name is never
        used, the readers keep only code fields) and ``task`` :data:`DEFAULT_TASK`.
    from_bids : bool
        True when the entities come from a BIDS file name.
    """
    inputs = analysis.summary.inputs
    first = inputs[0] if inputs else None
    if first and is_bids_emg_file(first):
        try:
            return bids_entities(first), True
        except RecordingError as err:
            logger.warning("%s; outputs are named from the recording's metadata instead.", err)
    meta = analysis.summary.metadata
    ents = {}
    for key in ("subject", "session"):
        label = re.sub(r"[^A-Za-z0-9]", "", str(meta.get(key) or ""))
        if label:
            ents[key] = label
    ents["task"] = DEFAULT_TASK
    return ents, False


def bids_stem(analysis) -> str:
    """``<entities>_desc-myoemg``: the stem of the files named by BIDS entities.

    For example ``sub-01_ses-01_task-grip_run-1_desc-myoemg`` for
    ``sub-01_ses-01_task-grip_run-1_emg.edf``, ``sub-P07_task-grip_desc-myoemg`` for an EDF+
    whose patient code is P07, ``task-grip_desc-myoemg`` without a subject code (see
    :func:`source_entities`).
    """
    return str(bids_derivative_path(source_entities(analysis)[0], description=DESCRIPTION))


def write_events_tsv(analysis, directory, *, stem=None, overwrite=True) -> dict[str, Path]:
    """Write ``<stem>_events.tsv`` and ``<stem>_events.json`` (BIDS-compatible).

    Parameters
    ----------
    analysis : Analysis
        The result of :func:`myoemg.analyze`.
    directory : str | Path
        Output folder.
    stem : str | None
        File stem before ``_events``; default :func:`bids_stem` (the recording's BIDS
        entities and ``desc-myoemg``).
    overwrite : bool
        Replace existing files.

    Returns
    -------
    paths : dict
        ``events`` and ``events_sidecar`` paths.
    """
    directory = Path(directory)
    stem = stem or bids_stem(analysis)
    ev = events_table(analysis.trials, analysis.discharges)
    paths = {"events": directory / f"{stem}_events.tsv",
             "events_sidecar": directory / f"{stem}_events.json"}
    with atomic_path(paths["events"], overwrite=overwrite) as tmp:
        ev.to_csv(tmp, sep="\t", index=False, na_rep="n/a", float_format="%.6f")
    force = ({"peak_force_n": {"Description": "Peak grip force above baseline", "Units": "N"}}
             if "peak_force_n" in ev else
             {"peak_force_au": {"Description": ("Peak grip force above baseline, uncalibrated "
                                                "(the device's arbitrary units, not newtons)"),
                                "Units": "a.u."}})
    sidecar = {}
    for key, value in _EVENTS_SIDECAR.items():  # the force column before 'relaxed', as in ev
        if key == "relaxed":
            sidecar.update(force)
        sidecar[key] = value
    write_text_atomic(paths["events_sidecar"], json.dumps(sidecar, indent=2) + "\n",
                      overwrite=overwrite)
    return paths


def write_parquet(analysis, directory, *, stem=None, overwrite=True) -> dict[str, Path]:
    """Write ``trials.parquet`` and ``discharges.parquet`` when pyarrow is installed.

    Parameters
    ----------
    analysis : Analysis
        The result of :func:`myoemg.analyze`.
    directory : str | Path
        Output folder.
    stem : str | None
        Prefix of the names (``<stem>_trials.parquet``); None: ``trials.parquet``.
    overwrite : bool
        Replace existing files.

    Returns
    -------
    paths : dict
        ``trials_parquet`` and ``discharges_parquet``; empty when pyarrow is missing.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        logger.info("pyarrow not installed: no Parquet files (pip install pyarrow)")
        return {}
    directory = Path(directory)
    paths = {}
    for name, table in (("trials", analysis.trials), ("discharges", analysis.discharges)):
        path = directory / (f"{stem}_{name}.parquet" if stem else f"{name}.parquet")
        with atomic_path(path, overwrite=overwrite) as tmp:
            _arrow_safe(table).to_parquet(tmp, index=False, engine="pyarrow")
        paths[f"{name}_parquet"] = path
    return paths


def _arrow_safe(table):
    """Object columns holding mixed values become strings (Parquet needs one type a column)."""
    out = table.copy()
    for col in out.columns:
        if out[col].dtype != object:
            continue
        values = [v for v in out[col] if not (v is None or (isinstance(v, float)
                                                             and math.isnan(v)))]
        if len({type(v) for v in values}) > 1:
            out[col] = [None if v is None or (isinstance(v, float) and math.isnan(v))
                        else str(v) for v in out[col]]
    return out


__all__ = ["DEFAULT_TASK", "DESCRIPTION", "EVENTS_COLUMNS", "annotations_to_frame",
           "bids_stem", "events_columns", "events_table", "source_entities", "to_annotations",
           "write_events_tsv", "write_parquet"]
