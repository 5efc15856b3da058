"""Ctrl-C at random moments of ``myoemg batch --jobs 2``: exit 130, no traceback, and the
same command run again completes tables byte-identical to an uninterrupted run.

Simulates N sessions (6 grips, EMG 2 kHz, 75 s each), makes a reference run, then R times:
starts the command, sends SIGINT after a random delay in [--min, --max] s from process start,
records the exit status, whether stderr holds a traceback, and whether ``batch()`` had started
(its manifest existed) or the command was still starting up; then re-runs the same command to
completion and compares the tables with the reference. ``--group`` signals the whole process
group, as a terminal's Ctrl-C does (driver, fork server, workers); by default only the driver.

Usage::

    python benchmarks/sigint_batch.py [--runs 30] [--n 24] [--min 0.1] [--max 3.0] [--group]
                                      [--scheduler local] [--no-report] [--seed 0]
"""

import argparse
import collections
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_batch import TABLES, make_data  # noqa: E402


def command(data, out, args):
    opts = ["--jobs", "2"] + (["--scheduler", args.scheduler] if args.scheduler else [])
    return [sys.executable, "-m", "myoemg_cli.main", "batch", str(data), "--out", str(out), "-q",
            *opts, *(["--no-report"] if args.no_report else [])]


def origin(stderr):
    """The project frames of a traceback, outermost first ('cli/main.py:87 in main')."""
    frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', stderr)
    mine = [f"{Path(f).relative_to(ROOT)}:{n} in {fn}" for f, n, fn in frames
            if Path(f).is_relative_to(ROOT)]
    return " > ".join(mine[:3]) or "outside the project"


def tables(out):
    return {t: (out / t).read_bytes() for t in TABLES}


def interrupted_run(cmd, out, delay, group):
    """Start ``cmd``, SIGINT it after ``delay`` s; (exit status, traceback?, phase, stderr)."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=group)
    time.sleep(delay)
    phase = "batch running" if (out / "batch_manifest.json").exists() else "starting up"
    if proc.poll() is not None:
        phase = "finished before the signal"
    elif group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=300)
    return proc.returncode, "Traceback" in stderr, phase, stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--n", type=int, default=24, help="sessions")
    parser.add_argument("--min", type=float, default=0.1)
    parser.add_argument("--max", type=float, default=3.0)
    parser.add_argument("--group", action="store_true", help="signal the process group")
    parser.add_argument("--scheduler", help="e.g. local (Dask)")
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="sigint-batch-"))
    data, ref = tmp / "data", tmp / "reference"
    make_data(data, args.n)
    subprocess.run(command(data, ref, args), cwd=ROOT, check=True, capture_output=True)
    reference = tables(ref)
    outcomes, phases, tracebacks, mismatches = collections.Counter(), collections.Counter(), [], 0
    for i in range(args.runs):
        out = tmp / f"run{i}"
        delay = rng.uniform(args.min, args.max)
        code, trace, phase, stderr = interrupted_run(command(data, out, args), out, delay,
                                                     args.group)
        outcomes[code] += 1
        phases[(phase, code, trace)] += 1
        if trace:
            tracebacks.append((delay, phase, origin(stderr)))
        again = subprocess.run(command(data, out, args), cwd=ROOT, capture_output=True)
        same = again.returncode == 0 and tables(out) == reference
        mismatches += not same
        print(f"run {i + 1:2d}: SIGINT at {delay:4.2f} s ({phase}): exit {code}, "
              f"{'TRACEBACK' if trace else 'no traceback'}; re-run exit {again.returncode}, "
              f"tables {'identical' if same else 'DIFFERENT'}", flush=True)
        shutil.rmtree(out, ignore_errors=True)
    print(f"\n{args.runs} runs, SIGINT to the {'process group' if args.group else 'driver'} "
          f"at {args.min}-{args.max} s; load average {os.getloadavg()[0]:.1f}")
    print(f"exit statuses: {dict(outcomes)}; tracebacks: {len(tracebacks)}; re-runs with "
          f"different tables: {mismatches}")
    for (phase, code, trace), n in sorted(phases.items()):
        print(f"  {phase}: exit {code}{', traceback' if trace else ''}: {n}")
    for where, n in collections.Counter(t[2] for t in tracebacks).most_common():
        print(f"  traceback from {where}: {n}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if not tracebacks and not mismatches and set(outcomes) == {130} else 1


if __name__ == "__main__":
    sys.exit(main())
