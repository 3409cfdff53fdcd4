"""UCDP: GED events (one incident per event) and country-year sums (one total per country-year).

The Uppsala Conflict Data Program's Georeferenced Event Dataset (GED) counts deaths in organised
violence (state-based conflict, non-state conflict, one-sided violence) event by event, with a
low, best and high estimate, the earliest and latest possible day (``date_start``, ``date_end``),
how precise they are (``date_prec`` 1, the day, to 5, the year) and where (``where_prec`` 1, the
exact place, to 7, international waters or airspace), and the split of the best estimate between
side A, side B, civilians and unknown. The rules are in ``docs/adapters.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casualties.adapters._common import (
    Errors,
    Source,
    Unmapped,
    build,
    check_errors,
    column,
    concat_records,
    coordinates,
    finish,
    join_text,
    numbers,
    parse_dates,
    read_table,
    resolve_divisions,
)
from casualties.errors import Reason

__all__ = [
    "read_ucdp_ged",
    "read_ucdp_country_year",
    "GED_REQUIRED_COLUMNS",
    "COUNTRY_YEAR_REQUIRED_COLUMNS",
    "VIOLENCE_TYPES",
    "ALL_TYPES",
    "SIDES",
    "ENTITY_NAMES",
]

#: Columns a GED event file must have (UCDP GED codebook; others are optional).
GED_REQUIRED_COLUMNS = ("id", "date_start", "date_end", "country", "best", "low", "high")
#: Columns of the country-year sums (OWID's UCDP pipeline).
COUNTRY_YEAR_REQUIRED_COLUMNS = ("entity", "year", "type_of_violence", "best")
#: GED's ``type_of_violence`` codes.
VIOLENCE_TYPES = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}
#: The country-year row that sums the three types; the per-type rows are folded into its note.
ALL_TYPES = "All types of organised violence"
#: GED side names that the perpetrator vocabulary does not spell that way -> perpetrator id.
#: ``None``: not a perpetrator (the victims of one-sided violence).
SIDES: dict[str, str | None] = {
    "Government of Syria": "syrian-government",
    "Government of Russia (Soviet Union)": "russia",
    "Government of United States of America": "coalition",
    "Government of United Kingdom": "coalition",
    "Government of France": "coalition",
    "Government of Turkey": "turkey",
    "Government of Israel": "israel",
    "Government of Iran": "iran",
    "Syrian insurgents": "rebels",
    "PYD": "sdf",
    "Civilians": None,
}
#: Country names of OWID's UCDP tables that ISO 3166 spells otherwise -> ISO code. (Kosovo and
#: Northern Cyprus have no ISO code, hence no place in the tree: they are reported.)
ENTITY_NAMES: dict[str, str] = {
    "Democratic Republic of Congo": "CD",
    "Timor": "TL",
    "Brunei": "BN",
    "Falkland Islands": "FK",
}
_WHERE_COUNTRY = {"5", "6"}  # larger than a first-order division, or only the country known
_WHERE_NOWHERE = {"7"}  # international waters or airspace


def read_ucdp_ged(
    path: Source,
    *,
    errors: Errors = "warn",
    fuzzy_cutoff: float | None = 0.8,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read UCDP GED events into incident claims.

    Parameters
    ----------
    path : str, path-like or pandas.DataFrame
        A GED CSV (``id, year, type_of_violence, side_a, side_b, date_start, date_end,
        date_prec, where_prec, country, adm_1, deaths_a, deaths_b, deaths_civilians,
        deaths_unknown, best, high, low, ...``), or such a table already read.
    errors : {"warn", "collect", "raise"}
        As in :func:`~casualties.adapters.read_airwars`.
    fuzzy_cutoff : float or None
        As in :func:`~casualties.adapters.read_airwars`, for ``adm_1``.

    Returns
    -------
    claims : pandas.DataFrame
        Per event, with ``incident_id`` ``"GED<id>"``: the deaths of everyone (``all``: ``low,
        best, high``) and, when the split is given, the civilians and the combatants (both
        sides), claim ids ``"GED<id>:all"``, ``":civilian"``, ``":combatant"``. Source UCDP,
        period ``[date_start, date_end]``, place ``adm_1`` (the country when ``where_prec`` is
        5 or 6 or ``adm_1`` is blank), perpetrator ``side_a|side_b`` (``side_a`` alone for
        one-sided violence), ``location`` the place named by ``where_coordinates`` (else
        ``where_description``), ``latitude`` and ``longitude`` the event's (a bad coordinate is
        reported and left missing), counts [people]. Index (``row``): the input row.
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
    GED splits only its best estimate; the bounds of a part widen by the estimate's own
    spread: civilians range from ``max(0, deaths_civilians - (best - low))`` to
    ``deaths_civilians + deaths_unknown + (high - best)`` (deaths of unknown status may be
    civilians), best ``deaths_civilians``; combatants likewise with ``deaths_a + deaths_b``.
    An event over international waters or airspace (``where_prec`` 7) has no place of the tree
    and gives no claim (reported).
    """
    check_errors(errors)
    raw, _ = read_table(path, "read_ucdp_ged", GED_REQUIRED_COLUMNS)
    unmapped = Unmapped()
    event = raw["id"]
    usable = event.ne("")
    unmapped.add(~usable, "id", event, Reason.MISSING, "an event needs its id: no claims from this row")

    start, end = parse_dates(raw["date_start"]), parse_dates(raw["date_end"])
    for name, value in (("date_start", start), ("date_end", end)):
        text = raw[name]
        unmapped.add(text.eq(""), name, text, Reason.MISSING, "an event needs its dates: no claims from this row")
        unmapped.add(text.ne("") & value.isna(), name, text, Reason.NOT_A_DATE, "not a date: no claims from this row")
        usable &= value.notna()

    place, place_note, ok = _ged_places(raw, fuzzy_cutoff, unmapped)
    usable &= ok
    perpetrator, side_note = _sides(raw, unmapped)
    latitude, longitude = coordinates(raw, unmapped)
    named = column(raw, "where_coordinates")
    location = named.where(named.ne(""), column(raw, "where_description"))

    violence = column(raw, "type_of_violence").map(VIOLENCE_TYPES).fillna(column(raw, "type_of_violence"))
    note = join_text(
        ("UCDP GED " + event).astype(str),
        column(raw, "conflict_name"), violence,
        pd.Series(np.where(column(raw, "date_prec").ne(""), "date_prec " + column(raw, "date_prec"), ""), index=raw.index),
        pd.Series(np.where(column(raw, "where_prec").ne(""), "where_prec " + column(raw, "where_prec"), ""), index=raw.index),
        column(raw, "where_description"), place_note, side_note,
    )
    common = pd.DataFrame({
        "_row": raw.index.to_numpy(), "incident_id": "GED" + event, "source": "UCDP", "start": start, "end": end,
        "place": place, "perpetrator": perpetrator, "outcome": "killed", "kind": "incident", "note": note,
        "quote": column(raw, "source_headline"), "location": location, "latitude": latitude, "longitude": longitude,
    })[usable.to_numpy()]
    parts = [common.assign(
        claim_id=common["incident_id"] + ":all", category="all",
        low=raw.loc[usable, "low"], best=raw.loc[usable, "best"], high=raw.loc[usable, "high"],
        _col_low="low", _col_best="best", _col_high="high",
    )]
    best, low, high = numbers(raw["best"]), numbers(raw["low"]), numbers(raw["high"])
    spread_down, spread_up = (best - low).clip(lower=0), (high - best).clip(lower=0)
    unknown = numbers(column(raw, "deaths_unknown")).fillna(0)
    for category, source_columns in (("civilian", ("deaths_civilians",)), ("combatant", ("deaths_a", "deaths_b"))):
        if not all(c in raw.columns for c in source_columns):
            continue
        given = usable & pd.concat([raw[c].ne("") for c in source_columns], axis=1).all(axis=1)
        part = sum(numbers(raw[c]) for c in source_columns)
        given &= part.notna() & best.notna() & low.notna() & high.notna()
        rows = given.to_numpy()
        parts.append(common[rows[usable.to_numpy()]].assign(
            claim_id=lambda f, c=category: f["incident_id"] + ":" + c, category=category,
            low=(part - spread_down).clip(lower=0)[rows].to_numpy(), best=part[rows].to_numpy(),
            high=(part + unknown + spread_up)[rows].to_numpy(),
            _col_low=source_columns[0], _col_best=source_columns[0], _col_high=source_columns[0],
        ))
    claims = build(concat_records(parts), raw, unmapped)
    return finish("read_ucdp_ged", claims, unmapped, len(raw), errors)


def _country_ids(names: pd.Series) -> pd.Series:
    """Country (or world) ids of UCDP's country names, each distinct name once.

    GED appends former names in parentheses ("Russia (Soviet Union)", "Yemen (North Yemen)"):
    the name before them is tried next.
    """
    from casualties.places import place_tree

    tree = place_tree()
    found = {}
    for name in names.unique():
        id_ = tree.get(name) if name else None
        if id_ is None and "(" in name:
            id_ = tree.get(name.split("(")[0].strip())
        found[name] = id_
    return names.map(found)


def _ged_places(raw: pd.DataFrame, fuzzy_cutoff: float | None, unmapped: Unmapped) -> tuple[pd.Series, pd.Series, pd.Series]:
    """adm_1 resolved within its country; the country when where_prec is 5 or 6 (or no adm_1)."""
    country, adm1, where = raw["country"], column(raw, "adm_1"), column(raw, "where_prec")
    country_ids = _country_ids(country)
    bad_country = country_ids.isna()
    unmapped.add(bad_country, "country", country, Reason.UNKNOWN_PLACE, "names no country: no claims from this row")
    nowhere = where.isin(_WHERE_NOWHERE)
    unmapped.add(nowhere & ~bad_country, "where_prec", where, Reason.UNKNOWN_PLACE,
                 "international waters or airspace (where_prec 7): no place of the tree, no claims from this row")
    coarse = where.isin(_WHERE_COUNTRY) | adm1.eq("")
    place = country_ids.where(coarse & ~nowhere)
    why = np.where(adm1.eq(""), "no adm_1", "where_prec " + where)
    note = pd.Series(np.where(coarse & ~nowhere & country_ids.notna(), why + ": placed in the country", ""), index=raw.index)
    fine = ~coarse & ~nowhere & country_ids.notna()
    for country_id in country_ids[fine].unique():
        rows = fine & country_ids.eq(country_id)
        ids, fuzzy, problems = resolve_divisions(adm1[rows], country_id, fuzzy_cutoff)
        place[rows] = ids
        fuzzy = fuzzy.reindex(raw.index, fill_value=False)
        note[fuzzy] = "adm_1 '" + adm1[fuzzy] + "' read as " + place[fuzzy].astype(str) + " (closest spelling)"
        failed = problems.notna().reindex(raw.index, fill_value=False)
        unmapped.add(failed, "adm_1", adm1, Reason.UNKNOWN_PLACE,
                     (problems.reindex(raw.index).fillna("") + ": no claims from this row").astype(str))
    return place, note, place.notna()


def _sides(raw: pd.DataFrame, unmapped: Unmapped) -> tuple[pd.Series, pd.Series]:
    """side_a|side_b as perpetrator ids (side_a alone for one-sided violence)."""
    from casualties.hierarchy import join_ids
    from casualties.names import perpetrators

    tree = perpetrators()
    one_sided = column(raw, "type_of_violence").eq("3")
    ids, notes = {}, []
    for name in ("side_a", "side_b"):
        text = column(raw, name)
        lookup = {v: (SIDES[v] if v in SIDES else tree.get(v)) for v in text.unique() if v}
        found = text.map(lookup)
        not_a_perpetrator = text.isin([k for k, v in SIDES.items() if v is None]) | (one_sided & (name == "side_b"))
        unknown = text.ne("") & found.isna() & ~not_a_perpetrator
        ids[name] = found.where(~unknown, "unknown").where(~not_a_perpetrator)
        unmapped.add(unknown, name, text, Reason.UNKNOWN_PERPETRATOR,
                     "not in the perpetrator vocabulary: kept as 'unknown', the name in note")
        notes.append(pd.Series(np.where(unknown, "unknown " + name + ": " + text, ""), index=raw.index))
    pairs = pd.DataFrame({"a": ids["side_a"].fillna(""), "b": ids["side_b"].fillna("")})
    unique = pairs.drop_duplicates().reset_index(drop=True)
    unique["perpetrator"] = [join_ids(tree.normalize_ids([x for x in (a, b) if x])) or "unknown"
                             for a, b in zip(unique["a"], unique["b"])]
    perpetrator = pd.Series(pairs.merge(unique, on=["a", "b"], how="left")["perpetrator"].to_numpy(), index=raw.index)
    return perpetrator, join_text(*notes)


def read_ucdp_country_year(
    path: Source,
    *,
    errors: Errors = "warn",
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read UCDP's deaths per country and year into total claims.

    Parameters
    ----------
    path : str, path-like or pandas.DataFrame
        A CSV file (``.csv`` or ``.csv.gz``) with ``entity, year, type_of_violence, best,
        low_amend, high_amend`` (or ``low``/``high``) and optionally ``number_of_conflicts``:
        one row per country, year and type of violence, plus the row summing the types
        (``"All types of organised violence"``), as in ``shared/data/ucdp``.
    errors : {"warn", "collect", "raise"}
        As in :func:`~casualties.adapters.read_airwars`.

    Returns
    -------
    claims : pandas.DataFrame
        One total claim per country and year, from the all-types row: source UCDP, place the
        country (``world`` for "World"), the calendar year, category ``all``, perpetrator
        ``all``, ``low, best, high`` [people] as given, and in ``note`` the three types with
        their own ranges and the number of conflicts. Claim ids ``"UCDP:<entity>:<year>"``.
        Index (``row``): the input row of the all-types row.
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
    The three types are parts of one count over one scope: as separate claims of that scope
    they would contradict each other, so the per-type rows give no claim by rule (they are in
    the note of their all-types claim). A country-year with per-type rows but no all-types row
    is reported. Region aggregates ("Middle East", "Africa"...) are not places of the tree and
    are reported as unknown places.
    """
    from casualties.places import place_tree
    from casualties.columns import FIRST_YEAR, LAST_YEAR

    check_errors(errors)
    raw, _ = read_table(path, "read_ucdp_country_year", COUNTRY_YEAR_REQUIRED_COLUMNS)
    unmapped = Unmapped()
    low_name = "low_amend" if "low_amend" in raw.columns else "low"
    high_name = "high_amend" if "high_amend" in raw.columns else "high"
    entity, year, kind = raw["entity"], raw["year"], raw["type_of_violence"]
    total = kind.eq(ALL_TYPES)
    year_number = numbers(year)
    bad_year = year_number.isna() | (year_number % 1 != 0)
    far = ~bad_year & ((year_number < FIRST_YEAR) | (year_number > LAST_YEAR))
    unmapped.add(total & bad_year, "year", year, Reason.NOT_A_DATE, "not a year: no claim from this row")
    unmapped.add(total & far, "year", year, Reason.NOT_A_DATE, f"a year outside {FIRST_YEAR}-{LAST_YEAR}: no claim from this row")
    bad_year |= far

    low, high = column(raw, low_name), column(raw, high_name)
    parts = raw.loc[~total].drop_duplicates(["entity", "year", "type_of_violence"]).assign(
        text=lambda f: (f["type_of_violence"].str.lower() + " " + f["best"].str.replace(r"\.0$", "", regex=True)
                        + " (" + column(f, low_name).str.replace(r"\.0$", "", regex=True) + "-"
                        + column(f, high_name).str.replace(r"\.0$", "", regex=True) + ")"))
    summary = parts.groupby(["entity", "year"], sort=False)["text"].agg("; ".join)
    keys = pd.MultiIndex.from_arrays([entity, year])
    type_note = pd.Series(summary.reindex(keys).to_numpy(), index=raw.index).fillna("")
    orphans = ~total & ~pd.Series(keys.isin(pd.MultiIndex.from_arrays([entity[total], year[total]])), index=raw.index)
    unmapped.add(orphans, "type_of_violence", kind, Reason.MISSING,
                 f"no '{ALL_TYPES}' row for this entity and year: the per-type row gives no claim")

    tree = place_tree()
    place = entity.map({e: ENTITY_NAMES.get(e) or tree.get(e) for e in entity[total].unique()})
    unknown_place = total & place.isna()
    unmapped.add(unknown_place, "entity", entity, Reason.UNKNOWN_PLACE,
                 "not a place of the tree (UCDP/OWID region aggregates are not): no claim from this row")
    conflicts = column(raw, "number_of_conflicts").str.replace(r"\.0$", "", regex=True)
    note = join_text(
        pd.Series("UCDP GED deaths in organised violence, summed by country and year", index=raw.index),
        type_note,
        pd.Series(np.where(conflicts.ne(""), conflicts + " conflicts", ""), index=raw.index),
    )
    keep = (total & ~bad_year & ~unknown_place).to_numpy()
    first = pd.to_datetime(year_number.where(~bad_year).astype("Int64").astype(str) + "-01-01", errors="coerce")
    records = pd.DataFrame({
        "_row": raw.index[keep], "claim_id": ("UCDP:" + entity + ":" + year)[keep], "source": "UCDP",
        "start": first[keep], "end": (first + pd.offsets.YearEnd(0))[keep], "place": place[keep],
        "category": "all", "perpetrator": "all", "outcome": "killed", "kind": "total",
        "low": low.where(low.ne(""))[keep], "best": raw["best"][keep], "high": high.where(high.ne(""))[keep],
        "note": note[keep],
        "_col_low": low_name, "_col_best": "best", "_col_high": high_name, "_col_claim_id": "entity",
    })
    claims = build(records, raw, unmapped)
    return finish("read_ucdp_country_year", claims, unmapped, len(raw), errors)
