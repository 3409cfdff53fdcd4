"""Merge rules and merge(): hand-worked groups, the fast path against the per-group rules,
the merged claims frame, conflicts, and the Airwars incidents of docs/merge.md.

Expected values are worked out by hand from the rules' definitions (and, for Airwars, from the
rows of the shared file), never pasted from the code's output.
"""

from __future__ import annotations

import doctest
import math
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casualties as cas
from casualties.errors import CasualtiesError, UnknownNameWarning
from casualties.merging import (
    CONFLICT_COLUMNS,
    MERGE_RULES,
    MERGED_SOURCE,
    PROVENANCE_COLUMNS,
    MergeConflict,
    certainty_weights,
    conservative,
    envelope,
    intersection,
    merge,
    most_certain,
    top_certainty,
    weighted,
)
from casualties.schema import COLUMN_NAMES
from casualties.strategies import claims_frames
from casualties.testing import report_groups
from casualties.vocab import Count

DOC = Path(__file__).resolve().parents[1] / "docs" / "merge.md"
#: ``../shared/data`` beside the checkout: the Airwars file (absent in a user's fresh clone).
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BASE = {"source": "SOHR", "date": "2017-06-05", "place": "raqqa", "category": "civilian",
        "perpetrator": "coalition", "kind": "incident", "incident_id": "e1"}


def claims(*reports: dict) -> pd.DataFrame:
    """Claims of one incident (BASE), each report overriding what it gives."""
    return cas.claims_from_records([{**BASE, **r} for r in reports])


def figures(count: Count) -> tuple[float, float, float]:
    return (count.low, count.best, count.high)


# ------------------------------------------------------------------------- the rules by hand
def test_envelope_keeps_lowest_low_highest_high_and_the_median_best_rounded_down():
    group = claims({"low": 10, "best": 20, "high": 30}, {"count": "4"}, {"low": 5, "best": 7, "high": 9})
    assert figures(envelope(group)) == (4, 7, 30)  # bests 20, 4, 7: the median is 7
    assert figures(envelope(group.iloc[:2])) == (4, 12, 30)  # median of 20 and 4 is 12
    assert figures(envelope(claims({"count": "4"}, {"count": "5"}))) == (4, 4, 5)  # 4.5 rounds down


def test_intersection_is_what_every_report_allows_or_a_conflict_with_its_gap():
    group = claims({"low": 10, "best": 20, "high": 30}, {"low": 15, "best": 40, "high": 50})
    assert figures(intersection(group)) == (15, 30, 30)  # median 30 of bests 20, 40, inside [15, 30]
    clash = claims({"low": 10, "best": 20, "high": 30}, {"count": "4"})
    with pytest.raises(MergeConflict) as caught:
        intersection(clash)
    row = caught.value.conflicts.iloc[0]
    assert (row["low"], row["high"], row["gap"]) == (10, 4, 6)
    assert row["merged_ids"] == "c1|c2" and row["n_merged"] == 2
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, CasualtiesError)


def test_conservative_takes_the_lowest_figure_as_low_and_best():
    group = claims({"low": 10, "best": 20, "high": 30}, {"count": "dozens"}, {"count": "over 400"})
    assert figures(conservative(group)) == (10, 10, math.inf)  # dozens is 12..99; over 400 is 401..inf


def test_most_certain_lets_the_highest_grade_win_and_ranks_unassessed_between_weak_and_fair():
    group = claims({"count": "10", "certainty": "fair"}, {"count": "50", "certainty": "confirmed"},
                   {"count": "70", "certainty": "confirmed"}, {"count": "3"})
    assert figures(most_certain(group)) == (50, 60, 70)  # the two confirmed ones, by envelope
    assert figures(most_certain(claims({"count": "3", "certainty": "weak"}, {"count": "8"}))) == (8, 8, 8)
    assert figures(most_certain(claims({"count": "3", "certainty": "fair"}, {"count": "8"}))) == (3, 3, 3)


def test_weighted_median_follows_the_weights_and_equal_grades_give_the_plain_median():
    # weights: confirmed 5, weak 3, weak 3 -> total 11, half 5.5; bests sorted 10 (5), 40 (3), 90 (3):
    # the cumulative weight passes 5.5 at 40
    group = claims({"count": "10", "certainty": "confirmed"}, {"count": "40", "certainty": "weak"},
                   {"count": "90", "certainty": "weak"})
    assert figures(weighted(group)) == (10, 40, 90)
    # 10 (confirmed, 5) against 90 (discounted, 1): 10 carries more than half the weight
    assert figures(weighted(claims({"count": "10", "certainty": "confirmed"}, {"count": "90", "certainty": "discounted"}))) == (10, 10, 90)
    # equal grades, two reports: the midpoint of 10 and 91, rounded down
    assert figures(weighted(claims({"count": "10", "certainty": "weak"}, {"count": "91", "certainty": "weak"}))) == (10, 50, 91)


def test_a_merged_count_keeps_a_reports_wording_when_it_is_that_reports_count():
    group = claims({"count": "around 1,500"}, {"count": "1,000"})
    assert most_certain(group.iloc[:1]).qualifier == "around"
    assert conservative(group).qualifier == "between"  # 1000 .. 1650: nobody said it
    assert envelope(claims({"count": "21, could rise"})).provisional


def test_certainty_weights_are_the_engines():
    from casualties.reconcile import UNASSESSED_WEIGHT, CERTAINTY_WEIGHTS

    grades = pd.Series([*cas.CERTAINTY, None])
    assert certainty_weights(grades).tolist() == [*(CERTAINTY_WEIGHTS[g] for g in cas.CERTAINTY), UNASSESSED_WEIGHT]
    assert top_certainty(claims({"count": "1", "certainty": "weak"}, {"count": "2"})) is None
    assert top_certainty(claims({"count": "1", "certainty": "fair"}, {"count": "2"})) == "fair"


def test_merge_rules_are_named_functions_of_one_group():
    assert list(MERGE_RULES) == ["envelope", "intersection", "conservative", "most_certain", "weighted"]
    for name, rule in MERGE_RULES.items():
        assert rule.__name__ == name and rule.__doc__ and "Laws" in rule.__doc__
        assert isinstance(rule(claims({"count": "5"})), Count)


# ------------------------------------------------------------- fast path and per-group agree
@st.composite
def incident_frames(draw: st.DrawFn) -> pd.DataFrame:
    """Several groups of reports (cheap to draw), each its own incident, in shuffled order."""
    groups = draw(st.lists(report_groups(max_size=4), min_size=1, max_size=5))
    parts = [g.assign(incident_id=f"i{k}") for k, g in enumerate(groups)]
    frame = pd.concat(parts, ignore_index=True)
    frame["claim_id"] = [f"c{i}" for i in range(len(frame))]
    order = draw(st.permutations(range(len(frame))))
    return frame.iloc[list(order)].reset_index(drop=True).rename_axis("row")


def _per_group(rule, frame: pd.DataFrame, codes: np.ndarray) -> list:
    out = []
    for code in range(codes.max() + 1):
        try:
            count = rule(frame[codes == code])
            out.append((count.low, count.best, count.high, count.qualifier, count.provisional))
        except MergeConflict as exc:
            row = exc.conflicts.iloc[0]
            out.append(("conflict", row["low"], row["high"]))
    return out


def _grouped(rule, frame: pd.DataFrame, codes: np.ndarray) -> list:
    table = rule.grouped(frame, codes, int(codes.max()) + 1)
    return [("conflict", r.low, r.high) if r.conflict else (r.low, r.best, r.high, r.qualifier, bool(r.provisional))
            for r in table.itertuples()]


@pytest.mark.parametrize("name", list(MERGE_RULES))
@settings(max_examples=60)
@given(frame=incident_frames())
def test_the_whole_frame_fast_path_agrees_with_the_rule_on_each_group(name, frame):
    rule = MERGE_RULES[name]
    codes = pd.factorize(frame["incident_id"])[0]
    assert _grouped(rule, frame, codes) == _per_group(rule, frame, codes)


@pytest.mark.parametrize("name", list(MERGE_RULES))
@settings(max_examples=8)
@given(frame=incident_frames())
def test_merge_with_a_builtin_equals_merge_with_the_same_rule_as_a_plain_callable(name, frame):
    fast, fast_conflicts = merge(frame, rule=name, conflicts="collect")
    slow, slow_conflicts = merge(frame, rule=lambda group: MERGE_RULES[name](group), conflicts="collect")
    pd.testing.assert_frame_equal(fast.drop(columns="rule"), slow.drop(columns="rule"))
    pd.testing.assert_frame_equal(fast_conflicts.drop(columns="rule"), slow_conflicts.drop(columns="rule"))
    assert set(slow["rule"]) <= {"<lambda>"}


@settings(max_examples=30)
@given(frame=incident_frames())
def test_weighted_with_equal_grades_is_envelope(frame):
    frame = frame.assign(certainty=pd.Categorical(["fair"] * len(frame), dtype=frame["certainty"].dtype))
    codes = pd.factorize(frame["incident_id"])[0]
    assert _grouped(weighted, frame, codes) == _grouped(envelope, frame, codes)


@settings(max_examples=40)
@given(group=report_groups(min_size=2), data=st.data())
def test_envelope_and_intersection_bounds_are_idempotent_and_associative(group, data):
    """The laws table's footnote: only the median best breaks these two laws."""
    i = data.draw(st.integers(0, len(group) - 1))
    k = data.draw(st.integers(1, len(group) - 1))
    repeated = pd.concat([group, group.iloc[[i]].assign(claim_id="again")])
    env = envelope(group)
    assert (envelope(repeated).low, envelope(repeated).high) == (env.low, env.high)
    first, second = envelope(group.iloc[:k]), envelope(group.iloc[k:])
    assert (min(first.low, second.low), max(first.high, second.high)) == (env.low, env.high)
    low, high = group["low"].max(), group["high"].min()
    if low <= high:
        assert (intersection(repeated).low, intersection(repeated).high) == (low, high)


# --------------------------------------------------------------------------- merge: the frame
@settings(max_examples=15)
@given(frame=claims_frames(min_size=1, max_size=10), name=st.sampled_from(list(MERGE_RULES)),
       by=st.sampled_from(["incident", "scope"]))
def test_merged_claims_validate_and_every_claim_is_in_exactly_one_group(frame, name, by):
    merged, conflicts = merge(frame, by=by, rule=name, conflicts="collect")
    assert list(merged.columns) == [*COLUMN_NAMES, *PROVENANCE_COLUMNS]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownNameWarning)  # "merged" until data/sources.csv knows it
        pd.testing.assert_frame_equal(cas.validate(merged), merged)
    ids = [i for cell in [*merged["merged_ids"], *conflicts["merged_ids"]] for i in cell.split("|")]
    assert sorted(ids) == sorted(frame["claim_id"])
    assert merged["n_merged"].sum() + conflicts["n_merged"].sum() == len(frame)
    assert merged["claim_id"].is_unique
    assert (merged["rule"] == name).all()
    for row in merged.itertuples():
        members = frame[frame["claim_id"].isin(row.merged_ids.split("|"))]
        assert members["category"].nunique() == members["outcome"].nunique() == members["kind"].nunique() == 1
        assert row.sources == "|".join(sorted(set(members["source"])))
        assert row.source == (members["source"].iloc[0] if members["source"].nunique() == 1 else MERGED_SOURCE)


def test_by_incident_never_merges_different_categories_or_outcomes():
    group = claims({"count": "10"}, {"count": "12"}, {"count": "3", "category": "children"},
                   {"count": "7", "outcome": "injured"})
    merged = merge(group)
    assert merged["merged_ids"].tolist() == ["c1|c2", "c3", "c4"]
    assert merged[["low", "best", "high"]].values.tolist() == [[10, 11, 12], [3, 3, 3], [7, 7, 7]]


def test_by_scope_merges_totals_of_one_scope_but_not_two_events():
    totals = [{"source": s, "kind": "total", "incident_id": None, "count": c, "date": None, "period": "in May 2017",
               "reported_on": "2017-06-01"} for s, c in (("SOHR", "225"), ("SNHR", "around 200"))]
    events = [{"incident_id": "strike-a", "count": "5"}, {"incident_id": "strike-b", "count": "9"}]
    merged = merge(claims(*totals, *events), by="scope")
    assert merged["merged_ids"].tolist() == ["c1|c2", "c3", "c4"]
    assert merged.loc[0, ["low", "best", "high"]].tolist() == [180, 212, 225]  # around 200 is 180..220
    assert merged.loc[0, "incident_id"] == "c1"  # totals share no event: the merged claim's own id
    assert merge(claims(*events), by="incident")["n_merged"].tolist() == [1, 1]


def test_by_columns_groups_by_those_and_keeps_a_key_outside_the_schema():
    group = claims({"count": "10", "incident_id": "a"}, {"count": "20", "incident_id": "b"},
                   {"count": "3", "category": "children"}).assign(strike=["s1", "s1", "s1"])
    merged = merge(group, by=["strike"])
    assert merged["merged_ids"].tolist() == ["c1|c2", "c3"]  # children are never merged with civilians
    assert list(merged.columns) == [*COLUMN_NAMES, "strike", *PROVENANCE_COLUMNS]
    assert merged["incident_id"].tolist() == ["c1", "e1"]


def test_the_merged_scope_is_documented_one():
    group = claims(
        {"source": "Airwars", "start": "2017-06-01", "end": "2017-06-03", "place": "raqqa", "count": "10",
         "certainty": "fair", "quote": "ten", "reported_on": "2017-07-01", "perpetrator": "coalition"},
        {"source": "SOHR", "start": "2017-06-02", "end": "2017-06-05", "place": "al-mashlab", "count": "12",
         "quote": "twelve", "reported_on": "2017-06-10", "perpetrator": "russia"},
        {"source": "SOHR", "start": "2017-06-02", "end": "2017-06-02", "place": "tafas", "count": "12",
         "quote": "twelve", "certainty": "weak"},
    )
    row = merge(group).iloc[0]
    assert (row["start"], row["end"]) == (pd.Timestamp("2017-06-02"), pd.Timestamp("2017-06-02"))  # they overlap
    assert row["place"] == "raqqa|tafas"  # al-mashlab lies in raqqa
    assert row["perpetrator"] == "coalition|russia"  # disputed
    assert (row["source"], row["sources"], row["n_merged"]) == (MERGED_SOURCE, "Airwars|SOHR", 3)
    assert row["reported_on"] == pd.Timestamp("2017-07-01")
    assert row["certainty"] == "fair"  # weak < unassessed < fair
    assert row["quote"] == "ten | twelve"
    apart = merge(group.iloc[[0]].assign(end=pd.Timestamp("2017-06-01")).pipe(
        lambda f: pd.concat([f, group.iloc[[2]]])))
    assert (apart.loc[0, "start"], apart.loc[0, "end"]) == (pd.Timestamp("2017-06-01"), pd.Timestamp("2017-06-02"))


def test_conflicts_raise_by_default_and_can_be_collected():
    group = claims({"count": "10"}, {"count": "4"}, {"count": "3", "incident_id": "e2"}, {"count": "5", "incident_id": "e2"},
                   {"count": "7", "incident_id": "e3"})
    with pytest.raises(MergeConflict, match="2 groups cannot be merged by intersection") as caught:
        merge(group, rule="intersection")
    merged, conflicts = merge(group, rule="intersection", conflicts="collect")
    pd.testing.assert_frame_equal(caught.value.conflicts, conflicts)
    assert list(conflicts.columns) == ["incident_id", "category", "outcome", "kind", *CONFLICT_COLUMNS]
    assert conflicts[["incident_id", "merged_ids", "low", "high", "gap"]].values.tolist() == [
        ["e1", "c1|c2", 10, 4, 6], ["e2", "c3|c4", 5, 3, 2]]
    assert merged["merged_ids"].tolist() == ["c5"]
    assert merge(group)["n_merged"].tolist() == [2, 2, 1]  # envelope never conflicts


def test_a_users_rule_plugs_in_and_may_report_a_conflict():
    def sole_source(group: pd.DataFrame) -> Count:
        if group["source"].nunique() > 1:
            raise MergeConflict.in_group(group, detail="several sources")
        return envelope(group)

    group = claims({"count": "10"}, {"count": "4", "source": "SNHR"}, {"count": "3", "incident_id": "e2"})
    merged, conflicts = merge(group, rule=sole_source, conflicts="collect")
    assert merged["merged_ids"].tolist() == ["c3"] and (merged["rule"] == "sole_source").all()
    assert conflicts.loc[0, ["merged_ids", "sources", "rule", "detail"]].tolist() == ["c1|c2", "SNHR|SOHR", "sole_source", "several sources"]
    assert math.isnan(conflicts.loc[0, "gap"])
    with pytest.raises(TypeError, match="must return a Count"):
        merge(group, rule=lambda g: (1, 2, 3))


def test_bad_arguments_are_named():
    group = claims({"count": "1"})
    with pytest.raises(cas.OptionError, match="rule cannot be 'average'") as caught:
        merge(group, rule="average")
    assert caught.value.name == "rule" and "envelope" in caught.value.allowed and isinstance(caught.value, ValueError)
    with pytest.raises(cas.OptionTypeError, match="not a int") as caught:
        merge(group, rule=3)
    assert isinstance(caught.value, TypeError)
    with pytest.raises(cas.OptionError, match="by cannot be 'event'"):
        merge(group, by="event")
    with pytest.raises(cas.OptionError, match="do not have: nowhere"):
        merge(group, by=["nowhere"])
    with pytest.raises(cas.OptionError, match="conflicts cannot be 'ignore'"):
        merge(group, conflicts="ignore")
    with pytest.raises(cas.ClaimsFrameError, match="merge needs a claims frame; this one lacks the column.s. certainty") as caught:
        merge(group.drop(columns="certainty"))
    assert caught.value.missing == ("certainty",)


def test_empty_claims_merge_to_empty_frames():
    merged, conflicts = merge(cas.empty_claims(), conflicts="collect")
    assert len(merged) == 0 and list(merged.columns) == [*COLUMN_NAMES, *PROVENANCE_COLUMNS]
    assert len(conflicts) == 0 and list(conflicts.columns) == ["incident_id", "category", "outcome", "kind", *CONFLICT_COLUMNS]


def test_the_merged_source_is_not_warned_about_but_other_unknown_sources_are():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownNameWarning)
        group = claims({"count": "1", "source": "Raqqa Is Being Slaughtered Silently"}, {"count": "2", "source": "Local Council"},
                       {"count": "3", "incident_id": "e2"}, {"count": "4", "incident_id": "e2", "source": "SNHR"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        merge(group.iloc[2:])
    assert not caught
    with pytest.warns(UnknownNameWarning) as caught:
        merge(group.iloc[[0]])
    assert caught[0].message.names == ("Raqqa Is Being Slaughtered Silently",)


def test_the_docs_examples_run():
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# ------------------------------------------------------------------------- Airwars (real data)
def airwars_claims(shared: Path) -> pd.DataFrame:
    """Claims of the coalition (CS) incidents of the Airwars file that docs/merge.md merges.

    Every row of a code that occurs twice, and every incident whose belligerent assessment is
    the coalition's and that has both Airwars' civilian killed range and the civilian deaths
    the coalition conceded: Airwars' range (best: the midpoint rounded down, the schema's
    default), graded by Airwars; the coalition's figure (source CJTF-OIR), unassessed.
    """
    raw = pd.read_csv(shared / "airwars" / "syria_incidents.csv", dtype=str, keep_default_na=False)
    raw["incident_id"] = raw["code"].str.extract(r"\b(CS\w+)")[0]
    coalition = raw[raw["incident_id"].notna() & (raw["airwars_civ_killed_min"] != "")]
    twice = coalition[coalition["incident_id"].duplicated(keep=False)]
    conceded = coalition[coalition["belligerent_assessment"].str.contains("coalition:")
                         & (coalition["belligerent_civ_deaths_conceded_min"] != "")]
    rows = pd.concat([twice, conceded])
    assert not rows["airwars_id"].duplicated().any()
    common = pd.DataFrame({
        "start": rows["date"], "end": rows["date_end"].where(rows["date_end"] != "", rows["date"]),
        "place": cas.resolve_governorates(rows["region"])[0], "category": "civilian", "kind": "incident",
        "incident_id": rows["incident_id"]})
    airwars = common.assign(
        claim_id="aw" + rows["airwars_id"], source="Airwars", perpetrator=rows["belligerents"],
        low=rows["airwars_civ_killed_min"], high=rows["airwars_civ_killed_max"],
        certainty=rows["airwars_grading"].str.split(",").str[0].str.lower(), url=rows["airwars_url"])
    military = common.loc[conceded.index].assign(
        claim_id="oir" + conceded["airwars_id"], source="CJTF-OIR", perpetrator="coalition",
        low=conceded["belligerent_civ_deaths_conceded_min"], high=conceded["belligerent_civ_deaths_conceded_max"],
        note=conceded["belligerent_assessment"])
    return cas.claims_from_records(pd.concat([airwars, military], ignore_index=True))


def cell(row: pd.Series | None, conflict: pd.Series | None = None) -> str:
    """How docs/merge.md writes a merged count: ``low–high (best)``, or the conflict's gap."""
    if conflict is not None:
        return f"conflict, gap {conflict['gap']:g}"
    high = "∞" if math.isinf(row["high"]) else f"{row['high']:g}"
    return f"{row['low']:g}–{high} ({row['best']:g})"


@pytest.fixture(scope="module")
def airwars() -> dict:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present (a user's fresh clone); CI always has it")
    table = airwars_claims(SHARED_DATA)
    merged = {name: merge(table, rule=name, conflicts="collect") for name in MERGE_RULES}
    return {"claims": table, "merged": merged}


def _result(airwars: dict, rule: str, code: str) -> str:
    merged, conflicts = airwars["merged"][rule]
    hit = conflicts[conflicts["incident_id"] == code]
    if len(hit):
        return cell(None, hit.iloc[0])
    return cell(merged[merged["incident_id"] == code].iloc[0])


# Worked by hand from the rows of syria_incidents.csv (airwars_id: killed min-max, grading):
#   CS214   28668: 5-5, 31369: 4-4, both contested        -> bests 5 and 4, median 4.5 -> 4
#   CS1580a 50260: 10-30 (best 20), 45654: 2-2, contested -> median of 20 and 2 is 11
#   CS192   31312 and 28604: 39-43 (best 41) both         -> the same range, whatever the rule
#   CS562   32002: 1-1 discounted, 32003: 1-1 contested   -> 1 whatever the rule
#   CS1881  Airwars 9-10 (best 9) confirmed; coalition conceded 9-9
#   CS1827  Airwars 11-26 (best 18) confirmed; coalition conceded 1-1
#   CS1918  Airwars 3-3 contested; coalition conceded 0-0 (contested ranks below unassessed)
HAND_WORKED = {
    "CS214": {"envelope": "4–5 (4)", "intersection": "conflict, gap 1", "conservative": "4–5 (4)",
              "most_certain": "4–5 (4)", "weighted": "4–5 (4)"},
    "CS1580a": {"envelope": "2–30 (11)", "intersection": "conflict, gap 8", "conservative": "2–30 (2)",
                "most_certain": "2–30 (11)", "weighted": "2–30 (11)"},
    "CS192": {"envelope": "39–43 (41)", "intersection": "39–43 (41)", "conservative": "39–43 (39)",
              "most_certain": "39–43 (41)", "weighted": "39–43 (41)"},
    "CS562": dict.fromkeys(MERGE_RULES, "1–1 (1)"),
    "CS1881": {"envelope": "9–10 (9)", "intersection": "9–9 (9)", "conservative": "9–10 (9)",
               "most_certain": "9–10 (9)", "weighted": "9–10 (9)"},
    "CS1827": {"envelope": "1–26 (9)", "intersection": "conflict, gap 10", "conservative": "1–26 (1)",
               "most_certain": "11–26 (18)", "weighted": "1–26 (18)"},
    "CS1918": {"envelope": "0–3 (1)", "intersection": "conflict, gap 3", "conservative": "0–3 (0)",
               "most_certain": "0–0 (0)", "weighted": "0–3 (0)"},
}


@pytest.mark.parametrize("code", list(HAND_WORKED))
def test_airwars_incidents_merge_as_worked_by_hand(airwars, code):
    assert {rule: _result(airwars, rule, code) for rule in MERGE_RULES} == HAND_WORKED[code]


def _doc_rows(heading: str) -> dict[str, list[str]]:
    """The rows of the first table under a heading of docs/merge.md, by first cell."""
    text = DOC.read_text(encoding="utf-8").split(heading, 1)[1]
    rows = {}
    for line in text.splitlines():
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0].strip("`*")] = cells[1:]
    return rows


def test_the_docs_airwars_incidents_table_is_what_merge_gives(airwars):
    rows = _doc_rows("### Incidents, rule by rule")
    codes = [code for code in rows if code.startswith("CS")]
    assert set(HAND_WORKED) <= set(codes)
    for code in codes:
        assert rows[code][-5:] == [_result(airwars, rule, code) for rule in MERGE_RULES], code


def _two_reports(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per coalition incident: Airwars' report (a_*) beside the coalition's (c_*)."""
    aw = claims[claims["source"] == "Airwars"].set_index("incident_id")
    oir = claims[claims["source"] == "CJTF-OIR"].set_index("incident_id")
    both = aw[["low", "best", "high", "certainty"]].add_prefix("a_").join(oir[["low", "best", "high"]].add_prefix("c_"), how="inner")
    return both


def test_the_docs_coalition_totals_are_what_the_rules_mean(airwars):
    """Over every coalition incident with a conceded figure, each rule's sums recomputed from
    its definition on two reports (Airwars' and the coalition's), and the docs' table."""
    pairs = _two_reports(airwars["claims"])
    a_low, a_best, a_high, c_low, c_best, c_high = (pairs[c] for c in ["a_low", "a_best", "a_high", "c_low", "c_best", "c_high"])
    env_low, env_high = np.minimum(a_low, c_low), np.maximum(a_high, c_high)
    median = np.floor((a_best + c_best) / 2)
    airwars_wins = pairs["a_certainty"].astype(str).isin(["fair", "confirmed"])  # above unassessed (3.5)
    top_low, top_best, top_high = (a_low.where(airwars_wins, c_low), a_best.where(airwars_wins, c_best),
                                   a_high.where(airwars_wins, c_high))
    cap_low, cap_high = np.maximum(a_low, c_low), np.minimum(a_high, c_high)
    agree = cap_low <= cap_high
    expected = {
        "envelope": (len(pairs), 0, env_low.sum(), median.sum(), env_high.sum()),
        "intersection": (int(agree.sum()), int((~agree).sum()), cap_low[agree].sum(),
                         median.clip(cap_low, cap_high)[agree].sum(), cap_high[agree].sum()),
        "conservative": (len(pairs), 0, env_low.sum(), env_low.sum(), env_high.sum()),
        "most_certain": (len(pairs), 0, top_low.sum(), top_best.sum(), top_high.sum()),
        # two reports never weigh the same (the coalition's unassessed 3.5 against 1..5): the heavier best wins
        "weighted": (len(pairs), 0, env_low.sum(), top_best.sum(), env_high.sum()),
    }
    codes = set(pairs.index)
    rows = _doc_rows("### Every coalition incident")
    assert rows["incidents"] == [str(len(pairs))] * 5
    for rule, (n_merged, n_conflicts, low, best, high) in expected.items():
        merged, conflicts = airwars["merged"][rule]
        mine = merged[merged["incident_id"].isin(codes)]
        assert (len(mine), int(conflicts["incident_id"].isin(codes).sum())) == (n_merged, n_conflicts), rule
        assert (mine["low"].sum(), mine["best"].sum(), mine["high"].sum()) == (low, best, high), rule
    for i, rule in enumerate(expected):
        n_merged, n_conflicts, low, best, high = expected[rule]
        assert rows["merged"][i] == f"{n_merged:,}" and rows["conflicts"][i] == f"{n_conflicts:,}"
        assert [rows[k][i] for k in ("sum of lows", "sum of bests", "sum of highs")] == [f"{low:,.0f}", f"{best:,.0f}", f"{high:,.0f}"]


def test_the_docs_sources_figures_are_the_files(airwars):
    pairs = _two_reports(airwars["claims"])
    text = DOC.read_text(encoding="utf-8")
    assert re.search(rf"\b{len(pairs)} coalition incidents\b", text)
    for label, prefix in (("Airwars", "a_"), ("coalition", "c_")):
        sums = [f"{pairs[prefix + c].sum():,.0f}" for c in ("low", "best", "high")]
        assert f"{label}: {sums[0]}–{sums[2]} (best {sums[1]})" in text


def test_the_merged_place_keeps_the_locations_and_the_point_they_share():
    base = {"source": "Airwars", "date": "2017-06-05", "place": "raqqa", "count": "10", "incident_id": "e1"}
    group = claims(
        {**base, "location": "Al-Mashlab", "latitude": 35.95, "longitude": 39.03},
        {**base, "source": "SOHR", "location": "al-Mashlab neighbourhood", "latitude": "35.95", "longitude": "39.03"},
        {**base, "source": "SOHR", "claim_id": "x"},
    )
    row = merge(group).iloc[0]
    assert row["location"] == "Al-Mashlab | al-Mashlab neighbourhood"
    assert (row["latitude"], row["longitude"]) == (35.95, 39.03)  # the unlocated report does not erase it
    apart = group.copy()
    apart.loc[apart.index[1], "longitude"] = 39.04
    row = merge(apart).iloc[0]
    assert np.isnan(row["latitude"]) and np.isnan(row["longitude"])  # two points: none is the group's
