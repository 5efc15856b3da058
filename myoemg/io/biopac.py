"""Biopac AcqKnowledge files (``.acq``), through ``bioread``.

Channels keep their own rates and lengths (AcqKnowledge stores slower channels with fewer
samples). Units as written ('mV', 'Volts', 'μsiemens', 'microsiemen') are converted when they
are voltages and kept otherwise. Event markers (including 'Segment N' markers between
recording segments) become events; their free text is kept as the event description.
"""

from __future__ import annotations

import contextlib
import importlib

import numpy as np

from ..recording import as_utc
from ..utils import RecordingError, check_input_file, input_limit, soft_import
from ._common import RawChannel, build_recording, make_events, reading
from ._limits import check_claimed_bytes, check_rate

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ..recording import Recording


@contextlib.contextmanager
def _header_counts_bounded(bioread, path, size):
    """Within this block, bioread refuses to read more headers than the file can hold.

    bioread reads as many channel, marker or metadata headers as a count in the file says,
    building each one; a damaged count (2³¹ markers) would exhaust memory and time. Every
    header takes at least its structure's length, so the count is checked against the bytes
    left after the first one.
    """
    reader_cls = importlib.import_module(f"{bioread.__name__}.header_reader").HeaderReader
    original = reader_cls.multi_headers

    def multi_headers(self, num, start_offset, h_class):
        one = h_class.for_revision(self.file_revision, self.byte_order_char,
                                   encoding=self.encoding)
        if num < 0 or start_offset + num * max(1, one.struct_length) > size:
            raise RecordingError(f"{path}: a header claims {num} {h_class.__name__} records "
                                 f"of {one.struct_length} bytes from byte {start_offset}, more "
                                 f"than the file's {size} bytes hold; it is damaged.")
        return original(self, num, start_offset, h_class)

    reader_cls.multi_headers = multi_headers
    try:
        yield
    finally:
        reader_cls.multi_headers = original


def check_headers(bioread, path, size):
    """Check what the headers claim before bioread allocates every channel's samples.

    Header counts must fit in the file (:func:`_header_counts_bounded`); uncompressed data
    must fit in the file; compressed data, once inflated, within the read cap. Rates (the
    file's, divided per channel) must be plausible.
    """
    with _header_counts_bounded(bioread, path, size):
        head = bioread.read_headers(str(path))
    fs = check_rate(head.samples_per_second, path, "samples per second")
    total = 0
    for ch in head.channels:
        divider = int(getattr(ch, "frequency_divider", 1) or 0)
        if divider < 1:
            raise RecordingError(f"{path}: the header field 'frequency divider' of channel "
                                 f"{ch.name!r} is {divider}; the header is damaged.")
        check_rate(fs / divider, path, "samples per second", channel=ch.name)
        total += int(ch.point_count) * int(ch.dtype.itemsize)
    if head.is_compressed:
        check_claimed_bytes(path, "its channels once decompressed", total, input_limit())
    else:
        check_claimed_bytes(path, f"the samples of {len(head.channels)} channels", total, size)


def read_biopac(path, *, emg=None, force_channel=None, force_unit=None, force_calibration=None,
                emg_calibration=None, keep_identifiers=False) -> Recording:
    """Read a Biopac AcqKnowledge file into a Recording.

    Parameters
    ----------
    path : str | Path
        The ``.acq`` file.
    emg, force_channel, force_unit, force_calibration, emg_calibration, keep_identifiers
        See :func:`myoemg.io.read`.

    Returns
    -------
    Recording
    """
    bioread = soft_import("bioread", "reading Biopac AcqKnowledge files", extra="bioread")
    path, size = check_input_file(path)
    with reading(path, "Biopac AcqKnowledge"):
        check_headers(bioread, path, size)
        with _header_counts_bounded(bioread, path, size):
            data = bioread.read_file(str(path))
        raws = []
        for ch in data.channels:
            x = np.asarray(ch.data, dtype=float)
            expected = getattr(ch, "point_count", x.size)
            if x.size == 0 or (expected and x.size < expected):
                raise RecordingError(f"{path}: channel {ch.name!r} holds {x.size} of "
                                     f"{expected} samples; the file is truncated.")
            raws.append(RawChannel(str(ch.name).strip(), x, float(ch.samples_per_second),
                                   str(ch.units or "").strip()))
        if not raws:
            raise RecordingError(f"{path} holds no channels.")
        markers = list(data.event_markers or [])
        events = None
        start = None
        if markers:
            fs0 = float(data.samples_per_second)
            events = make_events([m.sample_index / fs0 for m in markers], None,
                                 [m.text for m in markers])
            first = markers[0]
            if first.sample_index == 0 and getattr(first, "date_created_utc", None):
                start = as_utc(first.date_created_utc)
    return build_recording(path, raws, start_time=start, events=events,
                           metadata={"device": "Biopac"}, keep_identifiers=keep_identifiers,
                           emg=emg, force_channel=force_channel, force_unit=force_unit,
                           force_calibration=force_calibration, emg_calibration=emg_calibration)
