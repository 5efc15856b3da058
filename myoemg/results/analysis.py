"""The result of :func:`myoemg.analyze`: :class:`Analysis`, its tables, summary and writers.

The writing, drawing and export methods are thin: they hand over to :mod:`myoemg.export`,
:mod:`myoemg.report` and :mod:`myoemg.viz` (imported when called), which read this object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..utils import (
    UnsupportedFormatError,
    atomic_path,
    logger,
    protect_inputs,
    write_text_atomic,
)
from .summary import Summary

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    import mne
    from matplotlib.figure import Figure

    from ..recording import Recording


@dataclass(frozen=True)
class Analysis:
    """Results of :func:`myoemg.analyze`.

    Attributes
    ----------
    trials : DataFrame
        One row per grip (``myoemg.pipeline.trial_table_columns``); times in seconds from the
        start of the recording; forces in newtons (``peak_force_n``, ``baseline_n``,
        ``ref_force_n``) or, uncalibrated, in arbitrary units (``peak_force_au`` ...; see
        :attr:`force_unit`).
    discharges : DataFrame
        One row per detected discharge train (``myoemg.detect.DISCHARGE_COLUMNS`` + ``trial``).
    summary : Summary
        Session-level results, the inputs, the parameters and the package version.
    recording : Recording | None
        The analysed recording (not saved).
    spikes : DataFrame
        One row per sorted spike of the discharge units (``myoemg.detect.SPIKE_TABLE_COLUMNS``
        + ``trial``; times in recording time).
    templates : DataFrame
        Mean waveform and SD of each unit (``myoemg.detect.TEMPLATE_COLUMNS``).
    """

    trials: pd.DataFrame
    discharges: pd.DataFrame
    summary: Summary
    recording: Recording | None = field(default=None, repr=False)
    spikes: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    templates: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    @property
    def force_unit(self) -> str | None:
        """Unit of the force values: 'N', 'a.u.' (uncalibrated) or None (no force channel)."""
        return self.summary.force_unit

    def save(self, directory, *, overwrite=True, report=True, identify=False,
             bids_derivatives=None, derivatives_root=None) -> dict[str, Path]:
        """Write the tables, the summary, the events, Parquet copies and the HTML report.

        Plain names (any input) in ``directory``: ``trials.csv``, ``discharges.csv``,
        ``summary.json``, a BIDS-compatible ``<entities>_desc-myoemg_events.tsv`` with its
        ``.json`` sidecar (:func:`myoemg.export.write_events_tsv`), ``trials.parquet`` and
        ``discharges.parquet`` when pyarrow is installed, and ``report.html`` (when ``report``
        is True and matplotlib and jinja2 are installed).

        BIDS derivatives (a BIDS-EMG input, or ``bids_derivatives=True``): the same outputs as
        a derivative dataset, ``directory/derivatives/myoemg/`` with its
        ``dataset_description.json`` and the files in ``sub-<label>/[ses-<label>/]emg/``,
        named ``<the input's entities>_desc-myoemg_<trials|discharges|events|summary|report>``
        (tables tab-separated; see :mod:`myoemg.derivatives`).

        Each file is written to a temporary name and then renamed, so an interrupted run
        never leaves a half-written file, and no output may be one of the files the recording
        was read from.

        Parameters
        ----------
        directory : str | Path
            Output folder (created if needed).
        overwrite : bool
            Replace existing outputs (default True; inputs are never replaced).
        report : bool
            Also write the HTML report (default True).
        identify : bool
            Show identifying header fields in the report (default False: de-identified).
        bids_derivatives : bool | None
            True: a BIDS derivative dataset (the entities of a BIDS name, else the subject and
            session codes of the header with ``task-grip``); False: plain names; None
            (default): BIDS derivatives when the input is a BIDS-EMG file.
        derivatives_root : str | Path | None
            The folder that gets ``derivatives/myoemg/`` (default ``directory``; a batch
            passes its output folder, so every recording joins one derivative dataset).

        Returns
        -------
        paths : dict of str -> Path

        Raises
        ------
        OutputError
            When an output would replace an input file, or cannot be written; in BIDS mode,
            when the recording has no subject to name it by, or another recording's results
            hold the same name.
        """
        from .. import derivatives, export

        layout = derivatives.plan(self, directory, bids_derivatives=bids_derivatives,
                                  derivatives_root=derivatives_root)
        paths = {}
        with protect_inputs(self._input_files()):
            derivatives.prepare(layout, self)
            if layout.bids:
                paths["dataset_description"] = derivatives.write_dataset_description(
                    layout.root)
            for name, table in (("trials", self.trials), ("discharges", self.discharges)):
                paths[name] = layout.paths[name]
                with atomic_path(paths[name], overwrite=overwrite) as tmp:
                    layout.write_table(table, tmp)
            paths["summary"] = layout.paths["summary"]
            write_text_atomic(paths["summary"], self.summary.to_json() + "\n",
                              overwrite=overwrite)
            paths.update(export.write_events_tsv(self, layout.folder, stem=layout.stem,
                                                 overwrite=overwrite))
            paths.update(export.write_parquet(self, layout.folder,
                                              stem=layout.stem if layout.bids else None,
                                              overwrite=overwrite))
            if report:
                try:
                    paths["report"] = self.to_html(layout.paths["report"],
                                                   overwrite=overwrite, identify=identify)
                except UnsupportedFormatError as err:  # matplotlib or jinja2 missing
                    logger.warning("%s not written: %s", layout.paths["report"].name, err)
        return paths

    def _input_files(self):
        """Every file the recording was read from (outputs must never replace one)."""
        files = [Path(p) for p in self.summary.inputs]
        source = getattr(self.recording, "source", None)
        if isinstance(source, (list, tuple)):
            files += [Path(p) for p in source if p]
        elif source:
            files.append(Path(source))
        return files

    def to_html(self, path, *, identify=False, overwrite=True) -> Path:
        """Write the self-contained HTML report (see :mod:`myoemg.report`).

        Parameters
        ----------
        path : str | Path
            The ``.html`` file to write (atomically).
        identify : bool
            Show identifying header fields (patient name, birth date); default False.
        overwrite : bool
            Replace an existing file (default True).

        Returns
        -------
        path : Path
        """
        from ..report import write_html

        with protect_inputs(self._input_files()):
            return write_html(self, path, identify=identify, overwrite=overwrite)

    def to_audio(self, directory, *, overwrite=True, identify=False) -> dict[str, Path]:
        """Write the EMG after each release and of each unit train as WAV files.

        Band-passed and mains-notched as the report shows it, resampled to an audio rate and
        loudness-normalised (see :func:`myoemg.report.write_audio`); the same clips are
        embedded in the HTML report.

        Parameters
        ----------
        directory : str | Path
            Output folder (created if needed).
        overwrite : bool
            Replace existing files (default True; inputs are never replaced).
        identify : bool
            Keep identifying strings in channel names of the file names (default False).

        Returns
        -------
        paths : dict of str -> Path
            One entry per clip (file stem -> path).
        """
        from ..report import write_audio

        with protect_inputs(self._input_files()):
            return write_audio(self, directory, overwrite=overwrite, identify=identify)

    def plot_trial(self, k, *, axes=None, show_discharges=True) -> Figure:
        """Force of trial ``k`` with its 90/50/5 % levels and crossings, EMG below.

        Parameters
        ----------
        k : int
            Trial number (1-based, as in ``trials['trial']``).
        axes : sequence of matplotlib Axes | None
            One for the force and one per EMG channel; None makes a new figure.
        show_discharges : bool
            Shade detected discharges on the EMG (myotonic in red).

        Returns
        -------
        fig : matplotlib.figure.Figure
        """
        from ..viz import plot_trial

        if self.recording is None:
            raise ValueError("this Analysis holds no recording (it was loaded from files); "
                             "plot_trial needs the signals: run myoemg.analyze(recording).")
        return plot_trial(self.recording, self.trials,
                          self.discharges if show_discharges else None, k, axes=axes)

    def plot_warmup(self, *, ax=None) -> Figure:
        """RT90-5, RT90-50, RT50-5 and peak force against trial number, normal range shaded.

        Parameters
        ----------
        ax : matplotlib Axes | None
            Where to draw; None makes a new figure.

        Returns
        -------
        fig : matplotlib.figure.Figure
        """
        from ..viz import plot_warmup

        grade = self.summary.grade
        return plot_warmup(self.trials, uln_s=grade.uln.uln_s if grade else None, ax=ax)

    def to_annotations(self, *, orig_time=None) -> mne.Annotations:
        """Trials and discharges as :class:`mne.Annotations` (see :mod:`myoemg.export`).

        Returns
        -------
        annotations : mne.Annotations
        """
        from ..export import to_annotations

        if orig_time is None and self.recording is not None:
            orig_time = self.recording.start_time
        return to_annotations(self.trials, self.discharges, orig_time=orig_time)

    def __repr__(self):
        return (f"<Analysis {len(self.trials)} trials, {len(self.discharges)} discharges, "
                f"pattern {self.summary.pattern!r}>")


__all__ = ["Analysis"]
