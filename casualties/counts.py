"""Counts from words ("around 1,500", "dozens", "21, could rise").

:func:`parse_count` turns a toll as reported ("over 400,000", "dozens", "21, could rise", "12k",
"no one") into a :class:`Count` (a sound range ``[low, high]`` with a best figure);
:func:`parse_counts` does the same for a whole column, parsing each distinct value once. The
vocabulary is documented in ``docs/vocabulary.md``; anything outside it raises
:class:`~casualties.errors.ParseError`, and nothing else does.
"""

from __future__ import annotations

import dataclasses
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
    "VAGUE_WORDS",
    "MAX_COUNT",
    "NOT_PEOPLE",
    "parse_count",
    "parse_counts",
]

#: The largest count accepted [people]; larger figures are typos, not tolls (and 10**15 is still
#: held exactly by a float64).
MAX_COUNT = 10**15
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
#: Scale letters written onto a figure ("12k", "1.2m", "3bn"): counts only, since "1.2 m" with a
#: space is a distance in metres (casualties.units reads ``_NUM``, without them).
_SUFFIXES = {"k": 10**3, "m": 10**6, "mn": 10**6, "bn": 10**9}
_SUFFIX = r"(?:k|mn|m|bn)\b"
_COUNT_NUM = rf"(?:{_DIGITS}{_SUFFIX}|{_NUM})"
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
    suffixed = re.fullmatch(rf"(?P<figure>{_DIGITS})(?P<suffix>{_SUFFIX})", text)
    if suffixed:
        value = _number(suffixed["figure"])
        return None if value is None else value * _SUFFIXES[suffixed["suffix"]]
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
_N = _COUNT_NUM
_SINGLE = [(q, re.compile(rf"(?:{_alternatives(p)})\s+(?P<n>{_N}){_TAIL}" if p != ("",)
                          else rf"(?P<n>{_N}){_TAIL}"))
           for q, p in _PREFIXES.items()]
_SINGLE += [("at-least", re.compile(rf"(?P<n>{_N})\s+or\s+more{_TAIL}")),
            ("around", re.compile(rf"~\s*(?P<n>{_N}){_TAIL}"))]
_BETWEEN = [re.compile(rf"between\s+(?P<a>{_N})(?:\s+and\s+|\s+to\s+|\s*-\s*)(?P<b>{_N}){_TAIL}"),
            re.compile(rf"from\s+(?P<a>{_N})(?:\s+to\s+|\s*-\s*)(?P<b>{_N}){_TAIL}"),
            re.compile(rf"(?P<a>{_N})(?:\s+to\s+|\s*-\s*)(?P<b>{_N}){_TAIL}")]
#: "no one", "none", "nobody", "no civilians": zero people.
_NONE = re.compile(rf"(?:no\s+one|none|nobody|no(?=\s)){_TAIL}")
#: Words after a figure that say it does not count people ("21 percent", "21 km away", "21 years").
NOT_PEOPLE = frozenset(
    "percent per cent pc % km kms kilometre kilometres kilometer kilometers mile miles metre metres "
    "meter meters m ft feet foot yard yards year years yr yrs month months week weeks day days hour "
    "hours hrs minute minutes min mins second seconds times degrees kg tonnes tons dollars usd euros "
    "pounds am pm".split())
#: A figure with a dot before three digits: a thousands separator or a decimal point?
_DOT_THOUSANDS = re.compile(r"(?<![0-9.,])[0-9]{1,3}\.[0-9]{3}(?![0-9])")
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


def _refuse_units(match: re.Match[str], text: str) -> None:
    words = (match.group("tail") or "").split()
    if words and (words[0] in NOT_PEOPLE or words[:2] == ["per", "cent"]):
        raise ParseError(text, f"{words[0]!r} after the figure: not a count of people")


def _clause(text: str, tolerance: Fraction) -> Count | None:
    """Parse one clause; None if it is not a count phrase (ParseError if it is a bad one)."""
    dotted = _DOT_THOUSANDS.search(text)
    if dotted:
        raise ParseError(text, f"{dotted.group()!r} is ambiguous (a thousands dot or a decimal point): "
                               f"write {dotted.group().replace('.', ',')!r} or the number without the dot")
    if re.search(r"[0-9]\s*%", text):
        raise ParseError(text, "a percentage is not a count of people")
    m = _NONE.fullmatch(text)
    if m and _tail_ok(m):
        return Count(0, 0, 0, "exact")
    m = _VAGUE.fullmatch(text)
    if m and _tail_ok(m):
        word = VAGUE_WORDS[" ".join(m.group("w").split())]
        return word.replace(high=math.inf, qualifier="at-least") if m.group("least") else word
    for qualifier, pattern in _SINGLE:
        m = pattern.fullmatch(text)
        if m:
            _refuse_units(m, text)
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
        if m:
            _refuse_units(m, text)
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
    text : str, int, float, fractions.Fraction, decimal.Decimal or a numpy number
        The figure as reported ("21", "around 1,500 civilians", "over 400,000", "dozens",
        "12k", "no one", "484, much higher"); numbers are taken as exact counts [people].
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
        For anything outside the vocabulary of ``docs/vocabulary.md`` (and only ParseError): a
        figure of something else ("21 percent", "21 km away", "21 years"), an ambiguous dot
        ("1.000"), a number that is not a whole count from 0 to :data:`MAX_COUNT`.

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


def _exact(value: Any) -> Count:
    """A number given as a number: an exact count, compared exactly (no float overflow)."""
    if isinstance(value, numbers.Integral):
        exact = Fraction(int(value))
    elif isinstance(value, numbers.Rational):
        exact = Fraction(int(value.numerator), int(value.denominator))
    else:
        as_float = float(value)
        if not math.isfinite(as_float):
            raise ParseError(value, "not a finite, non-negative number")
        exact = Fraction(as_float)
    if exact < 0:
        raise ParseError(value, "not a finite, non-negative number")
    if exact.denominator != 1:
        raise ParseError(value, "not a whole number of people")
    if exact > MAX_COUNT:
        raise ParseError(value, f"larger than {MAX_COUNT:,} people")
    n = int(exact)
    return Count(n, n, n, "exact")


def _parse_count(text: Any, frac: Fraction) -> Count:
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise ParseError(text, "not a finite, non-negative number")
        text = Fraction(text)
    if isinstance(text, numbers.Real) and not isinstance(text, bool) and type(text).__name__ != "bool_":
        return _exact(text)
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
    """None, a blank string, NaN, NaT or pandas.NA (whose truth value cannot be asked)."""
    if value is None or isinstance(value, str):
        return value is None or not value.strip()
    try:
        return bool(value != value)
    except (TypeError, ValueError, ArithmeticError):  # pandas.NA, arrays, Decimal("sNaN")
        return type(value).__name__ == "NAType"


def _factorize(values: pd.Series) -> tuple[Any, Any]:
    """pandas.factorize, also for cells it cannot hash (lists, Decimal("sNaN")): those are told
    apart by type and repr."""
    import numpy as np
    import pandas as pd

    try:
        with np.errstate(all="ignore"):  # ints beyond int64 in an object column: a cast warning
            return pd.factorize(values, use_na_sentinel=True)
    except TypeError:
        keys = [None if _missing(v) else (type(v).__qualname__, repr(v)) for v in values]
        codes, _ = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=True)
        first: dict[int, Any] = {}
        for value, code in zip(values, codes):
            first.setdefault(int(code), value)
        uniques = np.empty(len(first) - (-1 in first), dtype=object)
        for code, value in first.items():
            if code >= 0:
                uniques[code] = value
        return codes, uniques


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
    codes, uniques = _factorize(series)
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
