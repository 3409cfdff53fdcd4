"""Linking incidents across sources, and relabelling the linked ones as one event."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_evidence import claims, record

import casualties as cas
from casualties.linking import (
    LINK_COLUMNS,
    _exclusive,
    _one_to_one,
    fit_fellegi_sunter,
    link_incidents,
    relink,
)

#: Seeds of benchmarks.linkage the model was tuned on (docs/linking.md); tests and the reported
#: figures use others.
TUNING_SEEDS = (1, 2, 3)
REPORT_SEEDS = (11, 12)


@st.composite
def _candidate_sets(draw):
    """Scored candidate pairs among the incidents of up to three sources: each pair's
    Fellegi-Sunter likelihood ratio (as log2) and its pair probability."""
    n_sources = draw(st.integers(2, 3))
    sizes = draw(st.lists(st.integers(1, 3), min_size=n_sources, max_size=n_sources))
    incidents = [(source, number) for source, size in enumerate(sizes) for number in range(size)]
    possible = [(i, j) for i in range(len(incidents)) for j in range(i + 1, len(incidents)) if incidents[i][0] != incidents[j][0]]
    chosen = draw(st.lists(st.sampled_from(possible), min_size=1, max_size=len(possible), unique=True))
    rows = [{"a": i, "b": j, "source_a": f"S{incidents[i][0]}", "source_b": f"S{incidents[j][0]}",
             "log2_ratio": draw(st.floats(-12, 12)), "pair_probability": draw(st.floats(0.0, 1.0))} for i, j in chosen]
    return pd.DataFrame(rows)


def _posterior_by_enumeration(scored: pd.DataFrame, row: int, own: str, other_source: str) -> float:
    """The posterior that row's pair is the match, enumerating the hypotheses seen from ``own``:
    no partner among the candidates of the other source (prior 1 - pi), or exactly candidate i
    (prior pi / n each); the data's likelihood under each is the product over the candidates of m
    (the partner) or u (every other), with u drawn arbitrarily and m = ratio x u."""
    this = scored.iloc[row]
    candidates = scored[(scored[own] == this[own]) & (scored[other_source] == this[other_source])]
    pairs_of_sources = scored[(scored["source_a"] == this["source_a"]) & (scored["source_b"] == this["source_b"])]
    pi = min(max(pairs_of_sources["pair_probability"].sum() / pairs_of_sources[own].nunique(), 0.01), 0.99)
    n = len(candidates)
    u = {label: 0.1 + 0.8 * ((label * 7919) % 97) / 97 for label in candidates.index}  # any u > 0
    m = {label: 2.0 ** candidates.at[label, "log2_ratio"] * u[label] for label in candidates.index}
    likelihood = {None: float(np.prod([u[j] for j in candidates.index]))}
    for i in candidates.index:
        likelihood[i] = float(np.prod([m[j] if j == i else u[j] for j in candidates.index]))
    prior = {None: 1 - pi, **{i: pi / n for i in candidates.index}}
    evidence = sum(prior[h] * likelihood[h] for h in prior)
    return prior[scored.index[row]] * likelihood[scored.index[row]] / evidence


@settings(max_examples=200, deadline=None)
@given(_candidate_sets())
def test_match_probability_is_the_posterior_of_enumerated_hypotheses(scored):
    """The exclusive probability against a brute force: for each pair, the lesser of the two
    posteriors (seen from either incident), each from every hypothesis written out."""
    got = _exclusive(scored, scored["log2_ratio"].to_numpy())
    expected = [min(_posterior_by_enumeration(scored, row, "b", "source_a"), _posterior_by_enumeration(scored, row, "a", "source_b"))
                for row in range(len(scored))]
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_em_recovers_known_parameters_without_labels():
    rng = np.random.default_rng(7)
    m_true = [np.array([0.8, 0.15, 0.05]), np.array([0.7, 0.2, 0.1]), np.array([0.6, 0.3, 0.1])]
    u_true = [np.array([0.05, 0.15, 0.8]), np.array([0.1, 0.3, 0.6]), np.array([0.2, 0.3, 0.5])]
    n, share = 40_000, 0.2
    match = rng.random(n) < share
    levels = np.column_stack([
        np.where(match, rng.choice(3, n, p=m), rng.choice(3, n, p=u)) for m, u in zip(m_true, u_true)])
    levels[rng.random(n) < 0.1, 2] = -1  # sometimes nothing to compare
    flat = [np.full(3, 1 / 3)] * 3
    m, u, prior = fit_fellegi_sunter(levels, [np.array([0.5, 0.3, 0.2])] * 3, flat, 0.1, strength=0.0)
    assert prior == pytest.approx(share, abs=0.02)
    for k in range(3):
        np.testing.assert_allclose(m[k], m_true[k], atol=0.04)
        np.testing.assert_allclose(u[k], u_true[k], atol=0.04)


def test_without_pairs_the_starting_model_is_returned():
    start = [np.array([0.6, 0.4])]
    m, u, prior = fit_fellegi_sunter(np.zeros((0, 1), dtype=np.int64), start, [np.array([0.3, 0.7])], 0.05)
    assert m[0].tolist() == [0.6, 0.4] and u[0].tolist() == [0.3, 0.7] and prior == 0.05


def strikes() -> pd.DataFrame:
    """Two sources reporting three strikes in Raqqa governorate, one strike each source alone."""
    return claims([
        record("Airwars", "CS1", "2017-06-10", count="5 to 9", location="al-Mashlab", latitude=35.95, longitude=39.03),
        record("Airwars", "CS2", "2017-06-10", count=2, location="Tabqa", place="tabqa", latitude=35.84, longitude=38.55),
        record("Airwars", "CS3", "2017-06-11", count=12, location="Hazima", latitude=36.03, longitude=39.06),
        record("Airwars", "CS4", "2017-06-20", count=1, location="Kasrat", latitude=35.92, longitude=39.00),
        record("SOHR", "S1", "2017-06-11", count=7, location="Al Mashlab", latitude=35.951, longitude=39.031),
        record("SOHR", "S2", "2017-06-10", count=2, location="al-Tabqa", place="tabqa"),
        record("SOHR", "S3", "2017-06-12", count=12, location="Hazimah", perpetrator="unknown"),
        record("SOHR", "S9", "2017-06-11", count=30, location="Mansoura", latitude=35.83, longitude=38.75, perpetrator="russia"),
    ])


def test_links_of_a_hand_made_pair_of_sources():
    links = link_incidents(strikes())
    assert tuple(links.columns) == LINK_COLUMNS
    assert set(zip(links["incident_a"], links["incident_b"])) == {("CS1", "S1"), ("CS2", "S2"), ("CS3", "S3")}
    assert (links["source_a"] == "Airwars").all() and (links["source_b"] == "SOHR").all()
    assert links["match_probability"].is_monotonic_decreasing
    weights = links[[c for c in LINK_COLUMNS if c.startswith("weight_")]].sum(axis=1)
    prior = links.attrs["prior"]
    np.testing.assert_allclose(links["match_weight"], np.log2(prior / (1 - prior)) + weights)
    np.testing.assert_allclose(links["pair_probability"], 1 / (1 + 2.0 ** -links["match_weight"]))
    first = links.set_index("incident_a").loc["CS1"]
    assert first["evidence"].startswith("1 day apart, 0.1 km apart, 'al-Mashlab' ~ 'Al Mashlab', same place")
    assert first["weight_location"] > 0 and first["weight_distance"] > 0
    assert links.attrs["candidates"] >= 3
    assert set(pd.DataFrame(links.attrs["model"]).columns) == {"comparison", "level", "label", "m", "u", "weight"}
    # what is made from the links can be concatenated (pandas compares attrs with ==)
    assert len(pd.concat([links, links.head(1)])) == len(links) + 1


def test_incidents_of_one_source_are_never_linked_nor_ids_already_shared():
    frame = strikes()
    frame.loc[frame["incident_id"] == "S1", "source"] = "Airwars"  # one source now holds CS1 and S1
    frame = pd.concat([frame, frame[frame["incident_id"] == "CS3"].assign(source="CJTF-OIR")], ignore_index=True)
    links = link_incidents(frame, threshold=0.0)
    assert (links["source_a"] != links["source_b"]).all()
    assert not ((links["incident_a"] == "CS1") & (links["incident_b"] == "S1")).any()
    assert not (links["incident_a"] == links["incident_b"]).any()  # CJTF-OIR's CS3 is Airwars' CS3 already


def test_sources_restricts_the_incidents_linked():
    frame = pd.concat([strikes(), strikes().loc[lambda f: f["source"] == "SOHR"].assign(source="SNHR")], ignore_index=True)
    assert set(link_incidents(frame)["source_b"]) == {"SOHR", "SNHR"}
    assert set(link_incidents(frame, sources=["Airwars", "SNHR"])["source_b"]) == {"SNHR"}


def test_each_incident_links_at_most_once_to_each_other_source():
    frame = strikes()
    twin = frame[frame["incident_id"] == "S1"].assign(incident_id="S1bis")  # SOHR reports the strike twice
    links = link_incidents(pd.concat([frame, twin], ignore_index=True), threshold=0.0)
    assert not links.duplicated(["incident_a", "source_b"]).any()
    assert not links.duplicated(["incident_b", "source_a"]).any()


def test_without_the_optional_columns_names_and_coordinates_count_as_missing():
    # frames written before the columns existed, or built by hand, may lack them
    links = link_incidents(strikes().drop(columns=["location", "latitude", "longitude"]), threshold=0.0)
    assert (links["weight_location"] == 0).all() and (links["weight_distance"] == 0).all()
    assert links["distance_km"].isna().all()
    assert not links["evidence"].str.contains("km apart|'", regex=True).any()


def test_relink_moves_an_id_shared_by_two_sources_as_one():
    frame = claims([record("Airwars", "CS1", "2017-06-10", count="5 to 9"), record("CJTF-OIR", "CS1", "2017-06-10", count=2),
                    record("SOHR", "S1", "2017-06-11", count=7), record("SOHR", "S2", "2017-06-11", count=7)])
    out = relink(frame, pd.DataFrame({"incident_a": ["CS1"], "incident_b": ["S1"], "match_probability": [0.8]}))
    assert list(out["incident_id"]) == ["CS1 = S1", "CS1 = S1", "CS1 = S1", "S2"]
    assert list(out["start"].dt.day) == [10, 10, 10, 11] and list(out["end"].dt.day) == [11, 11, 11, 11]


def test_one_source_alone_has_no_links():
    links = link_incidents(strikes().loc[lambda f: f["source"] == "SOHR"])
    assert links.empty and links.attrs["candidates"] == 0


def test_no_incidents_no_links_and_bad_arguments():
    totals = claims([{**record("A", "t", "2017-06-10"), "kind": "total"}, {**record("B", "u", "2017-06-10"), "kind": "total"}])
    links = link_incidents(totals)
    assert list(links.columns) == list(LINK_COLUMNS) and links.empty
    with pytest.raises(cas.OptionError, match="threshold") as raised:
        link_incidents(strikes(), threshold=1.5)
    assert raised.value.value == 1.5 and isinstance(raised.value, ValueError)
    with pytest.raises(cas.OptionError, match="max_gap_days"):
        link_incidents(strikes(), max_gap_days=-1)


def greedy(scored: pd.DataFrame) -> set[tuple[int, int]]:
    """The reference: best first, a pair kept unless one of its incidents already has a link to
    the other's source."""
    taken, kept = set(), set()
    order = scored.sort_values(["match_probability", "a", "b"], ascending=[False, True, True], kind="stable")
    for row in order.itertuples():
        if (row.a, row.source_b) in taken or (row.b, row.source_a) in taken:
            continue
        taken |= {(row.a, row.source_b), (row.b, row.source_a)}
        kept.add((row.a, row.b))
    return kept


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.sampled_from([0.1, 0.5, 0.9, 0.99])), max_size=30),
       st.data())
def test_mutual_best_rounds_equal_greedy_by_score(edges, data):
    # incidents 0-6 of source "A" against incidents 10-16 of "B" or "C" (by parity)
    rows = [(a, 10 + b, "A", "B" if b % 2 else "C", p) for a, b, p in edges]
    scored = pd.DataFrame(rows, columns=["a", "b", "source_a", "source_b", "match_probability"]).drop_duplicates(["a", "b"])
    kept = _one_to_one(scored)
    assert set(zip(kept["a"], kept["b"])) == greedy(scored)


def test_relinked_strike_is_one_event_for_ranges_and_conflict():
    frame = strikes()
    links = link_incidents(frame)
    question = cas.Scope(start="2017-06-01", end="2017-06-30", place="SY-RA")
    before = cas.ranges(frame, question, by=None).iloc[0]
    after_claims = relink(frame, links)
    after = cas.ranges(after_claims, question, by=None).iloc[0]
    # before: seven strikes, their least counts add up: 5 + 2 + 12 + 1 + 7 + 2 + 12 + 30
    assert before["low"] == 71
    # after: CS1 = S1 (5-9 and 7: at least 7), CS2 = S2 (2), CS3 = S3 (12; S3's perpetrator is
    # "unknown", outside "coalition": the engine reads it as another event) and CS4, S9 alone
    assert after["low"] == 7 + 2 + 12 + 12 + 1 + 30
    assert after["feasible"] and after["change"] == 0
    linked = after_claims.set_index("claim_id")
    assert linked["incident_id"].value_counts().max() == 2
    assert set(linked["incident_id"]) >= {"CS1 = S1", "CS2 = S2"}
    note = linked.loc[frame.loc[frame["incident_id"] == "S1", "claim_id"].iloc[0], "note"]
    assert note == "incident_id was S1 (linked); dates were 2017-06-11 to 2017-06-11"
    assert cas.conflict(after_claims).gap == 0
    pd.testing.assert_frame_equal(cas.validate(after_claims), after_claims)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.integers(0, 7)), min_size=1, max_size=16),
       st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.floats(0, 1)), max_size=20))
def test_relink_never_merges_two_incidents_of_one_source(incidents, edges):
    records = [record(source, f"i{k}", "2017-06-10") for source, k in incidents]
    records.append({**record("A", "total", "2017-06-10"), "kind": "total"})
    frame = claims(records)
    links = pd.DataFrame([(f"i{a}", f"i{b}", p) for a, b, p in edges], columns=["incident_a", "incident_b", "match_probability"])
    out = relink(frame, links)
    assert out.index.equals(frame.index) and out["claim_id"].equals(frame["claim_id"])
    assert out["low"].equals(frame["low"]) and out["source"].equals(frame["source"])
    total = frame["kind"] == "total"
    assert out.loc[total, "incident_id"].equals(frame.loc[total, "incident_id"])
    groups = pd.DataFrame({"new": out["incident_id"], "old": frame["incident_id"], "source": frame["source"]})[~total]
    assert (groups.groupby(["new", "source"])["old"].nunique() <= 1).all()
    changed = out["incident_id"] != frame["incident_id"]
    assert (out.loc[changed, "note"].str.contains("incident_id was ") == True).all()
    assert (frame.loc[changed, "incident_id"].isin(links["incident_a"]) | frame.loc[changed, "incident_id"].isin(links["incident_b"])).all()
    # clusters are joined by links: members of one new id are connected through the links given
    for new, members in groups[changed[~total]].groupby("new")["old"]:
        assert set(new.split(" = ")) >= set(members)


def test_relink_leaves_out_the_links_that_would_merge_one_source_and_only_those():
    frame = claims([record("A", "a1", "2017-06-10"), record("B", "b1", "2017-06-10"), record("A", "a2", "2017-06-10"),
                    record("C", "c1", "2017-06-10")])
    links = pd.DataFrame({"incident_a": ["a1", "a2", "c1"], "incident_b": ["b1", "b1", "a1"], "match_probability": [0.9, 0.6, 0.1]})
    out = relink(frame, links)
    # a2-b1 would put a1 and a2 (both A's) together; the weaker c1-a1 does not, and stays
    assert list(out["incident_id"]) == ["a1 = b1 = c1", "a1 = b1 = c1", "a2", "a1 = b1 = c1"]
    with pytest.raises(cas.OptionError, match="incident_a, incident_b"):
        relink(frame, pd.DataFrame({"a": ["a1"]}))


def greedy_clusters(frame: pd.DataFrame, links: pd.DataFrame) -> set[frozenset]:
    """The reference: links best first (ties in input order), each joined unless the union would
    hold two ids of one source; union-find, one link at a time."""
    sources: dict[str, set] = {}
    for source, incident in zip(frame["source"], frame["incident_id"]):
        sources.setdefault(incident, set()).add(source)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    members: dict[str, set] = {}
    order = sorted(range(len(links)), key=lambda k: (-links["match_probability"].iloc[k], k))
    for k in order:
        x, y = find(links["incident_a"].iloc[k]), find(links["incident_b"].iloc[k])
        if x == y:
            continue
        mx, my = members.get(x, {x}), members.get(y, {y})
        used_x = {(s, i) for i in mx for s in sources.get(i, ())}
        used_y = {(s, i) for i in my for s in sources.get(i, ())}
        if any(s == t and i != j for s, i in used_x for t, j in used_y):
            continue
        parent[y] = x
        members[x] = mx | my
    return {frozenset(m) for root, m in members.items() if find(root) == root and len(m) > 1}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.integers(0, 7)), min_size=1, max_size=12),
       st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from([0.2, 0.5, 0.7, 0.9])), max_size=14))
def test_relink_clusters_equal_greedy_by_probability(incidents, edges):
    frame = claims([record(source, f"i{k}", "2017-06-10") for source, k in incidents])
    links = pd.DataFrame([(f"i{a}", f"i{b}", p) for a, b, p in edges], columns=["incident_a", "incident_b", "match_probability"])
    out = relink(frame, links)
    got = {frozenset(new.split(" = ")) for new in out["incident_id"] if " = " in new}
    # a cluster's name lists every member, including ids of links absent from the claims
    assert got == {c for c in greedy_clusters(frame, links) if c & set(frame["incident_id"])}


@pytest.fixture(scope="module")
def airwars(shared_data_module):
    from benchmarks.linkage import read_airwars_located

    return read_airwars_located(shared_data_module / "airwars" / "syria_incidents.csv")


@pytest.fixture(scope="module")
def shared_data_module():
    from conftest import SHARED_DATA

    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present (a user's fresh clone); CI always has it")
    return SHARED_DATA


@pytest.fixture(autouse=True, scope="module")
def _benchmarks_importable():
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])
    sys.path.insert(0, root)
    yield
    sys.path.remove(root)


@pytest.mark.parametrize("seed", REPORT_SEEDS)
def test_precision_and_recall_on_a_second_source_made_from_airwars(airwars, seed):
    from benchmarks.linkage import linkage_set, precision_recall

    both, truth = linkage_set(airwars, seed)
    links = link_incidents(both)
    precision, recall, *_ = precision_recall(links, truth)
    _, distinct_recall, *_ = precision_recall(links, truth[truth["distinct"]])
    # the goals; measured on seeds 1-3 and 11-13 (docs/linking.md): precision
    # 0.964-0.977, recall 0.906-0.938 over all pairs and 0.955-0.978 over the incidents with no
    # look-alike the same days
    assert precision >= 0.95
    assert recall >= 0.9
    assert distinct_recall >= 0.95


def test_the_generator_is_seeded(airwars):
    from benchmarks.linkage import linkage_set

    one, truth_one = linkage_set(airwars, 5)
    two, truth_two = linkage_set(airwars, 5)
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(truth_one, truth_two)
    assert not linkage_set(airwars, 6)[1]["incident_a"].equals(truth_one["incident_a"])


def test_real_links_airwars_lists_twice(airwars, shared_data_module):
    from benchmarks.linkage import duplicate_code_pairs

    moved, pairs = duplicate_code_pairs(airwars, shared_data_module / "airwars" / "syria_incidents.csv")
    links = link_incidents(moved, sources=["Airwars", "Airwars (again)"])
    found = {frozenset(p) for p in zip(links["incident_a"], links["incident_b"])}
    hits = {code for code, a, b in zip(pairs["code"], pairs["incident_a"], pairs["incident_b"]) if frozenset((a, b)) in found}
    # docs/linking.md says why the others are not found: CS562 lies in Deir Ezzor and in Al
    # Anbar (Iraq), CS1580a's counts 10-30 against 2; TS631 and TS633 give no figure, so make
    # no claims. CS214's two rows lie 14 km apart, and are found at the default threshold 0.4
    # (probability 0.44)
    assert hits == {"CS192", "TS062", "CS214"}


def test_a_frame_without_a_column_linking_reads_is_our_error():
    claims = cas.bundled_claims()
    with pytest.raises(cas.ClaimsFrameError, match="lacks the column.s. incident_id"):
        link_incidents(claims.drop(columns=["incident_id"]))
    with pytest.raises(cas.ClaimsFrameError, match="relink needs a claims frame .a pandas DataFrame., not NoneType"):
        relink(None, claims.iloc[:0])
