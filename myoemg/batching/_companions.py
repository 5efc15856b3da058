"""Every file a recording is read from besides the one named, for the resume hash.

A re-run skips a recording only when the bytes it was analysed from are unchanged, so the hash
must cover the files the readers open beside the named one:

- WFDB: the signal files named in the ``.hea`` header (and, for a multi-segment record, the
  segment headers and their signal files);
- BrainVision: the ``DataFile`` and ``MarkerFile`` named in the ``.vhdr``;
- BIDS-EMG (``*_emg.edf|bdf``): every ``*_channels.tsv``, ``*_emg.json`` and ``*_events.tsv``
  that applies to the data file by the BIDS inheritance principle (its folder and the parents
  up to the dataset root, with entities that are a subset of the data file's). The reader uses
  the most specific of each; hashing every applicable one is a superset, so a change to any of
  them triggers a recomputation, never a stale skip;
- FIF: split continuation files ``<name>-1.fif``, ``<name>-2.fif``, ... beside the first.

Only names without a folder part are followed (readers refuse others), and only regular files
are hashed: a header naming ``/dev/zero`` cannot make the hash read forever. The paired force
file is hashed on its own (``sha256['force']``).
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from ._walk import suffix

#: Bytes of a text header read to find the names of companion files (headers are small).
_HEADER_CAP = 1 << 20
_BIDS_SIDECARS = ("channels.tsv", "emg.json", "events.tsv")
_BIDS_DATA = re.compile(r"_emg\.(edf|bdf)$", re.I)
_ENTITY = re.compile(r"([a-zA-Z0-9]+)-([a-zA-Z0-9]+)")
#: Segments of a multi-segment WFDB record followed at most (a bound on hostile headers).
_MAX_SEGMENTS = 10_000


def companion_files(recording) -> list[Path]:
    """The files besides ``recording`` that reading it opens, sorted.

    Parameters
    ----------
    recording : str | Path
        The recording as a batch lists it (``.hea`` or its ``.dat``, ``.vhdr``, ``.fif``,
        ``*_emg.edf``, ...).

    Returns
    -------
    files : list of Path
        Existing regular files, without ``recording`` itself; empty for single-file formats.
    """
    path = Path(recording)
    ext = suffix(path)
    if ext == ".dat" and path.with_suffix(".hea").is_file():
        found = [path.with_suffix(".hea"), *_wfdb(path.with_suffix(".hea"), 0)]
    elif ext == ".hea":
        found = _wfdb(path, 0)
    elif ext == ".vhdr":
        found = _brainvision(path)
    elif ext in (".fif", ".fif.gz"):
        found = _fif_splits(path)
    elif _BIDS_DATA.search(path.name):
        found = _bids_sidecars(path)
    else:
        found = []
    unique = {p for p in found if p != path and _is_regular(p)}
    return sorted(unique)


def _is_regular(path):
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _header_text(path):
    """The start of a text header, or '' when it cannot be read or is not a regular file."""
    if not _is_regular(path):
        return ""
    try:
        with open(path, "rb") as fh:
            return fh.read(_HEADER_CAP).decode("latin-1")
    except OSError:
        return ""


def _beside(header, name):
    """``name`` (from a header) as a file beside ``header``; None for names with a folder part."""
    name = name.strip()
    if not name or name == "~" or "/" in name or "\\" in name or name in (".", ".."):
        return None
    return header.with_name(name)


def _wfdb(header, n_segments):
    """Signal files of a WFDB record; segment headers and theirs for a multi-segment record."""
    lines = [ln.split() for ln in _header_text(header).splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return []
    record, *specs = lines
    files = []
    if "/" in record[0]:  # 'name/n_segments': the next lines are 'segment_name n_samples'
        for spec in specs:
            seg = _beside(header, spec[0] + ".hea")
            if seg is None or seg == header or n_segments >= _MAX_SEGMENTS:
                continue
            n_segments += 1
            files += [seg, *_wfdb(seg, n_segments)]
        return files
    for spec in specs:
        dat = _beside(header, spec[0])
        if dat is not None:
            files.append(dat)
    return files


def _brainvision(vhdr):
    text = _header_text(vhdr)
    files = []
    for key in ("DataFile", "MarkerFile"):
        m = re.search(rf"^\s*{key}\s*=\s*(.+?)\s*$", text, re.M)
        if m:
            f = _beside(vhdr, m.group(1))
            if f is not None:
                files.append(f)
    return files


def _fif_splits(path):
    name = path.name
    ext = ".fif.gz" if name.lower().endswith(".fif.gz") else ".fif"
    stem = name[: len(name) - len(ext)]
    files = []
    for i in range(1, 1000):
        cand = path.with_name(f"{stem}-{i}{ext}")
        if not cand.is_file():
            break
        files.append(cand)
    return files


def _entities(name):
    return dict(_ENTITY.findall(name.split(".")[0].rsplit("_", 1)[0]))


def _bids_sidecars(data_file):
    ents = _entities(data_file.name)
    files = []
    folder = data_file.parent
    for _ in range(4):  # emg/ -> ses-*/ -> sub-*/ -> dataset root, at most
        for kind in _BIDS_SIDECARS:
            for cand in folder.glob(f"*_{kind}"):
                cand_ents = _entities(cand.name)
                if all(ents.get(k) == v for k, v in cand_ents.items()):
                    files.append(cand)
        if (folder / "dataset_description.json").is_file() or folder.parent == folder:
            break
        folder = folder.parent
    return files
