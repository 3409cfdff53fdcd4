"""The Violations Documentation Center's weekly tables: total claims per week (and province).

The VDC lists named victims of every perpetrator in Syria. The weekly tables count them per year
and ISO week, by province (civilian and non-civilian, sex and age, 16 causes of death such as
"Warplane shelling"), or for the whole country. The rules are in ``docs/adapters.md``.

Week labels. The tables pair an ISO week number with a *calendar* year or with an *ISO* year,
and the two disagree at new year: in the province table, "2016 week 53" is 1-3 January 2016
(ISO week 53 of 2015, the part in calendar 2016) and "2015 week 53" is 28-31 December 2015,
while the national table has "2015 week 53" for 28 December 2015 to 3 January 2016 and no
"2016 week 53". With calendar labels, a week number can name days at both ends of one year
("2017 week 52" is 1 January and 25-31 December 2017): a count over two separate periods, which
one claim cannot state; such rows are reported (reason ``not_a_period``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
import pandas as pd

from casualties.adapters._common import (
    Errors,
    Source,
    Unmapped,
    build,
    check_errors,
    concat_records,
    finish,
    join_text,
    numbers,
    read_table,
    resolve_divisions,
)
from casualties.errors import ClaimFileError, OptionError, Reason

__all__ = ["read_vdc_weekly", "LAYOUTS", "STATUSES", "SEX_AGE", "FIRST_DAY", "week_days"]

#: The tables read, by the columns that tell them apart: layout -> (columns, week labels).
LAYOUTS: dict[str, tuple[tuple[str, ...], str]] = {
    "province": (("year", "week", "province", "Civilian", "Non-Civilian", "total"), "calendar"),
    "national": (("year", "week", "deaths"), "iso"),
}
#: The first day of the VDC's records (18 March 2011, the first deaths of the uprising in Daraa):
#: days before it are in no row, so "2011 week 52" is 26-31 December 2011 alone.
FIRST_DAY = "2011-03-18"
#: The VDC's status columns -> category (its "Non-Civilian" are the combatants).
STATUSES = {"Civilian": "civilian", "Non-Civilian": "combatant", "total": "all"}
#: Sex and age columns, named in notes (they mix civilians and non-civilians, so they are not
#: claims of the children or women categories, which lie inside the civilians).
SEX_AGE = {"Adult - Female": "adult women", "Adult - Male": "adult men", "Child - Female": "girls", "Child - Male": "boys"}


def week_days(year: int, week: int, labels: Literal["calendar", "iso"],
              first_day: dt.date | None = None) -> list[tuple[dt.date, dt.date]]:
    """The days a (year, ISO week) label names, as inclusive spans.

    Parameters
    ----------
    year, week : int
        The label.
    labels : {"calendar", "iso"}
        ``"iso"``: ISO year and week, Monday to Sunday. ``"calendar"``: the days of calendar
        ``year`` whose ISO week number is ``week`` (one span, or two when the number names days
        at both ends of the year).
    first_day : datetime.date, optional
        Days before it belong to no label (spans are cut there; a span wholly before it is
        dropped).

    Returns
    -------
    list of (datetime.date, datetime.date)
        Empty when the label names no day.
    """
    def iso_week(iso_year: int) -> tuple[dt.date, dt.date] | None:
        try:
            monday = dt.date.fromisocalendar(iso_year, week, 1)
        except ValueError:
            return None
        return monday, monday + dt.timedelta(days=6)

    if labels == "iso":
        span = iso_week(year)
        spans = [span] if span else []
        first, last = dt.date.min, dt.date.max
    else:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        spans = [s for s in (iso_week(y) for y in (year - 1, year, year + 1)) if s]
    if first_day is not None:
        first = max(first, first_day)
    return [(max(a, first), min(b, last)) for a, b in spans if a <= last and b >= first]


def read_vdc_weekly(
    path: Source,
    *,
    errors: Errors = "warn",
    weeks: Literal["calendar", "iso"] | None = None,
    first_day: str | None = FIRST_DAY,
    country: str = "SY",
    fuzzy_cutoff: float | None = 0.8,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read a VDC weekly table into total claims per week (and province).

    Parameters
    ----------
    path : str, path-like or pandas.DataFrame
        ``weekly_by_province.csv`` (``year, week, province, Civilian, Non-Civilian``, sex and
        age, causes, ``total``) or ``weekly_national.csv`` (``year, week, deaths``), or such a
        table already read.
    errors : {"warn", "collect", "raise"}
        As in :func:`~casualties.adapters.read_airwars`.
    weeks : {"calendar", "iso"}, optional
        How the (year, week) labels read (see the module's notes). Default: ``"calendar"`` for
        the province table, ``"iso"`` for the national one, as the VDC tables in
        ``shared/data/vdc`` have them.
    first_day : str or None
        Days before this (ISO date) are in no row; default :data:`FIRST_DAY`. ``None``: no
        such cut.
    country : str
        The country of the table (the national table's place).
    fuzzy_cutoff : float or None
        As in :func:`~casualties.adapters.read_airwars`, for ``province``.

    Returns
    -------
    claims : pandas.DataFrame
        Total claims of the source VDC, perpetrator ``all``, exact counts [people]: per
        province table row one for civilians, one for combatants (the VDC's non-civilians) and
        one for everyone (``total``; its note lists the causes of death and the sex and age
        classes that are not zero, "Warplane shelling" among them); per national row one for
        everyone. Claim ids ``"VDC:<year>-W<week>:<province>:<category>"``. Index (``row``):
        the input row.
    unmapped : pandas.DataFrame
        With ``errors="collect"``: ``row, column, value, reason, detail``.

    Raises
    ------
    ClaimFileError
        If the file cannot be read or is neither layout.
    ClaimError
        With ``errors="raise"``, if anything could not be mapped as given.
    """
    from casualties.places import place_tree

    check_errors(errors)
    raw, label = read_table(path, "read_vdc_weekly", ("year", "week"))
    layout = next((name for name, (needed, _) in LAYOUTS.items() if all(c in raw.columns for c in needed)), None)
    if layout is None:
        expected = "; ".join(f"{name}: {', '.join(needed)}" for name, (needed, _) in LAYOUTS.items())
        raise ClaimFileError(label, f"not a VDC weekly table read_vdc_weekly knows (columns expected: {expected}); "
                                    "the tables by status and by cause repeat the province table in other shapes")
    if weeks not in (None, "calendar", "iso"):
        raise OptionError("weeks", weeks, ("calendar", "iso"))
    labels: Literal["calendar", "iso"] = weeks or ("calendar" if LAYOUTS[layout][1] == "calendar" else "iso")
    unmapped = Unmapped()
    start, end, ok = _periods(raw, labels, None if first_day is None else dt.date.fromisoformat(first_day), unmapped)

    country_id = place_tree().resolve(country)
    if layout == "province":
        province = raw["province"]
        place, fuzzy, problems = resolve_divisions(province, country_id, fuzzy_cutoff)
        unmapped.add(province.eq(""), "province", province, Reason.MISSING, "no province: no claims from this row")
        unmapped.add(problems.notna(), "province", province, Reason.UNKNOWN_PLACE,
                     (problems.fillna("") + ": no claims from this row").astype(str))
        ok &= place.notna()
        read_as = "province '" + province + "' read as " + place.fillna("") + " (closest spelling)"
        place_note = pd.Series(np.where(fuzzy, read_as, ""), index=raw.index)
        key = province
        counts = STATUSES
    else:
        place = pd.Series(country_id, index=raw.index)
        place_note = pd.Series("", index=raw.index, dtype=str)
        key = pd.Series(country_id, index=raw.index)
        counts = {"deaths": "all"}

    label_text = raw["year"] + "-W" + raw["week"].str.zfill(2)
    base = ("VDC weekly table, " + ("calendar year " if labels == "calendar" else "ISO year ") + raw["year"]
            + " week " + raw["week"]).astype(str)
    not_causes = (*LAYOUTS["province"][0], *SEX_AGE, "deaths", "status")
    causes = _breakdown(raw, [c for c in raw.columns if c not in not_causes], "causes")
    sex_age = _breakdown(raw, [c for c in SEX_AGE if c in raw.columns], "sex and age", SEX_AGE)
    parts = []
    for source_column, category in counts.items():
        text = raw[source_column]
        given = ok & text.ne("")
        unmapped.add(ok & text.eq(""), source_column, text, Reason.MISSING, f"no count: no {category} claim from this row")
        extra = (causes, sex_age) if category == "all" and layout == "province" else ()
        note = join_text(base, place_note, *extra)
        keep = given.to_numpy()
        parts.append(pd.DataFrame({
            "_row": raw.index[keep],
            "claim_id": ("VDC:" + label_text + ":" + key + ":" + category)[keep],
            "source": "VDC", "start": start[keep], "end": end[keep], "place": place[keep],
            "category": category, "perpetrator": "all", "outcome": "killed", "kind": "total",
            "low": text[keep], "best": text[keep], "high": text[keep], "note": note[keep],
            "_col_low": source_column, "_col_best": source_column, "_col_high": source_column, "_col_claim_id": "week",
        }))
    claims = build(concat_records(parts), raw, unmapped)
    return finish("read_vdc_weekly", claims, unmapped, len(raw), errors)


def _periods(raw: pd.DataFrame, labels: Literal["calendar", "iso"], first_day: dt.date | None,
             unmapped: Unmapped) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Start and end of every row's week; rows whose label names no day or two spans fail."""
    from casualties.columns import FIRST_YEAR, LAST_YEAR

    year, week = numbers(raw["year"]), numbers(raw["week"])
    bad = year.isna() | week.isna() | (year % 1 != 0) | (week % 1 != 0) | ~week.between(1, 53)
    bad_year = year.isna() | (year % 1 != 0)
    far = ~bad_year & ((year < FIRST_YEAR) | (year > LAST_YEAR))
    unmapped.add(bad & ~bad_year & ~far, "week", raw["week"], Reason.NOT_A_DATE, "not an ISO week number (1 to 53): no claims from this row")
    unmapped.add(bad_year, "year", raw["year"], Reason.NOT_A_DATE, "not a year: no claims from this row")
    unmapped.add(far, "year", raw["year"], Reason.NOT_A_DATE, f"a year outside {FIRST_YEAR}-{LAST_YEAR}: no claims from this row")
    bad |= far
    labelled = pd.DataFrame({"year": year.where(~bad), "week": week.where(~bad)})
    unique = labelled.dropna().drop_duplicates()
    spans = {(int(y), int(w)): week_days(int(y), int(w), labels, first_day) for y, w in unique.itertuples(index=False)}
    table = pd.DataFrame(
        [(y, w, s[0][0] if len(s) == 1 else pd.NaT, s[0][1] if len(s) == 1 else pd.NaT, len(s),
          "; ".join(f"{a:%d %b %Y}" if a == b else f"{a:%d %b} to {b:%d %b %Y}" for a, b in s)) for (y, w), s in spans.items()],
        columns=["year", "week", "start", "end", "spans", "text"],
    )
    merged = labelled.merge(table.astype({"year": float, "week": float}), on=["year", "week"], how="left")
    merged.index = raw.index
    none = ~bad & merged["spans"].eq(0)
    unmapped.add(none, "week", raw["week"], Reason.NOT_A_DATE,
                 f"this year ({labels} labels) has no such ISO week (or it lies wholly before the first day): "
                 "no claims from this row")
    two = ~bad & merged["spans"].gt(1)
    unmapped.add(two, "week", raw["week"], Reason.NOT_A_PERIOD,
                 ("calendar year " + raw["year"] + " ISO week " + raw["week"] + " covers " + merged["text"].fillna("")
                  + ": one count over two separate periods, which one claim cannot state; no claims from this row").astype(str))
    start = pd.to_datetime(merged["start"]).astype("datetime64[s]")
    end = pd.to_datetime(merged["end"]).astype("datetime64[s]")
    return start, end, ~bad & merged["spans"].eq(1)


def _breakdown(raw: pd.DataFrame, columns: list[str], title: str, names: dict[str, str] | None = None) -> pd.Series:
    """"causes: Shelling 5, Warplane shelling 3" from the columns that are not zero."""
    out = pd.Series("", index=raw.index, dtype=str)
    for name in columns:
        value = raw[name]
        shown = (names or {}).get(name, name)
        nonzero = value.ne("") & value.ne("0")
        out = join_text(out, pd.Series(np.where(nonzero, shown + " " + value, ""), index=raw.index), sep=", ")
    return pd.Series(np.where(out.ne(""), title + ": " + out, ""), index=raw.index)
