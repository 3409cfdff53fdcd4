"""Periods from words ("on Monday", "since 23 September 2014", "Q1 2017").

:func:`parse_period` turns a time phrase ("on Monday", "between April 23 and May 23") into a
:class:`Period`, resolving relative words against the report's date; :func:`parse_periods` does
the same for a whole column, parsing each distinct (text, reported_on) pair once.
:func:`date_span` reads one bound of a question (``2017``, ``"2017-12"``, a date) as the days it
stands for. The vocabulary is documented in ``docs/vocabulary.md``; anything outside it raises
:class:`~casualties.errors.ParseError`, and nothing else does.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from casualties.counts import _MAX_LENGTH, _factorize, _missing, _series
from casualties.errors import ParseError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "Period",
    "PRECISIONS",
    "parse_period",
    "parse_periods",
    "date_span",
    "FIRST_YEAR",
    "LAST_YEAR",
    "PART_OF_MONTH",
    "PART_OF_YEAR",
]

#: The precisions of a :class:`Period`, finest first.
PRECISIONS = ("day", "week", "month", "year", "range")
#: The first and last years a :class:`Period` may touch: pandas' nanosecond Timestamps hold
#: 1677-09-21 to 2262-04-11, so whole years 1678 to 2261.
FIRST_YEAR, LAST_YEAR = 1678, 2261


@dataclasses.dataclass(frozen=True, slots=True)
class Period:
    """Calendar days, both ends included, with the precision they were given at.

    Parameters
    ----------
    start, end : datetime.date
        First and last day [date], ``start <= end``; datetimes are cut to their date.
    precision : str
        One of :data:`PRECISIONS`: ``"day"``, ``"week"`` (ISO, Monday to Sunday), ``"month"``,
        ``"year"`` or ``"range"`` (any other span).

    Raises
    ------
    ParseError
        If ``start > end``, a bound is not a date or lies outside :data:`FIRST_YEAR` to
        :data:`LAST_YEAR`, or the precision is unknown.
    """

    start: dt.date
    end: dt.date
    precision: str

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if isinstance(value, dt.datetime):
                if value != value:  # NaT
                    raise ParseError(value, f"{name} is missing")
                object.__setattr__(self, name, value.date())
            elif not isinstance(value, dt.date):
                raise ParseError(value, f"{name} is not a date")
            _check_year(getattr(self, name), value, name)
        if self.precision not in PRECISIONS:
            raise ParseError(self.precision, f"precision must be one of {PRECISIONS}")
        if self.start > self.end:
            raise ParseError((self.start, self.end), "start is after end")

    @property
    def days(self) -> int:
        """Length of the period [days], both ends included."""
        return (self.end - self.start).days + 1

    def __repr__(self) -> str:
        return f"Period([{self.start.isoformat()}, {self.end.isoformat()}], {self.precision})"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def replace(self, **changes: Any) -> Period:
        """Return a copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


# ---------------------------------------------------------------------------- periods
_MONTHS = {name: i for i in range(1, 13) for name in
           {calendar.month_name[i].lower(), calendar.month_abbr[i].lower()}} | {"sept": 9}
_WEEKDAYS = {name: i for i in range(7) for name in
             {calendar.day_name[i].lower(), calendar.day_abbr[i].lower()}} | {"tues": 1, "thurs": 3}
_MONTH = rf"(?P<month>{'|'.join(sorted(_MONTHS, key=len, reverse=True))})"
_WEEKDAY = rf"(?:{'|'.join(sorted(_WEEKDAYS, key=len, reverse=True))})"
_YEAR = r"(?P<year>[0-9]{4})"
_OF_YEAR = rf"(?: (?:of )?{_YEAR})?"
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1": 1, "2": 2, "3": 3, "4": 4}
#: The days of a month that "early", "mid" and "late" stand for (late runs to the month's end).
PART_OF_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
#: The months of a year that "early", "mid" and "late" stand for.
PART_OF_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_POINTS = [  # (kind, pattern) tried in order on the normalised text of one point
    ("day", r"(?P<year>[0-9]{4})-(?P<m>[0-9]{2})-(?P<day>[0-9]{2})"),
    ("week", r"(?P<year>[0-9]{4})-w(?P<week>[0-9]{2})"),
    ("month", r"(?P<year>[0-9]{4})-(?P<m>[0-9]{2})"),
    ("year", _YEAR),
    ("month", rf"{_MONTH}(?: {_YEAR})?"),
    ("day", rf"(?P<wd>{_WEEKDAY} )?{_MONTH} (?P<day>[0-9]{{1,2}})(?: {_YEAR})?"),
    ("day", rf"(?P<wd>{_WEEKDAY} )?(?:the )?(?P<day>[0-9]{{1,2}}) (?:of )?{_MONTH}(?: {_YEAR})?"),
    ("dom", r"(?P<day>[0-9]{1,2})(?: (?P<year>[0-9]{4}))?"),
    ("quarter", rf"q(?P<which>[1-4])(?:[ -]{_YEAR})?"),
    ("quarter", rf"{_YEAR}[ -]q(?P<which>[1-4])"),
    ("quarter", rf"(?:the )?(?P<which>first|second|third|fourth|[1-4]) quarter{_OF_YEAR}"),
    ("half", rf"h(?P<which>[12])(?:[ -]{_YEAR})?"),
    ("half", rf"{_YEAR}[ -]h(?P<which>[12])"),
    ("half", rf"(?:the )?(?P<which>first|second|[12]) half{_OF_YEAR}"),
    ("part-month", rf"(?:the )?(?P<part>early|mid|late)[ -]?{_MONTH}(?: {_YEAR})?"),
    ("part-year", rf"(?:the )?(?P<part>early|mid|late)[ -]?{_YEAR}"),
    ("weekday", rf"(?P<wd>{_WEEKDAY})(?: (?:morning|afternoon|evening|night))?"),
    ("relative", r"today|yesterday|(?:this|last) (?:week|month|year)"),
    ("past", r"(?:over |within |for )?(?:the )?(?:past|last) (?:(?P<n>[a-z0-9 -]+?) )?"
             r"(?P<unit>hour|day|week|month|year)s?"),
]
_POINTS_RE = [(kind, re.compile(p)) for kind, p in _POINTS]
_RANGE_SEP = re.compile(r" (?:and|to|until|till|through) | ?- ?|/")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}[0-9:.,]*(?:[Zz]|[+-][0-9:]+)?")
_MAX_PAST = 100_000  # "the past N days": a larger N is not a report's window [days]


@dataclasses.dataclass
class _Point:
    kind: str  # day, month, months, year, dom (day of month only), fixed (already resolved)
    year: int | None = None
    month: int | None = None  # the first month of "months"
    day: int | None = None
    fixed: tuple[dt.date, dt.date, str] | None = None
    weekday: int | None = None  # "Monday, June 5, 2017": checked against the date
    last: int | None = None  # the last month of "months", or the last day of a part of a month

    def bounds(self) -> tuple[dt.date, dt.date]:
        if self.fixed:
            return self.fixed[0], self.fixed[1]
        assert self.year is not None
        if self.kind == "year":
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        if self.kind in ("month", "months"):
            assert self.month is not None
            last_month = self.last if self.kind == "months" and self.last else self.month
            days = calendar.monthrange(self.year, last_month)[1]
            if self.kind == "month" and self.day is not None:  # early/mid/late June
                last_day = min(self.last or days, days)
                return dt.date(self.year, self.month, self.day), dt.date(self.year, self.month, last_day)
            return dt.date(self.year, self.month, 1), dt.date(self.year, last_month, days)
        day = dt.date(self.year, self.month or 0, self.day or 0)
        if self.weekday is not None and day.weekday() != self.weekday:
            raise ParseError(day.isoformat(), f"{day:%B %-d, %Y} was a {day:%A}")
        return day, day

    @property
    def precision(self) -> str:
        if self.fixed:
            return self.fixed[2]
        if self.kind == "months" or (self.kind == "month" and self.day is not None):
            return "range"
        return self.kind


def _is_missing(value: Any) -> bool:
    """None, NaN, NaT or pandas.NA (whose truth value cannot be asked)."""
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(value != value)
    except (TypeError, ValueError, ArithmeticError):  # pandas.NA, arrays, Decimal("sNaN")
        return type(value).__name__ == "NAType"


def _check_year(day: dt.date, original: Any, what: str) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ParseError(original, f"{what} {day.isoformat()} is outside {FIRST_YEAR}-{LAST_YEAR} "
                                   "(the dates pandas can hold)")
    return day


def _as_date(value: Any, what: str) -> dt.date | None:
    """A date from a date, datetime, Timestamp, numpy.datetime64 or ISO string; None if missing."""
    if _is_missing(value):
        return None
    day: Any = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif str(getattr(value, "dtype", "")).startswith("datetime64"):  # numpy.datetime64
        day = value.astype("datetime64[D]").item()
        if not isinstance(day, dt.date):  # numpy gives an int for years outside 1-9999
            raise ParseError(value, f"{what} {value} is outside {FIRST_YEAR}-{LAST_YEAR} (the dates pandas can hold)")
    elif isinstance(value, str):
        for parse in (dt.date.fromisoformat, lambda v: dt.datetime.fromisoformat(v).date()):
            try:
                day = parse(value.strip())
                break
            except ValueError:
                pass
    if day is None:
        raise ParseError(value, f"{what} is not a date")
    return _check_year(day, value, what)


def _add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, the day of the month clamped (March 31 - 1 month: Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range")
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _relative(word: str, report: dt.date) -> tuple[dt.date, dt.date, str]:
    if word in ("today", "yesterday"):
        day = report - dt.timedelta(days=word == "yesterday")
        return day, day, "day"
    which, unit = word.split()
    back = which == "last"
    if unit == "week":
        monday = report - dt.timedelta(days=report.weekday() + 7 * back)
        return monday, monday + dt.timedelta(days=6), "week"
    if unit == "month":
        first = _add_months(report.replace(day=1), -back)
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1]), "month"
    return dt.date(report.year - back, 1, 1), dt.date(report.year - back, 12, 31), "year"


def _past(n_text: str | None, unit: str, report: dt.date, original: Any) -> tuple[dt.date, dt.date, str]:
    """"the past N units" up to the report, the first day included: it starts at some hour of it."""
    from decimal import Decimal

    from casualties.counts import _number

    n: Decimal | None = Decimal(1) if n_text is None else _number(n_text)
    if n is None or n != n.to_integral_value() or not 1 <= n <= _MAX_PAST:
        raise ParseError(original, f"{n_text!r} is not a whole number of {unit}s from 1 to {_MAX_PAST:,}")
    count = int(n)
    if unit in ("month", "year"):
        first = _add_months(report, -count * (12 if unit == "year" else 1))
    else:
        days = {"hour": -(-count // 24), "day": count, "week": 7 * count}[unit]
        if days > (report - dt.date(1, 1, 1)).days:
            raise ValueError(f"{count} {unit}s before {report} is before year 1")
        first = report - dt.timedelta(days=days)
    return first, report, "range"


def _point(text: str, report: dt.date | None, original: Any) -> _Point | None:
    for kind, pattern in _POINTS_RE:
        m = pattern.fullmatch(text)
        if not m:
            continue
        g = m.groupdict()
        if kind in ("weekday", "relative", "past"):
            if report is None:
                raise ParseError(original, "a relative date needs reported_on")
            if kind == "relative":
                return _Point("fixed", fixed=_relative(text, report))
            if kind == "past":
                return _Point("fixed", fixed=_past(g["n"], g["unit"], report, original))
            day = report - dt.timedelta(days=(report.weekday() - _WEEKDAYS[g["wd"]]) % 7)
            return _Point("fixed", fixed=(day, day, "day"))
        year = int(g["year"]) if g.get("year") else None
        if kind == "week":
            monday = dt.date.fromisocalendar(year or 0, int(g["week"]), 1)
            return _Point("fixed", fixed=(monday, monday + dt.timedelta(days=6), "week"))
        if kind in ("quarter", "half"):
            size = 3 if kind == "quarter" else 6
            which = _ORDINALS[g["which"]]
            return _Point("months", year, size * (which - 1) + 1, last=size * which)
        if kind == "part-year":
            first, last = PART_OF_YEAR[g["part"]]
            return _Point("months", year, first, last=last)
        month = int(g["m"]) if g.get("m") else _MONTHS.get(g.get("month") or "")
        if kind == "part-month":
            first, last = PART_OF_MONTH[g["part"]]
            return _Point("month", year, month, first, last=last)
        weekday = _WEEKDAYS[g["wd"].strip()] if g.get("wd") else None
        return _Point(kind, year, month, int(g["day"]) if g.get("day") else None, weekday=weekday)
    return None


def _infer_year(point: _Point, report: dt.date | None, original: Any) -> None:
    """Give a point without a year the report's year, or the one before if it would be later."""
    if point.year is not None or point.fixed:
        return
    if report is None:
        raise ParseError(original, "a date without a year needs reported_on")
    point.year = report.year
    if point.bounds()[0] > report:
        point.year -= 1


def _range(a: _Point, b: _Point, report: dt.date | None, original: Any) -> Period:
    if a.kind == "dom" and b.kind == "day":  # "5-7 June 2017"
        a.kind, a.month, a.year = "day", b.month, a.year or b.year
    if b.kind == "dom" and a.kind == "day":  # "June 5-7, 2017"
        b.kind, b.month, b.year = "day", a.month, b.year or a.year
    if "dom" in (a.kind, b.kind):
        raise ParseError(original, "a bare day of the month")
    if a.year is None and b.year is None and not a.fixed:
        _infer_year(b, report, original)
    # A year is carried over the new year only when the months wrap ("December 20 to January 5"),
    # never to rescue a reversed range ("between June 5 and June 3, 2017" is an error).
    if a.year is None and not a.fixed:
        a.year = b.year if b.year is not None else b.bounds()[0].year
        if a.bounds()[0] > b.bounds()[1] and a.bounds()[0].month > b.bounds()[1].month:
            a.year -= 1
    if b.year is None and not b.fixed:
        b.year = a.year if a.year is not None else a.bounds()[0].year
        if b.bounds()[1] < a.bounds()[0] and b.bounds()[1].month < a.bounds()[0].month:
            b.year += 1
    first, last = a.bounds()[0], b.bounds()[1]
    if first > last:
        raise ParseError(original, f"the period ends ({last.isoformat()}) before it starts ({first.isoformat()})")
    return Period(first, last, "range")


def _not_text(value: Any) -> Period:
    """The days a value that is not text stands for: a year (int) or one day (a date)."""
    import numbers

    if isinstance(value, bool) or not isinstance(value, (numbers.Real, dt.date)) and not hasattr(value, "dtype"):
        raise ParseError(value, f"expected text, a year or a date, not {type(value).__name__}")
    if isinstance(value, numbers.Real):
        if not (isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer())):
            raise ParseError(value, "a number must be a whole year")
        if not FIRST_YEAR <= value <= LAST_YEAR:
            raise ParseError(value, f"not a year from {FIRST_YEAR} to {LAST_YEAR} (a bare number is a year)")
        year = int(value)
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    unit = str(getattr(value, "dtype", ""))
    day = _as_date(value, "the date")
    if day is None:
        raise ParseError(value, "the date is missing")
    if unit in ("datetime64[Y]", "datetime64[M]"):  # numpy's own year and month
        whole = parse_period(day.isoformat()[:4 if unit.endswith("[Y]") else 7])
        return whole
    return Period(day, day, "day")


def parse_period(text: Any, reported_on: Any = None) -> Period:
    """Parse a time phrase into a :class:`Period`.

    Parameters
    ----------
    text : str, int, datetime.date, datetime, pandas.Timestamp or numpy.datetime64
        The phrase ("on Monday", "June 5, 2017", "in May 2017", "2017-W23", "Q1 2017", "the
        first half of 2017", "late June 2017", "over the past four months", "between April 23
        and May 23", "2017-04-23/2017-05-23", "since September 23, 2014"); an int is a year
        (``2017``); a date or datetime is its day (an ISO datetime string too).
    reported_on : datetime.date, datetime, pandas.Timestamp, numpy.datetime64, ISO str or None
        The date of the report [date], against which relative words ("Monday", "yesterday",
        dates without a year, "since ...", "the past 24 hours") are resolved.

    Returns
    -------
    Period
        Its days lie in :data:`FIRST_YEAR` to :data:`LAST_YEAR`.

    Raises
    ------
    ParseError
        For anything outside the vocabulary, a relative phrase without ``reported_on``, a
        period that ends before it starts, or a day outside 1678-2261 (and only ParseError).

    Examples
    --------
    >>> parse_period("on Monday", "2017-06-06")
    Period([2017-06-05, 2017-06-05], day)
    >>> parse_period("Q1 2017")
    Period([2017-01-01, 2017-03-31], range)
    """
    try:
        report = _as_date(reported_on, "reported_on")
    except ParseError as exc:
        raise ParseError(text, exc.reason) from None
    if not isinstance(text, str):
        return _not_text(text)
    if len(text) > _MAX_LENGTH:
        raise ParseError(text, f"longer than {_MAX_LENGTH} characters")
    if _ISO_DATETIME.fullmatch(text.strip()):  # "2017-06-05T10:00:00+02:00": its day, as written
        try:
            return _not_text(dt.datetime.fromisoformat(text.strip()))
        except ValueError as exc:
            raise ParseError(text, f"not a valid date ({exc})") from None
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", text.lower())
    s = re.sub(r"(?<=[0-9])(?:st|nd|rd|th)\b", "", s)
    s = " ".join(re.sub(r"[.,;:!?\"'()\[\]]", " ", s).split())
    s = re.sub(r"^(?:on|in|during) ", "", s)
    if re.fullmatch(r"[-+]?[0-9]+", s) and not re.fullmatch(r"[0-9]{4}", s):  # "5", "-3", "20170"
        raise ParseError(text, f"a bare number is a year, and {s} is not one from {FIRST_YEAR} to {LAST_YEAR}")
    try:
        since = re.fullmatch(r"since (.+)", s)
        if since:
            point = _point(since.group(1), report, text)
            if point is None or point.kind == "dom":
                raise ParseError(text, "not a date after 'since'")
            if report is None:
                raise ParseError(text, "'since' needs reported_on")
            _infer_year(point, report, text)
            return Period(point.bounds()[0], report, "range")
        point = _point(s, report, text)
        if point is not None and point.kind != "dom":
            _infer_year(point, report, text)
            start, end = point.bounds()
            return Period(start, end, point.precision)
        prefix = re.match(r"(between|from) ", s)
        body = s[prefix.end():] if prefix else s
        for sep in _RANGE_SEP.finditer(body):
            if (sep.group().strip() == "and") != (prefix is not None and prefix.group(1) == "between"):
                continue
            a = _point(body[:sep.start()], report, text)
            b = _point(body[sep.end():], report, text)
            if a is not None and b is not None:
                return _range(a, b, report, text)
    except ParseError as exc:  # report the phrase as given, not the inner piece
        raise ParseError(text, exc.reason) from None
    except (ValueError, OverflowError) as exc:  # impossible dates ("February 30"), year 0...
        raise ParseError(text, f"not a valid date ({exc})") from None
    raise ParseError(text, "not a period")


def date_span(value: Any, reported_on: Any = None) -> Period:
    """The days a date bound stands for: all of a year or a month, else its day.

    One function reads every bound of a question or a claim (``Scope(start=..., end=...)``, the
    command's ``--from``/``--to``, a claim's ``start``/``end``), so that ``2017`` means the same
    everywhere: a bound *from* a value starts on the first day of its span, a bound *to* a value
    ends on the last.

    Parameters
    ----------
    value : int, str, datetime.date, datetime, pandas.Timestamp or numpy.datetime64
        A year (``2017``, ``"2017"``), a month (``"2017-12"``, ``"December 2017"``), a day
        (``"2017-06-05"``, ``"June 5, 2017"``, a date, a datetime: its day), or any phrase of
        :func:`parse_period` (``"Q1 2017"``). A numpy ``datetime64`` in years or months is the
        whole year or month.
    reported_on : date-like, optional
        For relative phrases ("last month") [date].

    Returns
    -------
    Period
        ``.start`` is the first day [date] and ``.end`` the last [date]; both in
        :data:`FIRST_YEAR` to :data:`LAST_YEAR`.

    Raises
    ------
    ParseError
        For a missing value (None, NaN, NaT, NA), a bool, an int that is not a year from 1678 to
        2261 (``5``, ``-3``), text outside the vocabulary, or a day outside 1678-2261.

    Examples
    --------
    >>> date_span(2017)
    Period([2017-01-01, 2017-12-31], year)
    >>> date_span("2017-12").end
    datetime.date(2017, 12, 31)
    >>> date_span("2017-06-05")
    Period([2017-06-05, 2017-06-05], day)
    """
    if _is_missing(value):
        raise ParseError(value, "the date is missing")
    return parse_period(value, reported_on)


# ---------------------------------------------------------------------------- columns
def parse_periods(values: Any, reported_on: Any = None) -> pd.DataFrame:
    """Parse a column of time phrases, each distinct (text, reported_on) pair once.

    Parameters
    ----------
    values : pandas.Series or list-like
        Phrases as :func:`parse_period` accepts them; NA, None and blank strings are missing.
    reported_on : scalar, pandas.Series or list-like, optional
        One report date for all rows, or one per row (a Series is aligned on the index of
        ``values``, a list-like by position) [date].

    Returns
    -------
    pandas.DataFrame
        Indexed like ``values``, with columns ``start``, ``end`` (datetime64[s], both days
        included), ``precision`` (string) and ``error`` (string: the ParseError's reason, NA
        where the phrase parsed). Missing phrases give NA everywhere, including ``error``.
    """
    import numpy as np
    import pandas as pd

    series = _series(values)
    if isinstance(reported_on, pd.Series):
        try:
            reports = reported_on if reported_on.index.equals(series.index) else reported_on.reindex(series.index)
        except ValueError:  # duplicate labels
            raise ParseError(reported_on, "reported_on cannot be aligned with values on the index") from None
    elif isinstance(reported_on, (str, dt.date)) or reported_on is None or not hasattr(reported_on, "__len__"):
        reports = pd.Series([reported_on] * len(series), index=series.index, dtype=object)
    else:
        reports = pd.Series(list(reported_on), dtype=object)
        if len(reports) != len(series):
            raise ParseError(reported_on, f"{len(reports)} report dates for {len(series)} phrases")
    text_codes, texts = _factorize(series)
    report_codes, dates = _factorize(reports)
    width = len(dates) + 1
    codes, keys = pd.factorize((text_codes.astype(np.int64) + 1) * width + report_codes + 1)
    n = len(keys)
    bounds = np.full((2, n + 1), None, dtype=object)
    precision = np.full(n + 1, None, dtype=object)
    error = np.full(n + 1, None, dtype=object)
    for i, key in enumerate(keys):
        t, r = divmod(int(key), width)
        if t == 0 or _missing(texts[t - 1]):
            continue
        try:
            period = parse_period(texts[t - 1], dates[r - 1] if r else None)
        except ParseError as exc:
            error[i] = exc.reason
            continue
        bounds[:, i] = period.start, period.end
        precision[i] = period.precision
    take = np.where(codes < 0, n, codes)
    start, end = (np.array(list(b), dtype="datetime64[D]").astype("datetime64[s]") for b in bounds)
    return pd.DataFrame({
        "start": start[take], "end": end[take],
        "precision": pd.array(precision, dtype="string").take(take),
        "error": pd.array(error, dtype="string").take(take),
    }, index=series.index)
