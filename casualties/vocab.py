"""Counts and periods from words ("around 1,500", "since 23 September 2014").

:func:`parse_count` turns a toll as reported ("over 400,000", "dozens", "21, could rise") into a
:class:`Count` (a sound range ``[low, high]`` with a best figure); :func:`parse_period` turns a
time phrase ("on Monday", "between April 23 and May 23") into a :class:`Period`, resolving
relative words against the report's date. :func:`parse_counts` and :func:`parse_periods` do the
same for whole columns, parsing each distinct value once. The vocabulary is documented in
``docs/vocabulary.md``; anything outside it raises :class:`~casualties.errors.ParseError`.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import math
import numbers
import re
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from casualties.errors import ParseError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "Count",
    "Period",
    "VAGUE_WORDS",
    "PRECISIONS",
    "MAX_COUNT",
    "parse_count",
    "parse_period",
    "parse_counts",
    "parse_periods",
]

#: The largest count accepted [people]; larger figures are typos, not tolls (and 10**15 is still
#: held exactly by a float64).
MAX_COUNT = 10**15
#: The precisions of a :class:`Period`, finest first.
PRECISIONS = ("day", "week", "month", "year", "range")
_MAX_LENGTH = 500  # longer text is not a count or a period phrase


def _fmt(x: float) -> str:
    return "inf" if math.isinf(x) else str(int(x))


@dataclasses.dataclass(frozen=True, slots=True)
class Count:
    """A number of people as reported: a sound range, a best figure and how it was worded.

    Parameters
    ----------
    low, best, high : float
        Bounds and best figure [people]; whole numbers with ``0 <= low <= best <= high``;
        ``low`` and ``best`` finite, ``high`` may be ``inf`` (open-ended).
    qualifier : str
        How the figure was worded: ``"exact"``, ``"at-least"``, ``"more-than"``, ``"around"``,
        ``"nearly"``, ``"up-to"``, ``"between"`` or a vague word (``"dozens"``).
    provisional : bool
        The source says the toll may rise (``high`` is then ``inf``).

    Raises
    ------
    ParseError
        If the values break the invariants above (a ``ValueError``).
    """

    low: float
    best: float
    high: float
    qualifier: str
    provisional: bool = False

    def __post_init__(self) -> None:
        for name in ("low", "best", "high"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ParseError(value, f"{name} is not a number")
            value = float(value)
            if math.isnan(value) or (math.isinf(value) and name != "high"):
                raise ParseError(value, f"{name} must be finite")
            if not math.isinf(value) and not value.is_integer():
                raise ParseError(value, f"{name} is not a whole number of people")
            object.__setattr__(self, name, value)
        if not 0 <= self.low <= self.best <= self.high:
            raise ParseError((self.low, self.best, self.high), "need 0 <= low <= best <= high")
        if not isinstance(self.qualifier, str) or not self.qualifier:
            raise ParseError(self.qualifier, "qualifier must be a non-empty string")
        object.__setattr__(self, "provisional", bool(self.provisional))

    def __repr__(self) -> str:
        close = ")" if math.isinf(self.high) else "]"
        flag = ", provisional" if self.provisional else ""
        return (f"Count([{_fmt(self.low)}, {_fmt(self.high)}{close}, best={_fmt(self.best)}, "
                f"{self.qualifier}{flag})")

    def __contains__(self, n: object) -> bool:
        return isinstance(n, numbers.Real) and self.low <= n <= self.high

    def replace(self, **changes: Any) -> Count:
        """Return a copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


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


#: Vague words and the counts they stand for [people]. ``low`` (and ``best``) follow ACLED's
#: conservative coding ("tens" 10, "dozens" 12, "hundreds" 100, and so on); ``high`` is one
#: less than the next order of magnitude. See ``docs/vocabulary.md`` for the sources.
VAGUE_WORDS: dict[str, Count] = {
    word: Count(low, low, high, qualifier)
    for word, low, high, qualifier in [
        ("a couple", 2, 3, "a couple"),
        ("a few", 3, 9, "a few"),
        ("a handful", 3, 9, "a handful"),
        ("several", 3, 9, "several"),
        ("a dozen", 12, 12, "exact"),
        ("tens", 10, 99, "tens"),
        ("dozens", 12, 99, "dozens"),
        ("a few dozen", 36, 99, "a few dozen"),
        ("several dozen", 36, 99, "several dozen"),
        ("scores", 40, 99, "scores"),
        ("hundreds", 100, 999, "hundreds"),
        ("a few hundred", 300, 999, "a few hundred"),
        ("several hundred", 300, 999, "several hundred"),
        ("thousands", 1_000, 9_999, "thousands"),
        ("a few thousand", 3_000, 9_999, "a few thousand"),
        ("several thousand", 3_000, 9_999, "several thousand"),
        ("tens of thousands", 10_000, 99_999, "tens of thousands"),
        ("hundreds of thousands", 100_000, 999_999, "hundreds of thousands"),
        ("millions", 1_000_000, 9_999_999, "millions"),
    ]
}

# ---------------------------------------------------------------------------- numbers in words
_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9}
_WORDS = sorted([*_UNITS, *_TENS, *_SCALES, "dozen"], key=len, reverse=True)
_WORD = rf"(?:{'|'.join(_WORDS)})\b"
_SCALE = r"(?:hundred|thousand|million|billion)\b"
_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_NUM = (rf"(?:{_DIGITS}(?:\s+{_SCALE})?"
        rf"|(?:half\s+an?\s+|an?\s+)?{_WORD}(?:(?:\s+|-)(?:and\s+)?{_WORD})*)")
_TAIL = r"(?P<tail>(?:\s+[^\W\d_]+(?:['-][^\W\d_]+)*)+)?"
# Words that change what a number means: never accepted in the trailing noun phrase.
_RESERVED = {*_UNITS, *_TENS, *_SCALES, "dozen", "a", "an", "and", "or", "to", "than", "more",
             "less", "fewer", "over", "under", "above", "below", "least", "most", "up", "plus",
             "between", "from", "nearly", "almost", "around", "about", "approximately", "roughly",
             "estimated", "minimum", "maximum", "upwards", "excess", "could", "may", "might",
             "likely", "expected", "rise", "higher", "feared", "not", "no", "half", "many",
             *(w for phrase in VAGUE_WORDS for w in phrase.split() if w != "of")}


def _tens(tokens: list[str]) -> int | None:
    if len(tokens) == 1:
        return _UNITS.get(tokens[0], _TENS.get(tokens[0]))
    if len(tokens) == 2 and tokens[0] in _TENS and 1 <= _UNITS.get(tokens[1], 0) <= 9:
        return _TENS[tokens[0]] + _UNITS[tokens[1]]
    return None


def _rest(tokens: list[str]) -> list[str] | None:
    """The tokens after a scale word, without a leading "and" (which must lead somewhere)."""
    if tokens[:1] == ["and"]:
        return tokens[1:] or None
    return tokens


def _hundreds(tokens: list[str]) -> int | None:
    if "hundred" not in tokens:
        return _tens(tokens)
    i = tokens.index("hundred")
    head, rest = _tens(tokens[:i]), _rest(tokens[i + 1:])
    tail = (_tens(rest) if rest else 0) if rest is not None else None
    if head is None or not 1 <= head <= 99 or tail is None:
        return None
    return head * 100 + tail


def _words_value(tokens: list[str]) -> int | None:
    """The value of a number in words ("two thousand and five"), or None if not well formed."""
    for word in ("billion", "million", "thousand"):
        if word in tokens:
            i = tokens.index(word)
            head, rest = _hundreds(tokens[:i]), _rest(tokens[i + 1:])
            tail = (_words_value(rest) if rest else 0) if rest is not None else None
            if not head or tail is None or tail >= _SCALES[word]:
                return None
            return head * _SCALES[word] + tail
    return _hundreds(tokens)


def _number(text: str) -> Decimal | None:
    """The value of a number in digits or words, not yet checked to be whole; None if not one."""
    if re.fullmatch(_DIGITS + rf"(?:\s+{_SCALE})?", text):
        figure, _, scale = text.partition(" ")
        whole = figure.replace(",", "").partition(".")[0].lstrip("0")
        if len(whole) > 16:
            return Decimal(10**17)  # rejected as too large by the caller
        return Decimal(figure.replace(",", "")) * _SCALES.get(scale.strip(), 1)
    tokens = re.split(r"[\s-]+", text)
    if tokens[:2] in (["half", "a"], ["half", "an"]):
        if len(tokens) == 3 and (tokens[2] == "dozen" or tokens[2] in _SCALES):
            return Decimal(_SCALES.get(tokens[2], 12)) / 2
        return None
    if tokens[0] in ("a", "an"):
        if len(tokens) < 2 or tokens[1] not in (*_SCALES, "dozen"):
            return None
        tokens = ["one", *tokens[1:]]
    if tokens[-1] == "dozen":
        head = _tens(tokens[:-1])
        return Decimal(head * 12) if head else None
    value = _words_value(tokens)
    return None if value is None else Decimal(value)


def _whole(value: Decimal, text: str) -> int:
    if value != value.to_integral_value():
        raise ParseError(text, "not a whole number of people")
    if value > MAX_COUNT:
        raise ParseError(text, f"larger than {MAX_COUNT:,} people")
    return int(value)


# ---------------------------------------------------------------------------- count phrases
def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_PREFIXES = {  # qualifier -> words that may precede the number
    "exact": ("",),
    "at-least": ("at least", "a minimum of", "no fewer than", "no less than", "not less than",
                 "not fewer than"),
    "more-than": ("more than", "over", "upwards of", "upward of", "in excess of", "above"),
    "around": ("around", "about", "approximately", "approx.", "approx", "roughly", "some",
               "an estimated", "estimated", "circa", "ca."),
    "nearly": ("nearly", "almost", "close to", "just under"),
    "up-to": ("up to", "as many as", "at most", "no more than", "not more than"),
}
_SINGLE = [(q, re.compile(rf"(?:{_alternatives(p)})\s+(?P<n>{_NUM}){_TAIL}" if p != ("",)
                          else rf"(?P<n>{_NUM}){_TAIL}"))
           for q, p in _PREFIXES.items()]
_SINGLE += [("at-least", re.compile(rf"(?P<n>{_NUM})\s+or\s+more{_TAIL}")),
            ("around", re.compile(rf"~\s*(?P<n>{_NUM}){_TAIL}"))]
_BETWEEN = [re.compile(rf"between\s+(?P<a>{_NUM})(?:\s+and\s+|\s+to\s+|\s*-\s*)(?P<b>{_NUM}){_TAIL}"),
            re.compile(rf"from\s+(?P<a>{_NUM})(?:\s+to\s+|\s*-\s*)(?P<b>{_NUM}){_TAIL}"),
            re.compile(rf"(?P<a>{_NUM})(?:\s+to\s+|\s*-\s*)(?P<b>{_NUM}){_TAIL}")]
_VAGUE = re.compile(rf"(?P<least>at\s+least\s+)?(?P<w>{_alternatives(tuple(VAGUE_WORDS))})"
                    rf"(?:\s+of)?{_TAIL}")
_MARKERS = (r"(?:could|may|might|(?:is\s+|are\s+)?(?:likely|expected)\s+to)\s+(?:further\s+)?"
            r"(?:rise|increase|climb)|(?:much|far|feared)\s+higher")
# A provisional marker with the words of its clause before and after it (no digits before it).
_MARKER_CLAUSE = re.compile(rf"[^0-9,;:()]*?\b(?:{_MARKERS})\b[^,;:()]*")
_CLAUSES = re.compile(r"[;:()]|,(?![0-9]{3}(?![0-9]))")
_STRIP = " \t\r\n\"'`.,;:!?()[]{}*"


def _tail_ok(match: re.Match[str]) -> bool:
    words = (match.group("tail") or "").split()
    return len(words) <= 8 and not any(w in _RESERVED for w in words)


def _clause(text: str, tolerance: Fraction) -> Count | None:
    """Parse one clause; None if it is not a count phrase (ParseError if it is a bad one)."""
    m = _VAGUE.fullmatch(text)
    if m and _tail_ok(m):
        word = VAGUE_WORDS[" ".join(m.group("w").split())]
        return word.replace(high=math.inf, qualifier="at-least") if m.group("least") else word
    for qualifier, pattern in _SINGLE:
        m = pattern.fullmatch(text)
        if not m or not _tail_ok(m):
            continue
        value = _number(m.group("n"))
        if value is None:
            continue
        n = _whole(value, text)
        if qualifier == "exact":
            return Count(n, n, n, "exact")
        if qualifier == "at-least":
            return Count(n, n, math.inf, qualifier)
        if qualifier == "more-than":
            return Count(n + 1, n + 1, math.inf, qualifier)
        if qualifier == "up-to":
            return Count(0, n, n, qualifier)
        low = math.floor(n * (1 - tolerance))
        high = math.ceil(n * (1 + tolerance)) if qualifier == "around" else n
        return Count(low, n, high, qualifier)
    for pattern in _BETWEEN:
        m = pattern.fullmatch(text)
        if not m or not _tail_ok(m):
            continue
        a, b = _number(m.group("a")), _number(m.group("b"))
        if a is None or b is None:
            continue
        scaled = re.fullmatch(rf"(?:{_DIGITS}|{_WORD}(?:[\s-]{_WORD})?)\s+(?P<s>{_SCALE})", m.group("b"))
        if scaled and not re.search(_SCALE, m.group("a")) and a * _SCALES[scaled.group("s")] <= b:
            a *= _SCALES[scaled.group("s")]  # "between 1.5 and 2 million"
        low, high = _whole(a, text), _whole(b, text)
        if low > high:
            raise ParseError(text, "the range is reversed")
        return Count(low, (low + high) // 2, high, "between")
    return None


def _fraction(tolerance: float) -> Fraction:
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real):
        raise ParseError(tolerance, "tolerance must be a number")
    if not 0 <= tolerance <= 1:  # also rejects NaN
        raise ParseError(tolerance, "tolerance must be between 0 and 1")
    return Fraction(repr(float(tolerance)))  # 0.1 means one tenth, not the nearest binary float


def parse_count(text: str | int | float, *, tolerance: float = 0.1) -> Count:
    """Parse a reported number of people into a :class:`Count`.

    Parameters
    ----------
    text : str, int or float
        The figure as reported ("21", "around 1,500 civilians", "over 400,000", "dozens",
        "484, much higher"); numbers are taken as exact counts [people].
    tolerance : float, default 0.1
        Relative half-width of "around N" ([N(1-t), N(1+t)]) and of "nearly N"
        ([N(1-t), N]) [dimensionless, 0 to 1].

    Returns
    -------
    Count
        Bounds rounded outward to whole people, so that the range is sound.

    Raises
    ------
    ParseError
        For anything outside the vocabulary of ``docs/vocabulary.md`` (and only ParseError).

    Examples
    --------
    >>> parse_count("around 1,500")
    Count([1350, 1650], best=1500, around)
    >>> parse_count("over 400,000 people")
    Count([400001, inf), best=400001, more-than)
    """
    frac = _fraction(tolerance)
    try:
        return _parse_count(text, frac)
    except ParseError as exc:  # report the value as given, not the normalised text
        if exc.text is text:
            raise
        raise ParseError(text, exc.reason) from None


def _parse_count(text: Any, frac: Fraction) -> Count:
    if isinstance(text, numbers.Real) and not isinstance(text, bool):
        if not math.isfinite(text) or text < 0:
            raise ParseError(text, "not a finite, non-negative number")
        if not float(text).is_integer():
            raise ParseError(text, "not a whole number of people")
        n = _whole(Decimal(int(text)), str(text))
        return Count(n, n, n, "exact")
    if not isinstance(text, str):
        raise ParseError(text, f"expected text or a number, not {type(text).__name__}")
    if len(text) > _MAX_LENGTH:
        raise ParseError(text, f"longer than {_MAX_LENGTH} characters")
    s = " ".join(text.lower().replace("\u2019", "'").split())
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s).strip(_STRIP)
    if s.startswith("-") and s[1:2].isdigit():
        raise ParseError(text, "negative count")
    provisional = re.search(rf"\b(?:{_MARKERS})\b", s) is not None
    if not provisional:
        count = _clause(s, frac)
    else:  # drop the marker's clause, then keep the one clause that is a count
        rest = _MARKER_CLAUSE.sub(",", s)
        found = []
        for part in _CLAUSES.split(rest):
            part = part.strip(_STRIP)
            parsed = _clause(part, frac) if part else None
            if parsed is not None:
                found.append(parsed)
            elif re.search(r"[0-9]", part):
                raise ParseError(text, f"{part!r} is not a count")
        if len(found) != 1:
            raise ParseError(text, "a provisional marker needs exactly one number"
                             if not found else "more than one number")
        count = found[0].replace(high=math.inf, provisional=True)
    if count is None:
        raise ParseError(text, "not a count")
    return count


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


# ---------------------------------------------------------------------------- columns
def _series(values: Any) -> pd.Series:
    import numpy as np
    import pandas as pd

    if isinstance(values, pd.Series):
        return values
    if isinstance(values, (np.ndarray, pd.Index, pd.api.extensions.ExtensionArray)):
        return pd.Series(np.asarray(values) if isinstance(values, pd.Index) else values)
    return pd.Series(list(values), dtype=object)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        not isinstance(value, str) and value != value)


def parse_counts(values: Any, *, tolerance: float = 0.1) -> pd.DataFrame:
    """Parse a column of reported counts, each distinct value once.

    Parameters
    ----------
    values : pandas.Series or list-like
        Figures as :func:`parse_count` accepts them; NA, None and blank strings are missing.
    tolerance : float, default 0.1
        As in :func:`parse_count` [dimensionless].

    Returns
    -------
    pandas.DataFrame
        Indexed like ``values`` (a RangeIndex for other list-likes), with columns ``low``,
        ``best``, ``high`` (float64 [people]), ``qualifier`` (string), ``provisional`` (bool;
        False where nothing parsed) and ``error`` (string: the ParseError's reason, NA where the
        value parsed). Missing values give NA everywhere, including ``error``.
    """
    import numpy as np
    import pandas as pd

    _fraction(tolerance)
    series = _series(values)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    n = len(uniques)
    numbers_ = np.full((3, n + 1), np.nan)
    provisional = np.zeros(n + 1, dtype=bool)
    qualifier = np.full(n + 1, None, dtype=object)
    error = np.full(n + 1, None, dtype=object)
    for i, value in enumerate(uniques):
        if _missing(value):
            continue
        try:
            count = parse_count(value, tolerance=tolerance)
        except ParseError as exc:
            error[i] = exc.reason
            continue
        numbers_[:, i] = count.low, count.best, count.high
        qualifier[i], provisional[i] = count.qualifier, count.provisional
    take = np.where(codes < 0, n, codes)
    return pd.DataFrame({
        "low": numbers_[0, take], "best": numbers_[1, take], "high": numbers_[2, take],
        "qualifier": pd.array(qualifier, dtype="string").take(take),
        "provisional": provisional[take],
        "error": pd.array(error, dtype="string").take(take),
    }, index=series.index)


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
