"""What a batch returns: the combined tables, the manifest and the exit status."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..utils import OutputError

if TYPE_CHECKING:  # pandas loads with the tables, not with ``import myoemg.batching``
    import pandas as pd

#: Exit statuses of a batch (``BatchResult.exit_code`` and ``myoemg batch``); an output that
#: cannot be written raises :class:`~myoemg.utils.OutputError` instead (exit 8 at the CLI).
EXIT_OK, EXIT_FAILURES, EXIT_INTERRUPTED = 0, 1, 130
#: The manifest of a run, in the output folder.
MANIFEST = "batch_manifest.json"
#: Leading columns of every combined table.
ID_COLUMNS = ["file", "subject", "session"]
#: Columns of ``failures.csv``.
FAILURE_COLUMNS = ["file", "force_file", "stage", "error", "message"]


@dataclass
class BatchResult:
    """Combined results of :func:`batch`.

    Attributes
    ----------
    trials : DataFrame
        One row per trial of every analysed recording: ``file``, ``subject``, ``session`` and
        the columns of ``Analysis.trials``.
    sessions : DataFrame
        One row per analysed recording: ``file``, ``subject``, ``session``, ``force_file``,
        ``output`` (its results folder, relative to ``out``) and ``pattern``, ``grade``,
        ``n_trials``, key relaxation times (``rt90_5_first_s`` ...), ``peak_force_max_n`` and
        discharge counts.
    discharges : DataFrame
        One row per discharge train of every analysed recording, with ``file``, ``subject``,
        ``session``.
    failures : DataFrame
        One row per recording that failed, and per entry of an input folder that could not be
        scanned: ``file``, ``force_file``, ``stage`` (discover, hash, options, read, analyze,
        save, worker or combine), ``error`` (exception type) and ``message``.
    manifest : dict
        The run manifest (also ``out/batch_manifest.json``): inputs with SHA-256, parameters,
        version, status ('complete', 'failures', 'interrupted' or 'failed'), per-recording
        status and timings, the driver's own timings, peak memory per worker.
    out : Path | None
        The output folder (None when ``batch`` ran without one).
    interrupted : bool
        True when the run was stopped (Ctrl-C, SIGTERM) before it returned.
    counts : dict
        ``recordings``, ``done``, ``skipped``, ``failed``, ``not_run`` and ``unscanned`` (folder
        entries that could not be scanned).
    """

    trials: pd.DataFrame
    sessions: pd.DataFrame
    discharges: pd.DataFrame
    failures: pd.DataFrame
    manifest: dict
    out: Path | None = None
    interrupted: bool = False
    counts: dict = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 all recordings analysed or up to date, 1 some failed, 130 interrupted."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_FAILURES if len(self.failures) else EXIT_OK

    def __repr__(self):
        c = self.counts
        return (f"<BatchResult {c.get('recordings', 0)} recordings: {c.get('done', 0)} analysed, "
                f"{c.get('skipped', 0)} up to date, {c.get('failed', 0)} failed"
                f"{', interrupted' if self.interrupted else ''}>")


class BatchOutputError(OutputError):
    """A batch could not write its outputs; what it could write is in ``result``.

    Attributes
    ----------
    result : BatchResult
        The tables of the recordings that finished (written where the disk allowed).
    """

    #: Set by :func:`batch` before raising.
    result: BatchResult | None = None
