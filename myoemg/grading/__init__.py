"""Layer 3: an explicit, configurable severity grade (research use; not a validated scale).

docs: domain reference, grading: no published, validated cut-offs grade myotonia severity from
RT90-5, so the grade here is **our** rule, printed with the numbers behind it wherever it is shown.
"""

from .severity import DEVICE_ULN, DISCLAIMER, GRADE_LABELS, grade_severity, resolve_uln

__all__ = ["DEVICE_ULN", "DISCLAIMER", "GRADE_LABELS", "grade_severity", "resolve_uln"]
