"""Layer 3: simulated grip sessions and discharge trains with ground truth."""

from .discharge_sets import make_discharge_set
from .session import PATTERN_NAMES, Truth, pattern_rts, simulate_session
from .trains import (
    LOOKALIKES,
    TRAIN_KINDS,
    crd_train,
    fibrillation_train,
    mains_hum,
    movement_artefact,
    myotonic_train,
    neuromyotonic_train,
    voluntary_release,
    voluntary_train,
)

__all__ = ["LOOKALIKES", "PATTERN_NAMES", "TRAIN_KINDS", "Truth", "crd_train",
           "fibrillation_train", "make_discharge_set", "mains_hum", "movement_artefact",
           "myotonic_train", "neuromyotonic_train", "pattern_rts", "simulate_session",
           "voluntary_release", "voluntary_train"]
