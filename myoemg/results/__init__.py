"""Typed results, low in the house: what the analysis produces and every later layer reads.

Producers (:mod:`myoemg.metrics`, :mod:`myoemg.grading`, :mod:`myoemg.quality`,
:mod:`myoemg.pipeline`) build these frozen dataclasses; consumers (:mod:`myoemg.export`,
:mod:`myoemg.report`, :mod:`myoemg.viz`, :mod:`myoemg.batching`, the CLI) read them. Each has
``to_dict()`` (plain Python containers) and ``to_json()``.
"""

from ._base import Result, jsonable, plain
from .analysis import Analysis
from .grade import Grade, GradeNumbers, Uln
from .quality import QualityReport
from .summary import Summary
from .warmup import (
    CurveFit,
    MeasureSummary,
    Pattern,
    PatternNumbers,
    PeakForceCourse,
    Plateau,
    Warmup,
)

__all__ = ["Analysis", "CurveFit", "Grade", "GradeNumbers", "MeasureSummary", "Pattern",
           "PatternNumbers", "PeakForceCourse", "Plateau", "QualityReport", "Result",
           "Summary", "Uln", "Warmup", "jsonable", "plain"]
