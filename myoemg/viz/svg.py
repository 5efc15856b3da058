"""A small vector-figure writer for the report: panels, lines, bands, spans, markers, text.

The report draws a dozen figures per grip; matplotlib spends ~95 % of a figure's time laying
out ticks and text, so the report writes SVG itself: each figure is a list of shapes in pixel
coordinates, each panel a nested ``<svg>`` that clips what is drawn inside it (no ids needed,
so any number of figures can sit in one page). Every string is XML-escaped here; the output
holds no URL, script or external reference. Data are mapped to pixels with numpy in one pass
per shape; the caller decimates long traces first (:func:`myoemg.viz.decimate.minmax_bins`).
"""

from __future__ import annotations

import math
from html import escape

import numpy as np

#: Default text and axis colours.
INK = "#222222"
GRID = "#e6e6e6"
AXIS = "#888888"


def nice_ticks(lo, hi, n=5):
    """Tick positions at 1, 2 or 5 × 10^k steps covering [lo, hi] with about ``n`` ticks.

    Returns
    -------
    ticks : ndarray
    """
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return np.array([lo]) if math.isfinite(lo) else np.zeros(0)
    raw = (hi - lo) / max(n, 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = np.arange(first, hi + step * 1e-9, step)
    return np.round(ticks, 12)


def tick_label(value, step):
    """A tick label with as many decimals as the step needs."""
    decimals = max(0, -int(math.floor(math.log10(step))) if step > 0 else 0)
    if step > 0 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1
    text = f"{value:.{decimals}f}"
    return "0" if text.strip("-0.") == "" else text


#: Shapes with many points are written in tenths of a pixel as integers (formatting floats
#: one by one costs more than the rest of a figure) inside a group scaled by 1/10.
_TENTHS = '<g transform="scale(0.1)">'


def _points(px, py):
    """'x y x y ...' in integer tenths of a pixel (NaN pairs dropped)."""
    ok = np.isfinite(px) & np.isfinite(py)
    xy = np.column_stack([px[ok], py[ok]])
    xy = np.clip(np.rint(xy * 10), -1e8, 1e8).astype(np.int64)
    return " ".join(map(str, xy.ravel().tolist()))


def _style(color, width=None, dash=None, opacity=None, fill="none"):
    out = f'fill="{fill}" stroke="{color}"'
    if width is not None:
        out += f' stroke-width="{width:g}"'
    if dash:
        out += f' stroke-dasharray="{dash}"'
    if opacity is not None:
        out += f' opacity="{opacity:g}"'
    return out


class Panel:
    """One plot area: data limits, axes, ticks and the shapes drawn in it.

    Parameters
    ----------
    x, y, w, h : float
        Position and size in the figure, px.
    xlim, ylim : (float, float)
        Data limits.
    """

    def __init__(self, x, y, w, h, xlim, ylim, *, xlabel=None, ylabel=None, title=None,
                 xticks=True, yticks=True, grid=True, yright=None):
        self.x, self.y, self.w, self.h = float(x), float(y), float(w), float(h)
        self.xlim = tuple(float(v) for v in xlim)
        self.ylim = tuple(float(v) for v in ylim)
        if self.xlim[1] <= self.xlim[0]:
            self.xlim = (self.xlim[0] - 0.5, self.xlim[0] + 0.5)
        if self.ylim[1] <= self.ylim[0]:
            self.ylim = (self.ylim[0] - 1.0, self.ylim[0] + 1.0)
        self.xlabel, self.ylabel, self.title = xlabel, ylabel, title
        self.xticks, self.yticks, self.grid = xticks, yticks, grid
        self.yright = yright  # (ylim, label, color) of a second y axis on the right
        self._inside, self._outside = [], []

    # -- coordinates ------------------------------------------------------------------------
    def sx(self, v):
        """Data x → px inside the panel."""
        return (np.asarray(v, float) - self.xlim[0]) * (self.w / (self.xlim[1] - self.xlim[0]))

    def sy(self, v, ylim=None):
        """Data y → px inside the panel (top = 0)."""
        lo, hi = ylim or self.ylim
        return self.h - (np.asarray(v, float) - lo) * (self.h / (hi - lo))

    # -- shapes (data coordinates, clipped to the panel) ------------------------------------
    def line(self, x, y, color=INK, width=1.0, dash=None, opacity=None, ylim=None):
        """A polyline."""
        pts = _points(self.sx(x), self.sy(y, ylim))
        if pts:
            dash = " ".join(str(10 * float(d)) for d in dash.split()) if dash else None
            self._inside.append(f'{_TENTHS}<polyline points="{pts}" '
                                f'{_style(color, 10 * width, dash, opacity)} '
                                'stroke-linejoin="round"/></g>')

    def band(self, x, lo, hi, color="#444444", opacity=None):
        """A filled band between ``lo`` and ``hi`` (e.g. a min/max envelope or mean ± SD)."""
        x = np.asarray(x, float)
        px = np.concatenate([self.sx(x), self.sx(x[::-1])])
        py = np.concatenate([self.sy(hi), self.sy(np.asarray(lo, float)[::-1])])
        pts = _points(px, py)
        if pts:
            op = f' fill-opacity="{opacity:g}"' if opacity is not None else ""
            self._inside.append(f'{_TENTHS}<polygon points="{pts}" fill="{color}"{op} '
                                'stroke="none"/></g>')

    def vspan(self, x0, x1, color, opacity=0.2):
        """A shaded time span over the whole height."""
        a, b = float(self.sx(x0)), float(self.sx(x1))
        self._inside.append(f'<rect x="{a:.1f}" y="0" width="{max(b - a, 0.8):.1f}" '
                            f'height="{self.h:.1f}" fill="{color}" fill-opacity="{opacity:g}"/>')

    def hspan(self, y0, y1, color, opacity=0.15):
        """A shaded band of y values over the whole width."""
        a, b = float(self.sy(y1)), float(self.sy(y0))
        self._inside.append(f'<rect x="0" y="{a:.1f}" width="{self.w:.1f}" '
                            f'height="{max(b - a, 0.0):.1f}" fill="{color}" '
                            f'fill-opacity="{opacity:g}"/>')

    def vline(self, x, color=INK, width=1.0, dash=None, opacity=None):
        """Vertical line(s) at ``x``."""
        for px in np.atleast_1d(self.sx(x)):
            if np.isfinite(px):
                self._inside.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="0" '
                                    f'y2="{self.h:.1f}" {_style(color, width, dash, opacity)}/>')

    def hline(self, y, color=INK, width=1.0, dash=None, opacity=None):
        """Horizontal line(s) at ``y``."""
        for py in np.atleast_1d(self.sy(y)):
            if np.isfinite(py):
                self._inside.append(f'<line x1="0" x2="{self.w:.1f}" y1="{py:.1f}" '
                                    f'y2="{py:.1f}" {_style(color, width, dash, opacity)}/>')

    def markers(self, x, y, color=INK, size=3.0, shape="circle", fill=None, ylim=None):
        """Markers at (x, y): 'circle', 'square', 'tick' (vertical bar) or 'triangle'."""
        px, py = self.sx(x), self.sy(y, ylim)
        ok = np.isfinite(px) & np.isfinite(py)
        fill = color if fill is None else fill
        r = size
        paths = []
        for a, b in zip(px[ok], py[ok], strict=True):
            if shape == "tick":
                paths.append(f"M{a:.1f} {b - r:.1f}v{2 * r:.1f}")
            elif shape == "square":
                paths.append(f"M{a - r:.1f} {b - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}z")
            elif shape == "triangle":
                paths.append(f"M{a - r:.1f} {b - r:.1f}h{2 * r:.1f}l{-r:.1f} {1.7 * r:.1f}z")
            else:
                paths.append(f"M{a - r:.1f} {b:.1f}a{r:g} {r:g} 0 1 0 {2 * r:.1f} 0"
                             f"a{r:g} {r:g} 0 1 0 {-2 * r:.1f} 0")
        if paths:
            width = 1.2 if shape == "tick" else 1.0
            self._inside.append(f'<path d="{"".join(paths)}" fill="{fill}" stroke="{color}" '
                                f'stroke-width="{width:g}"/>')

    def text(self, x, y, s, *, color=INK, size=11, anchor="start", baseline="auto",
             weight=None, ylim=None, inside=True):
        """Text at data (x, y); ``inside=False`` lets it overflow the panel's clip."""
        px, py = float(self.sx(x)), float(self.sy(y, ylim))
        self.text_px(px, py, s, color=color, size=size, anchor=anchor, baseline=baseline,
                     weight=weight, inside=inside)

    def text_px(self, px, py, s, *, color=INK, size=11, anchor="start", baseline="auto",
                weight=None, inside=True):
        """Text at panel pixel (px, py)."""
        w = f' font-weight="{weight}"' if weight else ""
        el = (f'<text x="{px:.1f}" y="{py:.1f}" font-size="{size:g}" fill="{color}" '
              f'text-anchor="{anchor}" dominant-baseline="{baseline}"{w}>{escape(str(s))}'
              "</text>")
        if inside:
            self._inside.append(el)
        else:
            self._outside.append(f'<g transform="translate({self.x:.1f},{self.y:.1f})">{el}</g>')

    # -- output -----------------------------------------------------------------------------
    def _axes(self):
        out = []
        x0, y0, w, h = self.x, self.y, self.w, self.h
        if self.xticks:
            ticks = nice_ticks(*self.xlim, n=max(4, int(w // 90)))
            step = float(np.diff(ticks).min()) if ticks.size > 1 else 1.0
            for t in ticks:
                px = x0 + float(self.sx(t))
                if self.grid:
                    out.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{y0:.1f}" '
                               f'y2="{y0 + h:.1f}" stroke="{GRID}"/>')
                out.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{y0 + h:.1f}" '
                           f'y2="{y0 + h + 4:.1f}" stroke="{AXIS}"/>')
                out.append(f'<text x="{px:.1f}" y="{y0 + h + 15:.1f}" font-size="10" '
                           f'fill="{INK}" text-anchor="middle">{tick_label(t, step)}</text>')
        if self.yticks:
            out += self._yaxis(self.ylim, x0, left=True, grid=self.grid)
        if self.yright is not None:
            ylim, label, color = self.yright
            out += self._yaxis(ylim, x0 + w, left=False, grid=False, color=color)
            out.append(self._ylabel(label, x0 + w + 44, color, rotate=90))
        out.append(f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{w:.1f}" height="{h:.1f}" '
                   f'fill="none" stroke="{AXIS}"/>')
        if self.xlabel:
            out.append(f'<text x="{x0 + w / 2:.1f}" y="{y0 + h + 30:.1f}" font-size="11" '
                       f'fill="{INK}" text-anchor="middle">{escape(self.xlabel)}</text>')
        if self.ylabel:
            out.append(self._ylabel(self.ylabel, x0 - 42, INK, rotate=-90))
        if self.title:
            out.append(f'<text x="{x0:.1f}" y="{y0 - 6:.1f}" font-size="12" fill="{INK}" '
                       f'font-weight="600">{escape(self.title)}</text>')
        return out

    def _ylabel(self, label, px, color, rotate):
        cy = self.y + self.h / 2
        return (f'<text transform="translate({px:.1f},{cy:.1f}) rotate({rotate})" '
                f'font-size="11" fill="{color}" text-anchor="middle">{escape(label)}</text>')

    def _yaxis(self, ylim, px0, *, left, grid, color=INK):
        out = []
        ticks = nice_ticks(*ylim, n=max(2, int(self.h // 35)))
        step = float(np.diff(ticks).min()) if ticks.size > 1 else 1.0
        for t in ticks:
            py = self.y + float(self.sy(t, ylim))
            if grid:
                out.append(f'<line x1="{self.x:.1f}" x2="{self.x + self.w:.1f}" y1="{py:.1f}" '
                           f'y2="{py:.1f}" stroke="{GRID}"/>')
            d = -4 if left else 4
            out.append(f'<line x1="{px0:.1f}" x2="{px0 + d:.1f}" y1="{py:.1f}" y2="{py:.1f}" '
                       f'stroke="{AXIS}"/>')
            out.append(f'<text x="{px0 + 2 * d:.1f}" y="{py + 3.5:.1f}" font-size="10" '
                       f'fill="{color}" text-anchor="{"end" if left else "start"}">'
                       f"{tick_label(t, step)}</text>")
        return out

    def svg(self):
        """The panel as SVG elements (axes under the data, data clipped to the panel)."""
        body = "".join(self._inside)
        return ("".join(self._axes())
                + f'<svg x="{self.x:.1f}" y="{self.y:.1f}" width="{self.w:.1f}" '
                  f'height="{self.h:.1f}" overflow="hidden">{body}</svg>'
                + "".join(self._outside))


class Figure:
    """A figure of ``width`` × ``height`` px made of panels and free text.

    Parameters
    ----------
    width, height : float
        Size in px (the SVG scales to its container; text stays vector in print).
    label : str
        What the figure shows, in words (``aria-label`` and ``<title>``).
    """

    def __init__(self, width, height, label):
        self.width, self.height, self.label = float(width), float(height), str(label)
        self.panels, self._free = [], []

    def panel(self, *args, **kwargs):
        """Add and return a :class:`Panel` (arguments as for :class:`Panel`)."""
        p = Panel(*args, **kwargs)
        self.panels.append(p)
        return p

    def text(self, px, py, s, *, color=INK, size=11, anchor="start", weight=None):
        """Text at figure pixel (px, py)."""
        w = f' font-weight="{weight}"' if weight else ""
        self._free.append(f'<text x="{px:.1f}" y="{py:.1f}" font-size="{size:g}" '
                          f'fill="{color}" text-anchor="{anchor}"{w}>{escape(str(s))}</text>')

    def legend(self, px, py, items, *, size=11, step=None):
        """A row of legend entries ``(label, color, kind)``, kind 'line', 'band' or 'dot'."""
        x = px
        for label, color, kind in items:
            if kind == "band":
                self._free.append(f'<rect x="{x:.1f}" y="{py - 8:.1f}" width="16" height="9" '
                                  f'fill="{color}" fill-opacity="0.35"/>')
            elif kind == "dot":
                self._free.append(f'<circle cx="{x + 8:.1f}" cy="{py - 4:.1f}" r="3.5" '
                                  f'fill="{color}"/>')
            elif kind == "dash":
                self._free.append(f'<line x1="{x:.1f}" x2="{x + 16:.1f}" y1="{py - 4:.1f}" '
                                  f'y2="{py - 4:.1f}" stroke="{color}" stroke-width="1.5" '
                                  'stroke-dasharray="4 3"/>')
            else:
                self._free.append(f'<line x1="{x:.1f}" x2="{x + 16:.1f}" y1="{py - 4:.1f}" '
                                  f'y2="{py - 4:.1f}" stroke="{color}" stroke-width="2"/>')
            self.text(x + 21, py, label, size=size)
            x += 21 + (step or (6.3 * len(label) + 18))
        return x

    def to_svg(self):
        """The figure as one ``<svg>`` element (inline SVG: no XML header, no namespace URL)."""
        body = "".join(p.svg() for p in self.panels) + "".join(self._free)
        label = escape(self.label)
        return (f'<svg viewBox="0 0 {self.width:.0f} {self.height:.0f}" role="img" '
                f'aria-label="{label}" class="fig" font-family="inherit">'
                f"<title>{label}</title>{body}</svg>")


__all__ = ["Figure", "Panel", "nice_ticks", "tick_label"]
