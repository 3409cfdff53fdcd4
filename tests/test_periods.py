"""Tests of casualties.periods: the periods of issue 13 and the hostile inputs of issue 17.

(The vocabulary that predates the split of casualties.vocab is tested in tests/test_vocab.py.)
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from casualties.errors import ParseError
from casualties.periods import FIRST_YEAR, LAST_YEAR, Period, date_span, parse_period, parse_periods

D = dt.date
REPORT = D(2017, 6, 6)  # the seed article's date (a Tuesday)

# phrase -> (start, end, precision), reported on 2017-06-06
PERIODS = {
    # quarters and halves
    "Q1 2017": (D(2017, 1, 1), D(2017, 3, 31), "range"),
    "q4-2016": (D(2016, 10, 1), D(2016, 12, 31), "range"),
    "2017-Q2": (D(2017, 4, 1), D(2017, 6, 30), "range"),
    "the first quarter of 2017": (D(2017, 1, 1), D(2017, 3, 31), "range"),
    "in the third quarter of 2016": (D(2016, 7, 1), D(2016, 9, 30), "range"),
    "Q1": (D(2017, 1, 1), D(2017, 3, 31), "range"),  # the report's year
    "Q3": (D(2016, 7, 1), D(2016, 9, 30), "range"),  # would start after the report: the year before
    "the first half of 2017": (D(2017, 1, 1), D(2017, 6, 30), "range"),
    "H2 2017": (D(2017, 7, 1), D(2017, 12, 31), "range"),
    "2016-H1": (D(2016, 1, 1), D(2016, 6, 30), "range"),
    "the second half of 2016": (D(2016, 7, 1), D(2016, 12, 31), "range"),
    # early, mid, late
    "early June 2017": (D(2017, 6, 1), D(2017, 6, 10), "range"),
    "mid-June 2017": (D(2017, 6, 11), D(2017, 6, 20), "range"),
    "in mid June 2017": (D(2017, 6, 11), D(2017, 6, 20), "range"),
    "late June 2017": (D(2017, 6, 21), D(2017, 6, 30), "range"),
    "late February 2016": (D(2016, 2, 21), D(2016, 2, 29), "range"),
    "late May": (D(2017, 5, 21), D(2017, 5, 31), "range"),
    "early 2017": (D(2017, 1, 1), D(2017, 4, 30), "range"),
    "mid-2017": (D(2017, 5, 1), D(2017, 8, 31), "range"),
    "late 2016": (D(2016, 9, 1), D(2016, 12, 31), "range"),
    # relative to the report
    "last month": (D(2017, 5, 1), D(2017, 5, 31), "month"),
    "over the past four months": (D(2017, 2, 6), D(2017, 6, 6), "range"),
    "in the past 24 hours": (D(2017, 6, 5), D(2017, 6, 6), "range"),
    "in the past 48 hours": (D(2017, 6, 4), D(2017, 6, 6), "range"),
    "over the last 10 days": (D(2017, 5, 27), D(2017, 6, 6), "range"),
    "the past week": (D(2017, 5, 30), D(2017, 6, 6), "range"),
    "over the past two weeks": (D(2017, 5, 23), D(2017, 6, 6), "range"),
    "in the past year": (D(2016, 6, 6), D(2017, 6, 6), "range"),
    # ranges of the new forms
    "from Q1 2017 to Q2 2017": (D(2017, 1, 1), D(2017, 6, 30), "range"),
    "between December 20 and January 5": (D(2016, 12, 20), D(2017, 1, 5), "range"),
    # an ISO datetime is its day (as written, whatever the offset)
    "2017-06-05T10:00:00+02:00": (D(2017, 6, 5), D(2017, 6, 5), "day"),
    "2017-06-05 23:30": (D(2017, 6, 5), D(2017, 6, 5), "day"),
}


@pytest.mark.parametrize("phrase", list(PERIODS))
def test_periods_of_issue_13(phrase):
    start, end, precision = PERIODS[phrase]
    assert parse_period(phrase, REPORT) == Period(start, end, precision)


@pytest.mark.parametrize("phrase", [
    "between June 5 and June 3, 2017",  # was 2016-06-05 to 2017-06-03
    "from June 5 to June 3",
    "between 2017 and 2016",
])
def test_a_period_that_ends_before_it_starts_is_an_error(phrase):
    with pytest.raises(ParseError, match="before it starts|start is after end"):
        parse_period(phrase, REPORT)


@pytest.mark.parametrize("phrase", ["over the past 0 days", "the past 1.5 weeks", "the past many days",
                                    "in the past 9999999 days", "Q5 2017", "H3 2017", "-3"])
def test_bad_periods_are_parse_errors(phrase):
    with pytest.raises(ParseError):
        parse_period(phrase, REPORT)


@pytest.mark.parametrize("reported_on", [pd.NA, pd.NaT, None, float("nan"), np.datetime64("NaT")])
def test_missing_report_dates_are_missing_not_a_crash(reported_on):
    assert parse_period("2017", reported_on=reported_on) == Period(D(2017, 1, 1), D(2017, 12, 31), "year")
    with pytest.raises(ParseError, match="needs reported_on"):
        parse_period("yesterday", reported_on=reported_on)


@pytest.mark.parametrize("phrase", ["on Monday", "yesterday", "last week", "this month", "last year",
                                    "the past 24 hours", "since May"])
@pytest.mark.parametrize("reported_on", [np.datetime64("-001-01-01"), "0001-01-01", D(1, 1, 1),
                                         np.datetime64("200000-01-01", "s"), D(9999, 12, 31)])
def test_far_report_dates_are_parse_errors(phrase, reported_on):
    with pytest.raises(ParseError, match=f"outside {FIRST_YEAR}-{LAST_YEAR}"):
        parse_period(phrase, reported_on=reported_on)


@pytest.mark.parametrize("phrase", ["last week", "last year", "the past 7 days", "between December 20 and January 2"])
def test_relative_periods_that_reach_before_1678_are_parse_errors(phrase):
    with pytest.raises(ParseError, match="outside 1678-2261"):
        parse_period(phrase, reported_on=D(1678, 1, 3))


@pytest.mark.parametrize("text", ["0000-01-01", "1677-12-31", "2262-01-01", "9999-12-31", "1600"])
def test_days_outside_pandas_range_are_parse_errors(text):
    with pytest.raises(ParseError):
        parse_period(text)


def test_periods_hold_only_days_pandas_can_hold():
    with pytest.raises(ParseError, match="outside 1678-2261"):
        Period(D(33, 3, 29), D(2017, 1, 1), "range")
    Period(D(FIRST_YEAR, 1, 1), D(LAST_YEAR, 12, 31), "range")  # the widest allowed


# ---------------------------------------------------------------------------- date_span
@pytest.mark.parametrize(("value", "start", "end"), [
    (2017, D(2017, 1, 1), D(2017, 12, 31)),
    ("2017", D(2017, 1, 1), D(2017, 12, 31)),
    (np.int64(2017), D(2017, 1, 1), D(2017, 12, 31)),
    (2017.0, D(2017, 1, 1), D(2017, 12, 31)),
    ("2017-12", D(2017, 12, 1), D(2017, 12, 31)),
    ("December 2017", D(2017, 12, 1), D(2017, 12, 31)),
    ("2016-02", D(2016, 2, 1), D(2016, 2, 29)),
    ("2017-06-05", D(2017, 6, 5), D(2017, 6, 5)),
    ("June 5, 2017", D(2017, 6, 5), D(2017, 6, 5)),
    (D(2017, 6, 5), D(2017, 6, 5), D(2017, 6, 5)),
    (dt.datetime(2017, 6, 5, 23, 59), D(2017, 6, 5), D(2017, 6, 5)),
    (pd.Timestamp("2017-06-05 13:00", tz="Asia/Damascus"), D(2017, 6, 5), D(2017, 6, 5)),
    (np.datetime64("2017-06-05"), D(2017, 6, 5), D(2017, 6, 5)),
    (np.datetime64("2017-06-05T10:00:00"), D(2017, 6, 5), D(2017, 6, 5)),
    (np.datetime64("2017"), D(2017, 1, 1), D(2017, 12, 31)),
    (np.datetime64("2017-03"), D(2017, 3, 1), D(2017, 3, 31)),
    ("Q1 2017", D(2017, 1, 1), D(2017, 3, 31)),
    (FIRST_YEAR, D(FIRST_YEAR, 1, 1), D(FIRST_YEAR, 12, 31)),
    (LAST_YEAR, D(LAST_YEAR, 1, 1), D(LAST_YEAR, 12, 31)),
])
def test_date_span_reads_years_and_months_as_all_of_them(value, start, end):
    span = date_span(value)
    assert (span.start, span.end) == (start, end)


@pytest.mark.parametrize("value", [5, -3, "-3", 0, 1677, 2262, 10**20, True, 2017.5, float("inf"),
                                   None, pd.NaT, pd.NA, float("nan"), np.datetime64("NaT"),
                                   dt.datetime(33, 3, 29), np.datetime64("200000-01-01", "s"),
                                   "0000-01-01", "the 45th of Smarch", "", b"2017", [2017], object()])
def test_date_span_refuses_what_is_not_a_date_with_a_parse_error(value):
    with pytest.raises(ParseError):
        date_span(value)


def test_date_span_resolves_relative_words_against_the_report():
    assert date_span("last month", REPORT) == Period(D(2017, 5, 1), D(2017, 5, 31), "month")


def test_parse_periods_takes_years_dates_and_missing_report_dates():
    frame = parse_periods(pd.Series([2017, "2017-12", D(2017, 6, 5), "yesterday"], dtype=object),
                          reported_on=pd.Series([pd.NA, pd.NA, pd.NA, "2017-06-06"]))
    assert list(frame["start"].dt.date) == [D(2017, 1, 1), D(2017, 12, 1), D(2017, 6, 5), D(2017, 6, 5)]
    assert list(frame["end"].dt.date) == [D(2017, 12, 31), D(2017, 12, 31), D(2017, 6, 5), D(2017, 6, 5)]
    assert frame["error"].isna().all()
