"""The container every reader fills and every analysis reads: :class:`Recording`.

A recording holds EMG, force and other channels, each **at its own sampling rate** (force at
100 Hz is never resampled to the EMG rate to be stored), in SI units inside (EMG in volts, force
in newtons; readers convert on load and list what they converted in ``conversions``), with a
start time, events and metadata. Identifying header fields (patient name, birth date, free text)
live apart in ``identifiers`` and are empty unless a reader was asked to keep them.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from .channels import MAX_TRIM_SAMPLES, SI_UNIT, Channel, ChannelGroup, group_channels
from .roles import KINDS, override_kinds
from .utils import (
    ChannelError,
    RecordingError,
    check_option,
    convert_to_si,
    logger,
    missing_channel,
)

if TYPE_CHECKING:  # annotations only: mne loads when to_mne runs, pandas when a table is made
    import mne
    import pandas as pd

METADATA_KEYS = ("subject", "session", "muscle", "side", "electrode", "device", "temperature_c",
                 "medication")
EVENT_COLUMNS = ["onset_s", "duration_s", "description"]


class Recording:
    """EMG and force channels of one grip session, each at its own rate, in SI units.

    Parameters
    ----------
    channels : list of Channel
        The signals. Names must be unique.
    start_time : datetime | None
        Wall-clock time of the first sample; a naive datetime is taken as UTC.
    events : DataFrame | None
        Columns ``onset_s``, ``duration_s``, ``description``; times in seconds from the start.
    metadata : dict | None
        Non-identifying facts: keys from :data:`METADATA_KEYS` (``subject`` is a code, not a name).
    identifiers : dict | None
        Identifying header fields (patient name, birth date, comments). Empty unless the reader
        was asked to keep them; never written to outputs unless asked.
    source : str | list of str | None
        The file(s) read.
    conversions : list of str
        What the reader converted ("EMG FDS: uV -> V"), for the user to check.
    set_aside : dict of str -> str | None
        Channels that look like EMG but were set aside as 'other' on reading (too slow for raw
        EMG, or an envelope), with the reason (:mod:`myoemg.roles`).
    """

    def __init__(self, channels, *, start_time=None, events=None, metadata=None,
                 identifiers=None, source=None, conversions=(), set_aside=None):
        channels = list(channels)
        if not channels:
            raise RecordingError(f"{source or 'recording'} holds no channels.")
        names = [ch.name for ch in channels]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ChannelError(f"duplicate channel names {dupes} in {source or 'recording'}; "
                               "rename them so each channel can be picked by name.")
        self.channels = channels
        self.start_time = as_utc(start_time)
        self._events = None if events is None else events.reset_index(drop=True)
        self.metadata = {k: v for k, v in (metadata or {}).items() if v is not None}
        self.identifiers = dict(identifiers or {})
        self.source = source
        self.conversions = list(conversions)
        self.set_aside = dict(set_aside or {})

    # -- access -------------------------------------------------------------------------------
    @property
    def ch_names(self) -> list:
        """Channel names, in order."""
        return [ch.name for ch in self.channels]

    @property
    def kinds(self) -> list:
        """Channel kinds, in order."""
        return [ch.kind for ch in self.channels]

    @property
    def duration_s(self) -> float:
        """Time of the last sample of any channel, in seconds from the start."""
        return max(ch.start_s + ch.duration_s for ch in self.channels)

    @property
    def source_name(self) -> str:
        """The file name(s) read, for messages."""
        if isinstance(self.source, (list, tuple)):
            return " + ".join(str(s) for s in self.source)
        return str(self.source) if self.source else "recording"

    def __getitem__(self, name):
        for ch in self.channels:
            if ch.name == name:
                return ch
        raise missing_channel("", name, self.ch_names, self.source_name)

    def __contains__(self, name):
        return name in self.ch_names

    def pick(self, kind) -> list:
        """Return the channels of one kind ('emg', 'force' or 'other'), in order."""
        check_option("kind", kind, KINDS)
        return [ch for ch in self.channels if ch.kind == kind]

    @property
    def emg(self) -> list:
        """The EMG channels."""
        return self.pick("emg")

    @property
    def force(self) -> Channel | None:
        """The force channel, or None when there is none.

        Raises
        ------
        ChannelError
            When several channels are marked as force (pass ``force=NAME`` to choose).
        """
        forces = self.pick("force")
        if len(forces) > 1:
            raise ChannelError(
                f"{self.source_name} has several force channels {[c.name for c in forces]}; "
                "pick one with force='NAME'.")
        return forces[0] if forces else None

    def channel_groups(self, kind="emg") -> list:
        """The channels of one kind, stacked in groups that share a rate, a start and a length.

        Channels whose rates agree (relative difference below 1e-6), whose first samples lie
        less than one sample period apart and whose lengths differ by at most
        :data:`MAX_TRIM_SAMPLES` form one group: a start a fraction of a sample apart (a
        Spike2 file's 20 µs at 5 kHz) is taken as aligned, and the longer channels are trimmed
        to the shortest; each is said in the group's ``notes``. Other channels (another rate,
        or a start a sample or more apart) form groups of their own, in channel order.

        Parameters
        ----------
        kind : {'emg', 'force', 'other'}
            Which channels.

        Returns
        -------
        groups : list of ChannelGroup
            Empty when there is no channel of that kind.
        """
        return group_channels(self.pick(kind), kind, self.source_name)

    def get_data(self, kind="emg") -> tuple:
        """Stack the channels of one kind that share a rate, a start and a length.

        Starts less than a sample apart count as aligned and lengths a sample or two apart are
        trimmed (see :meth:`channel_groups`; logged).

        Returns
        -------
        data : ndarray, shape (n_channels, n_times)
            In SI units.
        fs : float
            Their common sampling rate, in Hz.
        names : list of str
            Channel names, one per row.

        Raises
        ------
        ChannelError
            When there is no such channel, or the channels form several groups (another rate,
            or starts a sample or more apart): take them group by group with
            :meth:`channel_groups`, or pick some with :meth:`select`.
        """
        groups = self.channel_groups(kind)
        if not groups:
            raise ChannelError(f"{self.source_name} has no {kind} channel; channels are "
                               f"{self.ch_names} with kinds {self.kinds}.")
        if len(groups) > 1:
            desc = "; ".join(f"{g.names} at {g.fs:g} Hz from {g.start_s:.6g} s" for g in groups)
            raise ChannelError(
                f"the {kind} channels of {self.source_name} differ in rate or start ({desc}); "
                "take them group by group with Recording.channel_groups(), or pick matching "
                "ones with Recording.select().")
        for note in groups[0].notes:
            logger.info("%s", note)
        return groups[0].data, groups[0].fs, list(groups[0].names)

    # -- derived recordings -------------------------------------------------------------------
    def copy(self, *, share_data=False) -> Recording:
        """A deep copy; with ``share_data``, a copy whose channels share their sample arrays.

        ``share_data=True`` copies everything but the samples: a channel given new data in the
        copy (``copy[name].data = ...``) leaves this recording alone, while an array changed
        in place changes both (myoemg never writes into a channel's array).
        """
        if not share_data:
            return copy.deepcopy(self)
        out = copy.copy(self)
        out.channels = [copy.copy(ch) for ch in self.channels]
        out._events = None if self._events is None else self._events.copy()
        out.metadata, out.identifiers = copy.deepcopy(self.metadata), dict(self.identifiers)
        out.conversions, out.set_aside = list(self.conversions), dict(self.set_aside)
        return out

    def select(self, names) -> Recording:
        """A new recording with only the named channels (in the given order)."""
        names = [names] if isinstance(names, str) else list(names)
        chans = [copy.deepcopy(self[n]) for n in names]
        out = self.copy()
        out.channels = chans
        return out

    def set_roles(self, *, emg=None, force=None, share_data=False) -> Recording:
        """A new recording whose roles are set by channel name (see :mod:`myoemg.roles`).

        Parameters
        ----------
        emg : str | list of str | None
            Channel(s) to analyse as EMG; other EMG channels become 'other'.
        force : str | None
            Channel to analyse as force; other force channels become 'other'.
        share_data : bool
            Share the sample arrays with this recording (see :meth:`copy`).

        Returns
        -------
        recording : Recording
            A copy; a channel given a new role is converted to its SI unit (or kept 'a.u.').
        """
        out = self.copy(share_data=share_data)
        kinds = override_kinds(out.ch_names, out.kinds, emg=emg, force=force,
                               source=self.source_name)
        for ch, kind in zip(out.channels, kinds, strict=True):
            ch.kind = kind
            if kind == "emg":
                out.set_aside.pop(ch.name, None)
            if kind in SI_UNIT and ch.unit not in (SI_UNIT[kind], "a.u."):
                ch.data, ch.unit, note = convert_to_si(ch.data, ch.unit, kind, name=ch.name,
                                                       source=self.source_name)
                if note:
                    out.conversions.append(note)
        return out

    def with_set_aside(self, reasons, *, share_data=False) -> Recording:
        """A copy in which the named EMG channels are set aside as 'other', reasons kept.

        Parameters
        ----------
        reasons : dict of str -> str
            Channel name -> why it cannot be analysed as EMG (see
            :func:`myoemg.roles.unusable_emg_reasons`).
        share_data : bool
            Share the sample arrays with this recording (see :meth:`copy`).

        Returns
        -------
        recording : Recording
        """
        out = self.copy(share_data=share_data)
        for name, reason in reasons.items():
            out[name].kind = "other"
            out.set_aside[name] = reason
        return out

    # -- MNE ----------------------------------------------------------------------------------
    def to_mne(self, *, split_rates=False,
               line_freq="auto") -> mne.io.RawArray | list[mne.io.RawArray]:
        """Export to :class:`mne.io.Raw` (see :func:`myoemg.io.mne_raw.to_mne`).

        Parameters
        ----------
        split_rates : bool
            If False (default), one Raw at the highest rate, slower channels resampled for the
            export only; if True, a list of Raws, one per rate (an exact round trip).
        line_freq : 'auto' | float | None
            ``raw.info['line_freq']`` in Hz; 'auto' detects 50 or 60 Hz mains on the EMG's
            quiet stretches (None when neither stands out).

        Returns
        -------
        raw : mne.io.RawArray | list of mne.io.RawArray
        """
        from .io.mne_raw import to_mne  # the MNE edge lives with the readers

        return to_mne(self, split_rates=split_rates, line_freq=line_freq)

    @classmethod
    def from_mne(cls, raw) -> Recording:
        """Build a Recording from a :class:`mne.io.Raw` (or the list :meth:`to_mne` returns).

        The same path as ``myoemg.read(raw)`` (:func:`myoemg.io.mne_raw.read_raw`): kinds,
        units and rates written by :meth:`to_mne` are restored; other Raws get their roles from
        :mod:`myoemg.roles`.
        """
        from .io.mne_raw import read_raw

        return read_raw(raw)

    # -- events -------------------------------------------------------------------------------
    @property
    def events(self) -> pd.DataFrame:
        """Events, columns :data:`EVENT_COLUMNS` (zero rows when the recording has none)."""
        if self._events is None:  # made on first use: no pandas import for a recording without
            import pandas as pd

            self._events = pd.DataFrame({c: pd.Series(dtype=float if c != "description"
                                                      else object) for c in EVENT_COLUMNS})
        return self._events

    @events.setter
    def events(self, table):
        self._events = table

    def __setstate__(self, state):
        # recordings pickled before the events table became lazy hold it as "events"
        if "events" in state:
            state["_events"] = state.pop("events")
        self.__dict__.update(state)

    @property
    def n_events(self) -> int:
        """Number of events (without making an empty events table)."""
        return 0 if self._events is None else len(self._events)

    # -- display ------------------------------------------------------------------------------
    def describe(self) -> pd.DataFrame:
        """A DataFrame with one row per channel: name, kind, fs_hz, unit, n_times, duration_s."""
        import pandas as pd

        return pd.DataFrame({
            "name": self.ch_names,
            "kind": self.kinds,
            "fs_hz": [ch.fs for ch in self.channels],
            "unit": [ch.unit for ch in self.channels],
            "source_unit": [ch.source_unit for ch in self.channels],
            "n_times": [ch.n_times for ch in self.channels],
            "start_s": [ch.start_s for ch in self.channels],
            "duration_s": [ch.duration_s for ch in self.channels],
        })

    def __repr__(self):
        parts = ", ".join(f"{ch.name!r} {ch.kind} {ch.fs:g} Hz" for ch in self.channels)
        return f"<Recording {self.duration_s:.2f} s: {parts}>"


def as_utc(when) -> datetime | None:
    """Return a time-zone aware datetime (UTC when none is given), or None for anything else."""
    if isinstance(when, datetime):
        return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return None


__all__ = ["Channel", "ChannelGroup", "EVENT_COLUMNS", "KINDS", "MAX_TRIM_SAMPLES",
           "METADATA_KEYS", "Recording", "SI_UNIT", "as_utc"]
