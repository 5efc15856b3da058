"""CED Spike2 files (``.smr``, ``.smrx``), through ``neo``'s raw reader.

Each waveform channel keeps its own rate and its own start time (Spike2 channels start at
slightly different times: ``start_s`` is set per channel, so align by time, not by index).
Rates carry float noise (25000.000000000004 Hz) and are rounded to 1e-9 relative. Units are
taken as the file writes them, including the lowercase 'v' that neo cannot parse (read as
volts). Wavemark (spike) channels and event channels become events named after the channel.
"""

from __future__ import annotations

import numpy as np

from ..utils import RecordingError, soft_import
from ._common import RawChannel, build_recording, check_path, make_events, reading

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ..recording import Recording


def _clean_rate(fs):
    r = round(fs)
    return float(r) if abs(r - fs) <= 1e-9 * fs else float(fs)


def read_spike2(path, *, emg=None, force_channel=None, force_unit=None, force_calibration=None,
                emg_calibration=None, keep_identifiers=False) -> Recording:
    """Read a Spike2 file into a Recording.

    Parameters
    ----------
    path : str | Path
        The ``.smr`` or ``.smrx`` file.
    emg, force_channel, force_unit, force_calibration, emg_calibration, keep_identifiers
        See :func:`myoemg.io.read`.

    Returns
    -------
    Recording
    """
    neo = soft_import("neo", "reading Spike2 files", extra="neo")
    path = check_path(path)
    with reading(path, "Spike2"):
        if path.suffix.lower() == ".smrx":
            io = neo.rawio.CedRawIO(filename=str(path))
        else:
            io = neo.rawio.Spike2RawIO(filename=str(path))
        io.parse_header()
        sig = io.header["signal_channels"]
        streams = io.header["signal_streams"]
        raws = []
        for s_idx in range(len(streams)):
            stream_id = streams["id"][s_idx]
            chans = sig[sig["stream_id"] == stream_id]
            n = io.get_signal_size(0, 0, s_idx)
            t0 = float(io.get_signal_t_start(0, 0, s_idx))
            raw_chunk = io.get_analogsignal_chunk(0, 0, 0, n, stream_index=s_idx)
            values = io.rescale_signal_raw_to_float(raw_chunk, dtype="float64",
                                                    stream_index=s_idx)
            for j, ch in enumerate(chans):
                raws.append(RawChannel(str(ch["name"]), np.asarray(values[:, j]),
                                       _clean_rate(float(ch["sampling_rate"])),
                                       str(ch["units"]).strip(), start_s=t0))
        if not raws:
            raise RecordingError(f"{path} holds no waveform channel.")
        onsets, names = [], []
        for i, unit in enumerate(io.header["spike_channels"]):
            ts = io.get_spike_timestamps(0, 0, i, None, None)
            times = io.rescale_spike_timestamp(ts, dtype="float64")
            onsets += list(times)
            names += [str(unit["name"])] * len(times)
        for i, ev in enumerate(io.header["event_channels"]):
            ts, dur, labels = io.get_event_timestamps(0, 0, i, None, None)
            times = io.rescale_event_timestamp(ts, dtype="float64")
            onsets += list(times)
            names += [f"{ev['name']}{'/' + str(lb) if str(lb) else ''}" for lb in labels]
        events = None
        if onsets:
            order = np.argsort(onsets, kind="stable")
            events = make_events(np.asarray(onsets)[order], None,
                                 [names[k] for k in order])
    return build_recording(path, raws, events=events, metadata={"device": "CED Spike2"},
                           keep_identifiers=keep_identifiers, emg=emg,
                           force_channel=force_channel, force_unit=force_unit,
                           force_calibration=force_calibration, emg_calibration=emg_calibration)
