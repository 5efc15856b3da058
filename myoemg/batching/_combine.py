"""Combine the per-recording outputs into the batch tables, and write them.

The tables are read back from each recording's output folder as its result arrives (fresh and
resumed recordings alike, so a re-run gives byte-identical tables), while the workers go on
with the next recordings; :meth:`Combiner.result` then stacks them in job order.
"""

from __future__ import annotations

from ._outputs import MARKER, load_marker, write_checked
from ._result import FAILURE_COLUMNS, ID_COLUMNS, MANIFEST, BatchResult
from ._row import SESSION_COLUMNS

#: The combined tables, in the order they are written.
TABLES = ("trials", "sessions", "discharges", "failures")


class Combiner:
    """Collect per-recording rows and tables; build the :class:`BatchResult`.

    Parameters
    ----------
    out : Path
        The batch output folder.
    layout : Layout
        For the ``force_file`` column.
    """

    def __init__(self, out, layout):
        self.out, self.layout = out, layout
        self.parts = {}  # job.output -> (session row, trials, discharges) or failure row

    def add(self, job, record):
        """Take one recording's outcome (its tables are read now, from its folder)."""
        force_file = self.layout.display(job.force)
        if record["status"] == "failed":
            self.parts[job.output] = {"file": job.file, "force_file": force_file,
                                      "stage": record.get("stage"),
                                      "error": record.get("error"),
                                      "message": record.get("message")}
            return
        folder = self.out / job.output
        marker = load_marker(folder)
        try:
            if marker is None:
                raise FileNotFoundError(f"{folder / MARKER} disappeared during the run.")
            names = marker.get("tables") or {}  # BIDS derivatives: .tsv files elsewhere
            tables = [_read_table(folder / names.get(name, f"{name}.csv"))
                      for name in ("trials", "discharges")]
        except (OSError, ValueError) as err:  # removed or damaged under our feet
            self.parts[job.output] = {"file": job.file, "force_file": force_file,
                                      "stage": "combine", "error": "OutputError",
                                      "message": f"cannot read back the results in {folder}: "
                                                 f"{err}"}
            return
        ids = {"file": job.file, "subject": job.subject or marker.get("subject"),
               "session": job.session or marker.get("session")}
        row = {**ids, "force_file": force_file, "output": job.output, **marker["session_row"]}
        self.parts[job.output] = (row, *(t.assign(**ids) if len(t) else None for t in tables))

    def result(self, jobs, problems):
        """The :class:`BatchResult` of ``jobs`` (in their order) and discovery ``problems``."""
        import pandas as pd

        sessions, trials, discharges = [], [], []
        failures = [{"file": self.layout.display(p.path), "force_file": None,
                     "stage": "discover", "error": p.error, "message": p.message}
                    for p in problems]
        for job in jobs:
            part = self.parts.get(job.output)
            if isinstance(part, dict):
                failures.append(part)
            elif part is not None:
                row, trial_table, discharge_table = part
                sessions.append(row)
                for table, acc in ((trial_table, trials), (discharge_table, discharges)):
                    if table is not None:
                        acc.append(table)
        return BatchResult(
            trials=_stack(trials, "trials"),
            sessions=pd.DataFrame(sessions, columns=[*ID_COLUMNS, "force_file", "output",
                                                     *SESSION_COLUMNS]),
            discharges=_stack(discharges, "discharges"),
            failures=pd.DataFrame(failures, columns=FAILURE_COLUMNS),
            manifest={}, out=self.out)


def _read_table(path):
    """A per-recording table: ``.csv``, or BIDS ``.tsv`` with ``n/a`` for missing values."""
    import pandas as pd

    if path.suffix == ".tsv":
        return pd.read_csv(path, sep="\t", na_values=["n/a"])
    return pd.read_csv(path)


def _stack(tables, kind):
    """The per-recording ``kind`` tables ('trials' or 'discharges') one after the other."""
    import pandas as pd

    if not tables:
        return pd.DataFrame(columns=[*ID_COLUMNS, *_empty_columns(kind)])
    df = pd.concat(tables, ignore_index=True)
    rest = [c for c in df.columns if c not in ID_COLUMNS]
    return df[[*ID_COLUMNS, *rest]]


def _empty_columns(kind):
    """Columns of an empty combined table.

    Imported only here: the analysis's modules take 1.5–2 s to import, which the driver of a
    pool of workers otherwise never needs.
    """
    from ..pipeline import DISCHARGE_COLUMNS, TRIAL_TABLE_COLUMNS

    return TRIAL_TABLE_COLUMNS if kind == "trials" else [*DISCHARGE_COLUMNS, "trial"]


def write_tables(result, out):
    """Write the combined tables (CSV, and Parquet twins when pyarrow is installed).

    Every table is attempted even when one fails, so a folder in the way of ``trials.csv``
    does not cost ``sessions.csv`` and ``failures.csv``.

    Returns
    -------
    errors : dict of Path -> OutputError
        The tables that could not be written (empty when all were).
    """
    from ..utils import OutputError, atomic_path, logger

    try:
        import pyarrow  # noqa: F401
    except ImportError:
        parquet = False
        logger.info("pyarrow not installed: writing CSV tables only.")
    else:
        parquet = True
    errors = {}
    for name in TABLES:
        table = getattr(result, name)
        targets = [("csv", lambda tmp, t=table: t.to_csv(tmp, index=False, float_format="%.6g"))]
        if parquet and name != "failures":
            targets.append(("parquet", lambda tmp, t=table: t.to_parquet(tmp, index=False)))
        for ext, write in targets:
            path = out / f"{name}.{ext}"

            def atomic(path=path, write=write):
                with atomic_path(path) as tmp:
                    write(tmp)

            try:
                write_checked(path, atomic)
            except OutputError as err:
                errors[path] = err
    return errors


def manifest_entry(job, record, layout):
    """The manifest's entry for one recording (``record`` None: not run)."""
    entry = {"file": job.file, "recording": job.recording,
             "force_file": layout.display(job.force), "output": job.output,
             "subject": job.subject, "session": job.session, "options": job.options,
             "status": "not run"}
    if record is not None:
        entry.update(status=record["status"], sha256=record.get("sha256"),
                     seconds=_round(record.get("seconds")),
                     timings={k: _round(v) for k, v in record.get("timings", {}).items()},
                     worker=record.get("pid"), started_unix=record.get("started_unix"))
        if record["status"] == "failed":
            entry.update(stage=record.get("stage"), error=record.get("error"),
                         message=record.get("message"))
    return entry


def workers(records):
    """Recordings handled, peak RSS (MiB) and BLAS threads per worker process id."""
    peaks = {}
    for r in records.values():
        pid = r.get("pid")
        if pid is None:
            continue
        w = peaks.setdefault(str(pid), {"recordings": 0, "peak_rss_mb": 0.0,
                                        "blas_threads": r.get("blas_threads")})
        w["recordings"] += 1
        if r.get("peak_rss_mb") is not None:
            w["peak_rss_mb"] = round(max(w["peak_rss_mb"], r["peak_rss_mb"]), 1)
    return peaks


def _round(x):
    return None if x is None else round(float(x), 4)


__all__ = ["MANIFEST", "TABLES", "Combiner", "manifest_entry", "workers", "write_tables"]
