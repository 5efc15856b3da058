"""Shared fixtures and marks."""

import os
from pathlib import Path

import pytest

try:  # hypothesis profiles (tests/test_properties.py): "ci" by default, "deep" on request
    from hypothesis import HealthCheck
    from hypothesis import settings as _hsettings

    _slow_ok = [HealthCheck.too_slow, HealthCheck.data_too_large]
    _hsettings.register_profile("ci", max_examples=30, deadline=None, derandomize=True,
                                suppress_health_check=_slow_ok, print_blob=True)
    _hsettings.register_profile("deep", max_examples=1500, deadline=None,
                                suppress_health_check=_slow_ok, print_blob=True)
    _hsettings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # hypothesis is a test extra; its tests skip without it
    pass

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

requires_shared_data = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason=f"real recordings not found at {SHARED_DATA}")


@pytest.fixture(scope="session")
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real recordings not found at {SHARED_DATA}")
    return SHARED_DATA
