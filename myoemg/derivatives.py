"""Where the outputs of an analysis go: plain names, or a BIDS derivative dataset.

Plain (any input): ``trials.csv``, ``discharges.csv``, ``summary.json``,
``<stem>_events.tsv|json``, ``report.html`` and Parquet twins in the output folder.

BIDS derivatives (BIDS 1.11, "BIDS Derivatives"; automatic for a BIDS-EMG input, on request
for any input whose entities are known)::

    derivatives/myoemg/
        dataset_description.json         DatasetType "derivative", GeneratedBy myoemg
        sub-01/ses-01/emg/
            sub-01_ses-01_task-grip_run-1_desc-myoemg_trials.tsv      one row per grip
            sub-01_ses-01_task-grip_run-1_desc-myoemg_discharges.tsv  one row per train
            sub-01_ses-01_task-grip_run-1_desc-myoemg_events.tsv      BIDS events (+ .json)
            sub-01_ses-01_task-grip_run-1_desc-myoemg_summary.json    session results
            sub-01_ses-01_task-grip_run-1_desc-myoemg_report.html     the HTML report
            sub-01_ses-01_task-grip_run-1_desc-myoemg_trials.parquet  (+ discharges; pyarrow)

Why these names: a derivative file keeps every entity of its source file, in the source's
order, so a tool can match it to the recording it came from; ``desc-myoemg`` comes last, as
BIDS requires of ``desc``, and keeps our events apart from the recording's own
``*_events.tsv``; the suffix says what the file holds (``events`` is BIDS's; ``trials``,
``discharges``, ``summary`` and ``report`` are this pipeline's, as BIDS derivatives allow);
tables are tab-separated with ``n/a`` for missing values, as BIDS requires of ``.tsv``. Names
and folders are built by ``mne_bids.BIDSPath`` and parsed back by mne-bids before use.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ._version import __version__
from .export import DESCRIPTION, bids_stem, source_entities
from .utils import (
    OutputError,
    RecordingError,
    bids_derivative_path,
    write_text_atomic,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from typing import Any

#: The pipeline's folder name below ``derivatives/``.
PIPELINE = "myoemg"
#: The BIDS version the derivative dataset follows (BIDS-EMG is part of BIDS 1.11).
BIDS_VERSION = "1.11.0"
#: Where the code lives: the placeholder of ``[project.urls] Source`` in pyproject.toml
#: (tests/test_metadata.py checks that they agree).
CODE_URL = "https://github.com/myoemg/myoemg"


def dataset_description() -> dict[str, Any]:
    """The ``dataset_description.json`` of a myoemg derivative dataset, as a dict."""
    return {
        "Name": "myoemg: grip relaxation, myotonic discharges and warm-up",
        "BIDSVersion": BIDS_VERSION,
        "DatasetType": "derivative",
        "GeneratedBy": [{
            "Name": PIPELINE, "Version": __version__, "CodeURL": CODE_URL,
            "Description": ("Relaxation times, myotonic discharges and the warm-up of "
                            "grip-relaxation recordings (EMG and grip force)"),
        }],
    }


def write_dataset_description(root, *, overwrite=True) -> Path:
    """Write ``root/dataset_description.json`` unless it already says the same.

    Returns
    -------
    path : Path
    """
    path = Path(root) / "dataset_description.json"
    text = json.dumps(dataset_description(), indent=2) + "\n"
    try:
        same = path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        same = False
    if not same:  # atomic: workers of a batch may write it at the same time, all alike
        write_text_atomic(path, text, overwrite=overwrite)
    return path


@dataclass(frozen=True)
class OutputLayout:
    """Where the outputs of one analysis go.

    Attributes
    ----------
    folder : Path
        The folder of the recording's files.
    paths : dict of str -> Path
        ``trials``, ``discharges``, ``summary`` and ``report``.
    stem : str
        Stem of the events (``<stem>_events.tsv``), of the Parquet twins in BIDS mode, and of
        every name in BIDS mode (``<entities>_desc-myoemg``).
    root : Path | None
        The derivative dataset (``.../derivatives/myoemg``); None for plain names.
    entities : dict
        The source's BIDS entities (mne-bids names).
    """

    folder: Path
    paths: dict
    stem: str
    root: Path | None = None
    entities: dict = field(default_factory=dict)

    @property
    def bids(self) -> bool:
        """True for a BIDS derivative layout."""
        return self.root is not None

    def write_table(self, table, path) -> None:
        """Write ``table`` to ``path``: CSV, or in BIDS mode TSV with ``n/a`` for missing.

        BIDS allows no blank cell, so an empty text (a flag without a reason) is ``n/a`` too;
        both read back as missing (NaN), as a blank CSV cell does.
        """
        if not self.bids:
            table.to_csv(path, index=False, float_format="%.6g")
            return
        text = table.select_dtypes(include=["object", "string"]).columns
        table = table.assign(**{c: table[c].mask(table[c].astype(str) == "") for c in text})
        table.to_csv(path, index=False, float_format="%.6g", sep="\t", na_rep="n/a")


def plan(analysis, directory, *, bids_derivatives=None, derivatives_root=None) -> OutputLayout:
    """The :class:`OutputLayout` of ``analysis`` saved into ``directory``.

    Parameters
    ----------
    analysis : Analysis
        The result of :func:`myoemg.analyze`.
    directory : str | Path
        The output folder.
    bids_derivatives : bool | None
        True: a BIDS derivative dataset; False: plain names; None (default): BIDS
        derivatives when the input is a BIDS-EMG file.
    derivatives_root : str | Path | None
        The folder that gets ``derivatives/myoemg/`` (default ``directory``).

    Raises
    ------
    OutputError
        BIDS derivatives were asked for a recording without a subject (no BIDS name and no
        subject code in its header).
    """
    directory = Path(directory)
    entities, from_bids = source_entities(analysis)
    if bids_derivatives is None:
        bids_derivatives = from_bids
    if not bids_derivatives:
        return OutputLayout(directory, {"trials": directory / "trials.csv",
                                        "discharges": directory / "discharges.csv",
                                        "summary": directory / "summary.json",
                                        "report": directory / "report.html"},
                            stem=bids_stem(analysis), entities=entities)
    source = ", ".join(analysis.summary.inputs) or "the recording"
    if "subject" not in entities:
        raise OutputError(
            f"cannot name BIDS derivatives of {source}: it is not a BIDS-EMG file "
            "(sub-<label>_..._emg.edf in a dataset) and its header holds no subject code; "
            "rename it the BIDS way, pass subject= to myoemg.read, or leave "
            "bids_derivatives off.")
    root = Path(directory if derivatives_root is None else derivatives_root) / "derivatives" / \
        PIPELINE
    try:
        paths = {key: bids_derivative_path(entities, suffix=key, extension=ext, root=root)
                 for key, ext in (("trials", ".tsv"), ("discharges", ".tsv"),
                                  ("summary", ".json"), ("report", ".html"))}
    except RecordingError as err:
        raise OutputError(f"cannot name BIDS derivatives of {source}: {err}") from None
    folder = paths["trials"].parent
    stem = str(bids_derivative_path(entities, description=DESCRIPTION))
    return OutputLayout(folder, paths, stem=stem, root=root, entities=entities)


def prepare(layout, analysis) -> None:
    """Before writing BIDS derivatives: refuse a name another recording holds; tidy up.

    Two inputs with the same entities (two datasets with a ``sub-01`` each, or two files
    with the same subject code) would otherwise overwrite each other's results in silence.
    Temporary files of an interrupted write of *this* recording (``.<stem>_*.tmp``) are
    removed, so none is left in the dataset.

    Raises
    ------
    OutputError
        The summary under this name says it was made from other input files.
    """
    if not layout.bids:
        return
    path = layout.paths["summary"]
    try:
        previous = json.loads(path.read_text(encoding="utf-8")).get("inputs") or []
    except (OSError, ValueError, AttributeError):
        previous = []  # nothing there (or not ours to judge): write
    previous = [str(p) for p in previous] if isinstance(previous, list) else []
    ours = {_same(p) for p in analysis.summary.inputs}
    if previous and {_same(p) for p in previous} != ours:
        raise OutputError(
            f"{path.name} in {path.parent} holds the results of {', '.join(previous)}, not of "
            f"{', '.join(analysis.summary.inputs)}: the two recordings have the same BIDS "
            "entities. Give them distinct names (subject, session, run), or write them to "
            "different output folders.")
    for tmp in layout.folder.glob(f".{layout.stem}_*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()


def _same(path):
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return str(path)


__all__ = ["BIDS_VERSION", "CODE_URL", "PIPELINE", "OutputLayout", "prepare",
           "dataset_description", "plan", "write_dataset_description"]
