"""How the CLI tests run ``myoemg``: in-process through main(), or as the installed command."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"


def command():
    """The installed ``myoemg`` console script (what users run), else ``python -m``."""
    script = Path(sys.executable).with_name("myoemg")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "myoemg_cli.main"]


def run(*args, cwd, **kwargs):
    """Run ``myoemg ARGS`` in a fresh process from ``cwd``; returns the CompletedProcess."""
    return subprocess.run([*command(), *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, **kwargs)


def with_patient_name(edf, out, name="Jane_Doe"):
    """Copy of EDF+ file ``edf`` whose header names a patient (myoemg.write_edf never does)."""
    data = bytearray(Path(edf).read_bytes())
    data[8:88] = f"S03 F 05-MAR-1960 {name}".ljust(80).encode("ascii")
    Path(out).write_bytes(data)
    return Path(out)
