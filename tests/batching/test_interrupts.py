"""Interrupted runs, in subprocesses that get real signals: nothing lost, nothing left behind.

SIGKILL of the driver at any moment leaves complete results or none per recording, and no
worker, fork server or resource tracker alive after 5 s (they would hold the caller's pipes);
SIGINT/SIGTERM stop cleanly with exit 130 and tables a re-run completes identically.
"""

import json
import os
import random
import signal
import time

import pytest

from ._helpers import GOOD, alive, children_of, cli, markers, tables, wait_for_markers


def test_sigkill_then_rerun_completes_identically(reference, dataset, tmp_path):
    _, ref_out = reference
    out = tmp_path / "out"
    proc = cli(dataset, "--out", out, "--no-report", "--jobs", "1")
    wait_for_markers(out, 2, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    finished = markers(out)
    assert 2 <= len(finished) < len(GOOD)
    proc = cli(dataset, "--out", out, "--no-report", "--jobs", "1")
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr  # documented: some recordings failed
    assert "up to date" in stderr and "FAILED bad/empty.edf" in stderr  # line-based, no TTY
    assert "3 failed" in stdout
    now = markers(out)
    assert len(now) == len(GOOD)
    assert {k: now[k] for k in finished} == finished  # not recomputed
    assert tables(out) == tables(ref_out)
    manifest = json.loads((out / "batch_manifest.json").read_text())
    assert manifest["counts"]["skipped"] == len(finished)
    assert not list(out.rglob("*.tmp"))


def test_sigint_stops_process_pool_cleanly_then_rerun(reference, dataset, tmp_path):
    _, ref_out = reference
    out = tmp_path / "out"
    proc = cli(dataset, "--out", out, "--no-report", "--jobs", "2")
    wait_for_markers(out, 1, proc)
    os.kill(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    manifest = json.loads((out / "batch_manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["counts"]["not_run"] > 0, \
        (manifest["counts"], stderr)
    finished = markers(out)
    proc = cli(dataset, "--out", out, "--no-report", "--jobs", "1", "--quiet")
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr
    assert {k: v for k, v in markers(out).items() if k in finished} == finished
    assert tables(out) == tables(ref_out)


def _kill_driver_leaves_nothing(proc, out, n_markers=1):
    """SIGKILL ``proc`` once it has workers; every descendant must be gone within 5 s."""
    wait_for_markers(out, n_markers, proc)
    family = children_of(proc.pid)
    assert family, "no worker processes found"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=5)  # the caller's pipes are released: nobody holds them
    t0 = time.monotonic()
    while any(alive(p) for p in family) and time.monotonic() - t0 < 5:
        time.sleep(0.05)
    left = [p for p in family if alive(p)]
    assert not left, f"still alive 5 s after SIGKILL of the driver: {left}"
    return family


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="process checks read /proc")
def test_sigkill_of_pool_driver_leaves_no_process_behind(dataset, tmp_path):
    proc = cli(dataset, "--out", tmp_path / "out", "--no-report", "--jobs", "2")
    family = _kill_driver_leaves_nothing(proc, tmp_path / "out")
    assert len(family) >= 3  # fork server, two workers (and the resource tracker)


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="process checks read /proc")
def test_sigkill_of_dask_driver_leaves_no_process_behind(dataset, tmp_path):
    pytest.importorskip("distributed")
    proc = cli(dataset, "--out", tmp_path / "out", "--no-report", "--scheduler", "local",
               "--jobs", "2")
    _kill_driver_leaves_nothing(proc, tmp_path / "out")


@pytest.mark.slow
def test_sigint_at_random_moments_of_a_pool_run(reference, dataset, tmp_path):
    """SIGINT 0-2 s after the run started (manifest written), four times: exit 130, no
    traceback, and the re-run completes identical tables. (The command's own start-up before
    that is the CLI's to guard; benchmarks/sigint_batch.py samples from process start.)"""
    _, ref_out = reference
    rng = random.Random(7)
    for i in range(4):
        out = tmp_path / f"out{i}"
        proc = cli(dataset, "--out", out, "--no-report", "--jobs", "2")
        while not (out / "batch_manifest.json").exists():
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 2))
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        assert "Traceback" not in stderr, stderr
        assert proc.returncode in (130, 1), stderr  # 1: it had finished before the signal
        manifest = json.loads((out / "batch_manifest.json").read_text())
        assert manifest["status"] in ("interrupted", "failures"), manifest["status"]
        again = cli(dataset, "--out", out, "--no-report", "--jobs", "2", "--quiet")
        again.communicate(timeout=120)
        assert again.returncode == 1 and tables(out) == tables(ref_out)


def test_terminal_ctrl_c_while_the_fork_server_warms_up(dataset, tmp_path):
    """Ctrl-C at a terminal signals the whole process group; the fork server is still
    importing myoemg when the manifest appears. No traceback from it, exit 130."""
    out = tmp_path / "out"
    proc = cli(dataset, "--out", out, "--no-report", "--jobs", "2", start_new_session=True)
    while not (out / "batch_manifest.json").exists():
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert json.loads((out / "batch_manifest.json").read_text())["status"] == "interrupted"


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="process checks read /proc")
def test_second_ctrl_c_abandons_running_recordings_promptly(dataset, tmp_path):
    out = tmp_path / "out"
    proc = cli(dataset, "--out", out, "--jobs", "2")  # with reports: slower recordings
    wait_for_markers(out, 1, proc)
    family = children_of(proc.pid)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "Abandoning" in stderr
    assert json.loads((out / "batch_manifest.json").read_text())["status"] == "interrupted"
    t0 = time.monotonic()
    while any(alive(p) for p in family) and time.monotonic() - t0 < 5:
        time.sleep(0.05)
    assert not [p for p in family if alive(p)]
