"""Benchmark of the myotonic-discharge detector: accuracy per kind / SNR / rate, and speed.

Run: python benchmarks/bench_discharges.py [--n-per-cell 2] [--seed 0]
Prints precision / recall / F1 per kind (all, by electrode and SNR, by sampling rate), the
confusion table, and the detection time for 10 min of 2 kHz surface EMG and 60 s of 44.1 kHz
needle EMG against one scipy sosfiltfilt band-pass of the same data.
"""

import argparse
import time

import numpy as np
import pandas as pd
from scipy import signal as sps

from myoemg.detect import detect_discharges
from myoemg.evaluation import confusion_table, score_detections
from myoemg.sim import trains as T
from myoemg.sim.discharge_sets import make_discharge_set


def run_set(emg, fs, truth):
    found = []
    for seg, (x, f) in enumerate(zip(emg, fs, strict=True)):
        row = truth.iloc[seg]
        d = detect_discharges(x, fs=f, electrode=row.electrode,
                              search_s=[(row.search_start_s, x.size / f)])
        found.append(d.assign(segment=seg))
    return pd.concat(found, ignore_index=True)


def accuracy(n_per_cell, seed):
    emg, fs, truth = make_discharge_set(n_per_cell=n_per_cell, snr_db=(24.0, 30.0, 36.0, 42.0),
                                        seed=seed)
    t0 = time.perf_counter()
    found = run_set(emg, fs, truth)
    print(f"{len(truth)} events ({(truth.kind == 'myotonic').sum()} myotonic) in "
          f"{len(emg)} segments, detection {time.perf_counter() - t0:.1f} s\n")
    seg_info = truth.set_index("segment")[["electrode", "snr_db", "fs_hz"]]
    found = found.join(seg_info, on="segment")
    print("== all events ==")
    print(score_detections(found, truth).round(3).to_string(index=False))
    print("\n== confusion (rows: truth, columns: called) ==")
    print(confusion_table(found, truth).to_string())
    for keys in (["electrode", "snr_db"], ["electrode", "fs_hz"]):
        print(f"\n== by {' / '.join(keys)} (myotonic, and every kind's F1) ==")
        rows = []
        for key, tg in truth.groupby(keys):
            fg = found[(found[keys] == pd.Series(key, index=keys)).all(axis=1)]
            sc = score_detections(fg, tg).set_index("kind")
            r = dict(zip(keys, key, strict=True))
            if "myotonic" in sc.index:
                r.update(myo_n=int(sc.loc["myotonic", "n_truth"]),
                         myo_P=sc.loc["myotonic", "precision"],
                         myo_R=sc.loc["myotonic", "recall"], myo_F1=sc.loc["myotonic", "f1"])
            for k in ("voluntary", "fibrillation", "crd", "neuromyotonic"):
                if k in sc.index and sc.loc[k, "n_truth"]:
                    r[f"{k}_F1"] = sc.loc[k, "f1"]
            r["false_myotonic"] = int(sc.loc["myotonic", "n_found"] - sc.loc["myotonic",
                                                                             "n_matched"])
            rows.append(r)
        print(pd.DataFrame(rows).round(3).to_string(index=False))


def speed():
    rng = np.random.default_rng(0)
    print("\n== speed ==")
    for label, fs, dur, electrode, band in (("10 min surface EMG, 2 kHz", 2000.0, 600.0,
                                             "surface", (20.0, 450.0)),
                                            ("60 s needle EMG, 44.1 kHz", 44100.0, 60.0,
                                             "needle", (10.0, 10000.0))):
        n = int(dur * fs)
        x = 10e-6 * rng.standard_normal(n)
        for start in np.arange(5.0, dur - 5, 20.0):  # a myotonic train every 20 s
            x += T.myotonic_train(fs=fs, n_times=n, start_s=start, duration_s=2.0,
                                  amplitude_v=300e-6,
                                  width_s=1.5e-3 if electrode == "surface" else 0.5e-3,
                                  rng=int(start))[0]
        sos = sps.butter(4, band, btype="bandpass", fs=fs, output="sos")
        t0 = time.perf_counter()
        sps.sosfiltfilt(sos, x)
        t_filt = time.perf_counter() - t0
        t0 = time.perf_counter()
        d = detect_discharges(x, fs=fs, electrode=electrode)
        t_det = time.perf_counter() - t0
        print(f"{label}: detection {t_det:.2f} s, one sosfiltfilt band-pass {t_filt:.2f} s, "
              f"ratio {t_det / t_filt:.1f}x; {int((d.kind == 'myotonic').sum())} myotonic "
              f"trains found (simulated: {len(np.arange(5.0, dur - 5, 20.0))})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-per-cell", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    pd.set_option("display.width", 200)
    if not args.skip_accuracy:
        accuracy(args.n_per_cell, args.seed)
    speed()
