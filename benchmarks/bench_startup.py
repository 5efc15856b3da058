"""Start-up time of the command line and of ``import myoemg``, each in a fresh process.

Targets (issue 15): ``myoemg --help`` <= 0.15 s, ``import myoemg`` <= 0.15 s,
``myoemg info FILE`` <= 0.5 s, each the minimum of N runs. ``python -c pass`` is timed too, as
the floor no Python command can beat on this machine. Wall time of the whole process, measured
from here; the heavy modules each command loads are listed beside it (from ``-X importtime``),
so a regression shows what caused it.

Run: python benchmarks/bench_startup.py [--repeat 5] [--file data/samples/grip_warmup.edf]
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "scipy", "scipy.signal", "pandas", "matplotlib", "mne", "dask", "edfio")


def _myoemg_script():
    beside = Path(sys.executable).with_name("myoemg")
    found = beside if beside.exists() else shutil.which("myoemg")
    if found is None:
        sys.exit("no `myoemg` command found; install the package (pip install -e .) first")
    return str(found)


def run_times(cmd, repeat, cwd):
    """Wall and CPU (user + system) seconds of each of ``repeat`` runs of ``cmd``."""
    wall, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)
        wall.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def heavy_modules(code, argv, cwd):
    """Which of HEAVY are in ``sys.modules`` when the command's process exits."""
    probe = ("import atexit, sys; atexit.register(lambda: sys.__stderr__.write("
             f"'HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules) + '\\n')); ")
    proc = subprocess.run([sys.executable, "-c", probe + code, *argv], cwd=cwd,
                          capture_output=True, text=True)
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("HEAVY:")]
    return lines[-1].removeprefix("HEAVY:").split(",") if lines else ["?"]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (min is kept)")
    parser.add_argument("--file", default=str(ROOT / "data" / "samples" / "grip_warmup.edf"),
                        help="recording for `myoemg info`")
    args = parser.parse_args()
    script = _myoemg_script()
    entry = ("import sys; from importlib.metadata import entry_points; "
             "main = entry_points(group='console_scripts')['myoemg'].load(); "
             "sys.argv[0] = 'myoemg'; sys.exit(main())")
    cases = [
        ("python -c pass (floor)", [sys.executable, "-c", "pass"], ("pass", []), None),
        ("import myoemg", [sys.executable, "-c", "import myoemg"], ("import myoemg", []),
         0.15),
        ("myoemg --help", [script, "--help"], (entry, ["--help"]), 0.15),
        ("myoemg info FILE", [script, "info", args.file], (entry, ["info", args.file]), 0.5),
    ]
    cwd = "/"  # not the repository: what an installed user gets
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; wall time is what "
          "the target is about, CPU time shows the cost without the waiting")
    print(f"{'command':<24} {'min s':>7} {'median s':>9} {'CPU min s':>10} {'target':>7}  "
          "heavy modules loaded")
    failed = False
    for label, cmd, (code, argv), target in cases:
        times, cpu = run_times(cmd, args.repeat, cwd)
        best = min(times)
        ok = target is None or best <= target
        failed |= not ok
        heavy = ", ".join(m for m in heavy_modules(code, argv, cwd) if m) or "-"
        shown = f"{target:.2f}" if target else "-"
        print(f"{label:<24} {best:7.3f} {statistics.median(times):9.3f} {min(cpu):10.3f} "
              f"{shown:>7}"
              f"{'' if ok else ' MISS'}  {heavy}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
