"""all_finite: np.isfinite(x).all() a block at a time, whatever the shape and where the NaN is."""

import numpy as np
import pytest

from myoemg.utils._check import _FINITE_BLOCK, all_finite


@pytest.mark.parametrize("shape", [(), (5,), (3, 2 * _FINITE_BLOCK + 7)])
def test_agrees_with_isfinite(shape):
    x = np.ones(shape)
    assert all_finite(x)
    if x.ndim:
        for bad in (np.nan, np.inf, -np.inf):
            y = x.copy()
            y[(-1,) * x.ndim] = bad  # the very last sample, in the last block
            assert not all_finite(y)
