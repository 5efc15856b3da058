"""Rewrite pointers to the team's internal SPEC.md into pointers to the documentation.

The code, the notebooks and the README cite the internal domain specification as
``SPEC.md §5``; the product documents its definitions itself (``docs/domain.rst``). This script
replaces each pointer by the words of ``docs/spec_to_docs.json`` (``SPEC.md §5`` →
``docs: domain reference, discharges``), in place, in the folders and files given (default:
``myoemg/``, ``cli/``, ``notebooks/``, ``tests/``, ``README.md`` and ``data/samples/README.md``,
which ships in the wheel).

Recognised: ``SPEC.md §N`` and ``SPEC §N``, lists (``SPEC.md §2, §6``, ``§1 and §2``), a pointer
broken across lines (in a comment or a docstring) or across two adjacent string literals
(``"... (SPEC.md "`` / ``"§2, ...)"``: the break is kept). What follows the section — a
parenthesis, a quoted subsection name — is kept as it is. A bare ``SPEC.md`` without a section
is never rewritten: it is listed for a person to reword. A full-line ``#`` comment or a line of
docstring prose that grows past the line limit is re-wrapped into the lines of its paragraph
below; any other line that grows past it (a summary line, a message, a trailing comment) is
listed.

Dry run by default (counts and the lines to review); ``--write`` changes the files::

    python docs/tools/replace_spec_refs.py --root /tmp/copy            # what would change
    python docs/tools/replace_spec_refs.py --root /tmp/copy --write    # change it
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAPPING = HERE.parent / "spec_to_docs.json"
TARGETS = ("myoemg", "cli", "notebooks", "tests", "README.md", "data/samples/README.md")
SUFFIXES = {".py", ".md", ".ipynb", ".j2", ".html", ".txt", ".rst", ".toml", ".cfg", ".json"}
LINE_LIMIT = 100  # ruff's line-length (pyproject.toml)
WHITE = " \t"

_GAP = (r"(?:[ \t]*[\"'][ \t]*\n[ \t]*[rRfFbBuU]{0,2}[\"'][ \t]*"  # across two string literals
        r"|[ \t]*\n[ \t]*(?:\#[ \t]*)?"                             # across lines (comment/text)
        r"|[ \t]*)")
_MORE = r"(?:[ \t]*(?:,|and|&)[ \t]*§[ \t]*\d+)"
#: A pointer: "SPEC" or "SPEC.md", a gap, "§N", more sections.
POINTER = re.compile(rf"\bSPEC(?:\.md)?(?P<gap>{_GAP})§[ \t]*(?P<first>\d+)(?P<more>{_MORE}*)")
#: A mention without a section (reported, not rewritten).
BARE = re.compile(r"\bSPEC(?:\.md)?\b")


def load_mapping(path=MAPPING):
    """(prefix, {section number: short name}) from spec_to_docs.json."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["prefix"], {int(k): v["short"] for k, v in data["sections"].items()}


def _join(names):
    names = list(dict.fromkeys(names))  # keep order, drop repeats
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def replacement(match, prefix, short):
    """The words that replace one pointer; a line or literal break inside it is kept."""
    numbers = [int(match["first"]), *map(int, re.findall(r"\d+", match["more"] or ""))]
    unknown = [n for n in numbers if n not in short]
    if unknown:
        raise KeyError(f"no section {unknown} in {MAPPING.name}: {match[0]!r}")
    names = _join(short[n] for n in numbers)
    gap = match["gap"]
    if "\n" not in gap:
        return f"{prefix}, {names}"
    if gap.strip(" \t")[0] in "\"'":  # two string literals: "prefix, " ends the first
        return f"{prefix},{gap}{names}"
    return f"{prefix},{gap.lstrip(WHITE)}{names}"  # a line break in text or a comment


def rewrite(text, prefix, short):
    """(new text, number of pointers replaced)."""
    count = 0

    def sub(m):
        nonlocal count
        count += 1
        return replacement(m, prefix, short)

    return POINTER.sub(sub, text), count


_ITEM = re.compile(r"^(?:[-*+] |\d+[.)] |\.\. |:|[=~^-]{3,}$|>>> |\S+ : )")


def _docstring_interiors(text):
    """Line numbers (1-based) inside multi-line triple-quoted strings, quotes' lines excluded."""
    import io
    import tokenize

    inside = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if (tok.type == tokenize.STRING and tok.start[0] < tok.end[0]
                    and tok.string.lstrip("rRbBuUfF")[:3] in ('"""', "'''")):
                inside.update(range(tok.start[0] + 1, tok.end[0]))
    except (tokenize.TokenError, SyntaxError):  # not Python after all: no docstrings
        pass
    return inside


def _wrap(words, width):
    para, current = [], ""
    for word in words.split(" "):
        if current and len(current) + 1 + len(word) > width:
            para.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*para, current]


def _paragraph_start(line, is_text):
    """(first-line prefix, continuation prefix, text) of a line a paragraph may start on."""
    m = re.match(r"^([ \t]*#:?[ \t]?)(\S.*)$", line)  # a comment or a Sphinx #: comment
    if m:
        return m[1], m[1], m[2]
    if not is_text:
        return None
    m = re.match(r"^([ \t]*)([-*+] |\d+[.)] )(\S.*)$", line)  # a list item of a docstring
    if m:
        return m[1] + m[2], m[1] + " " * len(m[2]), m[3]
    m = re.match(r"^([ \t]*)(\S.*)$", line)
    if m and not _ITEM.match(m[2]):
        return m[1], m[1], m[2]
    return None


def _reflow(lines, limit, text_lines):
    """Re-wrap over-long comments and docstring prose into the lines of their paragraph.

    A paragraph goes on while the next line has the continuation prefix (indent, ``#``/``#:``
    for a comment, the item's indent for a list item), holds text and does not start an item,
    a field or a directive; docstring lines are those of ``text_lines`` (1-based).
    """
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        start = _paragraph_start(line, (i + 1) in text_lines) if len(line) > limit else None
        if start is None:
            out.append(line)
            i += 1
            continue
        head, cont, words = start
        comment = head.lstrip().startswith("#")
        j = i + 1
        while (j < len(lines) and (comment or (j + 1) in text_lines)
               and re.match(rf"^{re.escape(cont)}\S", lines[j])
               and not _ITEM.match(lines[j][len(cont):])
               and not re.match(r"^[-*+] |^\d+[.)] ", lines[j][len(cont):])):
            words += " " + lines[j][len(cont):].rstrip()
            j += 1
        wrapped = _wrap(words, limit - len(cont))
        if len(head) + len(wrapped[0]) > limit:  # first line has a longer prefix: re-wrap it
            first = _wrap(words, limit - len(head))[0]
            wrapped = [first, *_wrap(words[len(first):].lstrip(), limit - len(cont))]
        out.append(head + wrapped[0])
        out.extend(cont + w for w in wrapped[1:] if w)
        i = j
    return out


def process(path, prefix, short, *, write, limit=LINE_LIMIT):
    """(pointers replaced, lines to review) for one file; writes it when asked."""
    text = path.read_text(encoding="utf-8")
    new, count = rewrite(text, prefix, short)
    review = []
    if path.suffix == ".py" and count:
        new = "\n".join(_reflow(new.split("\n"), limit, _docstring_interiors(new)))
    old_lines = set(text.split("\n"))
    for k, line in enumerate(new.split("\n"), 1):
        if path.suffix == ".py" and len(line) > limit and line not in old_lines:
            review.append((k, f"longer than {limit} characters", line.strip()))
        if BARE.search(line):
            review.append((k, "mentions SPEC without a section", line.strip()))
    if write and count:
        path.write_text(new, encoding="utf-8")
    return count, review


def files(root, targets):
    """Every text file under the targets (folders recursively), caches and venvs skipped."""
    for target in targets:
        p = root / target
        if p.is_file():
            yield p
        elif p.is_dir():
            for f in sorted(p.rglob("*")):
                if (f.is_file() and f.suffix in SUFFIXES
                        and not any(part.startswith(".") or part == "__pycache__"
                                    for part in f.relative_to(root).parts)):
                    yield f


def main(argv=None):
    """Command line: dry run or ``--write``; prints counts and the lines to review."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE.parents[1],
                        help="repository (or scratch copy) to work on (default: this one)")
    parser.add_argument("--write", action="store_true", help="change the files")
    parser.add_argument("targets", nargs="*", default=list(TARGETS),
                        help=f"folders and files below the root (default: {' '.join(TARGETS)})")
    args = parser.parse_args(argv)
    prefix, short = load_mapping()
    total, changed, to_review = 0, 0, []
    for path in files(args.root, args.targets):
        count, review = process(path, prefix, short, write=args.write)
        rel = path.relative_to(args.root)
        if count:
            total += count
            changed += 1
            print(f"{count:4d}  {rel}")
        to_review += [(rel, *r) for r in review]
    verb = "replaced" if args.write else "would replace"
    print(f"{verb} {total} pointers in {changed} files")
    if to_review:
        print(f"{len(to_review)} lines to review by hand:")
        for rel, k, why, line in to_review:
            print(f"  {rel}:{k}: {why}: {line[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
