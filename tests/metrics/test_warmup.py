"""Warm-up pattern labels on simulated and hand-made courses of RT90-5."""

import numpy as np
import pytest

from myoemg.metrics import warmup_pattern
from myoemg.sim import pattern_rts


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("pattern, expected", [("warm-up", "warm-up"),
                                               ("paradoxical", "paradoxical"),
                                               ("steady", "none"), ("healthy", "none")])
def test_pattern_of_simulated_courses(pattern, expected, seed):
    assert warmup_pattern(pattern_rts(pattern, 6, rng=seed)).pattern == expected


def test_healthy_variation_by_a_third_is_not_a_pattern():
    # 0.15-0.3 s grips vary by a third: relative change alone must not call a pattern.
    assert warmup_pattern([0.30, 0.20, 0.18, 0.21, 0.19, 0.20]).pattern == "none"


def test_too_few_trials_is_inconclusive():
    out = warmup_pattern([2.5, 0.8])
    assert out.pattern == "inconclusive" and "usable" in out.reason


def test_numbers_are_reported():
    out = warmup_pattern([2.5, 1.3, 0.9, 0.85, 0.8, 0.8])
    assert out.pattern == "warm-up"
    assert out.numbers.change_s == pytest.approx(2.5 - 0.8)
    assert out.numbers.change_pct == pytest.approx(68.0)


def test_noisy_course_is_not_a_trend():
    rng = np.random.default_rng(0)
    rts = 1.5 + 0.8 * rng.standard_normal(6)
    assert warmup_pattern(np.abs(rts)).pattern in ("none", "warm-up", "paradoxical")
    assert warmup_pattern([1.0, 2.5, 0.4, 2.6, 0.5, 2.4]).pattern == "inconclusive"
