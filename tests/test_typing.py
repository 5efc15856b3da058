"""Static types: mypy is clean on the package, and every public callable says what it returns.

myoemg ships ``py.typed``, so a user's type checker reads these annotations; the first test
runs mypy with the configuration in pyproject.toml (``[tool.mypy]``), the second finds public
functions, methods and properties that have no return annotation (mypy alone would not: it
skips what is not annotated).
"""

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import myoemg

ROOT = Path(__file__).resolve().parents[1]

def test_mypy_is_clean_on_the_package():
    pytest.importorskip("mypy", reason="mypy is in the test extra: pip install '.[test]'")
    if not (ROOT / "pyproject.toml").is_file():
        pytest.skip("needs the source tree (pyproject.toml holds the mypy configuration)")
    # Cached in ROOT/.mypy_cache: about 30 s cold on 2 busy cores, 2 s warm.
    proc = subprocess.run([sys.executable, "-m", "mypy", "myoemg"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success: no issues found" in proc.stdout


def _public_objects():
    """(qualified name, object) of what ``__all__`` of myoemg and its subpackages exports."""
    seen = set()
    for module_name in ("myoemg", *(f"myoemg.{m}" for m in myoemg._SUBMODULES)):
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.ismodule(obj) or id(obj) in seen:
                continue
            seen.add(id(obj))
            yield f"{module_name}.{name}", obj


def _callables(qualname, obj):
    """The functions to check: ``obj`` itself, or a class's public methods and properties."""
    if not inspect.isclass(obj):
        if inspect.isfunction(obj):
            yield qualname, obj
        return
    for name, member in vars(obj).items():
        if name.startswith("_"):
            continue
        func = member.fget if isinstance(member, property) else getattr(member, "__func__",
                                                                         member)
        if inspect.isfunction(func) and func.__qualname__.startswith(obj.__qualname__):
            yield f"{qualname}.{name}", func


def test_public_api_has_return_annotations():
    checked, missing = 0, []
    for qualname, obj in _public_objects():
        for name, func in _callables(qualname, obj):
            module = func.__module__
            if not module.startswith("myoemg"):
                continue
            checked += 1
            if "return" not in func.__annotations__:
                missing.append(f"{name} ({module})")
    assert checked > 100  # the walk found the API (about 120 callables today)
    assert not missing, "no return annotation: " + ", ".join(missing)
