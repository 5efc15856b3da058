"""An :class:`mne.io.Raw` in memory; also the shared MNE path of the BrainVision and FIF readers.

A Raw written by :meth:`myoemg.Recording.to_mne` carries each channel's kind, unit and rate in
``info['description']`` and is restored exactly (:meth:`Recording.from_mne`). Any other Raw is
read channel by channel: MNE's 'emg' type is EMG; 'eog', 'ecg', 'resp', 'stim' and the like are
'other'; 'eeg' (the default type of several MNE readers, so EMG amplifiers' channels often carry
it), 'misc' and 'bio' channels get their role from label and unit. MNE stores
voltages in volts; other channels keep the unit the file gave, when MNE kept it.
"""

from __future__ import annotations

from ..recording import Recording, _saved_layout, as_utc
from ..utils import RecordingError
from ._common import RawChannel, build_recording, make_events

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
             emg_calibration=None, keep_identifiers=False, source=None):
    """Build a :class:`~myoemg.Recording` from an :class:`mne.io.Raw` in memory.

    Parameters
    ----------
    raw : mne.io.BaseRaw
        The data (loaded on demand).
    emg, force_channel, force_unit, force_calibration, emg_calibration, keep_identifiers
        See :func:`myoemg.io.read`.
    source : str | None
        What to record as ``Recording.source`` (default: the Raw's file, else 'mne.io.Raw').

    Returns
    -------
    Recording
    """
    if not (hasattr(raw, "info") and hasattr(raw, "get_data")):
        raise TypeError(f"expected an mne.io.Raw, got {type(raw).__name__}.")
    filenames = [f for f in (getattr(raw, "filenames", None) or ()) if f]
    source = source or (str(filenames[0]) if filenames else "mne.io.Raw")
    if _saved_layout(raw.info.get("description")):
        rec = Recording.from_mne(raw)
        rec.source = source
        if emg is not None or force_channel is not None:
            rec = rec.set_roles(emg=emg, force=force_channel)
        return rec
    if len(raw.ch_names) == 0 or raw.n_times == 0:
        raise RecordingError(f"{source} holds no samples.")
    raws = raws_from_mne(raw)
    start, events, meta, ident = mne_facts(raw)
    return build_recording(source, raws, start_time=start, events=events, metadata=meta,
                           identifiers=ident, keep_identifiers=keep_identifiers, emg=emg,
                           force_channel=force_channel, force_unit=force_unit,
                           force_calibration=force_calibration,
                           emg_calibration=emg_calibration)
