"""Batch processing: whole datasets, laptop to cluster, resumable, nothing lost.

:func:`batch` finds recordings (folders, globs, BIDS-EMG roots, CSV manifests), pairs each with
its force file by a naming rule, analyses them one file per worker (processes or Dask
distributed), writes every output atomically with a done-marker last so a re-run skips what is
up to date, records bad files in ``failures.csv`` and combines the per-recording tables.
This layer sits beside :mod:`myoemg.pipeline` and imports it; Dask, tqdm and the process pool
load only when a batch runs. ``myoemg.batch`` is :func:`batch`.
"""

from ._discover import (
    DEFAULT_FORCE_PATTERNS,
    Job,
    discover,
    force_partner,
    is_force_partner,
    read_manifest,
    recording_suffixes,
)
from ._run import EXIT_FAILURES, EXIT_INTERRUPTED, EXIT_OK, MANIFEST, BatchResult, batch
from ._worker import MARKER, SESSION_COLUMNS, process

__all__ = [
    "DEFAULT_FORCE_PATTERNS", "EXIT_FAILURES", "EXIT_INTERRUPTED", "EXIT_OK", "MANIFEST",
    "MARKER", "SESSION_COLUMNS", "BatchResult", "Job", "batch", "discover", "force_partner",
    "is_force_partner", "process", "read_manifest", "recording_suffixes",
]
