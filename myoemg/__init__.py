"""myoemg: quantify myotonia from grip-relaxation recordings.

Relaxation times (RT90-5, RT90-50, RT50-5) from the force trace, myotonic discharges from the
EMG, and the warm-up across trials. ``import myoemg`` stays light: subpackages load on use.
"""

from ._version import __version__
from .io import read
from .pipeline import Analysis, analyze
from .recording import Channel, Recording
from .utils import MyoemgError

__all__ = ["Analysis", "Channel", "MyoemgError", "Recording", "__version__", "analyze", "read",
           "batch"]


def __getattr__(name):
    if name == "batch":  # lazy: the batch layer (and Dask, tqdm) load on first use
        from .batching import batch

        return batch
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
