"""The report's trial figure: force with its levels, filtered EMG per channel, as inline SVG."""

from __future__ import annotations

import math

import numpy as np

from .svg import Figure
from .traces import (
    AFTER_COLOR,
    CLIP_COLOR,
    LEVEL_COLORS,
    interleave,
    kind_color,
)

WIDTH = 1000
LEFT, RIGHT, TOP = 78, 24, 34
FORCE_H, EMG_H, GAP = 150, 110, 30
MAX_LANES = 6


def _finite(v):
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def clip_marks(panel, t, lo, hi, limit):
    """Red bars along the top / bottom edge where the trace leaves the y range."""
    for mask, y in ((hi > limit, 0.0), (lo < -limit, panel.h - 3.0)):
        if not mask.any():
            continue
        mask = _close_gaps(mask, 8)
        d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
        starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1
        for a, b in zip(starts, ends, strict=True):
            x0, x1 = float(panel.sx(t[a])), float(panel.sx(t[b]))
            # fade what is beyond the scale, so a clipped contraction does not read as data
            panel._inside.append(f'<rect x="{x0:.1f}" y="0" width="{max(x1 - x0, 0.0) + 1:.1f}" '
                                 f'height="{panel.h:.1f}" fill="#ffffff" fill-opacity="0.55"/>')
            panel._inside.append(f'<rect x="{x0 - 0.5:.1f}" y="{y:.1f}" '
                                 f'width="{max(x1 - x0, 0.0) + 1:.1f}" height="3" '
                                 f'fill="{CLIP_COLOR}"/>')


def _close_gaps(mask, n):
    """``mask`` with runs of False shorter than ``n`` between two True runs filled."""
    idx = np.flatnonzero(mask)
    out = mask.copy()
    gaps = np.flatnonzero((np.diff(idx) > 1) & (np.diff(idx) <= n))
    for g in gaps:
        out[idx[g]:idx[g + 1]] = True
    return out


def _lanes(panel, trains):
    """One thin bar per unit train along the bottom of an EMG panel, labelled by unit."""
    for i, tn in enumerate(trains):
        lane = i % MAX_LANES
        a, b = float(panel.sx(tn.start_s)), float(panel.sx(tn.end_s))
        y = panel.h - 6.0 * (lane + 1)
        color = kind_color(tn.kind)
        panel._inside.append(f'<rect x="{a:.1f}" y="{y:.1f}" width="{max(b - a, 1.0):.1f}" '
                             f'height="4" fill="{color}"/>')
        panel.text_px(b + 3, y + 4.5, tn.unit, color=color, size=9)


def _force_panel(fig, tr, force, xlim, y0, title):
    w = WIDTH - LEFT - RIGHT
    top = max(float(np.nanmax(force.hi)), force.baseline + force.reference)
    bottom = min(float(np.nanmin(force.lo)), force.baseline)
    pad = 0.06 * (top - bottom or 1.0)
    p = fig.panel(LEFT, y0, w, FORCE_H, xlim, (bottom - pad, top + pad),
                  ylabel=f"force ({force.unit})", title=title, xticks=True)
    _marks(p, tr)
    tt, yy = interleave(force.t, force.lo, force.hi)
    p.line(tt, yy, color="#111111", width=1.2)
    for pct in (90, 50, 5):
        level = force.baseline + pct / 100 * force.reference
        color = LEVEL_COLORS[pct]
        p.hline(level, color=color, dash="3 3")
        p.text_px(4, float(p.sy(level)) - 3, f"{pct} %", color=color, size=10)
        cross = tr.get({90: "t90_s", 50: "t50_s", 5: "t5_s"}[pct])
        if _finite(cross):
            p.markers([cross], [level], color=color, size=4)
    return p


def _marks(panel, tr):
    """Release (dashed), the search window after it and the after-activity span."""
    rel = tr.get("release_s")
    if not _finite(rel):
        return
    after = tr.get("after_activity_s")
    if _finite(after) and after > 0:
        panel.vspan(rel, rel + after, AFTER_COLOR, opacity=0.16)
    panel.vline(rel, color="#000000", width=1.0, dash="5 3", opacity=0.8)


def uv_label(value_uv):
    """A µV value for a label: whole µV from 10 µV, else two significant digits."""
    return f"{value_uv:.0f}" if abs(value_uv) >= 10 else f"{value_uv:.2g}"


def _emg_panel(fig, tr, trace, trains, xlim, y0, last):
    w = WIDTH - LEFT - RIGHT
    lim = trace.limit_uv
    clipped = trace.peak_uv > lim
    title = f"{trace.name} (filtered, µV)"
    p = fig.panel(LEFT, y0, w, EMG_H, xlim, (-lim, lim), ylabel="µV", title=title,
                  xlabel="time (s)" if last else None)
    _marks(p, tr)
    mine = [tn for tn in trains if tn.channel == trace.name
            and tn.end_s >= xlim[0] and tn.start_s <= xlim[1]]
    p.band(trace.t, np.clip(trace.lo, -lim, lim), np.clip(trace.hi, -lim, lim),
           color="#303030")
    if clipped:
        clip_marks(p, trace.t, trace.lo, trace.hi, lim)
        p.text_px(p.w - 4, 12, f"clipped at ±{uv_label(lim)} µV "
                  f"(peak {uv_label(trace.peak_uv)} µV)",
                  color=CLIP_COLOR, size=10, anchor="end")
    _lanes(p, mine)
    return p


def trial_svg(tr, force, emg, trains, xlim, *, title):
    """Force and filtered EMG of one trial.

    Parameters
    ----------
    tr : dict
        The trial's row (``release_s``, ``t90_s``, ``t50_s``, ``t5_s``, ``after_activity_s``).
    force : ForceTrace | None
        The force of the window, or None (EMG only).
    emg : list of EmgTrace
        One per EMG channel, filtered and decimated.
    trains : list of Train
        Unit trains, drawn as bars along the bottom of their channel (coloured by kind).
    xlim : (float, float)
        Time window, s.
    title : str
        Title of the force panel.

    Returns
    -------
    svg : str
        One ``<svg>`` element.
    """
    n_emg = len(emg)
    height = TOP + (FORCE_H + GAP if force is not None else 0) + n_emg * (EMG_H + GAP) + 14
    fig = Figure(WIDTH, height, f"{title}: force and filtered EMG")
    y = TOP
    if force is not None:
        _force_panel(fig, tr, force, xlim, y, title)
        y += FORCE_H + GAP
    for i, trace in enumerate(emg):
        _emg_panel(fig, tr, trace, trains, xlim, y, last=i == n_emg - 1)
        y += EMG_H + GAP
    return fig.to_svg()


def emg_limit_uv(x_uv, after, *, floor_sd=8.0, margin=1.4):
    """Half-range of an EMG axis that shows the activity after release in full.

    The largest ``|EMG|`` after release (``after`` selects those samples) times ``margin``,
    and at least ``floor_sd`` robust noise SDs; never more than the window's own peak. The
    contraction, an order of magnitude larger on surface EMG, is then clipped and marked
    (ours: the after-activity is what the reader looks for).

    Parameters
    ----------
    x_uv : ndarray, shape (n_times,)
        Filtered EMG of the window, µV.
    after : ndarray of bool, shape (n_times,)
        Samples after release.
    floor_sd : float
        Smallest half-range, in robust noise SDs of those samples.
    margin : float
        Factor on their largest ``|EMG|``.

    Returns
    -------
    limit_uv, peak_uv : float
    """
    x_uv = np.asarray(x_uv, float)
    peak = float(np.max(np.abs(x_uv))) if x_uv.size else 1.0
    seg = x_uv[after] if np.count_nonzero(after) > 10 else x_uv
    if not seg.size:
        return max(peak, 1e-3), max(peak, 1e-3)
    noise = float(np.median(np.abs(seg))) / 0.6745
    lim = max(margin * float(np.max(np.abs(seg))), floor_sd * noise, 1e-3)
    return min(lim, max(peak, 1e-3) * 1.05), peak


__all__ = ["clip_marks", "emg_limit_uv", "trial_svg"]
