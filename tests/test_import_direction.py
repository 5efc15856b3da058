"""Imports point down the layers (after MNE's test_import_nesting.py); import myoemg is light."""

import ast
import subprocess
import sys
from pathlib import Path

import myoemg

PKG = Path(myoemg.__file__).parent
ALLOWED = {
    "utils": set(), "recording": {"utils"}, "signal": {"utils"}, "evaluation": {"utils"},
    "detect": {"utils", "recording", "signal"}, "metrics": {"utils", "recording", "signal"},
    "grading": {"utils", "metrics"}, "io": {"utils", "recording"},
    "sim": {"utils", "recording", "signal"}, "viz": {"utils", "recording"},
    "quality": {"utils", "recording", "signal"},
    "export": {"utils", "recording"},
    # Top layers: the one place that wires everything, then what sits on it. Reporting is
    # imported lazily inside Analysis methods (nested imports are not checked here).
    "pipeline": {"utils", "recording", "signal", "detect", "metrics", "quality", "grading",
                 "io"},
    "report": {"utils", "recording", "signal", "detect", "metrics", "quality", "grading",
               "viz", "export", "pipeline"},
    "batching": {"utils", "recording", "io", "pipeline"},
}


def _layer_imported(path, node):
    if node.level == 0:
        parts = (node.module or "").split(".")
        return parts[1] if parts[0] == "myoemg" and len(parts) > 1 else None
    folders = path.relative_to(PKG).parts[:-1]
    base = list(folders[: len(folders) - node.level + 1])
    return [*base, *(node.module or "").split(".")][0] or None


def test_imports_point_down():
    for path in PKG.rglob("*.py"):
        layer = path.relative_to(PKG).parts[0].removesuffix(".py")
        if layer not in ALLOWED:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom):
                target = _layer_imported(path, node)
                assert target in ALLOWED[layer] | {layer, None, "_version"}, \
                    f"{path}:{node.lineno} imports {target}"


def test_import_myoemg_does_not_load_matplotlib_or_mne():
    code = ("import sys, myoemg; "
            "print(','.join(m for m in ('matplotlib', 'mne', 'dask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
