"""Airwars' incident table: civilian harm per incident, and the belligerent's own assessment.

Airwars records every report of civilian harm from a strike as an **incident** with a code
("CS1234": US-led coalition; "RS...": Russia; "TS...": Turkey; "CS1696 RS2796": blamed on both),
a date or date range, a governorate spelled many ways, the range of civilians killed and injured
across the reports (``..._min``/``..._max``), children, women and militants killed, a grade
(Confirmed, Fair, Weak, Contested, Discounted) and, when the belligerent assessed the incident,
its verdict, the civilian deaths it conceded and its statement. :func:`read_airwars` turns each
incident into incident claims of the source Airwars and each assessment into claims of the
belligerent (CJTF-OIR) on the same ``incident_id``. The rules are in ``docs/adapters.md``.
"""

from __future__ import annotations

from typing import Any

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
    parse_dates,
    read_table,
    resolve_divisions,
)
from casualties.errors import Reason

__all__ = ["read_airwars", "PARTS", "CODE_PREFIXES", "ASSESSORS", "VERDICTS", "REQUIRED_COLUMNS"]

#: Columns a file must have (others are optional and read as blank when absent).
REQUIRED_COLUMNS = ("code", "date", "belligerents", "airwars_grading", "airwars_civ_killed_min", "airwars_civ_killed_max")

#: The figures of an incident that become Airwars claims: part -> (category, outcome, column
#: prefix; the columns are ``<prefix>_min`` and ``<prefix>_max``).
PARTS: dict[str, tuple[str, str, str]] = {
    "killed": ("civilian", "killed", "airwars_civ_killed"),
    "injured": ("civilian", "injured", "airwars_civ_injured"),
    "children": ("children", "killed", "airwars_children_killed"),
    "women": ("women", "killed", "airwars_women_killed"),
    "combatants": ("combatant", "killed", "airwars_militants_killed"),
}

#: Airwars' code prefixes that name a belligerent (its own convention).
CODE_PREFIXES: dict[str, str] = {"CS": "coalition", "RS": "russia", "TS": "turkey"}

#: Keys of ``belligerent_assessment`` whose verdicts are a belligerent's own claims: key ->
#: (source, id slug for claim ids). The coalition's is the first looked at.
ASSESSORS: dict[str, tuple[str, str]] = {
    "coalition": ("CJTF-OIR", "cjtf-oir"),
    "united_kingdom": ("UK Ministry of Defence", "uk-mod"),
}

#: Verdicts of a belligerent's assessment and whether they make a claim: ``credible`` (its
#: conceded figures), ``non_credible`` (a denial: 0 civilians), the others none.
VERDICTS: dict[str, bool] = {
    "credible": True,
    "non_credible": True,
    "not_yet_assessed": False,
    "open_incident": False,
    "duplicate": False,
}

_GRADES = ("discounted", "contested", "weak", "fair", "confirmed")
_CONCEDED = {
    "killed": ("belligerent_civ_deaths_conceded_min", "belligerent_civ_deaths_conceded_max"),
    "injured": ("belligerent_civ_injuries_conceded_min", "belligerent_civ_injuries_conceded_max"),
}


def read_airwars(
    path: Source,
    *,
    errors: Errors = "warn",
    country: str = "SY",
    fuzzy_cutoff: float | None = 0.8,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read an Airwars incident table into incident claims.

    Parameters
    ----------
    path : str, path-like or pandas.DataFrame
        A CSV file with Airwars' incident columns (``code, date, date_end, governorate, region,
        belligerents, airwars_grading, airwars_civ_killed_min/max, ...``; see
        ``docs/adapters.md``), or such a table already read.
    errors : {"warn", "collect", "raise"}
        What to do with what cannot be mapped as given (an unknown place spelling or belligerent,
        a missing date, a bad number, duplicate codes): ``"warn"`` returns the claims and issues
        one :class:`~casualties.adapters.UnmappedWarning` (its ``.unmapped`` is the table);
        ``"collect"`` returns ``(claims, unmapped)``; ``"raise"`` raises
        :class:`~casualties.ClaimError` whose ``.failures`` is the table.
    country : str
        The country of the table: its names win when a governorate is looked up, and an incident
        with neither governorate nor region is placed in it.
    fuzzy_cutoff : float or None
        Least similarity (0 to 1) at which a misspelt governorate ("Damascusus") is taken as the
        closest known one; ``None`` turns this off. Fuzzy matches are named in ``note``.

    Returns
    -------
    claims : pandas.DataFrame
        A claims frame (``docs/schema.md``), ``kind="incident"``, ``incident_id`` the Airwars
        code, ``claim_id`` ``"<code>#<occurrence>:<part>"`` (part: ``killed``, ``injured``,
        ``children``, ``women``, ``combatants``, ``cjtf-oir-killed``, ``cjtf-oir-injured``...).
        Counts [people]. The index (``row``) is the 0-based row of the input each claim came
        from (line ``row + 2`` of the file); one row gives up to seven claims.
    unmapped : pandas.DataFrame
        With ``errors="collect"``: ``row, column, value, reason, detail`` in the input's terms.

    Raises
    ------
    ClaimFileError
        If the file cannot be read or lacks a required column.
    ClaimError
        With ``errors="raise"``, if anything could not be mapped as given.

    Notes
    -----
    - One Airwars claim per figure given: civilians killed and injured (``civilian``), children
      and women killed, militants killed (``combatant``); ``low``/``high`` are the ``_min``/``_max``
      of the reports (a missing ``_max`` is "at least", a missing ``_min`` "up to"). A figure
      not given makes no claim: nothing is invented.
    - ``certainty`` is Airwars' grade ("Contested, Discounted": the lower); ``perpetrator`` the
      union of the belligerents listed and those the code names (several: a disputed
      attribution, not a sum); ``place`` the governorate (or region; both, when they disagree);
      ``location``, ``latitude`` and ``longitude`` the incident's, on every claim of the row (a
      bad coordinate is reported and left missing).
    - The belligerent's assessment (``coalition:credible``) becomes claims of CJTF-OIR
      (``source_type`` belligerent, perpetrator ``coalition``) on the same incident: ``credible``
      with the conceded deaths and injuries (``certainty`` confirmed: an admission),
      ``non_credible`` as 0 killed and 0 injured (a denial; unassessed), the other verdicts none.
      Its statement is the ``quote``, its latest date ``reported_on``.
    - A code found on several rows (as a whole, or as part of "CS214 RS0806") is kept on every
      row and reported (reason ``duplicate_id``).
    """
    check_errors(errors)
    raw, _ = read_table(path, "read_airwars", REQUIRED_COLUMNS)
    unmapped = Unmapped()
    code = raw["code"]
    usable = code.ne("")
    unmapped.add(~usable, "code", code, Reason.MISSING, "an incident needs its code: no claims from this row")
    occurrence = code.groupby(code).cumcount() + 1
    notes = ("Airwars " + code + np.where(column(raw, "location").ne(""), ": " + column(raw, "location"), "")).astype(str)
    duplicate_note = _duplicates(code, usable, unmapped)

    start, end, ok = _dates(raw, unmapped)
    usable &= ok
    place, place_note, ok = _places(raw, country, fuzzy_cutoff, usable, unmapped)
    usable &= ok
    perpetrator, perpetrator_note = _perpetrators(raw, unmapped)
    certainty, certainty_note = _certainty(raw, unmapped)
    latitude, longitude = coordinates(raw, unmapped)
    context = join_text(duplicate_note, place_note)  # also true of the belligerent's claims
    notes = join_text(notes, context, perpetrator_note, certainty_note)

    common = pd.DataFrame({
        "_row": raw.index.to_numpy(), "code": code, "occurrence": occurrence.astype(str),
        "start": start, "end": end, "place": place, "perpetrator": perpetrator, "url": column(raw, "airwars_url"),
        "location": column(raw, "location"), "latitude": latitude, "longitude": longitude,
    })
    parts = []
    contradicted = _contradictions(raw, usable, unmapped)
    for part, (category, outcome, prefix) in PARTS.items():
        low, high = column(raw, f"{prefix}_min"), column(raw, f"{prefix}_max")
        given = usable & (low.ne("") | high.ne("")) & ~contradicted.get(part, False)
        parts.append(_records(common[given], part, category, outcome, low[given], high[given],
                              source="Airwars", certainty=certainty[given], note=notes[given],
                              columns=(f"{prefix}_min", f"{prefix}_max")))
    parts.extend(_concessions(raw, common, usable, context, unmapped))
    records = concat_records(parts)
    claims = build(records, raw, unmapped, quiet_sources=[source for source, _ in ASSESSORS.values()])
    return finish("read_airwars", claims, unmapped, len(raw), errors)


def _records(common: pd.DataFrame, part: str, category: str, outcome: str, low: pd.Series, high: pd.Series, *,
             source: str, certainty: pd.Series, note: pd.Series, columns: tuple[str, str],
             source_type: str | None = None, quote: pd.Series | None = None,
             reported_on: pd.Series | None = None) -> pd.DataFrame:
    """Records of one part of the selected incidents."""
    n = len(common)
    frame = pd.DataFrame({
        "_row": common["_row"].to_numpy(),
        "claim_id": (common["code"] + "#" + common["occurrence"] + ":" + part).to_numpy(),
        "source": source,
        "start": common["start"].to_numpy(), "end": common["end"].to_numpy(),
        "place": common["place"].to_numpy(), "location": common["location"].to_numpy(),
        "latitude": common["latitude"].to_numpy(dtype="float64"), "longitude": common["longitude"].to_numpy(dtype="float64"),
        "category": category,
        "perpetrator": common["perpetrator"].to_numpy() if source == "Airwars" else np.full(n, "coalition", dtype=object),
        "outcome": outcome, "kind": "incident", "incident_id": common["code"].to_numpy(),
        "low": low.where(low.ne("")).to_numpy(dtype=object), "high": high.where(high.ne("")).to_numpy(dtype=object),
        "certainty": certainty.to_numpy(dtype=object), "url": common["url"].to_numpy(), "note": note.to_numpy(),
        "_col_low": columns[0], "_col_high": columns[1], "_col_best": columns[0],
    })
    if source_type is not None:
        frame["source_type"] = source_type
    if quote is not None:
        frame["quote"] = quote.to_numpy()
    if reported_on is not None:
        frame["reported_on"] = reported_on.to_numpy()
    return frame


def _contradictions(raw: pd.DataFrame, usable: pd.Series, unmapped: Unmapped) -> dict[str, pd.Series]:
    """Children and women killed that cannot fit in the civilians killed: those parts are dropped.

    In the claims frame children and (adult) women are disjoint parts of the civilians, so
    ``children_min + women_min <= killed_max`` must hold. A few Airwars incidents break it (one
    civilian killed, "1 child" and "1 woman": a girl counted twice, it seems); kept, they would
    make Airwars' whole account infeasible. The children's figure is kept when it fits alone.
    """
    def figure(name: str) -> pd.Series:
        return pd.to_numeric(column(raw, name).str.replace(",", "", regex=False), errors="coerce")

    killed_max = figure("airwars_civ_killed_max").fillna(np.inf)
    children, women = figure("airwars_children_killed_min").fillna(0), figure("airwars_women_killed_min").fillna(0)
    drop_children = usable & (children > killed_max)
    drop_women = usable & ((women > killed_max) | (~drop_children & (children + women > killed_max)))
    def shown(values: pd.Series) -> pd.Series:  # 5.0 -> "5", inf -> "inf" (no integer cast: a cell may be inf)
        return values.astype(str).str.replace(r"\.0$", "", regex=True)

    detail = ("children (at least " + shown(children) + ") and women (at least "
              + shown(women) + ") killed do not fit in the civilians killed (at most "
              + shown(killed_max) + "): ")
    unmapped.add(drop_children, "airwars_children_killed_min", column(raw, "airwars_children_killed_min"),
                 Reason.CONFLICTING_INPUT, (detail + "the children claim is not made").astype(str))
    unmapped.add(drop_women, "airwars_women_killed_min", column(raw, "airwars_women_killed_min"),
                 Reason.CONFLICTING_INPUT, (detail + "the women claim is not made").astype(str))
    return {"children": drop_children, "women": drop_women}


def _duplicates(code: pd.Series, usable: pd.Series, unmapped: Unmapped) -> pd.Series:
    """Report codes (or code tokens) found on several rows; return a note per row.

    Each row names, per shared token, one other row holding it (the first) and how many others
    do: memory linear in the rows, however many share a code.
    """
    tokens = code[usable].str.split().explode()
    pairs = pd.DataFrame({"row": tokens.index.to_numpy(), "token": tokens.to_numpy()}).drop_duplicates()
    rows_per_token = pairs.groupby("token")["row"].transform("size")
    shared = pairs[rows_per_token > 1].copy()
    note = pd.Series("", index=code.index, dtype=str)
    if shared.empty:
        return note
    shared["n"] = rows_per_token[rows_per_token > 1].to_numpy()
    ranked = shared.sort_values("row", kind="stable")
    first = ranked.groupby("token")["row"].nth(0)
    second = ranked.groupby("token")["row"].nth(1)
    first = pd.Series(first.to_numpy(), index=ranked.loc[first.index, "token"].to_numpy())
    second = pd.Series(second.to_numpy(), index=ranked.loc[second.index, "token"].to_numpy())
    other_first, other_second = shared["token"].map(first), shared["token"].map(second)
    other = np.where(shared["row"].to_numpy() == other_first.to_numpy(), other_second.to_numpy(), other_first.to_numpy()).astype(np.int64)
    more = shared["n"].to_numpy() - 2
    text = ("'" + shared["token"] + "' also on row " + pd.Series(other, index=shared.index).astype(str)
            + " ('" + code.loc[other].to_numpy() + "')"
            + np.where(more > 0, " and " + pd.Series(more, index=shared.index).map("{:,}".format) + " other row(s)", ""))
    text = text.groupby(shared["row"].to_numpy()).agg("; ".join)
    note.loc[text.index] = "duplicate code: " + text + "; kept as a claim of its own"
    mask = note.ne("")
    unmapped.add(mask, "code", code, Reason.DUPLICATE_ID, note.str.replace("duplicate code: ", "code ", regex=False))
    return note


def _dates(raw: pd.DataFrame, unmapped: Unmapped) -> tuple[pd.Series, pd.Series, pd.Series]:
    date, date_end = raw["date"], column(raw, "date_end")
    start, end = parse_dates(date), parse_dates(date_end)
    missing = date.eq("")
    unmapped.add(missing, "date", date, Reason.MISSING, "an incident needs its date: no claims from this row")
    bad_start = ~missing & start.isna()
    unmapped.add(bad_start, "date", date, Reason.NOT_A_DATE, "not a date (YYYY-MM-DD): no claims from this row")
    bad_end = date_end.ne("") & end.isna()
    unmapped.add(bad_end, "date_end", date_end, Reason.NOT_A_DATE, "not a date (YYYY-MM-DD): no claims from this row")
    end = end.fillna(start)
    backwards = start.notna() & (end < start)
    unmapped.add(backwards, "date_end", date_end, Reason.START_AFTER_END, "date_end is before date: no claims from this row")
    return start, end, ~(missing | bad_start | bad_end | backwards)


def _places(raw: pd.DataFrame, country: str, fuzzy_cutoff: float | None, usable: pd.Series,
            unmapped: Unmapped) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Governorate (or region, or both when they disagree; else the country) per row."""
    from casualties.hierarchy import join_ids, split_ids
    from casualties.places import place_tree

    tree = place_tree()
    country_id = tree.resolve(country)
    resolved: dict[str, tuple[pd.Series, pd.Series, pd.Series]] = {}
    for name in ("governorate", "region"):
        text = column(raw, name)
        ids, fuzzy, _ = resolve_divisions(text, country_id, fuzzy_cutoff)
        resolved[name] = (text, ids, fuzzy)
    (gov, g_ids, g_fuzzy), (reg, r_ids, r_fuzzy) = resolved["governorate"], resolved["region"]
    g_ok, r_ok = g_ids.notna(), r_ids.notna()
    pairs = pd.DataFrame({"g": g_ids.fillna(""), "r": r_ids.fillna("")})
    unique = pairs.drop_duplicates().reset_index(drop=True)
    unique["place"] = [join_ids(tree.normalize_ids([*split_ids(g), *split_ids(r)])) for g, r in zip(unique["g"], unique["r"])]
    place = pd.Series(pairs.merge(unique, on=["g", "r"], how="left")["place"].to_numpy(), index=raw.index, dtype=object)
    neither_given = gov.eq("") & reg.eq("")
    place[neither_given] = country_id
    failed = ~neither_given & ~g_ok & ~r_ok
    place[failed] = np.nan
    both_given = gov.ne("") & reg.ne("")
    detail = np.where(both_given, "neither governorate '" + gov + "' nor region '" + reg + "' names a place",
                      np.where(gov.ne(""), "governorate '" + gov + "' names no place", "region '" + reg + "' names no place"))
    detail = pd.Series(detail, index=raw.index) + ": no claims from this row"
    for name, text in (("governorate", gov), ("region", reg)):
        mask = usable & failed & (text.ne("") if name == "governorate" else gov.eq(""))
        unmapped.add(mask, name, text, Reason.UNKNOWN_PLACE, detail)

    def when(mask: pd.Series, text: Any) -> pd.Series:
        return pd.Series(np.where(mask, text, ""), index=raw.index)

    notes = [
        when(neither_given, f"no governorate or region given: placed in {country_id}"),
        when(g_fuzzy, "governorate '" + gov + "' read as " + g_ids.fillna("") + " (closest spelling)"),
        when(r_fuzzy, "region '" + reg + "' read as " + r_ids.fillna("") + " (closest spelling)"),
        when(g_ok & r_ok & (g_ids != r_ids), "governorate '" + gov + "' and region '" + reg + "' disagree: the claim covers both"),
        when(gov.ne("") & ~g_ok & r_ok, "governorate '" + gov + "' names no place: place from region '" + reg + "'"),
        when(reg.ne("") & ~r_ok & g_ok, "region '" + reg + "' names no place: place from governorate '" + gov + "'"),
    ]
    return place, join_text(*notes), ~failed


def _perpetrators(raw: pd.DataFrame, unmapped: Unmapped) -> tuple[pd.Series, pd.Series]:
    """The union of the belligerents listed and those named by the code's prefixes."""
    from casualties.names import perpetrators

    tree = perpetrators()
    listed = raw["belligerents"].str.split(",").explode().str.strip()
    listed = listed[listed.ne("")]
    names = pd.Series(listed.unique(), dtype=object)
    ids = {name: tree.get(name) for name in names}
    unknown = listed[listed.map(ids).isna()]
    from_list = listed.map(ids).fillna("unknown")
    prefixes = raw["code"].str.split().explode().str.extract(r"^([A-Z]+)\d", expand=False)
    from_code = prefixes.map(CODE_PREFIXES).dropna()
    every = pd.DataFrame({"row": np.concatenate([from_list.index, from_code.index]),
                          "id": np.concatenate([from_list.to_numpy(), from_code.to_numpy()])})
    perpetrator = pd.Series(_combinations(every, tree, raw.index), index=raw.index, dtype=object)
    none_named = perpetrator.isna()
    perpetrator = perpetrator.fillna("unknown").astype(str)
    unmapped.add(none_named, "belligerents", raw["belligerents"], Reason.UNKNOWN_PERPETRATOR,
                 "no belligerent is listed and the code's prefix names none: kept as 'unknown'")
    names_of_unknown = unknown.groupby(level=0).agg(lambda values: ", ".join(dict.fromkeys(values)))
    mask = pd.Series(False, index=raw.index)
    mask[names_of_unknown.index] = True
    detail = pd.Series("", index=raw.index, dtype=str)
    detail[names_of_unknown.index] = ("belligerent(s) " + names_of_unknown
                                      + " not in the perpetrator vocabulary: kept as 'unknown', the name in note")
    unmapped.add(mask, "belligerents", raw["belligerents"], Reason.UNKNOWN_PERPETRATOR, detail)
    note = pd.Series("", index=raw.index, dtype=str)
    note[names_of_unknown.index] = "unknown belligerent: " + names_of_unknown
    return perpetrator, note


def _combinations(pairs: pd.DataFrame, tree: Any, index: pd.Index) -> np.ndarray:
    """The canonical id set of each row, from (row, id) pairs, without a loop over rows.

    Each row's ids become a bit mask over the tree's ids; each distinct mask is joined once.
    Rows without pairs get ``NaN``.
    """
    from casualties.hierarchy import join_ids

    out = np.full(len(index), np.nan, dtype=object)
    if pairs.empty:
        return out
    bit = tree.codes(pairs["id"].to_numpy())
    masks = np.zeros(len(index), dtype=object)
    weights = np.array([1 << int(b) for b in range(len(tree))], dtype=object)
    position = index.get_indexer(pairs["row"].to_numpy())
    unique_pairs = pd.DataFrame({"p": position, "b": bit}).drop_duplicates()
    np.add.at(masks, unique_pairs["p"].to_numpy(), weights[unique_pairs["b"].to_numpy()])
    present = np.zeros(len(index), dtype=bool)
    present[unique_pairs["p"].to_numpy()] = True
    codes, uniques = pd.factorize(pd.Series(masks[present], dtype=object))
    ids = tree.ids
    joined = np.array([join_ids(tree.normalize_ids([ids[b] for b in range(len(ids)) if (int(m) >> b) & 1]))
                       for m in uniques], dtype=object)
    out[present] = joined[codes]
    return out


def _certainty(raw: pd.DataFrame, unmapped: Unmapped) -> tuple[pd.Series, pd.Series]:
    """Airwars' grade, lower-cased; of several grades the lowest."""
    grading = raw["airwars_grading"]
    codes, uniques = pd.factorize(grading)
    outcome: list[tuple[Any, str]] = []
    for value in uniques:
        grades = [g.strip().lower() for g in value.split(",") if g.strip()]
        if not grades:
            outcome.append((np.nan, ""))
        elif all(g in _GRADES for g in grades):
            lowest = min(grades, key=_GRADES.index)
            outcome.append((lowest, "" if len(grades) == 1 else f"graded '{value}': the lowest grade kept"))
        else:
            outcome.append((np.nan, "?"))
    table = np.array(outcome, dtype=object).reshape(-1, 2)
    certainty = pd.Series(table[codes, 0], index=raw.index, dtype=object)
    note = pd.Series(table[codes, 1], index=raw.index, dtype=str)
    bad = note.eq("?")
    unmapped.add(bad, "airwars_grading", grading, Reason.UNKNOWN_VALUE,
                 f"not one of Airwars' grades ({', '.join(g.capitalize() for g in _GRADES)}): claims kept unassessed")
    note[bad] = "grade '" + grading[bad] + "' not understood: unassessed"
    return certainty, note


def _concessions(raw: pd.DataFrame, common: pd.DataFrame, usable: pd.Series, context: pd.Series,
                 unmapped: Unmapped) -> list[pd.DataFrame]:
    """The belligerent's own claims: its verdict on the incident and the civilians it conceded."""
    assessment = column(raw, "belligerent_assessment")
    pairs = assessment.str.split(";").explode().str.strip()
    pairs = pairs[pairs.str.contains(":", regex=False)]
    if pairs.empty:
        return []
    split = pairs.str.split(":", n=1, expand=True)
    key, verdict = split[0].str.strip(), split[1].str.strip().str.lower()
    mine = key.isin(list(ASSESSORS))
    key, verdict = key[mine], verdict[mine]
    unknown = ~verdict.isin(list(VERDICTS))
    if unknown.any():
        bad = pd.Series(False, index=raw.index)
        bad[verdict[unknown].index] = True
        unmapped.add(bad & usable, "belligerent_assessment", assessment, Reason.UNKNOWN_VALUE,
                     f"a verdict outside {', '.join(VERDICTS)}: no belligerent claim from this row")
    counted = verdict.map(VERDICTS).fillna(False).astype(bool)
    key, verdict = key[counted], verdict[counted]
    rank = key.map({k: n for n, k in enumerate(ASSESSORS)})
    chosen = pd.DataFrame({"key": key, "verdict": verdict, "rank": rank}).sort_values("rank", kind="stable")
    chosen = chosen[~chosen.index.duplicated(keep="first")].reindex(raw.index)
    has = usable & chosen["verdict"].notna()
    if not has.any():
        return []
    statements = column(raw, "belligerent_statements")
    stamps = statements.str.extractall(r"\[(\d{8})\]")[0]
    latest = pd.Series(pd.to_datetime(stamps, format="%Y%m%d", errors="coerce").to_numpy(), index=stamps.index.get_level_values(0))
    latest = latest.groupby(level=0).max().reindex(raw.index).astype("datetime64[s]")
    reasons = column(raw, "belligerent_assessment_reasons")
    out = []
    for outcome, (min_col, max_col) in _CONCEDED.items():
        low, high = column(raw, min_col), column(raw, max_col)
        figure = low.ne("") | high.ne("")
        value_low, value_high = pd.to_numeric(low, errors="coerce"), pd.to_numeric(high, errors="coerce")
        zero = figure & value_low.fillna(0).eq(0) & value_high.fillna(0).eq(0)
        credible = has & chosen["verdict"].eq("credible")
        denial = has & chosen["verdict"].eq("non_credible")
        contradicted = denial & figure & ~zero
        unmapped.add(contradicted, min_col, low, Reason.CONFLICTING_INPUT,
                     ("assessment non_credible (no civilian harm) but " + low + "-" + high + " conceded: no belligerent "
                      + outcome + " claim from this row").astype(str))
        for key_name, (source, slug) in ASSESSORS.items():
            mine = chosen["key"].eq(key_name)
            admit = credible & mine & figure
            deny = denial & mine & ~contradicted
            take = admit | deny
            if not take.any():
                continue
            lows = low.where(admit, "0")
            highs = high.where(admit, "0")
            certainty = pd.Series("confirmed", index=raw.index, dtype=object).where(admit)
            note = join_text(
                (source + " assessment '" + chosen["verdict"].fillna("") + "' of "
                 + raw["code"]).astype(str),
                pd.Series(np.where(reasons.ne(""), "reasons: " + reasons, ""), index=raw.index),
                pd.Series(np.where(deny & ~figure, "a denial: 0 " + outcome + " by rule", ""), index=raw.index),
                context,
            )
            out.append(_records(common[take], f"{slug}-{outcome}", "civilian", outcome, lows[take], highs[take],
                                source=source, source_type="belligerent", certainty=certainty[take],
                                note=note[take], columns=(min_col, max_col), quote=statements[take],
                                reported_on=latest[take]))
    credible_rows = usable & chosen["verdict"].eq("credible")
    no_figure = credible_rows.copy()
    for min_col, max_col in _CONCEDED.values():
        no_figure &= column(raw, min_col).eq("") & column(raw, max_col).eq("")
    unmapped.add(no_figure, "belligerent_civ_deaths_conceded_min", column(raw, "belligerent_civ_deaths_conceded_min"),
                 Reason.MISSING, "a credible assessment without a conceded figure: no belligerent claim from this row")
    return out
