"""Hypothesis strategies for claims, counts and periods, valid by construction.

Import them in your own property tests (needs the ``test`` extra)::

    from hypothesis import given
    from casualties.strategies import claims_frames

    @given(claims_frames(max_size=10))
    def test_my_merge_rule(claims):
        ...

Every frame drawn from :func:`claims_frames` passes :func:`casualties.validate` unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - the test extra is missing
    from casualties.errors import OptionalDependencyError

    raise OptionalDependencyError("hypothesis", "test") from exc

__all__ = ["counts", "periods", "records", "claims_frames", "DEFAULT_PLACES", "DEFAULT_SOURCES"]

#: A small corner of the place tree, nested on purpose: Syria > Ar Raqqah > Raqqa > Al Mashlab.
DEFAULT_PLACES: tuple[str, ...] = ("SY", "IQ", "SY-RA", "SY-DR", "IQ-NI", "raqqa", "al-mashlab", "tafas", "mosul")
#: Sources drawn by default: monitors, a belligerent and the UN.
DEFAULT_SOURCES: tuple[str, ...] = ("SOHR", "Airwars", "CJTF-OIR", "SNHR", "UN")
_CATEGORIES = ("all", "civilian", "combatant", "children", "women")
_PERPETRATORS = ("all", "coalition", "russia", "syrian-government", "isis", "sdf", "turkey", "rebels", "unknown")
_CERTAINTY = (None, "discounted", "contested", "weak", "fair", "confirmed")


@st.composite
def counts(draw: st.DrawFn, max_value: int = 100_000, allow_infinite: bool = True) -> Any:
    """Draw a valid :class:`~casualties.vocab.Count`.

    Parameters
    ----------
    max_value : int
        Largest finite bound [people].
    allow_infinite : bool
        Whether ``high`` may be +inf ("at least").

    Returns
    -------
    hypothesis.strategies.SearchStrategy of Count
    """
    from casualties.vocab import Count

    values = sorted(draw(st.lists(st.integers(0, max_value), min_size=3, max_size=3)))
    low, best, high = (float(v) for v in values)
    if allow_infinite and draw(st.booleans()) and draw(st.booleans()):
        high = float("inf")
    if low == best == high:
        qualifier = "exact"
    elif high == float("inf"):
        qualifier = "at-least"
    else:
        qualifier = "between"
    return Count(low, best, high, qualifier, draw(st.booleans()) if high == float("inf") else False)


@st.composite
def periods(
    draw: st.DrawFn,
    min_date: dt.date = dt.date(2014, 1, 1),
    max_date: dt.date = dt.date(2018, 12, 31),
    max_days: int = 800,
) -> Any:
    """Draw a valid :class:`~casualties.vocab.Period` inside ``[min_date, max_date]``.

    Parameters
    ----------
    min_date, max_date : datetime.date
        The window periods fall in.
    max_days : int
        Longest period [days].

    Returns
    -------
    hypothesis.strategies.SearchStrategy of Period
    """
    from casualties.vocab import Period

    start = draw(st.dates(min_date, max_date))
    length = draw(st.one_of(st.just(0), st.integers(0, max_days)))
    end = min(start + dt.timedelta(days=length), max_date)
    precision = "day" if start == end else "range"
    return Period(start, end, precision)


@st.composite
def records(
    draw: st.DrawFn,
    sources: Sequence[str] = DEFAULT_SOURCES,
    places: Sequence[str] = DEFAULT_PLACES,
    incident_ids: Sequence[str] = ("i1", "i2", "i3"),
) -> dict[str, Any]:
    """Draw one valid claim record (a dict that :func:`casualties.claims_from_records` accepts).

    Parameters
    ----------
    sources : sequence of str
        Source names to draw from.
    places : sequence of str
        Place ids to draw from (one or two per claim).
    incident_ids : sequence of str
        Incident ids that incident claims share, so that several reports of one event occur.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of dict
    """
    count = draw(counts())
    period = draw(periods())
    kind = draw(st.sampled_from(("total", "incident")))
    place = draw(st.lists(st.sampled_from(places), min_size=1, max_size=2, unique=True))
    perpetrator = draw(st.lists(st.sampled_from(_PERPETRATORS), min_size=1, max_size=2, unique=True))
    record: dict[str, Any] = {
        "source": draw(st.sampled_from(sources)),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "place": "|".join(place),
        "category": draw(st.sampled_from(_CATEGORIES)),
        "perpetrator": "|".join(perpetrator),
        "outcome": draw(st.sampled_from(("killed", "killed", "injured"))),
        "kind": kind,
        "low": count.low,
        "best": count.best,
        "high": count.high,
        "qualifier": count.qualifier,
        "provisional": count.provisional,
        "certainty": draw(st.sampled_from(_CERTAINTY)),
        "quote": draw(st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=20)),
    }
    if kind == "incident":
        record["incident_id"] = draw(st.sampled_from(incident_ids))
    if draw(st.booleans()):  # where it happened: sometimes a name, sometimes a point, often neither
        record["location"] = draw(st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=20))
    if draw(st.booleans()):
        latitude = draw(st.floats(-90, 90, allow_nan=False))
        longitude = draw(st.floats(-180, 180, allow_nan=False))
        if latitude != 0 or longitude != 0:  # (0, 0) is refused ("null island")
            record["latitude"], record["longitude"] = latitude, longitude
    return record


@st.composite
def claims_frames(draw: st.DrawFn, min_size: int = 0, max_size: int = 12, **record_options: Any) -> Any:
    """Draw a valid, normalised claims frame.

    Parameters
    ----------
    min_size, max_size : int
        Number of claims.
    **record_options
        Passed to :func:`records` (``sources``, ``places``, ``incident_ids``).

    Returns
    -------
    hypothesis.strategies.SearchStrategy of pandas.DataFrame
        Frames that :func:`casualties.validate` returns unchanged.
    """
    import pandas as pd

    from casualties.schema import claims_from_records, empty_claims

    rows = draw(st.lists(records(**record_options), min_size=min_size, max_size=max_size))
    if not rows:
        return empty_claims()
    for i, row in enumerate(rows):
        row["claim_id"] = f"c{i + 1}"
    frame = claims_from_records(pd.DataFrame.from_records(rows))
    return frame
