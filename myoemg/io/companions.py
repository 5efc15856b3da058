"""Every file a read of one recording opens: the header, its data and marker files, sidecars.

:func:`input_files` lists them so that whoever checks a recording for changes (batch resume
hashes) or guards outputs against inputs covers them all: a ``.vhdr`` with its ``.vmrk`` and
data file, a WFDB ``.hea`` with its signal files, a BIDS data file with its ``channels.tsv``,
``emg.json`` and ``events.tsv``, and the sibling force file :func:`myoemg.io.read` pairs by the
naming rule.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..utils import RecordingError, read_input_bytes

_VHDR_FILE = re.compile(r"^(DataFile|MarkerFile)=(.+)$", re.M)


def _brainvision(vhdr):
    text = read_input_bytes(vhdr, "header", header=True).decode("utf-8", errors="replace")
    return [vhdr.with_name(m.group(2).strip()) for m in _VHDR_FILE.finditer(text)
            if "/" not in m.group(2) and "\\" not in m.group(2)]


def _wfdb(hea):
    text = read_input_bytes(hea, "header", header=True).decode("latin-1")
    lines = [ln.split() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    names = {fields[0] for fields in lines[1:] if fields and "/" not in fields[0]}
    return [hea.with_name(n) for n in sorted(names) if n != "~"]


def _bids(data_file):
    from .bids import _sidecar

    return [s for s in (_sidecar(data_file, k) for k in ("channels.tsv", "emg.json",
                                                         "events.tsv")) if s is not None]


def input_files(path, force=None) -> list[Path]:
    """The files ``myoemg.read(path, force=force)`` reads, the recording first.

    Parameters
    ----------
    path : str | Path
        The recording (a file; for a BIDS folder, pass the data file).
    force : str | Path | False | None
        As in :func:`myoemg.io.read`: a force file is listed; None lists the sibling force file
        of the naming rule when there is one; False lists none.

    Returns
    -------
    files : list of Path
        Existing files only, without duplicates; the recording first, then its companions
        in the order its header names them, then the force file.
    """
    from . import _is_force_file, _reader_for, _suffix
    from .align import sibling_force_file
    from .text import TEXT_SUFFIXES

    path = Path(path).expanduser()
    suffix = _suffix(path)
    if suffix == ".dat" and path.with_suffix(".hea").is_file():
        path, suffix = path.with_suffix(".hea"), ".hea"
    files = [path]
    try:
        if suffix == ".vhdr":
            files += _brainvision(path)
        elif suffix == ".hea":
            files += _wfdb(path)
        elif getattr(_reader_for(path), "__name__", "") == "read_bids" and path.is_file():
            files += _bids(path)
    except RecordingError:
        pass  # an unreadable header: the read will say so; list what is known
    if _is_force_file(force):
        files.append(Path(force).expanduser())
    elif force is None and suffix not in TEXT_SUFFIXES and path.is_file():
        sibling = sibling_force_file(path)
        if sibling is not None:
            files.append(sibling)
    out = []
    for f in files:
        if f.is_file() and f not in out:
            out.append(f)
    return out


__all__ = ["input_files"]
