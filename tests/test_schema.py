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
