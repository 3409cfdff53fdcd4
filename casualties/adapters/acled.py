"""ACLED event exports: one incident claim per event, fatalities as at least that many.

ACLED (the Armed Conflict Location & Event Data Project) codes political violence event by event
from press and monitors (SOHR, SNHR, Airwars and others for Syria). Its ``fatalities`` is the
lowest figure reported ("dozens" is 12, "hundreds" 100), and a multi-day total is split evenly
over the days; its ``time_precision`` says whether the date is the day (1), the week (2) or the
month (3). The rules are in ``docs/adapters.md``.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import pandas as pd

from casualties.adapters._common import (
    Errors,
    Source,
    Unmapped,
    build,
    check_errors,
    column,
    coordinates,
    finish,
    join_text,
    numbers,
    parse_dates,
    read_table,
    resolve_divisions,
)
from casualties.errors import OptionError, Reason

__all__ = ["read_acled", "REQUIRED_COLUMNS", "DATE_FORMATS", "resolve_actors"]

#: Columns a file must have (others are optional).
REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "actor1", "country", "admin1", "fatalities")
#: Formats of ``event_date`` tried in turn: exports of the website ("02 June 2023"), of the API
#: ("2023-06-02") and of old files ("02/06/2023", day first).
DATE_FORMATS = ("%d %B %Y", "ISO8601", "%d/%m/%Y", "%d-%b-%Y")
# "Military Forces of Syria (2000-) 4th Armored Division" is a unit of "Military Forces of Syria (2000-)"
_UNIT = re.compile(r"^(?P<force>(?:Military|Police) Forces of .+?\(\d{4}-(?:\d{4})?\))\s+\S")


def resolve_actors(names: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Map ACLED actor names to perpetrator ids, each distinct name once.

    A name is looked up in the perpetrator vocabulary as given; failing that, a state force's
    unit ("Military Forces of Syria (2000-) 4th Armored Division") is read as its force.

    Parameters
    ----------
    names : pandas.Series of str
        Actor names; blank means no actor.

    Returns
    -------
    ids : pandas.Series
        The perpetrator id, missing where the vocabulary does not know the name (or it is blank).
    known : pandas.Series of bool
        Whether the (non-blank) name was found.
    """
    from casualties.names import perpetrators

    tree = perpetrators()
    codes, uniques = pd.factorize(names)
    found = []
    for name in uniques:
        id_ = tree.get(name) if name else None
        if id_ is None and name:
            unit = _UNIT.match(name)
            id_ = tree.get(unit["force"]) if unit else None
        found.append(id_)
    table = np.array(found + [None], dtype=object)
    ids = pd.Series(table[codes], index=names.index, dtype=object)
    return ids, ids.notna()


def read_acled(
    path: Source,
    *,
    errors: Errors = "warn",
    fatalities: Literal["at-least", "exact"] = "at-least",
    fuzzy_cutoff: float | None = 0.8,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read an ACLED export into incident claims, one per event.

    Parameters
    ----------
    path : str, path-like or pandas.DataFrame
        A CSV export with ACLED's standard columns (``event_id_cnty, event_date, time_precision,
        actor1, actor2, country, admin1, location, source, notes, fatalities ...``), or such a
        table already read.
    errors : {"warn", "collect", "raise"}
        As in :func:`~casualties.adapters.read_airwars`.
    fatalities : {"at-least", "exact"}
        ``"at-least"`` (default): ``low = fatalities``, ``high = inf``, since ACLED codes the
        lowest figure reported; ``"exact"``: ``low = best = high = fatalities``.
    fuzzy_cutoff : float or None
        As in :func:`~casualties.adapters.read_airwars`, for ``admin1``.

    Returns
    -------
    claims : pandas.DataFrame
        A claims frame: source ACLED, ``kind="incident"``, ``claim_id = incident_id =
        event_id_cnty``, category ``all`` (ACLED's fatalities are everyone killed), perpetrator
        ``actor1|actor2`` (several: the deaths are by one of them), place ``admin1`` (the
        country when blank), ``location``, ``latitude`` and ``longitude`` the event's (a bad
        coordinate is reported and left missing), counts [people], ``quote`` the event's ``notes``. Index (``row``):
        the input row.
    unmapped : pandas.DataFrame
        With ``errors="collect"``: ``row, column, value, reason, detail``.

    Raises
    ------
    ClaimFileError
        If the file cannot be read or lacks a required column.
    ClaimError
        With ``errors="raise"``, if anything could not be mapped as given.

    Notes
    -----
    ``time_precision`` 1 is the day, 2 the Monday-to-Sunday week containing ``event_date``, 3
    its calendar month; another value (or a blank) leaves the event without a claim (reported); a
    file without the column is read as exact days. An
    actor the vocabulary does not know is kept as ``unknown``, with its name in ``note`` (and
    reported, reason ``unknown_perpetrator``).
    """
    check_errors(errors)
    if fatalities not in ("at-least", "exact"):
        raise OptionError("fatalities", fatalities, ("at-least", "exact"))
    raw, _ = read_table(path, "read_acled", REQUIRED_COLUMNS)
    unmapped = Unmapped()
    event = raw["event_id_cnty"]
    usable = event.ne("")
    unmapped.add(~usable, "event_id_cnty", event, Reason.MISSING, "an event needs its id: no claim from this row")

    start, end, ok = _period(raw, unmapped)
    usable &= ok
    place, place_note, ok = _places(raw, fuzzy_cutoff, unmapped)
    usable &= ok
    perpetrator, actor_note = _actors(raw, unmapped)
    latitude, longitude = coordinates(raw, unmapped)

    count = raw["fatalities"]
    missing = count.eq("")
    unmapped.add(missing, "fatalities", count, Reason.MISSING, "no fatalities figure: no claim from this row")
    usable &= ~missing

    sources = column(raw, "source")
    what = join_text(column(raw, "sub_event_type"), column(raw, "location"))
    note = join_text(
        ("ACLED " + event + np.where(what.ne(""), ": " + what, "")).astype(str),
        pd.Series(np.where(sources.ne(""), "ACLED's sources: " + sources, ""), index=raw.index),
        place_note, actor_note,
    )
    keep = usable.to_numpy()
    high = count.where(count.ne("")) if fatalities == "exact" else pd.Series("inf", index=raw.index)
    records = pd.DataFrame({
        "_row": raw.index[keep],
        "claim_id": event[keep], "source": "ACLED",
        "start": start[keep], "end": end[keep], "place": place[keep],
        "location": column(raw, "location")[keep], "latitude": latitude[keep], "longitude": longitude[keep],
        "category": "all", "perpetrator": perpetrator[keep], "outcome": "killed", "kind": "incident",
        "incident_id": event[keep],
        "low": count[keep].where(count[keep].ne("")), "best": count[keep].where(count[keep].ne("")), "high": high[keep],
        "quote": column(raw, "notes")[keep], "note": note[keep],
        "_col_low": "fatalities", "_col_best": "fatalities", "_col_high": "fatalities", "_col_claim_id": "event_id_cnty",
    })
    claims = build(records, raw, unmapped)
    return finish("read_acled", claims, unmapped, len(raw), errors)


def _period(raw: pd.DataFrame, unmapped: Unmapped) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The days each event may have happened on, from event_date and time_precision."""
    text = raw["event_date"]
    day = parse_dates(text, DATE_FORMATS)
    missing = text.eq("")
    unmapped.add(missing, "event_date", text, Reason.MISSING, "an event needs its date: no claim from this row")
    bad = ~missing & day.isna()
    unmapped.add(bad, "event_date", text, Reason.NOT_A_DATE, "not a date ('02 June 2023' or 2023-06-02): no claim from this row")
    precision_text = column(raw, "time_precision")
    precision = numbers(precision_text).fillna(1.0 if "time_precision" not in raw.columns else np.nan)
    week_start = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    month_start = day - pd.to_timedelta(day.dt.day - 1, unit="D")
    start = day.where(precision.ne(2), week_start).where(precision.ne(3), month_start)
    end = (day.where(precision.ne(2), week_start + pd.Timedelta(days=6))
              .where(precision.ne(3), day + pd.offsets.MonthEnd(0)))
    unknown = day.notna() & ~precision.isin([1.0, 2.0, 3.0])
    unmapped.add(unknown, "time_precision", precision_text, Reason.UNKNOWN_VALUE,
                 "time_precision is 1 (day), 2 (week) or 3 (month); the period is unknown: no claim from this row")
    return start.astype("datetime64[s]"), end.astype("datetime64[s]"), ~(missing | bad | unknown)


def _places(raw: pd.DataFrame, fuzzy_cutoff: float | None, unmapped: Unmapped) -> tuple[pd.Series, pd.Series, pd.Series]:
    """admin1 resolved within its country; the country when admin1 is blank."""
    from casualties.places import WORLD, place_tree

    tree = place_tree()
    country, admin1 = raw["country"], raw["admin1"]
    found = {c: tree.get(c) for c in country.unique() if c}
    # a name of something else than a country ("Nan" is a province of Thailand) is no country
    found = {c: (id_ if id_ is not None and tree.parent(id_) == WORLD else None) for c, id_ in found.items()}
    country_ids = country.map(found)
    place = pd.Series(np.nan, index=raw.index, dtype=object)
    note = pd.Series("", index=raw.index, dtype=str)
    bad_country = country_ids.isna()
    unmapped.add(bad_country, "country", country, Reason.UNKNOWN_PLACE, "not a country of the place tree: no claim from this row")
    for country_id in country_ids.dropna().unique():
        rows = country_ids.eq(country_id) & admin1.ne("")
        ids, fuzzy, problems = resolve_divisions(admin1[rows], country_id, fuzzy_cutoff)
        place[rows] = ids
        fuzzy = fuzzy.reindex(raw.index, fill_value=False)
        note[fuzzy] = "admin1 '" + admin1[fuzzy] + "' read as " + place[fuzzy].astype(str) + " (closest spelling)"
        failed = problems.notna().reindex(raw.index, fill_value=False)
        unmapped.add(failed, "admin1", admin1, Reason.UNKNOWN_PLACE,
                     (problems.reindex(raw.index).fillna("") + ": no claim from this row").astype(str))
        blank = country_ids.eq(country_id) & admin1.eq("")
        place[blank] = country_id
        note[blank] = "no admin1 given: placed in " + country_id
    return place, note, place.notna()


def _actors(raw: pd.DataFrame, unmapped: Unmapped) -> tuple[pd.Series, pd.Series]:
    """actor1|actor2 as perpetrator ids; unknown names become ``unknown``, named in note."""
    from casualties.hierarchy import join_ids
    from casualties.names import perpetrators

    tree = perpetrators()
    ids, notes = {}, []
    for name in ("actor1", "actor2"):
        text = column(raw, name)
        found, known = resolve_actors(text)
        unknown = text.ne("") & ~known
        ids[name] = found.where(~unknown, "unknown")
        unmapped.add(unknown, name, text, Reason.UNKNOWN_PERPETRATOR,
                     "not in the perpetrator vocabulary: kept as 'unknown', the name in note")
        notes.append(pd.Series(np.where(unknown, "unknown " + name + ": " + text, ""), index=raw.index))
    pairs = pd.DataFrame({"a": ids["actor1"].fillna(""), "b": ids["actor2"].fillna("")})
    unique = pairs.drop_duplicates().reset_index(drop=True)
    unique["perpetrator"] = [join_ids(tree.normalize_ids([x for x in (a, b) if x])) or "unknown"
                             for a, b in zip(unique["a"], unique["b"])]
    perpetrator = pd.Series(pairs.merge(unique, on=["a", "b"], how="left")["perpetrator"].to_numpy(), index=raw.index)
    return perpetrator, join_text(*notes)
