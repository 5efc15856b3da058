"""Time the HTML report against analyze: per grip, and the ratio (issue 16: <= 25 ms per grip
and <= 1.5x analyze on a 6-grip session; a 50-grip session within a few seconds).

The machine is shared: the 1-, 5- and 15-minute load averages are printed beside each timing.
Times are the best of --repeat runs (the least disturbed by other processes).

Run: python benchmarks/bench_report.py [--repeat 5] [--grips 6 50]
"""

import argparse
import os
import time

import myoemg
from myoemg.report import render_html
from myoemg.sim import simulate_session

FS_EMG, FS_FORCE = 2000.0, 500.0


def best_of(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def load():
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--grips", type=int, nargs="+", default=[6, 50])
    args = parser.parse_args()
    print(f"{'grips':>5s} {'analyze (s)':>11s} {'report (s)':>10s} {'no audio':>9s} "
          f"{'ms/grip':>8s} {'ratio':>6s} {'MB':>5s}  machine")
    for n in args.grips:
        rec, _ = simulate_session(fs_emg=FS_EMG, fs_force=FS_FORCE, n_trials=n,
                                  pattern="warm-up", seed=0)
        t_an, analysis = best_of(lambda rec=rec: myoemg.analyze(rec), args.repeat)
        render_html(analysis)  # warm jinja2 and the template cache
        t_rep, html = best_of(lambda a=analysis: render_html(a), args.repeat)
        t_silent, _ = best_of(lambda a=analysis: render_html(a, audio=False), args.repeat)
        print(f"{n:5d} {t_an:11.3f} {t_rep:10.3f} {t_silent:9.3f} {1e3 * t_rep / n:8.1f} "
              f"{t_rep / t_an:6.2f} {len(html) / 1e6:5.1f}  {load()}, "
              f"{len(analysis.discharges)} trains")


if __name__ == "__main__":
    main()
