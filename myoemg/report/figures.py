"""The report's figures from an analysis: windows cut, EMG decimated, SVG drawn by myoemg.viz.

Each figure slices only its own time window from the displayed EMG and the force and reduces
it to min/max per pixel column (:func:`myoemg.viz.decimate.minmax_bins`), so drawing costs the
same for a 10-s and a 10-min recording.
"""

from __future__ import annotations

import math

import numpy as np

from ..viz.decimate import minmax_bins, time_slice
from ..viz.svg_session import per_trial_svg, relaxation_overlay_svg
from ..viz.svg_trial import emg_limit_uv, trial_svg
from ..viz.svg_units import discharge_svg, raster_svg
from ..viz.traces import EmgTrace, ForceTrace
from .tables import force_column

#: Pixel columns of a decimated trace (about the panel width of the figures).
N_BINS = 900
#: Seconds shown before a grip's onset and after the end of its relaxation (ours).
PAD_S = 0.8
#: EMG this long after release is the "after" part whose range sets the y axis (ours: the
#: voluntary interference stops within ~0.1 s of the release).
AFTER_DELAY_S = 0.15


def _finite(v):
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def emg_trace(emg, i, t0, t1, *, after_s=None):
    """The decimated, filtered EMG of channel ``i`` in ``[t0, t1]`` (µV), with its y range."""
    t, x = emg.window(i, t0, t1)
    x_uv = 1e6 * x
    after = t > after_s if after_s is not None else np.ones(t.size, bool)
    limit, peak = emg_limit_uv(x_uv, after)
    centre, lo, hi = minmax_bins(x_uv, N_BINS)
    tc = t[0] + centre / emg.fs if t.size else centre
    return EmgTrace(emg.names[i], tc, lo, hi, limit, peak)


def force_trace(channel, row, t0, t1, unit):
    """The decimated force in ``[t0, t1]`` with the trial's baseline and reference level."""
    a, b = time_slice(channel.start_s, channel.fs, channel.n_times, t0, t1)
    f = np.asarray(channel.data[a:b], float)
    centre, lo, hi = minmax_bins(f, N_BINS)
    t = channel.start_s + (a + centre) / channel.fs
    return ForceTrace(t, lo, hi, unit, float(row.get("baseline", 0.0)), float(row["reference"]))


def levels(row, frame):
    """Baseline and reference level of a trial row, in the force column's unit."""
    peak, _ = force_column(frame)
    base, _ = force_column(frame, "baseline")
    ref, _ = force_column(frame, "reference")
    return (float(row[base]) if base else 0.0,
            float(row[ref]) if ref and _finite(row.get(ref)) else
            float(row[peak]) if peak else float("nan"))


def trial_window(row, trains):
    """(t0, t1) of a trial's figure: onset − pad to the end of relaxation or discharges + pad."""
    ends = [row.get("t5_s"), row.get("myotonic_end_s"),
            row["release_s"] + row["after_activity_s"] if _finite(row.get("after_activity_s"))
            else None] + [tn.end_s for tn in trains]
    end = max([float(e) for e in ends if _finite(e)] or [row["release_s"] + 2.0])
    t1 = min(end + PAD_S, row["window_end_s"]) if _finite(row.get("window_end_s")) else end
    return float(row["onset_s"]) - PAD_S, float(max(t1, row["release_s"] + 1.0))


def trial_figure(row, trials, force_ch, emg, trains):
    """SVG of one trial: force with levels and crossings, filtered EMG below."""
    t0, t1 = trial_window(row, trains)
    _, unit = force_column(trials)
    force = None
    if force_ch is not None:
        base, ref = levels(row, trials)
        force = force_trace(force_ch, {"baseline": base, "reference": ref}, t0, t1, unit)
    traces = [] if emg is None else [
        emg_trace(emg, i, t0, t1, after_s=row["release_s"] + AFTER_DELAY_S)
        for i in range(len(emg.names))]
    k = int(row["trial"])
    peak = row.get(force_column(trials)[0])
    rt = row.get("rt90_5_s")
    if row.get("grip_from") == "emg":  # no force (relaxed is NA): no relaxation to speak of
        head = f"trial {k}: grip found from the EMG (no force)"
    elif row.get("relaxed") and _finite(rt):
        head = f"trial {k}: RT90-5 {rt:.2f} s"
    else:
        head = f"trial {k}: did not relax within the window"
    if _finite(peak):
        head += f", peak force {peak:.0f} {unit}"
    return trial_svg(row, force, traces, trains, (t0, t1), title=head)


def emg_overview(emg, trains, title):
    """SVG of the whole EMG (EMG-only sessions) with the trains shaded."""
    t0, t1 = emg.start_s, emg.start_s + emg.data.shape[1] / emg.fs
    traces = [emg_trace(emg, i, t0, t1) for i in range(len(emg.names))]
    return trial_svg({}, None, traces, trains, (t0, t1), title=title)


def discharge_figure(train, emg, others, title):
    """SVG of one unit train's discharge view."""
    pad = max(0.05, 0.1 * (train.end_s - train.start_s))
    t0, t1 = train.start_s - pad, train.end_s + pad
    i = emg.index(train.channel) if emg is not None else None
    trace = emg_trace(emg, i, t0, t1, after_s=train.start_s - 0.005) if i is not None else None
    near = [o for o in others if o.channel == train.channel and o.end_s >= t0
            and o.start_s <= t1]
    return discharge_svg(train, trace, near, title=title, xlim=(t0, t1))


def trial_raster(row, trains):
    """SVG raster of a trial's units (None with fewer than two)."""
    if len(trains) < 2:
        return None
    t0 = float(row["release_s"]) - 0.2
    t1 = max(tn.end_s for tn in trains) + 0.2
    return raster_svg(trains, release_s=float(row["release_s"]), xlim=(t0, t1),
                      title=f"trial {int(row['trial'])}: units after release")


def relaxation_curves(trials, force_ch):
    """(trial, time from release s, normalised force) of each trial, for the overlay."""
    curves = []
    if force_ch is None:
        return curves
    follow = (trials["t5_s"] - trials["release_s"]).to_numpy(float)
    span = float(np.nanmax(follow)) + 0.6 if np.isfinite(follow).any() else 3.0
    for row in trials.to_dict("records"):
        if not _finite(row.get("release_s")):
            continue
        base, ref = levels(row, trials)
        end = min(row["release_s"] + span, row.get("window_end_s") or np.inf)
        a, b = time_slice(force_ch.start_s, force_ch.fs, force_ch.n_times,
                          row["release_s"] - 0.3, end)
        step = max(1, (b - a) // 600)
        idx = np.arange(a, b, step)
        t = force_ch.start_s + idx / force_ch.fs - row["release_s"]
        curves.append((int(row["trial"]), t, (force_ch.data[idx] - base) / ref))
    return curves


def session_figures(trials, force_ch, grade):
    """SVGs of the relaxation overview: overlay, and RT and peak force per trial."""
    if not len(trials) or ("grip_from" in trials and (trials["grip_from"] == "emg").all()):
        return {}  # no grip, or grips found from the EMG: no relaxation to draw
    uln = grade.uln.uln_s if grade is not None else None
    t90 = (trials["t90_s"] - trials["release_s"]).to_numpy(float)
    offset = float(np.nanmedian(t90)) if np.isfinite(t90).any() else 0.0
    out = {}
    curves = relaxation_curves(trials, force_ch)
    if curves:
        out["overlay"] = relaxation_overlay_svg(curves, uln_s=uln, t90_after_release_s=offset,
                                                title="Relaxation curves, all trials")
    rt = trials["rt90_5_s"].to_numpy(float)
    relaxed = trials["relaxed"].to_numpy(bool)
    lower = np.where(~relaxed, (trials["window_end_s"] - trials["t90_s"]).to_numpy(float),
                     np.nan)
    peak, unit = force_column(trials)
    force = trials[peak].to_numpy(float) if peak else np.full(len(trials), np.nan)
    sag = trials["sag_pct"].to_numpy(float) if "sag_pct" in trials else None
    if not (np.isfinite(rt).any() or np.isfinite(force).any()):
        return out  # no force (an EMG-only session): nothing to draw per trial
    out["per_trial"] = per_trial_svg(trials["trial"].to_numpy(int), rt, lower, force,
                                     unit or "?", uln_s=uln,
                                     sag_pct=sag, title="Per trial")
    return out


__all__ = ["discharge_figure", "emg_overview", "session_figures", "trial_figure",
           "trial_raster"]
