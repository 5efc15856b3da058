"""Outputs that cannot be written: a folder in the way, a full disk. Exit 8, never 70; the
manifest never stays 'running'; the tables of what finished are still written."""

import errno
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import myoemg
from myoemg.batching import BatchOutputError
from myoemg.pipeline import Analysis
from myoemg.utils import OutputError

from ._helpers import GOOD, ROOT, cli


def test_folder_where_a_table_should_go(dataset, tmp_path):
    out = tmp_path / "out"
    (out / "trials.csv").mkdir(parents=True)
    with pytest.raises(BatchOutputError, match=r"trials.csv is a folder.*move or remove") as exc:
        myoemg.batch(dataset, out, report=False)
    assert isinstance(exc.value, OutputError)
    res = exc.value.result
    assert res.counts["done"] == len(GOOD) and len(res.trials)
    sessions = pd.read_csv(out / "sessions.csv")
    assert sorted(sessions.file) == sorted(GOOD)
    assert len(pd.read_csv(out / "failures.csv")) == 3
    manifest = json.loads((out / "batch_manifest.json").read_text())
    assert manifest["status"] == "failed" and "trials.csv" in manifest["error"]
    # the CLI: exit 8 with the message, no traceback
    proc = cli(dataset, "--out", out, "--no-report")
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 8, stderr
    assert "trials.csv is a folder" in " ".join(stderr.split()) and "Traceback" not in stderr


def test_folder_where_one_recordings_output_should_go(dataset, tmp_path):
    out = tmp_path / "out"
    (out / "sub-01/grip_a/summary.json").mkdir(parents=True)
    res = myoemg.batch(dataset, out, report=False)
    assert res.exit_code == 1 and res.counts["done"] == len(GOOD) - 1
    row = res.failures.set_index("file").loc["sub-01/grip_a.edf"]
    assert (row.stage, row.error) == ("save", "OutputError")
    assert "summary.json is a folder" in row.message
    assert res.manifest["status"] == "failures"


def test_disk_full_stops_the_batch_and_keeps_what_finished(dataset, tmp_path, monkeypatch):
    real_save, calls = Analysis.save, []

    def save_until_full(self, directory, **kwargs):
        calls.append(directory)
        if len(calls) >= 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(directory))
        return real_save(self, directory, **kwargs)

    monkeypatch.setattr(Analysis, "save", save_until_full)
    out = tmp_path / "out"
    with pytest.raises(BatchOutputError, match="no space left on the device") as exc:
        myoemg.batch(dataset, out, report=False)
    res = exc.value.result
    assert len(calls) == 3  # nothing else was started once the disk was full
    assert res.counts["done"] == 2 and res.counts["not_run"] > 0
    failed = res.failures[res.failures.stage == "save"]
    assert failed.error.tolist() == ["OutputError"]
    assert len(pd.read_csv(out / "sessions.csv")) == 2
    manifest = json.loads((out / "batch_manifest.json").read_text())
    assert manifest["status"] == "failed" and "no space left" in manifest["error"]
    monkeypatch.undo()  # space is back: the same command finishes the rest
    again = myoemg.batch(dataset, out, report=False)
    assert again.counts["skipped"] == 2 and again.counts["done"] == len(GOOD) - 2


def _can_mount_tmpfs():
    if not shutil.which("unshare") or not sys.platform.startswith("linux"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c",
                            "d=$(mktemp -d) && mount -t tmpfs -o size=64k none $d"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs unshare and a user mount namespace")
def test_real_full_disk_on_a_tiny_tmpfs(dataset, tmp_path):
    """The CLI writing to a 200 KiB tmpfs: exit 8, the error named, the manifest final."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    script = (f"mount -t tmpfs -o size=200k none {mnt} && cd {ROOT} && "
              f"{sys.executable} -m myoemg_cli.main batch {dataset} --out {mnt}/out --no-report; "
              f"echo \"rc=$?\"; cat {mnt}/out/batch_manifest.json; ls {mnt}/out")
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True,
                          text=True, timeout=180)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert "rc=8" in proc.stdout, (proc.stdout, proc.stderr)
    assert "no space left on the device" in " ".join(proc.stderr.split())
    manifest = proc.stdout.split("rc=8", 1)[1]
    assert '"status": "failed"' in manifest and '"running"' not in manifest
