"""Benchmark of the myotonic-discharge detector on labelled sessions, and its speed.

Run: python benchmarks/bench_discharges.py [--n-sessions 60] [--family tuning|heldback|both]
                                           [--skip-speed] [--skip-accuracy] [--match-overlaps]

Accuracy runs the whole pipeline (``myoemg.analyze``) on sessions of
:mod:`myoemg.sim.families` (1–10 concurrent fibres per myotonic release, hum 0–50 µV at
50/60 Hz, peak SNR 3–30, surface 1–4 kHz and needle 20–48 kHz, discharges starting up to
0.3 s before the release) and prints: per-trial myotonic precision / recall overall and by
number of fibres, SNR and rate; unit-level spike-time F1 and units found vs present;
after-activity error; look-alikes called myotonic and look-alikes found and named. Speed
times the detector on 10 min of 2 kHz surface EMG and 60 s of 44.1 kHz needle EMG against
one scipy zero-phase band-pass of the same data, in one process. ``--match-overlaps`` runs
both with ``DischargeRules(match_overlaps=True)`` (template matching of masked spikes on
surface EMG) instead of the defaults.
"""

import argparse
import time

import numpy as np
import pandas as pd
from scipy import signal as sps

import myoemg
from myoemg.detect import DischargeRules, detect_discharges
from myoemg.evaluation import spike_time_f1
from myoemg.signal import clean_emg
from myoemg.sim import trains as T
from myoemg.sim.families import make_family

#: Kind the detector should give each look-alike.
NAMED = {"crd": "crd", "fibrillation": "fibrillation", "neuromyotonic": "neuromyotonic",
         "multiplets": "neuromyotonic", "fasciculation": "fasciculation",
         "voluntary_tremor": "voluntary", "slow_letgo": "voluntary"}


def _pr(df):
    tp = int((df.myotonic & df.found).sum())
    fp = int((~df.myotonic & df.found).sum())
    fn = int((df.myotonic & ~df.found).sum())
    return {"n": len(df), "n_myotonic": int(df.myotonic.sum()), "tp": tp, "fp": fp, "fn": fn,
            "recall": tp / (tp + fn) if tp + fn else np.nan,
            "precision": tp / (tp + fp) if tp + fp else np.nan}


def _units(a, truth, electrode):
    """Per fibre (peak SNR ≥ 5): best unit's spike-time F1, overall and on spikes ≥ 5 SD."""
    tol = 1e-3 if electrode == "surface" else 0.5e-3
    rows = []
    for (trial, ch), fib in truth.fibres.groupby(["trial", "channel"]):
        sp = a.spikes[(a.spikes.trial == trial) & (a.spikes.channel == ch)]
        for f in fib.itertuples():
            ts = truth.spikes[(truth.spikes.trial == trial) & (truth.spikes.channel == ch)
                              & (truth.spikes.fibre == f.fibre)]
            snr_each = f.peak_snr * ts.amplitude_uv / ts.amplitude_uv.max()
            best, best_strong = 0.0, 0.0
            for _, us in sp.groupby("unit"):
                best = max(best, spike_time_f1(us.time_s, ts.time_s, tolerance_s=tol))
                strong = ts.time_s[snr_each >= 5]
                if len(strong):
                    span = (us.time_s >= strong.min() - tol) & (us.time_s <= strong.max() + tol)
                    best_strong = max(best_strong, spike_time_f1(us.time_s[span], strong,
                                                                 tolerance_s=tol))
            rows.append({"trial": trial, "channel": ch, "fibre": f.fibre, "peak_snr": f.peak_snr,
                         "f1": best, "f1_spikes_ge5sd": best_strong})
    return pd.DataFrame(rows)


def accuracy(family, n_sessions, rules=None):
    trials, units, present = [], [], []
    t0 = time.perf_counter()
    for rec, truth in make_family(n_sessions, family=family):
        a = myoemg.analyze(rec, discharge_rules=rules, verbose="error")
        tr = truth.trials.merge(a.trials[["trial", "myotonic", "n_myotonic_units",
                                          "myotonic_end_s"]].rename(columns={"myotonic": "found"}),
                                on="trial")
        tr["found"] = tr["found"].astype(bool)
        named = a.discharges.groupby("trial")["kind"].agg(set)
        tr["named"] = [NAMED.get(lk) in named.get(t, set()) for lk, t in zip(tr.lookalike,
                                                                             tr.trial,
                                                                             strict=True)]
        tr["session"] = rec.source
        trials.append(tr)
        electrode = rec.metadata["electrode"]
        units.append(_units(a, truth, electrode))
        myo_units = a.discharges[a.discharges.kind == "myotonic"].groupby(
            ["trial", "channel"]).size()
        for (trial, ch), fib in truth.fibres.groupby(["trial", "channel"]):
            present.append({"fibres": len(fib), "units_found": int(myo_units.get((trial, ch),
                                                                                  0))})
    tr = pd.concat(trials, ignore_index=True)
    print(f"\n######## family {family!r}: {n_sessions} sessions, {len(tr)} trials "
          f"({int(tr.myotonic.sum())} myotonic), {time.perf_counter() - t0:.0f} s")
    print("== per-trial myotonic, overall ==")
    print(pd.DataFrame([_pr(tr)]).round(3).to_string(index=False))
    myo = tr[tr.myotonic]
    for label, key in (("number of fibres", myo.n_fibres),
                       ("peak SNR of the largest fibre", pd.cut(myo.snr_max,
                                                                [0, 5, 8, 12, 20, 40])),
                       ("max rate, Hz", pd.cut(myo.rate_max_hz, [0, 60, 90, 120, 200])),
                       ("electrode", myo.electrode),
                       ("start before release", myo.start_rel_s < 0)):
        print(f"== recall by {label} ==")
        print(myo.groupby(key, observed=True).apply(
            lambda d: pd.Series({"n": len(d), "recall": d.found.mean()}),
            include_groups=False).round(3).to_string())
    look = tr[tr.lookalike != "none"]
    print("== look-alikes: called myotonic / found and named ==")
    print(look.groupby("lookalike").agg(n=("found", "size"), myotonic=("found", "sum"),
                                        named=("named", "mean")).round(2).to_string())
    u = pd.concat(units, ignore_index=True)
    u5 = u[u.peak_snr >= 5]
    print(f"== units: fibres with peak SNR >= 5: {len(u5)}; spike-time F1 median "
          f"{u5.f1.median():.3f}, mean {u5.f1.mean():.3f}; on spikes >= 5 SD: median "
          f"{u5.f1_spikes_ge5sd.median():.3f}, mean {u5.f1_spikes_ge5sd.mean():.3f}, "
          f"share >= 0.9: {(u5.f1_spikes_ge5sd >= 0.9).mean():.2f}")
    conf = pd.DataFrame(present)
    print("== myotonic units found (columns) vs myotonic fibres present (rows), per trial and "
          "channel ==")
    print(pd.crosstab(conf.fibres, conf.units_found.clip(upper=6)).to_string())
    ok = myo[myo.found]
    rel = ((ok.myotonic_end_s - ok.release_s) - (ok.last_end_s - ok.release_s)).abs() / \
        (ok.last_end_s - ok.release_s)
    print(f"== after-activity (end of last myotonic unit train - release) vs truth: median "
          f"|rel. error| {rel.median():.3f}, 90th percentile {rel.quantile(0.9):.3f} "
          f"(n={len(rel)}) ==")


def _best_of(repeat, fn, *args, **kwargs):
    """Result of the last call of ``fn(*args, **kwargs)`` and the least of ``repeat`` times, s."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        times.append(time.perf_counter() - t0)
    return out, min(times)


def speed(repeat=3, rules=None):
    rng = np.random.default_rng(0)
    print(f"\n== speed (one process, min of {repeat}; detector on cleaned EMG with search "
          "windows, as analyze calls it) ==")
    detect_discharges(rng.standard_normal(4000) * 1e-5, fs=2000.0)  # imports scikit-learn
    for label, fs, dur, electrode, band in (("10 min surface EMG, 2 kHz", 2000.0, 600.0,
                                             "surface", (20.0, 450.0)),
                                            ("60 s needle EMG, 44.1 kHz", 44100.0, 60.0,
                                             "needle", (10.0, 10000.0))):
        n = int(dur * fs)
        x = 10e-6 * rng.standard_normal(n)
        starts = np.arange(5.0, dur - 5, 20.0)
        for start in starts:  # a myotonic discharge of three fibres every 20 s
            x += T.myotonic_fibres(fs=fs, n_times=n, release_s=start, n_fibres=3,
                                   electrode=electrode, noise_sd_v=10e-6, rng=int(start))[0]
        windows = [(s, s + 8.0) for s in starts]
        sos = sps.butter(4, band, btype="bandpass", fs=fs, output="sos")
        _, t_filt = _best_of(repeat, sps.sosfiltfilt, sos, x)
        cleaned, t_clean = _best_of(repeat, clean_emg, x, fs=fs,
                                    band_hz=(band[0], min(band[1], 0.45 * fs)))
        d, t_det = _best_of(repeat, detect_discharges, cleaned, fs=fs, electrode=electrode,
                            search_s=windows, prefiltered=True, rules=rules)
        print(f"{label}: band-pass {t_filt:.3f} s; clean_emg {t_clean:.3f} s "
              f"({t_clean / t_filt:.1f}x); detector {t_det:.3f} s ({t_det / t_filt:.1f}x); "
              f"{int((d.kind == 'myotonic').sum())} myotonic unit trains in {len(starts)} "
              "windows")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-sessions", type=int, default=60)
    parser.add_argument("--family", default="both", choices=["tuning", "heldback", "both"])
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="speed: min of this many runs")
    parser.add_argument("--match-overlaps", action="store_true",
                        help="DischargeRules(match_overlaps=True) instead of the defaults")
    args = parser.parse_args()
    rules = DischargeRules(match_overlaps=True) if args.match_overlaps else None
    pd.set_option("display.width", 200)
    if not args.skip_accuracy:
        for fam in (["tuning", "heldback"] if args.family == "both" else [args.family]):
            accuracy(fam, args.n_sessions, rules)
    if not args.skip_speed:
        speed(args.repeat, rules)
