"""Channel roles — EMG, force or other — decided in one place, by stated evidence.

Every reader (through :func:`myoemg.io.read`), :meth:`myoemg.Recording.set_roles` and the
quality checks (:mod:`myoemg.quality`) ask this module, so one recording gets the same roles
whichever way it enters. Order of evidence, strongest first:

1. the user's overrides (``emg=``, ``force=`` / ``force_channel=``), see :func:`override_kinds`;
2. a role the file or a sidecar declares (BIDS ``channels.tsv`` type, MNE channel type 'emg');
3. the label and unit (:func:`infer_kind`): force units (N, kgf, lbf) or force labels ('Grip',
   'Force', 'Dynamometer', 'Torque') give force; EMG labels ('EMG FDS', 'Flexor') or a voltage
   unit give EMG; labels of other signals (EEG, ECG, Resp, Temp, 10-20 electrode names) give
   other;
4. plausibility (:func:`not_raw_emg_reason`): a channel that looks like EMG but is sampled below
   :data:`MIN_RAW_EMG_FS` or is described as rectified / an envelope is not raw EMG; it is set
   aside as 'other' with the reason kept, so the analysis can say why (pass ``emg=NAME`` to
   insist).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .utils import missing_channel, to_si

KINDS = ("emg", "force", "other")

#: Raw EMG is sampled at 1 kHz or more (docs: domain reference, recording and signal processing);
#: below this rate a channel labelled EMG is taken for an envelope or a summary, e.g. the 1 Hz "EMG
#: submental" of sleep EDFs (ours: 200 Hz, far below any raw EMG and above every envelope seen).
MIN_RAW_EMG_FS = 200.0

_FORCE_LABEL = re.compile(r"grip|force|dyn|dynamomet|torque|pinch|load|kraft|newton", re.I)
_EMG_LABEL = re.compile(r"emg|fds|fdp|fcr|fcu|flexor|extensor|muscle|needle|\bmu\b|smu", re.I)
# Labels of signals that are neither EMG nor force, even when recorded in volts.
_OTHER_LABEL = re.compile(
    r"(?<![a-z])(eeg|eog|ecg|ekg|resp\w*|temp\w*|eda|gsr|marker|event|trig\w*|angle|co2|"
    r"flow|volume|spo2|status|stim\w*)(?![a-z])"
    r"|^(fp|af|f|fc|ft|c|cp|tp|p|po|o|t|a|m)(z|\d{1,2})$", re.I)
_ENVELOPE_HINT = re.compile(r"rectif|envelope|\brms\b|integrat", re.I)


def infer_kind(name, unit) -> str:
    """Guess a channel's role from its label and unit.

    Force units (N, kgf, lbf) or force-like labels ('Grip', 'Force', 'Dynamometer', 'Torque')
    give 'force'; voltage units with EMG-like labels ('EMG FDS', 'Flexor'), or voltage units
    alone, give 'emg'; labels of other signals ('EEG Fpz-Cz', 'ECG', 'Resp', 'Temp', 10-20
    electrode names such as 'Cz') give 'other' even in volts; anything else 'other'.

    Parameters
    ----------
    name : str
        Channel label.
    unit : str
        Unit as the file writes it ('' when unknown).

    Returns
    -------
    kind : {'emg', 'force', 'other'}
    """
    si, _ = to_si(unit)
    name = name or ""
    if si == "N" or (_FORCE_LABEL.search(name) and not _EMG_LABEL.search(name)):
        return "force"
    if _EMG_LABEL.search(name):
        return "emg"
    if _OTHER_LABEL.search(name.strip()):
        return "other"
    if si == "V":
        return "emg"
    return "other"


def not_raw_emg_reason(name, fs, hint="") -> str | None:
    """Why a channel that looks like EMG cannot be raw EMG, or None when it can.

    Parameters
    ----------
    name : str
        Channel label (for the message).
    fs : float
        Sampling rate in Hz.
    hint : str
        Free text the file gives about the channel (EDF prefiltering, transducer, type).

    Returns
    -------
    reason : str | None
    """
    if fs < MIN_RAW_EMG_FS:
        return (f"channel {name!r} looks like EMG but is sampled at {fs:g} Hz, too slowly for "
                f"raw EMG (< {MIN_RAW_EMG_FS:g} Hz): an envelope or a trend, not analysed as "
                "EMG. Pass emg=NAME to analyse it anyway.")
    if _ENVELOPE_HINT.search(hint or ""):
        return (f"channel {name!r} is described as {hint!r}, an envelope rather than raw EMG: "
                "not analysed as EMG. Pass emg=NAME to analyse it anyway.")
    return None


@dataclass(frozen=True)
class RoleDecision:
    """The roles of a recording's channels and why.

    Attributes
    ----------
    kinds : tuple of str
        One of :data:`KINDS` per channel, in channel order.
    set_aside : dict of str -> str
        Channels that look like EMG but were set aside as 'other', with the reason.
    """

    kinds: tuple
    set_aside: dict = field(default_factory=dict)


def override_kinds(names, kinds, *, emg=None, force=None, source="") -> list[str]:
    """Apply the user's role overrides by channel name.

    Parameters
    ----------
    names : list of str
        Channel names.
    kinds : list of str
        Current kinds, one per name.
    emg : str | list of str | None
        Channel(s) to analyse as EMG; other EMG channels become 'other'.
    force : str | None
        Channel to analyse as force; another force channel becomes 'other'.
    source : str
        The file, for messages.

    Returns
    -------
    kinds : list of str

    Raises
    ------
    ChannelError
        When a named channel does not exist (with a "did you mean" hint).
    ValueError
        When one channel is named as both EMG and force.
    """
    kinds = list(kinds)
    if force is not None:
        if force not in names:
            raise missing_channel("force", force, names, source)
        kinds = ["force" if n == force else ("other" if k == "force" else k)
                 for n, k in zip(names, kinds, strict=True)]
    if emg is not None:
        wanted = [emg] if isinstance(emg, str) else list(emg)
        for w in wanted:
            if w not in names:
                raise missing_channel("EMG", w, names, source)
            if w == force:
                raise ValueError(f"channel {w!r} of {source} cannot be both EMG and force.")
        kinds = ["emg" if n in wanted else ("other" if k == "emg" else k)
                 for n, k in zip(names, kinds, strict=True)]
    return kinds


def assign_roles(channels, *, emg=None, force=None, source="") -> RoleDecision:
    """Decide the role of every channel (the evidence order of this module's docstring).

    Parameters
    ----------
    channels : sequence
        Objects with ``name``, ``unit``, ``fs``, ``kind`` (a declared kind or None) and ``hint``
        attributes (e.g. :class:`myoemg.io._common.RawChannel`).
    emg : str | list of str | None
        EMG channel override (see :func:`override_kinds`).
    force : str | None
        Force channel override (see :func:`override_kinds`).
    source : str
        The file, for messages.

    Returns
    -------
    decision : RoleDecision
    """
    names = [c.name for c in channels]
    kinds, set_aside = [], {}
    for c in channels:
        declared = c.kind in KINDS
        kind = c.kind if declared else infer_kind(c.name, c.unit)
        if kind == "emg" and c.kind != "emg":
            reason = not_raw_emg_reason(c.name, c.fs, getattr(c, "hint", ""))
            if reason is not None:
                kind = "other"
                set_aside[c.name] = reason
        kinds.append(kind)
    kinds = override_kinds(names, kinds, emg=emg, force=force, source=source)
    for name, kind in zip(names, kinds, strict=True):
        if kind == "emg":  # the user insisted: no longer set aside
            set_aside.pop(name, None)
    return RoleDecision(tuple(kinds), set_aside)


def unusable_emg_reasons(channels, codes) -> dict[str, str]:
    """Which EMG channels the analysis must set aside, and why, from their quality flags.

    Parameters
    ----------
    channels : sequence of Channel
        The EMG channels.
    codes : dict of str -> set of str
        Quality flag codes per channel name (:mod:`myoemg.quality.rules`): 'emg_not_raw' (too
        slow or an envelope) and 'flat' make a channel unusable.

    Returns
    -------
    reasons : dict of str -> str
        Channel name -> why it is not analysed (e.g. "is flat").
    """
    reasons = {}
    for ch in channels:
        found = codes.get(ch.name, set())
        if "flat" in found:
            reasons[ch.name] = "is flat"
        elif "emg_not_raw" in found:
            reasons[ch.name] = (f"is sampled at {ch.fs:g} Hz, too slowly to be raw EMG (an "
                                "envelope?)" if ch.fs < MIN_RAW_EMG_FS else
                                "is not raw EMG (an envelope?)")
    return reasons


__all__ = ["KINDS", "MIN_RAW_EMG_FS", "RoleDecision", "assign_roles", "infer_kind",
           "not_raw_emg_reason", "override_kinds", "unusable_emg_reasons"]
