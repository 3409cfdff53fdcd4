"""The place tree: the world, every ISO 3166 country and subdivision, and named places.

Ids are ISO 3166-1 alpha-2 codes for countries (``SY``), ISO 3166-2 codes for subdivisions
(``SY-RA``, Ar Raqqah governorate) and lowercase slugs from ``data/places.csv`` for cities, towns,
districts and sites (``raqqa``, ``al-mashlab``, ``division-17``). A bare city name means the city
("Raqqa" is ``raqqa``); the governorate answers to its ISO name and to "... Governorate" /
"... Province" spellings ("Ar Raqqah", "Raqqa Governorate"). A name two places answer to is
*ambiguous*: :func:`resolve_place`, :func:`resolve_places` and :class:`~casualties.Scope` read it
by that rule and warn (:class:`~casualties.errors.AmbiguousNameWarning`). Columns known to hold
governorates, where the bare name means the governorate, are read with
:func:`resolve_governorates`. Every place has an English display name and a label that names its
level where two places share the name ("Idlib city", "Idlib governorate"): :class:`PlaceTree`.
See ``docs/places.md``.
"""

from __future__ import annotations

import functools
import re
import warnings
from typing import Any, Iterable

import pandas as pd

from casualties._resources import data_path
from casualties.errors import AmbiguousNameWarning, UnknownNameError
from casualties.hierarchy import Hierarchy, _resolve_parts, _resolve_unique, join_ids, normalize_name, split_ids

__all__ = [
    "WORLD",
    "PLACE_KINDS",
    "places",
    "place_tree",
    "place_table",
    "PlaceTree",
    "resolve_place",
    "resolve_places",
    "resolve_places_in_question",
    "resolve_governorate",
    "resolve_governorates",
]

#: The id of the root of the place tree.
WORLD = "world"
#: The kinds of place a row of ``data/places.csv`` may define.
PLACE_KINDS = ("city", "town", "district", "village", "site", "region")

# ranks: explicit rows of places.csv first, then countries, then ISO 3166-2 subdivisions
_RANK_EXPLICIT, _RANK_COUNTRY, _RANK_SUBDIVISION = 0, 1, 2
_PLACE_COLUMNS = ["id", "name", "parent", "kind", "subdivision_type", "latitude", "longitude", "display_name", "level"]
# words that narrow a name ("northern Aleppo", "Homs countryside"); see resolve_governorates
_LEADING = re.compile(
    r"^(?:(?:north|south)(?: ?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?|central|rural|greater"
    r"|countryside of|outskirts of|near|around|outside)\s+")
_TRAILING = re.compile(
    r"\s+(?:countryside|suburbs|outskirts|area|region|district|governorate|province|city|town|villages?)$")


def _read_places_csv() -> pd.DataFrame:
    table = pd.read_csv(data_path("places.csv"), dtype=str, keep_default_na=False)
    table = table.apply(lambda column: column.str.strip())
    defined = table[table["name"] != ""]
    bad_ids = defined.loc[defined["id"] != defined["id"].str.lower(), "id"]
    if len(bad_ids):
        raise ValueError(f"places.csv: place ids are lowercase slugs (ISO codes come from pycountry): {list(bad_ids)}")
    bad_kinds = defined.loc[~defined["kind"].isin(PLACE_KINDS), "id"]
    if len(bad_kinds):
        raise ValueError(f"places.csv: kind must be one of {PLACE_KINDS}: {list(bad_kinds)}")
    return table


@functools.cache
def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the tree table for Hierarchy.from_frame, the place table with kinds and coordinates)."""
    import pycountry

    rows: list[dict[str, Any]] = [
        {"id": WORLD, "name": "World", "parent": "", "aliases": ["everywhere", "all"],
         "rank": _RANK_EXPLICIT, "kind": "world"}]
    for country in pycountry.countries:
        common = getattr(country, "common_name", None)
        aliases = [country.name, getattr(country, "official_name", None), common, country.alpha_3]
        rows.append({"id": country.alpha_2, "name": common or country.name, "parent": WORLD,
                     "aliases": [a for a in aliases if a], "rank": _RANK_COUNTRY, "kind": "country"})
    for sub in pycountry.subdivisions:
        aliases = [f"{sub.name} {sub.type or ''}", f"{sub.name} Governorate", f"{sub.name} Province"]
        rows.append({"id": sub.code, "name": sub.name, "parent": sub.parent_code or sub.country_code,
                     "aliases": aliases, "rank": _RANK_SUBDIVISION, "kind": "subdivision",
                     "subdivision_type": sub.type or "", "level": (sub.type or "subdivision").lower()})
    iso = pd.DataFrame(rows)
    explicit = _read_places_csv()
    explicit = explicit.assign(rank=_RANK_EXPLICIT, aliases=explicit["aliases"].str.split(";"))
    tree = pd.concat([iso, explicit[["id", "name", "parent", "aliases", "rank"]]], ignore_index=True)
    defined = explicit[explicit["name"] != ""]
    coordinates = defined[["latitude", "longitude"]].apply(pd.to_numeric, errors="raise")
    table = pd.concat([iso.assign(latitude=float("nan"), longitude=float("nan")),
                       defined[["id", "name", "parent", "kind"]].join(coordinates)], ignore_index=True)
    table["subdivision_type"] = table["subdivision_type"].fillna("")
    # English display names and level words: places.csv's, else the name and the kind (ISO type)
    table["level"] = table["level"].fillna(table["kind"]).replace({"world": ""})
    table["display_name"] = table["name"]
    for column in ("display_name", "level"):
        given = explicit.loc[explicit[column] != "", ["id", column]].drop_duplicates("id", keep="last")
        table[column] = table["id"].map(dict(zip(given["id"], given[column]))).fillna(table[column])
    return tree, table[_PLACE_COLUMNS]


class PlaceTree(Hierarchy):
    """The place tree: a :class:`~casualties.hierarchy.Hierarchy` with English names and labels.

    :meth:`name` stays the ISO name ("Ḩalab", "Ar Raqqah"); :meth:`display_name` is the English
    name an English reader expects ("Aleppo", "Raqqa"); :meth:`label` adds the level where two
    places share a display name ("Idlib city", "Idlib governorate"), for titles and sentences.
    Both labels resolve back to their place without a warning.
    """

    __slots__ = ("_display_names", "_levels", "_twins", "_ambiguous_keys_of", "_label_keys")

    def _attach(self, display: dict[str, str], levels: dict[str, str], bundled: frozenset[str]) -> None:
        """Set the display names and levels, and find the names two places answer to."""
        setter = object.__setattr__
        setter(self, "_display_names", display)
        setter(self, "_levels", levels)
        twins: dict[str, str] = {}  # id -> the other place that shares its display name
        ambiguous: dict[str, str] = {}  # normalised spelling -> the other reading's id
        spellings_of: dict[str, list[str]] = {}
        for spelling, id_ in self._keys.items():
            if id_ in bundled:
                spellings_of.setdefault(id_, []).append(spelling)
        for other, shown in display.items():
            key = normalize_name(shown)
            owner = self._keys.get(key)
            # two places of one English name (not a name that is another place's code: "Est")
            if owner is None or owner == other or owner in twins or normalize_name(display[owner]) != key:
                continue
            twins[owner], twins[other] = other, owner
            ambiguous[key] = other
            if owner in bundled:  # the bare spellings of a bundled city ("Idleb") are ambiguous too
                level = normalize_name(levels.get(owner, ""))
                for spelling in spellings_of.get(owner, ()):
                    words = spelling.split()
                    if level not in words and len(words) <= len(key.split()) + 1:  # not "Daraa al-Balad"
                        ambiguous[spelling] = other
        setter(self, "_twins", twins)
        setter(self, "_ambiguous_keys_of", ambiguous)
        setter(self, "_label_keys", {})
        labels = {normalize_name(self.label(id_)): id_ for id_ in twins}  # "Georgia country"
        setter(self, "_label_keys", {k: i for k, i in labels.items() if k not in self._keys})

    def get(self, name: str, default: str | None = None) -> str | None:
        """Like :meth:`~casualties.hierarchy.Hierarchy.get`; labels ("Georgia country") resolve too."""
        found = super().get(name)
        if found is None:
            found = self._label_keys.get(normalize_name(name))
        return default if found is None else found

    def resolve(self, name: str) -> str:
        """Like :meth:`~casualties.hierarchy.Hierarchy.resolve`; labels resolve too."""
        found = self.get(name)
        return found if found is not None else self._raise_unknown(name)

    def display_name(self, id_: str) -> str:
        """The English name of a place ("SY-HL" -> "Aleppo", "TR" -> "Turkey", "raqqa" -> "Raqqa").

        ``data/places.csv``'s ``display_name`` where it gives one, else the place's name (ISO's
        for countries and subdivisions).

        Raises
        ------
        UnknownNameError
            If ``id_`` is not an id of the tree.
        """
        return self._display_names[self._check(id_)]

    def level(self, id_: str) -> str:
        """The level of a place in words: "country", "governorate", "city", "district"...

        ``data/places.csv``'s ``level`` where it gives one (Syria's governorates, which ISO calls
        provinces), else the kind of a bundled place or ISO's subdivision type, in lower case.
        """
        return self._levels[self._check(id_)]

    def label(self, id_: str) -> str:
        """The display name, with the level when another place shares it (for titles).

        ``"SY-ID"`` -> "Idlib governorate", ``"idlib"`` -> "Idlib city", ``"SY-DI"`` ->
        "Damascus" (one place answers to "Damascus"), ``"SY"`` -> "Syria". A label resolves to
        its place without a warning.
        """
        shown = self.display_name(id_)
        return f"{shown} {self._levels[id_]}" if id_ in self._twins else shown

    def display_names(self, ids: Any, *, labels: bool = False) -> pd.Series:
        """:meth:`display_name` (or :meth:`label`) of a column of ids, each distinct cell once.

        Parameters
        ----------
        ids : pandas.Series or list-like of str
            Ids, or multi-valued cells of the claims frame (``"IQ|SY"``).
        labels : bool, default False
            Give :meth:`label` (the level where names are shared) instead of the bare name.

        Returns
        -------
        pandas.Series of str
            Indexed like ``ids``; a cell of several ids lists their names ("Iraq and Syria",
            "Aleppo, Hama and Idlib"); missing where ``ids`` is missing.

        Raises
        ------
        UnknownNameError
            If a cell holds an id not in the tree.
        """
        series = ids if isinstance(ids, pd.Series) else pd.Series(list(ids), dtype=object)
        name = self.label if labels else self.display_name
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        shown = [_and_list([name(i) for i in split_ids(cell)]) for cell in uniques]
        out = pd.Series(pd.array(shown + [None], dtype="str")[codes], index=series.index, dtype="str")
        return out

    def reading(self, name: str) -> tuple[str, str] | None:
        """The two readings of an ambiguous name: ``(the id it resolves to, the other id)``.

        ``None`` when the name is not ambiguous, is an id written exactly (``"raqqa"``,
        ``"SY-RA"``), or names no place.
        """
        text = str(name).strip()
        key = normalize_name(text)
        other = self._ambiguous_keys_of.get(key)
        chosen = self._keys.get(key)
        if other is None or chosen is None or text == chosen:
            return None
        return chosen, other


def _and_list(names: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _resolve_and_warn(text: str, stacklevel: int) -> tuple[str, ...]:
    """resolve_many, warning once for each ambiguous part (AmbiguousNameWarning)."""
    tree = places()
    readings: list[tuple[str, str, str]] = []

    def lookup(part: str) -> str | None:
        found = tree.get(part)
        both = tree.reading(part) if found is not None else None
        if both is not None:
            readings.append((part.strip(), *both))
        return found

    ids = tree.normalize_ids(_resolve_parts(str(text), lookup, tree._raise_unknown))
    for part, chosen, other in readings:
        warnings.warn(AmbiguousNameWarning(part, chosen, other, tree.label(chosen), tree.label(other)),
                      stacklevel=stacklevel + 1)
    return ids


def resolve_places_in_question(names: str | Iterable[str], *, stacklevel: int = 2) -> tuple[str, ...]:
    """The ids named by a question's place argument, warning on ambiguous names.

    Parameters
    ----------
    names : str or iterable of str
        One text ("Iraq and Syria") or several names and ids.
    stacklevel : int
        Passed on to :func:`warnings.warn`, counted from the caller.

    Returns
    -------
    tuple of str
        Canonical ids (:meth:`~casualties.hierarchy.Hierarchy.normalize_ids`).

    Warns
    -----
    AmbiguousNameWarning
        For each part that two places answer to ("Idlib": the city, not the governorate).

    Raises
    ------
    UnknownNameError
        For the first part that names no place.
    """
    if isinstance(names, str):
        return _resolve_and_warn(names, stacklevel)
    ids: list[str] = []
    for name in names:
        ids.extend(_resolve_and_warn(name, stacklevel))
    return places().normalize_ids(ids)


@functools.cache
def places() -> PlaceTree:
    """Return the place tree (built once, then cached).

    The root is ``world``; under it every ISO 3166-1 country (id = alpha-2 code; aliases its
    ISO names and alpha-3 code), under each country its ISO 3166-2 subdivisions (id = code;
    aliases "<name> <type>", "<name> Governorate", "<name> Province"), and the places of
    ``data/places.csv``, whose rows also add English spellings to ISO ids.

    Returns
    -------
    PlaceTree
        A :class:`~casualties.hierarchy.Hierarchy` of vocabulary "place", with English display
        names and labels. A name that several ISO subdivisions share at the same precedence
        ("Central") resolves to none of them (:attr:`Hierarchy.ambiguous_keys`); use the code.

    Raises
    ------
    ValueError
        If ``data/places.csv`` is malformed or two of its rows claim one name.
    """
    tree, table = _tables()
    hierarchy = PlaceTree.from_frame(tree, "place", drop_ambiguous=True)
    explicit = tree[tree["rank"] == _RANK_EXPLICIT]
    spellings = list(explicit["name"]) + [a for cell in explicit["aliases"] for a in cell]
    clashes = sorted({normalize_name(s) for s in spellings if s} & hierarchy.ambiguous_keys)
    if clashes:
        raise ValueError(f"places.csv: names claimed by two of its rows: {clashes}")
    hierarchy._attach(dict(zip(table["id"], table["display_name"])), dict(zip(table["id"], table["level"])),
                      frozenset(explicit.loc[explicit["name"] != "", "id"]))
    return hierarchy


#: :func:`places` under a name that cannot clash with this module: once ``casualties.places`` is
#: imported, the attribute ``casualties.places`` is the module, so ``casualties.places()`` fails;
#: ``casualties.place_tree()`` does not.
place_tree = places


def place_table() -> pd.DataFrame:
    """Return every place with its kind and coordinates.

    Returns
    -------
    pandas.DataFrame
        One row per id, in the tree's pre-order, columns ``id, name, parent`` (empty for the
        root), ``kind`` ("world", "country", "subdivision" for ISO 3166-2 entries, or one of
        :data:`PLACE_KINDS`), ``subdivision_type`` (ISO's type, "Province", "Governorate",
        "Region"...; empty for others), ``latitude`` and ``longitude`` [degrees north and east,
        WGS 84; approximate; missing for ISO entries], ``display_name`` (English,
        :meth:`PlaceTree.display_name`) and ``level`` (:meth:`PlaceTree.level`).
    """
    _, table = _tables()
    order = pd.Index(places().ids)
    return table.set_index("id").loc[order].rename_axis("id").reset_index()


def resolve_place(name: str) -> str:
    """Return the id of one place name ("Ar Raqqah" -> ``"SY-RA"``, "Raqqa" -> ``"raqqa"``).

    Warns
    -----
    AmbiguousNameWarning
        When two places answer to the name ("Idlib" is the city; "Idlib governorate" asks for
        the governorate, "Idlib city" for the city without a warning).

    Raises
    ------
    UnknownNameError
        With suggestions.
    """
    id_ = places().resolve(name)
    both = places().reading(name)
    if both is not None:
        tree = places()
        warnings.warn(AmbiguousNameWarning(str(name).strip(), *both, tree.label(both[0]), tree.label(both[1])),
                      stacklevel=2)
    return id_


def resolve_places(text: str) -> tuple[str, ...]:
    """Return the ids named by a text of one or several places ("Iraq and Syria" -> ``("IQ", "SY")``).

    Warns
    -----
    AmbiguousNameWarning
        For each part that two places answer to (see :func:`resolve_place`).

    Raises
    ------
    UnknownNameError
        For the first part that names no place.
    """
    return _resolve_and_warn(text, 2)


@functools.cache
def _subdivisions() -> frozenset[str]:
    _, table = _tables()
    return frozenset(table.loc[table["kind"] == "subdivision", "id"])


@functools.cache
def _country_tree(country: str) -> Hierarchy:
    """The subtree of one country, so that its own names win over other countries'."""
    world = places()
    members = {country, *world.descendants(country)}
    tree, _ = _tables()
    subtree = tree[tree["id"].isin(members)].copy()
    subtree.loc[subtree["id"] == country, "parent"] = ""
    return Hierarchy.from_frame(subtree, "place", drop_ambiguous=True)


def _governorate_of(id_: str) -> str:
    """The nearest ISO subdivision containing ``id_`` (itself if it is one), else ``id_``."""
    subdivisions = _subdivisions()
    for candidate in (id_, *places().ancestors(id_)):
        if candidate in subdivisions:
            return candidate
    return id_


def _country_id(country: str) -> str:
    world = places()
    id_ = world.resolve(country)
    if world.parent(id_) != WORLD:
        raise ValueError(f"{country!r} is not a country (it resolves to {id_!r})")
    return id_


def resolve_governorate(text: str, country: str = "SY", *, fuzzy_cutoff: float | None = None) -> tuple[str, ...]:
    """Resolve one cell of a column known to hold governorates (provinces, admin1).

    Parameters
    ----------
    text : str
        One or several names ("Raqqa", "Hama and Idlib governorate", "northern Aleppo").
    country : str
        The country whose names win ("SY" or any spelling of it).
    fuzzy_cutoff : float, optional
        If given (0 to 1, e.g. 0.8), a name that matches nothing is taken as the closest name of
        the country at least this similar (difflib's ratio): "Aleppoo" is Aleppo. Off by default.

    Returns
    -------
    tuple of str
        Canonical ids. Every place found is replaced by the ISO subdivision that contains it
        ("Raqqa", the city, gives ``SY-RA``; "Kobani" gives ``SY-HL``); countries and regions
        above the subdivisions are kept ("Syria" gives ``SY``).

    Raises
    ------
    UnknownNameError
        For the first part that names no place.

    Notes
    -----
    A name is looked up among the country's places first, then the world's; failing both,
    words that narrow it are stripped ("northern", "eastern", "countryside of", "rural";
    "... countryside", "... district", "... governorate"), since the governorate containing
    "northern Aleppo" is Aleppo's. This is right for a column of governorates only: a *total*
    given for northern Aleppo is not a total for the governorate, so :func:`resolve_place`
    does not strip such words.
    """
    local, world = _country_tree(_country_id(country)), places()

    def lookup(part: str) -> str | None:
        key = normalize_name(part)
        while key:
            found = local.get(key) or world.get(key)
            if found is not None:
                return found
            stripped = normalize_name(_TRAILING.sub("", _LEADING.sub("", key)))
            key = stripped if stripped != key else ""
        return None

    def last_resort(part: str) -> str:
        if fuzzy_cutoff is not None:
            close = local.suggest(part, n=1, cutoff=fuzzy_cutoff)
            if close:
                return local.resolve(close[0])
        raise UnknownNameError(part, "place", local.suggest(part) or world.suggest(part))

    ids = _resolve_parts(str(text), lookup, last_resort)
    return world.normalize_ids(_governorate_of(i) for i in ids)


def resolve_governorates(values: pd.Series, country: str = "SY", *,
                         fuzzy_cutoff: float | None = None) -> tuple[pd.Series, pd.Series]:
    """Resolve a column known to hold governorates (an ``admin1`` or region column).

    Each distinct value is resolved once with :func:`resolve_governorate`.

    Parameters
    ----------
    values : pandas.Series
        Names; missing values stay missing and are not failures.
    country : str
        The country whose names win.
    fuzzy_cutoff : float, optional
        See :func:`resolve_governorate`.

    Returns
    -------
    ids : pandas.Series of str
        Canonical ids joined by ``|``; missing where resolution failed.
    problems : pandas.Series of str
        Why each failing value failed; missing where it did not.

    Examples
    --------
    >>> ids, problems = resolve_governorates(pd.Series(["Raqqa", "Deir ez Zor", "Hama and Idlib"]))
    >>> list(ids)
    ['SY-RA', 'SY-DY', 'SY-HM|SY-ID']
    """
    _country_id(country)
    return _resolve_unique(values, lambda v: join_ids(resolve_governorate(v, country, fuzzy_cutoff=fuzzy_cutoff)))
