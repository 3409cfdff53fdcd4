"""The place tree: the world, every ISO 3166 country and subdivision, and named places.

Ids are ISO 3166-1 alpha-2 codes for countries (``SY``), ISO 3166-2 codes for subdivisions
(``SY-RA``, Ar Raqqah governorate) and lowercase slugs from ``data/places.csv`` for cities, towns,
districts and sites (``raqqa``, ``al-mashlab``, ``division-17``). A bare city name means the city
("Raqqa" is ``raqqa``); the governorate answers to its ISO name and to "... Governorate" /
"... Province" spellings ("Ar Raqqah", "Raqqa Governorate"). Columns known to hold governorates,
where the bare name means the governorate, are read with :func:`resolve_governorates`.
See ``docs/places.md``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pandas as pd

from casualties._resources import data_path
from casualties.errors import UnknownNameError
from casualties.hierarchy import Hierarchy, _resolve_parts, _resolve_unique, join_ids, normalize_name

__all__ = [
    "WORLD",
    "PLACE_KINDS",
    "places",
    "place_tree",
    "place_table",
    "resolve_place",
    "resolve_places",
    "resolve_governorate",
    "resolve_governorates",
]

#: The id of the root of the place tree.
WORLD = "world"
#: The kinds of place a row of ``data/places.csv`` may define.
PLACE_KINDS = ("city", "town", "district", "village", "site", "region")

# ranks: explicit rows of places.csv first, then countries, then ISO 3166-2 subdivisions
_RANK_EXPLICIT, _RANK_COUNTRY, _RANK_SUBDIVISION = 0, 1, 2
_PLACE_COLUMNS = ["id", "name", "parent", "kind", "subdivision_type", "latitude", "longitude"]
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
                     "subdivision_type": sub.type or ""})
    iso = pd.DataFrame(rows)
    explicit = _read_places_csv()
    explicit = explicit.assign(rank=_RANK_EXPLICIT, aliases=explicit["aliases"].str.split(";"))
    tree = pd.concat([iso, explicit[["id", "name", "parent", "aliases", "rank"]]], ignore_index=True)
    defined = explicit[explicit["name"] != ""]
    coordinates = defined[["latitude", "longitude"]].apply(pd.to_numeric, errors="raise")
    table = pd.concat([iso.assign(latitude=float("nan"), longitude=float("nan")),
                       defined[["id", "name", "parent", "kind"]].join(coordinates)], ignore_index=True)
    table["subdivision_type"] = table["subdivision_type"].fillna("")
    return tree, table[_PLACE_COLUMNS]


@functools.cache
def places() -> Hierarchy:
    """Return the place tree (built once, then cached).

    The root is ``world``; under it every ISO 3166-1 country (id = alpha-2 code; aliases its
    ISO names and alpha-3 code), under each country its ISO 3166-2 subdivisions (id = code;
    aliases "<name> <type>", "<name> Governorate", "<name> Province"), and the places of
    ``data/places.csv``, whose rows also add English spellings to ISO ids.

    Returns
    -------
    Hierarchy
        Vocabulary "place". A name that several ISO subdivisions share at the same precedence
        ("Central") resolves to none of them (:attr:`Hierarchy.ambiguous_keys`); use the code.

    Raises
    ------
    ValueError
        If ``data/places.csv`` is malformed or two of its rows claim one name.
    """
    tree, _ = _tables()
    hierarchy = Hierarchy.from_frame(tree, "place", drop_ambiguous=True)
    explicit = tree[tree["rank"] == _RANK_EXPLICIT]
    spellings = list(explicit["name"]) + [a for cell in explicit["aliases"] for a in cell]
    clashes = sorted({normalize_name(s) for s in spellings if s} & hierarchy.ambiguous_keys)
    if clashes:
        raise ValueError(f"places.csv: names claimed by two of its rows: {clashes}")
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
        WGS 84; approximate; missing for ISO entries].
    """
    _, table = _tables()
    order = pd.Index(places().ids)
    return table.set_index("id").loc[order].rename_axis("id").reset_index()


def resolve_place(name: str) -> str:
    """Return the id of one place name ("Ar Raqqah" -> ``"SY-RA"``, "Raqqa" -> ``"raqqa"``).

    Raises
    ------
    UnknownNameError
        With suggestions.
    """
    return places().resolve(name)


def resolve_places(text: str) -> tuple[str, ...]:
    """Return the ids named by a text of one or several places ("Iraq and Syria" -> ``("IQ", "SY")``).

    Raises
    ------
    UnknownNameError
        For the first part that names no place.
    """
    return places().resolve_many(text)


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
