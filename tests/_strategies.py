"""Hypothesis strategies shared by the property tests (readers and array functions).

Imported only after ``pytest.importorskip("hypothesis")`` in the test modules.
"""

import warnings

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from myoemg.utils import MyoemgError

ARG_ERRORS = (MyoemgError, ValueError, TypeError)

# -- strategies -----------------------------------------------------------------------------
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
special = st.sampled_from([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e300, -1e300, 5e-324, 1.0])
values = st.one_of(finite, special, st.floats(-1e3, 1e3))
rates = st.one_of(st.sampled_from([1.0, 3.90625, 100.0, 123.0, 1999.0, 2000.0, 44100.0]),
                  st.floats(0.1, 50_000.0), st.sampled_from([0.0, -1.0, np.nan, np.inf]))


@st.composite
def signals(draw, max_len=4000, min_len=0):
    """1-D float arrays: constants, smooth + noise, or arbitrary values, with NaNs sometimes."""
    n = draw(st.integers(min_len, max_len))
    kind = draw(st.sampled_from(["arbitrary", "constant", "grips", "noise"]))
    if kind == "arbitrary":
        x = draw(hnp.arrays(np.float64, n, elements=values))
    elif kind == "constant":
        x = np.full(n, draw(values))
    else:
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        t = np.arange(n)
        period = draw(st.integers(20, 2000))
        scale = draw(st.sampled_from([1e-6, 1.0, 300.0, 1e12]))
        x = scale * (rng.normal(0, 0.05, n) + (kind == "grips") * ((t // period) % 2))
    if n and draw(st.booleans()):
        idx = draw(st.lists(st.integers(0, n - 1), max_size=5))
        x = x.copy()
        x[idx] = draw(st.sampled_from([np.nan, np.inf, 1e300]))
    return x


def quietly(fn, *args, **kwargs):
    """Call ``fn`` with warnings and floating-point warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
