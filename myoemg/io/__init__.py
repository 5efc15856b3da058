"""Readers and writers: every format a lab brings, one :class:`~myoemg.Recording`, one ``read``.

One module per format; :func:`read` picks the reader from the file name, pairs a separate force
file, decides channel roles and converts units to SI (EMG volts, force newtons), logging each
conversion. Writers: :func:`write_edf` (EDF+/BDF+) and :func:`write_force_csv`.

Every input goes through one guard (:func:`myoemg.utils.check_input_file`: regular files only,
a size cap), and every reader checks the header fields that size its arrays or set its rates
before any library allocates from them (:mod:`myoemg.io._limits`), so a damaged file gives a
RecordingError naming the file and the field. :func:`input_files` lists every file a read opens.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from ..utils import (
    RecordingError,
    UnsupportedFormatError,
    input_size_limit,
    is_bids_emg_file,
    logger,
    use_log_level,
)
from ._common import check_path, file_sha256, subject_code
from .align import ALIGN_METHODS, Alignment, estimate_offset, pair, sibling_force_file
from .companions import input_files
from .edf import read_edf
from .edf_write import record_duration, write_edf
from .force_csv import read_force_csv, write_force_csv
from .text import TEXT_SUFFIXES, read_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ..recording import Recording

# suffix -> (module, function, extra needed or None, format name)
READERS = {
    ".edf": ("edf", "read_edf", None, "EDF/EDF+"),
    ".bdf": ("edf", "read_edf", None, "BDF/BDF+"),
    ".vhdr": ("brainvision", "read_brainvision", None, "BrainVision"),
    ".fif": ("fif", "read_fif", None, "FIF (MNE)"),
    ".fif.gz": ("fif", "read_fif", None, "FIF (MNE)"),
    ".hea": ("wfdb", "read_wfdb", "wfdb", "WFDB (PhysioNet)"),
    ".smr": ("spike2", "read_spike2", "neo", "Spike2"),
    ".smrx": ("spike2", "read_spike2", "neo", "Spike2"),
    ".acq": ("biopac", "read_biopac", "bioread", "Biopac AcqKnowledge"),
    ".wav": ("wav", "read_wav", None, "WAV audio"),
    ".mat": ("matlab", "read_matlab", None, "MATLAB .mat (v4-v7; v7.3 needs h5py)"),
    **{s: ("text", "read_text", None, "CSV/TSV text") for s in TEXT_SUFFIXES},
}
# companion files users pick by mistake -> the file to pass instead
_SUGGEST = {".vmrk": ".vhdr", ".eeg": ".vhdr", ".rda": ".csv"}

#: Suffixes that make a ``force=`` string a file rather than a channel name.
FORCE_FILE_SUFFIXES = (*TEXT_SUFFIXES, ".edf", ".bdf")


def _suffix(path):
    name = Path(path).name.lower()
    if name.endswith(".fif.gz"):
        return ".fif.gz"
    return Path(name).suffix


def supported_formats() -> dict[str, str]:
    """A dict suffix -> format name of every file type :func:`read` knows."""
    return {s: v[3] for s, v in READERS.items()}


def _reader_for(path):
    p = Path(path)
    if p.is_dir():
        if _suffix(p) in READERS:
            raise RecordingError(f"{p} is a folder, not a recording file "
                                 f"({READERS[_suffix(p)][3]}); pass the file itself (a folder "
                                 "is read only as a BIDS dataset).")
        return importlib.import_module(".bids", __name__).read_bids
    suffix = _suffix(p)
    if is_bids_emg_file(p):
        return importlib.import_module(".bids", __name__).read_bids
    if suffix == ".dat" and p.with_suffix(".hea").is_file():
        suffix = ".hea"
    if suffix in _SUGGEST:
        raise UnsupportedFormatError(
            f"{p} is a companion file; pass the {_SUGGEST[suffix]} file beside it instead "
            f"({p.with_suffix(_SUGGEST[suffix]).name}).")
    if suffix not in READERS:
        known = ", ".join(sorted(READERS))
        raise UnsupportedFormatError(
            f"cannot read {p}: unknown file type {suffix or '(no extension)'!r}. Supported: "
            f"{known}, a BIDS folder, or an mne.io.Raw object.")
    module, func, _, _ = READERS[suffix]
    return getattr(importlib.import_module(f".{module}", __name__), func)


def _is_force_file(force):
    if isinstance(force, Path):
        return True
    if isinstance(force, str):
        return Path(force).suffix.lower() in FORCE_FILE_SUFFIXES or Path(force).is_file()
    return False


def _call(reader, path, options):
    params = inspect.signature(reader).parameters
    unknown = sorted(k for k in options if k not in params)
    if unknown:
        allowed = sorted(k for k, p in params.items()
                         if p.kind == p.KEYWORD_ONLY)
        raise TypeError(f"option(s) {unknown} do not apply to {Path(str(path)).name}; "
                        f"{reader.__name__} takes {allowed}.")
    return reader(path, **options)


def read(path, force=None, *, emg=None, force_channel=None, force_unit=None,
         force_calibration=None, offset_s=None, align="start_time", keep_identifiers=False,
         subject=None, max_file_bytes=None, verbose=None, **format_options) -> Recording:
    """Read a recording (EMG and force) from any supported file into a Recording.

    Parameters
    ----------
    path : str | Path | mne.io.Raw
        The recording: EDF/EDF+/BDF (.edf, .bdf), BrainVision (.vhdr), FIF (.fif), WFDB (.hea),
        Spike2 (.smr), Biopac (.acq), WAV (.wav), CSV/TSV/TXT exports, a BIDS-EMG folder, or an
        :class:`mne.io.Raw` already in memory.
    force : str | Path | False | None
        A separate force file (a path that exists or ends in .csv/.tsv/.txt/.edf/.bdf), or the
        name of the force channel inside ``path``. None: use ``<stem>_force.csv|tsv|txt``
        beside ``path`` if there is one, else find the force channel by unit and label. False:
        do not look for a sibling force file.
    emg : str | list of str | None
        Channel(s) to analyse as EMG (other EMG-like channels become 'other').
    force_channel : str | None
        Name of the force channel (in ``path``, or the column of the force file).
    force_unit : str | None
        Unit of the force channel when the file does not say, or to override it: 'N', 'kgf',
        'lbf'.
    force_calibration : float | None
        Newtons per unit of a force channel recorded in raw volts or counts; a negative value
        also flips a negative-going trace.
    offset_s : float | None
        Where the force file's t = 0 falls on the EMG file's clock, in seconds.
    align : {'start_time', 'xcorr', 'none'}
        How to align a separate force file when ``offset_s`` is None (see
        :mod:`myoemg.io.align`).
    keep_identifiers : bool
        Keep identifying header fields (names, birth dates, free text) in
        ``Recording.identifiers``; dropped by default.
    subject : str | None
        Subject code to record in ``metadata['subject']`` (letters, digits, '-', '_', '.'),
        overriding the file's. A subject code is otherwise taken only from fields that hold
        codes (the EDF+ patient code, the BIDS ``sub-`` label), never from free text.
    max_file_bytes : int | None
        Largest data file read, in bytes; default 4 GiB
        (:data:`myoemg.utils.MAX_INPUT_BYTES`, room for a 2-hour, 8-channel, 4 kHz recording
        in any format). Non-regular files (FIFOs, devices) are refused whatever the cap.
    verbose : bool | str | int | None
        Logging level for this call ('info' lists every conversion).
    **format_options
        Options of the format's reader, e.g. ``fs=`` and ``unit=`` for text exports,
        ``emg_calibration=`` (volts per count) for WAV and text counts, ``max_lag_s=`` for
        ``align='xcorr'``.

    Returns
    -------
    Recording
        Channels at their own rates in SI units; ``source`` is the path (or the two paths).

    Raises
    ------
    RecordingError
        Missing, empty, truncated, unreadable or not a regular file, larger than
        ``max_file_bytes``, or a header field that cannot be right (the message names the file
        and the field).
    UnsupportedFormatError
        Unknown file type, or an optional package is missing (the message names the pip extra).
    ChannelError
        A named channel does not exist (with a close match), or no force where one was asked.
    """
    if subject is not None and subject_code(subject) is None:
        raise ValueError(f"subject={subject!r} is not a code (letters, digits, '-', '_', '.'; "
                         "no blanks, at most 32 characters); pass a code, never a name.")
    with use_log_level(verbose), input_size_limit(max_file_bytes):
        rec = _read(path, force, emg=emg, force_channel=force_channel, force_unit=force_unit,
                    force_calibration=force_calibration, offset_s=offset_s, align=align,
                    keep_identifiers=keep_identifiers, **format_options)
    if subject is not None:
        rec.metadata["subject"] = str(subject).strip()
    return rec


def _read(path, force, *, emg, force_channel, force_unit, force_calibration, offset_s, align,
          keep_identifiers, **format_options):
    if align not in ALIGN_METHODS:
        raise ValueError(f"align must be one of {list(ALIGN_METHODS)}, got {align!r}.")
    max_lag_s = format_options.pop("max_lag_s", None)
    if hasattr(path, "info") and hasattr(path, "get_data"):
        from .mne_raw import read_raw

        return read_raw(path, emg=emg, force_channel=force_channel or (
            force if isinstance(force, str) else None), force_unit=force_unit,
            force_calibration=force_calibration, keep_identifiers=keep_identifiers,
            **format_options)
    path = check_path(path, directory_ok=True)
    reader = _reader_for(path)
    force_file = None
    if _is_force_file(force):
        force_file = check_path(force, "force")
    elif isinstance(force, str):
        if force_channel is not None and force_channel != force:
            raise ValueError(f"force={force!r} and force_channel={force_channel!r} disagree; "
                             "give one.")
        force_channel = force
    elif force is None and force_channel is None and reader is not read_text and path.is_file():
        force_file = sibling_force_file(path)
        if force_file is not None:
            logger.info("Using %s as the force file of %s (naming rule <stem>_force.csv).",
                        force_file.name, path.name)
    elif force not in (None, False):
        raise TypeError(f"force must be a path, a channel name, None or False; got "
                        f"{type(force).__name__}.")
    common = dict(emg=emg, keep_identifiers=keep_identifiers)
    if force_file is None:
        return _call(reader, path, {**common, "force_channel": force_channel,
                                    "force_unit": force_unit,
                                    "force_calibration": force_calibration, **format_options})
    emg_rec = _call(reader, path, {**common, **format_options})
    if _suffix(force_file) in TEXT_SUFFIXES:
        force_rec = read_force_csv(force_file, force_channel=force_channel,
                                   force_unit=force_unit, force_calibration=force_calibration,
                                   keep_identifiers=keep_identifiers)
    else:
        force_rec = _reader_for(force_file)(force_file, force_channel=force_channel,
                                            force_unit=force_unit,
                                            force_calibration=force_calibration,
                                            keep_identifiers=keep_identifiers)
    return pair(emg_rec, force_rec, offset_s=offset_s, align=align, max_lag_s=max_lag_s)


def __getattr__(name):
    lazy = {"read_brainvision": "brainvision", "read_fif": "fif", "read_wfdb": "wfdb",
            "read_spike2": "spike2", "read_biopac": "biopac", "read_wav": "wav",
            "read_bids": "bids", "read_raw": "mne_raw", "read_matlab": "matlab"}
    if name in lazy:
        return getattr(importlib.import_module(f".{lazy[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "read", "write_edf", "write_force_csv", "read_edf", "read_text", "read_force_csv",
    "read_brainvision", "read_fif", "read_wfdb", "read_spike2", "read_biopac", "read_wav",
    "read_matlab",
    "read_bids", "read_raw", "pair", "estimate_offset", "Alignment", "sibling_force_file",
    "supported_formats", "record_duration", "file_sha256", "input_files",
]
