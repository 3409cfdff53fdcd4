"""Tests of casualties.vocab: counts and periods from words."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casualties.errors import ParseError
from casualties.vocab import (
    MAX_COUNT,
    VAGUE_WORDS,
    Count,
    Period,
    parse_count,
    parse_counts,
    parse_period,
    parse_periods,
)

INF = math.inf
D = dt.date
REPORT = D(2017, 6, 6)  # the seed article's date (a Tuesday)

# phrase -> (low, best, high, qualifier, provisional), written by hand from the rules.
COUNTS = {
    # exact, digits and words
    "21": (21, 21, 21, "exact", False),
    "twenty-one": (21, 21, 21, "exact", False),
    "Twenty one": (21, 21, 21, "exact", False),
    "a hundred": (100, 100, 100, "exact", False),
    "one hundred and fifty": (150, 150, 150, "exact", False),
    "fifteen hundred": (1500, 1500, 1500, "exact", False),
    "two thousand": (2000, 2000, 2000, "exact", False),
    "three hundred thousand": (300000, 300000, 300000, "exact", False),
    "1,500": (1500, 1500, 1500, "exact", False),
    "1.5 million": (1500000, 1500000, 1500000, "exact", False),
    "400,000": (400000, 400000, 400000, "exact", False),
    "  21.  ": (21, 21, 21, "exact", False),
    "0": (0, 0, 0, "exact", False),
    "half a dozen": (6, 6, 6, "exact", False),
    "two dozen": (24, 24, 24, "exact", False),
    # trailing noun phrase
    "21 civilians": (21, 21, 21, "exact", False),
    "around 1,500 civilians": (1350, 1500, 1650, "around", False),
    # at least
    "at least 21": (21, 21, INF, "at-least", False),
    "21 or more": (21, 21, INF, "at-least", False),
    "a minimum of 21": (21, 21, INF, "at-least", False),
    "no fewer than 21": (21, 21, INF, "at-least", False),
    "no less than 21": (21, 21, INF, "at-least", False),
    # more than
    "more than 400,000": (400001, 400001, INF, "more-than", False),
    "over 400,000": (400001, 400001, INF, "more-than", False),
    "upwards of 30": (31, 31, INF, "more-than", False),
    "more than a dozen": (13, 13, INF, "more-than", False),
    # around: N -/+ 10 %, outward
    "around 1,500": (1350, 1500, 1650, "around", False),
    "about 1,500": (1350, 1500, 1650, "around", False),
    "approximately 1,500": (1350, 1500, 1650, "around", False),
    "roughly 1,500": (1350, 1500, 1650, "around", False),
    "some 1,500": (1350, 1500, 1650, "around", False),
    "an estimated 1,500": (1350, 1500, 1650, "around", False),
    "~1,500": (1350, 1500, 1650, "around", False),
    "around 15": (13, 15, 17, "around", False),  # 13.5 -> 13, 16.5 -> 17
    "about 3": (2, 3, 4, "around", False),  # 2.7 -> 2, 3.3 -> 4
    # nearly: [floor(0.9 N), N]
    "nearly 100": (90, 100, 100, "nearly", False),
    "almost 15": (13, 15, 15, "nearly", False),
    # up to
    "up to 50": (0, 50, 50, "up-to", False),
    "as many as 50": (0, 50, 50, "up-to", False),
    # between: best is the midpoint rounded down
    "between 1,350 and 1,650": (1350, 1500, 1650, "between", False),
    "1,350-1,650": (1350, 1500, 1650, "between", False),
    "1,350\u20131,650": (1350, 1500, 1650, "between", False),
    "10 to 21": (10, 15, 21, "between", False),
    "from 10 to 21": (10, 15, 21, "between", False),
    "between 1.5 and 2 million": (1500000, 1750000, 2000000, "between", False),
    "between two and three thousand": (2000, 2500, 3000, "between", False),
    "between 7 and 7": (7, 7, 7, "between", False),
    # vague words with modifiers
    "dozens of civilians": (12, 12, 99, "dozens", False),
    "at least dozens": (12, 12, INF, "at-least", False),
    # provisional
    "21, could rise": (21, 21, INF, "exact", True),
    "21 may rise": (21, 21, INF, "exact", True),
    "21; the toll is likely to rise": (21, 21, INF, "exact", True),
    "21, expected to rise": (21, 21, INF, "exact", True),
    "484, much higher": (484, 484, INF, "exact", True),
    "484 civilians, but observers say the number is much higher": (484, 484, INF, "exact", True),
    "around 1,500, feared higher": (1350, 1500, INF, "around", True),
    "dozens, could rise": (12, 12, INF, "dozens", True),
}

# The seed article's figures (TRT World, 6 June 2017).
SEED_COUNTS = {
    "21": (21, 21, 21, "exact", False),
    "21 civilians": (21, 21, 21, "exact", False),
    "the death toll in Monday's attack could rise, 21": (21, 21, INF, "exact", True),
    "484": (484, 484, 484, "exact", False),
    "484 civilians, but observers say the number is much higher": (484, 484, INF, "exact", True),
    "around 1,500": (1350, 1500, 1650, "around", False),
    "over 400,000": (400001, 400001, INF, "more-than", False),
    "over 400,000 people dead": (400001, 400001, INF, "more-than", False),
    "225": (225, 225, 225, "exact", False),
    "225 civilians killed": (225, 225, 225, "exact", False),
    "thousands": (1000, 1000, 9999, "thousands", False),
}

BAD_COUNTS = [
    "", "   ", "could rise", "much higher", "the death toll in Monday's attack could rise", "1.5",
    "-5", "\u22125", "1e400", "9" * 5000, "9" * 40, "many", "a great many", "21 more", "21, 30",
    "between 30 and 20", "twenty thirty", "a", "hundred", "21 killed and 30 injured", "NaN",
    "21 could rise, 30 may rise", "inf", "1,50", "one two", None, float("nan"), float("inf"), -1,
    1.5, True, [21], 10**16,
]


def _tuple(count: Count) -> tuple:
    return (count.low, count.best, count.high, count.qualifier, count.provisional)


@pytest.mark.parametrize("text, expected", list(COUNTS.items()))
def test_count_table(text, expected):
    assert _tuple(parse_count(text)) == expected


@pytest.mark.parametrize("text, expected", list(SEED_COUNTS.items()))
def test_seed_counts(text, expected):
    assert _tuple(parse_count(text)) == expected


@pytest.mark.parametrize("word", sorted(VAGUE_WORDS))
def test_vague_words(word):
    count = VAGUE_WORDS[word]
    assert parse_count(word) == count
    assert parse_count(word.upper() + " people") == count
    assert count.low == count.best <= count.high < INF


@pytest.mark.parametrize("word, low", [("a few", 3), ("several", 3), ("a handful", 3), ("tens", 10),
                                       ("dozens", 12), ("scores", 40), ("hundreds", 100),
                                       ("thousands", 1000), ("tens of thousands", 10000),
                                       ("hundreds of thousands", 100000), ("a dozen", 12)])
def test_vague_lows_follow_acled(word, low):
    assert VAGUE_WORDS[word].low == low


@pytest.mark.parametrize("value", BAD_COUNTS)
def test_bad_counts_raise_parse_error(value):
    with pytest.raises(ParseError) as info:
        parse_count(value)
    assert info.value.text is value and info.value.reason


def test_numbers_are_exact():
    assert _tuple(parse_count(21)) == (21, 21, 21, "exact", False)
    assert _tuple(parse_count(21.0)) == (21, 21, 21, "exact", False)
    assert _tuple(parse_count(np.int64(7))) == (7, 7, 7, "exact", False)
    assert parse_count(MAX_COUNT).best == MAX_COUNT


def test_tolerance_parameter():
    assert _tuple(parse_count("around 100", tolerance=0.2)) == (80, 100, 120, "around", False)
    assert _tuple(parse_count("nearly 100", tolerance=0.25)) == (75, 100, 100, "nearly", False)
    assert _tuple(parse_count("about 100", tolerance=0)) == (100, 100, 100, "around", False)
    for bad in (-0.1, 1.5, float("nan"), "0.1"):
        with pytest.raises(ParseError):
            parse_count("about 100", tolerance=bad)


def test_count_value_object():
    count = Count(1350, 1500, 1650, "around")
    assert repr(count) == "Count([1350, 1650], best=1500, around)"
    assert repr(Count(401, 401, INF, "more-than", True)) == "Count([401, inf), best=401, more-than, provisional)"
    assert count.replace(high=INF) == Count(1350, 1500, INF, "around")
    assert count.replace(high=INF) is not count and count.high == 1650
    assert count.__eq__((1350, 1500, 1650, "around")) is NotImplemented
    assert count != (1350, 1500, 1650, "around")
    assert 1500 in count and 1651 not in count
    assert hash(count) == hash(Count(1350.0, 1500.0, 1650.0, "around"))
    assert isinstance(count.low, float)
    with pytest.raises(AttributeError):
        count.low = 3  # type: ignore[misc]


@pytest.mark.parametrize("args", [(2, 1, 3, "x"), (-1, 0, 1, "x"), (0, 1, 0.5, "x"), (1.5, 2, 3, "x"),
                                  (INF, INF, INF, "x"), (0, INF, INF, "x"), (0, 0, float("nan"), "x"),
                                  (0, 0, 0, ""), ("1", 1, 1, "x"), (True, 1, 1, "x")])
def test_count_invariants(args):
    with pytest.raises(ParseError):
        Count(*args)
    with pytest.raises(ValueError):  # ParseError is a ValueError
        Count(*args)


# ---------------------------------------------------------------------------- properties
_FRAGMENTS = ["21", "1,500", "400,000", "1.5", "-", "to", "and", "between", "from", "around",
              "about", "at least", "more than", "or more", "up to", "nearly", "dozens", "a",
              "hundred", "thousand", "twenty", "one", "could rise", "much higher", ",", ";",
              "(", "civilians", "of", "~", "0", "9" * 20, "million", "half", "dozen"]


@settings(deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(_FRAGMENTS), max_size=8).map(" ".join)))
def test_parse_count_raises_only_parse_error(text):
    try:
        count = parse_count(text)
    except ParseError:
        return
    assert 0 <= count.low <= count.best <= count.high


@settings(deadline=None)
@given(st.integers(0, MAX_COUNT), st.floats(0, 1), st.sampled_from(["around", "about", "some", "~"]))
def test_around_contains_n_and_is_sound(n, tolerance, word):
    count = parse_count(f"{word} {n:,}", tolerance=tolerance)
    t = Fraction(repr(tolerance))
    assert n in count and count.best == n
    assert count.low <= n * (1 - t) and count.high >= n * (1 + t)  # outward rounding
    assert count.low == math.floor(n * (1 - t)) and count.high == math.ceil(n * (1 + t))


@settings(deadline=None)
@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_between_is_ordered_and_best_is_the_midpoint(a, b):
    low, high = sorted((a, b))
    count = parse_count(f"between {low:,} and {high:,}")
    assert (count.low, count.best, count.high) == (low, (low + high) // 2, high)


_CELLS = st.one_of(st.sampled_from(list(COUNTS) + BAD_COUNTS[:12] + [None, "", np.nan, pd.NA]),
                   st.integers(0, 1000))


@settings(deadline=None)
@given(st.lists(_CELLS, max_size=30), st.randoms(use_true_random=False))
def test_parse_counts_agrees_with_parse_count(values, random):
    index = pd.Index(random.sample(range(1000), len(values)))
    frame = parse_counts(pd.Series(values, index=index, dtype=object))
    assert list(frame.columns) == ["low", "best", "high", "qualifier", "provisional", "error"]
    assert frame.index.equals(index)
    for value, row in zip(values, frame.itertuples(index=False)):
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or (
                isinstance(value, str) and not value.strip()):  # blank strings are missing too
            assert pd.isna(row.best) and pd.isna(row.error) and pd.isna(row.qualifier)
            continue
        try:
            count = parse_count(value)
        except ParseError as exc:
            assert row.error == exc.reason and pd.isna(row.best) and not row.provisional
            continue
        assert (row.low, row.best, row.high, row.qualifier, row.provisional) == _tuple(count)
        assert pd.isna(row.error)


def test_parse_counts_dtypes_and_list_input():
    frame = parse_counts(["21", "around 1,500", None, "gibberish", "21"])
    assert frame.index.equals(pd.RangeIndex(5))
    assert [str(t) for t in frame.dtypes] == ["float64", "float64", "float64", "string", "bool", "string"]
    assert frame["best"].tolist()[:2] == [21.0, 1500.0] and frame["error"].isna().tolist() == [True, True, True, False, True]
    assert parse_counts(np.array([21.0, np.nan]))["best"].isna().tolist() == [False, True]
    assert len(parse_counts([])) == 0


# ---------------------------------------------------------------------------- periods
# phrase -> (start, end, precision), with REPORT as the report's date.
PERIODS = {
    "on Monday": (D(2017, 6, 5), D(2017, 6, 5), "day"),
    "Monday": (D(2017, 6, 5), D(2017, 6, 5), "day"),
    "on Tuesday": (D(2017, 6, 6), D(2017, 6, 6), "day"),  # the report's own day
    "on Wednesday": (D(2017, 5, 31), D(2017, 5, 31), "day"),
    "Sunday night": (D(2017, 6, 4), D(2017, 6, 4), "day"),
    "yesterday": (D(2017, 6, 5), D(2017, 6, 5), "day"),
    "today": (D(2017, 6, 6), D(2017, 6, 6), "day"),
    "June 5, 2017": (D(2017, 6, 5), D(2017, 6, 5), "day"),
    "5 June 2017": (D(2017, 6, 5), D(2017, 6, 5), "day"),
    "Jun 5 2017": (D(2017, 6, 5), D(2017, 6, 5), "day"),
    "June 5th, 2017": (D(2017, 6, 5), D(2017, 6, 5), "day"),
    "Monday, June 5, 2017": (D(2017, 6, 5), D(2017, 6, 5), "day"),
    "2017-06-05": (D(2017, 6, 5), D(2017, 6, 5), "day"),
    "June 5": (D(2017, 6, 5), D(2017, 6, 5), "day"),
    "June 7": (D(2016, 6, 7), D(2016, 6, 7), "day"),  # after the report: the year before
    "in May 2017": (D(2017, 5, 1), D(2017, 5, 31), "month"),
    "May 2017": (D(2017, 5, 1), D(2017, 5, 31), "month"),
    "2017-05": (D(2017, 5, 1), D(2017, 5, 31), "month"),
    "in February 2016": (D(2016, 2, 1), D(2016, 2, 29), "month"),
    "in May": (D(2017, 5, 1), D(2017, 5, 31), "month"),
    "in 2016": (D(2016, 1, 1), D(2016, 12, 31), "year"),
    "2016": (D(2016, 1, 1), D(2016, 12, 31), "year"),
    "2017-W23": (D(2017, 6, 5), D(2017, 6, 11), "week"),
    "this week": (D(2017, 6, 5), D(2017, 6, 11), "week"),
    "last week": (D(2017, 5, 29), D(2017, 6, 4), "week"),
    "last month": (D(2017, 5, 1), D(2017, 5, 31), "month"),
    "last year": (D(2016, 1, 1), D(2016, 12, 31), "year"),
    "between April 23 and May 23": (D(2017, 4, 23), D(2017, 5, 23), "range"),
    "between April 23, 2017 and May 23, 2017": (D(2017, 4, 23), D(2017, 5, 23), "range"),
    "between April 23 and May 23, 2017": (D(2017, 4, 23), D(2017, 5, 23), "range"),
    "between December 20 and January 5": (D(2016, 12, 20), D(2017, 1, 5), "range"),
    "from April 23 to May 23": (D(2017, 4, 23), D(2017, 5, 23), "range"),
    "April 23 to May 23": (D(2017, 4, 23), D(2017, 5, 23), "range"),
    "from March 2011 to June 2017": (D(2011, 3, 1), D(2017, 6, 30), "range"),
    "2017-04-23/2017-05-23": (D(2017, 4, 23), D(2017, 5, 23), "range"),
    "June 5-7, 2017": (D(2017, 6, 5), D(2017, 6, 7), "range"),
    "5-7 June 2017": (D(2017, 6, 5), D(2017, 6, 7), "range"),
    "since September 23, 2014": (D(2014, 9, 23), REPORT, "range"),
    "since March 2011": (D(2011, 3, 1), REPORT, "range"),
    "since 2014": (D(2014, 1, 1), REPORT, "range"),
    "since Monday": (D(2017, 6, 5), REPORT, "range"),
}

BAD_PERIODS = ["", "foo", "5", "since 5", "February 30, 2017", "2017-13", "2017-W54", "0000",
               "Tuesday, June 5, 2017", "since 2018", "between May 23 and April 23 2016 and",
               "June 5, 2017 to June 1, 2017", "next week", "1e400", "9" * 5000, None, 21,
               float("nan")]


@pytest.mark.parametrize("text, expected", list(PERIODS.items()))
def test_period_table(text, expected):
    period = parse_period(text, REPORT)
    assert (period.start, period.end, period.precision) == expected


@pytest.mark.parametrize("text", BAD_PERIODS)
def test_bad_periods_raise_parse_error(text):
    with pytest.raises(ParseError) as info:
        parse_period(text, REPORT)
    assert info.value.text is text


@pytest.mark.parametrize("text", ["on Monday", "yesterday", "June 5", "in May", "since 2014",
                                  "between April 23 and May 23", "last week"])
def test_relative_phrases_need_reported_on(text):
    with pytest.raises(ParseError, match="reported_on"):
        parse_period(text)


@pytest.mark.parametrize("report", [REPORT, dt.datetime(2017, 6, 6, 23, 59), pd.Timestamp("2017-06-06"),
                                    "2017-06-06", "2017-06-06T10:00:00", np.datetime64("2017-06-06")])
def test_reported_on_types(report):
    assert parse_period("on Monday", report) == Period(D(2017, 6, 5), D(2017, 6, 5), "day")


def test_absolute_phrases_need_no_report_and_dates_are_days():
    assert parse_period("2017-04-23/2017-05-23") == Period(D(2017, 4, 23), D(2017, 5, 23), "range")
    assert parse_period(D(2017, 6, 5)) == Period(D(2017, 6, 5), D(2017, 6, 5), "day")
    assert parse_period(pd.Timestamp("2017-06-05 10:00")) == Period(D(2017, 6, 5), D(2017, 6, 5), "day")
    with pytest.raises(ParseError):
        parse_period("on Monday", "not a date")


def test_period_value_object():
    period = Period(D(2017, 4, 23), D(2017, 5, 23), "range")
    assert repr(period) == "Period([2017-04-23, 2017-05-23], range)"
    assert period.days == 31 and D(2017, 5, 1) in period and D(2017, 5, 24) not in period
    assert period.replace(precision="month").precision == "month" and period.precision == "range"
    assert period.__eq__((period.start, period.end, period.precision)) is NotImplemented
    assert Period(dt.datetime(2017, 1, 1, 5), D(2017, 1, 1), "day").start == D(2017, 1, 1)
    for args in [(D(2017, 2, 1), D(2017, 1, 1), "range"), (D(2017, 1, 1), D(2017, 1, 1), "decade"),
                 ("2017-01-01", D(2017, 1, 1), "day")]:
        with pytest.raises(ParseError):
            Period(*args)


_PERIOD_FRAGMENTS = ["on", "in", "since", "between", "and", "from", "to", "-", "/", "monday",
                     "june", "may", "5", "23", "2017", "2017-06-05", "2017-w23", "2017-05",
                     "yesterday", "last", "week", "0000", "9999", "31", "february", "29", ","]


@settings(deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(_PERIOD_FRAGMENTS), max_size=7).map(" ".join)),
       st.one_of(st.none(), st.dates()))
def test_parse_period_raises_only_parse_error(text, report):
    try:
        period = parse_period(text, report)
    except ParseError:
        return
    assert period.start <= period.end


@settings(deadline=None)
@given(st.dates(D(1900, 1, 1), D(2100, 12, 31)), st.sampled_from(["Monday", "Friday", "Sunday"]))
def test_weekday_is_the_last_one_on_or_before_the_report(report, weekday):
    day = parse_period(f"on {weekday}", report).start
    assert 0 <= (report - day).days < 7 and f"{day:%A}" == weekday


_PERIOD_CELLS = st.sampled_from(list(PERIODS) + BAD_PERIODS[:10] + [None, "", pd.NA])
_REPORTS = st.sampled_from([REPORT, D(2017, 1, 3), pd.NaT, None, "2016-03-01"])


@settings(deadline=None)
@given(st.lists(st.tuples(_PERIOD_CELLS, _REPORTS), max_size=25))
def test_parse_periods_agrees_with_parse_period(pairs):
    index = pd.Index([f"r{i}" for i in range(len(pairs))])
    texts = pd.Series([p[0] for p in pairs], index=index, dtype=object)
    reports = pd.Series([p[1] for p in pairs], index=index, dtype=object)
    frame = parse_periods(texts, reports)
    assert list(frame.columns) == ["start", "end", "precision", "error"]
    assert frame.index.equals(index)
    for (text, report), row in zip(pairs, frame.itertuples(index=False)):
        if text is None or text is pd.NA or (isinstance(text, str) and not text.strip()):
            assert pd.isna(row.start) and pd.isna(row.error)
            continue
        try:
            period = parse_period(text, None if report is pd.NaT else report)
        except ParseError as exc:
            assert row.error == exc.reason and pd.isna(row.start) and pd.isna(row.precision)
            continue
        assert (row.start.date(), row.end.date(), row.precision) == (period.start, period.end, period.precision)
        assert pd.isna(row.error)


def test_parse_periods_scalar_report_and_dtypes():
    frame = parse_periods(["on Monday", "since 2014", None, "gibberish"], REPORT)
    assert [str(t) for t in frame.dtypes] == ["datetime64[s]", "datetime64[s]", "string", "string"]
    assert frame["start"].tolist()[:2] == [pd.Timestamp("2017-06-05"), pd.Timestamp("2014-01-01")]
    assert frame["end"][1] == pd.Timestamp(REPORT)
    assert frame["error"].notna().tolist() == [False, False, False, True]
    assert parse_periods(["on Monday"])["error"][0] == "a relative date needs reported_on"
    dated = pd.Series(pd.to_datetime(["2017-06-06", None]), index=[5, 7])
    frame = parse_periods(pd.Series(["Monday", "Monday"], index=[7, 5]), dated)  # aligned on labels
    assert frame.loc[5, "start"] == pd.Timestamp("2017-06-05") and pd.notna(frame.loc[7, "error"])
    with pytest.raises(ParseError):
        parse_periods(["Monday"], [REPORT, REPORT])


def test_parse_counts_is_fast_on_repeated_values():
    values = pd.Series(["around 1,500", "21", None, "over 400,000"] * 50_000)
    frame = parse_counts(values)
    assert len(frame) == 200_000 and frame["best"].iloc[-1] == 400001
    periods = parse_periods(pd.Series(["on Monday", "2016"] * 50_000), pd.Series([REPORT, D(2017, 1, 3)] * 50_000))
    assert periods["start"].iloc[-1] == pd.Timestamp("2016-01-01")


def test_docs_examples_run():
    import doctest
    from pathlib import Path

    page = Path(__file__).resolve().parents[1] / "docs" / "vocabulary.md"
    assert doctest.testfile(str(page), module_relative=False).failed == 0


def test_the_examples_of_docs_vocabulary_run():
    import doctest
    from pathlib import Path

    page = Path(__file__).resolve().parents[1] / "docs" / "vocabulary.md"
    result = doctest.testfile(str(page), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
