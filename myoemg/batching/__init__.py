"""Batch processing: whole datasets, laptop to cluster, resumable, nothing lost.

:func:`batch` finds recordings (folders, globs, BIDS-EMG roots, CSV manifests), pairs each with
its force file by a naming rule, analyses them one file per worker (warm worker processes or
Dask distributed), writes every output atomically with a done-marker last so a re-run skips
what is up to date, records bad files in ``failures.csv`` and combines the per-recording
tables. This layer sits beside :mod:`myoemg.pipeline` and imports it; ``import
myoemg.batching`` stays light (the analysis, Dask, tqdm and the process pool load when a batch
runs). ``myoemg.batch`` is :func:`batch`.

Modules: ``_driver`` (:func:`batch`), ``_discover`` / ``_walk`` / ``_listing`` / ``_layout``
(finding recordings and where their results go), ``_worker`` / ``_companions`` / ``_row``
(one recording: hash, analyse, save), ``_executors`` / ``_dask`` (where recordings run),
``_stop`` (Ctrl-C), ``_combine`` / ``_outputs`` (tables, manifest), ``_result``
(:class:`BatchResult`).
"""

import importlib

from ._driver import batch
from ._pairing import DEFAULT_FORCE_PATTERNS, force_partner, is_force_partner
from ._result import (
    EXIT_FAILURES,
    EXIT_INTERRUPTED,
    EXIT_OK,
    MANIFEST,
    BatchOutputError,
    BatchResult,
)

#: Public names defined in modules that import the analysis: loaded on first use (PEP 562).
_LAZY = {"Job": "_discover", "discover": "_discover", "recording_suffixes": "_discover",
         "read_manifest": "_listing", "MARKER": "_outputs", "process": "_worker",
         "SESSION_COLUMNS": "_row", "companion_files": "_companions"}

__all__ = [
    "DEFAULT_FORCE_PATTERNS", "EXIT_FAILURES", "EXIT_INTERRUPTED", "EXIT_OK", "MANIFEST",
    "MARKER", "SESSION_COLUMNS", "BatchOutputError", "BatchResult", "Job", "batch",
    "companion_files", "discover", "force_partner", "is_force_partner", "process",
    "read_manifest", "recording_suffixes",
]


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
