"""MATLAB exports (``.mat`` v4/v5/v7 through ``scipy.io.loadmat``, v7.3 through ``h5py``).

A lab's MAT file holds arrays under names it chose. :func:`read_matlab` takes them by name or
finds them by the usual ones, in either of the common layouts — separate top-level variables
(``emg``, ``force``, ``fs``) or one struct with those fields (``data.emg``, ``data.fs``) — and
says what it found:

- **signals**: ``emg=`` and ``force_channel=`` (``force=`` in :func:`myoemg.io.read`) name the
  variables (``"emg"``, ``"data.force"``) or, as for every reader, channels; without names,
  a variable called like EMG (``emg``, ``EMG``) or force (``force``, ``grip``, ``torque``) is
  taken, else every numeric array of the recording's length. A 2-D array is channels ×
  samples or samples × channels: the time axis is the one whose length matches the time
  vector (or the other signals), else the longer one; the layout is logged and listed in
  ``Recording.conversions``.
- **sampling rate** (required, never defaulted): ``fs=`` (Hz, a variable name, or a dict
  variable -> Hz), else a scalar ``fs_<var>`` / ``<var>_fs``, else a common ``fs`` / ``Fs`` /
  ``srate`` / ``sfreq`` / ``sampling_rate`` / ``sample_rate``, else a time vector (``time=``,
  or ``<var>_time`` / ``time`` / ``t``; seconds) whose median step gives the rate and whose
  first value the start.
- **channel names and units**: ``ch_names=`` / ``units=`` (a list, a dict name -> value, one
  string for all, or a variable name), else variables ``<var>_labels`` / ``labels`` /
  ``ch_names`` / ``channel_names`` and ``<var>_units`` / ``units``; else the variable's name
  (numbered for several channels) and no unit (EMG and force stay in arbitrary units unless a
  calibration or unit is given, as everywhere in myoemg).
"""

from __future__ import annotations

import re

import numpy as np

from ..utils import ChannelError, RecordingError, logger, soft_import
from ._common import RawChannel, build_recording, check_path, reading

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ..recording import Recording

_FS_NAMES = ("fs", "srate", "sfreq", "sampling_rate", "sample_rate", "samplerate",
             "samplingrate", "sampling_frequency", "fsamp")
_TIME_NAMES = ("time", "t", "time_s", "times", "timestamps")
_LABEL_NAMES = ("labels", "ch_names", "channel_names", "chanlabels", "channels", "names")
_UNIT_NAMES = ("units", "unit", "ch_units")
_EMG_VAR = re.compile(r"^(emg|semg|emgs)$|emg", re.IGNORECASE)
_FORCE_VAR = re.compile(r"force|grip|dyn|torque|pinch", re.IGNORECASE)


def read_matlab(path, *, emg=None, force_channel=None, fs=None, time=None, ch_names=None,
                units=None, force_unit=None, force_calibration=None, emg_calibration=None,
                keep_identifiers=False) -> Recording:
    """Read a MATLAB ``.mat`` export into a Recording (see the module docstring).

    Parameters
    ----------
    path : str | Path
        The ``.mat`` file (v4, v5, v7 or v7.3).
    emg : str | list of str | None
        Variable(s) holding the EMG (dotted for struct fields: ``"data.emg"``), or EMG
        channel name(s).
    force_channel : str | None
        Variable holding the force, or the force channel's name.
    fs : float | str | dict | None
        Sampling rate in Hz, the name of the variable holding it, or a dict variable -> Hz.
    time : str | None
        Name of a time vector in seconds (its step gives the rate).
    ch_names : list of str | dict | str | None
        Channel names in order, a dict variable -> names, or the variable holding them.
    units : str | list of str | dict | None
        One unit for every channel, one per channel, a dict (variable or channel -> unit), or
        the variable holding them.
    force_unit, force_calibration, emg_calibration, keep_identifiers
        See :func:`myoemg.io.read`.

    Returns
    -------
    Recording

    Raises
    ------
    RecordingError
        Unreadable or truncated file, no signal in it, or no sampling rate to be found.
    ChannelError
        A named variable or channel does not exist.
    UnsupportedFormatError
        A v7.3 file without h5py installed (``pip install myoemg[matlab]``).
    """
    path = check_path(path)
    with reading(path, "MATLAB .mat"):
        tree = _load(path)
    tree, prefix = _unwrap(tree)
    options = {"fs": fs, "time": time, "ch_names": ch_names, "units": units}
    picked = _signal_variables(tree, emg, force_channel, path)
    raws, notes = [], []
    n_ref = _reference_length(tree, picked, time)
    for name in picked:
        raws_v, note = _channels(tree, name, n_ref, options, path)
        raws.extend(raws_v)
        notes.append(f"{prefix}{note}")
    for note in notes:
        logger.info("%s: %s", path, note)
    kinds = {name: kind for name, kind in picked.items() if kind}
    for r in raws:
        r.kind = kinds.get(r.hint)
    names = {r.name for r in raws}
    emg_ch = None if emg is None or emg in picked or (
        not isinstance(emg, str) and set(emg) <= set(picked)) else emg
    force_ch = force_channel if force_channel in names else None
    return build_recording(path, raws, emg=emg_ch, force_channel=force_ch,
                           force_unit=force_unit, force_calibration=force_calibration,
                           emg_calibration=emg_calibration, keep_identifiers=keep_identifiers,
                           notes=notes)


# -- loading ----------------------------------------------------------------------------------
def _load(path):
    """The file's variables as nested dicts of arrays, strings and lists."""
    with open(path, "rb") as fh:
        head = fh.read(128)
    if head.startswith(b"MATLAB 7.3") or head[:8] == b"\x89HDF\r\n\x1a\n":
        return _load_hdf5(path)
    from scipy.io import loadmat

    tree = loadmat(path, simplify_cells=True)
    return {k: v for k, v in tree.items() if not k.startswith("__")}


def _load_hdf5(path):
    h5py = soft_import("h5py", "reading MATLAB v7.3 files", extra="matlab")
    with h5py.File(path, "r") as f:
        return {k: _h5_value(f, f[k]) for k in f if not k.startswith("#")}


def _h5_value(f, node):
    """A v7.3 node as Python: struct -> dict, cell -> list, char -> str, numeric -> array."""
    h5py = soft_import("h5py", "reading MATLAB v7.3 files", extra="matlab")
    if isinstance(node, h5py.Group):
        return {k: _h5_value(f, node[k]) for k in node if not k.startswith("#")}
    cls = node.attrs.get("MATLAB_class", b"")
    cls = cls.decode() if isinstance(cls, bytes) else str(cls)
    if node.attrs.get("MATLAB_empty", 0):
        return np.empty(0)
    data = node[()]
    if cls == "cell":
        return [_h5_value(f, f[ref]) for ref in np.asarray(data).T.ravel()]
    if cls == "char":
        rows = np.atleast_2d(np.asarray(data).T)
        words = ["".join(map(chr, row)).rstrip("\x00 ") for row in rows]
        return words[0] if len(words) == 1 else words
    arr = np.asarray(data).T  # MATLAB is column-major: h5py shows the dimensions reversed
    return arr.squeeze() if arr.ndim > 1 and 1 in arr.shape else arr


def _unwrap(tree):
    """Descend into the one struct of a file that holds nothing else (``data.emg``)."""
    structs = [k for k, v in tree.items() if isinstance(v, dict)]
    arrays = [k for k, v in tree.items() if _is_signal(v)]
    if len(structs) == 1 and not arrays:
        name = structs[0]
        logger.info("MATLAB file: reading the fields of struct %r", name)
        return tree[name], f"{name}."
    return tree, ""


def _get(tree, name):
    """Variable ``name`` (dotted for struct fields), case-insensitive; None when absent."""
    node = tree
    for part in str(name).split("."):
        if not isinstance(node, dict):
            return None
        match = [k for k in node if k == part] or [k for k in node if k.lower() == part.lower()]
        if not match:
            return None
        node = node[match[0]]
    return node


def _is_signal(v):
    return isinstance(v, np.ndarray) and v.dtype.kind in "iufb" and v.ndim in (1, 2) \
        and max(v.shape, default=0) > 1


# -- which variables --------------------------------------------------------------------------
def _signal_variables(tree, emg, force, path):
    """Ordered dict: variable name -> kind ('emg', 'force' or None to infer)."""
    out = {}
    for wanted, kind in ((emg, "emg"), (force, "force")):
        for name in ([wanted] if isinstance(wanted, str) else list(wanted or [])):
            if _is_signal(_get(tree, name)):
                out[name] = kind
    if out or (emg is not None or force is not None):
        if not out and not any(_is_signal(v) for v in tree.values()):
            raise RecordingError(f"{path} holds no numeric signal array.")
        if not out:  # the names given are channel names: read every signal
            out = {k: None for k, v in tree.items() if _is_signal(v)}
        return out
    signals = [k for k, v in tree.items() if _is_signal(v) and not _is_time_name(k)]
    if not signals:
        raise RecordingError(f"{path} holds no numeric signal array; variables are "
                             f"{sorted(tree)}. Name them with emg= and force=.")
    named = {k: "emg" for k in signals if _EMG_VAR.search(k)}
    named.update({k: "force" for k in signals if _FORCE_VAR.search(k) and k not in named})
    return named or {k: None for k in signals}


def _is_time_name(name):
    low = name.lower()
    return low in _TIME_NAMES or low.endswith(("_time", "_t")) or low.startswith("time_")


def _reference_length(tree, picked, time):
    """Number of samples the signals share (from the time vector, else the 1-D signals)."""
    t = _get(tree, time) if time else None
    if isinstance(t, np.ndarray) and t.ndim == 1:
        return t.size
    lengths = [_get(tree, n).size for n in picked if _get(tree, n).ndim == 1]
    return max(lengths) if lengths else None


# -- one variable -----------------------------------------------------------------------------
def _channels(tree, name, n_ref, options, path):
    """RawChannels of one signal variable and a note on its layout."""
    x = np.asarray(_get(tree, name), dtype=float)
    base = name.split(".")[-1]
    t = _time_vector(tree, base, options["time"])
    n_time = t.size if t is not None else n_ref
    if x.ndim == 1:
        x, layout = x[None, :], f"{base}: 1 channel x {x.size} samples"
    elif n_time in x.shape and x.shape[0] != x.shape[1]:
        by_rows = x.shape[1] == n_time
        x = x if by_rows else x.T
        layout = (f"{base}: {x.shape[0]} channels x {x.shape[1]} samples (channels in "
                  f"{'rows' if by_rows else 'columns'}, matching the time axis)")
    else:
        by_rows = x.shape[1] >= x.shape[0]
        x = x if by_rows else x.T
        layout = (f"{base}: {x.shape[0]} channels x {x.shape[1]} samples (channels in "
                  f"{'rows' if by_rows else 'columns'}: the longer axis taken as time)")
    fs, start = _rate(tree, base, t, options["fs"], path)
    labels = _per_channel(tree, base, options["ch_names"], _LABEL_NAMES, x.shape[0], "labels")
    if labels is None:
        labels = [base] if x.shape[0] == 1 else [f"{base} {i + 1}" for i in range(x.shape[0])]
    units = _units(tree, base, labels, options["units"], x.shape[0])
    raws = [RawChannel(str(lab), row, fs, unit, start_s=start, hint=name)
            for lab, row, unit in zip(labels, x, units, strict=True)]
    return raws, f"{layout} at {fs:g} Hz"


def _time_vector(tree, base, time):
    for cand in ([time] if time else [f"{base}_time", f"time_{base}", f"t_{base}",
                                       *_TIME_NAMES]):
        t = _get(tree, cand)
        if isinstance(t, np.ndarray) and t.ndim == 1 and t.size > 1:
            return np.asarray(t, dtype=float)
    return None


def _rate(tree, base, t, fs, path):
    """(fs in Hz, start in s) of variable ``base``; RecordingError when none can be found."""
    if isinstance(fs, dict):
        fs = fs.get(base, fs.get(next((k for k in fs if k.split(".")[-1] == base), ""), None))
    if isinstance(fs, str):
        value = _get(tree, fs)
        if value is None:
            raise ChannelError(f"fs={fs!r}: no such variable in {path}.")
        fs = value
    if fs is None:
        for cand in (f"fs_{base}", f"{base}_fs", f"{base}_srate", *_FS_NAMES):
            value = _get(tree, cand)
            if value is not None and np.size(value) == 1 \
                    and not isinstance(value, (str, dict)):
                fs = value
                break
    if fs is not None:
        start = float(t[0]) if t is not None else 0.0
        return float(np.asarray(fs, dtype=float).ravel()[0]), start
    if t is not None:
        step = float(np.median(np.diff(t)))
        if step > 0:
            return 1.0 / step, float(t[0])
    raise RecordingError(f"{path}: no sampling rate for {base!r} (no fs, srate or time "
                         "variable found); pass fs=<Hz> or time=<name of the time vector>.")


def _option_or_variable(tree, base, given, candidates):
    """The option's value (or the variable it names), else the first candidate variable."""
    if isinstance(given, dict):
        given = given.get(base)
    if isinstance(given, str) and _get(tree, given) is not None:
        return _get(tree, given)
    if given is not None:
        return given
    for cand in (*(f"{base}_{c}" for c in candidates), *candidates):
        value = _get(tree, cand)
        if value is not None and not isinstance(value, dict):
            return value
    return None


def _as_strings(value):
    return [value] if isinstance(value, str) else [str(v).strip() for v in np.ravel(value)]


def _per_channel(tree, base, given, candidates, n, what):
    """Per-channel strings from an option or a variable; None when there are none."""
    value = _option_or_variable(tree, base, given, candidates)
    if value is None:
        return None
    items = _as_strings(value)
    if len(items) != n:
        logger.warning("%d %s for %r, which has %d channels: not used", len(items), what, base,
                       n)
        return None
    return items


def _units(tree, base, labels, given, n):
    """One unit per channel: an option (str, list or dict), a variable, or ''."""
    if isinstance(given, dict) and any(lab in given for lab in labels):
        return [given.get(lab, given.get(base, "")) or "" for lab in labels]
    value = _option_or_variable(tree, base, given, _UNIT_NAMES)
    if value is None:
        return [""] * n
    items = _as_strings(value)
    if len(items) == 1:
        return items * n  # one unit for every channel
    if len(items) != n:
        logger.warning("%d units for %r, which has %d channels: not used", len(items), base, n)
        return [""] * n
    return items
