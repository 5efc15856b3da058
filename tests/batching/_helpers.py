"""Helpers of the batch tests: tables, markers, the CLI in a subprocess, process checks."""

import os
import subprocess
import sys
import time
from pathlib import Path

from myoemg.batching import MARKER
from myoemg.sim import simulate_session

ROOT = Path(__file__).resolve().parents[2]
TABLES = ["trials.csv", "sessions.csv", "discharges.csv", "failures.csv"]
GOOD = ["sub-01/grip_a.edf", "sub-01/grip_b.edf", "sub-02/grip_a.edf", "sub-02/grip_b.edf",
        "sub-03/pair.edf", "sub-03/grip_c.bdf"]
BAD = {"bad/empty.edf": "RecordingError", "bad/garbage.edf": "RecordingError",
       "bad/truncated.edf": "RecordingError"}


def small_session(pattern="warm-up", seed=0, n_trials=3):
    """A short simulated session: EMG 1000 Hz, force 100 Hz (well under a second to analyse)."""
    return simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=n_trials, pattern=pattern,
                            seed=seed)[0]


def tables(out):
    return {name: (out / name).read_bytes() for name in TABLES}


def markers(out):
    return {p.parent.relative_to(out).as_posix(): p.stat().st_mtime_ns
            for p in out.rglob(MARKER)}


def cli(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "myoemg_cli.main", "batch", *map(str, args)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **kwargs)


def wait_for_markers(out, n, proc, timeout=60):
    t0 = time.monotonic()
    while len(markers(out)) < n if out.exists() else True:
        assert proc.poll() is None, f"run ended before the kill: {proc.communicate()}"
        assert time.monotonic() - t0 < timeout, "no recording finished in time"
        time.sleep(0.02)


def children_of(pid):
    """Every live descendant of ``pid`` (from /proc; Linux only)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":  # zombies are dead already
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state != "Z"
