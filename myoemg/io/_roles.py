"""Channel roles (EMG / force / other) from declarations, units and labels, overridable.

Order of evidence, strongest first:

1. the user's overrides (``emg=``, ``force=`` / ``force_channel=`` in :func:`myoemg.io.read`);
2. a role the file or a sidecar declares (BIDS ``channels.tsv`` type, MNE channel type 'emg');
3. :func:`myoemg.recording.infer_kind` on the label and unit: force units (N, kgf, lbf) or force
   labels ('Grip', 'Force', 'Dynamometer', 'Torque') give force; EMG labels ('EMG FDS', 'Flexor')
   or a voltage unit give EMG; labels of other signals (EEG, ECG, Resp, Temp...) give other;
4. a plausibility check: a channel sampled below :data:`MIN_RAW_EMG_FS` or described as
   rectified / an envelope is not raw EMG and becomes 'other' (pass ``emg=NAME`` to insist).
"""

from __future__ import annotations

import re

from ..recording import KINDS, infer_kind
from ..utils import missing_channel

#: Raw EMG is sampled at 1 kHz or more (SPEC.md §1, §6); below this a channel labelled EMG is
#: taken for an envelope or a summary (e.g. a 1 Hz "EMG submental" in sleep EDFs).
MIN_RAW_EMG_FS = 200.0

_ENVELOPE_HINT = re.compile(r"rectif|envelope|\brms\b|integrat", re.I)


def assign_roles(raws, *, emg=None, force=None, source=""):
    """Return ``(kinds, reasons)``: one kind per channel and the notes that explain choices."""
    names = [r.name for r in raws]
    kinds, reasons = [], []
    for r in raws:
        if r.kind in KINDS:
            kind = r.kind
        else:
            kind = infer_kind(r.name, r.unit)
        if kind == "emg" and r.kind != "emg":
            if r.fs < MIN_RAW_EMG_FS:
                kind = "other"
                reasons.append(f"channel {r.name!r} looks like EMG but is sampled at "
                               f"{r.fs:g} Hz, too slow for raw EMG (< {MIN_RAW_EMG_FS:g} Hz); "
                               "marked 'other'. Pass emg=NAME to analyse it anyway.")
            elif _ENVELOPE_HINT.search(r.hint or ""):
                kind = "other"
                reasons.append(f"channel {r.name!r} is described as {r.hint!r}, an envelope "
                               "rather than raw EMG; marked 'other'.")
        kinds.append(kind)
    if force is not None:
        if force not in names:
            raise missing_channel("force", force, names, source)
        for i, n in enumerate(names):
            if n == force:
                kinds[i] = "force"
            elif kinds[i] == "force":
                kinds[i] = "other"
    if emg is not None:
        wanted = [emg] if isinstance(emg, str) else list(emg)
        for w in wanted:
            if w not in names:
                raise missing_channel("EMG", w, names, source)
            if w == force:
                raise ValueError(f"channel {w!r} of {source} cannot be both EMG and force.")
        for i, n in enumerate(names):
            if n in wanted:
                kinds[i] = "emg"
            elif kinds[i] == "emg":
                kinds[i] = "other"
    return kinds, reasons
