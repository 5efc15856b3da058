"""Where each recording's results go: its path below the inputs' common folder.

Results of ``/data/study/sub-01/grip.edf`` given as ``/data/study`` go to
``OUT/sub-01/grip/``. Inputs that share no folder below the file-system root (``/data/a`` and
``/scratch/b``) are not mirrored from ``/``: each input folder becomes a top folder of its own,
named by its last path component (``OUT/a/...``, ``OUT/b/...``), with as many parent components
as it takes to tell two same-named folders apart (``OUT/x/data``, ``OUT/y/data``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePath


def absolute(path):
    """Absolute, normalised path; symbolic links are kept (the path the user sees)."""
    return Path(os.path.abspath(os.path.expanduser(str(path))))


def _inside(path, root):
    try:
        PurePath(path).relative_to(root)
    except ValueError:
        return False
    return True


def _common(paths):
    try:
        return Path(os.path.commonpath([str(p) for p in paths]))
    except ValueError:  # different drives (Windows)
        return None


@dataclass(frozen=True)
class Layout:
    """Map input paths to paths below the output folder.

    Attributes
    ----------
    root : Path | None
        The common folder of every input; None when the inputs share none below the
        file-system root.
    roots : dict of str -> Path
        When ``root`` is None: the top-level input folders by the name their results go under.
    """

    root: Path | None
    roots: dict = field(default_factory=dict)

    @classmethod
    def from_roots(cls, roots):
        """The layout for input folders ``roots`` (absolute paths; repeats and nesting allowed)."""
        roots = sorted({absolute(r) for r in roots}, key=lambda p: (len(p.parts), str(p)))
        common = _common(roots)
        if common is not None and len(common.parts) > 1:  # below '/' (or 'C:\')
            return cls(root=common)
        top = []
        for r in roots:  # outermost first: a folder inside another input folder joins it
            if not any(_inside(r, t) for t in top):
                top.append(r)
        return cls(root=None, roots=_labels(top))

    def relative(self, path):
        """POSIX path of ``path`` below the output folder, or None when outside every input."""
        path = absolute(path)
        if self.root is not None:
            return path.relative_to(self.root).as_posix() if _inside(path, self.root) else None
        for label, root in self.roots.items():
            if _inside(path, root):
                return (PurePath(label) / path.relative_to(root)).as_posix()
        return None

    def display(self, path):
        """``path`` for the tables: relative when inside the inputs, else absolute."""
        if path is None:
            return None
        rel = self.relative(path)
        return rel if rel is not None else str(path)

    def describe(self):
        """JSON-ready description for the run manifest."""
        if self.root is not None:
            return {"input_root": str(self.root)}
        return {"input_root": None, "input_roots": {k: str(v) for k, v in self.roots.items()}}


def _labels(roots):
    """Shortest trailing path components that tell each root apart (``data`` or ``x/data``)."""
    parts = [list(r.parts[1:]) or [_anchor_name(r)] for r in roots]
    depth = [1] * len(roots)
    while True:
        labels = ["/".join(p[-d:]) for p, d in zip(parts, depth, strict=True)]
        clash = [i for i, lab in enumerate(labels) if labels.count(lab) > 1]
        grow = [i for i in clash if depth[i] < len(parts[i])]
        if not grow:
            break
        for i in grow:
            depth[i] += 1
    if clash:  # the same path on two drives: add the drive
        labels = [f"{_anchor_name(r)}/{lab}" for r, lab in zip(roots, labels, strict=True)]
    return dict(zip(labels, roots, strict=True))


def _anchor_name(path):
    """The anchor as a folder name: 'C' for a Windows drive, 'root' for '/'."""
    name = path.anchor.strip("\\/:")
    return name.replace(":", "") or "root"
