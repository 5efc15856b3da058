"""Score detected events against labelled ones: precision, recall, F1, onset/offset error.

After YASA's ``compare_detection`` (an event is found when a detection starts within a
tolerance of it), extended to interval events: a detection and a labelled event of the same
kind (and the same ``segment`` / ``channel`` / ``trial`` where both tables have that column)
match when their starts differ by at most ``tolerance_s`` **or** their intervals overlap by at
least ``min_overlap`` (intersection over union). Matching is one-to-one and maximises the
number of matches (Hungarian algorithm on the overlap).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

#: Columns of the table returned by :func:`score_detections`.
SCORE_COLUMNS = ["kind", "n_truth", "n_found", "n_matched", "precision", "recall", "f1",
                 "onset_error_s", "offset_error_s"]

_KEYS = ("segment", "channel", "trial")


def _shared_keys(found, truth):
    keys = []
    for k in _KEYS:
        if k in found.columns and k in truth.columns and truth[k].notna().any() \
                and found[k].notna().any():
            keys.append(k)
    return keys


def match_events(found, truth, *, tolerance_s=0.1, min_overlap=0.3, kind_col="kind",
                 same_kind=True):
    """Pair detections with labelled events, one to one.

    Parameters
    ----------
    found, truth : DataFrame
        Tables with ``start_s``, ``end_s`` and ``kind`` columns (plus optional ``segment``,
        ``channel``, ``trial``, matched on when present in both).
    tolerance_s : float
        Largest onset difference for a match, s.
    min_overlap : float | None
        Least intersection-over-union for a match; ``None`` to match on onsets only.
    kind_col : str
        Column holding the kind.
    same_kind : bool
        Only pair rows of the same kind (False: pair any kinds, e.g. for a confusion table).

    Returns
    -------
    matches : DataFrame
        One row per pair: ``found_index``, ``truth_index`` (index labels of the inputs),
        ``onset_error_s`` and ``offset_error_s`` (found − truth, s) and ``overlap`` (IoU).
    """
    keys = _shared_keys(found, truth)
    if same_kind:
        keys = [*keys, kind_col]
    rows = []
    f_groups = dict(iter(found.groupby(keys, sort=False, dropna=False))) if keys else {(): found}
    t_groups = truth.groupby(keys, sort=False, dropna=False) if keys else [((), truth)]
    for key, tg in t_groups:
        fg = f_groups.get(key)
        if fg is None or len(fg) == 0 or len(tg) == 0:
            continue
        fs0, fe0 = fg["start_s"].to_numpy(float)[:, None], fg["end_s"].to_numpy(float)[:, None]
        ts0, te0 = tg["start_s"].to_numpy(float)[None, :], tg["end_s"].to_numpy(float)[None, :]
        inter = np.clip(np.minimum(fe0, te0) - np.maximum(fs0, ts0), 0, None)
        union = np.maximum(fe0, te0) - np.minimum(fs0, ts0)
        with np.errstate(divide="ignore", invalid="ignore"):
            iou = np.where(union > 0, inter / union, 0.0)
        ok = np.abs(fs0 - ts0) <= tolerance_s
        if min_overlap is not None:
            ok |= iou >= min_overlap
        if not ok.any():
            continue
        cost = np.where(ok, -(1.0 + iou), 0.0)
        r, c = linear_sum_assignment(cost)
        good = ok[r, c]
        r, c = r[good], c[good]
        rows.append(pd.DataFrame({
            "found_index": fg.index[r], "truth_index": tg.index[c],
            "onset_error_s": fs0[r, 0] - ts0[0, c], "offset_error_s": fe0[r, 0] - te0[0, c],
            "overlap": iou[r, c],
        }))
    if not rows:
        return pd.DataFrame({"found_index": [], "truth_index": [], "onset_error_s": [],
                             "offset_error_s": [], "overlap": []})
    return pd.concat(rows, ignore_index=True)


def score_detections(found, truth, *, tolerance_s=0.1, min_overlap=0.3, kinds=None):
    """Precision, recall, F1 and timing errors of detected events, per kind.

    Parameters
    ----------
    found : DataFrame
        Detections, with ``start_s``, ``end_s``, ``kind`` (e.g. from
        :func:`myoemg.detect.detect_discharges`, with a ``segment`` column added when several
        recordings are pooled).
    truth : DataFrame
        Labelled events, same columns (e.g. from :mod:`myoemg.sim`).
    tolerance_s : float
        Largest onset difference for a match, s (YASA-style).
    min_overlap : float | None
        Least intersection over union for a match; ``None`` matches on onsets only.
    kinds : list of str | None
        Kinds to score; default every kind in either table.

    Returns
    -------
    scores : DataFrame
        One row per kind, columns ``kind, n_truth, n_found, n_matched, precision, recall, f1,
        onset_error_s, offset_error_s``: precision = matched / found, recall = matched /
        truth, F1 their harmonic mean (NaN when undefined), and the median absolute onset and
        offset error of the matches, s.

    Notes
    -----
    Matching is one to one, so a labelled train found as two pieces counts one match and one
    false detection. See :func:`match_events`.
    """
    matches = match_events(found, truth, tolerance_s=tolerance_s, min_overlap=min_overlap)
    if kinds is None:
        kinds = sorted(set(found["kind"].dropna()) | set(truth["kind"].dropna()))
    tkind = truth["kind"].reindex(matches["truth_index"]).to_numpy() if len(matches) else []
    rows = []
    for kind in kinds:
        n_truth = int((truth["kind"] == kind).sum())
        n_found = int((found["kind"] == kind).sum())
        sel = matches[np.asarray(tkind) == kind] if len(matches) else matches
        n_match = len(sel)
        precision = n_match / n_found if n_found else np.nan
        recall = n_match / n_truth if n_truth else np.nan
        f1 = (2 * precision * recall / (precision + recall)
              if n_found and n_truth and (precision + recall) > 0 else
              (0.0 if n_found and n_truth else np.nan))
        rows.append({
            "kind": kind, "n_truth": n_truth, "n_found": n_found, "n_matched": n_match,
            "precision": precision, "recall": recall, "f1": f1,
            "onset_error_s": float(np.median(np.abs(sel["onset_error_s"]))) if n_match else np.nan,
            "offset_error_s": float(np.median(np.abs(sel["offset_error_s"]))) if n_match
            else np.nan,
        })
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def confusion_table(found, truth, *, tolerance_s=0.1, min_overlap=0.3):
    """Count, for each labelled kind, the kind given by the best-matching detection.

    Parameters
    ----------
    found, truth : DataFrame
        As in :func:`score_detections`.
    tolerance_s, min_overlap : float
        As in :func:`match_events` (pairs are made whatever their kinds).

    Returns
    -------
    table : DataFrame
        Rows: true kinds; columns: detected kinds plus ``'missed'``; values: counts.
    """
    matches = match_events(found, truth, tolerance_s=tolerance_s, min_overlap=min_overlap,
                           same_kind=False)
    called = pd.Series("missed", index=truth.index, dtype=object)
    if len(matches):
        called.loc[matches["truth_index"].to_numpy()] = \
            found["kind"].reindex(matches["found_index"]).to_numpy()
    return pd.crosstab(truth["kind"], called.rename("called"))


def spike_time_f1(found_s, truth_s, *, tolerance_s):
    """F1 of detected spike times against true ones, matched one to one within a tolerance.

    Parameters
    ----------
    found_s, truth_s : array-like, shape (n,)
        Spike times, s.
    tolerance_s : float
        Largest time difference of a match, s.

    Returns
    -------
    f1 : float
        ``2·matches / (n_found + n_truth)``; NaN when both are empty. Matching is greedy in
        time order, which is optimal when the tolerance is below half the shortest interval.
    """
    f = np.sort(np.asarray(found_s, float))
    t = np.sort(np.asarray(truth_s, float))
    if f.size + t.size == 0:
        return float("nan")
    if f.size == 0 or t.size == 0:
        return 0.0
    pos = np.clip(np.searchsorted(f, t), 1, max(1, f.size - 1))
    left, right = f[pos - 1], f[np.minimum(pos, f.size - 1)]
    nearest = np.where(np.abs(left - t) <= np.abs(right - t), pos - 1, np.minimum(pos, f.size - 1))
    ok = np.abs(f[nearest] - t) <= tolerance_s
    matches = np.unique(nearest[ok]).size  # one found spike matches one true spike
    return float(2 * matches / (f.size + t.size))
