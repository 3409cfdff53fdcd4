"""Test sets for :func:`casualties.link_incidents` built from the real Airwars file.

:func:`linkage_set` makes a second source ("Monitor") out of a seeded sample of Airwars
incidents, each reported the way another monitor might (dates a day or two off, the place
respelled or named only by its governorate, coordinates jittered or missing, a count within or
near Airwars' range, the perpetrator sometimes unknown), plus decoys: incidents Airwars does not
hold (a real village of the governorate on a day when no Airwars incident lies within 5 km or
bears its name). It returns the true pairs, so that :func:`precision_recall` can score links.
:func:`duplicate_code_pairs` gives the real links: rows of the Airwars file that share a code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: The second source's name in :func:`linkage_set`.
MONITOR = "Monitor"
#: Day shifts of the second source and their probabilities.
SHIFTS = ((-1, 0.1), (0, 0.3), (1, 0.4), (2, 0.2))
#: How the second source gives the location: as Airwars, respelled, the governorate only, not at all.
LOCATION_WAYS = (("same", 0.25), ("respelled", 0.4), ("governorate", 0.2), ("missing", 0.15))
#: Coordinates: jitter of sd 0.3 km, of sd 2 km, or missing.
COORDINATE_WAYS = (("near", 0.5), ("far", 0.2), ("missing", 0.3))


def read_airwars_located(path: str | Path) -> pd.DataFrame:
    """Airwars' claims (source Airwars only, with the adapter's ``location``, ``latitude`` and
    ``longitude``), indexed by the file's row (0-based) as :func:`casualties.read_airwars` gives them."""
    import warnings

    import casualties as cas

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        claims = cas.read_airwars(path)
    return claims[claims["source"].eq("Airwars").to_numpy()]


def _choose(rng: np.random.Generator, ways: tuple, n: int) -> np.ndarray:
    names, p = zip(*ways)
    return rng.choice(np.asarray(names, dtype=object), size=n, p=np.asarray(p))


def respell(location: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Spell place names another way, as transliterations do: the article written otherwise or
    dropped, a vowel changed (a/i/e, ou/u), q/k swapped, a letter doubled or undoubled, lower case."""
    out = location.astype(str)
    n = len(out)
    article = rng.integers(0, 4, n)
    for k, replacement in enumerate(("al-", "Al ", "", "el-")):
        mask = article == k
        out[mask] = out[mask].str.replace(r"(?i)\b(al|el|ar|as|ad|ash|at|az)[- ]", replacement, n=1, regex=True)
    for pattern, replacement in (("ou", "u"), (r"(?<=[^aeiou\W])a(?=[^aeiou\W])", "i"), ("q", "k"), ("ee", "i"),
                                 (r"(?<=[aeiou])([bdklmnrst])(?=[aeiou])", r"\1\1"), (r"([a-z])\1", r"\1"),
                                 ("i", "e"), ("y", "i")):
        mask = rng.random(n) < 0.4
        out[mask] = out[mask].str.replace(pattern, replacement, n=1, regex=True)
    lower = rng.random(n) < 0.2
    out[lower] = out[lower].str.lower()
    return out


def _incidents(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per Airwars incident: its first claim's attributes and its date range."""
    first = claims.drop_duplicates("incident_id").set_index("incident_id")
    span = claims.groupby("incident_id").agg(first_day=("start", "min"), last_day=("end", "max"))
    return first.join(span).reset_index()


def linkage_set(claims: pd.DataFrame, seed: int, *, fraction: float = 0.15, decoy_fraction: float = 0.05
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Airwars' claims plus a second source made from a seeded sample of them, and the truth.

    Parameters
    ----------
    claims : pandas.DataFrame
        Airwars' claims with ``location``, ``latitude``, ``longitude`` (:func:`read_airwars_located`).
    seed : int
        The random seed: the same seed gives the same set.
    fraction : float
        Share of Airwars' incidents the second source reports.
    decoy_fraction : float
        Decoys, as a share of Airwars' incidents.

    Returns
    -------
    claims : pandas.DataFrame
        Airwars' claims followed by the second source's (source :data:`MONITOR`, ids ``M<n>``
        for reports of an Airwars incident and ``D<n>`` for decoys).
    truth : pandas.DataFrame
        ``incident_a`` (Airwars' id), ``incident_b`` (the second source's): the true pairs;
        ``distinct``: whether Airwars' incident has no look-alike (another incident of its
        governorate within two days with the same location text, lower-cased).
    """
    rng = np.random.default_rng(seed)
    incidents = _incidents(claims)
    n = len(incidents)
    chosen = incidents.iloc[np.sort(rng.choice(n, size=round(fraction * n), replace=False))].reset_index(drop=True)
    k = len(chosen)
    new_id = f"M{seed}-" + pd.Series(np.arange(k)).astype(str)
    truth = pd.DataFrame({"incident_a": chosen["incident_id"].to_numpy(), "incident_b": new_id.to_numpy(),
                          "distinct": ~chosen["incident_id"].isin(_look_alikes(incidents)).to_numpy()})
    reports = _report(chosen.assign(new_id=new_id.to_numpy()), claims, rng)
    decoys = _decoys(incidents, rng, round(decoy_fraction * n), seed)
    return pd.concat([claims, reports, decoys], ignore_index=True), truth


def _look_alikes(incidents: pd.DataFrame) -> np.ndarray:
    """Ids of Airwars incidents sharing their location text (lower-cased) with another incident of
    their governorate whose first day lies within two days."""
    frame = pd.DataFrame({"id": incidents["incident_id"].to_numpy(),
                          "governorate": incidents["place"].astype(str).str.split("|").str[0].to_numpy(),
                          "location": incidents["location"].astype(str).str.lower().str.strip().to_numpy(),
                          "day": incidents["first_day"].to_numpy().astype("datetime64[D]")})
    frame = frame[frame["location"].ne("")]
    shifted = pd.concat([frame.assign(day=frame["day"] + np.timedelta64(k, "D")) for k in range(-2, 3)])
    both = frame.merge(shifted, on=["governorate", "location", "day"], suffixes=("", "_other"))
    return np.unique(both.loc[both["id"].ne(both["id_other"]), "id"].to_numpy())


def _perturb(incidents: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The second source's view of incidents: shifted days, location, coordinates, perpetrator."""
    k = len(incidents)
    out = pd.DataFrame({"new_id": incidents["new_id"].to_numpy()})
    shift = rng.choice(np.asarray([s for s, _ in SHIFTS]), size=k, p=np.asarray([p for _, p in SHIFTS]))
    out["shift"] = shift.astype("timedelta64[D]")
    way = _choose(rng, LOCATION_WAYS, k)
    # a report gives a finer place than the governorate, or coordinates, when its incident has them:
    # else no one could tell it from the governorate's other strikes that day
    way = np.where(np.isin(way, ["governorate", "missing"]) & np.isnan(incidents["latitude"].to_numpy(dtype=float)), "respelled", way)
    location = incidents["location"].astype(str).reset_index(drop=True)
    from casualties.places import places

    tree = places()
    governorate = tree.display_names(incidents["place"].astype(str).str.split("|").str[0]).reset_index(drop=True)
    location = location.where(way != "respelled", respell(location, rng))
    location = location.where(way != "governorate", governorate)
    out["location"] = location.where(way != "missing", "").to_numpy()
    coordinate = _choose(rng, COORDINATE_WAYS, k)
    coordinate = np.where(np.isin(way, ["governorate", "missing"]) & (coordinate == "missing"), "near", coordinate)
    sd_km = np.where(coordinate == "near", 0.3, 2.0)
    lat = incidents["latitude"].to_numpy(dtype=float)
    out["latitude"] = np.where(coordinate == "missing", np.nan, lat + rng.normal(0, 1, k) * sd_km / 111.0)
    out["longitude"] = np.where(coordinate == "missing", np.nan, incidents["longitude"].to_numpy(dtype=float)
                                + rng.normal(0, 1, k) * sd_km / (111.0 * np.cos(np.radians(np.nan_to_num(lat, nan=35.0)))))
    named = incidents["perpetrator"].astype(str).str.split("|").str[0].to_numpy(dtype=object)
    out["perpetrator"] = np.where(rng.random(k) < 0.3, "unknown", named)
    return out


def _report(chosen: pd.DataFrame, claims: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Every claim of the chosen incidents as the second source gives it."""
    view = _perturb(chosen, rng).set_index(chosen["incident_id"].to_numpy())
    rows = claims[claims["incident_id"].isin(chosen["incident_id"])].drop_duplicates(["incident_id", "category", "outcome"])
    rows = rows.reset_index(drop=True)
    seen = view.loc[rows["incident_id"].to_numpy()].reset_index(drop=True)
    low, high = rows["low"].to_numpy(dtype=float), rows["high"].to_numpy(dtype=float)
    high = np.where(np.isfinite(high), high, low + 5)
    value = np.floor(low + rng.random(len(rows)) * (high - low + 1))
    near = rng.random(len(rows)) < 0.3  # a figure near the range, not in it
    value = np.where(near, np.round(value * rng.uniform(0.8, 1.25, len(rows))), value)
    out = rows.assign(source=MONITOR, source_type="other", incident_id=seen["new_id"].to_numpy(),
                      claim_id=(seen["new_id"] + ":" + rows["category"].astype(str) + "-" + rows["outcome"].astype(str)).to_numpy(),
                      start=rows["start"] + seen["shift"].to_numpy(), end=rows["end"] + seen["shift"].to_numpy(),
                      low=value, best=value, high=value, certainty=pd.NA, location=seen["location"].to_numpy(),
                      latitude=seen["latitude"].to_numpy(), longitude=seen["longitude"].to_numpy(),
                      perpetrator=seen["perpetrator"].to_numpy(), note="", url="", quote="")
    return out.astype({"certainty": rows["certainty"].dtype, "source_type": rows["source_type"].dtype})


def _decoys(incidents: pd.DataFrame, rng: np.random.Generator, n: int, seed: int) -> pd.DataFrame:
    """Incidents Airwars does not hold: the village of one incident on the day of another of the
    same governorate, kept only when no Airwars incident within two days lies within 5 km of it or
    bears its name (lower-cased)."""
    governorate = incidents["place"].astype(str).str.split("|").str[0]
    order = np.argsort(governorate.to_numpy(), kind="stable")
    block_start = governorate.iloc[order].reset_index(drop=True).groupby(governorate.iloc[order].to_numpy()).ngroup()
    sizes = np.bincount(block_start.to_numpy())
    starts = np.cumsum(sizes) - sizes
    template = rng.choice(len(incidents), size=3 * n)  # drawn thrice as many: some are refused
    block = block_start.to_numpy()[np.argsort(order)][template]
    other = order[starts[block] + (rng.random(3 * n) * sizes[block]).astype(np.int64)]
    day = incidents["first_day"].to_numpy()[other]
    cand = pd.DataFrame({"t": template, "governorate": governorate.to_numpy()[template], "day": day,
                         "location": incidents["location"].astype(str).str.lower().to_numpy()[template],
                         "latitude": incidents["latitude"].to_numpy(dtype=float)[template],
                         "longitude": incidents["longitude"].to_numpy(dtype=float)[template]})
    cand = cand[incidents["location"].astype(str).str.strip().ne("").to_numpy()[template]]
    first = incidents["first_day"].to_numpy().astype("datetime64[D]")
    last = incidents["last_day"].to_numpy().astype("datetime64[D]")
    length = (last - first).astype(np.int64) + 5
    rows = np.repeat(np.arange(len(incidents)), length)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(length) - length, length) - 2
    near = pd.DataFrame({"governorate": governorate.to_numpy()[rows], "day": first[rows] + offset.astype("timedelta64[D]"),
                         "other_location": incidents["location"].astype(str).str.lower().to_numpy()[rows],
                         "other_lat": incidents["latitude"].to_numpy(dtype=float)[rows],
                         "other_lon": incidents["longitude"].to_numpy(dtype=float)[rows]})
    cand["day"] = cand["day"].to_numpy().astype("datetime64[D]")
    cand["_c"] = np.arange(len(cand))
    both = cand.merge(near, on=["governorate", "day"])
    lat_a, lat_b = np.radians(both["latitude"].to_numpy()), np.radians(both["other_lat"].to_numpy())
    dlon = np.radians(both["other_lon"].to_numpy() - both["longitude"].to_numpy())
    h = np.sin((lat_b - lat_a) / 2) ** 2 + np.cos(lat_a) * np.cos(lat_b) * np.sin(dlon / 2) ** 2
    km = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    clash = (km < 5) | both["location"].eq(both["other_location"]).to_numpy()
    refused = np.unique(both["_c"].to_numpy()[clash])
    cand = cand[~np.isin(cand["_c"].to_numpy(), refused)].drop_duplicates("t").head(n)
    base = incidents.iloc[cand["t"].to_numpy()].reset_index(drop=True)
    base["first_day"] = pd.to_datetime(cand["day"].to_numpy()).astype("datetime64[s]")
    ids = f"D{seed}-" + pd.Series(np.arange(len(base))).astype(str)
    view = _perturb(base.assign(new_id=ids.to_numpy()), rng)
    value = np.floor(rng.exponential(4.0, len(base)))
    out = base.assign(source=MONITOR, source_type="other", incident_id=ids.to_numpy(), claim_id=(ids + ":civilian-killed").to_numpy(),
                      start=base["first_day"], end=base["first_day"], category="civilian", outcome="killed",
                      low=value, best=value, high=value, certainty=pd.NA, location=view["location"].to_numpy(),
                      latitude=view["latitude"].to_numpy(), longitude=view["longitude"].to_numpy(),
                      perpetrator=view["perpetrator"].to_numpy(), note="", url="", quote="")
    columns = [c for c in incidents.columns if c not in ("first_day", "last_day")]
    return out[columns].astype({"certainty": incidents["certainty"].dtype, "category": incidents["category"].dtype,
                                "outcome": incidents["outcome"].dtype, "source_type": incidents["source_type"].dtype})


def precision_recall(links: pd.DataFrame, truth: pd.DataFrame) -> tuple[float, float, int, int, int]:
    """Precision and recall of ``links`` (``incident_a, incident_b`` in either order) against
    ``truth``: ``(precision, recall, found, links, true pairs)``."""
    def keys(frame: pd.DataFrame) -> set:
        return {frozenset(p) for p in zip(frame["incident_a"].astype(str), frame["incident_b"].astype(str))}

    found, true = keys(links), keys(truth)
    hits = len(found & true)
    return (hits / len(found) if found else 1.0, hits / len(true) if true else 1.0, hits, len(found), len(true))


def duplicate_code_pairs(claims: pd.DataFrame, path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The real links: pairs of rows of the Airwars file sharing a code (as a whole, "CS214", or
    a part, "CS562" and "CI525 CS562"). The later row of each pair is put under the source
    "Airwars (again)" with the id ``<code> (row <n>)``.

    Returns
    -------
    claims : pandas.DataFrame
        ``claims`` (:func:`read_airwars_located`, indexed by the file's rows) with those rows moved.
    pairs : pandas.DataFrame
        ``incident_a, incident_b, code, row_a, row_b``: the pairs to be found.
    """
    raw = pd.read_csv(path, usecols=["code"], dtype=str)
    tokens = raw["code"].str.split().explode()
    shared = tokens[tokens.map(tokens.value_counts()) > 1]
    pairs = (pd.DataFrame({"code": shared.to_numpy(), "row": shared.index.to_numpy()}).groupby("code")["row"]
             .agg(row_a="min", row_b="max").reset_index())
    pairs["incident_a"] = raw["code"].to_numpy()[pairs["row_a"].to_numpy()]
    pairs["incident_b"] = raw["code"].to_numpy()[pairs["row_b"].to_numpy()] + " (row " + pairs["row_b"].astype(str) + ")"
    out = claims.copy()
    source_rows = pd.Series(out.index.to_numpy(), index=out.index)
    moved = source_rows.isin(pairs["row_b"]).to_numpy()
    renamed = pd.Series(pairs["incident_b"].to_numpy(), index=pairs["row_b"].to_numpy())
    out.loc[moved, "source"] = "Airwars (again)"
    out.loc[moved, "incident_id"] = renamed.reindex(source_rows[moved].to_numpy()).to_numpy()
    return out, pairs[["incident_a", "incident_b", "code", "row_a", "row_b"]]


def measure(path: str | Path, seeds: list[int]) -> pd.DataFrame:
    """Precision and recall of :func:`casualties.link_incidents` (default threshold) per seed:
    over all true pairs and over those whose Airwars incident has no look-alike (``distinct``)."""
    import time

    from casualties.linking import link_incidents

    claims = read_airwars_located(path)
    rows = []
    for seed in seeds:
        both, truth = linkage_set(claims, seed)
        began = time.perf_counter()
        links = link_incidents(both)
        seconds = time.perf_counter() - began
        precision, recall, hits, found, true = precision_recall(links, truth)
        distinct = truth[truth["distinct"]]
        rows.append({"seed": seed, "true pairs": true, "links": found, "right": hits, "precision": precision,
                     "recall": recall, "distinct pairs": len(distinct),
                     "recall (distinct)": precision_recall(links, distinct)[1],
                     "decoys linked": int(links["incident_b"].str.startswith("D").sum()), "time [s]": seconds})
    return pd.DataFrame(rows)


if __name__ == "__main__":  # python -m benchmarks.linkage [SEED...]
    import sys

    from benchmarks.real import SHARED_DATA

    chosen = [int(s) for s in sys.argv[1:]] or [1, 2, 3, 11, 12, 13]
    print(measure(SHARED_DATA / "airwars" / "syria_incidents.csv", chosen).to_string(index=False, float_format="{:.3f}".format))
