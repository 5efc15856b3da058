"""myoemg: quantify myotonia from grip-relaxation recordings.

Relaxation times (RT90-5, RT90-50, RT50-5) from the force trace, myotonic discharges from the
EMG, and the warm-up across trials.

``import myoemg`` is light: it loads no NumPy, SciPy, pandas, MNE, matplotlib or Dask. The
functions and classes below and the subpackages load on first use (PEP 562 ``__getattr__``, as
SciPy and scikit-image do), so ``myoemg.read``, ``myoemg.sim`` or ``myoemg.signal.bandpass``
work without importing anything first, and a command line or a worker process pays only for
what it uses.
"""

import importlib

from ._version import __version__

TYPE_CHECKING = False  # as typing.TYPE_CHECKING (mypy and pyright read it), without typing

#: Public names defined in a submodule: name -> module that defines it.
_ATTRIBUTES = {
    "read": "myoemg.io",
    "analyze": "myoemg.pipeline",
    "Analysis": "myoemg.results",
    "Recording": "myoemg.recording",
    "Channel": "myoemg.recording",
    "MyoemgError": "myoemg.utils",
    "batch": "myoemg.batching",
}
#: Subpackages and modules reachable as attributes (``myoemg.sim.simulate_session``).
_SUBMODULES = ("batching", "datasets", "derivatives", "detect", "evaluation", "export",
               "grading", "io", "metrics", "pipeline", "quality", "recording", "report",
               "results", "roles", "signal", "sim", "utils", "viz")

__all__ = ["__version__", *_ATTRIBUTES, *_SUBMODULES]

if TYPE_CHECKING:  # what static tools and IDEs see; nothing here runs at import
    from . import (  # noqa: F401
        batching,
        datasets,
        derivatives,
        detect,
        evaluation,
        export,
        grading,
        io,
        metrics,
        pipeline,
        quality,
        recording,
        report,
        results,
        roles,
        signal,
        sim,
        utils,
        viz,
    )
    from .batching import batch  # noqa: F401
    from .io import read  # noqa: F401
    from .pipeline import analyze  # noqa: F401
    from .recording import Channel, Recording  # noqa: F401
    from .results import Analysis  # noqa: F401
    from .utils import MyoemgError  # noqa: F401


def __getattr__(name):
    if name in _ATTRIBUTES:
        value = getattr(importlib.import_module(_ATTRIBUTES[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__():
    return sorted(__all__)
