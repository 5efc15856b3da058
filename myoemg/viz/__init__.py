"""Layer 5: figures of an analysis.

``plot_trial`` and ``plot_warmup`` are matplotlib figures for notebooks (``ax=None`` in,
figure out; matplotlib is imported inside the functions, so ``import myoemg`` stays light on a
headless cluster). The report's figures are inline SVG written by :mod:`myoemg.viz.svg` from
typed inputs (:mod:`myoemg.viz.traces`): the trial figure (:mod:`~myoemg.viz.svg_trial`), the
discharge view and unit raster (:mod:`~myoemg.viz.svg_units`) and the relaxation overview
(:mod:`~myoemg.viz.svg_session`). The figures hold no science: levels, crossings, discharges
and units come from the tables of :func:`myoemg.analyze`.
"""

from .trial import plot_trial
from .warmup import plot_warmup

__all__ = ["plot_trial", "plot_warmup"]
