"""Safe output writing: atomically, and never over an input file.

:func:`atomic_path` writes to a temporary file in the target folder, then ``os.replace``-s it;
inside :func:`protect_inputs` it also refuses any output that is one of the given input files
(the same file, by device and inode, whatever the path says), so no writer can destroy the
data it was given.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import tempfile
from pathlib import Path

from ._errors import OutputError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from collections.abc import Iterator

_PROTECTED: contextvars.ContextVar[tuple[tuple[int, int, str], ...]] = contextvars.ContextVar(
    "myoemg_protected_inputs", default=())


@contextlib.contextmanager
def protect_inputs(paths) -> Iterator[None]:
    """Within this block, :func:`atomic_path` refuses to write over any of ``paths``.

    Parameters
    ----------
    paths : iterable of str | Path
        The input files (missing ones are ignored).
    """
    ids = []
    for p in paths:
        with contextlib.suppress(OSError, TypeError, ValueError):
            st = os.stat(p)
            ids.append((st.st_dev, st.st_ino, str(p)))
    token = _PROTECTED.set(_PROTECTED.get() + tuple(ids))
    try:
        yield
    finally:
        _PROTECTED.reset(token)


def check_not_input(path) -> None:
    """Raise :class:`OutputError` when ``path`` is a protected input (:func:`protect_inputs`)."""
    try:
        st = os.stat(path)
    except OSError:
        return
    for dev, ino, name in _PROTECTED.get():
        if (st.st_dev, st.st_ino) == (dev, ino):
            raise OutputError(f"the output {path} is the input file {name}: myoemg never writes "
                              "over an input. Choose another output folder.")


@contextlib.contextmanager
def atomic_path(path, *, overwrite=True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step.

    An interrupted write leaves no half-written file under the final name; inside
    :func:`protect_inputs` an input file is never replaced.
    """
    path = Path(path)
    check_not_input(path)
    if path.exists() and not overwrite:
        raise OutputError(f"{path} exists already; pass overwrite=True to replace it.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(f"cannot write to {path.parent}: {err.strerror or err}.") from None
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path, text, *, overwrite=True) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
