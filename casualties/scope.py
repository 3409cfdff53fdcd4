"""The scope of a question: a period, places, a category, perpetrators and an outcome."""

from __future__ import annotations

import dataclasses
import datetime as dt
import numbers
from typing import Any

import pandas as pd

from casualties.errors import ParseError, ScopeError, ScopeTypeError, UnknownNameError

__all__ = ["Scope"]

_DATES = "a year (2017), a month ('2017-12', 'December 2017'), a day ('2017-06-05') or a date, in 1678-2261"


def _names(value: Any, argument: str, resolve: Any) -> tuple[str, ...] | None:
    """Ids from one name or text ("Iraq and Syria") or a collection of names; None is everything."""
    if value is None:
        return None
    if isinstance(value, str):
        return resolve(value)
    try:
        items = list(value) if not isinstance(value, (bytes, dict)) else None
    except TypeError:
        items = None
    if items is None or not all(isinstance(v, str) for v in items):
        raise ScopeTypeError(argument, value, f"not a {argument} name",
                             f"a name or id, or a list of them; None for every {argument}")
    if not items:
        raise ScopeError(argument, value, f"an empty list names no {argument}", f"None for every {argument}")
    ids: list[str] = []
    for item in items:
        ids.extend(resolve(item))
    return tuple(ids)


def _bound(value: Any, argument: str) -> pd.Timestamp | None:
    """The first (start) or last (end) day of what a bound stands for: ``2017`` ends on 31 December."""
    if value is None:
        return None
    from casualties.periods import date_span

    if isinstance(value, bool) or not (isinstance(value, (str, numbers.Real, dt.date)) or hasattr(value, "dtype")):
        raise ScopeTypeError(argument, value, f"not a date but a {type(value).__name__}", _DATES)
    try:
        span = date_span(value)
    except ParseError as exc:
        raise ScopeError(argument, value, exc.reason, _DATES) from None
    return pd.Timestamp(span.start if argument == "start" else span.end)


def _outcome(value: Any) -> str:
    from casualties.names import OUTCOME_WORDS, resolve_outcome

    allowed = "; ".join(f"{o} ({', '.join(words[1:5])}...)" for o, words in OUTCOME_WORDS.items())
    if not isinstance(value, str):
        raise ScopeTypeError("outcome", value, "not an outcome word", allowed)
    try:
        return resolve_outcome(value)
    except UnknownNameError:
        raise ScopeError("outcome", value, "not an outcome", allowed) from None


@dataclasses.dataclass(frozen=True, slots=True, init=False)
class Scope:
    """What a question is about; ``None`` means everything.

    Parameters
    ----------
    start, end : int, str, date, datetime, pandas.Timestamp or numpy.datetime64, optional
        First and last day, inclusive [date]. A year or a month means all of it
        (:func:`casualties.vocab.date_span`): ``Scope(start=2017, end=2018)`` is 1 January 2017
        to 31 December 2018, ``Scope(end="2017-12")`` ends on 31 December 2017; a datetime is
        its day. Days must lie in 1678-2261.
    place : str or collection of str, optional
        Place names or ids ("Iraq and Syria" is two); the scope covers their union. A name two
        places answer to ("Idlib") is read as the city and warns (``docs/places.md``).
    category : str, optional
        A category ("civilians", "children"...).
    perpetrator : str or collection of str, optional
        One or several perpetrators ("ISIS|coalition", ["isis", "coalition"]); the scope covers
        their union. "ISIS and coalition" is refused (:class:`~casualties.errors.ConjunctionError`).
    outcome : str, default "killed"
        ``"killed"`` or ``"injured"``, or a word for one of them ("dead", "died", "fatalities";
        "wounded", "hurt").

    Raises
    ------
    ScopeError
        A ``ValueError`` naming the argument and the values allowed: a date that does not parse
        or lies outside 1678-2261 (``start=5`` is not a year), a missing date (``NaT``; pass
        ``None`` for no bound), ``end`` before ``start``, an unknown outcome, an empty list.
    ScopeTypeError
        A ``ScopeError`` and a ``TypeError``: an argument of the wrong type (``place=5``).
    UnknownNameError
        When a name does not resolve (with suggestions).

    Warns
    -----
    AmbiguousNameWarning
        When a place name is both a city and a governorate.
    """

    start: pd.Timestamp | None
    end: pd.Timestamp | None
    place: tuple[str, ...] | None
    category: str | None
    perpetrator: tuple[str, ...] | None
    outcome: str

    def __init__(
        self,
        start: Any = None,
        end: Any = None,
        place: Any = None,
        category: str | None = None,
        perpetrator: Any = None,
        outcome: str = "killed",
    ) -> None:
        from casualties.names import categories, perpetrators
        from casualties.places import place_tree, resolve_places_in_question

        outcome = _outcome(outcome)
        start_day, end_day = _bound(start, "start"), _bound(end, "end")
        if start_day is not None and end_day is not None and start_day > end_day:
            raise ScopeError("end", end, f"ends on {end_day.date()}, before the start ({start_day.date()})",
                             "an end on or after the start")
        if category is not None and not isinstance(category, str):
            raise ScopeTypeError("category", category, "not a category name", "one name, or None for everyone")
        places = _names(place, "place", lambda name: resolve_places_in_question(name, stacklevel=5))
        setter = object.__setattr__
        setter(self, "start", start_day)
        setter(self, "end", end_day)
        setter(self, "place", None if places is None else place_tree().normalize_ids(places))
        setter(self, "category", None if category is None else categories().resolve(category))
        tree = perpetrators()
        found = _names(perpetrator, "perpetrator", tree.resolve_many)
        setter(self, "perpetrator", None if found is None else tree.normalize_ids(found))
        setter(self, "outcome", outcome)

    @classmethod
    def everything(cls, outcome: str = "killed") -> Scope:
        """The scope that covers everything (of one outcome)."""
        return cls(outcome=outcome)

    def replace(self, **changes: Any) -> Scope:
        """Return a copy with some fields changed (names are resolved again)."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        fields.update(changes)
        return Scope(**fields)

    def __repr__(self) -> str:
        def day(value: pd.Timestamp | None, open_: str) -> str:
            return open_ if value is None else str(value.date())

        parts = [f"[{day(self.start, '-inf')}, {day(self.end, 'inf')}]"]
        if self.place is not None:
            parts.append("place=" + "|".join(self.place))
        if self.category is not None:
            parts.append(f"category={self.category}")
        if self.perpetrator is not None:
            parts.append("perpetrator=" + "|".join(self.perpetrator))
        parts.append(self.outcome)
        return f"Scope({', '.join(parts)})"
