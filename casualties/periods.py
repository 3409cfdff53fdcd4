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

from casualties.counts import _MAX_LENGTH, _missing, _series
from casualties.errors import ParseError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "Period",
    "PRECISIONS",
    "parse_period",
    "parse_periods",
]

#: The precisions of a :class:`Period`, finest first.
PRECISIONS = ("day", "week", "month", "year", "range")


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
        If ``start > end``, a bound is not a date, or the precision is unknown.
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
_POINTS = [  # (kind, pattern) tried in order on the normalised text of one point
    ("day", r"(?P<year>[0-9]{4})-(?P<m>[0-9]{2})-(?P<day>[0-9]{2})"),
    ("week", r"(?P<year>[0-9]{4})-w(?P<week>[0-9]{2})"),
    ("month", r"(?P<year>[0-9]{4})-(?P<m>[0-9]{2})"),
    ("year", _YEAR),
    ("month", rf"{_MONTH}(?: {_YEAR})?"),
    ("day", rf"(?P<wd>{_WEEKDAY} )?{_MONTH} (?P<day>[0-9]{{1,2}})(?: {_YEAR})?"),
    ("day", rf"(?P<wd>{_WEEKDAY} )?(?:the )?(?P<day>[0-9]{{1,2}}) (?:of )?{_MONTH}(?: {_YEAR})?"),
    ("dom", r"(?P<day>[0-9]{1,2})(?: (?P<year>[0-9]{4}))?"),
    ("weekday", rf"(?P<wd>{_WEEKDAY})(?: (?:morning|afternoon|evening|night))?"),
    ("relative", r"today|yesterday|(?:this|last) (?:week|month|year)"),
]
_POINTS_RE = [(kind, re.compile(p)) for kind, p in _POINTS]
_RANGE_SEP = re.compile(r" (?:and|to|until|till|through) | ?- ?|/")


@dataclasses.dataclass
class _Point:
    kind: str  # day, month, year, dom (day of month only), fixed (already resolved)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    fixed: tuple[dt.date, dt.date, str] | None = None
    weekday: int | None = None  # "Monday, June 5, 2017": checked against the date

    def bounds(self) -> tuple[dt.date, dt.date]:
        if self.fixed:
            return self.fixed[0], self.fixed[1]
        assert self.year is not None
        if self.kind == "year":
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        if self.kind == "month":
            assert self.month is not None
            last = calendar.monthrange(self.year, self.month)[1]
            return dt.date(self.year, self.month, 1), dt.date(self.year, self.month, last)
        day = dt.date(self.year, self.month or 0, self.day or 0)
        if self.weekday is not None and day.weekday() != self.weekday:
            raise ParseError(day.isoformat(), f"{day:%B %-d, %Y} was a {day:%A}")
        return day, day


def _as_date(value: Any, what: str) -> dt.date | None:
    """A date from a date, datetime, Timestamp or ISO string; None for None/NaN/NaT."""
    if value is None or (not isinstance(value, str) and value != value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if str(getattr(value, "dtype", "")).startswith("datetime64"):  # numpy.datetime64
        return value.astype("datetime64[D]").item()
    if isinstance(value, str):
        for parse in (dt.date.fromisoformat, lambda v: dt.datetime.fromisoformat(v).date()):
            try:
                return parse(value.strip())
            except ValueError:
                pass
    raise ParseError(value, f"{what} is not a date")


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
        year, month = (report.year, report.month - back) if report.month > back else (report.year - 1, 12)
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), "month"
    return dt.date(report.year - back, 1, 1), dt.date(report.year - back, 12, 31), "year"


def _point(text: str, report: dt.date | None, original: Any) -> _Point | None:
    for kind, pattern in _POINTS_RE:
        m = pattern.fullmatch(text)
        if not m:
            continue
        g = m.groupdict()
        if kind in ("weekday", "relative"):
            if report is None:
                raise ParseError(original, "a relative date needs reported_on")
            if kind == "relative":
                return _Point("fixed", fixed=_relative(text, report))
            day = report - dt.timedelta(days=(report.weekday() - _WEEKDAYS[g["wd"]]) % 7)
            return _Point("fixed", fixed=(day, day, "day"))
        year = int(g["year"]) if g.get("year") else None
        if kind == "week":
            monday = dt.date.fromisocalendar(year or 0, int(g["week"]), 1)
            return _Point("fixed", fixed=(monday, monday + dt.timedelta(days=6), "week"))
        month = int(g["m"]) if g.get("m") else _MONTHS.get(g.get("month") or "")
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
    if a.year is None and not a.fixed:
        a.year = b.year if b.year is not None else b.bounds()[0].year
        if a.bounds()[0] > b.bounds()[1]:
            a.year -= 1
    if b.year is None and not b.fixed:
        b.year = a.year if a.year is not None else a.bounds()[0].year
        if b.bounds()[1] < a.bounds()[0]:
            b.year += 1
    return Period(a.bounds()[0], b.bounds()[1], "range")


def parse_period(text: Any, reported_on: Any = None) -> Period:
    """Parse a time phrase into a :class:`Period`.

    Parameters
    ----------
    text : str or datetime.date
        The phrase ("on Monday", "June 5, 2017", "in May 2017", "2017-W23", "between April 23
        and May 23", "2017-04-23/2017-05-23", "since September 23, 2014"); a date is one day.
    reported_on : datetime.date, datetime, pandas.Timestamp, ISO str or None
        The date of the report [date], against which relative words ("Monday", "yesterday",
        dates without a year, "since ...") are resolved.

    Returns
    -------
    Period

    Raises
    ------
    ParseError
        For anything outside the vocabulary, a relative phrase without ``reported_on``, or a
        period that ends before it starts (and only ParseError).

    Examples
    --------
    >>> parse_period("on Monday", "2017-06-06")
    Period([2017-06-05, 2017-06-05], day)
    """
    report = _as_date(reported_on, "reported_on")
    if isinstance(text, dt.date):
        day = _as_date(text, "text")
        return Period(day, day, "day")  # type: ignore[arg-type]
    if not isinstance(text, str):
        raise ParseError(text, f"expected text or a date, not {type(text).__name__}")
    if len(text) > _MAX_LENGTH:
        raise ParseError(text, f"longer than {_MAX_LENGTH} characters")
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", text.lower())
    s = re.sub(r"(?<=[0-9])(?:st|nd|rd|th)\b", "", s)
    s = " ".join(re.sub(r"[.,;:!?\"'()\[\]]", " ", s).split())
    s = re.sub(r"^(?:on|in|during) ", "", s)
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
            return Period(start, end, point.fixed[2] if point.fixed else point.kind)
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
    text_codes, texts = pd.factorize(series, use_na_sentinel=True)
    report_codes, dates = pd.factorize(reports, use_na_sentinel=True)
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
