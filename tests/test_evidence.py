"""The evidence that two incidents are one event: keys, distances, candidates, levels, sentences."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casualties as cas
from casualties.evidence import (
    COMPARISONS,
    candidate_pairs,
    compare,
    haversine_km,
    incident_table,
    sentences,
    skeleton,
    transliteration_key,
)


def claims(records: list[dict]) -> pd.DataFrame:
    """A claims frame from records (``location``, ``latitude``, ``longitude`` among them)."""
    return cas.claims_from_records(records)


def record(source: str, incident: str, day: str, *, place: str = "SY-RA", count: int | str = 5, **extra) -> dict:
    return {"source": source, "incident_id": incident, "date": day, "place": place, "category": "civilian",
            "perpetrator": extra.pop("perpetrator", "coalition"), "kind": "incident", "count": count, **extra}


@pytest.mark.parametrize("spellings", [
    ("al-Mashlab", "Al Mashlab", "el-Mashlab", "Mashlab", "AL MASHLAB"),
    ("Ayn Tarma", "Ain Tarma"),
    ("Qaryatayn", "Karyatain"),
    ("Hazimah", "Hazima"),
    ("Ma'arasta al-Khan", "Maarasta Al Khan", "Ma’arasta Khan"),
    ("Kafr Nabl village", "kafr nabl", "Kafr Nabl (Idlib)"),
])
def test_transliterations_of_one_name_share_a_key(spellings):
    keys = transliteration_key(pd.Series(spellings))
    assert keys.nunique() == 1 and keys.iloc[0] != ""


def test_names_in_arabic_script_agree_with_the_same_spelling_only():
    keys = transliteration_key(pd.Series(["خان شيخون", "خان  شيخون،", "معرة النعمان", "Khan Shaykhun"]))
    assert keys[0] == keys[1] == "خان شيخون"
    assert keys[2] != keys[0] and keys[3] == "khan shaikhun"


def test_vowels_differ_but_the_consonants_agree():
    keys = transliteration_key(pd.Series(["al-Mashlab", "Mishlab", "Kafar Nabil", "Kafr Nubl"]))
    assert keys[0] != keys[1] and keys[2] != keys[3]
    assert list(skeleton(keys)) == ["mslb", "mslb", "kfrnbl", "kfrnbl"]


def test_different_places_keep_different_keys_and_missing_text_is_empty():
    keys = transliteration_key(pd.Series(["Raqqa", "Tabqa", None, "", "north of"], index=[5, 6, 7, 8, 9]))
    assert list(keys.index) == [5, 6, 7, 8, 9]
    assert keys[5] != keys[6] and skeleton(keys)[5] != skeleton(keys)[6]
    assert list(keys[[7, 8, 9]]) == ["", "", ""]  # "north of" names no place


def test_haversine_one_degree_of_a_meridian():
    one_degree = 2 * math.pi * 6371.0 / 360  # 111.19 km
    assert haversine_km(np.array([35.0]), np.array([38.0]), np.array([36.0]), np.array([38.0]))[0] == pytest.approx(one_degree)
    assert haversine_km(np.array([0.0]), np.array([10.0]), np.array([0.0]), np.array([11.0]))[0] == pytest.approx(one_degree)
    assert np.isnan(haversine_km(np.array([np.nan]), np.array([38.0]), np.array([36.0]), np.array([38.0]))[0])


def test_an_incident_gathers_its_claims():
    frame = claims([record("A", "x", "2017-06-10", count=5, location="Mashlab", latitude=35.0, longitude=39.0),
                    record("A", "x", "2017-06-12", place="SY-DY", count="3 to 8", latitude=35.2, longitude=39.2),
                    record("B", "x", "2017-06-10", count=1)])
    found = incident_table(frame)
    table = found.table.set_index(["source", "incident_id"])
    row = table.loc[("A", "x")]
    assert (row["last_day"] - row["first_day"]) == 2 and row["location"] == "Mashlab"
    assert row["latitude"] == pytest.approx(35.1) and row["longitude"] == pytest.approx(39.1)
    assert len(found.table) == 2  # B's x is another incident
    number = list(table.index).index(("A", "x"))
    assert set(found.places.loc[found.places["incident"] == number, "id"]) == {"SY-RA", "SY-DY"}
    counts = found.counts[found.counts["incident"] == number].iloc[0]
    assert (counts["low"], counts["high"]) == (3.0, 8.0)


def test_totals_are_not_incidents_and_missing_optional_columns_count_as_missing():
    frame = claims([record("A", "x", "2017-06-10"), {**record("A", "t", "2017-06-10"), "kind": "total"}])
    found = incident_table(frame)
    assert list(found.table["incident_id"]) == ["x"]
    assert found.table["location"].iloc[0] == "" and np.isnan(found.table["latitude"].iloc[0])


def brute_force_pairs(frame: pd.DataFrame, max_gap: int) -> set[tuple]:
    """Every pair of incidents of different sources, sharing a governorate, at most max_gap days
    apart, of two sources that share no incident id: by the definition, over all pairs."""
    from casualties.places import _governorate_of

    inc = frame.groupby(["source", "incident_id"]).agg(start=("start", "min"), end=("end", "max"), place=("place", "|".join))
    out = set()
    for (key_a, a), (key_b, b) in itertools.combinations(inc.iterrows(), 2):
        if key_a[0] == key_b[0] or key_a[1] == key_b[1]:
            continue
        if set(inc.loc[key_a[0]].index) & set(inc.loc[key_b[0]].index):  # the two sources share ids
            continue
        gap = max(0, (max(a["start"], b["start"]) - min(a["end"], b["end"])).days)
        govs_a = {_governorate_of(p) for p in a["place"].split("|")}
        govs_b = {_governorate_of(p) for p in b["place"].split("|")}
        if gap <= max_gap and govs_a & govs_b:
            out.add(tuple(sorted([key_a, key_b])))
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(0, 5), st.integers(0, 12), st.integers(0, 3),
                          st.sampled_from(["SY-RA", "raqqa", "tabqa", "SY-DY", "SY-HL"])), min_size=1, max_size=14),
       st.integers(0, 3))
def test_candidate_pairs_are_exactly_the_blocked_pairs(rows, max_gap):
    records = []
    for source, incident, day, length, place in rows:
        start = pd.Timestamp("2017-01-01") + pd.Timedelta(days=day)
        records.append({**record(source, f"i{incident}", "2017-01-01", place=place), "date": None,
                        "start": start, "end": start + pd.Timedelta(days=length)})
    frame = claims(records)
    found = incident_table(frame)
    pairs = candidate_pairs(found, max_gap)
    keys = list(zip(found.table["source"], found.table["incident_id"]))
    got = {tuple(sorted([keys[a], keys[b]])) for a, b in zip(pairs["a"], pairs["b"])}
    assert got == brute_force_pairs(frame, max_gap)
    assert len(got) == len(pairs)  # each pair once
    assert (found.table["source"].to_numpy()[pairs["a"]] < found.table["source"].to_numpy()[pairs["b"]]).all()


def test_levels_and_sentence_of_a_hand_made_pair():
    frame = claims([
        record("Airwars", "CS1", "2017-06-10", count="5 to 9", location="al-Mashlab", latitude=35.95, longitude=39.03),
        record("SOHR", "S1", "2017-06-10", count=7, location="Al Mashlab", latitude=35.95 + 0.4 / 111.19, longitude=39.03,
               perpetrator="coalition|russia"),
        record("SOHR", "S2", "2017-06-12", count=40, location="Tabqa", place="tabqa", perpetrator="russia"),
        record("SOHR", "S3", "2017-06-11", count=1, location="Raqqa", category="all"),
    ])
    found = incident_table(frame)
    pairs = candidate_pairs(found)
    keys = list(found.table["incident_id"])
    pairs = pairs.assign(key=[keys[b] for b in pairs["b"]]).set_index("key")
    levels = compare(found, pairs)
    # large overlapping count: 5-9 and 7; no other count to compare
    assert list(levels.loc["S1", list(COMPARISONS)]) == [0, 0, 0, 0, 1, 0, -1]
    assert levels.loc["S1", "distance_km"] == pytest.approx(0.4, abs=0.01)
    # two days apart, Tabqa inside Raqqa governorate, no coordinates, other names, another
    # perpetrator, 40 against at most 9: over three times
    assert list(levels.loc["S2", list(COMPARISONS)]) == [2, 1, -1, 4, 3, 4, -1]
    # "Raqqa" names only the governorate: nothing to compare; the civilian count has no
    # counterpart on an "all" count
    assert list(levels.loc["S3", list(COMPARISONS)]) == [1, 0, -1, -1, 0, -1, -1]
    said = sentences(found, pairs, levels)
    assert said["S1"] == ("same day, 0.4 km apart, 'al-Mashlab' ~ 'Al Mashlab', same place, "
                          "perpetrators coalition and coalition|russia overlap, civilian killed 5-9 and 7 overlap")
    assert said["S2"] == ("2 days apart, 'al-Mashlab' vs 'Tabqa', one place inside the other, "
                          "different perpetrators (coalition vs russia), civilian killed 5-9 and 40 differ widely")
    assert said["S3"] == "1 day apart, same place, same perpetrator (coalition), no comparable counts"


def test_the_other_counts_two_incidents_both_give_are_graded_by_the_worst():
    def strike(source: str, incident: str, civilians: object, children: object, women: object | None = None) -> list[dict]:
        rows = [record(source, incident, "2017-06-10", count=civilians), record(source, incident, "2017-06-10", count=children, category="children")]
        if women is not None:
            rows.append(record(source, incident, "2017-06-10", count=women, category="women"))
        return [{**row, "claim_id": f"{incident}-{k}"} for k, row in enumerate(rows)]

    frame = claims([*strike("Airwars", "CS1", "5 to 9", "2 to 3", 1), *strike("SOHR", "S1", 7, 2, 1), *strike("UCDP", "U1", 7, 3),
                    *strike("Monitor", "M1", 7, 4, 1), *strike("ACLED", "A1", 7, 9, 1)])
    found = incident_table(frame)
    pairs = candidate_pairs(found)
    ids = found.table["incident_id"].to_numpy()
    pairs = pairs[(ids[pairs["a"]] == "CS1") | (ids[pairs["b"]] == "CS1")]
    pairs = pairs.assign(key=[ids[b] if ids[a] == "CS1" else ids[a] for a, b in zip(pairs["a"], pairs["b"])]).set_index("key")
    levels = compare(found, pairs)
    # children 2-3 and 2, women 1 and 1: two agree; children 2-3 and 3: the one other agrees;
    # children 2-3 and 4: (4 + 1) / (3 + 1) = 1.25, close; children 2-3 and 9: 10 / 4, differ
    assert levels.loc[["S1", "U1", "M1", "A1"], "other_counts"].tolist() == [0, 1, 2, 3]
    assert levels.loc[["S1", "U1", "M1", "A1"], "n_other_counts"].tolist() == [2, 1, 2, 2]
    said = sentences(found, pairs, levels)
    assert said["S1"].endswith("civilian killed 5-9 and 7 overlap, 2 other counts overlap")
    assert said["U1"].endswith(", 1 other count overlaps")
    assert said["M1"].endswith(", other counts are close")
    assert said["A1"].endswith(", other counts differ")
