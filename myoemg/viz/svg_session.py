"""The report's session figures: relaxation curves overlaid, RT and peak force per trial."""

from __future__ import annotations

import math

import numpy as np

from .svg import Figure
from .traces import LEVEL_COLORS, sequential_color

WIDTH = 1000
ULN_COLOR = "#c62828"
NORMAL_COLOR = "#2a9d8f"


def relaxation_overlay_svg(curves, *, uln_s=None, t90_after_release_s=0.0, title):
    """All relaxation curves aligned on release, normalised to their reference level.

    Parameters
    ----------
    curves : list of (int, ndarray, ndarray)
        ``(trial, time from release s, force / reference level)`` per trial (0 = baseline,
        1 = the level the 90 / 50 / 5 % refer to).
    uln_s : float | None
        ULN of RT90-5, s: marked where a normal relaxation must have reached 5 %, i.e. at the
        typical 90 % crossing + ULN.
    t90_after_release_s : float
        Typical time from release to the 90 % crossing, s.
    title : str
        Figure title.

    Returns
    -------
    svg : str
    """
    n = len(curves)
    t_max = max([float(np.nanmax(t)) for _, t, _ in curves if len(t)] or [1.0])
    xlim = (-0.3, t_max)
    fig = Figure(WIDTH, 330, f"{title}: normalised force against time from release")
    p = fig.panel(70, 34, 640, 250, xlim, (-0.05, 1.12), xlabel="time from release (s)",
                  ylabel="force / reference level", title=title)
    for pct in (90, 50, 5):
        p.hline(pct / 100, color=LEVEL_COLORS[pct], dash="3 3")
        p.text_px(p.w - 4, float(p.sy(pct / 100)) - 3, f"{pct} %", color=LEVEL_COLORS[pct],
                  size=10, anchor="end")
    p.vline(0.0, color="#000000", dash="5 3", opacity=0.7)
    if uln_s is not None and math.isfinite(uln_s):
        x_uln = t90_after_release_s + uln_s
        p.vline(x_uln, color=ULN_COLOR, width=1.6)
        p.text(x_uln, 1.08, f" ULN {uln_s:.2f} s after the 90 % crossing", color=ULN_COLOR,
               size=10)
    for i, (_, t, y) in enumerate(curves):
        p.line(t, y, color=sequential_color(i, n), width=1.6)
    # legend: trial order colour scale
    x0, y0 = 740, 56
    fig.text(x0, y0 - 14, "trial (order)", size=11, weight="600")
    for i, (k, _, _) in enumerate(curves[:24]):
        yy = y0 + 14 * i
        fig._free.append(f'<rect x="{x0:.0f}" y="{yy - 8:.0f}" width="18" height="4" '
                         f'fill="{sequential_color(i, n)}"/>')
        fig.text(x0 + 24, yy - 3, f"trial {k}", size=10)
    if n > 24:
        fig.text(x0, y0 + 14 * 24, f"… {n - 24} more", size=10)
    return fig.to_svg()


def per_trial_svg(trials, rt, rt_lower, force, force_unit, *, uln_s=None, normal_text="",
                  sag_pct=None, title):
    """RT90-5 per trial against the normal range, and peak force (and sag) per trial.

    Parameters
    ----------
    trials : ndarray of int
        Trial numbers.
    rt : ndarray of float
        RT90-5 per trial, s (NaN when the trial did not relax).
    rt_lower : ndarray of float
        For trials that did not relax, the time followed (RT90-5 at least this), s; else NaN.
    force : ndarray of float
        Peak force above baseline per trial, in ``force_unit``.
    force_unit : str
        'N' or 'a.u.'.
    uln_s : float | None
        ULN of RT90-5 (the normal range 0–ULN is shaded).
    normal_text : str
        Where the normal range comes from (shown under the panel).
    sag_pct : ndarray of float | None
        Sag of each grip before the let-go, % (drawn when given).
    title : str
        Figure title.

    Returns
    -------
    svg : str
    """
    k = np.asarray(trials, float)
    xlim = (k.min() - 0.6, k.max() + 0.6) if k.size else (0.4, 1.6)
    fig = Figure(WIDTH, 320, f"{title}: RT90-5 and peak force per trial")
    vals = np.concatenate([rt[np.isfinite(rt)], rt_lower[np.isfinite(rt_lower)],
                           [uln_s] if uln_s else []])
    top = 1.15 * float(vals.max()) if vals.size else 1.0
    p = fig.panel(70, 34, 430, 220, xlim, (0, top), xlabel="trial", ylabel="RT90-5 (s)",
                  title="RT90-5 per trial")
    if uln_s is not None and math.isfinite(uln_s):
        p.hspan(0, uln_s, NORMAL_COLOR, opacity=0.16)
        p.hline(uln_s, color=ULN_COLOR, width=1.4)
        p.text_px(4, float(p.sy(uln_s)) - 4, f"ULN {uln_s:.2f} s", color=ULN_COLOR, size=10)
    p.line(k, rt, color=LEVEL_COLORS[90], width=1.6)
    p.markers(k, rt, color=LEVEL_COLORS[90], size=4)
    cens = np.isfinite(rt_lower)
    if cens.any():
        p.markers(k[cens], rt_lower[cens], color=LEVEL_COLORS[90], size=5, shape="triangle",
                  fill="#ffffff")
    if normal_text:
        fig.text(70, 300, normal_text, size=10, color="#555555")
    f = np.asarray(force, float)
    ftop = 1.15 * float(np.nanmax(f)) if np.isfinite(f).any() else 1.0
    q = fig.panel(570, 34, 400, 220, xlim, (0, ftop), xlabel="trial",
                  ylabel=f"peak force ({force_unit})", title="peak force per trial",
                  yright=((0, 50), "sag (%)", "#8a4b00") if sag_pct is not None else None)
    q.line(k, f, color="#555555", width=1.4)
    q.markers(k, f, color="#555555", size=4, shape="square")
    if sag_pct is not None:
        s = np.asarray(sag_pct, float)
        q.line(k, s, color="#8a4b00", width=1.2, dash="4 3", ylim=(0, 50))
        q.markers(k, s, color="#8a4b00", size=3, ylim=(0, 50))
    return fig.to_svg()


__all__ = ["per_trial_svg", "relaxation_overlay_svg"]
