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


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("claims.xlsx", b"PK", "unknown file format"),
        ("claims.json", b'{"a": 1}', "list of records"),
        ("bin.csv", b"source,date\n\xff\xfe,1\n", "UTF-8"),
    ],
)
def test_unreadable_files_are_claim_file_errors(tmp_path, name, content, match):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ClaimFileError, match=match):
        read_claims(path)


def test_invalid_file_names_the_file_and_every_cell(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("source,date,place,count\nSOHR,2017-06-05,Atlantis,21\nSOHR,,Raqqa,lots\n", encoding="utf-8")
    with pytest.raises(ClaimError) as info:
        read_claims(path)
    assert str(path) in str(info.value)
    assert set(info.value.failures["row"]) == {0, 1}
    claims, failures = read_claims(path, errors="collect")
    assert claims.empty and set(failures["column"]) >= {"place", "count", "date"}  # the column the file has (issue 13)


def test_write_refuses_an_invalid_frame(tmp_path):
    seed = cas.bundled_claims()
    broken = seed.assign(low=-1.0)
    with pytest.raises(ClaimError):
        write_claims(broken, tmp_path / "x.csv")


def test_bundled_seed_loads_without_error():
    seed = cas.bundled_claims()
    assert len(seed) == 9
    assert seed["claim_id"].is_unique


# -- hostile files (issue 17): our errors only, naming the file; no row lost or misnumbered --------
GOOD_CSV = "source,date,place,count\n" + "SOHR,2017-06-05,Raqqa,21\n" * 30


@pytest.mark.parametrize("suffix", ["csv.gz", "json.gz"])
def test_truncated_gzip_is_a_claim_file_error_naming_the_file(tmp_path, suffix):
    import gzip
    import json

    text = GOOD_CSV if suffix == "csv.gz" else json.dumps([{"source": "SOHR"}] * 30)
    path = tmp_path / f"claims.{suffix}"
    path.write_bytes(gzip.compress(text.encode())[:40])
    with pytest.raises(ClaimFileError, match="truncated") as info:
        read_claims(path)
    assert str(path) in str(info.value)


def test_json_nested_too_deeply_is_a_claim_file_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ClaimFileError, match="nested too deeply"):
        read_claims(path)


def test_parquet_with_bytes_that_are_not_utf8_fails_that_cell(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "b.parquet"
    pq.write_table(pa.table({"source": pa.array([b"\xff\xfe", b"SOHR"], pa.binary()), "date": ["2017-06-05"] * 2,
                             "place": ["Raqqa"] * 2, "count": ["21"] * 2}), path)
    claims, failures = read_claims(path, errors="collect")
    assert list(claims.index) == [1]
    assert failures[["row", "column", "reason"]].values.tolist() == [[0, "source", "wrong_type"]]
    with pytest.raises(ClaimError, match=str(path).replace("\\", "\\\\")):
        read_claims(path)


def test_json_of_empty_records_rejects_every_row(tmp_path):
    path = tmp_path / "e.json"
    path.write_text("[{}, {}]", encoding="utf-8")
    claims, failures = read_claims(path, errors="collect")
    assert claims.empty and set(failures["row"]) == {0, 1}


def test_json_items_that_are_not_records_are_failing_rows(tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text('[{"source": "SOHR", "date": "2017-06-05", "place": ["Iraq", "Syria"], "count": 21}, 5, null]', encoding="utf-8")
    claims, failures = read_claims(path, errors="collect")
    assert list(claims.index) == [0] and claims.iloc[0]["place"] == "IQ|SY"
    assert failures[["row", "reason"]].values.tolist() == [[1, "wrong_type"], [2, "wrong_type"]]


@pytest.mark.parametrize(
    "text",
    [
        "source,date,place,count\n\nSOHR,2017-06-05,Raqqa,21\nSOHR,2017-06-05,Atlantis,21\n",  # a blank line
        'source,date,place,count,note\nSOHR,2017-06-05,Raqqa,21,"a\nb"\nSOHR,2017-06-05,Atlantis,21,\n',  # a quoted newline
    ],
)
def test_row_numbers_are_the_spreadsheet_rows_less_2(tmp_path, text):
    # the bad row is row 4 (blank line counted) or row 3 (a quoted line break is inside one row)
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    claims, failures = read_claims(path, errors="collect")
    spreadsheet_row = 4 if "\n\n" in text else 3
    assert list(failures["row"]) == [spreadsheet_row - 2]
    assert len(claims) == 1


@pytest.mark.parametrize("note", ["a\nb, c", "plain"])
def test_small_blocks_give_the_rows_of_the_pandas_reader(tmp_path, monkeypatch, note):
    """Arrow reads in blocks; with a quote anywhere in the file it must follow quotes across them
    (a line break inside a value ends no row), without one it may cut at any line break. Blocks
    of 64 bytes put many cuts inside values; the rows are those of the pandas reader."""
    import casualties.io as io

    lines = [f'SOHR,2017-06-{1 + i % 28:02d},Raqqa,{i},"{note} {i}"' if "\n" in note else f"SOHR,2017-06-{1 + i % 28:02d},Raqqa,{i},{note} {i}"
             for i in range(200)]
    path = tmp_path / "blocks.csv"
    path.write_text("source,date,place,count,note\n" + "\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(io, "_BLOCK_SIZE", 64)
    assert io._holds_quotes(path) is ("\n" in note)
    arrow = io._read_csv_arrow(path)  # Arrow reads the file itself (no fall back to pandas)
    assert arrow is not None and arrow["note"].tolist() == [f"{note} {i}" for i in range(200)]
    fast = read_claims(path)
    monkeypatch.setattr(io, "_read_csv_arrow", lambda path: None)  # the pandas reader
    slow = read_claims(path)
    pd.testing.assert_frame_equal(fast, slow)
    assert fast["note"].tolist() == [f"{note} {i}" for i in range(200)]


def test_mixed_time_zones_parse_or_fail_only_the_bad_rows(tmp_path):
    path = tmp_path / "tz.csv"
    path.write_text("source,date,place,count\nSOHR,2017-06-05T10:00:00+02:00,Raqqa,21\nSOHR,2017-06-05,Raqqa,21\n"
                    'SOHR,"June 5, 2017",Raqqa,21\nSOHR,2017-06-05T10:00:00+0200x,Raqqa,21\n', encoding="utf-8")
    claims, failures = read_claims(path, errors="collect")
    assert list(claims.index) == [0, 1, 2]
    assert (claims["start"] == pd.Timestamp("2017-06-05")).all()
    assert failures[["row", "column", "reason"]].values.tolist() == [[3, "date", "not_a_date"]]


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_a_bare_carriage_return_survives_a_round_trip(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    seed = cas.bundled_claims().assign(quote="a\rb", note="c\r\nd")
    back = _roundtrip(seed, tmp_path / f"cr.{fmt}")
    pd.testing.assert_frame_equal(back, seed)


def test_thousands_of_extra_columns_are_cheap(tmp_path):
    import time

    head = "source,date,place,count," + ",".join(f"x{i}" for i in range(5000))
    row = "SOHR,2017-06-05,Raqqa,21," + ",".join("1" for _ in range(5000))
    path = tmp_path / "wide.csv"
    path.write_text(head + "\n" + row + "\n", encoding="utf-8")
    began = time.perf_counter()
    claims = read_claims(path)
    assert time.perf_counter() - began < 8  # 14 s before; about 1 s here
    assert claims.iloc[0]["x4999"] == "1"


def test_bad_arguments_are_option_errors(tmp_path):
    with pytest.raises(cas.OptionError, match="collect") as info:
        read_claims(tmp_path / "x.csv", errors="ignore")
    assert isinstance(info.value, ValueError)
    with pytest.raises(cas.OptionError, match="path"):
        read_claims(5)


def test_a_folder_is_a_claim_file_error(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(ClaimFileError, match="folder"):
        read_claims(tmp_path / "dir.csv")


def test_a_parquet_file_with_a_stored_index_is_numbered_by_position(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "indexed.parquet"
    pd.DataFrame({"source": ["SOHR", "SOHR"], "date": ["2017-06-05"] * 2, "place": ["Raqqa", "Atlantis"], "count": ["1", "2"]},
                 index=["a", "a"]).to_parquet(path)
    claims, failures = read_claims(path, errors="collect")
    assert list(claims.index) == [0] and list(failures["row"]) == [1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_location_and_coordinates_survive_a_round_trip_exactly(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow", reason="the parquet extra is not installed")
    base = {"source": "Airwars", "date": "2026-03-02", "place": "Syria", "count": "2"}
    claims = cas.claims_from_records([
        {**base, "location": "Al-Fatih, Jableh District", "latitude": "35.331032", "longitude": "36.05857"},
        {**base, "location": " NA ", "latitude": 0.1 + 0.2, "longitude": -179.99999999999997},
        {**base, "location": "", "latitude": None, "longitude": None},
        base,
    ])
    back = _roundtrip(claims, tmp_path / f"where.{fmt}")
    pd.testing.assert_frame_equal(back, claims)
    if fmt in ("csv", "parquet"):
        from casualties.formats import detect_format

        assert detect_format(tmp_path / f"where.{fmt}") == "claims"
    assert back["location"].tolist() == ["Al-Fatih, Jableh District", " NA ", "", ""]
    assert back["latitude"].iloc[1] == 0.30000000000000004 and back["longitude"].iloc[1] == -179.99999999999997
    assert back["latitude"].iloc[2:].isna().all()


def test_a_claim_file_without_the_new_columns_reads_with_their_defaults(tmp_path):
    from casualties.formats import detect_format

    path = tmp_path / "old.csv"
    path.write_text("claim_id,source,start,place,low,best,high,quote\nc1,SOHR,2017-06-05,SY,3,3,3,three\n", encoding="utf-8")
    assert detect_format(path) == "claims"
    claims = read_claims(path)
    assert claims.iloc[0]["location"] == "" and claims[["latitude", "longitude"]].isna().all(axis=None)


def test_a_claim_file_with_bad_coordinates_names_the_cells(tmp_path):
    path = tmp_path / "where.csv"
    path.write_text("source,date,place,count,latitude,longitude\nSOHR,2017-06-05,SY,3,35.5,36.1\nSOHR,2017-06-05,SY,3,95,36.1\n"
                    "SOHR,2017-06-05,SY,3,35.5,\n", encoding="utf-8")
    claims, failures = read_claims(path, errors="collect")
    assert claims["latitude"].tolist() == [35.5]
    assert failures[["row", "column", "reason"]].values.tolist() == [[1, "latitude", "out_of_range"], [2, "longitude", "missing"]]
