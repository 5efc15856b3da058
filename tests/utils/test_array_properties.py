"""Property tests (hypothesis) of the core array functions on arbitrary input.

Arbitrary lengths, rates, NaNs, constants and extreme values may only give a documented
exception (a ``MyoemgError`` subclass, or ``ValueError`` / ``TypeError`` for a bad argument),
never another exception, a crash or a hang. Profiles (tests/conftest.py): "ci" (default, 30
examples per test, derandomised) and "deep" (``HYPOTHESIS_PROFILE=deep``, 1500 examples).
"""


import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from myoemg.detect.discharges import DISCHARGE_COLUMNS, detect_discharges  # noqa: E402
from myoemg.detect.trials import find_trials  # noqa: E402
from myoemg.metrics import after_activity, relaxation_times  # noqa: E402
from myoemg.quality import (  # noqa: E402
    emg_snr_db,
    fill_gaps,
    find_clipping,
    mains_fraction,
)
from myoemg.signal import bandpass, clean_emg, emg_envelope, level_crossings  # noqa: E402

from .._strategies import ARG_ERRORS, quietly, rates, signals, values  # noqa: E402


# -- core array functions -------------------------------------------------------------------
@given(x=signals(), fs=rates, hold=st.floats(0.0, 5.0))
def test_find_trials_and_relaxation_times(x, fs, hold):
    try:
        trials = quietly(find_trials, x, fs=fs, min_hold_s=hold)
    except ARG_ERRORS:
        return
    assert len(trials) >= 1 and (np.diff(trials["onset_s"]) > 0).all()
    rt = quietly(relaxation_times, x, trials, fs=fs)
    assert len(rt) == len(trials)
    ok = rt["relaxed"].to_numpy(bool)
    assert (rt.loc[ok, "rt90_5_s"].dropna() >= 0).all()
    assert rt.loc[~ok, "rt90_5_s"].isna().all()  # censored, never invented


@given(x=signals(max_len=500), level=values,
       direction=st.sampled_from(["down", "up", "both"]))
def test_level_crossings(x, level, direction):
    idx = quietly(level_crossings, x, level, direction=direction)
    assert idx.ndim == 1 and np.all(np.diff(idx) >= 0)
    assert np.all((idx >= 0) & (idx <= max(x.size - 1, 0)))


@given(x=signals(max_len=3000), fs=rates, n_ch=st.integers(0, 3),
       band=st.tuples(st.floats(0.1, 500.0), st.floats(1.0, 20_000.0)),
       func=st.sampled_from(["bandpass", "clean_emg", "emg_envelope"]))
def test_filters_keep_the_shape(x, fs, n_ch, band, func):
    arr = np.tile(x, (n_ch, 1)) if n_ch else x
    try:
        if func == "bandpass":
            y = quietly(bandpass, arr, fs=fs, l_freq=band[0], h_freq=band[1])
        elif func == "clean_emg":
            y = quietly(clean_emg, arr, fs=fs, band_hz=band)
        else:
            y = quietly(emg_envelope, arr, fs=fs, band_hz=band)
    except ARG_ERRORS:
        return
    assert y.shape == arr.shape


@given(x=signals(max_len=6000), fs=rates, data=st.data())
def test_after_activity(x, fs, data):
    dur = x.size / fs if np.isfinite(fs) and fs > 0 else 1.0
    times = st.floats(-1.0, dur + 1.0)
    release = data.draw(st.lists(st.one_of(times, st.just(np.nan)), max_size=4))
    ends = [data.draw(times) for _ in release]
    rest = data.draw(st.lists(st.tuples(times, times), max_size=3))
    try:
        after, rest_v = quietly(after_activity, x, fs=fs, release_s=release, window_end_s=ends,
                               rest_windows_s=rest)
    except ARG_ERRORS:
        return
    assert after.shape == (len(release), 1) and rest_v.shape == (1,)
    assert np.all(np.isnan(after) | (after >= 0))


@given(x=signals(max_len=8000), fs=rates, electrode=st.sampled_from(["surface", "needle"]),
       windows=st.one_of(st.none(), st.lists(st.tuples(st.floats(-1, 5), st.floats(-1, 10)),
                                             max_size=3)))
def test_detect_discharges(x, fs, electrode, windows):
    try:
        out = quietly(detect_discharges, x, fs=fs, electrode=electrode, search_s=windows)
    except ARG_ERRORS:
        return
    assert list(out.columns) == DISCHARGE_COLUMNS
    assert (out["end_s"] >= out["start_s"]).all()


@given(x=signals(max_len=3000), fs=rates)
def test_quality_checks(x, fs):
    starts, stops = find_clipping(x)
    assert np.all(stops > starts)
    if np.isfinite(x).any():
        assert np.isfinite(fill_gaps(x)).all()
    try:
        f0, frac = quietly(mains_fraction, x, fs=fs)
        snr = quietly(emg_snr_db, x, fs=fs)
    except ARG_ERRORS:
        return
    assert np.isnan(frac) or 0 <= frac <= 1 + 1e-9
    assert isinstance(snr, float)
