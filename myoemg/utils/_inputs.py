"""The one guarded way to open an input file.

:func:`check_input_file` refuses anything that is not a regular file (a FIFO blocks a reader
forever, ``/dev/zero`` never ends, a folder is not a recording), follows links and says where
they point, and refuses files above a size cap unless the caller raises it
(:func:`input_size_limit`). :func:`open_input` opens through the same checks without ever
blocking. Sizes that headers claim are checked against the real size by the readers
(:mod:`myoemg.io._limits`).
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import stat
from pathlib import Path

from ._errors import RecordingError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO

#: Largest data file read unless the caller raises the cap, in bytes (ours: 4 GiB). A 2-hour,
#: 8-channel recording at 4 kHz holds 230.4 million samples: 0.46 GB as EDF (2 bytes a sample),
#: 0.69 GB as BDF, 1.84 GB as float64, and about 2.8 GB as CSV text with 12 characters a value,
#: so it fits in any format with room to spare, while a runaway file (a link to /dev/urandom
#: copied to disk, a wrong file picked) is refused before it fills the memory.
MAX_INPUT_BYTES = 4 * 1024**3
#: Largest header, marker or sidecar file (.hea, .vhdr, .vmrk, .json, .tsv), in bytes (ours:
#: 64 MiB, a thousand times the largest header seen; these files are read whole and parsed
#: line by line).
MAX_HEADER_BYTES = 64 * 1024**2

_LIMIT = contextvars.ContextVar("myoemg_max_input_bytes", default=MAX_INPUT_BYTES)

_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe (FIFO)",
          stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device (a disk)",
          stat.S_IFSOCK: "a socket"}


@contextlib.contextmanager
def input_size_limit(max_bytes) -> Iterator[None]:
    """Within this block, data files up to ``max_bytes`` bytes are read (None: the default).

    Parameters
    ----------
    max_bytes : int | None
        The cap in bytes; default :data:`MAX_INPUT_BYTES` (4 GiB).
    """
    if max_bytes is None:
        yield
        return
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise ValueError(f"max_file_bytes must be a whole number of bytes above 0, got "
                         f"{max_bytes!r}.")
    token = _LIMIT.set(max_bytes)
    try:
        yield
    finally:
        _LIMIT.reset(token)


def input_limit() -> int | None:
    """The data-file size cap in force, in bytes (see :func:`input_size_limit`)."""
    return _LIMIT.get()


def _size_text(n):
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def _where(path):
    """' (a link to X)' for a symbolic link, else ''."""
    try:
        if path.is_symlink():
            return f" (a link to {os.readlink(path)})"
    except OSError:
        pass
    return ""


def _stat(path, what):
    try:
        return path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise RecordingError(f"{what} file {str(path)!r} is a link to "
                                 f"{os.readlink(path)!r}, which does not exist.") from None
        raise RecordingError(f"{what} file {str(path)!r} not found; check the path (working "
                             f"folder: {Path.cwd()}).") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise RecordingError(f"{what} file {str(path)!r} is a loop of symbolic links; it "
                                 "points to no file.") from None
        raise RecordingError(f"cannot read {what} file {str(path)!r}: "
                             f"{err.strerror or err}.") from None


def check_input_file(path, what="recording", *, header=False,
                     directory_ok=False) -> tuple[Path, int]:
    """The one check every input goes through: a regular, non-empty file below the size cap.

    Links are followed (a link to a regular file is fine); folders, FIFOs, devices and sockets
    are refused, so nothing blocks or reads forever.

    Parameters
    ----------
    path : str | Path
        The file.
    what : str
        What it is, for messages ('recording', 'force', 'header', 'sidecar').
    header : bool
        A header, marker or sidecar file: capped at :data:`MAX_HEADER_BYTES` rather than the
        data-file cap.
    directory_ok : bool
        Accept a folder (a BIDS dataset) and return its size as 0.

    Returns
    -------
    path : Path
    size : int
        Size in bytes.

    Raises
    ------
    RecordingError
        Missing, not a regular file, unreadable, empty or larger than the cap; the message
        names the file.
    TypeError
        When ``path`` is not a str or Path.
    """
    if not isinstance(path, (str, Path)) or isinstance(path, bool):
        raise TypeError(f"{what} path must be a str or pathlib.Path, got "
                        f"{type(path).__name__}.")
    p = Path(path).expanduser()
    st = _stat(p, what)
    kind = stat.S_IFMT(st.st_mode)
    if kind == stat.S_IFDIR and directory_ok:
        return p, 0
    if kind != stat.S_IFREG:
        name = _KINDS.get(kind, "not a regular file")
        raise RecordingError(f"{p}{_where(p)} is {name}, not a {what} file; myoemg reads "
                             "regular files only. Pass the file itself.")
    if not os.access(p, os.R_OK):
        raise RecordingError(f"cannot read {what} file {p}: permission denied.")
    size = st.st_size
    if size == 0:
        raise RecordingError(f"{p} is empty (0 bytes); it holds no recording.")
    cap = MAX_HEADER_BYTES if header else _LIMIT.get()
    if size > cap:
        how = ("a header or sidecar should be a small text file" if header else
               "pass max_file_bytes=<bytes> to myoemg.read to read a larger file")
        raise RecordingError(f"{p} is {_size_text(size)}, more than the {_size_text(cap)} "
                             f"myoemg reads as a {what} file; {how}.")
    return p, size


def open_input(path, what="recording", *, header=False) -> BinaryIO:
    """Open an input for binary reading through :func:`check_input_file`, never blocking.

    The file is opened with ``O_NONBLOCK`` and checked again on the open descriptor, so a path
    swapped for a FIFO between the check and the open cannot hang the reader.

    Returns
    -------
    file : io.BufferedReader
    """
    p, _ = check_input_file(path, what, header=header)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)
    except OSError as err:
        raise RecordingError(f"cannot open {what} file {p}: {err.strerror or err}.") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise RecordingError(f"{p} stopped being a regular file while it was opened.")
    return os.fdopen(fd, "rb")


def read_input_bytes(path, what="recording", *, header=False, limit=None) -> bytes:
    """The bytes of an input file (at most ``limit`` of them), through :func:`open_input`."""
    with open_input(path, what, header=header) as fh:
        return fh.read() if limit is None else fh.read(limit)
