"""The claims frame: normalisation, defaults, invariants and the failure table."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casualties as cas
from casualties.errors import ClaimError, Reason, UnknownNameWarning
from casualties.schema import COLUMN_NAMES, claims_from_records, validate
from casualties.strategies import claims_frames, records

MINIMAL = {"source": "SOHR", "date": "2017-06-05", "place": "Raqqa", "count": "21"}


def one(**changes):
    record = dict(MINIMAL, **changes)
    return record


def failures_of(*recs):
    claims, failures = claims_from_records(list(recs), errors="collect")
    return claims, failures


def test_minimal_record_gets_documented_defaults():
    claims = claims_from_records([MINIMAL])
    assert list(claims.columns) == list(COLUMN_NAMES)
    row = claims.iloc[0]
    assert row["claim_id"] == "c1"
    assert row["source"] == "SOHR" and row["source_type"] == "monitor"
    assert row["start"] == row["end"] == pd.Timestamp("2017-06-05")
    assert row["date_precision"] == "day"
    assert row["place"] == "raqqa"
    assert row["category"] == "all" and row["perpetrator"] == "all"
    assert row["outcome"] == "killed" and row["kind"] == "total"
    assert row["incident_id"] == "c1"
    assert (row["low"], row["best"], row["high"]) == (21, 21, 21)
    assert row["qualifier"] == "exact" and not row["provisional"]
    assert pd.isna(row["certainty"]) and pd.isna(row["reported_on"])
    assert row["quote"] == "21" and row["url"] == "" and row["note"] == ""
    assert row["location"] == "" and math.isnan(row["latitude"]) and math.isnan(row["longitude"])


def test_dtypes_are_the_documented_ones():
    claims = claims_from_records([MINIMAL])
    for column in cas.COLUMNS:
        assert claims[column.name].dtype == column.dtype, column.name
    assert claims["certainty"].cat.ordered


def test_aliases_resolve_to_canonical_ids():
    claims = claims_from_records(
        [one(source="the Britain-based Observatory", place="Iraq and Syria", category="civilians", perpetrator="Daesh")]
    )
    row = claims.iloc[0]
    assert row["source"] == "SOHR"
    assert row["place"] == "IQ|SY"
    assert row["category"] == "civilian"
    assert row["perpetrator"] == "isis"


def test_count_words_fill_bounds_and_keep_the_words():
    claims = claims_from_records([one(count="around 1,500", quote=None)])
    row = claims.iloc[0]
    assert (row["low"], row["best"], row["high"]) == (1350, 1500, 1650)
    assert row["qualifier"] == "around"
    assert row["quote"] == "around 1,500"


def test_could_rise_is_provisional_and_unbounded():
    row = claims_from_records([one(count="21, could rise")]).iloc[0]
    assert row["provisional"] and row["high"] == math.inf and row["low"] == 21


def test_period_words_are_read_against_the_report_date():
    row = claims_from_records([one(date=None, period="since September 23, 2014", reported_on="2017-06-06")]).iloc[0]
    assert row["start"] == pd.Timestamp("2014-09-23") and row["end"] == pd.Timestamp("2017-06-06")
    assert row["date_precision"] == "range"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"best": 7}, (7, 7, 7, "exact")),
        ({"low": 7}, (7, 7, math.inf, "at-least")),
        ({"high": 7}, (0, 7, 7, "up-to")),
        ({"low": 4, "high": 9}, (4, 6, 9, "between")),
        ({"low": 4, "best": 5}, (4, 5, math.inf, "at-least")),
        ({"best": 5, "high": 9}, (0, 5, 9, "up-to")),
        ({"low": 1, "best": 2, "high": 3}, (1, 2, 3, "between")),
    ],
)
def test_missing_bounds_follow_the_documented_rule(given, expected):
    row = claims_from_records([one(count=None, **given)]).iloc[0]
    assert (row["low"], row["best"], row["high"], row["qualifier"]) == expected


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"source": None}, "source", Reason.MISSING),
        ({"place": None}, "place", Reason.MISSING),
        ({"place": "Atlantis"}, "place", Reason.UNKNOWN_PLACE),
        ({"category": "aliens"}, "category", Reason.UNKNOWN_CATEGORY),
        ({"perpetrator": "martians"}, "perpetrator", Reason.UNKNOWN_PERPETRATOR),
        ({"date": None}, "date", Reason.MISSING),  # the column the user wrote (issue 13)
        ({"date": "the 45th of Smarch"}, "date", Reason.NOT_A_DATE),
        ({"count": None}, "count", Reason.MISSING),  # the column the user wrote, not low (issue 13)
        ({"count": None, "low": None}, "count", Reason.MISSING),
        ({"count": "a great many"}, "count", Reason.NOT_A_COUNT),
        ({"count": None, "low": "many"}, "low", Reason.NOT_A_NUMBER),
        ({"count": None, "low": -1, "best": 2, "high": 3}, "low", Reason.NEGATIVE),
        ({"count": None, "low": 1.5, "best": 2, "high": 3}, "low", Reason.NOT_WHOLE),
        ({"count": None, "low": 5, "best": 2, "high": 9}, "low", Reason.LOW_ABOVE_BEST),
        ({"count": None, "low": 1, "best": 5, "high": 3}, "high", Reason.BEST_ABOVE_HIGH),
        ({"count": None, "low": "inf", "best": "inf", "high": "inf"}, "low", Reason.INFINITE),
        ({"date": None, "start": "2017-06-05", "end": "2017-06-01"}, "end", Reason.START_AFTER_END),
        ({"kind": "rumour"}, "kind", Reason.UNKNOWN_VALUE),
        ({"outcome": "missing"}, "outcome", Reason.UNKNOWN_VALUE),
        ({"certainty": "sure"}, "certainty", Reason.UNKNOWN_VALUE),
        ({"source_type": "blog"}, "source_type", Reason.UNKNOWN_VALUE),
        ({"provisional": "perhaps"}, "provisional", Reason.UNKNOWN_VALUE),
        ({"period": "once upon a time", "date": None}, "period", Reason.NOT_A_PERIOD),
        ({"count": "21", "low": 20}, "low", Reason.CONFLICTING_INPUT),
        ({"period": "in May 2017", "start": "2017-04-01", "date": None}, "start", Reason.CONFLICTING_INPUT),
    ],
)
def test_each_bad_value_is_named_with_its_reason(changes, column, reason):
    claims, failures = failures_of(MINIMAL, one(**changes))
    assert list(claims.index) == [0]
    assert set(failures["row"]) == {1}
    hits = failures[(failures["column"] == column) & (failures["reason"] == reason.value)]
    assert len(hits) == 1, failures
    assert set(failures.columns) == {"row", "column", "value", "reason", "detail"}


def test_raise_mode_reports_every_failure_at_once():
    with pytest.raises(ClaimError) as info:
        claims_from_records([one(place="Atlantis"), one(count="lots"), MINIMAL])
    failures = info.value.failures
    assert set(failures["row"]) == {0, 1}
    assert "Atlantis" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_duplicate_ids_name_every_repeat_after_the_first():
    _, failures = failures_of(one(claim_id="x"), one(claim_id="x"), one(claim_id="x"))
    dup = failures[failures["reason"] == Reason.DUPLICATE_ID.value]
    assert list(dup["row"]) == [1, 2]


def test_unknown_source_is_kept_and_flagged():
    with pytest.warns(UnknownNameWarning) as record:
        claims = claims_from_records([one(source="Raqqa Is Being Slaughtered Silently")])
    assert claims.iloc[0]["source"] == "Raqqa Is Being Slaughtered Silently"
    assert claims.iloc[0]["source_type"] == "other"
    assert record[0].message.names == ("Raqqa Is Being Slaughtered Silently",)


def test_extra_columns_are_kept_after_the_schema():
    claims = claims_from_records([one(my_column="kept")])
    assert list(claims.columns[: len(COLUMN_NAMES)]) == list(COLUMN_NAMES)
    assert claims.iloc[0]["my_column"] == "kept"


def test_errors_argument_is_checked():
    with pytest.raises(ValueError, match="errors"):
        claims_from_records([MINIMAL], errors="ignore")


@given(claims_frames())
def test_validate_accepts_what_the_strategies_make_unchanged(claims):
    again = validate(claims)
    pd.testing.assert_frame_equal(again, claims.reset_index(drop=True).rename_axis("row"))


_MUTATIONS = {
    "negative low": ({"low": -1.0}, "low", Reason.NEGATIVE),
    "low above best": ({"low": 10**7}, "low", Reason.LOW_ABOVE_BEST),
    "unknown place": ({"place": "Narnia"}, "place", Reason.UNKNOWN_PLACE),
    "unknown category": ({"category": "robots"}, "category", Reason.UNKNOWN_CATEGORY),
    "unknown perpetrator": ({"perpetrator": "zorg"}, "perpetrator", Reason.UNKNOWN_PERPETRATOR),
    "bad kind": ({"kind": "guess"}, "kind", Reason.UNKNOWN_VALUE),
    "fractional best": ({"best": 0.5}, "best", Reason.NOT_WHOLE),
    "end before start": ({"start": "2100-01-01"}, "end", Reason.START_AFTER_END),
    "latitude out of range": ({"latitude": 95.0, "longitude": 10.0}, "latitude", Reason.OUT_OF_RANGE),
    "latitude alone": ({"latitude": 10.0, "longitude": None}, "longitude", Reason.MISSING),
    "null island": ({"latitude": 0.0, "longitude": 0.0}, "latitude", Reason.NULL_ISLAND),
}


@given(records(), st.sampled_from(sorted(_MUTATIONS)), st.integers(0, 3))
def test_validate_names_the_right_reason_for_each_mutation(record, mutation, position):
    changes, column, reason = _MUTATIONS[mutation]
    good = [dict(record, claim_id=f"g{i}") for i in range(3)]
    bad = dict(record, claim_id="bad", **changes)
    if mutation == "fractional best":
        bad.update(low=0.0, high=max(1.0, float(record["high"])))
    rows = good[:position] + [bad] + good[position:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownNameWarning)
        claims, failures = claims_from_records(rows, errors="collect")
    assert (failures["row"] == position).all()
    assert ((failures["column"] == column) & (failures["reason"] == reason.value)).any(), failures
    assert len(claims) == 3


@settings(max_examples=40)
@given(st.lists(st.one_of(records(), st.dictionaries(st.sampled_from(["source", "place", "count", "date", "low", "period"]), st.text(max_size=8))), max_size=8))
def test_no_record_is_lost_in_collect_mode(rows):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownNameWarning)
        claims, failures = claims_from_records(rows, errors="collect")
    kept = set(claims.index)
    rejected = set(failures["row"])
    assert kept.isdisjoint(rejected)
    assert kept | rejected == set(range(len(rows)))


def test_validate_is_idempotent_on_the_seed():
    claims = cas.bundled_claims()
    pd.testing.assert_frame_equal(validate(validate(claims)), validate(claims))


def test_counts_are_floats_with_infinity_only_in_high():
    claims = cas.bundled_claims()
    assert np.isfinite(claims["low"]).all() and np.isfinite(claims["best"]).all()
    assert np.isinf(claims["high"]).any()


# -- natural Python records (issue 13) ----------------------------------------------------------------
@pytest.mark.parametrize("places", [["Iraq", "Syria"], ("Iraq", "Syria"), {"Iraq", "Syria"}, frozenset({"Syria", "Iraq"})])
def test_lists_tuples_and_sets_of_places_are_their_union(places):
    assert claims_from_records([one(place=places)]).iloc[0]["place"] == "IQ|SY"


def test_a_list_of_perpetrators_is_a_disputed_attribution():
    row = claims_from_records([one(perpetrator=["ISIS", "coalition"])]).iloc[0]
    assert row["perpetrator"] == claims_from_records([one(perpetrator="ISIS|coalition")]).iloc[0]["perpetrator"]
    assert "|" in row["perpetrator"]


def test_a_list_where_one_value_belongs_is_a_wrong_type_cell():
    claims, failures = failures_of(one(source=["SOHR", "UN"]))
    assert claims.empty
    assert failures[["column", "reason"]].values.tolist() == [["source", "wrong_type"]]
    assert failures.iloc[0]["value"] == ["SOHR", "UN"]


@pytest.mark.parametrize(
    "day",
    [
        __import__("datetime").date(2017, 6, 5),
        __import__("datetime").datetime(2017, 6, 5, 23, 59),
        pd.Timestamp("2017-06-05"),
        pd.Timestamp("2017-06-05 10:00", tz="Asia/Damascus"),
        np.datetime64("2017-06-05"),
        np.datetime64("2017-06-05T12:00:00", "s"),
    ],
)
def test_dates_of_any_python_type_are_their_day(day):
    row = claims_from_records([one(date=day)]).iloc[0]
    assert row["start"] == row["end"] == pd.Timestamp("2017-06-05")


@pytest.mark.parametrize("count", [np.int64(21), np.float64(21.0), np.int32(21), 21.0, __import__("decimal").Decimal("21"),
                                   __import__("fractions").Fraction(42, 2)])
def test_numpy_and_exact_numbers_are_counts(count):
    row = claims_from_records([one(count=count)]).iloc[0]
    assert (row["low"], row["best"], row["high"]) == (21, 21, 21)
    row = claims_from_records([one(count=None, low=count, high=np.int64(30))]).iloc[0]
    assert (row["low"], row["high"]) == (21, 30)


def test_timestamps_in_two_time_zones_in_one_column_are_their_days():
    claims = claims_from_records([one(date=pd.Timestamp("2017-06-05 01:00", tz="UTC")),
                                  one(date=pd.Timestamp("2017-06-05 23:00", tz="Asia/Tokyo"))])
    assert (claims["start"] == pd.Timestamp("2017-06-05")).all()


def test_text_with_a_time_zone_beside_plain_dates_parses():
    claims = claims_from_records([one(date="2017-06-05T10:00:00+02:00"), one(date="2017-06-05"), one(date="June 5, 2017")])
    assert (claims["start"] == pd.Timestamp("2017-06-05")).all()


def test_the_failure_names_the_column_the_user_wrote():
    _, failures = failures_of(one(count=None))
    assert failures[["column", "reason"]].values.tolist() == [["count", "missing"]]
    _, failures = failures_of({k: v for k, v in one(count=None, low=None).items() if k != "count"})
    assert failures[["column", "reason"]].values.tolist() == [["low", "missing"]]


# -- hostile records (issue 17): only our errors escape, every row accounted for -------------------------
@pytest.mark.parametrize("column", ["source", "place", "note", "quote", "claim_id", "perpetrator", "count", "date", "url", "my_extra"])
@pytest.mark.parametrize("value", [b"\xff\xfe", "\ud800", "ok\udcff"])
@pytest.mark.parametrize("mode", ["raise", "collect"])
def test_bytes_that_are_not_utf8_and_lone_surrogates_are_failing_cells(column, value, mode):
    records = [MINIMAL, one(**{column: value})]
    if column == "my_extra":  # a column outside the schema is kept as given
        assert len(claims_from_records(records, errors="collect")[0]) == 2
        return
    if mode == "raise":
        with pytest.raises(ClaimError) as info:
            claims_from_records(records)
        failures = info.value.failures
        str(info.value).encode("utf-8")  # the message itself can be printed
    else:
        claims, failures = claims_from_records(records, errors="collect")
        assert list(claims.index) == [0]
    assert failures[["row", "column", "reason"]].values.tolist() == [[1, column, "wrong_type"]]


def test_utf8_bytes_are_text():
    assert claims_from_records([one(source=b"SOHR", place=b"Raqqa")]).iloc[0]["source"] == "SOHR"


@pytest.mark.parametrize("records", [5, None, "abc", b"abc", {"source": "SOHR"}, pd.Series({"source": "SOHR"})])
def test_records_that_are_not_records_at_all_are_a_records_error(records):
    with pytest.raises(cas.RecordsError) as info:
        claims_from_records(records)
    assert isinstance(info.value, TypeError)


@pytest.mark.parametrize("stray", [None, "abc", 5, ["source", "SOHR"]])
def test_an_item_that_is_not_a_record_is_a_failing_row(stray):
    claims, failures = claims_from_records([MINIMAL, stray, MINIMAL], errors="collect")
    assert list(claims.index) == [0, 2]
    assert failures[["row", "column", "reason"]].values.tolist() == [[1, "(record)", "wrong_type"]]
    with pytest.raises(ClaimError):
        claims_from_records([MINIMAL, stray])


def test_a_frame_with_multiindex_columns_is_a_records_error():
    frame = pd.DataFrame([["SOHR", "Raqqa"]], columns=pd.MultiIndex.from_tuples([("a", "source"), ("a", "place")]))
    with pytest.raises(cas.RecordsError, match="MultiIndex"):
        claims_from_records(frame)


def test_an_unknown_errors_mode_is_an_option_error_naming_the_allowed_values():
    with pytest.raises(cas.OptionError, match="'raise', 'collect'") as info:
        claims_from_records([MINIMAL], errors="ignore")
    assert isinstance(info.value, ValueError) and info.value.allowed == ("raise", "collect")


@pytest.mark.parametrize(
    "day",
    ["0000-01-01", "-3", "0017-06-05", "9999-12-31", __import__("datetime").datetime(33, 3, 29), __import__("datetime").date(1, 1, 1),
     np.datetime64("200000-01-01", "s"), pd.Timestamp("2262-01-01")],
)
def test_dates_outside_1678_2261_are_failing_cells(day):
    claims, failures = failures_of(MINIMAL, one(date=day))
    assert list(claims.index) == [0]
    assert failures[["row", "column", "reason"]].values.tolist() == [[1, "date", "not_a_date"]]
    assert "1678-2261" in failures.iloc[0]["detail"]


def test_a_typed_column_of_far_dates_fails_those_rows():
    frame = pd.DataFrame([MINIMAL, MINIMAL]).drop(columns="date")
    frame["start"] = np.array(["2017-06-05", "200000-01-01"], dtype="datetime64[s]")
    claims, failures = claims_from_records(frame, errors="collect")
    assert list(claims.index) == [0]
    assert failures[["row", "column", "reason"]].values.tolist() == [[1, "start", "not_a_date"]]


@pytest.mark.parametrize("value", [2 + 1j, np.complex128(2), True, {"a": 1}, object(), 10**400])
def test_nonsense_counts_are_refused(value):
    claims, failures = failures_of(one(count=None, low=value))
    assert claims.empty
    assert failures[["column", "reason"]].values.tolist() == [["low", "wrong_type"]]


def test_a_complex_column_is_refused():
    frame = pd.DataFrame([MINIMAL]).drop(columns="count").assign(low=np.array([2 + 1j]))
    _, failures = claims_from_records(frame, errors="collect")
    assert failures[["column", "reason"]].values.tolist() == [["low", "wrong_type"]]


def test_empty_records_are_rejected_rows_not_lost():
    claims, failures = claims_from_records([{}, {}], errors="collect")
    assert claims.empty and set(failures["row"]) == {0, 1}


def test_a_parser_that_fails_on_one_cell_costs_only_that_cell(monkeypatch):
    from casualties import vocab

    real = vocab.parse_counts

    def fragile(text):
        if (text == "boom").any():
            raise OverflowError("boom")
        return real(text)

    monkeypatch.setattr(vocab, "parse_counts", fragile)
    claims, failures = failures_of(MINIMAL, one(count="boom"), MINIMAL)
    assert list(claims.index) == [0, 2]
    assert failures[["row", "column", "reason"]].values.tolist() == [[1, "count", "not_a_count"]]
    assert "OverflowError" in failures.iloc[0]["detail"]


def test_a_record_that_breaks_the_normaliser_is_its_own_failure(monkeypatch):
    from casualties import schema

    real = schema._infer_precision

    def fragile(start, end):
        if (start == pd.Timestamp("2017-06-06")).any():
            raise RuntimeError("a bug")
        return real(start, end)

    monkeypatch.setattr(schema, "_infer_precision", fragile)
    claims, failures = failures_of(MINIMAL, one(date="2017-06-06"), one(claim_id="c1"))
    assert list(claims.index) == [0]
    assert set(failures["row"]) == {1, 2}
    bug = failures[failures["row"] == 1].iloc[0]
    assert bug["column"] == "date" and "RuntimeError: a bug" in bug["detail"]
    assert failures[failures["row"] == 2]["reason"].tolist() == ["duplicate_id"]  # checked across the halves


# -- where: location, latitude, longitude -------------------------------------------------------------

def test_the_columns_of_docs_schema_md_are_those_of_COLUMNS():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "schema.md").read_text(encoding="utf-8")
    table = text.split("## Columns", 1)[1].split("\n## ", 1)[0]
    names = [line.split("|")[1].strip().strip("`") for line in table.splitlines() if line.startswith("| `")]
    assert names == list(COLUMN_NAMES)


def test_location_is_kept_verbatim_and_coordinates_as_text_parse():
    claims = claims_from_records([one(location=" Al-Fatih, Jableh District ", latitude="35.331032", longitude=" 36.05857")])
    row = claims.iloc[0]
    assert row["location"] == " Al-Fatih, Jableh District "
    assert (row["latitude"], row["longitude"]) == (35.331032, 36.05857)
    assert claims["latitude"].dtype == "float64" and claims["location"].dtype == cas.COLUMNS[8].dtype


@pytest.mark.parametrize("latitude", [35.5, np.float64(35.5), np.float32(35.5), __import__("decimal").Decimal("35.5"), "35.5", "3.55e1"])
def test_coordinates_of_any_number_type_are_read(latitude):
    claims = claims_from_records([one(latitude=latitude, longitude=-120)])
    assert (claims.iloc[0]["latitude"], claims.iloc[0]["longitude"]) == (35.5, -120.0)


def test_coordinates_on_the_limits_are_kept():
    claims = claims_from_records([one(latitude=90, longitude=-180), one(latitude="-90", longitude="180")])
    assert claims["latitude"].tolist() == [90.0, -90.0] and claims["longitude"].tolist() == [-180.0, 180.0]


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"latitude": 90.5, "longitude": 10}, "latitude", Reason.OUT_OF_RANGE),
        ({"latitude": "-91", "longitude": 10}, "latitude", Reason.OUT_OF_RANGE),
        ({"latitude": 10, "longitude": 180.000001}, "longitude", Reason.OUT_OF_RANGE),
        ({"latitude": 10, "longitude": "-200"}, "longitude", Reason.OUT_OF_RANGE),
        ({"latitude": "inf", "longitude": 10}, "latitude", Reason.OUT_OF_RANGE),
        ({"latitude": 10}, "longitude", Reason.MISSING),
        ({"longitude": "10"}, "latitude", Reason.MISSING),
        ({"latitude": 10, "longitude": ""}, "longitude", Reason.MISSING),
        ({"latitude": "north", "longitude": 10}, "latitude", Reason.NOT_A_NUMBER),
        ({"latitude": 10, "longitude": "36,05857"}, "longitude", Reason.NOT_A_NUMBER),
        ({"latitude": 0, "longitude": "0.0"}, "latitude", Reason.NULL_ISLAND),
        ({"latitude": True, "longitude": 10}, "latitude", Reason.WRONG_TYPE),
        ({"latitude": [1, 2], "longitude": 10}, "latitude", Reason.WRONG_TYPE),
    ],
)
def test_each_bad_coordinate_is_a_failing_cell(changes, column, reason):
    claims, failures = failures_of(one(), one(**changes))
    assert list(claims.index) == [0]
    row = failures[failures["row"] == 1]
    assert len(row) == 1, failures
    assert (row.iloc[0]["column"], row.iloc[0]["reason"]) == (column, reason.value)


def test_one_coordinate_with_the_other_bad_fails_once_for_the_bad_one():
    _, failures = failures_of(one(latitude=10, longitude="east"))
    assert failures[["column", "reason"]].values.tolist() == [["longitude", "not_a_number"]]


def test_a_typed_frame_of_coordinates_is_checked_as_records_are():
    frame = pd.DataFrame([one(), one(), one()])
    frame["latitude"] = [35.0, np.nan, 0.0]
    frame["longitude"] = [36.0, 12.0, 0.0]
    claims, failures = claims_from_records(frame, errors="collect")
    assert list(claims.index) == [0]
    assert failures[["row", "column", "reason"]].values.tolist() == [[1, "latitude", "missing"], [2, "latitude", "null_island"]]
