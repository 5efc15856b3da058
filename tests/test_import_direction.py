"""Imports point down the layers (after MNE's test_import_nesting.py); import myoemg is light."""

import ast
import subprocess
import sys
import tempfile
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
