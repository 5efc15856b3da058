"""Vectorised helpers of the sorter against their plain formulas."""

import numpy as np
import pytest

from myoemg.detect.snippets import snippets_at
from myoemg.detect.sorting import _model, best_shift_corr


def _loop_best_shift_corr(a, b, max_shift):
    best = (-1.0, 0)
    n = a.size
    for s in range(-max_shift, max_shift + 1):
        aa = a[max(0, s): n + min(0, s)]
        bb = b[max(0, -s): n + min(0, -s)]
        den = np.linalg.norm(aa) * np.linalg.norm(bb)
        r = float(aa @ bb / den) if den > 0 else 0.0
        if r > best[0]:
            best = (r, s)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_best_shift_corr_matches_loop(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 60))
    a = rng.normal(size=n)
    b = np.roll(a, int(rng.integers(-4, 5))) + rng.normal(0, rng.uniform(0, 2), n)
    max_shift = int(rng.integers(1, n + 3))  # also wider than the snippet
    r, s = best_shift_corr(a, b, max_shift)
    r_ref, s_ref = _loop_best_shift_corr(a, b, min(max_shift, n - 1))
    assert s == s_ref
    assert r == pytest.approx(r_ref, abs=1e-12)


def test_best_shift_corr_edge_cases():
    a = np.zeros(9)
    assert best_shift_corr(a, np.ones(9), 3) == (0.0, -3)  # all overlaps zero: first shift
    x = np.sin(np.linspace(0, 3, 21))
    r, s = best_shift_corr(np.roll(x, 2), x, 5)
    assert s == 2 and r > 0.99
    a, b = np.array([1.0, -1.0]), np.array([-1.0, 1.0])  # anti-correlated
    assert best_shift_corr(a, b, 0) == _loop_best_shift_corr(a, b, 0)


def test_snippets_at_clips_at_edges():
    x = np.arange(10.0)
    got = snippets_at(x, np.array([0, 5, 9]), 2)
    idx = np.clip(np.array([0, 5, 9])[:, None] + np.arange(-2, 3)[None, :], 0, 9)
    np.testing.assert_array_equal(got, x[idx])


def test_model_equals_add_at():
    rng = np.random.default_rng(3)
    n_times, half = 500, 6
    samples = np.sort(rng.integers(-3, n_times + 3, 80))
    units = rng.integers(-1, 3, samples.size)
    gains = rng.uniform(0.5, 2, samples.size)
    templates = rng.normal(size=(3, 2 * half + 1))
    ref = np.zeros(n_times)
    ok = units >= 0
    idx = samples[ok, None] + np.arange(-half, half + 1)[None, :]
    wave = gains[ok, None] * templates[units[ok]]
    inside = (idx >= 0) & (idx < n_times)
    np.add.at(ref, idx[inside], wave[inside])
    np.testing.assert_array_equal(_model(n_times, samples, units, gains, templates), ref)
