"""Claim files: lossless round trips, clear errors, the bundled data."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import casualties as cas
from casualties.errors import ClaimError, ClaimFileError, UnknownNameWarning
from casualties.io import read_claims, write_claims
from casualties.strategies import claims_frames

FORMATS = ["csv", "csv.gz", "json", "parquet"]


def _roundtrip(frame: pd.DataFrame, path) -> pd.DataFrame:
    write_claims(frame, path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownNameWarning)
        return read_claims(path)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claims=claims_frames(min_size=1))
def test_round_trip_is_lossless(tmp_path, fmt, claims):
    if fmt == "parquet":
        pytest.importorskip("pyarrow", reason="the parquet extra is not installed")
    back = _roundtrip(claims, tmp_path / f"claims.{fmt}")
    pd.testing.assert_frame_equal(back, claims.reset_index(drop=True).rename_axis("row"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_round_trip_keeps_multi_places_inf_dates_and_categories(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow", reason="the parquet extra is not installed")
    seed = cas.bundled_claims()
    back = _roundtrip(seed, tmp_path / f"seed.{fmt}")
    pd.testing.assert_frame_equal(back, seed)
    assert "IQ|SY" in set(back["place"])
    assert back["high"].eq(float("inf")).any()


def test_namibia_is_a_place_not_a_missing_value(tmp_path):
    path = tmp_path / "na.csv"
    path.write_text("source,date,place,count\nUN,2017-01-01,NA,3\n", encoding="utf-8")
    assert read_claims(path).iloc[0]["place"] == "NA"


def test_missing_file_is_a_claim_file_error(tmp_path):
    with pytest.raises(ClaimFileError, match="no such file") as info:
        read_claims(tmp_path / "nope.csv")
    assert isinstance(info.value, OSError)


def test_unknown_suffix_is_a_claim_file_error(tmp_path):
    path = tmp_path / "claims.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(ClaimFileError, match="unknown file format"):
        read_claims(path)


def test_json_must_hold_records(tmp_path):
    path = tmp_path / "claims.json"
    path.write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(ClaimFileError, match="list of records"):
        read_claims(path)


def test_invalid_file_names_the_file_and_every_cell(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("source,date,place,count\nSOHR,2017-06-05,Atlantis,21\nSOHR,,Raqqa,lots\n", encoding="utf-8")
    with pytest.raises(ClaimError) as info:
        read_claims(path)
    assert str(path) in str(info.value)
    assert set(info.value.failures["row"]) == {0, 1}
    claims, failures = read_claims(path, errors="collect")
    assert claims.empty and set(failures["column"]) >= {"place", "count", "start"}


def test_write_refuses_an_invalid_frame(tmp_path):
    seed = cas.bundled_claims()
    broken = seed.assign(low=-1.0)
    with pytest.raises(ClaimError):
        write_claims(broken, tmp_path / "x.csv")


def test_bundled_seed_loads_without_error():
    seed = cas.bundled_claims()
    assert len(seed) == 9
    assert seed["claim_id"].is_unique
