"""Test configuration: Hypothesis profiles and the shared real data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

#: ``../shared/data`` beside the checkout: real public data, present in CI, absent in a user's clone.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """The shared real-data folder, or a skip with the reason when this clone lacks it."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present (a user's fresh clone); CI always has it")
    return SHARED_DATA
