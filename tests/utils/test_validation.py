"""Argument checks: rates, positive durations, filter orders and cut-offs, NaN samples; the guarded
input (regular file, size cap)."""

import math
import os
import sys

import numpy as np
import pytest

from myoemg.signal import bandpass, lowpass, moving_rms
from myoemg.utils import (
    FS_RANGE_HZ,
    MAX_INPUT_BYTES,
    RecordingError,
    SignalQualityError,
    check_input_file,
    input_limit,
    input_size_limit,
    open_input,
    validate_fs,
    validate_positive,
)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(2, 3000))


@pytest.mark.parametrize("fs", [0, -1, math.nan, math.inf, 1e-300, 1e300, 2e6, 1e-4])
def test_validate_fs_refuses_impossible_and_absurd_rates(fs):
    with pytest.raises(ValueError, match="fs_emg"):
        validate_fs(fs, "fs_emg")


@pytest.mark.parametrize("fs", [FS_RANGE_HZ[0], 1 / 30, 1.0, 123.0, 44100.0, FS_RANGE_HZ[1]])
def test_validate_fs_accepts_plausible_rates(fs):
    assert validate_fs(fs) == fs


def test_validate_fs_and_positive_refuse_non_numbers():
    for bad in ("fast", True, None, [1000]):
        with pytest.raises((TypeError, ValueError)):
            validate_fs(bad)
    for bad in (0, -0.05, math.nan, math.inf):
        with pytest.raises(ValueError, match="window_s"):
            validate_positive(bad, "window_s")
    assert validate_positive(0.05, "window_s") == 0.05


@pytest.mark.parametrize("order", [0, -1, 11, 200])
def test_bandpass_refuses_orders_outside_1_to_10(order):
    with pytest.raises(ValueError, match=f"order={order}.*1..10"):
        bandpass(X, fs=1000.0, l_freq=20.0, h_freq=450.0, order=order)
    with pytest.raises(TypeError, match="whole number"):
        bandpass(X, fs=1000.0, l_freq=20.0, h_freq=450.0, order=4.5)


def test_highest_order_allowed_is_still_finite():
    y = bandpass(X, fs=1000.0, l_freq=20.0, h_freq=450.0, order=10)
    assert np.isfinite(y).all()


def test_one_nan_sample_is_refused_saying_where():
    x = X.copy()
    x[1, 1234] = np.nan
    for fn in (lambda: bandpass(x, fs=1000.0, l_freq=20.0, h_freq=450.0),
               lambda: lowpass(x, fs=1000.0, cutoff_hz=15.0),
               lambda: moving_rms(x, fs=1000.0, window_s=0.05)):
        with pytest.raises(SignalQualityError, match=r"row \(1,\), sample 1234, 1.2340 s"):
            fn()
    assert issubclass(SignalQualityError, ValueError)


@pytest.mark.parametrize("kwargs, word", [
    ({"l_freq": -5.0, "h_freq": 450.0}, "l_freq"), ({"l_freq": 20.0, "h_freq": 0.0}, "h_freq"),
    ({"l_freq": math.nan, "h_freq": 450.0}, "l_freq"), ({"l_freq": 480.0, "h_freq": None},
                                                       "0.45·fs"),
])
def test_bandpass_refuses_bad_cutoffs(kwargs, word):
    with pytest.raises(ValueError, match=word):
        bandpass(X, fs=1000.0, **kwargs)


@pytest.mark.parametrize("window_s", [0, -0.05, math.nan, math.inf])
def test_moving_rms_refuses_a_bad_window(window_s):
    with pytest.raises(ValueError, match="window_s"):
        moving_rms(X, fs=1000.0, window_s=window_s)


# -- the guarded input ------------------------------------------------------------------------
def test_cap_admits_two_hours_of_eight_channels_at_4khz_as_float64():
    assert 2 * 3600 * 8 * 4000 * 8 < MAX_INPUT_BYTES
    assert input_limit() == MAX_INPUT_BYTES
    with input_size_limit(10):
        assert input_limit() == 10
    assert input_limit() == MAX_INPUT_BYTES


def test_check_input_file(tmp_path):
    path = tmp_path / "a.edf"
    path.write_bytes(b"0" * 100)
    assert check_input_file(path) == (path, 100)
    with input_size_limit(99), pytest.raises(RecordingError, match="a.edf.*max_file_bytes"):
        check_input_file(path)
    big = tmp_path / "big.hea"
    with open(big, "wb") as fh:
        fh.truncate(65 * 1024**2)  # sparse
    with pytest.raises(RecordingError, match="big.hea.*header or sidecar"):
        check_input_file(big, "header", header=True)
    with pytest.raises(RecordingError, match="folder"):
        check_input_file(tmp_path)
    assert check_input_file(tmp_path, directory_ok=True) == (tmp_path, 0)
    with pytest.raises(TypeError):
        check_input_file(3)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX FIFOs")
def test_open_input_never_blocks_on_a_fifo(tmp_path):
    fifo = tmp_path / "p.csv"
    os.mkfifo(fifo)
    with pytest.raises(RecordingError, match="named pipe"):
        open_input(fifo)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads everything")
def test_unreadable_file_is_named(tmp_path):
    path = tmp_path / "locked.edf"
    path.write_bytes(b"0" * 10)
    path.chmod(0)
    with pytest.raises(RecordingError, match="locked.edf.*permission"):
        check_input_file(path)
