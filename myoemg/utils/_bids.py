"""BIDS names through mne-bids: entities of a file name, the dataset root, derivative paths.

Every BIDS name myoemg reads or writes goes through ``mne_bids``
(``mne_bids.get_entities_from_fname``, ``mne_bids.get_bids_path_from_fname``,
``mne_bids.BIDSPath``), so the entity order and the labels it accepts are those of the
reference implementation, not a regular expression of ours. The checks that decide *whether*
a file is BIDS-EMG (:func:`is_bids_emg_file`) look only at names and folders, so they cost
no import.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from ._errors import RecordingError, UnsupportedFormatError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from types import ModuleType

    from mne_bids import BIDSPath

#: BIDS-EMG data files (BIDS 1.11): EDF or BDF.
EMG_EXTENSIONS = (".edf", ".bdf")
#: Entities (mne-bids names) that name a recording; ``description`` is the derivative's own.
SOURCE_ENTITIES = ("subject", "session", "task", "acquisition", "run", "processing", "space",
                   "recording", "split", "tracking_system")


def mne_bids() -> ModuleType:
    """The ``mne_bids`` module, or an UnsupportedFormatError saying how to install it."""
    try:
        import mne_bids as module
    except ImportError:
        raise UnsupportedFormatError(
            "BIDS names (reading BIDS-EMG, writing BIDS derivatives) need mne-bids, a "
            "dependency of myoemg that this environment lacks; install it with 'pip install "
            "mne-bids'.") from None
    return module


def dataset_root(path) -> Path | None:
    """The nearest folder at or above ``path`` holding ``dataset_description.json``, or None."""
    path = Path(path)
    for parent in [path, *path.parents]:
        if (parent / "dataset_description.json").is_file():
            return parent
    return None


def is_bids_emg_file(path) -> bool:
    """Whether ``path`` is the data file of a BIDS-EMG recording (names and folders only).

    True for ``sub-<label>_..._emg.edf|bdf`` that sits in an ``emg`` folder, beside a
    ``*_channels.tsv``, or inside a dataset (a ``dataset_description.json`` above it).
    """
    path = Path(path)
    name = path.name.lower()
    if not (name.startswith("sub-")
            and any(name.endswith(f"_emg{ext}") for ext in EMG_EXTENSIONS)):
        return False
    return (path.parent.name == "emg" or any(path.parent.glob("*_channels.tsv"))
            or dataset_root(path.parent) is not None)


def bids_entities(name, *, strict=True) -> dict[str, str]:
    """The BIDS entities of a file name, as mne-bids reads them (only those present).

    Parameters
    ----------
    name : str | Path
        A file name or path (only the name is read).
    strict : bool
        If True, a name mne-bids rejects (an unknown entity, entities out of order, a
        segment with two hyphens) raises a RecordingError naming the file. If False, every
        ``key-value`` pair found is returned, as a BIDS sidecar lookup needs.

    Returns
    -------
    entities : dict of str -> str
        mne-bids entity names (``subject``, ``session``, ``task``, ``acquisition``,
        ``run``, ...) to labels, in the order BIDS writes them.
    """
    module = mne_bids()
    name = Path(name).name
    if not strict:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = module.get_entities_from_fname(name, on_error="ignore")
        return {k: v for k, v in found.items() if v is not None}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = module.get_entities_from_fname(name, on_error="raise")
    except (KeyError, ValueError) as err:
        text = err.args[0] if err.args else str(err)
        raise RecordingError(f"{name} is not a valid BIDS file name ({text}); rename it as "
                             "sub-<label>[_ses-<label>]_task-<label>[_acq-<label>]"
                             "[_run-<index>]_emg.edf.") from None
    return {k: v for k, v in found.items() if v is not None}


def bids_recording_path(path) -> BIDSPath:
    """The ``mne_bids.BIDSPath`` of a BIDS-EMG data file (root, datatype, entities).

    The root is the folder holding ``dataset_description.json`` when there is one (else the
    folder mne-bids infers from the ``sub-``/``ses-``/datatype levels).

    Raises
    ------
    RecordingError
        The name is not valid BIDS (see :func:`bids_entities`).
    """
    module = mne_bids()
    path = Path(path)
    bids_entities(path.name)  # a clear error for a bad name, before mne-bids' own
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bids_path = module.get_bids_path_from_fname(path, check=False)
    root = dataset_root(path.parent)
    if root is not None:
        bids_path.update(root=root, check=False)
    return bids_path


def bids_derivative_path(source_entities, *, suffix=None, extension=None, root=None,
                         datatype="emg", description="myoemg") -> Path:
    """Name (or path) of a derivative file: the source's entities, ``desc-``, a suffix.

    Parameters
    ----------
    source_entities : dict
        The recording's entities (:func:`bids_entities`).
    suffix, extension : str | None
        E.g. ``'trials'`` and ``'.tsv'``; None leaves them out (a stem).
    root : str | Path | None
        The derivative dataset (e.g. ``OUT/derivatives/myoemg``); None: the file name only.
    datatype : str
        The datatype folder below the subject and session folders (``emg``).
    description : str
        The ``desc-`` label.

    Returns
    -------
    path : Path
        ``root/sub-<label>/[ses-<label>/]<datatype>/<entities>_desc-<description>
        [_<suffix>][<extension>]`` (just the name when ``root`` is None). The name is parsed
        back with mne-bids, so entities it cannot hold raise a RecordingError here rather than
        giving a name nobody can read.
    """
    module = mne_bids()
    keep = {k: str(v) for k, v in source_entities.items() if k in SOURCE_ENTITIES and v}
    # check=False: 'trials', 'discharges', 'summary' and 'report' are suffixes of this
    # pipeline (BIDS derivatives may define their own); the name is checked by parsing it back.
    try:
        bids_path = module.BIDSPath(root=None if root is None else Path(root),
                                    datatype=datatype, suffix=suffix, extension=extension,
                                    description=description, check=False, **keep)
        name = bids_path.basename
        back = bids_entities(name)
    except (ValueError, RecordingError) as err:  # a label holding '-', '_' or '/'
        raise RecordingError(f"the entities {keep} cannot name a BIDS file ({err}); BIDS "
                             "labels are letters and digits only.") from None
    if {k: v for k, v in back.items() if k != "description"} != keep:
        raise RecordingError(f"the entities {keep} do not survive a BIDS name ({name} reads "
                             f"back as {back}).")
    return Path(name) if root is None else Path(bids_path.directory) / name
