"""The README: the two-command quick start first, how to read the results, the docs, no SPEC.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUICK_START = (
    "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/myoemg analyze "
    "data/samples/grip_warmup.edf --out results/grip_warmup",
    'python3 -m venv .venv && .venv/bin/pip install ".[test]" && .venv/bin/python -m pytest',
)


def _readme():
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_the_first_block_and_two_commands():
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", _readme(), flags=re.S | re.M)
    assert tuple(blocks[0].strip().splitlines()) == QUICK_START


def test_how_to_read_the_results_with_the_report_and_the_docs():
    text = _readme()
    assert text.index("## Quick start") < text.index("## How to read the results")
    section = text.split("## How to read the results")[1].split("\n## ")[0]
    for word in ("rt90_5_s", "relaxed", "peak_force_au", "grade", "reason", "provisional"):
        assert word in section, word
    assert "getting_started" in section
    (image,) = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", text)
    assert image == "docs/_static/report.png" and (ROOT / image).is_file()
    assert "bash docs/build.sh" in text and "https://myoemg.readthedocs.io" in text


def test_no_pointer_to_the_internal_spec_is_left():
    for name in ("README.md", "data/samples/README.md"):
        assert "SPEC" not in (ROOT / name).read_text(encoding="utf-8"), name
