"""Run the whole pipeline (``myoemg.analyze``) on the held-out family and score it.

Usage (from the repository root)::

    python -m benchmarks.heldout.evaluate --n-sessions 50 --seed0 90000 [--jobs 2]
                                          [--json out.json]

Each session is generated and analysed in a worker process (``--jobs``, default 2); only the
tables come back. Scores: per-trial myotonic precision / recall, overall and by number of
fibres, SNR, rate, electrode / rate, hum and start before / after release; look-alikes (false
myotonic calls, found and named); after-activity error; RT90-5 error; and, when the analysis
has a ``spikes`` table, unit-level spike-time F1 and units found vs fibres present.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from . import scoring
from .generate import make_session

DISCHARGE_KEEP = ["channel", "start_s", "end_s", "kind", "n_spikes", "rate_start_hz",
                  "rate_max_hz", "rate_end_hz", "amplitude_max_uv"]


def _truth_trial_of(times, truth_trials):
    """Truth trial whose window (release − 0.5 s to next onset) holds each time; −1 if none."""
    lo = truth_trials["release_s"].to_numpy(float) - scoring.MATCH_TOL_S
    k = np.searchsorted(lo, times, side="right") - 1
    return np.where(k >= 0, truth_trials["trial"].to_numpy()[np.clip(k, 0, None)], -1)


def run_session(seed):
    """Generate one session, analyse it, return the tables needed for scoring."""
    import myoemg

    t0 = time.perf_counter()
    rec, truth = make_session(seed)
    t1 = time.perf_counter()
    out = {"seed": seed, "truth_trials": truth.trials, "fibres": truth.fibres,
           "session": truth.session, "generate_s": t1 - t0, "error": None,
           "n_emg_samples": int(sum(ch.n_times for ch in rec.emg))}
    try:
        an = myoemg.analyze(rec)
    except Exception as err:  # noqa: BLE001 - a failure is a result, recorded per session
        out.update(error=f"{type(err).__name__}: {err}", analyze_s=time.perf_counter() - t1,
                   an_trials=pd.DataFrame(), discharges=pd.DataFrame(columns=DISCHARGE_KEEP))
        return out
    out["analyze_s"] = time.perf_counter() - t1
    out["an_trials"] = an.trials[["trial", "onset_s", "release_s", "rt90_5_s", "myotonic",
                                  "after_activity_s"]].copy()
    out["discharges"] = an.discharges[[c for c in DISCHARGE_KEEP if c in an.discharges]].copy()
    spikes = getattr(an, "spikes", None)
    if isinstance(spikes, pd.DataFrame):
        keep = [c for c in ("channel", "unit", "time_s", "kind") if c in spikes.columns]
        sp = spikes[keep].copy()
        sp["truth_trial"] = _truth_trial_of(sp["time_s"].to_numpy(float), truth.trials)
        out["an_spikes"], out["spikes"] = sp, truth.spikes
    return out


def score(results):
    """All scores of a list of :func:`run_session` results, and the per-trial table.

    Returns
    -------
    scores : dict
        JSON-able.
    per_trial : DataFrame
        Truth trials with the analysis' call (see :func:`scoring.trial_results`).
    """
    per_trial, extras, f1s, counts = [], [], [], []
    for r in results:
        res, extra = scoring.trial_results(r["truth_trials"], r["an_trials"], r["discharges"])
        res["seed"] = r["seed"]
        per_trial.append(res)
        extras.append(extra)
        if "an_spikes" in r:
            f1, cnt = scoring.unit_scores(res, r["fibres"], r["spikes"], r["an_spikes"],
                                          r["session"]["electrode"])
            f1s.append(f1.assign(seed=r["seed"]))
            counts.append(cnt.assign(seed=r["seed"]))
    res = pd.concat(per_trial, ignore_index=True)
    out = {
        "n_sessions": len(results), "n_trials": len(res),
        "n_errors": sum(r["error"] is not None for r in results),
        "errors": [f"{r['seed']}: {r['error']}" for r in results if r["error"]],
        "n_trials_unmatched": int((~res["matched"]).sum()),
        "n_extra_trials": sum(e["n_extra_trials"] for e in extras),
        "n_extra_myotonic_calls": sum(e["n_extra_myotonic_calls"] for e in extras),
        "overall": scoring.precision_recall(res),
        "tables": {k: v.to_dict("records") for k, v in scoring.tables(res).items()},
        "lookalikes": scoring.lookalike_table(res).to_dict("records"),
        "after_activity": scoring.after_activity(res),
        "rt90_5": scoring.rt_error(res),
        "timing": {"generate_s_mean": float(np.mean([r["generate_s"] for r in results])),
                   "analyze_s_mean": float(np.mean([r["analyze_s"] for r in results]))},
    }
    if f1s:
        f1 = pd.concat(f1s, ignore_index=True)
        cnt = pd.concat(counts, ignore_index=True)
        out["units"] = {"n_fibres_snr5": len(f1), "f1_median": float(f1["f1"].median()),
                        "f1_mean": float(f1["f1"].mean()),
                        "frac_f1_ge_0.9": float((f1["f1"] >= 0.9).mean()),
                        "confusion": pd.crosstab(cnt["present"], cnt["found"].clip(upper=10))
                        .to_dict()}
    else:
        out["units"] = "skipped: the analysis has no `spikes` table"
    return out, res


def _fmt(v):
    if isinstance(v, float):
        return "nan" if math.isnan(v) else f"{v:.3f}"
    return str(v)


def _print_table(title, rows, cols):
    print(f"\n{title}")
    print("  " + " | ".join(f"{c:>14}" for c in cols))
    for r in rows:
        print("  " + " | ".join(f"{_fmt(r.get(c)):>14}" for c in cols))


def report(s, wall_s):
    """Print the scores as readable tables."""
    o = s["overall"]
    print(f"held-out family: {s['n_sessions']} sessions, {s['n_trials']} trials "
          f"({o['n_myotonic']} myotonic), {s['n_errors']} analysis errors, "
          f"wall time {wall_s:.1f} s")
    print(f"trials unmatched: {s['n_trials_unmatched']}; extra detected trials: "
          f"{s['n_extra_trials']} ({s['n_extra_myotonic_calls']} called myotonic)")
    print(f"PER-TRIAL MYOTONIC: precision {_fmt(o['precision'])}  recall {_fmt(o['recall'])}  "
          f"(TP {o['tp']}, FP {o['fp']}, FN {o['fn']}, TN {o['tn']})")
    cols = ["bin", "n", "n_myotonic", "tp", "fp", "fn", "precision", "recall"]
    for name, rows in s["tables"].items():
        _print_table(f"by {name}", rows, cols)
    _print_table("look-alikes", s["lookalikes"],
                 ["lookalike", "n_trials", "n_negative", "false_myotonic", "found", "named",
                  "accepted_names"])
    print("  kinds reported by the analysis in those trials:")
    for r in s["lookalikes"]:
        print(f"    {r['lookalike']:>18}: {r['kinds_found']}")
    aa = s["after_activity"]
    for k, v in aa.items():
        print(f"\nafter-activity ({k}): n {v['n']}, median |rel err| "
              f"{_fmt(v['median_rel_err'])}, p90 {_fmt(v['p90_rel_err'])}")
    for k, v in s["rt90_5"].items():
        print(f"RT90-5 ({k}): n {v['n']}, median |rel err| {_fmt(v['median_rel_err'])}, "
              f"p90 {_fmt(v['p90_rel_err'])}")
    u = s["units"]
    if isinstance(u, str):
        print(f"\nunit level: {u}")
    else:
        print(f"\nunit level: {u['n_fibres_snr5']} fibres with SNR >= 5, F1 median "
              f"{_fmt(u['f1_median'])}, share F1 >= 0.9 {_fmt(u['frac_f1_ge_0.9'])}")
        print(pd.DataFrame(u["confusion"]).fillna(0).astype(int).to_string())
    t = s["timing"]
    print(f"\nper session: generate {t['generate_s_mean']:.2f} s, analyze "
          f"{t['analyze_s_mean']:.2f} s (mean)")
    for e in s["errors"]:
        print(f"ERROR {e}")


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return None if not math.isfinite(obj) else float(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-sessions", type=int, default=50)
    parser.add_argument("--seed0", type=int, default=90000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", default=None, help="write every number to this JSON file")
    parser.add_argument("--csv", default=None, help="write the per-trial table to this CSV")
    args = parser.parse_args(argv)
    seeds = range(args.seed0, args.seed0 + args.n_sessions)
    t0 = time.perf_counter()
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as ex:
            results = list(ex.map(run_session, seeds))
    else:
        results = [run_session(s) for s in seeds]
    wall = time.perf_counter() - t0
    s, per_trial = score(results)
    s["timing"]["wall_s"] = wall
    s["seeds"] = [args.seed0, args.seed0 + args.n_sessions - 1]
    report(s, wall)
    if args.json:
        tmp = f"{args.json}.tmp{os.getpid()}"
        with open(tmp, "w") as fh:
            json.dump(_jsonable(s), fh, indent=1)
        os.replace(tmp, args.json)
    if args.csv:
        tmp = f"{args.csv}.tmp{os.getpid()}"
        per_trial.to_csv(tmp, index=False, float_format="%.6g")
        os.replace(tmp, args.csv)


if __name__ == "__main__":
    main()
