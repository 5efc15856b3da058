"""A channel of a recording, and channels stacked in groups of one rate and start.

:class:`Channel` holds one signal in SI units at its own rate; :func:`group_channels` stacks
the channels that share a rate, a start (to within a sample) and a length into a
:class:`ChannelGroup`, saying what it reconciled. :class:`myoemg.recording.Recording` holds
the channels; these are its parts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .roles import KINDS
from .utils import check_option, validate_fs

SI_UNIT = {"emg": "V", "force": "N"}
#: Channels of one rate whose lengths differ by at most this many samples are trimmed to the
#: shortest and analysed together (ours: a rounding of the last sample by the writer).
MAX_TRIM_SAMPLES = 2


@dataclass
class Channel:
    """One signal of a recording.

    Parameters
    ----------
    name : str
        Label, unique within the recording.
    kind : {'emg', 'force', 'other'}
        Role in the analysis.
    data : ndarray, shape (n_times,)
        Samples, in volts for EMG and newtons for force (``unit`` says which).
    fs : float
        Sampling rate of this channel, in Hz.
    unit : str
        Unit of ``data``: 'V' for EMG, 'N' for force, 'a.u.' for uncalibrated signals.
    start_s : float
        Time of the first sample, in seconds from the start of the recording.
    source_unit : str
        The unit as the file wrote it, before conversion.
    """

    name: str
    kind: str
    data: np.ndarray
    fs: float
    unit: str
    start_s: float = 0.0
    source_unit: str = ""

    def __post_init__(self):
        check_option("kind", self.kind, KINDS)
        self.fs = validate_fs(self.fs, f"fs of channel {self.name!r}")
        self.data = np.asarray(self.data, dtype=float)
        if self.data.ndim != 1:
            raise ValueError(f"channel {self.name!r}: data must be 1-D, got shape "
                             f"{self.data.shape}.")

    @property
    def n_times(self) -> int:
        """Number of samples."""
        return self.data.shape[-1]

    @property
    def duration_s(self) -> float:
        """Duration in seconds (n_times / fs)."""
        return self.n_times / self.fs

    @property
    def times(self) -> np.ndarray:
        """Sample times in seconds from the start of the recording, shape (n_times,)."""
        return self.start_s + np.arange(self.n_times) / self.fs

    @property
    def calibrated(self) -> bool:
        """True when the data are in the SI unit of the channel's kind (V or N)."""
        return self.unit == SI_UNIT.get(self.kind, self.unit)

    def __repr__(self):
        return (f"<Channel {self.name!r} {self.kind} {self.fs:g} Hz, {self.n_times} samples "
                f"({self.duration_s:.3f} s), {self.unit}>")


@dataclass(frozen=True)
class ChannelGroup:
    """Channels of one kind stacked at one rate (:meth:`Recording.channel_groups`).

    Attributes
    ----------
    rows : tuple of ndarray, shape (n_times,) each
        The channels' samples in SI units, trimmed to one length (views, not copies).
    fs : float
        Sampling rate, Hz.
    names : tuple of str
        Channel names, one per row.
    start_s : float
        Time of the first sample (that of the first channel), s from the recording start.
    notes : tuple of str
        Starts taken as aligned and lengths trimmed, in words.
    """

    rows: tuple
    fs: float
    names: tuple
    start_s: float
    notes: tuple = ()

    @property
    def data(self) -> np.ndarray:
        """The rows stacked, shape (n_channels, n_times) (a new array on every access)."""
        return np.vstack(self.rows)

    @property
    def n_times(self) -> int:
        """Samples per channel."""
        return self.rows[0].shape[-1]


def _fits(first, ch):
    """Whether ``ch`` joins the group that ``first`` opened (see channel_groups)."""
    return (abs(ch.fs - first.fs) <= 1e-6 * first.fs
            and abs(ch.start_s - first.start_s) < 1.0 / first.fs
            and abs(ch.n_times - first.n_times) <= MAX_TRIM_SAMPLES)


def _stack(chans, kind, source):
    """One ChannelGroup from channels that fit together, saying what was reconciled."""
    first, notes = chans[0], []
    n = min(c.n_times for c in chans)
    for c in chans[1:]:
        gap = c.start_s - first.start_s
        if gap != 0:
            notes.append(f"{kind} channels {first.name!r} and {c.name!r} of {source} start "
                         f"{abs(gap) * 1e6:.3g} µs apart ({abs(gap) * first.fs:.2f} sample at "
                         f"{first.fs:g} Hz): analysed as aligned")
    if any(c.n_times != n for c in chans):
        longer = [f"{c.name!r} ({c.n_times})" for c in chans if c.n_times != n]
        notes.append(f"{kind} channels {', '.join(longer)} of {source} are longer than the "
                     f"shortest by at most {MAX_TRIM_SAMPLES} samples: trimmed to {n} samples")
    return ChannelGroup(tuple(c.data[:n] for c in chans), first.fs,
                        tuple(c.name for c in chans), first.start_s, tuple(notes))


def group_channels(channels, kind, source) -> list[ChannelGroup]:
    """Channels of one kind in groups of one rate, start and length, in channel order.

    The rule is that of :meth:`myoemg.recording.Recording.channel_groups`; ``source`` names the
    recording in the notes.
    """
    groups: list[list[Channel]] = []
    for ch in channels:
        home = next((g for g in groups if _fits(g[0], ch)), None)
        if home is None:
            groups.append([ch])
        else:
            home.append(ch)
    return [_stack(g, kind, source) for g in groups]


__all__ = ["Channel", "ChannelGroup", "MAX_TRIM_SAMPLES", "SI_UNIT", "group_channels"]
