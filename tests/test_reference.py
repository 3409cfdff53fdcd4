"""Sanity of the brute-force reference (tests/reference.py) on cases worked out by hand.

Days are June 2017 unless said otherwise: ``day(5)`` is 2017-06-05. Every expected number is
derived from the model in reference.py's docstring, with the arithmetic in a comment.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casualties import claims_from_records
from reference import (reference_conflict_gap, reference_period_bounds, reference_range,
                       reference_ranges, round_inward)

INF = math.inf


def day(n: int) -> pd.Timestamp:
    return pd.Timestamp("2017-06-01") + pd.Timedelta(days=n - 1)


def claim(source: str, first: int, last: int, place: str, low: float, high: float, **more) -> dict:
    """A record over days ``first..last`` of June 2017 (``best`` = ``low``)."""
    return dict(source=source, start=day(first), end=day(last), place=place, low=low, best=low, high=high, **more)


# Questions of the truth name their days (those of the claims): with no dates a question covers all
# time, where the truth allows deaths without bound.


def frame(*records: dict) -> pd.DataFrame:
    return claims_from_records(list(records))


def test_one_total_gives_its_own_bounds():
    claims = frame(claim("SOHR", 1, 10, "SY", 5, 9))
    assert reference_range(claims, start=day(1), end=day(10), place=("SY",)) == (5, 9, True)
    assert reference_range(claims, start=day(1), end=day(10), place=("SY",), source="SOHR") == (5, 9, True)


def test_nested_totals_that_disagree_are_infeasible_with_a_gap_of_866():
    # CJTF-OIR: at most 484 killed by the coalition in Syria over three years;
    # SOHR: at least 1350 of them in Syria in one year within.
    claims = claims_from_records([
        dict(source="CJTF-OIR", start="2015-01-01", end="2017-12-31", place="SY", perpetrator="coalition",
             low=0, best=484, high=484),
        dict(source="SOHR", start="2016-01-01", end="2016-12-31", place="SY", perpetrator="coalition",
             low=1350, best=1350, high=INF),
    ])
    low, high, feasible = reference_range(claims, place=("SY",), perpetrator=("coalition",))
    assert not feasible and math.isnan(low) and math.isnan(high)
    assert reference_range(claims, place=("SY",), perpetrator=("coalition",), source="SOHR") == (1350, INF, True)
    assert reference_range(claims, place=("SY",), perpetrator=("coalition",), source="CJTF-OIR") == (0, 484, True)
    gap, given_by = reference_conflict_gap(claims)
    assert gap == pytest.approx(1350 - 484)  # 866: one of them must give it all
    assert set(given_by) <= {"c1", "c2"}
    assert sum(dl + dh for dl, dh in given_by.values()) == pytest.approx(866)


def test_an_incident_inside_a_total_is_never_counted_twice():
    # SOHR: exactly 10 in Syria over days 1-30, and an incident of 3..5 in Raqqa city on day 5.
    # Atoms: world-minus-SY, SY-minus-raqqa, raqqa. Z = SY x days 1-30. y = the incident on
    # (day 5, raqqa). Total: z(SY) + y = 10; incident: 3 <= y <= 5.
    claims = frame(claim("SOHR", 1, 30, "SY", 10, 10),
                   claim("SOHR", 5, 5, "raqqa", 3, 5, kind="incident"))
    for source in ("SOHR", None):
        # raqqa: least y = 3 with z(raqqa) = 0; most: everything (10) in raqqa.
        assert reference_range(claims, start=day(1), end=day(30), place=("raqqa",), source=source) == (3, 10, True)
        # raqqa after day 5: z only, 0 .. 10 - y <= 10 - 3 = 7.
        assert reference_range(claims, start=day(6), end=day(30), place=("raqqa",), source=source) == (0, 7, True)
        assert reference_range(claims, start=day(1), end=day(30), place=("SY",), source=source) == (10, 10, True)
    # outside Syria: nothing in the account, anything in the truth.
    assert reference_range(claims, start=day(1), end=day(30), source="SOHR") == (10, 10, True)
    assert reference_range(claims, start=day(1), end=day(30)) == (10, INF, True)


def test_an_incident_only_account_is_the_sum_of_its_incidents():
    # SNHR: 2..4 in Raqqa city on day 3, exactly 5 in the Raqqa governorate on day 8. Z is empty.
    claims = frame(claim("SNHR", 3, 3, "raqqa", 2, 4, kind="incident"),
                   claim("SNHR", 8, 8, "SY-RA", 5, 5, kind="incident"))
    assert reference_range(claims, place=("SY",), source="SNHR") == (7, 9, True)  # 2+5 .. 4+5
    # the governorate's incident may be in the city: 2+0 .. 4+5
    assert reference_range(claims, place=("raqqa",), source="SNHR") == (2, 9, True)
    assert reference_range(claims, place=("IQ",), source="SNHR") == (0, 0, True)


def test_an_incident_across_a_bin_boundary_gives_zero_to_high_in_each_bin():
    # Airwars: one incident of 3..7 dated days 9-12; bins 1-10 and 11-20 each get 0..7, both 3..7.
    claims = frame(claim("Airwars", 9, 12, "raqqa", 3, 7, kind="incident"))
    bins = [(day(1), day(10)), (day(11), day(20))]
    assert reference_period_bounds(claims, bins, source="Airwars") == [(0, 7, True), (0, 7, True)]
    assert reference_period_bounds(claims, [(day(1), day(20))], source="Airwars") == [(3, 7, True)]


def test_a_disputed_perpetrator_gives_no_least_count_to_either():
    # 10 killed in Syria by the coalition or Russia: the coalition's share is 0..10.
    claims = frame(claim("SOHR", 1, 10, "SY", 10, 10, perpetrator="coalition|russia"))
    for source in ("SOHR", None):
        assert reference_range(claims, start=day(1), end=day(10), place=("SY",), perpetrator=("coalition",), source=source) == (0, 10, True)
        both = ("coalition", "russia")
        assert reference_range(claims, start=day(1), end=day(10), place=("SY",), perpetrator=both, source=source) == (10, 10, True)


def test_reports_of_one_incident_that_contradict_each_other_are_infeasible():
    disjoint_days = frame(claim("SOHR", 1, 2, "raqqa", 1, 5, kind="incident", incident_id="e1"),
                          claim("Airwars", 5, 6, "raqqa", 1, 5, kind="incident", incident_id="e1"))
    assert reference_range(disjoint_days, place=("raqqa",))[2] is False
    # the incident has no cells at all, so both reports must drop their low: 1 + 1
    assert reference_conflict_gap(disjoint_days)[0] == pytest.approx(2)
    disjoint_places = frame(claim("SOHR", 1, 2, "SY-RA", 1, 5, kind="incident", incident_id="e1"),
                            claim("SOHR", 1, 2, "IQ", 0, 5, kind="incident", incident_id="e1"))
    assert reference_range(disjoint_places, source="SOHR")[2] is False
    # with no least count, the empty incident is fine and holds nobody
    no_low = frame(claim("SOHR", 1, 2, "raqqa", 0, 5, kind="incident", incident_id="e1"),
                   claim("SOHR", 5, 6, "raqqa", 0, 5, kind="incident", incident_id="e1"))
    assert reference_range(no_low, source="SOHR") == (0, 0, True)


def test_reports_of_one_incident_are_joined_across_sources_in_the_truth():
    # SOHR: 4 children killed in incident e1; UN: 0..3 people killed in e1. The region's
    # categories are the union (all), so the UN's sum holds the 4 children: 4 > 3, gap 1.
    claims = frame(claim("SOHR", 5, 5, "raqqa", 4, 4, kind="incident", incident_id="e1", category="children"),
                   claim("UN", 5, 5, "raqqa", 0, 3, kind="incident", incident_id="e1"))
    assert reference_range(claims)[2] is False
    assert reference_conflict_gap(claims)[0] == pytest.approx(1)
    assert reference_range(claims, source="UN") == (0, 3, True)


def test_an_at_least_claim_is_unbounded_above():
    claims = frame(claim("SOHR", 1, 10, "SY", 5, INF))
    assert reference_range(claims, place=("SY",), source="SOHR") == (5, INF, True)


def test_the_truth_allows_deaths_where_no_claim_looks():
    claims = frame(claim("SOHR", 1, 10, "SY", 10, 10))
    assert reference_range(claims, place=("IQ",)) == (0, INF, True)
    assert reference_range(claims, place=("IQ",), source="SOHR") == (0, 0, True)
    assert reference_range(claims, start=day(20), end=day(25), place=("SY",)) == (0, INF, True)


def test_filters_keep_only_the_outcome_and_the_certainty_asked_for():
    claims = frame(claim("SOHR", 1, 10, "SY", 10, 10, certainty="fair"),
                   claim("SOHR", 1, 10, "SY", 50, 50, outcome="injured"),
                   claim("Airwars", 1, 10, "SY", 20, 20, certainty="weak"),
                   claim("UN", 1, 10, "SY", 30, 30))  # unassessed
    assert reference_range(claims, start=day(1), end=day(10), place=("SY",))[2] is False  # 10, 20 and 30 killed at once
    assert reference_range(claims, start=day(1), end=day(10), place=("SY",), min_certainty="fair") == (10, 10, True)
    assert reference_range(claims, start=day(1), end=day(10), place=("SY",), min_certainty="weak", source="Airwars") == (20, 20, True)
    assert reference_range(claims, start=day(1), end=day(10), place=("SY",), outcome="injured") == (50, 50, True)


def test_reference_ranges_gives_one_rounded_row_per_source():
    claims = frame(claim("SOHR", 1, 10, "SY", 5, 9), claim("UN", 1, 10, "SY", 7, INF),
                   claim("CJTF-OIR", 1, 10, "SY", 1, 1, outcome="injured"))
    table = reference_ranges(claims, place=("SY",))
    assert list(table.columns) == ["source", "low", "high", "feasible"]
    assert table.to_dict("records") == [dict(source="SOHR", low=5, high=9, feasible=True),
                                        dict(source="UN", low=7, high=INF, feasible=True)]


def test_round_inward():
    assert round_inward(2.9999999999, 7.0000000001) == (3, 7)
    assert round_inward(0.5, 2.5) == (1, 2)
    assert round_inward(0.0, INF) == (0, INF)
    low, high = round_inward(math.nan, math.nan)
    assert math.isnan(low) and math.isnan(high)


# -- soundness: claims made true by a known count always contain it ----------------------------
PLACES = ("SY", "SY-RA", "raqqa", "al-mashlab", "IQ")
CATEGORIES = ("all", "civilian", "combatant", "children", "women")
PERPETRATORS = ("all", "coalition", "russia", "isis")


def _trees():
    from casualties.names import categories, perpetrators
    from casualties.places import places

    return {"place": places(), "category": categories(), "perpetrator": perpetrators()}


def _within(event: dict, scope: dict) -> bool:
    trees = _trees()
    return (scope["first"] <= event["day"] <= scope["last"]
            and all(any(trees[d].contains(i, event[d]) for i in scope[d].split("|"))
                    for d in ("place", "category", "perpetrator")))


@st.composite
def _scope(draw, around: dict | None = None) -> dict:
    """A scope: random, or containing the event ``around``."""
    trees = _trees()
    pools = {"place": PLACES, "category": CATEGORIES, "perpetrator": PERPETRATORS}
    if around is not None:
        pools = {d: [i for i in pool if trees[d].contains(i, around[d])] for d, pool in pools.items()}
    first = draw(st.integers(1, around["day"] if around else 10))
    last = draw(st.integers(around["day"] if around else first, 10))
    ids = {d: draw(st.sampled_from(pool)) for d, pool in pools.items()}
    if draw(st.booleans()):  # a second, disputed perpetrator or a second place
        dimension = draw(st.sampled_from(["place", "perpetrator"]))
        extra = draw(st.sampled_from({"place": PLACES, "perpetrator": PERPETRATORS}[dimension]))
        ids[dimension] = "|".join(sorted({ids[dimension], extra}))
    return dict(first=first, last=last, **ids)


@st.composite
def _bounds(draw, true: int) -> tuple[float, float]:
    low = draw(st.integers(0, true))
    high = draw(st.integers(true, true + 5))
    return float(low), (INF if draw(st.integers(0, 3)) == 0 else float(high))  # "at least" one time in four


@st.composite
def _case(draw):
    events = draw(st.lists(st.fixed_dictionaries(dict(
        day=st.integers(1, 10), place=st.sampled_from(PLACES), category=st.sampled_from(CATEGORIES),
        perpetrator=st.sampled_from(PERPETRATORS), count=st.integers(0, 20))), min_size=1, max_size=4))
    records = []
    for _ in range(draw(st.integers(1, 4))):  # totals
        scope = draw(_scope())
        low, high = draw(_bounds(sum(e["count"] for e in events if _within(e, scope))))
        records.append((scope, dict(kind="total", low=low, high=high)))
    for number, event in enumerate(events):  # each event reported as an incident 0, 1 or 2 times
        for _ in range(draw(st.integers(0, 2))):
            low, high = draw(_bounds(event["count"]))
            records.append((draw(_scope(around=event)), dict(kind="incident", incident_id=f"e{number}", low=low, high=high)))
    rows = [dict(source=draw(st.sampled_from(["SOHR", "Airwars"])), start=day(s["first"]), end=day(s["last"]),
                 place=s["place"], category=s["category"], perpetrator=s["perpetrator"], best=more["low"], **more)
            for s, more in records[:12]]
    query = draw(st.one_of(_scope(), st.sampled_from([s for s, _ in records[:12]])))  # often a claim's own
    return events, rows, query


@settings(max_examples=50, deadline=None)
@given(_case())
def test_the_truth_range_contains_the_true_count(case):
    events, rows, query = case
    claims = claims_from_records(rows)
    true = sum(e["count"] for e in events if _within(e, query))
    low, high, feasible = reference_range(
        claims, start=day(query["first"]), end=day(query["last"]), place=tuple(query["place"].split("|")),
        category=query["category"], perpetrator=tuple(query["perpetrator"].split("|")))
    assert feasible
    assert low - 1e-6 <= true <= high + 1e-6
    assert reference_conflict_gap(claims)[0] == pytest.approx(0, abs=1e-6)
