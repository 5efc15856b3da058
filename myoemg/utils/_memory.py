"""Give the C heap's freed memory back to the operating system (glibc ``malloc_trim``).

Reading a file and the quality checks free many medium-sized arrays; glibc keeps the freed
heap pages (they are reused only for allocations that fit them), so a process's resident size
stays up to ~8 bytes per EMG sample above what it holds, and the large arrays of the next
step (mapped separately) come on top. :func:`release_freed_memory` asks glibc to return those
pages between steps of :func:`myoemg.analyze` (as Dask's worker nanny does with the same call).
A no-op where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_trim = None
if sys.platform.startswith("linux"):
    try:
        _trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        _trim = None


def release_freed_memory() -> bool:
    """Return the C heap's free pages to the system; True when glibc did (a few ms at most)."""
    return bool(_trim(0)) if _trim is not None else False


__all__ = ["release_freed_memory"]
