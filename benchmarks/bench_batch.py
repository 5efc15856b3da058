"""Batch speed: --jobs 1 vs --jobs 2 vs Dask LocalCluster (2 workers), with and without reports.

Simulates N sessions of realistic length (6 grips, EMG 2 kHz, force 500 Hz: about 75 s each;
``myoemg.sim.simulate_session`` written with ``myoemg.io.write_edf``) into a temporary folder,
runs ``myoemg batch`` on them once per mode and report setting, each in a fresh process (as a
user would), checks that every mode writes byte-identical tables, and prints per mode:

- wall time of the whole command (min over ``--repeat``) and the speed-up over --jobs 1;
- fixed costs, separately: start-up (process start to ``batch()`` called: interpreter,
  imports, CLI), preparation (``batch()`` called to run start: finding and pairing the files,
  output folders), pool/cluster (run start to the first recording starting in a worker),
  combine + write (tables and manifest after the last recording) and exit (manifest
  written to the process gone);
- per-file overhead: in-worker bookkeeping (hashing, markers: a recording's time minus its
  read + analyze + save), and all overhead per file, as a share of the work: (workers x the
  span from first start to last finish - sum of read+analyze+save) / N, which also counts
  dispatch gaps and the idle tail;
- peak RSS per worker (``ru_maxrss`` in the worker, from the run manifest);
- the load average of the machine before and after the mode, since speed-ups measured on a
  shared machine are not trustworthy.

Usage::

    python benchmarks/bench_batch.py [--n 48] [--repeat 1] [--reports both|yes|no]
                                     [--modes jobs1,jobs2,dask,jobs2early,daskearly]
                                     [--keep DIR]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = {"jobs1": ("--jobs 1", ["--jobs", "1"], 1),
         "jobs2": ("--jobs 2", ["--jobs", "2"], 2),
         "dask": ("Dask local, 2 workers", ["--scheduler", "local", "--jobs", "2"], 2),
         "jobs2early": ("--jobs 2, server first*", ["--jobs", "2"], 2),
         "daskearly": ("Dask, server first*", ["--scheduler", "local", "--jobs", "2"], 2)}
TABLES = ("trials.csv", "sessions.csv", "discharges.csv", "failures.csv")
#: ``*`` modes: the command with its fork server started before ``import myoemg``, as
#: ``batch()`` does once ``import myoemg`` is lazy (issue 15); shows what that overlap gives.
_EARLY = """
import json, os, signal, sys
import multiprocessing as mp
from multiprocessing import forkserver
ctx = mp.get_context("forkserver")
ctx.set_forkserver_preload(json.loads(sys.argv[1]))
added = [k for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                     "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS") if k not in os.environ]
os.environ.update({k: "1" for k in added})
previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
forkserver.ensure_running()
signal.signal(signal.SIGINT, previous)
for k in added:
    os.environ.pop(k)
from myoemg_cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def make_data(folder, n):
    """``n`` simulated sessions, four patterns, one seed each, in sub-XX/ folders."""
    from myoemg.io import write_edf
    from myoemg.sim import simulate_session

    patterns = ["warm-up", "healthy", "paradoxical", "steady"]
    for i in range(n):
        rec, _ = simulate_session(fs_emg=2000.0, fs_force=500.0, n_trials=6,
                                  pattern=patterns[i % 4], seed=i)
        write_edf(rec, folder / f"sub-{i // 4 + 1:02d}" / f"grip_{i % 4 + 1}.edf")
    return rec.emg[0].duration_s


def run_once(data, out, opts, early=None):
    """One ``myoemg batch`` in a fresh process: wall time, start time, manifest.

    ``early``: modules to preload in a fork server started before anything is imported.
    """
    shutil.rmtree(out, ignore_errors=True)
    args = ["batch", str(data), "--out", str(out), "-q", *opts]
    cmd = ([sys.executable, "-c", _EARLY, json.dumps(early), *args] if early else
           [sys.executable, "-m", "myoemg_cli.main", *args])
    t_unix, t0 = time.time(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    return wall, t_unix, json.loads((out / "batch_manifest.json").read_text())


def costs(wall, t_unix, manifest, n_workers):
    """Fixed costs and per-file overhead of one run (see the module docstring)."""
    drv, recs = manifest["driver"], manifest["recordings"]
    starts = [r["started_unix"] for r in recs]
    ends = [r["started_unix"] + r["seconds"] for r in recs]
    work = [sum(r["timings"].values()) for r in recs]
    kept = [r["seconds"] - w for r, w in zip(recs, work, strict=True)]
    n_used = min(n_workers, len(manifest["workers"]))
    span = max(ends) - min(starts)
    return {"wall": wall, "startup": drv["called_unix"] - t_unix,
            "prepare": drv["run_started_unix"] - drv["called_unix"],
            "pool": min(starts) - drv["run_started_unix"], "finish": drv["finish_s"],
            "exit": wall - (max(ends) - t_unix) - drv["finish_s"],
            "work_per_file": statistics.mean(work),
            "bookkeeping": statistics.mean(kept),
            "overhead": (n_used * span - sum(work)) / len(recs),
            "rss": sorted(w["peak_rss_mb"] for w in manifest["workers"].values())}


def bench(data, tmp, modes, report, repeat):
    from myoemg.batching._executors import worker_modules

    rows, tables = {}, {}
    for key in modes:
        name, opts, n_workers = MODES[key]
        out = tmp / f"out_{key}_{'report' if report else 'noreport'}"
        early = (worker_modules(report, dask=key.startswith("dask"))
                 if key.endswith("early") else None)
        load_before = os.getloadavg()[0]
        runs = [costs(*run_once(data, out, [*opts, *([] if report else ["--no-report"])],
                                early), n_workers) for _ in range(max(1, repeat))]
        best = min(runs, key=lambda r: r["wall"])
        best["load"] = (load_before, os.getloadavg()[0])
        rows[name] = best
        tables[name] = {t: (out / t).read_bytes() for t in TABLES}
    return rows, tables


def show(rows, report):
    base = next(iter(rows.values()))["wall"]
    print(f"\n{'with' if report else 'without'} reports")
    print(f"{'mode':22} {'wall s':>7} {'speed-up':>8} {'start s':>8} {'prep s':>6} "
          f"{'pool s':>7} {'finish s':>8} {'exit s':>6} {'work/file':>9} {'keep/file':>9} "
          f"{'ovh/file':>14} {'load':>10}  peak RSS/worker MiB")
    for name, r in rows.items():
        share = 100 * r["overhead"] / r["work_per_file"]
        print(f"{name:22} {r['wall']:7.2f} {base / r['wall']:7.2f}x {r['startup']:8.2f} "
              f"{r['prepare']:6.2f} {r['pool']:7.2f} {r['finish']:8.2f} {r['exit']:6.2f} "
              f"{r['work_per_file']:9.3f} "
              f"{r['bookkeeping']:9.4f} {r['overhead']:7.4f} ({share:3.0f}%) "
              f"{r['load'][0]:4.1f}->{r['load'][1]:<4.1f}  "
              + ", ".join(f"{p:.0f}" for p in r["rss"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=48, help="sessions (default 48)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per mode (min wall)")
    parser.add_argument("--modes", default="jobs1,jobs2,dask,jobs2early,daskearly")
    parser.add_argument("--reports", choices=("both", "yes", "no"), default="both")
    parser.add_argument("--keep", metavar="DIR", help="keep data and outputs here")
    args = parser.parse_args()
    modes = args.modes.split(",")
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="bench-batch-"))
    data = tmp / "data"
    t0 = time.perf_counter()
    duration = make_data(data, args.n)
    size = sum(p.stat().st_size for p in data.rglob("*.edf")) / 2**20
    print(f"{args.n} sessions (6 grips, {duration:.0f} s each, EMG 2 kHz, force 500 Hz; "
          f"{size:.1f} MiB of EDF) simulated in {time.perf_counter() - t0:.1f} s; "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
    reports = {"both": (True, False), "yes": (True,), "no": (False,)}[args.reports]
    identical = True
    all_tables = {}
    for report in reports:
        rows, tables = bench(data, tmp, modes, report, args.repeat)
        show(rows, report)
        first = next(iter(tables.values()))
        identical &= all(t == first for t in tables.values())
        all_tables[report] = first
    if len(all_tables) == 2:
        identical &= all_tables[True] == all_tables[False]
    print(f"\ntables identical across modes{' and report settings' if len(reports) > 1 else ''}"
          f": {'yes' if identical else 'NO'}")
    print("start s: process start to batch() called; prep s: batch() called to run start "
          "(finding and pairing the files, output folders); pool s: run start to the first "
          "recording starting in a worker (fork server / cluster); finish s: combine and "
          "write the tables and manifest; exit s: manifest written to the process gone; "
          "work/file: read + analyze + save; keep/file: bookkeeping inside a worker (hashes, "
          "markers); ovh/file: all overhead per file (bookkeeping, dispatch, idle tail), share "
          "of work/file; load: 1-min load average before -> after. *: fork server started "
          "before myoemg is imported, which batch() does by itself once `import myoemg` and "
          "the CLI import lazily (issue 15).")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
