"""A fresh virtual environment for install tests: these dependencies, not this myoemg."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

PIP_ENV = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def fresh_venv(path):
    """Create a venv at ``path`` that can import this environment's packages.

    Returns ``(python, purelib)``. A plain path line makes the dependencies importable without
    processing this environment's ``.pth`` files (an editable install of the checkout). The
    venv's own site-packages comes first on ``sys.path``, so what :func:`pip_install` puts there
    wins over a myoemg installed here.
    """
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    python = path / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python, Path(purelib)


def pip_install(python, *args):
    """``pip install`` into the fresh venv even when this environment already has myoemg.

    Without ``--ignore-installed`` pip sees the same version through the path line (CI installs
    the checkout non-editable) and installs nothing.
    """
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed",
                    *map(str, args)], check=True, env=PIP_ENV)


def build_wheel(root, folder):
    """Build myoemg's wheel from ``root`` into ``folder``; return its path."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", folder, root],
                   check=True, env=PIP_ENV)
    (wheel,) = Path(folder).glob("myoemg-*.whl")
    return wheel
