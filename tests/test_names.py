"""Tests of casualties.names: categories, perpetrators and sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from casualties._resources import data_path
from casualties.hierarchy import Hierarchy
from casualties.names import SOURCE_TYPES, categories, perpetrators, resolve_source, resolve_sources, sources


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
    assert tree.resolve_many("Russia and all") == ("all",)


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
