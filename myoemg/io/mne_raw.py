"""The MNE edge: a Recording to and from :class:`mne.io.Raw`, in one place.

:func:`to_mne` exports a Recording (one Raw at the highest rate, or one Raw per rate);
:func:`read_raw` is the one path from a Raw to a Recording, used by ``myoemg.read(raw)``,
:meth:`myoemg.Recording.from_mne`, :func:`myoemg.analyze` and the BrainVision and FIF readers.

A Raw written by :func:`to_mne` carries each channel's kind, unit and rate in
``info['description']`` (JSON) and is restored exactly. Any other Raw is
read channel by channel: MNE's 'emg' type is EMG; 'eog', 'ecg', 'resp', 'stim' and the like are
'other'; 'eeg' (the default type of several MNE readers, so EMG amplifiers' channels often carry
it), 'misc' and 'bio' channels get their role from label and unit. MNE stores
voltages in volts; other channels keep the unit the file gave, when MNE kept it.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pandas as pd

from ..recording import SI_UNIT, Channel, Recording, as_utc
from ..roles import KINDS
from ..utils import FS_RANGE_HZ, RecordingError, logger
from ._common import RawChannel, build_recording, header_facts, make_events

_OTHER_TYPES = {"eog", "ecg", "resp", "stim", "seeg", "ecog", "dbs", "mag", "grad",
                "ref_meg", "hbo", "hbr", "fnirs_cw_amplitude", "syst", "gsr", "temperature",
                "chpi", "exci", "ias", "dipole", "gof", "bio_other"}


def raws_from_mne(raw, orig_units=None):
    """(list of RawChannel, notes) from a Raw, data as MNE holds them (volts for voltages)."""
    from mne.io.constants import FIFF

    orig_units = dict(orig_units if orig_units is not None
                      else getattr(raw, "_orig_units", None) or {})
    data = raw.get_data()
    fs = float(raw.info["sfreq"])
    out = []
    for ch, x, ch_type in zip(raw.info["chs"], data, raw.get_channel_types(), strict=True):
        name = ch["ch_name"]
        written = orig_units.get(name, "")
        written = "" if written in ("n/a", None) else written
        if ch["unit"] == FIFF.FIFF_UNIT_V:
            unit = "V"
        elif ch["unit"] == FIFF.FIFF_UNIT_N:
            unit = "N"
        else:
            unit = written
        if ch_type == "emg":
            kind = "emg"
        elif ch_type in _OTHER_TYPES:
            kind = "other"
        else:
            kind = None
        rc = RawChannel(name, x, fs, unit, hint=ch_type, kind=kind)
        rc.source_unit = written or unit
        out.append(rc)
    return out


def mne_facts(raw):
    """(start_time, events, metadata, identifiers) of a Raw."""
    info = raw.info
    ann = raw.annotations
    events = None
    if len(ann):
        events = make_events(ann.onset - raw.first_time, ann.duration, ann.description)
    ident = {}
    subject = info.get("subject_info") or {}
    for key in ("his_id", "last_name", "first_name", "middle_name", "birthday", "sex", "hand"):
        if subject.get(key) not in (None, "", 0):
            ident[f"subject_{key}"] = str(subject[key])
    if info.get("experimenter"):
        ident["experimenter"] = str(info["experimenter"])
    meta = {}
    device = info.get("device_info") or {}
    if device.get("model") or device.get("type"):
        meta["device"] = " ".join(str(device[k]) for k in ("type", "model") if device.get(k))
    return as_utc(info.get("meas_date")), events, meta, ident


def read_raw(raw, *, emg=None, force_channel=None, force_unit=None, force_calibration=None,
             emg_calibration=None, keep_identifiers=False, source=None) -> Recording:
    """Build a :class:`~myoemg.Recording` from an :class:`mne.io.Raw` in memory.

    Parameters
    ----------
    raw : mne.io.BaseRaw | list of mne.io.BaseRaw
        The data (loaded on demand); a list is what :func:`to_mne` returns with
        ``split_rates=True``.
    emg, force_channel, force_unit, force_calibration, emg_calibration, keep_identifiers
        See :func:`myoemg.io.read`.
    source : str | None
        What to record as ``Recording.source`` (default: the Raw's file, else 'mne.io.Raw').

    Returns
    -------
    Recording
    """
    raws = list(raw) if isinstance(raw, (list, tuple)) else [raw]
    for r in raws:
        if not (hasattr(r, "info") and hasattr(r, "get_data")):
            raise TypeError(f"expected an mne.io.Raw, got {type(r).__name__}.")
    filenames = [f for f in (getattr(raws[0], "filenames", None) or ()) if f]
    source = source or (str(filenames[0]) if filenames else "mne.io.Raw")
    if all(_layout_ok(r, source) for r in raws):
        rec = _restore(raws, source, keep_identifiers)
        if emg is not None or force_channel is not None:
            rec = rec.set_roles(emg=emg, force=force_channel)
        return rec
    if len(raws) > 1:
        raise TypeError("a list of Raws is read only when myoemg wrote it (Recording.to_mne); "
                        "read the Raws one at a time.")
    raw = raws[0]
    if len(raw.ch_names) == 0 or raw.n_times == 0:
        raise RecordingError(f"{source} holds no samples.")
    start, events, meta, ident = mne_facts(raw)
    return build_recording(source, raws_from_mne(raw), start_time=start, events=events,
                           metadata=meta, identifiers=ident, keep_identifiers=keep_identifiers,
                           emg=emg, force_channel=force_channel, force_unit=force_unit,
                           force_calibration=force_calibration,
                           emg_calibration=emg_calibration)


def _saved_layout(description):
    """The ``myoemg`` block :func:`to_mne` writes into ``info['description']``, or {}."""
    if not description:
        return {}
    try:
        return json.loads(description).get("myoemg", {}) or {}
    except (ValueError, AttributeError):
        return {}


def _spec_ok(spec, fs):
    """True when one channel's saved layout is what :func:`to_mne` writes, and consistent."""
    if not isinstance(spec, dict):
        return False
    kind, unit = spec.get("kind"), spec.get("unit")
    numbers = [spec.get(k) for k in ("fs", "start_s", "n_times")]
    if kind not in KINDS or not isinstance(unit, str) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v)
            for v in numbers):
        return False
    ch_fs, start_s, n_times = numbers
    if kind in SI_UNIT and unit not in (SI_UNIT[kind], "a.u."):
        return False  # a unit that would lie about the samples
    return (FS_RANGE_HZ[0] <= ch_fs <= fs and ch_fs * 10_000 >= fs and start_s >= 0
            and n_times >= 1 and isinstance(n_times, int))


def _layout_ok(raw, source):
    """True when ``raw`` carries a complete, consistent myoemg layout (see :func:`to_mne`)."""
    saved = _saved_layout(raw.info.get("description"))
    specs = saved.get("channels") if isinstance(saved, dict) else None
    if not isinstance(specs, dict) or not set(raw.ch_names) <= set(specs):
        return False
    fs = float(raw.info["sfreq"])
    if all(_spec_ok(specs[n], fs) for n in raw.ch_names) and isinstance(
            saved.get("metadata", {}), dict):
        return True
    logger.warning("%s: the myoemg channel layout stored in the file is damaged; channels are "
                   "read as in any Raw (roles from types, labels and units).", source)
    return False


def _restore(raws, source, keep_identifiers=False):
    """The Recording that :func:`to_mne` exported, channel kinds, units and rates restored."""
    from scipy.signal import resample_poly

    channels, metadata, events = [], {}, []
    for r in raws:
        fs = float(r.info["sfreq"])
        saved = _saved_layout(r.info.get("description"))
        metadata.update(saved.get("metadata", {}))
        for name, x in zip(r.ch_names, r.get_data(), strict=True):
            spec = saved["channels"][name]
            x = x[round(spec["start_s"] * fs):]
            if spec["fs"] != fs:
                ratio = Fraction(spec["fs"] / fs).limit_denominator(10_000)
                x = resample_poly(x, ratio.numerator, ratio.denominator, padtype="line")
            channels.append(Channel(name, spec["kind"], x[: spec["n_times"]], spec["fs"],
                                    spec["unit"], spec["start_s"]))
        ann = r.annotations
        if len(ann):
            events.append(pd.DataFrame({"onset_s": ann.onset - r.first_time,
                                        "duration_s": ann.duration,
                                        "description": list(ann.description)}))
    ev = pd.concat(events, ignore_index=True).drop_duplicates(ignore_index=True) \
        if events else None
    metadata, _ = header_facts(metadata, None, source, keep_identifiers)
    return Recording(channels, start_time=raws[0].info["meas_date"], events=ev,
                     metadata=metadata, source=source)


def to_mne(recording, *, split_rates=False, line_freq="auto"):
    """Export a Recording to :class:`mne.io.Raw`.

    MNE holds one rate per Raw and has no force type. EMG becomes ``emg`` (V), force and other
    channels ``misc``; a force in newtons carries MNE's newton unit
    (``raw.info['chs'][i]['unit']`` is ``FIFF_UNIT_N``), an uncalibrated one none
    (``FIFF_UNIT_NONE``: MNE has no arbitrary unit, and a.u. is never labelled N). Each
    channel's kind, unit and rate are also kept in ``raw.info['description']`` (JSON) so
    :func:`read_raw` restores them.

    Parameters
    ----------
    recording : Recording
        What to export.
    split_rates : bool
        If False (default), one Raw at the highest rate: slower channels are resampled
        (polyphase, :func:`scipy.signal.resample_poly`) **for the export only**. If True, a list
        of Raws, one per rate, fastest first, with no resampling (an exact round trip).
    line_freq : 'auto' | float | None
        ``raw.info['line_freq']`` (Hz). 'auto' (default): detected from the EMG on its quiet
        stretches (:func:`myoemg.signal.detect_mains`, the test :func:`myoemg.analyze` makes;
        a fraction of a second), None when no 50 or 60 Hz line stands out or there is no EMG.

    Returns
    -------
    raw : mne.io.RawArray | list of mne.io.RawArray
    """
    import mne

    if isinstance(line_freq, str):
        if line_freq != "auto":
            raise ValueError(f"line_freq must be 'auto', a frequency in Hz or None, got "
                             f"{line_freq!r}.")
        line_freq = detected_mains(recording)
    groups = {}
    for ch in recording.channels:
        groups.setdefault(ch.fs, []).append(ch)
    rates = sorted(groups, reverse=True)
    if split_rates:
        return [_raw_from(recording, groups[fs], fs, mne, line_freq) for fs in rates]
    return _raw_from(recording, recording.channels, rates[0], mne, line_freq)


def detected_mains(recording):
    """50.0, 60.0 or None: the mains hum on the EMG's quiet stretches, all EMG channels at once.

    The EMG channels at the fastest EMG rate are tested together
    (:func:`myoemg.signal.detect_mains`, shape (n_channels, n_times)).
    """
    from ..signal import detect_mains

    emg = [ch for ch in recording.channels if ch.kind == "emg"]
    if not emg:
        return None
    fs = max(ch.fs for ch in emg)
    same = [ch.data for ch in emg if ch.fs == fs]
    n = min(x.size for x in same)
    return detect_mains(np.stack([x[:n] for x in same]), fs=fs)


def _fiff_unit(unit, FIFF):
    """MNE's unit constant for a channel unit: volts, newtons, or none (a.u., others)."""
    return {"V": FIFF.FIFF_UNIT_V, "N": FIFF.FIFF_UNIT_N}.get(unit, FIFF.FIFF_UNIT_NONE)


def _raw_from(recording, chans, fs, mne, line_freq):
    from mne.io.constants import FIFF
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
    for ch_info, ch in zip(info["chs"], chans, strict=True):
        ch_info["unit"] = _fiff_unit(ch.unit, FIFF)  # misc: N for a calibrated force
    info["line_freq"] = None if line_freq is None else float(line_freq)
    info["description"] = json.dumps({"myoemg": {
        "channels": {ch.name: {"kind": ch.kind, "unit": ch.unit, "fs": ch.fs,
                               "start_s": ch.start_s, "n_times": ch.n_times}
                     for ch in chans},
        "metadata": recording.metadata,
    }})
    raw = mne.io.RawArray(data, info, verbose=False)
    if recording.start_time is not None:
        raw.set_meas_date(recording.start_time)
    events = recording.events
    if len(events):
        raw.set_annotations(mne.Annotations(
            events["onset_s"].to_numpy(float), events["duration_s"].to_numpy(float),
            events["description"].astype(str).to_numpy()))
    return raw
