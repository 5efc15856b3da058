"""Imports point down the layers (after MNE's test_import_nesting.py); import myoemg is light.

Every ``import`` is checked, at module level and inside functions. A nested (function-level)
import may reach a layer above only where :data:`NESTED_UP` says so: the thin convenience
methods of the containers (``Recording.to_mne``, ``Analysis.to_html`` ...) hand over to the
layer that does the work, as ``mne.io.Raw.plot`` hands over to ``mne.viz``. ARCHITECTURE.md
draws the same picture.
"""

import ast
import subprocess
import sys
import tempfile
from pathlib import Path

import myoemg

PKG = Path(myoemg.__file__).parent

#: layer -> the layers it may import (module level or nested).
ALLOWED = {
    "utils": set(),
    "roles": {"utils"},
    "channels": {"utils", "roles"},
    "recording": {"utils", "roles", "channels"},
    "signal": {"utils"},
    "evaluation": {"utils"},
    "detect": {"utils", "recording", "signal"},
    "metrics": {"utils", "recording", "signal", "results"},
    "grading": {"utils", "metrics", "results"},
    "results": {"utils", "recording"},
    "datasets": {"utils"},
    # signal: to_mne fills info['line_freq'] with the mains detect_mains finds on the EMG
    "io": {"utils", "roles", "recording", "signal"},
    "sim": {"utils", "recording", "signal"},
    "quality": {"utils", "roles", "recording", "signal", "results"},
    "viz": {"utils", "recording", "results"},
    "export": {"utils", "recording", "results"},
    "derivatives": {"utils", "export"},
    # Top layers: the one place that wires everything, then what sits on it.
    "pipeline": {"utils", "roles", "recording", "signal", "detect", "metrics", "quality",
                 "grading", "io", "results"},
    "report": {"utils", "recording", "signal", "detect", "metrics", "quality", "grading",
               "viz", "export", "results"},
    "batching": {"utils", "recording", "io", "detect", "pipeline", "results"},
}
#: Nested imports that may reach upward: thin methods that hand over to the layer doing the work.
NESTED_UP = {
    "recording": {"io"},  # Recording.to_mne / from_mne -> myoemg.io.mne_raw
    # Analysis.save / to_html / plot_* / to_annotations
    "results": {"report", "viz", "export", "derivatives"},
}


def _layer_of(path):
    return path.relative_to(PKG).parts[0].removesuffix(".py")


def _target(path, node):
    """The myoemg layer an import statement reaches, or None for outside packages."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names if a.name.startswith("myoemg.")]
        return [n.split(".")[1] for n in names] or [None]
    if node.level == 0:
        parts = (node.module or "").split(".")
        return [parts[1] if parts[0] == "myoemg" and len(parts) > 1 else None]
    folders = path.relative_to(PKG).parts[:-1]
    base = list(folders[: len(folders) - node.level + 1])
    parts = [*base, *(node.module or "").split(".")]
    parts = [p for p in parts if p]
    if parts:
        return [parts[0]]
    return [a.name for a in node.names]  # "from . import x" at the package root


def _imports(tree):
    """(node, nested) for every import in a module."""
    top = {id(n) for n in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, id(node) not in top and not _in_type_checking(tree, node)


def _in_type_checking(tree, node):
    for block in tree.body:
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test):
            if any(n is node for n in ast.walk(block)):
                return True
    return False


def test_imports_point_down():
    bad = []
    for path in sorted(PKG.rglob("*.py")):
        layer = _layer_of(path)
        if layer not in ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, nested in _imports(tree):
            for target in _target(path, node):
                ok = ALLOWED[layer] | {layer, None, "_version"}
                if nested:
                    ok = ok | NESTED_UP.get(layer, set())
                if target not in ok:
                    bad.append(f"{path.relative_to(PKG)}:{node.lineno} ({layer}) imports "
                               f"{target}{' inside a function' if nested else ''}")
    assert not bad, "\n".join(bad)


def test_every_layer_is_known():
    layers = {_layer_of(p) for p in PKG.rglob("*.py")} - {"__init__", "_version", "_cli"}
    assert layers <= set(ALLOWED), sorted(layers - set(ALLOWED))


#: Modules that cost 0.05-1 s to import; start-up must not pay for them until they are used.
HEAVY = ("numpy", "scipy", "scipy.signal", "pandas", "matplotlib", "mne", "dask", "edfio",
         "jinja2", "pyarrow")


def _loaded_heavy(code, *argv):
    """Which HEAVY modules a fresh process running ``code`` (with ``argv``) has loaded at
    exit; SystemExit (``--help``) included."""
    probe = ("import atexit, sys\n"
             f"atexit.register(lambda: print(','.join(m for m in {HEAVY!r} "
             "if m in sys.modules), file=sys.__stderr__))\n" + code)
    proc = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True,
                          text=True, cwd=tempfile.gettempdir())
    return proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""


def test_import_myoemg_loads_nothing_heavy():
    assert _loaded_heavy("import myoemg") == ""
    # the public names and subpackages are there, each loading only on use
    names = ("read", "analyze", "Analysis", "Recording", "Channel", "MyoemgError", "batch",
             "__version__", "sim", "signal", "io", "detect")
    assert _loaded_heavy(f"import myoemg; assert set({names!r}) <= set(dir(myoemg))") == ""
    assert "scipy.signal" in _loaded_heavy("import myoemg; myoemg.signal.bandpass")
    assert "pandas" not in _loaded_heavy("import myoemg; myoemg.MyoemgError")


def test_cli_help_and_version_load_nothing_heavy():
    entry = ("import sys; from importlib.metadata import entry_points; "
             "main = entry_points(group='console_scripts')['myoemg'].load(); sys.exit(main())")
    for argv in (["--help"], ["--version"], ["analyze", "--help"], ["batch", "--help"],
                 ["simulate", "--help"]):
        assert _loaded_heavy(entry, *argv) == "", argv
