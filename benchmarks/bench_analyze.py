"""Time myoemg.analyze on a 10-minute session against plain scipy and NeuroKit2.

Baseline (issue 3): one scipy zero-phase band-pass (4th-order Butterworth 20-450 Hz,
sosfiltfilt) + rectification + 50 ms moving RMS of the same EMG. Target: analyze <= 20x that.
Also times NeuroKit2's emg_process on the same EMG when neurokit2 is installed.

Run: python benchmarks/bench_analyze.py [--repeat 3]
"""

import argparse
import time

import numpy as np
from scipy import signal as sps
from scipy.ndimage import uniform_filter1d

import myoemg
from myoemg.sim import simulate_session

FS_EMG, FS_FORCE = 2000.0, 500.0


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def scipy_pass(emg, fs):
    sos = sps.butter(4, [20, 450], btype="bandpass", fs=fs, output="sos")
    rect = np.abs(sps.sosfiltfilt(sos, emg, axis=-1))
    return np.sqrt(uniform_filter1d(rect**2, size=int(0.05 * fs), axis=-1))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rec, truth = simulate_session(fs_emg=FS_EMG, fs_force=FS_FORCE, n_trials=50,
                                  pattern="steady", seed=0)
    emg = rec["EMG FDS"].data
    print(f"session: {rec.duration_s / 60:.1f} min, {len(truth.trials)} grips, EMG {FS_EMG:g} Hz "
          f"({emg.size} samples), force {FS_FORCE:g} Hz")
    t_base = best_of(lambda: scipy_pass(emg, FS_EMG), args.repeat)
    t_force = best_of(lambda: myoemg.analyze(rec, detect=False), args.repeat)
    t_full = best_of(lambda: myoemg.analyze(rec), args.repeat)
    rows = [("scipy band-pass + rectify + RMS (baseline)", t_base),
            ("myoemg.analyze, detect=False", t_force), ("myoemg.analyze (full)", t_full)]
    try:
        import neurokit2 as nk

        rows.append(("neurokit2.emg_process", best_of(
            lambda: nk.emg_process(emg, sampling_rate=int(FS_EMG)), args.repeat)))
    except ImportError:
        print("neurokit2 not installed: skipped")
    print(f"{'what':45s} {'time (s)':>9s} {'x baseline':>11s}")
    for name, t in rows:
        print(f"{name:45s} {t:9.3f} {t / t_base:11.1f}")


if __name__ == "__main__":
    main()
