"""Tests of casualties.names: categories, perpetrators and sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from casualties._resources import data_path
from casualties.hierarchy import Hierarchy
from casualties.errors import ConjunctionError, UnknownNameError
from casualties.names import (
    OUTCOME_WORDS,
    OUTCOMES,
    SOURCE_TYPES,
    categories,
    perpetrators,
    resolve_outcome,
    resolve_outcomes,
    resolve_source,
    resolve_sources,
    sources,
)


@pytest.mark.parametrize("file, tree", [("categories.csv", categories), ("perpetrators.csv", perpetrators)])
def test_every_row_and_alias_resolves(file: str, tree) -> None:
    hierarchy: Hierarchy = tree()
    table = pd.read_csv(data_path(file), dtype=str, keep_default_na=False)
    for id_, name, aliases in zip(table["id"], table["name"], table["aliases"]):
        assert hierarchy.resolve(id_) == id_
        assert hierarchy.resolve(name) == id_
        for alias in filter(None, aliases.split(";")):
            assert hierarchy.resolve(alias) == id_, (alias, id_)


def test_every_source_alias_resolves() -> None:
    table = sources()
    assert list(table.columns) == ["name", "type", "aliases", "url", "description"]
    assert table["name"].is_unique
    assert set(table["type"]) <= set(SOURCE_TYPES)
    for name, type_, aliases in zip(table["name"], table["type"], table["aliases"]):
        for spelling in [name, *filter(None, aliases.split(";"))]:
            assert resolve_source(spelling) == (name, type_), spelling


def test_source_types_match_the_schema() -> None:
    assert SOURCE_TYPES == ("monitor", "belligerent", "ngo", "media", "un", "government", "other")


@pytest.mark.parametrize("given, expected", [
    ("Syrian Observatory for Human Rights", ("SOHR", "monitor")),
    ("the Britain-based Observatory", ("SOHR", "monitor")),
    ("The Observatory", ("SOHR", "monitor")),
    ("SOHR", ("SOHR", "monitor")),
    ("the US military", ("US military", "belligerent")),
    ("U.S. military", ("US military", "belligerent")),
    ("The US-led coalition", ("CJTF-OIR", "belligerent")),
    ("TRT World and Agencies", ("TRT World", "media")),
    ("Syrian Observatory for Human Rights (SOHR)", ("SOHR", "monitor")),
    ("Violations Documentation Centre (VDC)", ("VDC", "monitor")),
    ("Syrian Center for Policy Research (SCPR)", ("SCPR", "ngo")),
    ("United Nations and Arab League Special Envoy to Syria", ("UN", "un")),
    ("Airwars (coalition incidents)", ("Airwars", "monitor")),
])
def test_seed_and_toll_sources(given: str, expected: tuple[str, str]) -> None:
    assert resolve_source(given) == expected


@pytest.mark.parametrize("given", ["the monitor", "Some Blog", "", None, float("nan")])
def test_unknown_source_is_none(given) -> None:
    assert resolve_source(given) is None


def test_resolve_sources() -> None:
    values = pd.Series(["the Observatory", " Some Blog ", None, "SOHR", "Airwars"], index=[5, 6, 7, 8, 9])
    names, types, known = resolve_sources(values)
    assert names.index.equals(values.index)
    assert names.tolist()[:2] == ["SOHR", "Some Blog"] and pd.isna(names.iloc[2])
    assert names.iloc[3:].tolist() == ["SOHR", "Airwars"]
    assert types.iloc[0] == "monitor" and types.iloc[1:3].isna().all()
    assert known.tolist() == [True, False, False, True, True]
    assert known.dtype == bool


@pytest.mark.parametrize("name, id_", [
    ("Daesh", "isis"), ("ISIL", "isis"), ("Islamic State (Syria)", "isis"),
    ("US-led coalition", "coalition"), ("U.S.-led Coalition", "coalition"), ("the coalition", "coalition"),
    ("CJTF-OIR", "coalition"), ("Russian Military", "russia"), ("Military Forces of Russia (2000-)", "russia"),
    ("the regime", "syrian-government"), ("Military Forces of Syria (2000-)", "syrian-government"),
    ("YPG", "sdf"), ("QSD: Syrian Democratic Forces", "sdf"), ("Turkish Military", "turkey"),
    ("Free Syrian Army", "rebels"), ("Opposition Rebels (Syria)", "rebels"), ("HTS", "hts"),
    ("Israeli Military", "israel"), ("Iranian Military", "iran"), ("Unidentified Armed Group (Syria)", "unknown"),
    ("any", "all"),
])
def test_perpetrators(name: str, id_: str) -> None:
    assert perpetrators().resolve(name) == id_


def test_perpetrator_lists() -> None:
    tree = perpetrators()
    assert tree.root == "all"
    assert all(tree.parent(i) == "all" for i in tree.ids[1:])
    assert tree.resolve_many("U.S.-led Coalition, Russian Military") == ("coalition", "russia")
    assert tree.resolve_many("Russia or all") == ("all",)
    with pytest.raises(ConjunctionError):  # was ("all",): "and" is refused since issue 13
        tree.resolve_many("Russia and all")


@pytest.mark.parametrize("text", ["ISIS and coalition", "ISIS & coalition", "ISIS, and coalition",
                                  "the coalition and Russian forces", "ISIS&coalition"])
def test_perpetrators_joined_by_and_are_an_error_that_says_what_to_write(text) -> None:
    with pytest.raises(ConjunctionError) as info:
        perpetrators().resolve_many(text)
    error = info.value
    assert isinstance(error, ValueError) and isinstance(error, UnknownNameError)
    assert error.name == text and error.vocabulary == "perpetrator" and len(error.parts) == 2
    assert "|".join(error.parts) in str(error) and "one claim per perpetrator" in str(error)


def test_and_inside_a_name_or_between_other_words_still_resolves() -> None:
    tree = perpetrators()
    assert tree.resolve_many("Islamic State of Iraq and Syria") == ("isis",)
    assert tree.resolve_many("Islamic State of Iraq and the Levant|Russia") == ("isis", "russia")
    assert tree.resolve_many("ISIS or coalition") == tree.resolve_many("ISIS|coalition") == ("coalition", "isis")
    with pytest.raises(UnknownNameError) as info:  # an unknown name is reported as unknown first
        tree.resolve_many("ISIS and Atlantis")
    assert not isinstance(info.value, ConjunctionError)


def test_a_column_of_perpetrators_lists_the_conjunction_as_a_failure() -> None:
    ids, problems = perpetrators().resolve_series(pd.Series(["ISIS and coalition", "ISIS"]))
    assert pd.isna(ids[0]) and "isis|coalition" in problems[0] and ids[1] == "isis"


@pytest.mark.parametrize(("word", "outcome"), [
    ("killed", "killed"), ("dead", "killed"), ("died", "killed"), ("Deaths", "killed"),
    ("fatalities", "killed"), ("death", "killed"), ("injured", "injured"), ("wounded", "injured"),
    ("hurt", "injured"), ("Injuries", "injured"),
])
def test_outcome_words(word, outcome) -> None:
    assert resolve_outcome(word) == outcome


@pytest.mark.parametrize("word", ["casualties", "missing", "", None, 5])
def test_other_outcome_words_are_unknown(word) -> None:
    with pytest.raises(UnknownNameError) as info:
        resolve_outcome(word)
    assert info.value.vocabulary == "outcome" and info.value.suggestions


def test_outcome_column_keeps_unknown_words_for_the_validator() -> None:
    values = pd.Series(["dead", "Wounded", None, "zombies"], index=[3, 1, 2, 0])
    out = resolve_outcomes(values)
    assert out.index.equals(values.index)
    assert out.tolist()[:2] == ["killed", "injured"] and pd.isna(out[2]) and out[0] == "zombies"
    assert set(OUTCOME_WORDS) == set(OUTCOMES)


def test_category_tree() -> None:
    tree = categories()
    assert set(tree.ids) == {"all", "civilian", "children", "women", "combatant"}
    assert tree.resolve("civilians") == "civilian" and tree.resolve("kids") == "children"
    assert tree.resolve("Fighters") == "combatant" and tree.resolve("everyone") == "all"
    assert tree.contains("civilian", "children") and tree.contains("civilian", "women")
    assert tree.contains("all", "combatant") and not tree.contains("civilian", "combatant")
    assert not tree.contains("children", "women") and not tree.contains("women", "children")
    assert tree.resolve_many("women and children") == ("children", "women")
    assert tree.resolve_many("civilians and children") == ("civilian",)


# -- the real data sets ------------------------------------------------------------------------
def test_airwars_belligerents(shared_data: Path) -> None:
    column = pd.read_csv(shared_data / "airwars/syria_incidents.csv", usecols=["belligerents"], dtype=str)["belligerents"]
    ids, problems = perpetrators().resolve_series(column)
    unmapped = {p.split("'")[1] for p in problems.dropna()}
    assert unmapped == {"Jordanian Military", "Tribal Forces", "Kurdish Forces"}  # ambiguous: left to adapters
    assert problems.notna().mean() < 0.01
    assert ids[column == "U.S.-led Coalition"].eq("coalition").all()


def test_acled_actors_mostly_mapped(shared_data: Path) -> None:
    acled = pd.read_csv(shared_data / "acled/syria_battles_2017-2023.csv", usecols=["actor1", "actor2"], dtype=str)
    actors = pd.concat([acled["actor1"], acled["actor2"]]).dropna()
    ids, _ = perpetrators().resolve_series(actors, many=False)
    assert ids.notna().mean() > 0.85
    top = actors.value_counts().head(10).index
    mapped = {actor: perpetrators().get(actor) for actor in top}
    assert mapped["Military Forces of Syria (2000-)"] == "syrian-government"
    assert mapped["Islamic State (Syria)"] == "isis"
    assert mapped["QSD: Syrian Democratic Forces"] == "sdf"
    assert mapped["Operation Peace Spring"] is None  # Turkey and the Syrian National Army together


def test_toll_sources_all_known(shared_data: Path) -> None:
    tolls = pd.read_csv(shared_data / "tolls/syria_national_estimates.csv", dtype=str)
    names, types, known = resolve_sources(tolls["source"])
    assert known.all()
    assert names.tolist() == ["SOHR", "SCPR", "VDC", "UN"]


def test_the_claims_frame_reads_outcome_words_and_refuses_and_between_perpetrators() -> None:
    from casualties.errors import ClaimError
    from casualties.schema import claims_from_records

    record = {"source": "SOHR", "date": "2017-06-05", "place": "Raqqa city", "count": "21"}
    claims = claims_from_records([{**record, "outcome": "wounded"}, {**record, "outcome": "Dead"},
                                  {**record, "outcome": "fatalities"}, {**record, "outcome": "hurt"}])
    assert claims["outcome"].tolist() == ["injured", "killed", "killed", "injured"]
    with pytest.raises(ClaimError) as info:
        claims_from_records([{**record, "perpetrator": "ISIS and coalition"}, {**record, "outcome": "casualties"}])
    failures = info.value.failures.set_index("column")
    assert "isis|coalition" in failures.loc["perpetrator", "detail"]
    assert failures.loc["outcome", "value"] == "casualties"
