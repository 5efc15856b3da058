"""one_blas_thread: one BLAS thread inside, the caller's setting back outside, nested cheaply."""

import pytest
from threadpoolctl import threadpool_info

from myoemg.utils import one_blas_thread
from myoemg.utils._threads import THREAD_VARS


def _blas_threads():
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


@pytest.fixture
def no_thread_env(monkeypatch):
    for k in THREAD_VARS:
        monkeypatch.delenv(k, raising=False)


def test_one_thread_inside_and_restored(no_thread_env):
    before = _blas_threads()
    if not before:
        pytest.skip("no BLAS library seen by threadpoolctl")
    with one_blas_thread():
        assert set(_blas_threads()) == {1}
        with one_blas_thread():  # nested: still one, and the outer block keeps it
            assert set(_blas_threads()) == {1}
        assert set(_blas_threads()) == {1}
    assert _blas_threads() == before


def test_a_users_thread_count_is_left_alone(monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    before = _blas_threads()
    with one_blas_thread():
        assert _blas_threads() == before
