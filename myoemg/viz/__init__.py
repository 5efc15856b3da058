"""Layer 5: matplotlib figures of an analysis (``ax=None`` in, figure out).

matplotlib is imported inside the functions, so ``import myoemg`` stays light on a headless
cluster. The figures hold no science: levels, crossings and discharges come from the tables of
:func:`myoemg.analyze`.
"""

from .trial import plot_trial
from .warmup import plot_warmup

__all__ = ["plot_trial", "plot_warmup"]
