"""A text export as a DataFrame, knowing the file line of every data row.

The file is read once as bytes (through the guarded input), its header lines (``#``, ``%``,
``//`` or blank lines before the data) are parsed into key/value pairs, and the data lines go to
pandas straight from the bytes, so a large export costs about its size plus the parsed numbers,
not several copies of its text. Messages name the file line and the column of a bad value.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..utils import RecordingError, read_input_bytes

if TYPE_CHECKING:  # pandas loads when a table is read, not when myoemg.io is imported
    import pandas as pd

COMMENT = ("#", "%", "//")
_KV = re.compile(r"^\s*(?:#|%|//)?\s*([^:=]+?)\s*(?::=|:|=)\s*(.*?)\s*$")
# a blank or comment line inside the data (the data then go through the slow, filtering path)
_IRREGULAR = re.compile(rb"(?m)^[ \t]*(?:#|%|//|\r?$)")
_LINE_IN_ERROR = re.compile(r"line (\d+)")


@dataclass
class Table:
    """The parsed data lines of a text export.

    Attributes
    ----------
    df : DataFrame
        One column per field, as pandas parsed them (names from the file or 'ch1', ...).
    header : dict
        Lower-case key -> value from the header lines.
    has_names : bool
        The first data line holds column names.
    first_line : int
        File line (1-based) of the first data line.
    line_numbers : ndarray of int | None
        File line of each data line, when blank or comment lines among them were skipped.
    """

    df: pd.DataFrame
    header: dict
    has_names: bool
    first_line: int
    line_numbers: np.ndarray | None = None

    def file_line(self, row):
        """File line (1-based) of data row ``row`` (0-based, after the names row)."""
        k = row + (1 if self.has_names else 0)
        if self.line_numbers is not None:
            return int(self.line_numbers[min(k, self.line_numbers.size - 1)])
        return self.first_line + k


def _encoding(raw, path):
    if b"\x00" in raw[:4096]:
        raise RecordingError(f"{path} is a binary file, not a CSV/TSV text export.")
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.isascii():
        return "ascii"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def _split_header(raw, encoding):
    """(header dict, byte offset of the first data line, its file line number)."""
    header, pos, line_no = {}, 0, 1
    if encoding == "utf-8-sig":
        pos = 3
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        end = len(raw) if end < 0 else end + 1
        line = raw[pos:end].decode(encoding.replace("-sig", ""), errors="replace")
        if line.strip() and not line.lstrip().startswith(COMMENT):
            break
        m = _KV.match(line)
        if m and line.strip():
            header[m.group(1).strip().lower()] = m.group(2).strip()
        pos, line_no = end, line_no + 1
    return header, pos, line_no


def _kept_lines(text, first_line):
    """(non-blank, non-comment lines, their file line numbers) of a body of text."""
    lines, numbers = [], []
    for i, ln in enumerate(text.splitlines()):
        if ln.strip() and not ln.lstrip().startswith(COMMENT):
            lines.append(ln)
            numbers.append(first_line + i)
    return lines, np.asarray(numbers, dtype=np.int64)


def _edge_lines(raw, offset, encoding, n_head=50, n_tail=101):
    """The first ``n_head`` and last ``n_tail`` data lines, decoded, without decoding all."""
    enc = encoding.replace("-sig", "")
    window = 1 << 18
    while True:
        head = raw[offset: offset + window].decode(enc, errors="replace").splitlines()
        whole = offset + window >= len(raw)
        if whole or len(head) > n_head:
            break
        window *= 4
    head = head[:n_head] if not whole else head
    window = 1 << 18
    while True:
        start = max(offset, len(raw) - window)
        tail = raw[start:].decode(enc, errors="replace").splitlines()
        if start > offset:
            tail = tail[1:]  # the first one may be cut
        if start == offset or len(tail) > n_tail:
            break
        window *= 4
    return [ln for ln in head if ln.strip()], [ln for ln in tail if ln.strip()][-n_tail:]


def load_table(path, *, sniff):
    """Read ``path`` into a :class:`Table`.

    Parameters
    ----------
    path : Path
        The text export.
    sniff : callable
        ``sniff(first_lines, last_lines) -> (sep, decimal, has_names)``; it may raise a
        RecordingError for a file that looks truncated (it sees the last lines).

    Returns
    -------
    Table
    """
    import pandas as pd

    raw = read_input_bytes(path)
    encoding = _encoding(raw, path)
    header, offset, first_line = _split_header(raw, encoding)
    if offset >= len(raw):
        raise RecordingError(f"{path} holds no data rows (only {first_line - 1} header "
                             "lines).")
    ends_cleanly = raw.endswith((b"\n", b"\r"))
    end = len(raw)
    while end > offset and raw[end - 1] in b"\r\n":
        end -= 1
    irregular = any(m.start() < end for m in _IRREGULAR.finditer(raw, offset))
    numbers = None
    if irregular:  # blank or comment lines among the data: filter them (slow path)
        lines, numbers = _kept_lines(raw[offset:].decode(encoding.replace("-sig", "")),
                                     first_line)
        first, last = lines[:50], lines[-101:]
        source = io.StringIO("\n".join(lines))
        read_enc = None
    else:
        first, last = _edge_lines(raw, offset, encoding)
        source = io.BytesIO(raw)
        source.seek(offset)
        read_enc = encoding.replace("ascii", "utf-8")
    sep, decimal, has_names = sniff(first, last, ends_cleanly)
    table = Table(pd.DataFrame(), header, has_names, first_line, numbers)
    try:
        table.df = pd.read_csv(source, sep=sep, decimal=decimal,
                               header=0 if has_names else None,
                               engine="python" if sep == r"\s+" else "c",
                               skipinitialspace=True, encoding=read_enc)
    except pd.errors.ParserError as err:
        raise _parser_error(path, err, table) from None
    except pd.errors.EmptyDataError:
        raise RecordingError(f"{path} holds no data rows.") from None
    return table


def _parser_error(path, err, table):
    """A RecordingError naming the file line pandas stopped at."""
    text = str(err).strip().splitlines()[0]
    m = _LINE_IN_ERROR.search(text)
    where = ""
    if m:
        k = int(m.group(1)) - 1  # pandas counts lines of what it was given, from 1
        line = (int(table.line_numbers[min(k, table.line_numbers.size - 1)])
                if table.line_numbers is not None else table.first_line + k)
        where = f" at line {line}"
        text = _LINE_IN_ERROR.sub(f"line {line}", text)
    return RecordingError(f"{path} cannot be read as a table{where}: {text}. Every data row "
                          "must have the same number of fields.")


__all__ = ["COMMENT", "Table", "load_table"]
