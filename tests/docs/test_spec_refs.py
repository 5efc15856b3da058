"""docs/spec_to_docs.json and docs/tools/replace_spec_refs.py: every SPEC section has a docs
section, and the rewrite keeps code valid, lines short and words intact."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
pytestmark = pytest.mark.skipif(not DOCS.is_dir(), reason="docs/ is not part of this checkout")


def _tool():
    spec = importlib.util.spec_from_file_location("replace_spec_refs",
                                                  DOCS / "tools" / "replace_spec_refs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_spec_section_has_a_label_in_the_domain_reference():
    mapping = json.loads((DOCS / "spec_to_docs.json").read_text(encoding="utf-8"))
    assert sorted(map(int, mapping["sections"])) == list(range(1, 11))
    domain = (DOCS / mapping["page"]).read_text(encoding="utf-8")
    for number, section in mapping["sections"].items():
        label = section["label"]
        assert f".. _{label}:\n\n{number}. " in domain, label
        assert section["comment"] == f"{mapping['prefix']}, {section['short']}"


def test_the_examples_of_the_mapping_are_what_the_tool_writes():
    tool = _tool()
    prefix, short = tool.load_mapping()
    examples = json.loads((DOCS / "spec_to_docs.json").read_text())["examples"]
    for old, new in examples.items():
        assert tool.rewrite(old, prefix, short) == (new, 1)


def test_breaks_are_kept_and_bare_mentions_left_alone():
    tool = _tool()
    prefix, short = tool.load_mapping()
    split = 'x = (f"not from the peak (SPEC.md "\n     "§2, \'Sagging grips\')")'
    new, n = tool.rewrite(split, prefix, short)
    assert n == 1 and new == ('x = (f"not from the peak (docs: domain reference, "\n'
                              '     "relaxation, \'Sagging grips\')")')
    new, n = tool.rewrite("# levels (SPEC.md\n# §2) are", prefix, short)
    assert new == "# levels (docs: domain reference,\n# relaxation) are"
    assert tool.rewrite("as SPEC.md asks", prefix, short) == ("as SPEC.md asks", 0)
    assert tool.rewrite(r're.compile(r"SPEC\.md\s*§")', prefix, short)[1] == 0


def test_rewriting_a_tree_keeps_python_valid_and_lines_short(tmp_path, capsys):
    tool = _tool()
    pkg = tmp_path / "myoemg"
    pkg.mkdir()
    source = '''"""Module.

A paragraph of docstring prose that is close to the limit already, citing SPEC.md §5 in it,
and going on for one more line here.
"""

#: A constant whose comment cites SPEC.md §2, §6 and is long enough to grow past the limit
#: once rewritten, with a second line.
LIMIT = 1.0  # SPEC §4
MESSAGE = ("a message that needs a person: SPEC.md §1 and some more words to overflow it")
'''
    (pkg / "mod.py").write_text(source)
    (tmp_path / "README.md").write_text("See SPEC.md §3 and the project's SPEC.md.\n")
    assert tool.main(["--root", str(tmp_path), "myoemg", "README.md"]) == 0  # dry run
    assert (pkg / "mod.py").read_text() == source
    assert tool.main(["--root", str(tmp_path), "--write", "myoemg", "README.md"]) == 0
    out = capsys.readouterr().out
    assert "replaced 5 pointers in 2 files" in out
    assert "README.md:1: mentions SPEC without a section" in out
    new = (pkg / "mod.py").read_text()
    compile(new, "mod.py", "exec")
    assert "SPEC" not in new
    assert re.sub(r"\s+", " ", new).count("docs: domain reference") == 4
    long_lines = [line for line in new.splitlines() if len(line) > 100]
    # the comment and the docstring paragraph were re-wrapped; the message is left to a person
    assert [line[:9] for line in long_lines] == ["MESSAGE ="]
    assert "mod.py:10: longer than 100 characters: MESSAGE" in out
    words = re.sub(r"\s+|#:?", " ", new).split()
    assert "second" in words and "line." in words  # nothing lost in re-wrapping
    assert (tmp_path / "README.md").read_text() == \
        "See docs: domain reference, warm-up and the project's SPEC.md.\n"
