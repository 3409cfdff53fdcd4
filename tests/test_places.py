"""Tests of casualties.places: ISO 3166 countries and subdivisions plus data/places.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from casualties._resources import data_path
from casualties.errors import AmbiguousNameWarning, UnknownNameError
from casualties.places import (
    PLACE_KINDS,
    WORLD,
    place_table,
    places,
    resolve_governorate,
    resolve_governorates,
    resolve_place,
    resolve_places,
)

#: Airwars' governorate column holds a few misspellings and a latitude; with a fuzzy cutoff the
#: misspellings resolve, the latitude never does.
AIRWARS_TYPOS = {"Damascusus", "Damasus", "Damascuc", "Idlin", "Idib", "Aleppoo", "Ara Raqqah", "Ar Raqq"}
NOT_A_PLACE = {"36.38472222"}


def test_tree_shape() -> None:
    tree = places()
    assert tree.root == WORLD and tree.resolve("everywhere") == WORLD
    assert tree.vocabulary == "place"
    assert len(tree) > 5000
    assert tree.parent("SY") == WORLD and tree.parent("SY-RA") == "SY"
    assert all(tree.parent(i) == "IQ-KR" for i in ("IQ-AR", "IQ-DA", "IQ-SU"))
    assert tree.parent("IQ-KR") == "IQ"


@pytest.mark.parametrize("name, id_, parent", [
    ("Raqqa", "raqqa", "SY-RA"),
    ("Al Mashlab", "al-mashlab", "raqqa"),
    ("the Al Mashlab district", "al-mashlab", "raqqa"),
    ("Division 17", "division-17", "SY-RA"),
    ("Hukoumiya farms", "hukoumiya-farms", "SY-RA"),
    ("Tafas", "tafas", "SY-DR"),
    ("Deraa", "deraa", "SY-DR"),
    ("Mosul", "mosul", "IQ-NI"),
    ("Syria", "SY", WORLD),
    ("Iraq", "IQ", WORLD),
    ("Turkey", "TR", WORLD),
    ("Türkiye", "TR", WORLD),
    ("Russia", "RU", WORLD),
    ("Iran", "IR", WORLD),
    ("Syrian Arab Republic", "SY", WORLD),
    ("SYR", "SY", WORLD),
    ("Tabqa", "tabqa", "SY-RA"),
    ("Deir ez-Zor", "deir-ezzor", "SY-DY"),
    ("Abu Kamal", "al-bukamal", "SY-DY"),
    ("Kobane", "kobani", "SY-HL"),
    ("Fallujah", "fallujah", "IQ-AN"),
    ("Tel Afar", "tal-afar", "IQ-NI"),
])
@pytest.mark.filterwarnings("ignore::casualties.errors.AmbiguousNameWarning")
def test_seed_and_common_places(name: str, id_: str, parent: str) -> None:
    assert resolve_place(name) == id_
    assert places().parent(id_) == parent


@pytest.mark.parametrize("spelling", [
    "Ar Raqqah", "Raqqa Governorate", "Ar-Raqqa Governorate", "Al-Raqqa", "Raqqa Province", "Ar Raqqa",
    "ar-raqqah province", "SY-RA",
])
def test_raqqa_governorate_spellings(spelling: str) -> None:
    assert resolve_place(spelling) == "SY-RA"


@pytest.mark.parametrize("city, governorate", [
    ("Raqqa", "SY-RA"), ("Deir Ezzor", "SY-DY"), ("Idlib", "SY-ID"), ("Aleppo", "SY-HL"), ("Homs", "SY-HI"),
    ("Hama", "SY-HM"), ("Deraa", "SY-DR"), ("Hasakah", "SY-HA"), ("Latakia", "SY-LA"), ("Tartus", "SY-TA"),
    ("Quneitra", "SY-QU"), ("Sweida", "SY-SU"),
])
def test_bare_name_is_the_city_and_governorate_context_lifts(city: str, governorate: str) -> None:
    with pytest.warns(AmbiguousNameWarning, match="governorate"):
        id_ = resolve_place(city)
    assert id_ == id_.lower() and places().parent(id_) == governorate
    assert resolve_place(f"{city} Governorate") == governorate
    assert resolve_place(f"{city} Province") == governorate
    assert resolve_governorate(city) == (governorate,)


def test_damascus_is_its_governorate() -> None:
    assert resolve_place("Damascus") == "SY-DI"
    assert resolve_place("Rural Damascus") == resolve_place("Damascus Suburbs") == "SY-RD"


def test_several_places() -> None:
    assert resolve_places("Iraq and Syria") == ("IQ", "SY")
    assert resolve_places("Syria and Iraq") == ("IQ", "SY")
    assert resolve_places("Bosnia and Herzegovina") == ("BA",)
    with pytest.warns(AmbiguousNameWarning, match="'Raqqa'"):
        assert resolve_places("Raqqa, Syria") == ("SY",)
    with pytest.warns(AmbiguousNameWarning, match="'Raqqa'"):
        assert resolve_places("Raqqa and Mosul") == ("mosul", "raqqa")


def test_containment() -> None:
    tree = places()
    assert tree.contains("SY", "al-mashlab")
    assert tree.contains("SY-RA", "al-mashlab") and tree.contains("raqqa", "al-mashlab")
    assert not tree.contains("IQ", "al-mashlab")
    assert tree.contains_array(["SY", "IQ", "SY-DR"], ["al-mashlab", "mosul", "tafas"]).all()
    assert tree.contains(WORLD, "mosul")


def test_typo_suggestions() -> None:
    with pytest.raises(UnknownNameError) as info:
        resolve_place("Raqqqa")
    assert info.value.vocabulary == "place"
    assert "Raqqa" in info.value.suggestions
    with pytest.raises(UnknownNameError):
        resolve_place("Atlantis")


def test_explicit_rows_resolve_to_their_ids() -> None:
    table = pd.read_csv(data_path("places.csv"), dtype=str, keep_default_na=False)
    tree = places()
    for id_, name, aliases in zip(table["id"], table["name"], table["aliases"]):
        assert id_ in tree
        for spelling in ([name] if name else []) + [a for a in aliases.split(";") if a]:
            assert tree.resolve(spelling) == id_, (spelling, id_)


def test_place_table() -> None:
    table = place_table()
    assert list(table.columns) == ["id", "name", "parent", "kind", "subdivision_type", "latitude", "longitude",
                                   "display_name", "level"]
    assert table["id"].is_unique and len(table) == len(places())
    explicit = table[table["kind"].isin(PLACE_KINDS)]
    assert len(explicit) > 50
    # every bundled place lies roughly in Syria or Iraq
    assert explicit["latitude"].between(29, 38).all() and explicit["longitude"].between(35, 49).all()
    assert table.set_index("id").loc["SY", "kind"] == "country"
    assert tuple(table.set_index("id").loc["SY-RA", ["kind", "subdivision_type"]]) == ("subdivision", "Province")
    assert set(table["kind"]) == {"world", "country", "subdivision", *PLACE_KINDS} - {"village"}


def test_resolve_governorates() -> None:
    values = pd.Series(["Raqqa", None, "Hama and Idlib governorate", "northern Aleppo", "Homs countryside",
                        "Kobani", "Syria", "Erbil", "Atlantis", "Raqqa - Tal Abyad"], index=list("abcdefghij"))
    ids, problems = resolve_governorates(values)
    assert ids.index.equals(values.index)
    assert ids.tolist()[:2] == ["SY-RA", ids.iloc[1]] and pd.isna(ids.iloc[1]) and pd.isna(problems.iloc[1])
    assert ids.iloc[2:8].tolist() == ["SY-HM|SY-ID", "SY-HL", "SY-HI", "SY-HL", "SY", "IQ-AR"]
    assert pd.isna(ids.iloc[8]) and "Atlantis" in problems.iloc[8]
    assert ids.iloc[9] == "SY-RA"
    assert resolve_governorate("Ninewa", country="Iraq") == ("IQ-NI",)
    assert resolve_governorate("Mosul", country="IQ") == ("IQ-NI",)
    with pytest.raises(ValueError, match="not a country"):
        resolve_governorate("Raqqa", country="Raqqa")
    # qualifiers are stripped only in a governorate column
    with pytest.raises(UnknownNameError):
        resolve_place("northern Aleppo")


def test_fuzzy_cutoff() -> None:
    assert resolve_governorate("Aleppoo", fuzzy_cutoff=0.8) == ("SY-HL",)
    with pytest.raises(UnknownNameError) as info:
        resolve_governorate("Aleppoo")
    assert "Aleppo" in info.value.suggestions


# -- spellings in the real data sets -----------------------------------------------------------
def _distinct(path: Path, column: str) -> set[str]:
    compression = "gzip" if path.suffix == ".gz" else None
    return set(pd.read_csv(path, usecols=[column], dtype=str, compression=compression)[column].dropna())


def test_shared_data_spellings_resolve(shared_data: Path) -> None:
    columns = {
        ("airwars/syria_incidents.csv", "region"): "SY",
        ("acled/syria_battles_2017-2023.csv", "admin1"): "SY",
        ("vdc/weekly_by_province.csv", "province"): "SY",
        ("ucdp/country_year_syria_iraq.csv", "entity"): "SY",
    }
    for (file, column), country in columns.items():
        spellings = sorted(_distinct(shared_data / file, column))
        ids, problems = resolve_governorates(pd.Series(spellings), country)
        assert problems.isna().all(), (file, column, list(problems.dropna()))
        assert ids.notna().all()
    # Airwars' governorate column: all but misspellings and a latitude; fuzzily, all but the latitude
    spellings = pd.Series(sorted(_distinct(shared_data / "airwars/syria_incidents.csv", "governorate")))
    _, problems = resolve_governorates(spellings)
    assert set(spellings[problems.notna()]) == AIRWARS_TYPOS | NOT_A_PLACE
    _, problems = resolve_governorates(spellings, fuzzy_cutoff=0.8)
    assert set(spellings[problems.notna()]) == NOT_A_PLACE


def test_shared_data_governorates_resolve_outside_governorate_context(shared_data: Path) -> None:
    """The governorate columns hold bare names; every spelling still names *some* place."""
    spellings = _distinct(shared_data / "acled/syria_battles_2017-2023.csv", "admin1")
    spellings |= _distinct(shared_data / "vdc/weekly_by_province.csv", "province")
    tree = places()
    for spelling in spellings:
        ids = tree.resolve_many(spelling)
        assert all(tree.contains("SY", i) for i in ids), spelling
    assert {tree.resolve(s) for s in _distinct(shared_data / "ucdp/country_year_syria_iraq.csv", "entity")} == {"IQ", "SY"}


# -- issue 13: ambiguous names, English display names, labels ---------------------------------
TWINS = [  # (bare name, the city, the governorate)
    ("Idlib", "idlib", "SY-ID"), ("Idleb", "idlib", "SY-ID"), ("Aleppo", "aleppo", "SY-HL"),
    ("Raqqa", "raqqa", "SY-RA"), ("Homs", "homs", "SY-HI"), ("Hama", "hama", "SY-HM"),
    ("Deir ez-Zor", "deir-ezzor", "SY-DY"), ("Deir Ezzor", "deir-ezzor", "SY-DY"), ("Daraa", "deraa", "SY-DR"),
    ("Deraa", "deraa", "SY-DR"), ("Hasakah", "hasakah", "SY-HA"), ("Latakia", "latakia", "SY-LA"),
    ("Tartus", "tartus", "SY-TA"), ("Quneitra", "quneitra", "SY-QU"), ("Suwayda", "sweida", "SY-SU"),
    ("Sweida", "sweida", "SY-SU"), ("Baghdad", "baghdad", "IQ-BG"), ("Kirkuk", "kirkuk", "IQ-KI"),
    ("Basra", "basra", "IQ-BA"), ("Erbil", "erbil", "IQ-AR"),
]


@pytest.mark.parametrize(("name", "city", "governorate"), TWINS)
def test_a_bare_twin_name_is_the_city_and_warns_naming_both_readings(name, city, governorate):
    with pytest.warns(AmbiguousNameWarning) as caught:
        assert resolve_place(name) == city
    warning = caught[0].message
    assert (warning.name, warning.chosen, warning.other) == (name, city, governorate)
    assert warning.other_label.endswith("governorate") and warning.chosen_label.endswith("city")
    assert warning.other_label in str(warning) and warning.chosen_label in str(warning)


@pytest.mark.parametrize(("name", "city", "governorate"), TWINS)
def test_labels_ask_for_either_reading_without_a_warning(name, city, governorate, recwarn):
    tree = places()
    assert resolve_place(tree.label(city)) == city
    assert resolve_place(tree.label(governorate)) == governorate
    assert resolve_place(city) == city and resolve_place(governorate) == governorate  # ids never warn
    assert not [w for w in recwarn if issubclass(w.category, AmbiguousNameWarning)]


def test_labels_name_the_level_only_where_two_places_share_a_name():
    tree = places()
    assert tree.label("SY-ID") == "Idlib governorate" and tree.label("idlib") == "Idlib city"
    assert tree.label("SY-DI") == "Damascus"  # the governorate is the city: one place
    assert tree.label("SY") == "Syria" and tree.label("mosul") == "Mosul" and tree.label("IQ-NI") == "Nineveh"
    assert tree.label("GE") == "Georgia country" and tree.resolve("Georgia state") == "US-GA"


def test_names_that_are_one_place_do_not_warn(recwarn):
    assert resolve_place("Damascus") == "SY-DI"
    assert resolve_places("Iraq and Syria") == ("IQ", "SY")
    assert resolve_place("Mosul") == "mosul" and resolve_place("Idlib governorate") == "SY-ID"
    assert resolve_place("Daraa al-Balad") == "deraa"  # a part of the city's name, not the governorate's
    assert not [w for w in recwarn if issubclass(w.category, AmbiguousNameWarning)]


def test_claims_columns_keep_the_bare_name_rule_without_warnings(recwarn):
    """Claims read from files keep their meaning (the seed's "Raqqa" is the city), silently."""
    ids, problems = places().resolve_series(pd.Series(["Raqqa", "Idlib governorate", "raqqa"]))
    assert ids.tolist() == ["raqqa", "SY-ID", "raqqa"] and problems.isna().all()
    assert not [w for w in recwarn if issubclass(w.category, AmbiguousNameWarning)]


SYRIA = {"SY-RA": "Raqqa", "SY-HL": "Aleppo", "SY-DY": "Deir ez-Zor", "SY-HI": "Homs", "SY-HM": "Hama",
         "SY-ID": "Idlib", "SY-DI": "Damascus", "SY-RD": "Rif Dimashq", "SY-DR": "Daraa", "SY-QU": "Quneitra",
         "SY-SU": "Suwayda", "SY-LA": "Latakia", "SY-TA": "Tartus", "SY-HA": "Hasakah"}
IRAQ = {"IQ-NI": "Nineveh", "IQ-AN": "Anbar", "IQ-BG": "Baghdad", "IQ-SD": "Salah al-Din", "IQ-KI": "Kirkuk",
        "IQ-DI": "Diyala", "IQ-BA": "Basra", "IQ-AR": "Erbil", "IQ-DA": "Duhok", "IQ-SU": "Sulaymaniyah",
        "IQ-NA": "Najaf", "IQ-KA": "Karbala", "IQ-BB": "Babil", "IQ-WA": "Wasit", "IQ-MA": "Maysan",
        "IQ-MU": "Muthanna", "IQ-QA": "Qadisiyah", "IQ-DQ": "Dhi Qar", "IQ-KR": "Kurdistan Region"}


def test_english_display_names_of_syria_and_iraq():
    tree = places()
    assert {i: tree.display_name(i) for i in SYRIA} == SYRIA
    assert {i: tree.display_name(i) for i in IRAQ} == IRAQ
    # every subdivision of both countries has one, and it resolves (with its label) to the place
    for country in ("SY", "IQ"):
        for id_ in tree.descendants(country):
            if place_table().set_index("id").loc[id_, "kind"] == "subdivision":
                assert tree.resolve(tree.label(id_)) == id_
    assert tree.display_name("TR") == "Turkey" and tree.display_name("RU") == "Russia"
    # ISO names and ids stay available
    assert tree.name("SY-HL") == "Ḩalab" and tree.resolve("Ḩalab") == "SY-HL"
    assert tree.name("SY-RA") == "Ar Raqqah"


def test_display_names_of_a_column():
    tree = places()
    cells = pd.Series(["SY-HL", "IQ|SY", "SY-HM|SY-ID", None, "raqqa"], index=list("abcde"))
    assert tree.display_names(cells).tolist()[:3] == ["Aleppo", "Iraq and Syria", "Hama and Idlib"]
    labels = tree.display_names(cells, labels=True)
    assert labels.index.equals(cells.index) and pd.isna(labels["d"])
    assert labels["a"] == "Aleppo governorate" and labels["e"] == "Raqqa city"
    assert tree.display_names(["SY-HL", "SY-HM", "SY-ID"]).tolist() == ["Aleppo", "Hama", "Idlib"]
    with pytest.raises(UnknownNameError):
        tree.display_names(["Atlantis"])


def test_place_table_has_display_names_and_levels():
    table = place_table().set_index("id")
    assert tuple(table.loc["SY-HL", ["name", "display_name", "level"]]) == ("Ḩalab", "Aleppo", "governorate")
    assert tuple(table.loc["aleppo", ["display_name", "level"]]) == ("Aleppo", "city")
    assert tuple(table.loc["IQ-NI", ["display_name", "level"]]) == ("Nineveh", "governorate")


def test_the_examples_of_docs_places_run():
    import doctest

    page = Path(__file__).resolve().parents[1] / "docs" / "places.md"
    result = doctest.testfile(str(page), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
