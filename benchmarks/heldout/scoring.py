"""Scores of ``myoemg.analyze`` against held-out truth (pure functions on DataFrames).

Per-trial myotonic precision / recall (trials matched by release time within 0.5 s, else by
onset), tabled by the properties of the truth; look-alikes found and named; after-activity
error; unit-level spike-time F1 when the analysis has a ``spikes`` table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MATCH_TOL_S = 0.5
#: myoemg discharge kinds that name each look-alike correctly (besides the look-alike's own
#: name, should myoemg grow it). myoemg has one class for fibrillation potentials and positive
#: sharp waves, and none for fasciculations: an isolated motor-unit potential, so 'voluntary'
#: is the nearest name. 'other' is never accepted: the detector reports it in most silent
#: trials (see the 'none (silence)' row).
ACCEPTED_NAMES = {"crd": {"crd"}, "fibrillation": {"fibrillation"}, "psw": {"fibrillation"},
                  "neuromyotonic": {"neuromyotonic"}, "fasciculation": {"voluntary"},
                  "voluntary_tremor": {"voluntary"}, "slow_letgo": {"voluntary"}}
UNIT_TOL_S = {"surface": 1e-3, "needle": 0.5e-3}
BINS = {
    "n_fibres": ([1, 2, 3, 4, 6, 11], ["1", "2", "3", "4-5", "6-10"]),
    "snr_max": ([0, 5, 10, 20, np.inf], ["<5", "5-10", "10-20", ">=20"]),
    "snr_min": ([0, 5, 10, 20, np.inf], ["<5", "5-10", "10-20", ">=20"]),
    "rate_max_hz": ([0, 60, 100, np.inf], ["<60", "60-100", ">=100"]),
    "start_rel_s": ([-np.inf, 0, np.inf], ["before release", "after release"]),
}


def match_trials(truth, found):
    """Index of the ``found`` row matching each truth trial (−1 if none), and the rule used."""
    idx, how = np.full(len(truth), -1), np.full(len(truth), "none", dtype=object)
    used = set()
    for col in ("release_s", "onset_s"):
        if not len(found):
            break
        f = found[col].to_numpy(float)
        for i, t in enumerate(truth[col].to_numpy(float)):
            if idx[i] >= 0:
                continue
            d = np.abs(f - t)
            d[list(used)] = np.inf
            j = int(np.nanargmin(d)) if np.isfinite(d).any() else -1
            if j >= 0 and d[j] <= MATCH_TOL_S:
                idx[i], how[i] = j, col
                used.add(j)
    return idx, how


def trial_results(truth, an_trials, discharges):
    """Truth trials with the analysis' call, the discharges of each trial and their names.

    Returns the truth trials plus ``matched``, ``match_rule``, ``called`` (bool), ``rt_found_s``,
    ``after_activity_found_s``, ``myo_end_s`` (latest end of a myotonic discharge of the
    trial), ``kinds_found`` (comma list of the discharge kinds in the trial), and the number of
    detected trials that match no truth trial and were called myotonic.
    """
    tr = truth.reset_index(drop=True).copy()
    idx, how = match_trials(tr, an_trials)
    ok = idx >= 0
    tr["matched"], tr["match_rule"] = ok, how
    take = an_trials.iloc[np.where(ok, idx, 0)] if len(an_trials) else None
    called = np.zeros(len(tr), bool)
    if take is not None:
        myo = pd.array(take["myotonic"], dtype="boolean").fillna(False).to_numpy(bool)
        called = ok & myo
        tr["rt_found_s"] = np.where(ok, take["rt90_5_s"].to_numpy(float), np.nan)
        tr["after_activity_found_s"] = np.where(ok, take["after_activity_s"].to_numpy(float),
                                                np.nan)
    else:
        tr["rt_found_s"] = tr["after_activity_found_s"] = np.nan
    tr["called"] = called
    # discharges belong to the truth trial whose window holds their start (release - 0.5 s to
    # the next onset), so that trains starting under the contraction still count
    lo = tr["release_s"].to_numpy(float) - MATCH_TOL_S
    hi = np.append(tr["onset_s"].to_numpy(float)[1:], np.inf)
    kinds, myo_end = [], []
    for a, b in zip(lo, hi, strict=True):
        d = discharges[(discharges["start_s"] >= a) & (discharges["start_s"] < b)]
        kinds.append(",".join(sorted(set(d["kind"].astype(str)))))
        m = d[d["kind"] == "myotonic"]
        myo_end.append(float(m["end_s"].max()) if len(m) else np.nan)
    tr["kinds_found"], tr["myo_end_s"] = kinds, myo_end
    extra = np.setdiff1d(np.arange(len(an_trials)), idx[ok])
    extra_fp = int(pd.array(an_trials.iloc[extra]["myotonic"], dtype="boolean")
                   .fillna(False).sum()) if extra.size else 0
    return tr, {"n_extra_trials": int(extra.size), "n_extra_myotonic_calls": extra_fp}


def precision_recall(df):
    """TP, FP, FN, TN, precision and recall of ``called`` against ``myotonic``."""
    y, p = df["myotonic"].to_numpy(bool), df["called"].to_numpy(bool)
    tp, fp = int((y & p).sum()), int((~y & p).sum())
    fn, tn = int((y & ~p).sum()), int((~y & ~p).sum())
    return {"n": len(df), "n_myotonic": tp + fn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": tp / (tp + fp) if tp + fp else np.nan,
            "recall": tp / (tp + fn) if tp + fn else np.nan}


def _by(df, labels, order=None):
    rows = []
    present = set(labels.dropna())
    for lab in [o for o in (order or sorted(present)) if o in present]:
        rows.append({"bin": str(lab), **precision_recall(df[labels == lab])})
    return pd.DataFrame(rows)


def tables(res):
    """Per-trial P/R tables: by fibre-level bins (myotonic trials) and by session conditions."""
    out = {}
    myo = res[res["myotonic"]]
    for col, (edges, names) in BINS.items():
        lab = pd.cut(myo[col], edges, labels=names, right=False)
        out[col] = _by(myo, lab.astype(object), order=names)
    fs_lab = np.where(res["electrode"] == "surface",
                      np.where(res["fs_emg"] < 2000, "surface 1-2 kHz", "surface 2-4 kHz"),
                      np.where(res["fs_emg"] < 32000, "needle 20-32 kHz", "needle 32-48 kHz"))
    out["electrode_fs"] = _by(res, pd.Series(fs_lab, index=res.index))
    hum = pd.cut(res["hum_uv"], [-1, 0.01, 5, 20, np.inf],
                 labels=["0", "<5 uV", "5-20 uV", ">=20 uV"])
    hum = hum.astype(object) + " @" + res["mains_hz"].fillna(0).astype(int).astype(str)
    out["hum"] = _by(res, hum.str.replace(" @0", ""))
    out["session"] = _by(res, res["session_class"] + "/" + res["pattern"])
    return out


def _kind_counts(kinds):
    """'other:12 crd:3' from a Series of comma lists of discharge kinds."""
    flat = pd.Series([k for ks in kinds for k in ks.split(",") if k])
    return " ".join(f"{k}:{n}" for k, n in flat.value_counts().items())


def lookalike_table(res):
    """Per look-alike kind: trials, false myotonic calls, found (any non-myotonic train), named.

    ``kinds_found`` counts, over the trials, the discharge kinds the analysis reported there.
    """
    rows = []
    for kind, g in res[res["lookalike"] != "none"].groupby("lookalike"):
        neg = g[~g["myotonic"]]
        kinds = g["kinds_found"].str.split(",")
        found = kinds.map(lambda ks: any(k and k != "myotonic" for k in ks))
        accepted = ACCEPTED_NAMES[kind] | {kind}
        named = kinds.map(lambda ks, acc=accepted: bool(set(ks) & acc))
        rows.append({"lookalike": kind, "n_trials": len(g), "n_negative": len(neg),
                     "false_myotonic": int(neg["called"].sum()), "found": int(found.sum()),
                     "named": int(named.sum()), "accepted_names": "/".join(sorted(accepted)),
                     "kinds_found": _kind_counts(g["kinds_found"])})
    healthy = res[(res["lookalike"] == "none") & ~res["myotonic"]]
    rows.append({"lookalike": "none (silence)", "n_trials": len(healthy),
                 "n_negative": len(healthy), "false_myotonic": int(healthy["called"].sum()),
                 "found": int((healthy["kinds_found"] != "").sum()), "named": np.nan,
                 "accepted_names": "-", "kinds_found": _kind_counts(healthy["kinds_found"])})
    myo = res[res["myotonic"]]
    rows.append({"lookalike": "(myotonic trials)", "n_trials": len(myo), "n_negative": 0,
                 "false_myotonic": 0, "found": int(myo["kinds_found"].str.contains(
                     "myotonic").sum()), "named": np.nan, "accepted_names": "myotonic",
                 "kinds_found": _kind_counts(myo["kinds_found"])})
    return pd.DataFrame(rows)


def _err_stats(found, true):
    rel = np.abs(found - true) / true
    rel = rel[np.isfinite(rel)]
    if not rel.size:
        return {"n": 0, "median_rel_err": np.nan, "p90_rel_err": np.nan}
    return {"n": int(rel.size), "median_rel_err": float(np.median(rel)),
            "p90_rel_err": float(np.percentile(rel, 90))}


def after_activity(res):
    """|relative error| of the after-activity on true myotonic trials with a myotonic train."""
    m = res[res["myotonic"]]
    true = (m["last_end_s"] - m["release_s"]).to_numpy(float)
    by_train = _err_stats((m["myo_end_s"] - m["release_s"]).to_numpy(float), true)
    by_column = _err_stats(m["after_activity_found_s"].to_numpy(float), true)
    return {"last_myotonic_train_end": by_train, "trials_after_activity_s": by_column}


def rt_error(res):
    """|relative error| of RT90-5 on matched trials, all and split by sagging grips."""
    out = {}
    for name, sel in (("all", res["matched"]), ("not_sagged", res["matched"] & ~res["sagged"]),
                      ("sagged", res["matched"] & res["sagged"])):
        out[name] = _err_stats(res.loc[sel, "rt_found_s"].to_numpy(float),
                               res.loc[sel, "rt90_5_s"].to_numpy(float))
    return out


def spike_f1(true_s, found_s, tol_s):
    """Spike-time F1 with one-to-one matching within ``tol_s`` (nearest neighbour)."""
    true_s, found_s = np.sort(true_s), np.sort(found_s)
    if not true_s.size or not found_s.size:
        return 0.0
    j = np.clip(np.searchsorted(found_s, true_s), 1, found_s.size - 1)
    near = np.where(np.abs(found_s[j - 1] - true_s) <= np.abs(found_s[j] - true_s), j - 1, j)
    if found_s.size == 1:
        near = np.zeros_like(near)
    hit = np.abs(found_s[near] - true_s) <= tol_s
    tp = np.unique(near[hit]).size
    return 2 * tp / (true_s.size + found_s.size)


def unit_scores(res, fibres, spikes, an_spikes, electrode):
    """Per myotonic fibre with peak SNR ≥ 5: best unit F1; per (trial, channel): counts.

    ``an_spikes`` has ``channel``, ``trial`` (analysis trial number), ``unit``, ``time_s``;
    analysis trials are mapped to truth trials through ``res`` (``matched`` rows).
    """
    tol = UNIT_TOL_S[electrode]
    an = an_spikes.copy()
    if "kind" in an.columns:
        an = an[an["kind"] == "myotonic"]
    f1_rows, counts = [], []
    myo = fibres[fibres["kind"] == "myotonic"]
    for (trial, ch), fib in myo.groupby(["trial", "channel"]):
        cand = an[(an["truth_trial"] == trial) & (an["channel"] == ch)]
        units = {u: g["time_s"].to_numpy(float) for u, g in cand.groupby("unit")}
        counts.append({"trial": trial, "channel": ch, "present": len(fib), "found": len(units)})
        for f in fib[fib["peak_snr"] >= 5].itertuples():
            t = spikes.loc[spikes["fibre"] == f.fibre, "time_s"].to_numpy(float)
            best = max((spike_f1(t, u, tol) for u in units.values()), default=0.0)
            f1_rows.append({"fibre": f.fibre, "trial": trial, "peak_snr": f.peak_snr, "f1": best})
    return pd.DataFrame(f1_rows), pd.DataFrame(counts)
