"""The report's view of linked incidents (casualties.linked)."""

from __future__ import annotations

import pandas as pd

from casualties.linked import (
    LINK_TABLE_COLUMNS,
    bearing_links,
    empty_links,
    pair_evidence,
)


def _links(*rows: tuple[str, str, str, str, float, str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(LINK_TABLE_COLUMNS))


LINKS = _links(("x", "y", "Airwars", "SOHR", 0.9, "same day"), ("y", "z", "SOHR", "UCDP", 0.8, "1 day apart"))
#: claim id -> incident id before the relinking, and after it (x, y and z are one cluster)
ORIGINAL = pd.Series({"c1": "x", "c2": "y", "c3": "z", "c4": "w", "c5": "x"})
CURRENT = pd.Series({"c1": "x = y = z", "c2": "x = y = z", "c3": "x = y = z", "c4": "w", "c5": "x = y = z"})


def test_a_pair_of_linked_incidents_carries_its_links_evidence_either_way_round():
    pairs = pd.DataFrame({"claim_a": ["c1", "c2"], "claim_b": ["c2", "c3"]}, index=[7, 9])
    out = pair_evidence(pairs, ORIGINAL, CURRENT, LINKS)
    assert out.to_dict() == {7: "linked as one event, probability 0.90: same day", 9: "linked as one event, probability 0.80: 1 day apart"}
    flipped = pair_evidence(pairs.rename(columns={"claim_a": "claim_b", "claim_b": "claim_a"}), ORIGINAL, CURRENT, LINKS)
    assert flipped.equals(out)


def test_a_pair_joined_through_a_third_incident_says_so_and_other_pairs_say_nothing():
    pairs = pd.DataFrame({"claim_a": ["c1", "c1", "c1"], "claim_b": ["c3", "c4", "c5"]})
    out = pair_evidence(pairs, ORIGINAL, CURRENT, LINKS)
    # c1-c3: x and z, one cluster through y; c1-c4: another incident; c1-c5: one incident all along
    assert out.tolist() == ["linked as one event through other incidents of the same cluster", "", ""]


def test_no_pairs_or_no_links_give_empty_evidence():
    pairs = pd.DataFrame({"claim_a": ["c1"], "claim_b": ["c2"]})
    assert pair_evidence(pairs, ORIGINAL, CURRENT, LINKS.iloc[:0]).tolist() == [""]
    assert pair_evidence(pairs.iloc[:0], ORIGINAL, CURRENT, LINKS).empty


def test_the_links_listed_are_those_whose_two_incidents_bear_most_probable_first():
    kept = pd.DataFrame({"claim_id": ["c2", "c3"]})  # y and z bear, x does not
    table = bearing_links(LINKS, ORIGINAL, kept)
    assert list(table.columns) == list(LINK_TABLE_COLUMNS)
    assert table[["incident_a", "incident_b"]].values.tolist() == [["y", "z"]]
    everything = bearing_links(LINKS, ORIGINAL, pd.DataFrame({"claim_id": ["c1", "c2", "c3"]}))
    assert everything["match_probability"].tolist() == [0.9, 0.8]
    assert bearing_links(LINKS.iloc[:0], ORIGINAL, kept).columns.tolist() == empty_links().columns.tolist()
