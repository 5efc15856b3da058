"""A small, fast version of benchmarks/fuzz_readers.py: a few dozen mutants of a valid file of
each format, read in a worker under a memory limit and a timeout. Every mutant gives a clean
MyoemgError or a Recording that ``myoemg.analyze`` turns into a result or a MyoemgError; none
raises anything else, exhausts memory, hangs or kills the worker."""

import importlib.util
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parents[2] / "benchmarks" / "fuzz_readers.py"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="RLIMIT_AS and /proc are Linux")


def _harness():
    spec = importlib.util.spec_from_file_location("fuzz_readers", HARNESS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mutants_of_every_format_fail_cleanly():
    pytest.importorskip("wfdb")
    pytest.importorskip("mne")
    fuzz = _harness()
    result = fuzz.run(fuzz.FORMATS, n=24, seed=13, mem_mb=1024, timeout=60.0)
    table = result["formats"]
    assert set(table) == set(fuzz.FORMATS)
    report = fuzz.format_table(result) + "\n" + "\n".join(
        f"{f['format']} #{f['mutant']} {f['mutation']}: {f['outcome']} {f.get('type')}: "
        f"{f.get('message')}" for f in result["failures"])
    for c in table.values():
        assert c["tried"] == 24, report
        assert c["other"] == c["memory"] == c["hang"] == c["crash"] == 0, report
        assert c["analyze_ok"] == c["accepted"], report
        assert c["error"] > 0, report  # the mutations do damage each format
