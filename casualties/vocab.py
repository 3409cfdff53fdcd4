"""Counts and periods from words ("around 1,500", "since 23 September 2014").

The vocabulary of reports, in two modules: :mod:`casualties.counts` (:func:`parse_count`,
:func:`parse_counts`, :class:`Count`) and :mod:`casualties.periods` (:func:`parse_period`,
:func:`parse_periods`, :func:`date_span`, :class:`Period`). This module gathers their public
names, so that ``from casualties.vocab import parse_count`` keeps working. The vocabulary is
documented in ``docs/vocabulary.md``; anything outside it raises
:class:`~casualties.errors.ParseError`.
"""

from __future__ import annotations

from casualties.counts import (  # noqa: F401  (the private names serve casualties.units)
    _DIGITS,
    _NUM,
    _SCALES,
    MAX_COUNT,
    VAGUE_WORDS,
    Count,
    _number,
    parse_count,
    parse_counts,
)
from casualties.periods import FIRST_YEAR, LAST_YEAR, PRECISIONS, Period, date_span, parse_period, parse_periods

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
    "date_span",
    "FIRST_YEAR",
    "LAST_YEAR",
]
