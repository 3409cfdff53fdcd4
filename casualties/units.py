"""The one pint registry of ``casualties``: people, rates of people per time, and distances.

The registry is made once, from pint's defaults plus ``data/units.txt`` (which defines the base
dimension ``[person]``, with ``people`` and ``casualty`` as names for it), and is set as pint's
application registry so that quantities made elsewhere interoperate with it.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Any

import numpy as np
import pint

from casualties import vocab
from casualties._resources import data_path
from casualties.errors import ParseError

__all__ = ["ureg", "Q_", "to_rate", "Distance", "parse_distance"]

#: The unit registry of the package: pint's defaults plus ``data/units.txt``.
ureg: pint.UnitRegistry = pint.UnitRegistry()
ureg.load_definitions(str(data_path("units.txt")))
pint.set_application_registry(ureg)
#: Quantities of :data:`ureg`, e.g. ``Q_(21, "person")``.
Q_ = ureg.Quantity

_RATE = (ureg.person / ureg.day).dimensionality
_LENGTH = ureg.kilometer.dimensionality


def _unit(unit: Any, dimensionality: Any, meaning: str) -> pint.Unit:
    """Parse a unit string and check its dimensionality, raising only ParseError."""
    try:
        parsed = ureg.parse_units(str(unit))
    # pint's parser raises many types for malformed text (UndefinedUnitError, ValueError,
    # AssertionError, tokenize.TokenError...): every one of them means "not a unit".
    except Exception:
        raise ParseError(unit, "not a unit") from None
    if parsed.dimensionality != dimensionality:
        raise ParseError(unit, f"not a {meaning}")
    return parsed


def _floats(values: Any) -> np.ndarray:
    if hasattr(values, "to_numpy"):  # pandas, with NA as NaN
        return values.to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(values, dtype=float)


def to_rate(counts: Any, days: Any, unit: str = "person / day") -> np.ndarray:
    """Express numbers of people over periods of days as rates in a unit of people per time.

    Parameters
    ----------
    counts : array-like of float
        Numbers of people [people].
    days : array-like of float
        Lengths of the periods [days], broadcast against ``counts``; a zero length gives
        ``inf`` (or NaN for 0/0), without a warning.
    unit : str, default "person / day"
        Any unit of ``[person] / [time]`` pint understands: "person / week", "people per
        month" (pint's month, 1/12 of a Julian year: 30.4375 days), "casualty / year"...

    Returns
    -------
    numpy.ndarray of float
        The rates [unit] (a 0-d array for scalar inputs).

    Raises
    ------
    ParseError
        If ``unit`` is not a unit, or not a rate of people per time.

    Examples
    --------
    >>> to_rate([70], [7], "person / week")
    array([70.])
    """
    target = _unit(unit, _RATE, "rate of people per time")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = Q_(_floats(counts), ureg.person) / Q_(_floats(days), ureg.day)
        return np.asarray(rate.to(target).magnitude, dtype=float)


@dataclasses.dataclass(frozen=True, slots=True)
class Distance:
    """A distance from a place, as reported ("10 km (6 miles) north of Raqqa").

    Parameters
    ----------
    length : pint.Quantity
        The distance [km]; any length is converted to kilometres.
    direction : str or None
        The compass direction from the reference ("north", "southeast"), if given.
    reference : str or None
        The place it is measured from, as written ("Raqqa", "the border with Turkey").
    text : str
        The phrase it was parsed from ("" when built by hand).
    """

    length: pint.Quantity
    direction: str | None = None
    reference: str | None = None
    text: str = ""

    def __post_init__(self) -> None:
        length = self.length
        if not isinstance(length, ureg.Quantity) or length.dimensionality != _LENGTH:
            raise ParseError(length, "length must be a pint Quantity of length")
        object.__setattr__(self, "length", length.to(ureg.kilometer))

    def __repr__(self) -> str:
        where = " ".join(w for w in (self.direction, "of" if self.direction else "from") if w)
        ref = f" {where} {self.reference!r}" if self.reference else f" {self.direction or ''}"
        return f"Distance({self.length.magnitude:g} km{ref.rstrip()})"

    def replace(self, **changes: Any) -> Distance:
        """Return a copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


_LENGTH_UNITS = {
    "km": "kilometer", "kms": "kilometer", "kilometre": "kilometer", "kilometres": "kilometer",
    "kilometer": "kilometer", "kilometers": "kilometer", "m": "meter", "metre": "meter",
    "metres": "meter", "meter": "meter", "meters": "meter", "mi": "mile", "mile": "mile",
    "miles": "mile", "yd": "yard", "yds": "yard", "yard": "yard", "yards": "yard", "ft": "foot",
    "foot": "foot", "feet": "foot", "nautical mile": "nautical_mile",
    "nautical miles": "nautical_mile", "nmi": "nautical_mile",
}
_UNIT_WORDS = "|".join(re.escape(u).replace(r"\ ", r"\s+")
                       for u in sorted(_LENGTH_UNITS, key=len, reverse=True))
_APPROX = r"(?:about|around|some|roughly|approximately|approx\.?|nearly|almost|an\s+estimated)\s+"


def _amount_pattern(n: str, u: str) -> str:
    return rf"(?:{_APPROX})?(?P<{n}>{vocab._NUM})\s*(?P<{u}>{_UNIT_WORDS})\b\.?"


_DIRECTION = r"(?:north|south)(?:[\s-]?(?:east|west))?|east|west"
_DISTANCE = re.compile(
    rf"{_amount_pattern('n1', 'u1')}"
    rf"(?:\s*\(\s*{_amount_pattern('n2', 'u2')}\s*\))?(?:\s+away)?"
    rf"(?:\s+(?P<direction>{_DIRECTION}))?"
    rf"(?:\s+(?P<prep>of|from)\s+(?P<reference>\S.*?))?",
    re.IGNORECASE | re.DOTALL,
)


def _half_step(number: str, value: Decimal, converted: bool) -> Decimal:
    """Half the unit of the last stated digit of ``number`` ("6" stands for [5.5, 6.5)). A
    ``converted`` figure (the one in brackets) may also be rounded to its last non-zero digit,
    so "(60 miles)" stands for [55, 65)."""
    m = re.fullmatch(rf"({vocab._DIGITS})(?: (\w+))?", number)
    figure = m.group(1).replace(",", "") if m else None
    scale = vocab._SCALES.get(m.group(2) or "", 1) if m else 1
    if figure is not None and "." in figure:
        return Decimal(1).scaleb(-len(figure.partition(".")[2])) * scale / 2
    if value != value.to_integral_value():  # "half a mile"
        return Decimal(1).scaleb(value.normalize().as_tuple().exponent) / 2  # type: ignore[arg-type]
    digits = str(int(value / scale))
    zeros = len(digits) - len(digits.rstrip("0")) if converted and int(value) else 0
    return Decimal(10) ** zeros * scale / 2


def _amount(match: re.Match[str], n: str, u: str, text: str) -> tuple[Decimal, Decimal, str]:
    number = " ".join(match.group(n).lower().split())
    value = vocab._number(number)
    if value is None or value > vocab.MAX_COUNT:
        raise ParseError(text, f"{match.group(n)!r} is not a number (or too large)")
    unit = _LENGTH_UNITS[" ".join(match.group(u).lower().split())]
    return value, _half_step(number, value, converted=n == "n2"), unit


def parse_distance(text: str) -> Distance:
    """Parse a reported distance from a place.

    Parameters
    ----------
    text : str
        "10 km (6 miles) north of Raqqa", "one kilometre north of Raqqa", "about 90 km
        (56 miles) from the border with Turkey". Words of approximation before a number
        ("about", "some", ...) are accepted and dropped (``text`` keeps them).

    Returns
    -------
    Distance
        The first stated length [km], the direction and the reference as written.

    Raises
    ------
    ParseError
        If the phrase is not a distance, or if two stated lengths disagree: each stated value
        ``x`` stands for ``[x - h, x + h)`` with ``h`` half the unit of its last stated digit
        (for the bracketed conversion, of its last non-zero digit: "100 km (60 miles)" is
        accepted), and the two intervals, in km, must overlap.

    Examples
    --------
    >>> parse_distance("10 km (6 miles) north of Raqqa")
    Distance(10 km north of 'Raqqa')
    """
    if not isinstance(text, str):
        raise ParseError(text, f"expected text, not {type(text).__name__}")
    m = _DISTANCE.fullmatch(text.strip().rstrip(".,;:").strip()) if len(text) <= 500 else None
    if not m:
        raise ParseError(text, "not a distance")
    if m.group("prep") and m.group("prep").lower() == "of" and not m.group("direction"):
        raise ParseError(text, "'of' needs a direction ('north of ...'); use 'from'")
    value, half, unit = _amount(m, "n1", "u1", text)
    if m.group("n2"):
        other, other_half, other_unit = _amount(m, "n2", "u2", text)
        low, high = (Q_(float(value + s * half), unit).to("km").magnitude for s in (-1, 1))
        low2, high2 = (Q_(float(other + s * other_half), other_unit).to("km").magnitude for s in (-1, 1))
        if not (low < high2 and low2 < high):
            raise ParseError(text, f"{m.group('n1')} {m.group('u1')} and {m.group('n2')} "
                                   f"{m.group('u2')} do not agree within rounding")
    direction = m.group("direction")
    if direction:
        direction = re.sub(r"[\s-]", "", direction.lower())
    return Distance(Q_(float(value), unit), direction, m.group("reference"), text)
