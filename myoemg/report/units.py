"""The unit trains the report draws and plays: spikes and mean potential of each train.

With the detector's decomposition (``Analysis.spikes`` and ``Analysis.templates``, one unit id
per train) the figures show the sorted spikes and templates. Analyses without them (older
results, or a detector that reports trains only) still get a discharge view: the potentials of
the train's span are re-detected on the displayed EMG with :func:`myoemg.signal.detect_spikes`
and averaged, and the view says so.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..signal.spikes import detect_spikes
from ..viz.traces import Train

#: Half-length of a re-computed mean potential, s (ours: a surface fibre potential lasts up
#: to ~8 ms; needle potentials are shorter, the window is then mostly baseline).
WAVEFORM_HALF_S = 5.0e-3
RE_DETECTED = "re-detected on the displayed EMG (the analysis kept no sorted spikes)"
SORTED = "sorted by the detector"


def unit_label(row, i):
    """'u<id>' from the train's ``unit`` column, else '#<row number>'."""
    unit = row.get("unit")
    try:
        if unit is not None and not pd.isna(unit):
            return f"u{int(unit)}"
    except (TypeError, ValueError):
        pass
    return f"#{i + 1}"


def _table(analysis, name):
    table = getattr(analysis, name, None)
    return table if isinstance(table, pd.DataFrame) and len(table) else None


def _group(table, key):
    """{unit id: rows} of a spikes or templates table (empty when absent)."""
    if table is None or key not in table.columns:
        return {}
    return {int(k): g for k, g in table.groupby(key, sort=False)}


def _waveform(emg, row, times):
    """Mean ± SD of the displayed EMG around ``times`` on the train's channel (µV)."""
    i = emg.index(row["channel"]) if emg is not None else None
    if i is None or len(times) < 2:
        return None
    half = max(2, int(round(WAVEFORM_HALF_S * emg.fs)))
    centre = np.round((np.asarray(times) - emg.start_s) * emg.fs).astype(int)
    centre = centre[(centre >= half) & (centre < emg.data.shape[1] - half)]
    if centre.size < 2:
        return None
    snips = emg.data[i, centre[:, None] + np.arange(-half, half + 1)[None, :]] * 1e6
    t_ms = 1e3 * np.arange(-half, half + 1) / emg.fs
    return t_ms, snips.mean(axis=0), snips.std(axis=0)


def _redetect(emg, row):
    """(times s, amplitudes µV) of the potentials in the train's span, from the shown EMG."""
    i = emg.index(row["channel"]) if emg is not None else None
    if i is None:
        return np.zeros(0), np.zeros(0)
    t, x = emg.window(i, row["start_s"] - 0.005, row["end_s"] + 0.005)
    if x.size < 20:
        return np.zeros(0), np.zeros(0)
    sp = detect_spikes(x, fs=emg.fs)
    return t[0] + sp["time_s"].to_numpy(float), 1e6 * sp["amplitude_pp_v"].to_numpy(float)


def unit_trains(analysis, emg, scrub):
    """One :class:`~myoemg.viz.traces.Train` per row of ``analysis.discharges``.

    Parameters
    ----------
    analysis : Analysis
        Its ``discharges`` and, when present, ``spikes`` and ``templates``.
    emg : DisplayEmg | None
        The displayed EMG (for re-detected spikes and re-computed potentials).
    scrub : callable
        De-identifies channel names.

    Returns
    -------
    trains : list of Train
        In the order of the discharges table.
    """
    dis = analysis.discharges
    spikes = _group(_table(analysis, "spikes"), "unit")
    templates = _group(_table(analysis, "templates"), "unit")
    out = []
    for i, row in enumerate(dis.to_dict("records")):
        row = {**row, "channel": scrub(row["channel"])}
        uid = row.get("unit")
        uid = int(uid) if uid is not None and not pd.isna(uid) else None
        if uid in spikes:
            sp = spikes[uid].sort_values("time_s")
            times = sp["time_s"].to_numpy(float)
            amps = sp["amplitude_uv"].to_numpy(float)
            source = SORTED
        else:
            times, amps = _redetect(emg, row)
            source = RE_DETECTED
        if uid in templates:
            tp = templates[uid].sort_values("time_ms")
            template = (tp["time_ms"].to_numpy(float), tp["mean_uv"].to_numpy(float),
                        tp["sd_uv"].to_numpy(float))
        else:
            template = _waveform(emg, row, times)
        out.append(Train(row["channel"], unit_label(row, i), str(row.get("kind", "other")),
                         float(row["start_s"]), float(row["end_s"]), times, amps, template,
                         source))
    return out


def trial_of(row):
    """The train's trial number, or None."""
    k = row.get("trial")
    try:
        return None if k is None or pd.isna(k) or not math.isfinite(float(k)) else int(k)
    except (TypeError, ValueError):
        return None


__all__ = ["RE_DETECTED", "SORTED", "trial_of", "unit_label", "unit_trains"]
