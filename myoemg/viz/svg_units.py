"""The report's unit figures: one discharge view per unit train, and a raster of a trial's units.

A discharge view shows what a neurophysiologist checks before calling a train myotonic: the
filtered EMG of the train with the unit's potentials marked, its instantaneous firing rate and
amplitude against time (the waxing and waning "dive-bomber" course, docs: domain reference,
discharges) and the unit's mean potential with its spread.
"""

from __future__ import annotations

import numpy as np

from .svg import Figure
from .svg_trial import clip_marks
from .traces import kind_color

WIDTH = 1000
LEFT, COL_W, TOP = 74, 620, 30
RIGHT_X = LEFT + COL_W + 80


def _range(v, *, pad=0.08, zero=True):
    v = np.asarray(v, float)
    v = v[np.isfinite(v)]
    if not v.size:
        return (0.0, 1.0)
    lo = 0.0 if zero else float(v.min())
    hi = float(v.max())
    span = (hi - lo) or abs(hi) or 1.0
    return (lo - (0 if zero else pad * span), hi + pad * span)


def discharge_svg(train, trace, others, *, title, xlim=None):
    """Discharge view of one unit train.

    Parameters
    ----------
    train : Train
        The unit train (spike times, amplitudes, template).
    trace : EmgTrace | None
        Filtered EMG of the train's window on its channel.
    others : list of Train
        Other units on the same channel in the window (their spikes drawn in grey).
    title : str
        Figure title.
    xlim : (float, float) | None
        Time window, s (default: the train ± 10 % of its duration).

    Returns
    -------
    svg : str
    """
    if xlim is None:
        pad = max(0.05, 0.1 * (train.end_s - train.start_s))
        xlim = (train.start_s - pad, train.end_s + pad)
    color = kind_color(train.kind)
    fig = Figure(WIDTH, 456, f"{title}: EMG, firing rate, amplitude and mean potential")
    h_emg, h_small, gap = 130, 90, 40
    y = TOP - 8
    lim = trace.limit_uv if trace is not None else 1.0
    p = fig.panel(LEFT, y, COL_W, h_emg, xlim, (-lim, lim), ylabel="µV",
                  title=f"{train.channel} (filtered)" if trace is not None else train.channel)
    if trace is not None:
        p.band(trace.t, np.clip(trace.lo, -lim, lim), np.clip(trace.hi, -lim, lim),
               color="#303030")
        if trace.peak_uv > lim:
            clip_marks(p, trace.t, trace.lo, trace.hi, lim)
    for o in others:
        p.markers(o.spike_times_s, np.full(len(o.spike_times_s), 0.86 * lim), color="#9e9e9e",
                  size=4, shape="tick")
    p.markers(train.spike_times_s, np.full(len(train.spike_times_s), 0.93 * lim), color=color,
              size=3, shape="triangle")
    y += h_emg + gap
    t_mid, rate = train.rates()
    p = fig.panel(LEFT, y, COL_W, h_small, xlim, _range(rate), ylabel="rate (Hz)",
                  title="instantaneous firing rate (1 / interval)")
    p.line(t_mid, rate, color=color, width=1.4)
    p.markers(t_mid, rate, color=color, size=2.2)
    y += h_small + gap
    p = fig.panel(LEFT, y, COL_W, h_small, xlim, _range(train.amplitudes_uv),
                  ylabel="µV p-p", xlabel="time (s)", title="amplitude of each potential")
    p.line(train.spike_times_s, train.amplitudes_uv, color=color, width=1.4)
    p.markers(train.spike_times_s, train.amplitudes_uv, color=color, size=2.2)
    _template_panel(fig, train, color)
    return fig.to_svg()


def _template_panel(fig, train, color):
    top, h = TOP - 8, 300
    w = WIDTH - RIGHT_X - 18
    if train.template is None:
        p = fig.panel(RIGHT_X, top, w, h, (0, 1), (0, 1), title="mean potential",
                      xticks=False, yticks=False, grid=False)
        p.text_px(w / 2, h / 2, "no waveform", anchor="middle", color="#777777")
        return
    t_ms, mean, sd = (np.asarray(a, float) for a in train.template)
    lo, hi = mean - sd, mean + sd
    yl = _range(np.concatenate([lo, hi]), zero=False)
    p = fig.panel(RIGHT_X, top, w, h, (float(t_ms.min()), float(t_ms.max())), yl,
                  xlabel="time (ms)", ylabel="µV", title="mean potential ± SD")
    p.band(t_ms, lo, hi, color=color, opacity=0.25)
    p.line(t_ms, mean, color=color, width=1.8)
    p.hline(0.0, color="#777777", width=0.6)
    fig.text(RIGHT_X, top + h + 50, f"{len(train.spike_times_s)} potentials", size=11,
             color="#555555")


def raster_svg(trains, *, release_s, xlim, title):
    """Raster of the units of one trial: one row per unit train, a tick per potential.

    Parameters
    ----------
    trains : list of Train
        The trial's unit trains.
    release_s : float
        Release of the trial (dashed line), s.
    xlim : (float, float)
        Time window, s.
    title : str
        Figure title.

    Returns
    -------
    svg : str
    """
    n = len(trains)
    row_h = 22
    h = max(row_h * n, 40)
    fig = Figure(WIDTH, TOP + h + 52, f"{title}: spike raster of {n} units")
    labels = [f"{tn.unit} {tn.kind}, {tn.channel}" for tn in trains]
    # room for the longest label (about 6.2 px per character at 10 px), never cut
    label_w = int(np.clip(6.2 * max(map(len, labels), default=10) + 24, 140, 520))
    p = fig.panel(label_w, TOP, WIDTH - label_w - 24, h, xlim, (0, n), xlabel="time (s)",
                  yticks=False, title=title)
    p.vline(release_s, color="#000000", dash="5 3", opacity=0.8)
    for i, tn in enumerate(trains):
        yc = n - i - 0.5
        p.markers(tn.spike_times_s, np.full(len(tn.spike_times_s), yc),
                  color=kind_color(tn.kind), size=7, shape="tick")
        p.text_px(-8, float(p.sy(yc)) + 4, labels[i], anchor="end", size=10, inside=False)
    return fig.to_svg()


__all__ = ["discharge_svg", "raster_svg"]
