"""Tests of casualties.hierarchy: a generic tree of ids with names and aliases."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casualties.errors import UnknownNameError, VocabularyError
from casualties.hierarchy import SEPARATOR, Hierarchy, join_ids, normalize_name, split_ids


def tree(rows: list[tuple], **kwargs) -> Hierarchy:
    columns = ["id", "name", "parent", "aliases", "rank"][: len(rows[0])]
    return Hierarchy.from_frame(pd.DataFrame(rows, columns=columns), "thing", **kwargs)


@pytest.fixture
def small() -> Hierarchy:
    # world > north > {north-east, north-west};  world > south > {cape > {point}}
    return tree([
        ("world", "World", "", "everywhere;all"),
        ("north", "The North", "world", "Nörðurland;Al-Shamal"),
        ("south", "South", "world", "Dar'a Region"),
        ("north-east", "North East", "north", "NE"),
        ("north-west", "North West", "north", ""),
        ("cape", "Cape", "south", "Bosnia and Herzegovina"),
        ("point", "Point", "cape", "Trinidad & Tobago"),
    ])


# -- normalisation ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, key", [
    ("Raqqa", "raqqa"), ("  AR-RAQQAH ", "ar raqqah"), ("Ḩalab", "halab"), ("Dar'ā", "dara"),
    ("Ma’arat al-Nu‘man", "maarat al numan"), ("the  U.S.-led  Coalition", "us led coalition"),
    ("The the Observatory", "observatory"), ("Kobanê", "kobane"), ("ʿAyn ʿIssa", "ayn issa"),
])
def test_normalize_name(text: str, key: str) -> None:
    assert normalize_name(text) == key


@given(st.text(max_size=30))
def test_normalize_name_is_idempotent(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


# -- resolving -------------------------------------------------------------------------------
@pytest.mark.parametrize("name, id_", [
    ("north", "north"), ("NORTH", "north"), ("The North", "north"),
    ("NORÐURLAND", "north"), ("al shamal", "north"), ("AL–SHAMAL", "north"), ("dara region", "south"),
    ("north-east", "north-east"), ("North  East", "north-east"), ("ne", "north-east"), ("the cape", "cape"),
])
def test_resolve(small: Hierarchy, name: str, id_: str) -> None:
    assert small.resolve(name) == id_


def test_resolve_unknown_has_suggestions(small: Hierarchy) -> None:
    with pytest.raises(UnknownNameError) as info:
        small.resolve("Nort East")
    assert info.value.vocabulary == "thing"
    assert info.value.name == "Nort East"
    assert info.value.suggestions[0] == "North East"
    assert len(info.value.suggestions) <= 3
    assert isinstance(info.value, LookupError)


def test_resolve_many(small: Hierarchy) -> None:
    assert small.resolve_many("North East and Point") == ("north-east", "point")
    assert small.resolve_many("Bosnia and Herzegovina") == ("cape",)  # the whole text first
    assert small.resolve_many("Trinidad & Tobago, North West") == ("north-west", "point")
    assert small.resolve_many("NE/NW".replace("NW", "North West")) == ("north-east", "north-west")
    assert small.resolve_many("south; point | cape") == ("south",)  # union is the ancestor
    assert small.resolve_many("North East or North West") == ("north-east", "north-west")
    assert small.resolve_many("North East, and South") == ("north-east", "south")
    with pytest.raises(UnknownNameError) as info:
        small.resolve_many("North East and Atlantis")
    assert info.value.name == "Atlantis"


def test_normalize_ids(small: Hierarchy) -> None:
    assert small.normalize_ids(["point", "north-west", "cape", "point"]) == ("cape", "north-west")
    assert small.normalize_ids(["north-east", "north-west"]) == ("north-east", "north-west")
    assert small.normalize_ids(["world", "cape"]) == ("world",)
    assert small.normalize_ids([]) == ()
    with pytest.raises(UnknownNameError):
        small.normalize_ids(["nowhere"])


def test_join_and_split_ids() -> None:
    assert SEPARATOR == "|"
    assert join_ids(("IQ", "SY")) == "IQ|SY"
    assert split_ids("IQ|SY") == ("IQ", "SY")
    assert split_ids(" IQ | SY |") == ("IQ", "SY")
    assert split_ids("") == split_ids(None) == split_ids(float("nan")) == split_ids(pd.NA) == ()


# -- the tree --------------------------------------------------------------------------------
def test_navigation(small: Hierarchy) -> None:
    assert small.root == "world"
    assert len(small) == 7 and "cape" in small and "Cape" not in small
    assert small.ids == ("world", "north", "north-east", "north-west", "south", "cape", "point")
    assert small.parent("point") == "cape" and small.parent("world") is None
    assert small.children("north") == ("north-east", "north-west")
    assert small.children("point") == ()
    assert small.ancestors("point") == ("cape", "south", "world")
    assert small.descendants("south") == ("cape", "point")
    assert small.name("north") == "The North"
    assert small.aliases("north") == ("Nörðurland", "Al-Shamal")
    assert small.contains("south", "point") and small.contains("point", "point")
    assert not small.contains("point", "south") and not small.contains("north", "cape")
    with pytest.raises(UnknownNameError):
        small.parent("nowhere")


def test_intervals_and_arrays(small: Hierarchy) -> None:
    intervals = small.intervals
    assert list(intervals.index) == list(small.ids)
    assert intervals.loc["world", "left"] == 0 and intervals.loc["world", "right"] == len(small) - 1
    codes = small.codes(np.array(["point", "world", "nowhere"], dtype=object))
    assert codes.tolist() == [6, 0, -1]
    got = small.contains_array(["south", "north", "point"], ["point", "point", "point"])
    assert got.tolist() == [True, False, True]
    assert small.contains_array("world", ["point", "north"]).tolist() == [True, True]
    with pytest.raises(UnknownNameError):
        small.contains_array(["nowhere"], ["point"])


def test_resolve_series(small: Hierarchy, monkeypatch: pytest.MonkeyPatch) -> None:
    values = pd.Series(["North East", None, "Atlantis", "ne", "North East", "cape, point"] * 1000,
                       index=range(10, 6010))
    calls: list[str] = []
    original = Hierarchy.resolve_many

    def counting(self: Hierarchy, text: str) -> tuple[str, ...]:
        calls.append(text)
        return original(self, text)

    monkeypatch.setattr(Hierarchy, "resolve_many", counting)
    ids, problems = small.resolve_series(values)
    assert sorted(calls) == sorted(["North East", "Atlantis", "ne", "cape, point"])  # each distinct value once
    assert ids.index.equals(values.index) and problems.index.equals(values.index)
    assert ids.iloc[:6].tolist()[0] == "north-east" and ids.iloc[5] == "cape"
    assert ids.iloc[:6].isna().tolist() == [False, True, True, False, False, False]
    assert problems.iloc[:6].notna().tolist() == [False, False, True, False, False, False]
    assert "Atlantis" in problems.iloc[2]
    single, single_problems = small.resolve_series(pd.Series(["cape, point", "cape"]), many=False)
    assert single.isna().tolist() == [True, False] and single_problems.notna().tolist() == [True, False]


def test_multi_valued_result_is_joined(small: Hierarchy) -> None:
    ids, _ = small.resolve_series(pd.Series(["North West and North East"]))
    assert ids.iloc[0] == "north-east|north-west"


# -- building --------------------------------------------------------------------------------
def test_alias_rows_add_aliases() -> None:
    h = tree([("r", "Root", "", ""), ("a", "Alpha", "r", "first"), ("a", "", "", "premier;erste")])
    assert h.resolve("erste") == "a" and h.resolve("first") == "a"
    with pytest.raises(VocabularyError, match="no row defines"):
        tree([("r", "Root", "", ""), ("b", "", "", "beta")])
    with pytest.raises(VocabularyError, match="only aliases"):
        tree([("r", "Root", "", ""), ("a", "Alpha", "r", ""), ("a", "", "r", "x")])


def test_precedence() -> None:
    # an id beats another's name or alias; a name beats an alias; a lower rank beats a higher one
    h = tree([("r", "Root", "", "", 0), ("a", "Alpha", "r", "b;gamma", 0), ("b", "Beta", "r", "alpha", 0),
              ("g", "Gamma", "r", "", 1)])
    assert h.resolve("b") == "b" and h.resolve("alpha") == "a" and h.resolve("gamma") == "a"
    assert h.aliases("a") == ("gamma",)  # "b" is b's id, so not an alias of a
    with pytest.raises(VocabularyError, match="several ids"):
        tree([("r", "Root", "", ""), ("a", "Alpha", "r", "shared"), ("b", "Beta", "r", "Shared")])
    with pytest.raises(VocabularyError, match="several ids"):
        tree([("r", "Root", "", ""), ("a", "Same", "r", ""), ("b", "same", "r", "")])
    dropped = tree([("r", "Root", "", ""), ("a", "Alpha", "r", "shared"), ("b", "Beta", "r", "Shared")],
                   drop_ambiguous=True)
    assert dropped.ambiguous_keys == {"shared"}
    with pytest.raises(UnknownNameError):
        dropped.resolve("shared")
    with pytest.raises(VocabularyError, match="several ids"):  # ids never drop
        tree([("r", "Root", "", ""), ("a-b", "Alpha", "r", ""), ("a b", "Beta", "r", "")], drop_ambiguous=True)


@pytest.mark.parametrize("rows, message", [
    ([("r", "Root", "", ""), ("s", "Second root", "", "")], "exactly one root"),
    ([("r", "Root", "r2", "")], "unknown parent"),
    ([("a", "A", "b", ""), ("b", "B", "a", "")], "exactly one root"),
    ([("r", "Root", "", ""), ("a", "A", "zz", "")], "unknown parent"),
    ([("r", "Root", "", ""), ("a", "A", "b", ""), ("b", "B", "a", "")], "not below the root"),
    ([("r", "Root", "", ""), ("a", "A", "r", ""), ("a", "A again", "r", "")], "defined twice"),
    ([("r", "Root", "", ""), ("", "Nameless", "r", "")], "without an id"),
])
def test_bad_tables(rows: list[tuple], message: str) -> None:
    with pytest.raises(VocabularyError, match=message) as caught:
        tree(rows)
    assert isinstance(caught.value, ValueError) and caught.value.vocabulary == "thing"
    with pytest.raises(VocabularyError, match="lacks columns"):
        Hierarchy.from_frame(pd.DataFrame({"id": ["r"]}))


def test_value_object(small: Hierarchy) -> None:
    with pytest.raises(AttributeError):
        small.foo = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        Hierarchy()
    again = Hierarchy.from_frame(small.to_frame(), "thing")
    assert again == small and hash(again) == hash(small)
    assert small != "world" and (small == 1) is False
    assert repr(small) == "Hierarchy('thing', 7 ids, root 'world')"
    assert list(small.to_frame().columns) == ["id", "name", "parent", "aliases", "rank"]


# -- properties on random trees --------------------------------------------------------------
@st.composite
def random_trees(draw: st.DrawFn) -> Hierarchy:
    size = draw(st.integers(1, 25))
    parents = [""] + [f"n{draw(st.integers(0, i - 1))}" for i in range(1, size)]
    words = st.text("abcdefgh -'É", min_size=1, max_size=8)
    used: set[str] = set()
    rows = []
    for i in range(size):  # ids and names first, so aliases cannot steal them
        used |= {normalize_name(f"n{i}"), normalize_name(f"Node {i}")}
    for i in range(size):
        aliases = [a for a in draw(st.lists(words, max_size=3)) if normalize_name(a) not in used]
        used |= {normalize_name(a) for a in aliases}
        rows.append((f"n{i}", f"Node {i}", parents[i], ";".join(a.strip() for a in aliases)))
    order = draw(st.permutations(range(size)))
    return tree([rows[i] for i in order])


def brute_contains(h: Hierarchy, a: str, b: str) -> bool:
    return a == b or a in h.ancestors(b)


@given(random_trees())
def test_contains_array_agrees_with_ancestors(h: Hierarchy) -> None:
    pairs = list(itertools.product(h.ids, repeat=2))
    a = np.array([p[0] for p in pairs], dtype=object)
    b = np.array([p[1] for p in pairs], dtype=object)
    expected = [brute_contains(h, x, y) for x, y in pairs]
    assert h.contains_array(a, b).tolist() == expected
    assert [h.contains(x, y) for x, y in pairs] == expected
    for id_ in h.ids:
        assert set(h.descendants(id_)) == {d for d in h.ids if id_ in h.ancestors(d)}


@given(random_trees(), st.data())
def test_normalize_ids_is_idempotent_and_order_invariant(h: Hierarchy, data: st.DataObject) -> None:
    chosen = data.draw(st.lists(st.sampled_from(h.ids), max_size=8))
    once = h.normalize_ids(chosen)
    assert h.normalize_ids(once) == once
    assert h.normalize_ids(data.draw(st.permutations(chosen))) == once
    assert h.normalize_ids(chosen + chosen) == once
    assert list(once) == sorted(once)
    assert not any(h.contains(x, y) for x in once for y in once if x != y)
    assert all(any(h.contains(x, c) for x in once) for c in chosen)  # nothing lost


@given(random_trees())
def test_every_id_name_and_alias_resolves_to_its_id(h: Hierarchy) -> None:
    frame = h.to_frame()
    for id_, name, aliases in zip(frame["id"], frame["name"], frame["aliases"]):
        assert h.resolve(id_) == id_
        assert h.resolve(name) == id_
        for alias in split_ids(aliases.replace(";", "|")):
            assert h.resolve(alias) == id_
    assert Hierarchy.from_frame(frame, "thing") == h


def test_set_relations_agree_with_contains_on_the_place_tree():
    from casualties.places import place_tree

    tree = place_tree()
    sets = [("SY",), ("IQ", "SY"), ("raqqa",), ("SY-RA", "IQ-NI"), ("al-mashlab", "mosul"), ("world",), ("TR",)]
    covers, touches = tree.set_relations(sets, sets)
    for i, inner in enumerate(sets):
        for j, outer in enumerate(sets):
            assert covers[i, j] == all(any(tree.contains(o, x) for o in outer) for x in inner)
            assert touches[i, j] == any(tree.contains(o, x) or tree.contains(x, o) for o in outer for x in inner)
