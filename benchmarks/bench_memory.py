"""Peak memory of reading + analysing a recording, in bytes per EMG sample (issue 15).

Each case runs in a fresh process: myoemg is imported and warmed on a 20 s session (imports,
scikit-learn, caches), then the file is read with ``myoemg.read`` and analysed with
``myoemg.analyze`` (detector on). Two numbers, each in its own process so that one does not
disturb the other:

- **tracemalloc**: the peak of Python-tracked allocations (NumPy arrays included) during
  read + analyze, over the number of EMG samples;
- **RSS**: the process's peak resident size (``ru_maxrss``) minus its resident size just
  before the read, over the number of EMG samples.

Both include the data itself (float64: 8 B per sample). Target: ≤ 24 B per EMG sample.

Run: python benchmarks/bench_memory.py [--cases 10min_2k_16ch,60min_2k_1ch] [--source edf|pickle]
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _sessions import edf_file, session  # noqa: E402

_CHILD = r"""
import json, pickle, resource, sys, time
sys.path.insert(0, {here!r})
mode, source, path = sys.argv[1:4]
import myoemg
from myoemg.sim import simulate_session
warm, _ = simulate_session(fs_emg=2000.0, fs_force=500.0, n_trials=2, pattern="steady", seed=1)
myoemg.analyze(warm)
del warm

def rss_now():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize()

if mode == "tracemalloc":
    import tracemalloc
    tracemalloc.start()
base = rss_now()
t0 = time.perf_counter()
if source == "pickle":
    with open(path, "rb") as fh:
        rec = pickle.load(fh)
else:
    rec = myoemg.read(path)
n = sum(c.n_times for c in rec.emg)
res = myoemg.analyze(rec)
wall = time.perf_counter() - t0
out = {{"n_emg_samples": n, "wall_s": wall, "n_trains": len(res.discharges)}}
if mode == "tracemalloc":
    out["peak_bytes"] = tracemalloc.get_traced_memory()[1]
else:
    out["peak_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base
    out["base_rss"] = base
print("RESULT " + json.dumps(out))
"""


def run(mode, source, path):
    code = _CHILD.format(here=str(HERE))
    proc = subprocess.run([sys.executable, "-c", code, mode, source, str(path)],
                          capture_output=True, text=True)
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode or not line:
        sys.exit(f"{mode} run failed:\n{proc.stderr[-3000:]}")
    return json.loads(line[-1].removeprefix("RESULT "))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="10min_2k_16ch,60min_2k_1ch")
    parser.add_argument("--source", choices=("edf", "pickle"), default="edf")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; source {args.source}; "
          "bytes per EMG sample, data included (float64 data alone: 8)")
    print(f"{'case':16} {'EMG samples':>12} {'tracemalloc B/s':>16} {'RSS B/s':>8} "
          f"{'peak RSS MiB':>12} {'wall s':>7}")
    for name in args.cases.split(","):
        if args.source == "edf":
            path = edf_file(name)
        else:
            session(name)
            path = next(p for p in sorted(Path(os.environ.get(
                "MYOEMG_BENCH_CACHE", Path.home() / ".cache" / "myoemg-bench")).glob(
                f"{name}-*.pkl")))
        tm, rss = run("tracemalloc", args.source, path), run("rss", args.source, path)
        n = tm["n_emg_samples"]
        print(f"{name:16} {n:12d} {tm['peak_bytes'] / n:16.1f} {rss['peak_bytes'] / n:8.1f} "
              f"{rss['peak_bytes'] / 2**20:12.0f} {rss['wall_s']:7.1f}", flush=True)


if __name__ == "__main__":
    main()
