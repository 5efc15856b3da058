"""The one place the batch layer reads an analysis: its row of ``sessions.csv`` and its ids.

Everything the batch takes from :class:`myoemg.Analysis` besides the tables it saves goes
through :func:`summary_values`, so a change in how the summary is typed is adapted here only.
"""

from __future__ import annotations

import math

#: Keys of the per-recording row of ``sessions.csv`` taken from the analysis.
SESSION_COLUMNS = ["pattern", "grade", "n_trials", "n_relaxed", "rt90_5_first_s",
                   "rt90_5_last_s", "rt90_5_min_s", "rt90_5_median_s", "rt90_50_first_s",
                   "rt50_5_first_s", "peak_force_max_n", "after_activity_max_s",
                   "n_discharges", "n_myotonic_discharges", "n_myotonic_trials"]
#: Session-level values read from the summary (the rest of a row comes from the trials table).
_SUMMARY_KEYS = ("pattern", "n_trials", "n_relaxed", "rt90_5_first_s", "rt90_5_last_s",
                 "rt90_5_min_s", "peak_force_max_n", "n_discharges", "n_myotonic_discharges",
                 "n_myotonic_trials")


def summary_values(summary):
    """Scalars of an analysis summary: :data:`_SUMMARY_KEYS`, ``grade``, ``subject``, ``session``.

    Parameters
    ----------
    summary : dict | object with ``to_dict()``
        ``Analysis.summary`` (a dict today; a typed summary with ``to_dict()`` works too).

    Returns
    -------
    values : dict
        Missing entries are None.
    """
    if hasattr(summary, "to_dict"):
        summary = summary.to_dict()
    grade = summary.get("grade")
    if isinstance(grade, dict):
        grade = grade.get("grade")
    meta = summary.get("metadata") or {}
    return {**{k: summary.get(k) for k in _SUMMARY_KEYS}, "grade": grade,
            "subject": meta.get("subject"), "session": meta.get("session")}


def session_row(values, trials):
    """One row of ``sessions.csv`` (:data:`SESSION_COLUMNS`), JSON-safe.

    Parameters
    ----------
    values : dict
        From :func:`summary_values`.
    trials : DataFrame
        ``Analysis.trials`` (``rt90_5_s``, ``rt90_50_s``, ``rt50_5_s``, ``after_activity_s``).

    Returns
    -------
    row : dict
    """
    import numpy as np

    def first(col):
        return trials[col].iloc[0] if len(trials) else math.nan

    rt = trials["rt90_5_s"].to_numpy(float)
    aa = trials["after_activity_s"].to_numpy(float)
    row = {**values,
           "rt90_5_median_s": np.nanmedian(rt) if np.isfinite(rt).any() else math.nan,
           "rt90_50_first_s": first("rt90_50_s"), "rt50_5_first_s": first("rt50_5_s"),
           "after_activity_max_s": np.nanmax(aa) if np.isfinite(aa).any() else math.nan}
    return {k: _clean(row[k]) for k in SESSION_COLUMNS}


def _clean(value):
    """JSON-safe scalar: NaN -> None, numpy -> Python."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
