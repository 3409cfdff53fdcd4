"""Tests of casualties.counts: the counts of issue 13 and the hostile inputs of issue 17.

(The vocabulary that predates the split of casualties.vocab is tested in tests/test_vocab.py;
the fuzzing of both parsers is here.)
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casualties.counts import MAX_COUNT, Count, parse_count, parse_counts
from casualties.errors import CasualtiesError, ParseError
from casualties.periods import parse_period, parse_periods

INF = math.inf

COUNTS = {
    # scale letters
    "12k": (12_000, 12_000, 12_000, "exact"),
    "12K civilians": (12_000, 12_000, 12_000, "exact"),
    "1.2m": (1_200_000, 1_200_000, 1_200_000, "exact"),
    "1.2M people": (1_200_000, 1_200_000, 1_200_000, "exact"),
    "3bn": (3_000_000_000, 3_000_000_000, 3_000_000_000, "exact"),
    "around 12k": (10_800, 12_000, 13_200, "around"),
    "over 1.2m": (1_200_001, 1_200_001, INF, "more-than"),
    "between 10k and 12k": (10_000, 11_000, 12_000, "between"),
    # nobody
    "no one": (0, 0, 0, "exact"),
    "none": (0, 0, 0, "exact"),
    "None.": (0, 0, 0, "exact"),
    "nobody": (0, 0, 0, "exact"),
    "no civilians": (0, 0, 0, "exact"),
    "no more than 5": (0, 5, 5, "up-to"),  # "no" still leads its own forms
    "21 old men": (21, 21, 21, "exact"),  # "old" alone is not a unit
    # number words up to the millions
    "two million": (2_000_000, 2_000_000, 2_000_000, "exact"),
    "one hundred and twenty": (120, 120, 120, "exact"),
    "two million three hundred thousand": (2_300_000, 2_300_000, 2_300_000, "exact"),
    "one million two hundred thousand and five": (1_200_005, 1_200_005, 1_200_005, "exact"),
}


@pytest.mark.parametrize("phrase", list(COUNTS))
def test_counts_of_issue_13(phrase):
    low, best, high, qualifier = COUNTS[phrase]
    assert parse_count(phrase) == Count(low, best, high, qualifier)


@pytest.mark.parametrize(("text", "reason"), [
    ("21 percent", "not a count of people"),
    ("21 per cent", "not a count of people"),
    ("21%", "percentage"),
    ("around 10 percent", "not a count of people"),
    ("21 km away", "not a count of people"),
    ("21 years", "not a count of people"),
    ("21 years old", "not a count of people"),
    ("some 12 days", "not a count of people"),
    ("1.2 m", "not a count of people"),  # metres: the scale letter must touch the figure
    ("1.000", "ambiguous"),
    ("2.000 people", "ambiguous"),
    ("around 1.500", "ambiguous"),
])
def test_figures_of_something_else_are_refused_with_a_reason(text, reason):
    with pytest.raises(ParseError, match=reason):
        parse_count(text)


@pytest.mark.parametrize("value", [10**80, Fraction(10**70, 3), Fraction(10**70, 1), np.uint64(2**63),
                                   Decimal("1e80"), Decimal("NaN"), Decimal("-1"), float("inf"), 1e300,
                                   -1, 2.5, np.float64("nan"), Fraction(7, 2), MAX_COUNT + 1])
def test_numbers_out_of_range_are_parse_errors_not_overflow(value):
    with pytest.raises(ParseError):
        parse_count(value)


@pytest.mark.parametrize("value", [21, np.int64(21), np.int8(21), np.uint32(21), np.float32(21), 21.0,
                                   Fraction(42, 2), Decimal("21"), Decimal("21.000")])
def test_numbers_of_any_kind_are_exact_counts(value):
    assert parse_count(value) == Count(21, 21, 21, "exact")


@pytest.mark.parametrize("value", [True, np.bool_(False), 2 + 1j, b"21", None, [21], dt.date(2017, 1, 1)])
def test_other_types_are_parse_errors(value):
    with pytest.raises(ParseError):
        parse_count(value)


def test_the_column_forms_take_cells_pandas_cannot_hash():
    cells = [Decimal("sNaN"), [21], "21", [21], None, Decimal("sNaN")]
    frame = parse_counts(cells)
    assert frame["best"].iloc[2] == 21 and frame["error"].iloc[[0, 1, 3, 5]].notna().all()
    assert pd.isna(frame["error"].iloc[4])
    periods = parse_periods(cells, reported_on=[Decimal("sNaN"), None, "2017-06-06", [1], None, None])
    assert periods["error"].iloc[[0, 1, 3, 5]].notna().all()


def test_the_column_form_reports_the_reasons():
    frame = parse_counts(pd.Series(["12k", "21 percent", "no one", 10**80]))
    assert list(frame["best"].iloc[[0, 2]]) == [12_000, 0]
    assert "not a count of people" in frame["error"].iloc[1]
    assert "larger than" in frame["error"].iloc[3]


# ---------------------------------------------------------------------------- fuzzing
_NUMBERS = st.one_of(
    st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.fractions(),
    st.decimals(allow_nan=True, allow_infinity=True), st.complex_numbers(), st.booleans(),
    st.integers(-(2**63), 2**63 - 1).map(np.int64), st.floats(width=32).map(np.float32),
    st.integers(0, 2**64 - 1).map(np.uint64), st.floats().map(np.float64),
)
_WORDS = ["around", "between", "and", "to", "at least", "over", "k", "m", "1.000", "no one", "none",
          "percent", "%", "km", "years", "could rise", ",", "-", "21", "1,500", "two million",
          "Q1", "H2", "2017", "early", "mid", "late", "June", "the past", "24", "hours", "since",
          "yesterday", "last", "month", "week", "\ud800", "\x00", "٣", "²", "1e308", "\u2212"]
_TEXT = st.one_of(
    st.text(),  # any code point, lone surrogates included
    st.lists(st.sampled_from(_WORDS), max_size=8).map(" ".join),
    st.lists(st.sampled_from(_WORDS), max_size=8).map("".join),
)
_DATES = st.one_of(
    st.none(), st.just(pd.NA), st.just(pd.NaT), st.just(float("nan")), st.dates(),
    st.datetimes(), st.text(max_size=30),
    st.integers(-(10**6), 10**6).map(lambda d: np.datetime64(d, "D")),
    st.integers(-(2**62), 2**62).map(lambda s: np.datetime64(s, "s")),
    st.integers(), st.dates().map(str), st.dates().map(pd.Timestamp),
)


@settings(deadline=None)
@given(st.one_of(_TEXT, _NUMBERS))
def test_only_our_errors_escape_parse_count(value):
    try:
        parse_count(value)
    except CasualtiesError:
        pass


@settings(deadline=None)
@given(st.one_of(_TEXT, _NUMBERS, st.dates(), st.datetimes()), _DATES)
def test_only_our_errors_escape_parse_period(value, reported_on):
    try:
        period = parse_period(value, reported_on=reported_on)
    except CasualtiesError:
        return
    assert pd.Timestamp(period.start) <= pd.Timestamp(period.end)  # pandas can hold both


@settings(deadline=None, max_examples=30)
@given(st.lists(st.one_of(_TEXT, _NUMBERS, st.lists(st.integers(), max_size=2)), max_size=10),
       st.lists(st.one_of(_DATES, st.decimals()), min_size=10, max_size=10))
def test_only_our_errors_escape_the_column_forms(values, reports):
    parse_counts(values)
    parse_periods(values, reported_on=reports[:len(values)])
