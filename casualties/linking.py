"""Linking incidents of different sources that are one event, and relabelling them as one.

:func:`link_incidents` finds pairs of incidents (the claims of one source sharing an
``incident_id``) from different sources that lie in a shared governorate at most a few days
apart (:func:`casualties.evidence.candidate_pairs`), grades each pair on six pieces of evidence
(:data:`casualties.evidence.COMPARISONS`) and scores it with a Fellegi-Sunter model whose
probabilities are learned from the pairs themselves, without labels, by expectation
maximisation. :func:`relink` gives the claims of each linked cluster one ``incident_id``, so that
:func:`~casualties.ranges`, :func:`~casualties.discrepancies` and :func:`~casualties.conflict`
read them as one event. The model, its levels and its measured precision are in
``docs/linking.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casualties.errors import OptionError, require_columns
from casualties.evidence import (
    COMPARISONS,
    LEVELS,
    candidate_pairs,
    compare,
    incident_table,
    sentences,
)

__all__ = ["LINK_COLUMNS", "fit_fellegi_sunter", "link_incidents", "relink"]

#: The claims columns :func:`link_incidents` reads (``location``, ``latitude``, ``longitude``,
#: ``perpetrator``, ``high`` and ``kind`` are used when present), and those :func:`relink` reads.
LINK_READS = ("source", "incident_id", "start", "end", "place", "category", "outcome", "low")
RELINK_READS = ("source", "incident_id", "start", "end")
#: The columns of :func:`link_incidents`' table, in order.
LINK_COLUMNS = ("incident_a", "incident_b", "source_a", "source_b", "match_probability", "pair_probability", "match_weight",
                "gap_days", "distance_km", *(f"weight_{name}" for name in COMPARISONS), "evidence")

#: The model before it sees data (m and u per level of each comparison, and the share of
#: candidate pairs that match), set by judgement (``docs/linking.md``). EM starts from it and
#: adds it to the expected counts as :data:`PRIOR_STRENGTH` pairs of each class, so that a few
#: candidates move it little and thousands override it, and a level no pair reaches keeps it.
DEFAULT_MODEL: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "days": ((0.55, 0.35, 0.10), (0.2, 0.4, 0.4)),
    "place": ((0.85, 0.12, 0.03), (0.6, 0.2, 0.2)),
    "distance": ((0.7, 0.2, 0.07, 0.03), (0.02, 0.08, 0.3, 0.6)),
    "location": ((0.5, 0.2, 0.15, 0.1, 0.05), (0.005, 0.005, 0.01, 0.05, 0.93)),
    "perpetrator": ((0.6, 0.1, 0.28, 0.02), (0.4, 0.05, 0.25, 0.3)),
    "counts": ((0.3, 0.4, 0.15, 0.1, 0.05), (0.05, 0.25, 0.2, 0.25, 0.25)),
    "other_counts": ((0.5, 0.3, 0.1, 0.1), (0.2, 0.3, 0.1, 0.4)),
}
#: Levels whose ``m`` is set, not learned: ``{comparison: {level: m}}``. That two reports of
#: one event rarely blame disjoint perpetrators is a definition; unlabelled EM on sources that
#: record co-located events of different kinds (ACLED's battles beside Airwars' strikes) would
#: otherwise learn that matches usually do (``docs/linking.md``).
FIXED_M: dict[str, dict[int, float]] = {"perpetrator": {3: 0.02}}
#: The default share of candidate pairs that are matches.
DEFAULT_PRIOR = 0.05
#: How many pairs of each class the default model weighs as.
PRIOR_STRENGTH = 20.0


def fit_fellegi_sunter(levels: np.ndarray, start_m: list[np.ndarray], start_u: list[np.ndarray], start_prior: float, *,
                       strength: float = PRIOR_STRENGTH, fixed_m: dict[int, dict[int, float]] | None = None, max_iterations: int = 500,
                       tolerance: float = 1e-8) -> tuple[list[np.ndarray], list[np.ndarray], float]:
    """Learn a Fellegi-Sunter model from comparison levels without labels (EM).

    Each pair is a match with prior probability ``lambda``; given its class, its comparisons are
    independent, comparison ``k`` at level ``l`` with probability ``m[k][l]`` (matches) or
    ``u[k][l]`` (non-matches). Level ``-1`` (nothing to compare) is left out of the likelihood.
    EM runs on the distinct rows of ``levels`` weighted by how often each occurs, so its cost does
    not grow with the number of pairs once their patterns are counted.

    Parameters
    ----------
    levels : numpy.ndarray of int, shape (pairs, comparisons)
        Level of each comparison, 0 the most alike; ``-1`` for nothing to compare.
    start_m, start_u : list of numpy.ndarray
        The model before data: per comparison, the probability of each level among matches and
        among non-matches (each sums to 1).
    start_prior : float
        The share of pairs that match, before data (between 0 and 1, exclusive).
    strength : float
        How many pairs of each class the starting model weighs as (a Dirichlet prior: the
        estimates are maximum a posteriori; 0 gives plain maximum likelihood).
    fixed_m : dict, optional
        ``{comparison: {level: probability}}``: levels whose ``m`` is set, not learned; the
        comparison's other levels share the rest in the proportions EM finds.
    max_iterations : int
    tolerance : float
        Stop when no parameter moves by more than this.

    Returns
    -------
    m, u : list of numpy.ndarray
        Per comparison, the probability of each level among matches and among non-matches.
    prior : float
        ``lambda``, the share of pairs that are matches.
    """
    m = [np.asarray(x, dtype=float) for x in start_m]
    u = [np.asarray(x, dtype=float) for x in start_u]
    prior = float(start_prior)
    if len(levels) == 0:
        return m, u, prior
    patterns, counts = np.unique(levels, axis=0, return_counts=True)
    counts = counts.astype(float)
    for _ in range(max_iterations):
        weight = _log_ratio(patterns, m, u) + np.log(prior / (1 - prior))
        p = 1.0 / (1.0 + np.exp(-weight))
        match, other = counts * p, counts * (1 - p)
        new_m, new_u = [], []
        for k in range(len(m)):
            known = patterns[:, k] >= 0
            for weights, start, out in ((match, start_m[k], new_m), (other, start_u[k], new_u)):
                total = np.bincount(patterns[known, k], weights=weights[known], minlength=len(start)) + strength * np.asarray(start)
                out.append(total / total.sum())
        for k, levels_set in (fixed_m or {}).items():
            chosen = np.zeros(len(new_m[k]), dtype=bool)
            chosen[list(levels_set)] = True
            free = new_m[k] * ~chosen
            new_m[k] = free * (1 - sum(levels_set.values())) / free.sum()
            new_m[k][list(levels_set)] = list(levels_set.values())
        new_prior = float((match.sum() + strength * start_prior) / (counts.sum() + strength))
        moved = max(abs(new_prior - prior), *(np.abs(x - y).max() for x, y in zip(new_m + new_u, m + u)))
        m, u, prior = new_m, new_u, new_prior
        if moved < tolerance:
            break
    return m, u, prior


def _log_ratio(levels: np.ndarray, m: list[np.ndarray], u: list[np.ndarray]) -> np.ndarray:
    """Sum over comparisons of ln(m/u) at each row's level (0 where the level is -1)."""
    total = np.zeros(len(levels))
    for k in range(levels.shape[1]):
        ratio = np.log(m[k]) - np.log(u[k])
        total += np.where(levels[:, k] >= 0, ratio[np.maximum(levels[:, k], 0)], 0.0)
    return total


def _one_to_one(links: pd.DataFrame) -> pd.DataFrame:
    """Keep, for each incident and each other source, its one best link: rounds of mutual best
    candidates (ties broken by incident numbers), the same pairs as greedy by descending score."""
    codes = pd.factorize(pd.concat([links["source_a"], links["source_b"]]))[0]
    n_sources = int(codes.max()) + 1 if len(codes) else 1
    remaining = links.assign(_key_a=links["a"].to_numpy() * n_sources + codes[len(links):],
                             _key_b=links["b"].to_numpy() * n_sources + codes[:len(links)])
    remaining = remaining.sort_values(["match_probability", "a", "b"], ascending=[False, True, True], kind="stable")
    kept = []
    while len(remaining):
        best = ~remaining["_key_a"].duplicated() & ~remaining["_key_b"].duplicated()
        chosen = remaining[best.to_numpy()]
        kept.append(chosen)
        used_a, used_b = chosen["_key_a"].to_numpy(), chosen["_key_b"].to_numpy()
        remaining = remaining[~(remaining["_key_a"].isin(used_a) | remaining["_key_b"].isin(used_b)).to_numpy()]
    out = pd.concat(kept) if kept else remaining
    return out.drop(columns=["_key_a", "_key_b"])


def _score(claims: pd.DataFrame, sources: list[str] | None, max_gap_days: int) -> tuple:
    """Every candidate pair scored: ``(incidents, pairs, levels, scored, (m, u, prior))``."""
    incidents = incident_table(claims, sources)
    pairs = candidate_pairs(incidents, max_gap_days)
    levels = compare(incidents, pairs)
    grid = levels[list(COMPARISONS)].to_numpy(dtype=np.int64)
    m, u, prior = fit_fellegi_sunter(grid, [np.asarray(DEFAULT_MODEL[name][0]) for name in COMPARISONS],
                                     [np.asarray(DEFAULT_MODEL[name][1]) for name in COMPARISONS], DEFAULT_PRIOR,
                                     fixed_m={COMPARISONS.index(name): levels for name, levels in FIXED_M.items()})
    contributions = {}
    for k, name in enumerate(COMPARISONS):
        weight = np.log2(m[k]) - np.log2(u[k])
        contributions[f"weight_{name}"] = np.where(grid[:, k] >= 0, weight[np.maximum(grid[:, k], 0)], 0.0)
    prior_weight = np.log2(prior / (1 - prior))
    total = prior_weight + sum(contributions.values(), np.zeros(len(pairs)))
    table = incidents.table
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    scored = pd.DataFrame({
        "a": a, "b": b,
        "incident_a": table["incident_id"].to_numpy(dtype=object)[a], "incident_b": table["incident_id"].to_numpy(dtype=object)[b],
        "source_a": table["source"].to_numpy(dtype=object)[a], "source_b": table["source"].to_numpy(dtype=object)[b],
        "pair_probability": 1.0 / (1.0 + np.exp2(-total)), "match_weight": total,
        "gap_days": levels["gap_days"].to_numpy(), "distance_km": levels["distance_km"].to_numpy(), **contributions,
    })
    scored["match_probability"] = _exclusive(scored, total - prior_weight)
    return incidents, pairs, levels, scored, (m, u, prior)


def _exclusive(scored: pd.DataFrame, log2_ratio: np.ndarray) -> np.ndarray:
    """The probability that ``a`` and ``b`` are one event, given that each incident is one event
    with at most one incident of each other source.

    Seen from ``b``: it has a partner among its ``n`` candidates of ``a``'s source with prior
    probability ``pi`` (the expected matches of the two sources over the incidents of ``b``'s
    source that have candidates), each candidate equally likely; then ``P(a | b) = (pi / n) LR_a
    / ((1 - pi) + (pi / n) sum of LR over the candidates)``, ``LR`` the Fellegi-Sunter
    likelihood ratio ``prod m/u``. The same from ``a``; the lesser of the two is returned.
    """
    ratio = np.exp2(np.minimum(log2_ratio, 500.0))  # sums of a few stay finite
    out = np.ones(len(scored))
    for own, other_source in (("b", "source_a"), ("a", "source_b")):
        group = [scored[own], scored[other_source]]
        n = scored.groupby(group)[own].transform("size").to_numpy(dtype=float)
        total = pd.Series(ratio, index=scored.index).groupby(group).transform("sum").to_numpy()
        pair = [scored["source_a"], scored["source_b"]]
        expected = scored["pair_probability"].groupby(pair).transform("sum").to_numpy()
        holders = scored.groupby(pair)[own].transform("nunique").to_numpy(dtype=float)
        pi = np.clip(expected / holders, 0.01, 0.99)
        out = np.minimum(out, (pi / n) * ratio / ((1 - pi) + (pi / n) * total))
    return out


def link_incidents(claims: pd.DataFrame, *, threshold: float = 0.4, sources: list[str] | None = None,
                   max_gap_days: int = 2) -> pd.DataFrame:
    """Find incidents of different sources that are probably one event.

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims frame (``docs/schema.md``). Only claims of ``kind`` ``"incident"`` are linked;
        an incident is the claims of one source sharing an ``incident_id``. The optional columns
        ``location``, ``latitude`` and ``longitude`` [degrees] are used when present.
    threshold : float
        Least ``match_probability`` (0 to 1) of a link kept. The default 0.4 is the operating
        point chosen on the tuning seeds of the Airwars test set (precision 0.97, recall 0.92 on
        the seeds held out; ``docs/linking.md``); 0.5 keeps only links more likely than not and
        than all their competitors together.
    sources : list of str, optional
        Link only the incidents of these sources (default: every source).
    max_gap_days : int
        Most days [day] between the two incidents' date ranges for them to be compared.

    Returns
    -------
    pandas.DataFrame
        One row per link, most probable first, columns :data:`LINK_COLUMNS`:
        ``incident_a, incident_b`` (the ids), ``source_a, source_b`` (``source_a`` first in sort
        order), ``match_probability`` (0 to 1: the probability that the two are one event, given
        that an incident is at most one incident of each other source; see Notes),
        ``pair_probability`` (0 to 1: the pair's own Fellegi-Sunter probability, blind to
        competing candidates), ``match_weight`` (its log2 odds: the prior's plus the
        contributions), ``gap_days`` [days] between the date ranges, ``distance_km`` [km]
        (NaN without both coordinates), ``weight_days, weight_place, weight_distance,
        weight_location, weight_perpetrator, weight_counts, weight_other_counts``: each piece of evidence's
        contribution (log2 of its Bayes factor ``m/u``; 0 when there is nothing to compare), and
        ``evidence``, what the two share in one sentence ("same day, 0.4 km apart, 'al-Mashlab' ~
        'Al Mashlab', ..."). ``.attrs["model"]`` holds the learned model as records (``comparison,
        level, label, m, u, weight``; ``pandas.DataFrame(links.attrs["model"])`` tables it), ``.attrs["prior"]`` the share of candidate pairs that are
        matches and ``.attrs["candidates"]`` the number of pairs compared.

    Raises
    ------
    OptionError
        If ``threshold`` is not a probability or ``max_gap_days`` is negative (a ``ValueError``).

    Notes
    -----
    - Candidates: pairs of incidents of different sources sharing a governorate (the ISO
      subdivision holding one of their places) whose date ranges lie at most ``max_gap_days``
      apart; pairs of two sources that already share the ``incident_id`` are one event already
      and are left out, as are incidents of one source with each other.
    - ``match_probability``: seen from ``b``, with ``n`` candidates in ``a``'s source, ``b``
      has a partner there with probability ``pi`` (the expected matches of the two sources
      over the incidents of ``b``'s source that have candidates), each candidate equally
      likely; so ``P = (pi/n) LR / ((1 - pi) + (pi/n) sum LR)`` over ``b``'s candidates, ``LR``
      the likelihood ratio ``2 ** (sum of the weights)``. The same seen from ``a``; the lesser.
    - Each incident is linked at most once to each other source: among competing candidates
      the most probable wins (greedy by descending probability).
    - The model is learned afresh on each call from the candidate pairs (unsupervised EM, see
      :func:`fit_fellegi_sunter`); with few candidates it learns little. See
      ``docs/linking.md``.
    """
    require_columns(claims, LINK_READS, "link_incidents")
    if not 0.0 <= threshold <= 1.0:
        raise OptionError("threshold", threshold, ("a probability from 0 to 1",))
    if max_gap_days < 0:
        raise OptionError("max_gap_days", max_gap_days, ("a whole number of days, 0 or more",))
    incidents, pairs, levels, scored, (m, u, prior) = _score(claims, sources, max_gap_days)
    keep = (scored["match_probability"] >= threshold).to_numpy()
    links = _one_to_one(scored[keep])
    rows = links.index.to_numpy()  # scored's rows are the pairs' positions
    links = links.assign(evidence=sentences(incidents, pairs.iloc[rows].reset_index(drop=True),
                                            levels.iloc[rows].reset_index(drop=True)).to_numpy(dtype=object))
    links = links.sort_values(["match_probability", "source_a", "incident_a", "source_b", "incident_b"],
                              ascending=[False, True, True, True, True], kind="stable", ignore_index=True)
    out = links[list(LINK_COLUMNS)].astype({c: "str" for c in ("incident_a", "incident_b", "source_a", "source_b", "evidence")})
    # plain records, not a DataFrame: pandas compares attrs with == when it concatenates frames
    # made from this one, which a DataFrame cannot answer
    out.attrs["model"] = [
        {"comparison": name, "level": level, "label": label, "m": float(m[k][level]), "u": float(u[k][level]),
         "weight": float(np.log2(m[k][level] / u[k][level]))}
        for k, name in enumerate(COMPARISONS) for level, label in enumerate(LEVELS[name])]
    out.attrs["prior"] = prior
    out.attrs["candidates"] = len(pairs)
    return out


def _greedy_clusters(n_nodes: int, a: np.ndarray, b: np.ndarray, members: pd.DataFrame) -> np.ndarray:
    """A cluster label per node: the links (``a[k]``-``b[k]``, best first) taken in order, each
    unless it would put two nodes of one source in one cluster (greedy, as Kruskal's algorithm
    with a constraint), computed in rounds without a loop over links.

    ``members`` (``node, source``) says which sources use each node. Each round drops the links
    inside a cluster or joining two clusters that hold different nodes of one source (clusters
    only grow, so they stay refused), then merges the pairs of clusters whose best remaining link
    is each other's (a matching of clusters: no two merges of a round touch one cluster); the
    best remaining link of all is always merged, so the rounds end, and every merge is one the
    greedy order makes too.
    """
    label = np.arange(n_nodes)
    rank = np.arange(len(a))
    held = members[["node", "source"]].drop_duplicates()
    while len(rank):
        la, lb = label[a], label[b]
        table = pd.DataFrame({"cluster": label[held["node"].to_numpy()], "source": held["source"].to_numpy(),
                              "node": held["node"].to_numpy()}).drop_duplicates()
        ends = (pd.DataFrame({"link": np.arange(len(a)), "cluster": la})
                .merge(table, on="cluster")
                .merge(table.rename(columns={"cluster": "other", "node": "other_node"}), on="source"))
        ends = ends[ends["other"].to_numpy() == lb[ends["link"].to_numpy()]]
        refused = np.zeros(len(a), dtype=bool)
        refused[ends.loc[ends["node"].ne(ends["other_node"]), "link"].to_numpy()] = True
        keep = ~refused & (la != lb)
        a, b, rank, la, lb = a[keep], b[keep], rank[keep], la[keep], lb[keep]
        if not len(rank):
            break
        best = np.full(n_nodes, np.iinfo(np.int64).max)
        np.minimum.at(best, la, rank)
        np.minimum.at(best, lb, rank)
        mutual = (best[la] == rank) & (best[lb] == rank)
        merge = np.arange(n_nodes)
        merge[lb[mutual]] = la[mutual]
        label = merge[label]
        a, b, rank = a[~mutual], b[~mutual], rank[~mutual]
    return label


def relink(claims: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Give the incident claims of each linked cluster one ``incident_id``.

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims frame.
    links : pandas.DataFrame
        Pairs of incident ids, columns ``incident_a`` and ``incident_b`` (as from
        :func:`link_incidents`); ``match_probability`` decides which links give way (below).

    Returns
    -------
    pandas.DataFrame
        A copy of ``claims`` in which every incident claim whose ``incident_id`` belongs to a
        cluster of linked ids (ids joined by the links, see Notes) carries the cluster's id: its
        members' ids, sorted, joined by ``" = "`` (``"CS1234 = SYR10643"``), and the cluster's
        dates: from the earliest ``start`` to the latest ``end`` of its claims (the sources
        dated one event differently; the engine reads claims of one incident dated apart as a
        contradiction). What changed is kept in ``note`` ("incident_id was CS1234 (linked);
        dates were 2017-06-10 to 2017-06-10"). Totals and unlinked incidents are unchanged; no
        row is added, dropped or reordered.

    Raises
    ------
    OptionError
        If ``links`` lacks ``incident_a`` or ``incident_b`` (a ``ValueError``).

    Notes
    -----
    A cluster never holds two incidents of one source: the links are taken most probable first
    (the first in ``links``' order when tied, or when ``links`` has no ``match_probability``),
    each unless it would join two clusters holding different ids one source uses (greedy, as
    Kruskal's algorithm with a constraint; computed in rounds of mutual-best merges, without a
    loop over links).
    """
    require_columns(claims, RELINK_READS, "relink")
    if not {"incident_a", "incident_b"} <= set(links.columns):
        missing = ", ".join(sorted({"incident_a", "incident_b"} - set(links.columns)))
        raise OptionError("links", f"a table without {missing}", (), "links need the columns incident_a and incident_b (as from link_incidents)")
    out = claims.copy()
    kind = out["kind"].astype(str) if "kind" in out else pd.Series("incident", index=out.index)
    incident = kind.eq("incident").to_numpy()
    ids = out["incident_id"].astype(str)
    node_ids, node_codes = np.unique(np.concatenate([links["incident_a"].astype(str).to_numpy(dtype=object),
                                                     links["incident_b"].astype(str).to_numpy(dtype=object)]).astype(str),
                                     return_inverse=True)
    if len(links) == 0:
        return out
    a, b = node_codes[:len(links)], node_codes[len(links):]
    probability = (links["match_probability"].to_numpy(dtype=float) if "match_probability" in links
                   else np.ones(len(links)))
    order = np.lexsort((np.arange(len(links)), -probability))  # best first; among ties the first
    a, b = a[order], b[order]
    members = pd.DataFrame({"node": pd.Index(node_ids).get_indexer(ids[incident].to_numpy(dtype=str)),
                            "source": out.loc[incident, "source"].astype(str).to_numpy()})
    members = members[members["node"] >= 0].drop_duplicates(ignore_index=True)
    label = _greedy_clusters(len(node_ids), a, b, members)
    size = np.bincount(label, minlength=len(node_ids))
    linked = size[label] > 1
    nodes = pd.DataFrame({"id": node_ids[linked], "cluster": label[linked]}).sort_values(["cluster", "id"], ignore_index=True)
    rank = nodes.groupby("cluster").cumcount().to_numpy()
    name = pd.Series(nodes["id"].to_numpy()[rank == 0], index=nodes["cluster"].to_numpy()[rank == 0], dtype=object)
    for r in range(1, int(rank.max()) + 1 if len(rank) else 0):
        step = pd.Series(nodes["id"].to_numpy()[rank == r], index=nodes["cluster"].to_numpy()[rank == r], dtype=object)
        name.loc[step.index] = name.loc[step.index] + " = " + step
    new_id = pd.Series(name.reindex(nodes["cluster"]).to_numpy(), index=nodes["id"].to_numpy())
    target = incident & ids.isin(new_id.index).to_numpy()
    if not target.any():
        return out
    old = ids[target]
    cluster = pd.Series(new_id.reindex(old.to_numpy()).to_numpy(), index=old.index)
    out.loc[target, "incident_id"] = cluster.to_numpy()
    start, end = out.loc[target, "start"], out.loc[target, "end"].fillna(out.loc[target, "start"])
    first, last = start.groupby(cluster).transform("min"), end.groupby(cluster).transform("max")
    widened = (first.ne(start) | last.ne(end)).to_numpy()
    out.loc[target, "start"], out.loc[target, "end"] = first.to_numpy(), last.to_numpy()
    note = out["note"].astype(object).where(out["note"].notna(), "").astype(str) if "note" in out else pd.Series("", index=out.index)
    dates = np.where(widened, "; dates were " + start.dt.strftime("%Y-%m-%d") + " to " + end.dt.strftime("%Y-%m-%d"), "")
    added = "incident_id was " + old + " (linked)" + dates
    note.loc[target] = np.where(note[target].ne(""), note[target] + "; " + added, added)
    out["note"] = note.astype(claims["note"].dtype if "note" in claims else "str")
    return out
