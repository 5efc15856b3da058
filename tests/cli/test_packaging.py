"""The command line installs as ``myoemg_cli``: never a module named ``cli`` in site-packages.

Checked in the environment the tests run in (editable or not), and, in the slow test, from a
wheel and from an editable install each in a fresh virtual environment, run from another
folder.
"""

import ast
import importlib.metadata
import json
import subprocess
import sysconfig
import zipfile
from pathlib import Path

import pytest

import myoemg_cli

from .._venv import build_wheel, fresh_venv, pip_install
from ._run import ROOT, SAMPLES

CLI = ROOT / "cli"


def test_console_script_is_myoemg_cli_main():
    (entry,) = [e for e in importlib.metadata.entry_points(group="console_scripts")
                if e.name == "myoemg"]
    assert entry.value == "myoemg_cli.main:main"
    from myoemg_cli.main import main

    assert entry.load() is main


def test_no_cli_module_in_site_packages():
    dist = importlib.metadata.distribution("myoemg")
    tops = {Path(str(f)).parts[0] for f in dist.files or ()}
    assert "cli" not in tops and "cli.py" not in tops
    purelib = Path(sysconfig.get_paths()["purelib"])
    assert not (purelib / "cli").exists() and not (purelib / "cli.py").exists()


def test_editable_install_runs_these_sources():
    dist = importlib.metadata.distribution("myoemg")
    direct = dist.read_text("direct_url.json")
    if not direct or not json.loads(direct).get("dir_info", {}).get("editable"):
        pytest.skip("myoemg is not installed in editable mode here")
    assert Path(myoemg_cli.__path__[0]).resolve() == CLI.resolve()
    from myoemg_cli import main as cli_main

    assert Path(cli_main.__file__).resolve() == (CLI / "main.py").resolve()


def test_cli_sources_do_not_depend_on_the_name_cli():
    # An editable install maps myoemg_cli to cli/ by __path__ alone: cli/__init__.py never
    # runs there, so it may hold a docstring only.
    init = ast.parse((CLI / "__init__.py").read_text())
    assert len(init.body) == 1 and isinstance(init.body[0].value, ast.Constant)
    for path in CLI.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            assert not any(n == "cli" or n.startswith(("cli.", "myoemg_cli")) for n in names), \
                f"{path.name}:{node.lineno} imports the CLI by name; import it relatively"


def _check_installed(python, purelib, elsewhere, expect_cli_dir):
    script = python.with_name("myoemg")
    help_ = subprocess.run([script, "--help"], cwd=elsewhere, capture_output=True, text=True)
    assert help_.returncode == 0 and "analyze" in help_.stdout, help_.stderr
    info = subprocess.run([script, "info", SAMPLES / "grip_healthy.edf"], cwd=elsewhere,
                          capture_output=True, text=True)
    assert info.returncode == 0 and "Grip" in info.stdout, info.stderr
    probe = subprocess.run(
        [python, "-c", "import importlib.util as u, myoemg_cli.main as m; "
         "print(m.__file__); print(u.find_spec('cli'))"],
        cwd=elsewhere, capture_output=True, text=True, check=True).stdout.split("\n")
    assert Path(probe[0]).parent.resolve() == expect_cli_dir.resolve()
    assert not (purelib / "cli").exists()
    return probe


@pytest.mark.slow
def test_wheel_and_editable_install_in_a_fresh_venv(tmp_path):
    """(a) pip install . and (b) pip install -e ., then `myoemg` from another folder."""
    wheel = build_wheel(ROOT, tmp_path / "wheels")
    names = zipfile.ZipFile(wheel).namelist()
    assert "myoemg_cli/main.py" in names and "myoemg/__init__.py" in names
    assert not [n for n in names if n.startswith("cli/") or "__pycache__" in n]
    assert any(n.startswith("myoemg/report/") and n.endswith(".j2") for n in names)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    python, purelib = fresh_venv(tmp_path / "wheel-venv")
    pip_install(python, wheel)
    probe = _check_installed(python, purelib, elsewhere, purelib / "myoemg_cli")
    assert probe[1] == "None"  # no module named cli anywhere

    python, purelib = fresh_venv(tmp_path / "editable-venv")
    pip_install(python, "-e", ROOT)
    _check_installed(python, purelib, elsewhere, CLI)
