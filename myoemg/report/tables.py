"""Tables of the report: cells formatted, units in the headers, force unit from the column."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: Force columns by unit: newtons when calibrated, arbitrary units otherwise. A value in
#: arbitrary units is never labelled N.
FORCE_UNITS = (("_n", "N"), ("_au", "a.u."))


def force_column(frame, stem="peak_force"):
    """(column, unit label) of the force column present, e.g. ('peak_force_au', 'a.u.')."""
    for suffix, unit in FORCE_UNITS:
        if f"{stem}{suffix}" in frame.columns:
            return f"{stem}{suffix}", unit
    return None, None


def trial_columns(trials):
    """Trial-table columns shown, with headers carrying units; absent ones are skipped."""
    peak, unit = force_column(trials)
    cols = [("trial", "trial")]
    if peak and trials[peak].notna().any():  # no column of dashes when no grip has a force
        cols.append((peak, f"peak force ({unit})"))
    cols += [("sag_pct", "sag (%)"), ("rt90_5_s", "RT90-5 (s)"), ("rt90_50_s", "RT90-50 (s)"),
             ("rt50_5_s", "RT50-5 (s)"), ("relaxed", "relaxed"),
             ("after_activity_s", "after-activity (s)"), ("myotonic", "myotonic"),
             ("n_myotonic_units", "myotonic units"), ("discharge_count", "myotonic trains"),
             ("myotonic_start_s", "myotonic from (s)"), ("myotonic_end_s", "myotonic to (s)"),
             ("release_s", "release (s)")]
    return [(c, h) for c, h in cols if c in trials.columns]


#: Discharge-table columns shown (the reason, long text, is in each discharge view).
DISCHARGE_SHOW = [("trial", "trial"), ("channel", "channel"), ("unit", "unit"),
                  ("kind", "kind"), ("rule", "rule"), ("start_s", "start (s)"),
                  ("duration_s", "duration (s)"), ("n_spikes", "spikes"),
                  ("rate_start_hz", "rate start (Hz)"), ("rate_end_hz", "rate end (Hz)"),
                  ("rate_min_hz", "rate min (Hz)"), ("rate_max_hz", "rate max (Hz)"),
                  ("amplitude_min_uv", "amp. min (µV)"), ("amplitude_max_uv", "amp. max (µV)"),
                  ("rate_modulation", "rate mod."), ("amplitude_modulation", "amp. mod."),
                  ("score", "score")]
#: Features listed beside each discharge view (column, label).
FEATURES = [("kind", "kind"), ("rule", "rule that decided"), ("score", "score"),
            ("n_spikes", "potentials"), ("duration_s", "duration (s)"),
            ("rate_start_hz", "rate start (Hz)"), ("rate_max_hz", "rate max (Hz)"),
            ("rate_end_hz", "rate end (Hz)"), ("rate_min_hz", "rate min (Hz)"),
            ("rate_median_hz", "rate median (Hz)"), ("rate_modulation", "rate modulation"),
            ("amplitude_max_uv", "amplitude max (µV)"),
            ("amplitude_min_uv", "amplitude min (µV)"),
            ("amplitude_modulation", "amplitude modulation"), ("isi_cv", "interval CV"),
            ("isi_cv2", "interval CV2"), ("amplitude_cv2", "amplitude CV2"),
            ("amplitude_noise_cv2", "amplitude CV2 from noise"),
            ("waveform_similarity", "waveform similarity"),
            ("spike_duration_ms", "potential duration (ms)"), ("n_phases", "phases"),
            ("snr_median", "SNR (median)"), ("mains_locking", "mains locking")]
#: Quality columns merged into one cell of the trials table.
QUALITY_FLAGS = ("clipped", "gap_filled", "rt_flagged")


def fmt(value, digits=3):
    """A cell: numbers rounded, NaN/None as '–', booleans as yes/no."""
    if value is None or value is pd.NA:
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            return "–"
        if digits == 0 or (float(value).is_integer() and abs(value) >= 100):
            return f"{value:.0f}"
        return f"{value:.{digits}f}"
    return str(value)


def digits(column):
    """Decimals shown per column: 1 for Hz, µV, N, a.u. and %, 2 for ratios, 3 for seconds."""
    if column.endswith(("_hz", "_uv", "_n", "_au", "_pct", "_ms")):
        return 1
    if column.endswith("_s"):
        return 3
    if column in ("trial", "unit", "n_spikes", "n_phases", "n_myotonic_units",
                  "discharge_count"):
        return 0
    return 2


def cell(rec, column, scrub):
    """One formatted, de-identified cell."""
    value = rec.get(column)
    if isinstance(value, str):
        return scrub(value)
    if column == "unit" and value is not None and not pd.isna(value):
        return f"u{int(value)}"
    return fmt(value, digits(column))


def table(frame, columns, scrub, *, quality=False):
    """{'headers', 'rows'} of ``frame`` for the template; ``quality`` adds a flags column."""
    cols = [(c, h) for c, h in columns if c in frame.columns]
    rows = []
    for rec in frame.to_dict("records"):
        row = [cell(rec, c, scrub) for c, _ in cols]
        if quality:
            row.append(scrub(_flags(rec)))
        rows.append(row)
    headers = [h for _, h in cols] + (["quality"] if quality else [])
    return {"headers": headers, "rows": rows, "columns": [c for c, _ in cols]}


def _flags(rec):
    """The trial's quality flags in words ('' when none)."""
    out = [name.replace("_", " ") for name in QUALITY_FLAGS if rec.get(name) is True]
    if rec.get("rt_flag_reason"):
        out.append(str(rec["rt_flag_reason"]))
    q = rec.get("quality_flags")
    if isinstance(q, str) and q and q not in out:
        out.insert(0, q)
    return "; ".join(out) or "–"


__all__ = ["DISCHARGE_SHOW", "FEATURES", "cell", "digits", "fmt", "force_column", "table",
           "trial_columns"]
