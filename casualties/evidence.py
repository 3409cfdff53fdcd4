"""The evidence that two incidents of different sources are one event (internal; the public face
is :mod:`casualties.linking`).

An **incident** is the claims of one source sharing an ``incident_id`` (``kind == "incident"``).
:func:`incident_table` gathers each incident's date range, places, location text, coordinates,
perpetrators and counts; :func:`candidate_pairs` finds the pairs of incidents of different sources
that share a governorate and lie at most a few days apart (an interval join, output-sensitive);
:func:`compare` grades every pair on six pieces of evidence, each a small integer level (``-1``:
nothing to compare, which counts for neither side), and :func:`sentences` says in words what each
pair has in common. Everything is vectorised: long tables (one row per incident and place,
perpetrator, count or location token) merged with the pairs, never a loop over incidents.

Place names written in Latin script are compared by :func:`transliteration_key` and
:func:`skeleton`, which make "al-Mashlab", "Al Mashlab" and "Mishlab" agree.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pandas as pd

__all__ = [
    "COMPARISONS",
    "LEVELS",
    "Incidents",
    "candidate_pairs",
    "compare",
    "haversine_km",
    "incident_table",
    "sentences",
    "skeleton",
    "transliteration_key",
]

#: The pieces of evidence, in the order of :func:`compare`'s columns.
COMPARISONS = ("days", "place", "distance", "location", "perpetrator", "counts", "other_counts")

#: The levels of each piece of evidence, from the most to the least alike (level ``i`` is
#: ``LEVELS[name][i]``; level ``-1``, nothing to compare, is not listed).
LEVELS: dict[str, tuple[str, ...]] = {
    "days": ("same day", "1 day apart", "2 or more days apart"),
    "place": ("same place", "one place inside the other", "sibling places"),
    "distance": ("within 1 km", "1-5 km", "5-20 km", "over 20 km"),
    "location": ("same name", "same consonants", "most words shared", "a word shared", "different names"),
    "perpetrator": ("same perpetrator", "overlapping (disputed) perpetrators", "perpetrator unknown", "different perpetrators"),
    "other_counts": ("two or more other counts overlap", "the other count overlaps", "other counts within a factor 1.5",
                     "other counts differ"),
    "counts": ("counts overlap at 5 or more", "counts overlap", "counts within a factor 1.5", "counts within a factor 3",
               "counts further apart"),
}

#: Distance levels' upper bounds [km].
DISTANCE_BOUNDS_KM = (1.0, 5.0, 20.0)
#: Ratio bounds of the count levels: (greater low + 1) / (smaller high + 1).
COUNT_RATIOS = (1.5, 3.0)
#: Overlapping counts whose common part starts at this many or more [people] are the rarer, stronger level.
LARGE_COUNT = 5
#: Which shared count is compared, most telling first: (category, outcome).
COUNT_PRIORITY = (("civilian", "killed"), ("all", "killed"), ("combatant", "killed"), ("children", "killed"),
                  ("women", "killed"), ("civilian", "injured"), ("all", "injured"))
#: Perpetrator ids that say nothing about who did it.
UNKNOWN_PERPETRATORS = ("all", "unknown")

_ARTICLES = ("al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "er", "es", "et", "ez", "il", "l")
#: Words of a location that name no place (dropped before comparing names).
_GENERIC = frozenset(_ARTICLES + (
    "of", "the", "in", "near", "and", "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "northeast", "northwest", "southeast", "southwest", "outskirts", "countryside", "rural", "district", "subdistrict",
    "sub", "village", "town", "city", "governorate", "province", "area", "region", "road", "neighbourhood",
    "neighborhood", "center", "centre", "between", "around", "vicinity", "countryside", "farms", "camp"))
_VARIANTS = (("ph", "f"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("q", "k"), ("e", "i"), ("o", "u"), ("y", "i"),
             ("dh", "d"), ("gh", "g"), ("j", "g"), ("c", "k"))


def transliteration_key(text: pd.Series) -> pd.Series:
    """The spelling-blind key of place names written in Latin script, as space-separated words.

    Lower-cased, diacritics and apostrophes (hamza, ayn) dropped, text in parentheses dropped,
    split into words at anything not a letter, the article (al-, el-, ad-, ar-, as-, ash-, at-,
    az-...) and generic words ("village", "countryside", "north of"...) dropped, doubled letters
    collapsed, a final h after a vowel dropped (ta marbuta: "Hazimah", "Hazima") and common
    variants mapped (q/k, ou/u, ee/i, e/i, o/u, y/i, ph/f, dh/d, gh/g, j/g, c/k).
    ``"al-Mashlab"`` and ``"Al Mashlab"`` give ``"mashlab"``; ``"Ma'arasta Al Khan"`` gives
    ``"marasta khan"``. Text with no Latin letter (Arabic script, "خان شيخون") is kept as its
    words (NFKC, split at anything not a letter), so that it agrees with the same spelling only.
    Missing text gives ``""``.

    Parameters
    ----------
    text : pandas.Series of str

    Returns
    -------
    pandas.Series of str
        Indexed like ``text``.
    """
    plain = text.astype(object).where(text.notna(), "").astype(str)
    plain = plain.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii").str.lower()
    plain = plain.str.replace(r"\([^)]*\)", " ", regex=True).str.replace(r"['`\"]", "", regex=True)
    words = plain.str.split(r"[^a-z]+", regex=True).explode()
    words = words[words.notna() & words.ne("") & ~words.isin(_GENERIC)]
    words = words.str.replace(r"(.)\1+", r"\1", regex=True).str.replace(r"(?<=[aeiou])h$", "", regex=True)
    for old, new in _VARIANTS:
        words = words.str.replace(old, new, regex=False)
    # a groupby sum concatenates in one pass (no Python call per incident, unlike agg(" ".join))
    joined = (words + " ").groupby(level=0, sort=False).sum().str.rstrip(" ") if len(words) else pd.Series(dtype=str)
    out = pd.Series(joined.reindex(plain.index).fillna("").to_numpy(), index=text.index, dtype=str)
    original = text.astype(object).where(text.notna(), "").astype(str)
    other_script = ~original.str.contains(r"[A-Za-z]", regex=True) & original.str.contains(r"[^\W\d_]", regex=True)
    if other_script.any():
        words_of = original[other_script].str.normalize("NFKC").str.replace(r"[\W\d_]+", " ", regex=True).str.strip()
        out[other_script] = words_of
    return out


def skeleton(key: pd.Series) -> pd.Series:
    """The consonants of a :func:`transliteration_key` (vowels, ``w``, ``h`` after a consonant
    and spaces dropped): "mashlab" and "mishlab" both give "mslb"."""
    return key.str.replace(r"(?<=[bcdfgjklmnpqrstvxz])h", "", regex=True).str.replace(r"[aeiouyw ]", "", regex=True)


def haversine_km(lat_a: np.ndarray, lon_a: np.ndarray, lat_b: np.ndarray, lon_b: np.ndarray) -> np.ndarray:
    """Great-circle distance [km] between WGS84 points given in degrees (a sphere of radius
    6,371 km); NaN where a coordinate is missing."""
    phi_a, phi_b = np.radians(lat_a), np.radians(lat_b)
    dphi, dlam = phi_b - phi_a, np.radians(lon_b - lon_a)
    h = np.sin(dphi / 2) ** 2 + np.cos(phi_a) * np.cos(phi_b) * np.sin(dlam / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


@dataclasses.dataclass(frozen=True)
class Incidents:
    """The incidents of a claims frame, as one wide table and long tables keyed by its row.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per incident (position = incident number): ``source, incident_id, first_day,
        last_day`` (days since 1970 [day]), ``location`` (as the source wrote it, ``""`` when
        unknown), ``key`` and ``skeleton`` of the location (``""`` when unknown or naming only a
        governorate), ``latitude, longitude`` [degrees], ``perpetrator`` (as the first claim gives it).
    places, governorates, perpetrators : pandas.DataFrame
        ``incident, id``: each place id, governorate (the ISO subdivision holding a place, else
        the place) and perpetrator id of an incident, once.
    counts : pandas.DataFrame
        ``incident, category, outcome, low, high, priority``: the range of each count an
        incident gives [people] (least low, greatest high of its claims), ``priority`` the position
        in :data:`COUNT_PRIORITY` (later categories after it).
    tokens : pandas.DataFrame
        ``incident, token``: the skeleton of each word of the location (the word itself when
        its skeleton is a single letter; words of one letter are left out), once.
    """

    table: pd.DataFrame
    places: pd.DataFrame
    governorates: pd.DataFrame
    perpetrators: pd.DataFrame
    counts: pd.DataFrame
    tokens: pd.DataFrame


def _long(frame: pd.DataFrame, number: np.ndarray, column: str) -> pd.DataFrame:
    """``incident, id`` for the ``|``-joined ids of a column, each pair once."""
    ids = frame[column].astype(object).where(frame[column].notna(), "").astype(str).str.split("|")
    out = pd.DataFrame({"incident": number, "id": ids.to_numpy()}).explode("id")
    out["id"] = out["id"].str.strip()
    return out[out["id"].ne("")].drop_duplicates(ignore_index=True)


@functools.cache
def _region_keys() -> pd.DataFrame:
    """``id, key``: the transliteration key of every name of every country and ISO subdivision."""
    from casualties.places import place_table, places

    table = place_table()
    wanted = table[table["kind"].isin(["subdivision", "country"])]
    tree = places()
    aliases = [(i, a) for i in wanted["id"] for a in tree.aliases(i)]
    names = pd.DataFrame({"id": [*wanted["id"], *wanted["id"], *(i for i, _ in aliases)],
                          "name": [*wanted["name"], *wanted["display_name"], *(a for _, a in aliases)]})
    names["key"] = transliteration_key(names["name"]).to_numpy()
    return names.loc[names["key"].ne(""), ["id", "key"]].drop_duplicates(ignore_index=True)


def _names_region(key: pd.Series, governorates: pd.DataFrame) -> np.ndarray:
    """Whether each incident's location key is a name of one of its own governorates or of the
    country holding one ("Deir ez-Zor", "Raqqa", "Syria" alone: no finer place)."""
    from casualties.places import places

    tree = places()
    codes, uniques = pd.factorize(governorates["id"])
    parents = np.asarray([tree.parent(i) or i for i in uniques], dtype=object)
    regions = pd.concat([governorates, governorates.assign(id=parents[codes])], ignore_index=True)
    named = regions.merge(_region_keys(), on="id")
    hit = named["key"].to_numpy() == key.to_numpy()[named["incident"].to_numpy()]
    out = np.zeros(len(key), dtype=bool)
    out[named["incident"].to_numpy()[hit]] = True
    return out


def _governorates_of(ids: pd.Series) -> pd.Series:
    """The governorate of each place id (its nearest ISO subdivision, else itself), each distinct
    id looked up once."""
    from casualties.places import _governorate_of

    codes, uniques = pd.factorize(ids)
    return pd.Series(np.asarray([_governorate_of(i) for i in uniques], dtype=object)[codes], index=ids.index)


def incident_table(claims: pd.DataFrame, sources: list[str] | None = None) -> Incidents:
    """Gather the incidents of ``claims`` (of ``sources`` only, if given); see :class:`Incidents`.

    The optional columns ``location``, ``latitude`` and ``longitude`` count as missing when
    absent. Claims with ``kind`` other than ``"incident"`` are left out.
    """
    kind = claims["kind"].astype(str) if "kind" in claims else pd.Series("incident", index=claims.index)
    rows = claims[kind.eq("incident").to_numpy()]
    if sources is not None:
        rows = rows[rows["source"].isin(list(sources)).to_numpy()]
    rows = rows.reset_index(drop=True)
    keys = rows[["source", "incident_id"]].astype(str)
    grouped = keys.groupby(["source", "incident_id"], sort=True)
    number = grouped.ngroup().to_numpy()
    first = keys.drop_duplicates(["source", "incident_id"]).assign(_n=number[~keys.duplicated(["source", "incident_id"]).to_numpy()])
    first = first.sort_values("_n")
    starts = rows["start"].to_numpy().astype("datetime64[D]").astype(np.int64)
    ends = rows["end"].fillna(rows["start"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    n = len(first)
    table = pd.DataFrame({"source": first["source"].to_numpy(), "incident_id": first["incident_id"].to_numpy()})
    table["first_day"] = pd.Series(starts).groupby(number).min().reindex(range(n)).to_numpy()
    table["last_day"] = pd.Series(ends).groupby(number).max().reindex(range(n)).to_numpy()
    location = rows["location"] if "location" in rows else pd.Series("", index=rows.index, dtype=object)
    location = location.astype(object).where(location.notna() & location.astype(str).str.strip().ne(""))
    table["location"] = location.groupby(number).first().reindex(range(n)).fillna("").astype(str).to_numpy()
    for column in ("latitude", "longitude"):
        values = pd.to_numeric(rows[column], errors="coerce") if column in rows else pd.Series(np.nan, index=rows.index)
        table[column] = values.groupby(number).mean().reindex(range(n)).to_numpy(dtype=float)
    perpetrator = rows["perpetrator"] if "perpetrator" in rows else pd.Series("all", index=rows.index)
    table["perpetrator"] = perpetrator.groupby(number).first().reindex(range(n)).fillna("all").astype(str).to_numpy()
    places = _long(rows, number, "place")
    governorates = places.assign(id=_governorates_of(places["id"])).drop_duplicates(ignore_index=True)
    key = transliteration_key(table["location"])
    key = key.where(~_names_region(key, governorates), "")
    table["key"], table["skeleton"] = key, skeleton(key)
    perpetrators = _long(rows.assign(perpetrator=perpetrator), number, "perpetrator")
    counts = pd.DataFrame({"incident": number, "category": rows["category"].astype(str).to_numpy(),
                           "outcome": rows["outcome"].astype(str).to_numpy(),
                           "low": rows["low"].to_numpy(dtype=float),
                           "high": rows["high"].fillna(np.inf).to_numpy(dtype=float) if "high" in rows else np.inf})
    counts = counts.groupby(["incident", "category", "outcome"], sort=False, as_index=False).agg(low=("low", "min"), high=("high", "max"))
    order = pd.DataFrame(COUNT_PRIORITY, columns=["category", "outcome"]).assign(priority=np.arange(len(COUNT_PRIORITY)))
    counts = counts.merge(order, on=["category", "outcome"], how="left")
    counts["priority"] = counts["priority"].fillna(len(order)).astype(np.int64)
    words = key.str.split(" ").explode()
    words = skeleton(words[words.notna() & words.ne("")])
    tokens = pd.DataFrame({"incident": words.index.to_numpy(), "token": words.to_numpy()})
    plain = key.str.split(" ").explode()
    plain = plain[plain.notna() & plain.ne("")]
    tokens["token"] = tokens["token"].where(tokens["token"].str.len() >= 2, plain.to_numpy())
    tokens = tokens[tokens["token"].str.len() >= 2].drop_duplicates(ignore_index=True)
    return Incidents(table, places, governorates, perpetrators, counts, tokens)


def candidate_pairs(incidents: Incidents, max_gap_days: int = 2) -> pd.DataFrame:
    """Pairs of incidents of different sources that share a governorate and lie at most
    ``max_gap_days`` apart [days], each pair once (``a`` of the source first in sort order),
    leaving out pairs of two sources that share incident ids (their ids already say which of
    their incidents are one event).

    Returns
    -------
    pandas.DataFrame
        ``a, b``: incident numbers (rows of ``incidents.table``), int64.
    """
    from casualties.engine import _overlapping_days

    table, governorates = incidents.table, incidents.governorates
    empty = pd.DataFrame({"a": np.zeros(0, np.int64), "b": np.zeros(0, np.int64)})
    if governorates.empty or table["source"].nunique() < 2:
        return empty
    # one interval per (incident, governorate) on one axis, each governorate in a block of its
    # own: [first, last + gap + 1) of two intervals overlap iff the days lie <= gap apart
    gov_code = pd.factorize(governorates["id"])[0].astype(np.int64)
    inc = governorates["incident"].to_numpy()
    first, last = table["first_day"].to_numpy()[inc], table["last_day"].to_numpy()[inc]
    origin = int(table["first_day"].min())
    block = int(table["last_day"].max()) - origin + max_gap_days + 2
    start = gov_code * block + (first - origin)
    stop = gov_code * block + (last - origin) + max_gap_days + 1
    # one join per source against the sources after it: pairs within a source are never made
    source = table["source"].to_numpy()[inc]
    names = np.unique(source)
    found_a, found_b = [], []
    for name in names[:-1]:
        left, right = np.flatnonzero(source == name), np.flatnonzero(source > name)
        i, j = _overlapping_days(start, stop, left, right)
        found_a.append(inc[left[i]])
        found_b.append(inc[right[j]])
    if not found_a:
        return empty
    pairs = pd.DataFrame({"a": np.concatenate(found_a), "b": np.concatenate(found_b)}).drop_duplicates(ignore_index=True)
    # Two sources that share incident ids name each other's incidents (the coalition assesses
    # Airwars' codes): the ids already say which of their incidents are one event, and an
    # incident the other source did not name is another event, not a candidate.
    ids, source_of = table["incident_id"].to_numpy().astype(str), table["source"].to_numpy().astype(str)
    shared = table.assign(incident_id=ids, source=source_of).merge(table.assign(incident_id=ids, source=source_of),
                                                                   on="incident_id", suffixes=("_a", "_b"))
    shared = shared[shared["source_a"] < shared["source_b"]]
    cross = pd.Index(shared["source_a"] + "\x1f" + shared["source_b"]).unique()
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    pairs = pairs[~pd.Index(source_of[a] + "\x1f" + source_of[b]).isin(cross)]
    return pairs.sort_values(["a", "b"], ignore_index=True)


def _relation(pairs: pd.DataFrame, long: pd.DataFrame, tree: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair of incidents, over their id sets in ``long`` (``incident, id``): whether the sets
    are equal, whether one lies under the other (every id of one under an id of the other), and
    whether they touch (an id of one under or over an id of the other). Pairs lacking ids on a
    side get False."""
    n = len(pairs)
    cross = (pairs[["a", "b"]].assign(pair=np.arange(n))
             .merge(long.rename(columns={"incident": "a", "id": "id_a"}), on="a")
             .merge(long.rename(columns={"incident": "b", "id": "id_b"}), on="b"))
    if cross.empty:
        return (np.zeros(n, bool),) * 3
    a_under = tree.contains_array(cross["id_b"].to_numpy(dtype=object), cross["id_a"].to_numpy(dtype=object))
    b_under = tree.contains_array(cross["id_a"].to_numpy(dtype=object), cross["id_b"].to_numpy(dtype=object))
    cross = cross.assign(a_under=a_under, b_under=b_under, equal=cross["id_a"].eq(cross["id_b"]))
    per_a = cross.groupby(["pair", "id_a"]).agg(under=("a_under", "any"), same=("equal", "any")).groupby("pair").all()
    per_b = cross.groupby(["pair", "id_b"]).agg(under=("b_under", "any"), same=("equal", "any")).groupby("pair").all()
    touch = (cross["a_under"] | cross["b_under"]).groupby(cross["pair"]).any()
    out = []
    for values in (per_a["same"] & per_b["same"], per_a["under"] | per_b["under"], touch):
        out.append(values.reindex(range(n), fill_value=False).to_numpy(dtype=bool))
    return out[0], out[1], out[2]


def compare(incidents: Incidents, pairs: pd.DataFrame) -> pd.DataFrame:
    """Grade each pair on every piece of evidence (:data:`COMPARISONS`, levels of :data:`LEVELS`).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``pairs``: one int8 column per comparison (``-1``: nothing to compare),
        then ``gap_days`` [days], ``distance_km`` [km] (NaN without both coordinates) and, for
        :func:`sentences`, ``count_a_low, count_a_high, count_b_low, count_b_high`` [people]
        and ``count_category, count_outcome`` of the count compared, and ``n_other_counts``,
        how many other (category, outcome) counts both incidents give (``other_counts`` grades
        the worst of them).
    """
    from casualties.names import perpetrators
    from casualties.places import places

    table = incidents.table
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    n = len(pairs)
    out = pd.DataFrame(index=pairs.index)
    first, last = table["first_day"].to_numpy(), table["last_day"].to_numpy()
    gap = np.maximum(0, np.maximum(first[a], first[b]) - np.minimum(last[a], last[b]))
    out["days"] = np.minimum(gap, 2).astype(np.int8)

    same, inside, _ = _relation(pairs, incidents.places, places())
    out["place"] = np.where(same, 0, np.where(inside, 1, 2)).astype(np.int8)

    lat, lon = table["latitude"].to_numpy(), table["longitude"].to_numpy()
    km = haversine_km(lat[a], lon[a], lat[b], lon[b])
    level = np.searchsorted(np.asarray(DISTANCE_BOUNDS_KM), km, side="left")
    out["distance"] = np.where(np.isnan(km), -1, level).astype(np.int8)

    key, skel = table["key"].to_numpy(dtype=object), table["skeleton"].to_numpy(dtype=object)
    known = (key[a] != "") & (key[b] != "")
    tokens = incidents.tokens
    shared_word = (pairs[["a", "b"]].assign(pair=np.arange(n))
                   .merge(tokens.rename(columns={"incident": "a"}), on="a")
                   .merge(tokens.rename(columns={"incident": "b"}), on=["b", "token"]))
    shared = np.bincount(shared_word["pair"].to_numpy(), minlength=n)
    words = np.bincount(tokens["incident"].to_numpy(), minlength=len(table))
    fewer = np.maximum(np.minimum(words[a], words[b]), 1)
    level = np.select([key[a] == key[b], (skel[a] == skel[b]) & (skel[a] != ""), 2 * shared >= fewer, shared > 0],
                      [0, 1, 2, 3], 4)
    out["location"] = np.where(known, level, -1).astype(np.int8)

    long = incidents.perpetrators
    vague = long.assign(vague=long["id"].isin(UNKNOWN_PERPETRATORS)).groupby("incident")["vague"]
    only_vague = vague.all().reindex(range(len(table)), fill_value=True).to_numpy()
    some_vague = vague.any().reindex(range(len(table)), fill_value=True).to_numpy()
    definite = long[~long["id"].isin(UNKNOWN_PERPETRATORS)]
    same, _, touch = _relation(pairs, definite, perpetrators())
    level = np.select([only_vague[a] | only_vague[b], same & ~some_vague[a] & ~some_vague[b], touch,
                       some_vague[a] | some_vague[b]], [2, 0, 1, 2], 3)
    out["perpetrator"] = level.astype(np.int8)

    counts = incidents.counts
    both = (pairs[["a", "b"]].assign(pair=np.arange(n))
            .merge(counts.rename(columns={"incident": "a", "low": "low_a", "high": "high_a"}), on="a")
            .merge(counts.drop(columns="priority").rename(columns={"incident": "b", "low": "low_b", "high": "high_b"}),
                   on=["b", "category", "outcome"]))
    both = both.sort_values(["pair", "priority"], kind="stable")
    # the other counts both give (children, women... after civilians): the worst agreement, and
    # whether two or more agree; several counts that agree tell one strike from its neighbours
    rest = both[both.duplicated("pair").to_numpy()]
    with np.errstate(invalid="ignore", divide="ignore"):
        rest_ratio = ((np.maximum(rest["low_a"], rest["low_b"]) + 1) / (np.minimum(rest["high_a"], rest["high_b"]) + 1)).to_numpy()
    grouped = pd.Series(rest_ratio).groupby(rest["pair"].to_numpy())
    worst = grouped.max().reindex(range(n)).to_numpy(dtype=float)
    n_other = grouped.size().reindex(range(n), fill_value=0).to_numpy(dtype=np.int64)
    level = np.select([(worst <= 1) & (n_other >= 2), worst <= 1, worst <= COUNT_RATIOS[0]], [0, 1, 2], 3)
    out["other_counts"] = np.where(np.isnan(worst), -1, level).astype(np.int8)
    out["n_other_counts"] = n_other
    both = both.drop_duplicates("pair")
    chosen = both.set_index("pair").reindex(range(n))
    low_a, high_a = chosen["low_a"].to_numpy(float), chosen["high_a"].to_numpy(float)
    low_b, high_b = chosen["low_b"].to_numpy(float), chosen["high_b"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = (np.maximum(low_a, low_b) + 1) / (np.minimum(high_a, high_b) + 1)
    large = np.maximum(low_a, low_b) >= LARGE_COUNT
    level = np.select([(ratio <= 1) & large, ratio <= 1, ratio <= COUNT_RATIOS[0], ratio <= COUNT_RATIOS[1]], [0, 1, 2, 3], 4)
    out["counts"] = np.where(np.isnan(ratio), -1, level).astype(np.int8)

    out["gap_days"] = gap.astype(np.int64)
    out["distance_km"] = km
    out["count_a_low"], out["count_a_high"], out["count_b_low"], out["count_b_high"] = low_a, high_a, low_b, high_b
    out["count_category"] = chosen["category"].to_numpy(dtype=object)
    out["count_outcome"] = chosen["outcome"].to_numpy(dtype=object)
    return out


def _count_text(low: pd.Series, high: pd.Series) -> pd.Series:
    """"7", "5-9", "5+" for count ranges [people]."""
    low_text = low.fillna(0).round().astype(np.int64).astype(str)
    high_text = high.where(np.isfinite(high), 0).fillna(0).round().astype(np.int64).astype(str)
    return pd.Series(np.where(low.eq(high), low_text, np.where(np.isinf(high), low_text + "+", low_text + "-" + high_text)),
                     index=low.index, dtype=str)


def sentences(incidents: Incidents, pairs: pd.DataFrame, levels: pd.DataFrame) -> pd.Series:
    """One sentence per pair saying what its incidents share and where they differ, e.g.
    "same day, 0.4 km apart, 'al-Mashlab' ~ 'Al Mashlab', same perpetrator (coalition), civilian
    killed 5-9 and 7 overlap"."""
    table = incidents.table
    index = pairs.index
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()

    def column(values: object) -> pd.Series:
        return pd.Series(values, index=index, dtype=str)

    gap = levels["gap_days"]
    days = column(np.where(gap.eq(0), "same day", gap.astype(str) + np.where(gap.eq(1), " day apart", " days apart")))
    km = levels["distance_km"]
    distance = column(np.where(km.isna(), "", km.fillna(0).round(1).astype(str) + " km apart"))
    place = column(np.asarray(LEVELS["place"], dtype=object)[levels["place"].to_numpy()])
    loc_a = column(table["location"].to_numpy(dtype=object)[a])
    loc_b = column(table["location"].to_numpy(dtype=object)[b])
    location_level = levels["location"]
    joint = np.where(location_level.between(0, 3), " ~ ", " vs ")
    location = column(np.where(location_level.ge(0), "'" + loc_a + "'" + joint + "'" + loc_b + "'", ""))
    perp_a = column(table["perpetrator"].to_numpy(dtype=object)[a])
    perp_b = column(table["perpetrator"].to_numpy(dtype=object)[b])
    p_level = levels["perpetrator"]
    perpetrator = column(np.select(
        [p_level.eq(0), p_level.eq(1), p_level.eq(2)],
        ["same perpetrator (" + perp_a + ")", "perpetrators " + perp_a + " and " + perp_b + " overlap",
         "perpetrator unknown on one side (" + perp_a + " / " + perp_b + ")"],
        "different perpetrators (" + perp_a + " vs " + perp_b + ")"))
    c_level = levels["counts"]
    what = column(levels["count_category"].fillna("").astype(str) + " " + levels["count_outcome"].fillna("").astype(str))
    text_a = _count_text(levels["count_a_low"], levels["count_a_high"])
    text_b = _count_text(levels["count_b_low"], levels["count_b_high"])
    verdict = column(np.asarray(["overlap", "overlap", "are close", "differ", "differ widely"], dtype=object)[c_level.clip(lower=0).to_numpy()])
    counts = column(np.where(c_level.eq(-1), "no comparable counts", what + " " + text_a + " and " + text_b + " " + verdict))
    o_level, o_n = levels["other_counts"], levels["n_other_counts"]
    other = column(np.select(
        [o_level.eq(0), o_level.eq(1), o_level.eq(2), o_level.eq(3)],
        [o_n.astype(str) + " other counts overlap", "1 other count overlaps", "other counts are close", "other counts differ"], ""))
    parts = pd.concat([days, distance, location, place, perpetrator, counts, other], axis=1)
    sentence = parts.iloc[:, 0]
    for k in range(1, parts.shape[1]):
        piece = parts.iloc[:, k]
        sentence = sentence + np.where(piece.ne(""), ", " + piece, "")
    return column(sentence.to_numpy(dtype=object))
