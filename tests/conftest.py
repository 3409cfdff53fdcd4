"""Test configuration: Hypothesis profiles and the shared real data."""

from __future__ import annotations

import os
import warnings
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


@pytest.fixture(scope="session")
def raqqa_2017_report():
    """The report on Airwars' raw file for Raqqa governorate in 2017 (built once a session), or
    a skip with the reason when this clone lacks the file."""
    path = SHARED_DATA / "airwars" / "syria_incidents.csv"
    if not path.is_file():
        pytest.skip(f"the Airwars file is not here: {path} (a user's fresh clone); CI always has it")
    import casualties as cas
    from casualties.adapters import read_airwars

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        claims = read_airwars(path)
    return cas.build_report(claims, cas.Scope(place="Raqqa governorate", start="2017-01-01", end="2017-12-31"))
