"""The scope of a question: a period, places, a category, perpetrators and an outcome."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

__all__ = ["Scope"]


def _ids(value: Any, tree: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return tree.resolve_many(value)
    return tree.normalize_ids(tree.resolve(v) for v in value)


def _date(value: Any, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    if isinstance(value, str):
        from casualties.errors import ParseError
        from casualties.vocab import parse_period

        try:
            stamp = pd.Timestamp(value)
        except ValueError:
            period = parse_period(value)
            if period.start != period.end:
                raise ParseError(value, f"{name} must be one day") from None
            stamp = pd.Timestamp(period.start)
    else:
        stamp = pd.Timestamp(value)
    return stamp.normalize()


@dataclasses.dataclass(frozen=True, slots=True, init=False)
class Scope:
    """What a question is about; ``None`` means everything.

    Parameters
    ----------
    start, end : date-like, optional
        First and last day, inclusive.
    place : str or sequence of str, optional
        Place names or ids ("Iraq and Syria" is two); the scope covers their union.
    category : str, optional
        A category ("civilians", "children"...).
    perpetrator : str or sequence of str, optional
        One or several perpetrators; the scope covers their union.
    outcome : {"killed", "injured"}
        Default "killed".

    Raises
    ------
    UnknownNameError
        When a name does not resolve.
    ParseError
        When a date does not parse.
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
        from casualties.places import place_tree

        if outcome not in ("killed", "injured"):
            raise ValueError(f"outcome must be 'killed' or 'injured', not {outcome!r}")
        start_day, end_day = _date(start, "start"), _date(end, "end")
        if start_day is not None and end_day is not None and start_day > end_day:
            raise ValueError(f"start {start_day.date()} is after end {end_day.date()}")
        setter = object.__setattr__
        setter(self, "start", start_day)
        setter(self, "end", end_day)
        setter(self, "place", _ids(place, place_tree()))
        setter(self, "category", None if category is None else categories().resolve(category))
        setter(self, "perpetrator", _ids(perpetrator, perpetrators()))
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
