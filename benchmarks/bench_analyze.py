"""Time ``myoemg.analyze`` against the filtering floor, in one process, min of N (issue 15).

Floor: one zero-phase 20–450 Hz 4th-order Butterworth band-pass (``sosfiltfilt``) +
rectification + 50 ms moving RMS (``uniform_filter1d``) of the same EMG (all channels at
once). Cases (myotonic 'steady' sessions from :mod:`benchmarks._sessions`, cached on disk):
10 min at 2 kHz with 1 and 4 channels, 60 min at 2 kHz, 60 s of 44.1 kHz needle EMG and 10 min
at 10 kHz; each with and without the discharge detector. Targets: analyze ≤ 8× the floor at
10 min 2 kHz (1 and 4 ch) and 60 min, ≤ 6× on the needle minute.

``--profile CASE`` prints what is left: the top functions by own time and the myoemg steps by
cumulative time, of one analyze of that case (alone, unless ``--cases`` is given too).

Run: python benchmarks/bench_analyze.py [--repeat 5] [--cases 10min_2k_1ch,...]
                                        [--profile 10min_2k_1ch] [--json out.json]
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

import numpy as np
from scipy import signal as sps
from scipy.ndimage import uniform_filter1d

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _sessions import session  # noqa: E402

import myoemg  # noqa: E402

DEFAULT_CASES = ("10min_2k_1ch", "10min_2k_4ch", "60min_2k_1ch", "60s_needle_44k",
                 "10min_10k_1ch")
TARGETS = {"10min_2k_1ch": 8.0, "10min_2k_4ch": 8.0, "60min_2k_1ch": 8.0,
           "60s_needle_44k": 6.0}


def best_of(fn, repeat):
    """Minimum wall time of ``repeat`` calls of ``fn``, s."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def floor_pass(emg, fs):
    """The floor: band-pass 20–450 Hz (order 4, zero phase), rectify, 50 ms moving RMS."""
    sos = sps.butter(4, [20, 450], btype="bandpass", fs=fs, output="sos")
    rect = np.abs(sps.sosfiltfilt(sos, emg, axis=-1))
    return np.sqrt(uniform_filter1d(rect**2, size=int(0.05 * fs), axis=-1))


def time_case(name, repeat):
    rec = session(name)
    emg, fs, _ = rec.get_data("emg")
    myoemg.analyze(rec)  # warm: imports, caches
    floor = best_of(lambda: floor_pass(emg, fs), repeat)
    nodet = best_of(lambda: myoemg.analyze(rec, detect=False), repeat)
    full = best_of(lambda: myoemg.analyze(rec), repeat)
    return {"case": name, "duration_s": rec.duration_s, "n_channels": emg.shape[0], "fs": fs,
            "n_samples": int(emg.size), "floor_s": floor, "nodetect_s": nodet, "full_s": full,
            "load": os.getloadavg()[0]}


def show(rows):
    print(f"{'case':16} {'EMG':>18} {'floor s':>8} {'no detect s':>11} {'x floor':>7} "
          f"{'analyze s':>9} {'x floor':>7} {'target':>6} {'load':>5}")
    for r in rows:
        target = TARGETS.get(r["case"])
        mark = "" if target is None else f"{target:4.0f}x" + (
            "" if r["full_s"] / r["floor_s"] <= target else "!")
        emg = f"{r['duration_s'] / 60:.1f} min {r['n_channels']}x{r['fs'] / 1e3:g} kHz"
        print(f"{r['case']:16} {emg:>18} {r['floor_s']:8.3f} {r['nodetect_s']:11.3f} "
              f"{r['nodetect_s'] / r['floor_s']:7.1f} {r['full_s']:9.3f} "
              f"{r['full_s'] / r['floor_s']:7.1f} {mark:>6} {r['load']:5.1f}")
    print("x floor: time / floor; target (issue 15) for analyze with the detector; '!' missed")


def profile(name, detect, top=25):
    """Top functions by own time, and myoemg functions by cumulative time, of one analyze."""
    rec = session(name)
    myoemg.analyze(rec, detect=detect)
    prof = cProfile.Profile()
    prof.enable()
    myoemg.analyze(rec, detect=detect)
    prof.disable()
    for order, restrict in (("tottime", ()), ("cumulative", ("myoemg",))):
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out).strip_dirs() if not restrict else \
            pstats.Stats(prof, stream=out)
        stats.sort_stats(order).print_stats(*restrict, top)
        text = out.getvalue()
        print(f"\n--- {name}, detect={detect}: top {top} by {order} "
              f"{'(myoemg only)' if restrict else ''}")
        lines = text.splitlines()
        start = next(i for i, ln in enumerate(lines) if ln.strip().startswith("ncalls"))
        root = str(Path(myoemg.__file__).parent.parent) + "/"
        print("\n".join(ln.replace(root, "") for ln in lines[start:] if ln.strip()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cases", help="comma-separated (default: all; none with --profile)")
    parser.add_argument("--profile", metavar="CASE", help="profile one analyze of CASE")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; min of "
          f"{args.repeat}; myoemg {myoemg.__version__}")
    # --profile alone profiles only: timing every case first takes minutes
    cases = args.cases if args.cases is not None else "" if args.profile else ",".join(
        DEFAULT_CASES)
    rows = []
    for name in cases.split(","):
        if name:
            rows.append(time_case(name, args.repeat))
            print(f"  {name}: done", flush=True)
    if rows:
        show(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    if args.profile:
        for detect in (False, True):
            profile(args.profile, detect)


if __name__ == "__main__":
    main()
