"""MNE's FIF files (``.fif``, ``.fif.gz``).

A FIF written from a Recording (``rec.to_mne().save(...)``) restores each channel's kind, unit
and rate exactly; others are read as in :func:`myoemg.io.read_raw`.

Before MNE reads a file, its tags are walked here (16-byte headers: kind, type, size, next;
big-endian): every tag, and every tag the directory points to, must lie inside the file, and
the chain must move forward. MNE allocates each tag's size before reading it, so a size of
2³¹−1 bytes in a damaged header would otherwise ask for 2 GiB.
"""

from __future__ import annotations

import gzip
import io
import struct

from ..utils import RecordingError, UnsupportedFormatError, input_limit, open_input, soft_import
from ._common import check_path, reading
from .mne_raw import read_raw

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ..recording import Recording

_FILE_ID, _DIR_POINTER = 100, 101
#: FIFF_REF_FILE_NUM, FIFF_REF_FILE_NAME: the file is one part of a split recording, and MNE
#: would open the next part by a name the file itself gives.
_REF_KINDS = (117, 118)
#: Most tags walked (ours): a raw FIF holds a few tags per data buffer; 10 million tags of 16
#: bytes would be a 160 MB file of headers alone.
MAX_TAGS = 10_000_000


def _open(path):
    """A seekable binary file of the (decompressed) FIF and its size."""
    fh = open_input(path)
    if not path.name.lower().endswith(".gz"):
        fh.seek(0, io.SEEK_END)
        size = fh.tell()
        fh.seek(0)
        return fh, size
    cap = input_limit()
    with fh, gzip.GzipFile(fileobj=fh) as gz:
        data = gz.read(cap + 1)
    if len(data) > cap:
        raise RecordingError(f"{path} decompresses to more than {cap} bytes, the most myoemg "
                             "reads; pass max_file_bytes= to myoemg.read to raise the cap.")
    return io.BytesIO(data), len(data)


def _tag_at(fh, pos, size, path, what):
    """(kind, type, data size, next) of the tag at ``pos``, checked to lie in the file."""
    fh.seek(pos)
    head = fh.read(16)
    if len(head) < 16:
        return None
    kind, type_, n, nxt = struct.unpack(">iIii", head)
    if n < 0 or pos + 16 + n > size:
        raise RecordingError(f"{path}: the FIF tag at byte {pos} ({what}, kind {kind}) claims "
                             f"{n} bytes of data, but the file has {size - pos - 16} after "
                             "it; the file is truncated or damaged.")
    return kind, type_, n, nxt


def check_tags(path):
    """Walk the tags of a FIF file and its directory; raise a RecordingError on a bad one."""
    fh, size = _open(path)
    with fh:
        first = _tag_at(fh, 0, size, path, "file id")
        if first is None or first[0] != _FILE_ID:
            raise RecordingError(f"{path} does not start with a FIF file-id tag; it is not a "
                                 "FIF file.")
        pos, n_tags, dirpos = 0, 0, 0
        while pos is not None and n_tags < MAX_TAGS:
            tag = _tag_at(fh, pos, size, path, "tag")
            if tag is None:
                break
            kind, _, n, nxt = tag
            if kind in _REF_KINDS:
                raise UnsupportedFormatError(
                    f"{path} is one part of a FIF recording split over several files; myoemg "
                    "reads single-file FIF. Load the parts with mne.io.read_raw_fif and pass "
                    "the Raw to myoemg.read.")
            if kind == _DIR_POINTER and n == 4:
                dirpos = struct.unpack(">i", fh.read(4))[0]
            n_tags += 1
            if nxt == 0:
                pos = pos + 16 + n
            elif nxt > pos and nxt < size:
                pos = nxt
            elif nxt == -1:
                pos = None
            else:
                raise RecordingError(f"{path}: the FIF tag at byte {pos} points to the next "
                                     f"tag at byte {nxt}, not forward inside the file; the file "
                                     "is damaged.")
        if dirpos > 0:
            _check_directory(fh, dirpos, size, path)


def _check_directory(fh, dirpos, size, path):
    """Every tag the directory lists must itself lie inside the file."""
    if dirpos + 16 > size:
        return  # MNE then rebuilds the directory from the tags walked above
    tag = _tag_at(fh, dirpos, size, path, "directory")
    if tag is None:
        return
    n = tag[2]
    entries = fh.read(n)
    for i in range(0, len(entries) - 15, 16):
        kind, _, _, pos = struct.unpack(">iIii", entries[i:i + 16])
        if pos < 0 or pos + 16 > size:
            raise RecordingError(f"{path}: the FIF directory lists a tag (kind {kind}) at byte "
                                 f"{pos}, outside the file ({size} bytes); it is damaged.")
        _tag_at(fh, pos, size, path, "listed in the directory")


def read_fif(path, *, emg=None, force_channel=None, force_unit=None, force_calibration=None,
             emg_calibration=None, keep_identifiers=False) -> Recording:
    """Read a raw FIF file into a Recording.

    Parameters
    ----------
    path : str | Path
        The ``.fif`` or ``.fif.gz`` file (raw data, not epochs or evoked).
    emg, force_channel, force_unit, force_calibration, emg_calibration, keep_identifiers
        See :func:`myoemg.io.read`.

    Returns
    -------
    Recording
    """
    mne = soft_import("mne", "reading FIF files")
    path = check_path(path)
    with reading(path, "FIF"):
        check_tags(path)
        try:
            raw = mne.io.read_raw_fif(path, preload=True, verbose="error")
        except ValueError as err:
            raise RecordingError(f"{path} is not a raw FIF recording ({err}); epochs and "
                                 "evoked files hold no continuous recording.") from None
        if raw.n_times == 0:
            raise RecordingError(f"{path} holds no samples.")
        # inside the guard: MNE's channel accessors raise on damaged channel infos
        return read_raw(raw, emg=emg, force_channel=force_channel, force_unit=force_unit,
                        force_calibration=force_calibration, emg_calibration=emg_calibration,
                        keep_identifiers=keep_identifiers, source=str(path))
