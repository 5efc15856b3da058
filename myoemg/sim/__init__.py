"""Layer 3: simulated grip sessions and discharge trains with ground truth."""

from .session import PATTERN_NAMES, Truth, pattern_rts, simulate_session
from .trains import TRAIN_KINDS, myotonic_train

__all__ = ["PATTERN_NAMES", "TRAIN_KINDS", "Truth", "myotonic_train", "pattern_rts",
           "simulate_session"]
