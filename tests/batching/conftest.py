"""Fixtures of the batch tests: a small dataset with bad files, and its reference run.

Small simulated sessions (3 grips, EMG 1000 Hz, force 100 Hz) keep each analysis well under a
second; ``report=False`` skips the HTML report.
"""

import os

import pytest

import myoemg
from myoemg.io import file_sha256, write_edf, write_force_csv

from ._helpers import GOOD, small_session


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """Six good recordings (one as EMG EDF + <stem>_force.csv) and three bad files."""
    root = tmp_path_factory.mktemp("batch") / "data"
    sims = [small_session(p, i) for i, p in enumerate(["warm-up", "healthy", "paradoxical"])]
    for i, rel in enumerate(GOOD):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        rec = sims[i % 3]
        if rel.endswith("pair.edf"):
            write_edf(rec.select(["EMG FDS"]), path)
            write_force_csv(rec.force, path.with_name("pair_force.csv"))
        else:
            write_edf(rec, path)
    (root / "bad").mkdir()
    (root / "bad/empty.edf").write_bytes(b"")
    # not an EDF from its first byte: random bytes start with the EDF version '0' 1 time in
    # 256 and then fail later, on a header field, which made the message check flaky
    (root / "bad/garbage.edf").write_bytes(b"\x89" + os.urandom(2999))
    raw = (root / GOOD[0]).read_bytes()
    (root / "bad/truncated.edf").write_bytes(raw[: len(raw) // 2 + 7])
    (root / "participants.tsv").write_text("participant_id\nsub-01\n")  # not a recording
    return root


@pytest.fixture(scope="module")
def reference(dataset, tmp_path_factory):
    """A clean serial run of the whole dataset (the tables every other run must match)."""
    out = tmp_path_factory.mktemp("ref") / "out"
    before = {p: file_sha256(p) for p in dataset.rglob("*") if p.is_file()}
    res = myoemg.batch(dataset, out, jobs=1, report=False)
    after = {p: file_sha256(p) for p in dataset.rglob("*") if p.is_file()}
    assert before == after  # inputs are never written to
    return res, out
