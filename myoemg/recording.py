"""The container every reader fills and every analysis reads: :class:`Recording`.

A recording holds EMG, force and other channels, each **at its own sampling rate** (force at
100 Hz is never resampled to the EMG rate to be stored), in SI units inside (EMG in volts, force
in newtons; readers convert on load and list what they converted in ``conversions``), with a
start time, events and metadata. Identifying header fields (patient name, birth date, free text)
live apart in ``identifiers`` and are empty unless a reader was asked to keep them.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from fractions import Fraction

import numpy as np
import pandas as pd

from .utils import (
    ChannelError,
    RecordingError,
    check_option,
    missing_channel,
    to_si,
    validate_fs,
)

KINDS = ("emg", "force", "other")
SI_UNIT = {"emg": "V", "force": "N"}
METADATA_KEYS = ("subject", "session", "muscle", "side", "electrode", "device", "temperature_c",
                 "medication")
EVENT_COLUMNS = ["onset_s", "duration_s", "description"]

_FORCE_LABEL = re.compile(r"grip|force|dyn|dynamomet|torque|pinch|load|kraft|newton", re.I)
_EMG_LABEL = re.compile(r"emg|fds|fdp|fcr|fcu|flexor|extensor|muscle|needle|\bmu\b|smu", re.I)
# Labels of signals that are neither EMG nor force, even when recorded in volts.
_OTHER_LABEL = re.compile(
    r"(?<![a-z])(eeg|eog|ecg|ekg|resp\w*|temp\w*|eda|gsr|marker|event|trig\w*|angle|co2|"
    r"flow|volume|spo2|status|stim\w*)(?![a-z])"
    r"|^(fp|af|f|fc|ft|c|cp|tp|p|po|o|t|a|m)(z|\d{1,2})$", re.I)


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
    def n_times(self):
        """Number of samples."""
        return self.data.shape[-1]

    @property
    def duration_s(self):
        """Duration in seconds (n_times / fs)."""
        return self.n_times / self.fs

    @property
    def times(self):
        """Sample times in seconds from the start of the recording, shape (n_times,)."""
        return self.start_s + np.arange(self.n_times) / self.fs

    @property
    def calibrated(self):
        """True when the data are in the SI unit of the channel's kind (V or N)."""
        return self.unit == SI_UNIT.get(self.kind, self.unit)

    def __repr__(self):
        return (f"<Channel {self.name!r} {self.kind} {self.fs:g} Hz, {self.n_times} samples "
                f"({self.duration_s:.3f} s), {self.unit}>")


def infer_kind(name, unit):
    """Guess a channel's role from its label and unit.

    Force units (N, kgf, lbf) or force-like labels ('Grip', 'Force', 'Dynamometer', 'Torque')
    give 'force'; voltage units with EMG-like labels ('EMG FDS', 'Flexor'), or voltage units
    alone, give 'emg'; labels of other signals ('EEG Fpz-Cz', 'ECG', 'Resp', 'Temp', 10-20
    electrode names such as 'Cz') give 'other' even in volts; anything else 'other'.
    """
    si, _ = to_si(unit)
    if si == "N" or (_FORCE_LABEL.search(name or "") and not _EMG_LABEL.search(name or "")):
        return "force"
    if _EMG_LABEL.search(name or ""):
        return "emg"
    if _OTHER_LABEL.search((name or "").strip()):
        return "other"
    if si == "V":
        return "emg"
    return "other"


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
    """

    def __init__(self, channels, *, start_time=None, events=None, metadata=None,
                 identifiers=None, source=None, conversions=()):
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
        if events is None:
            events = pd.DataFrame({c: pd.Series(dtype=float if c != "description" else object)
                                   for c in EVENT_COLUMNS})
        self.events = events.reset_index(drop=True)
        self.metadata = {k: v for k, v in (metadata or {}).items() if v is not None}
        self.identifiers = dict(identifiers or {})
        self.source = source
        self.conversions = list(conversions)

    # -- access -------------------------------------------------------------------------------
    @property
    def ch_names(self):
        """Channel names, in order."""
        return [ch.name for ch in self.channels]

    @property
    def kinds(self):
        """Channel kinds, in order."""
        return [ch.kind for ch in self.channels]

    @property
    def duration_s(self):
        """Time of the last sample of any channel, in seconds from the start."""
        return max(ch.start_s + ch.duration_s for ch in self.channels)

    @property
    def source_name(self):
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

    def pick(self, kind):
        """Return the channels of one kind ('emg', 'force' or 'other'), in order."""
        check_option("kind", kind, KINDS)
        return [ch for ch in self.channels if ch.kind == kind]

    @property
    def emg(self):
        """The EMG channels."""
        return self.pick("emg")

    @property
    def force(self):
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

    def get_data(self, kind="emg"):
        """Stack the channels of one kind that share a rate and length.

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
            When there is no such channel, or the channels differ in rate or length
            (analyse them one at a time with :meth:`select`).
        """
        chans = self.pick(kind)
        if not chans:
            raise ChannelError(f"{self.source_name} has no {kind} channel; channels are "
                               f"{self.ch_names} with kinds {self.kinds}.")
        shapes = {(ch.fs, ch.n_times, ch.start_s) for ch in chans}
        if len(shapes) > 1:
            raise ChannelError(
                f"the {kind} channels of {self.source_name} differ in rate, length or start "
                f"({sorted(shapes)}); select channels that match with Recording.select().")
        return np.vstack([ch.data for ch in chans]), chans[0].fs, [ch.name for ch in chans]

    # -- derived recordings -------------------------------------------------------------------
    def copy(self):
        """A deep copy."""
        return copy.deepcopy(self)

    def select(self, names):
        """A new recording with only the named channels (in the given order)."""
        names = [names] if isinstance(names, str) else list(names)
        chans = [copy.deepcopy(self[n]) for n in names]
        out = self.copy()
        out.channels = chans
        return out

    def set_roles(self, *, emg=None, force=None):
        """A new recording whose roles are set by channel name.

        Parameters
        ----------
        emg : str | list of str | None
            Channel(s) to analyse as EMG; other EMG channels become 'other'.
        force : str | None
            Channel to analyse as force; other force channels become 'other'.
        """
        out = self.copy()
        if force is not None:
            target = out[force]
            for ch in out.channels:
                if ch.kind == "force" and ch is not target:
                    ch.kind = "other"
            target.kind = "force"
        if emg is not None:
            wanted = [emg] if isinstance(emg, str) else list(emg)
            targets = [out[n] for n in wanted]
            for ch in out.channels:
                if ch.kind == "emg" and ch not in targets:
                    ch.kind = "other"
            for ch in targets:
                ch.kind = "emg"
        for ch in out.channels:
            if ch.kind in SI_UNIT and ch.unit not in (SI_UNIT[ch.kind], "a.u."):
                si, factor = to_si(ch.unit)
                if si != SI_UNIT[ch.kind]:
                    raise ChannelError(
                        f"channel {ch.name!r} of {self.source_name} is in {ch.unit!r}, which "
                        f"cannot be read as {ch.kind} ({SI_UNIT[ch.kind]}); give a calibration "
                        "or pick another channel.")
                ch.data = ch.data * factor
                out.conversions.append(f"{ch.name}: {ch.unit} -> {si}")
                ch.unit = si
        return out

    # -- MNE ----------------------------------------------------------------------------------
    def to_mne(self, *, split_rates=False):
        """Export to :class:`mne.io.Raw`.

        MNE holds one rate per Raw and has no force type. EMG becomes ``emg`` (V), force and
        other channels ``misc``; each channel's kind, unit and rate are kept in
        ``raw.info['description']`` (JSON) so :meth:`from_mne` restores them.

        Parameters
        ----------
        split_rates : bool
            If False (default), one Raw at the highest rate: slower channels are resampled
            (polyphase, :func:`scipy.signal.resample_poly`) **for the export only**. If True, a
            list of Raws, one per rate, fastest first, with no resampling (an exact round trip).

        Returns
        -------
        raw : mne.io.RawArray | list of mne.io.RawArray
        """
        import mne

        groups = {}
        for ch in self.channels:
            groups.setdefault(ch.fs, []).append(ch)
        rates = sorted(groups, reverse=True)
        if split_rates:
            return [self._raw_from(groups[fs], fs, mne) for fs in rates]
        return self._raw_from(self.channels, rates[0], mne)

    def _raw_from(self, chans, fs, mne):
        from scipy.signal import resample_poly

        n_times = max(round((ch.start_s + ch.duration_s) * fs) for ch in chans)
        data = np.zeros((len(chans), n_times))
        for row, ch in zip(data, chans, strict=True):
            x = ch.data
            if ch.fs != fs:
                ratio = Fraction(fs / ch.fs).limit_denominator(10_000)
                x = resample_poly(x, ratio.numerator, ratio.denominator, padtype="line")
            start = round(ch.start_s * fs)
            stop = min(n_times, start + x.size)
            row[start:stop] = x[: stop - start]
            row[:start], row[stop:] = x[0], x[stop - start - 1]  # hold edges, no steps to zero
        types = ["emg" if ch.kind == "emg" else "misc" for ch in chans]
        info = mne.create_info([ch.name for ch in chans], fs, types)
        info["description"] = json.dumps({"myoemg": {
            "channels": {ch.name: {"kind": ch.kind, "unit": ch.unit, "fs": ch.fs,
                                   "start_s": ch.start_s, "n_times": ch.n_times}
                         for ch in chans},
            "metadata": self.metadata,
        }})
        raw = mne.io.RawArray(data, info, verbose=False)
        if self.start_time is not None:
            raw.set_meas_date(self.start_time)
        if len(self.events):
            raw.set_annotations(mne.Annotations(
                self.events["onset_s"].to_numpy(float), self.events["duration_s"].to_numpy(float),
                self.events["description"].astype(str).to_numpy()))
        return raw

    @classmethod
    def from_mne(cls, raw):
        """Build a Recording from a :class:`mne.io.Raw` (or the list :meth:`to_mne` returns).

        Channel kinds, units and rates written by :meth:`to_mne` are restored; for other Raws,
        ``emg`` channels are EMG in volts and ``misc`` channels are classified by label.
        """
        from scipy.signal import resample_poly

        raws = raw if isinstance(raw, (list, tuple)) else [raw]
        channels, metadata, events = [], {}, []
        for r in raws:
            fs = float(r.info["sfreq"])
            saved = _saved_layout(r.info.get("description"))
            metadata.update(saved.get("metadata", {}))
            data = r.get_data()
            types = r.get_channel_types()
            for name, kind_mne, x in zip(r.ch_names, types, data, strict=True):
                spec = saved.get("channels", {}).get(name)
                if spec:
                    start = round(spec["start_s"] * fs)
                    x = x[start:]
                    if spec["fs"] != fs:
                        ratio = Fraction(spec["fs"] / fs).limit_denominator(10_000)
                        x = resample_poly(x, ratio.numerator, ratio.denominator, padtype="line")
                    x = x[: spec["n_times"]]
                    channels.append(Channel(name, spec["kind"], x, spec["fs"], spec["unit"],
                                            spec["start_s"]))
                else:
                    kind = "emg" if kind_mne == "emg" else infer_kind(name, "")
                    unit = "V" if kind_mne in ("emg", "eeg", "ecg", "eog") else "a.u."
                    if kind == "force":
                        unit = "a.u."
                    channels.append(Channel(name, kind, x, fs, unit))
            ann = r.annotations
            if len(ann):
                events.append(pd.DataFrame({"onset_s": ann.onset - r.first_time,
                                            "duration_s": ann.duration,
                                            "description": list(ann.description)}))
        meas_date = raws[0].info["meas_date"]
        ev = pd.concat(events, ignore_index=True) if events else None
        if ev is not None:
            ev = ev.drop_duplicates(ignore_index=True)
        return cls(channels, start_time=meas_date, events=ev, metadata=metadata,
                   source=raws[0].filenames[0] if getattr(raws[0], "filenames", None)
                   and raws[0].filenames[0] else None)

    # -- display ------------------------------------------------------------------------------
    def describe(self):
        """A DataFrame with one row per channel: name, kind, fs_hz, unit, n_times, duration_s."""
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


def as_utc(when):
    """Return a time-zone aware datetime (UTC when none is given), or None for anything else."""
    if isinstance(when, datetime):
        return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return None


def _saved_layout(description):
    if not description:
        return {}
    try:
        return json.loads(description).get("myoemg", {})
    except (ValueError, AttributeError):
        return {}


__all__ = ["Channel", "Recording", "infer_kind", "KINDS", "METADATA_KEYS"]
