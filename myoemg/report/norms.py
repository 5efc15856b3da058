"""Published reference values the report compares a session with, each with its source.

Group means of relaxation time by device (they are means, not upper limits of normal, and
they differ between devices), and the EMG criteria of a myotonic discharge. Values and their
verification status follow the project's domain reference; "(unverified)" marks what was not
checked against the paper.
"""

from __future__ import annotations

import math

from .scrub import cite

LOGIGIAN_2005 = "Logigian EL et al., Muscle Nerve 2005, doi:10.1002/mus.20339"
MUSCLE_NERVE_2019 = ("Quantitative myotonia assessment with a commercially available "
                     "dynamometer in DM1 and DM2, Muscle Nerve 2019;59(4):431–435, "
                     "doi:10.1002/mus.26401")
STATLAND_2012B = "Statland JM et al., Muscle Nerve 2012;46(4):482–489"
AANEM_2015 = "AANEM glossary of terms in neuromuscular electrodiagnosis, 2015"

#: Relaxation-time reference values: (group, device, measure, value, source).
RELAXATION_NORMS = [
    ("controls (n = 17)", "QMA", "RT90-5", "≈ 0.4 s on all six grips", LOGIGIAN_2005),
    ("DM1 (n = 25)", "QMA", "RT90-5", "2.5 s (grip 1) → 0.8 s (grip 6); 70 % of the warm-up "
     "between grips 1 and 2; no warm-up of peak force", LOGIGIAN_2005),
    ("controls (n = 35)", "commercial dynamometer", "relaxation time",
     "0.17 s (levels and grip averaging unverified)", MUSCLE_NERVE_2019),
    ("DM1 (n = 20)", "commercial dynamometer", "relaxation time", "2.96 s (unverified)",
     MUSCLE_NERVE_2019),
    ("DM2 (n = 25)", "commercial dynamometer", "relaxation time", "0.4 s (unverified)",
     MUSCLE_NERVE_2019),
    ("DM2 (n = 6)", "QMA", "RT90-5", "normal, with reduced peak force", STATLAND_2012B),
]

#: EMG criteria: (discharge, firing, pattern, source).
EMG_NORMS = [
    ("myotonic discharge", "20–80 Hz (other texts give wider ranges)",
     "single-fibre potentials whose rate and amplitude both wax and wane", AANEM_2015),
    ("voluntary motor unit", "≈ 5–20 Hz, fairly regular (unverified)",
     "larger motor-unit potentials, recruited with effort", "standard EMG texts"),
    ("complex repetitive discharge", "5–100 Hz (unverified)",
     "uniform rate and shape; abrupt onset and stop", AANEM_2015),
    ("neuromyotonic discharge", "150–300 Hz (unverified)",
     "bursts with abrupt start and stop, waning amplitude", AANEM_2015),
]


def uln_rows(grade):
    """Rows describing the ULN used: value, device type, where it comes from, provisional."""
    if grade is None:
        return []
    uln = grade.uln
    value = f"{uln.uln_s:.2f} s" if math.isfinite(uln.uln_s) else "–"
    return [("ULN of RT90-5 used", value), ("device type", uln.device_type),
            ("derivation", cite(uln.source)),
            ("status", "provisional: the device is not recognised, so the ULN is a default "
                       "that may not fit it" if is_provisional(grade) else
                       "default of the device type (replace it with your laboratory's "
                       "controls)" if uln.device_type != "given" else "given by the user")]


def is_provisional(grade):
    """True when the grade rests on a default ULN for a device that was not recognised.

    Uses ``Grade.provisional`` when the grading provides it; older grades are provisional when
    their ULN source says the device was not recognised.
    """
    if grade is None:
        return False
    flag = getattr(grade, "provisional", None)
    if flag is not None:
        return bool(flag)
    return "not recognised" in str(grade.uln.source)


__all__ = ["EMG_NORMS", "RELAXATION_NORMS", "is_provisional", "uln_rows"]
