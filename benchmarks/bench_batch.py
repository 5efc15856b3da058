"""Batch speed: --jobs 1 vs --jobs 2 vs Dask LocalCluster (2 workers) on simulated recordings.

Writes N simulated sessions (EDF+, EMG and force in one file) into a temporary folder, runs
``myoemg batch`` on them once per mode, each in a fresh process (as a user would), and prints
wall time (whole command, and inside ``batch`` from the run manifest), speed-up over --jobs 1
and the peak resident memory of each worker (``ru_maxrss`` measured in the worker, from the
manifest). Usage::

    python benchmarks/bench_batch.py [--n 16] [--copies 1] [--fs-emg 2000] [--fs-force 500]
                                     [--trials 6] [--report] [--keep DIR]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_data(folder, n, fs_emg, fs_force, n_trials, copies):
    from myoemg.io import write_edf
    from myoemg.sim import simulate_session

    patterns = ["warm-up", "healthy", "paradoxical", "steady"]
    for i in range(n):
        rec, _ = simulate_session(fs_emg=fs_emg, fs_force=fs_force, n_trials=n_trials,
                                  pattern=patterns[i % 4], seed=i)
        first = folder / "copy-1" / f"sub-{i // 4 + 1:02d}" / f"grip_{i % 4 + 1}.edf"
        write_edf(rec, first)
        for k in range(2, copies + 1):  # same bytes, another recording: same work per file
            dest = folder / f"copy-{k}" / first.relative_to(folder / "copy-1")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(first, dest)


def run(data, out, extra):
    cmd = [sys.executable, "-m", "myoemg_cli.main", "batch", str(data), "--out", str(out), "-q",
           *extra]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    manifest = json.loads((out / "batch_manifest.json").read_text())
    return wall, manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=16)
    parser.add_argument("--fs-emg", type=float, default=2000.0)
    parser.add_argument("--fs-force", type=float, default=500.0)
    parser.add_argument("--trials", type=int, default=6)
    parser.add_argument("--copies", type=int, default=1,
                        help="copies of each simulated file (more recordings, same sim time)")
    parser.add_argument("--report", action="store_true", help="also write report.html")
    parser.add_argument("--keep", metavar="DIR", help="keep data and outputs here")
    args = parser.parse_args()

    tmp = Path(args.keep or tempfile.mkdtemp(prefix="bench-batch-"))
    data = tmp / "data"
    t0 = time.perf_counter()
    make_data(data, args.n, args.fs_emg, args.fs_force, args.trials, args.copies)
    size_mb = sum(p.stat().st_size for p in data.rglob("*.edf")) / 2**20
    print(f"{args.n * args.copies} recordings ({args.trials} grips, EMG {args.fs_emg:g} Hz, force "
          f"{args.fs_force:g} Hz; {size_mb:.1f} MiB of EDF) simulated in "
          f"{time.perf_counter() - t0:.1f} s; {os.cpu_count()} CPUs; load average "
          f"{os.getloadavg()[0]:.1f}")
    extra = [] if args.report else ["--no-report"]
    modes = {"--jobs 1": ["--jobs", "1"], "--jobs 2": ["--jobs", "2"],
             "Dask local, 2 workers": ["--scheduler", "local", "--jobs", "2"]}
    rows = []
    for name, opts in modes.items():
        out = tmp / ("out_" + name.replace(" ", "_").replace(",", "").replace("-", ""))
        shutil.rmtree(out, ignore_errors=True)
        wall, manifest = run(data, out, [*opts, *extra])
        peaks = [w["peak_rss_mb"] for w in manifest["workers"].values()]
        n_done = manifest["counts"]["done"]
        recs = manifest["recordings"]
        t_batch = datetime.fromisoformat(manifest["started_at"]).timestamp()
        startup = min(r["started_unix"] for r in recs) - t_batch  # ±1 s: started_at is whole s
        per_file = statistics.median(r["seconds"] for r in recs)
        rows.append((name, wall, manifest["wall_s"], n_done, peaks, startup, per_file))
    base_wall, base_inner = rows[0][1], rows[0][2]
    print(f"\n{'mode':24} {'wall s':>7} {'batch s':>8} {'speed-up':>12} {'done':>5} "
          f"{'start s':>8} {'s/file':>7}  peak RSS per worker (MiB)")
    for name, wall, inner, n_done, peaks, startup, per_file in rows:
        print(f"{name:24} {wall:7.1f} {inner:8.1f} {base_wall / wall:7.2f}x/"
              f"{base_inner / inner:.2f}x {n_done:>4} {startup:8.1f} {per_file:7.2f}  "
              + ", ".join(f"{p:.0f}" for p in sorted(peaks)))
    print("\nwall s: the whole command (interpreter start included); batch s: inside batch() "
          "(run manifest); speed-up: wall / batch; start s: from batch start to the first "
          "recording (workers starting); s/file: median time per recording in a worker.")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
