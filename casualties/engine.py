"""One account's answers, part by part (internal; the public face is ``reconcile``).

The claims of an account fall apart into independent parts: claims that share no cell, and no
incident, constrain disjoint deaths. :func:`decompose` finds the parts and drops those that do
not bear on the question (scope first: a Raqqa question never builds Aleppo's incidents);
:func:`answer` solves each the cheapest exact way (lone one-claim incidents in closed form,
many-report incidents in bulk in :mod:`casualties.batch`, totals and what lies inside them in a
:class:`~casualties.programme.Programme`) and adds the parts up, question by question, relaxing
contradictions by their least change when asked to (``docs/model.md``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from casualties.closed_form import lone_singles
from casualties import programme as programme_module
from casualties.programme import Programme
from casualties.regions import DIMENSIONS, OPEN, Region, days, dimension_values, trees

__all__ = ["answer"]

def _overlapping_days(start: np.ndarray, stop: np.ndarray, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i, j)`` (indices into ``left`` and ``right``) of claims whose days ``[start,
    stop)`` overlap, in time proportional to the pairs found (about): the left claims are
    sorted by start within classes of similar length (powers of two), so that for each right
    claim a binary search bounds the candidates to those starting at most one class length
    before it."""
    found_i, found_j = [], []
    if not len(left) or not len(right):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    length = stop[left] - start[left]
    klass = np.ceil(np.log2(np.maximum(length, 1))).astype(np.int64)
    r_start, r_stop = start[right], stop[right]
    for c in np.unique(klass):
        members = np.flatnonzero(klass == c)
        members = members[np.argsort(start[left][members], kind="stable")]
        l_start = start[left][members]
        longest = int(length[members].max())
        hi = np.searchsorted(l_start, r_stop, side="left")  # start < r_stop
        lo = np.searchsorted(l_start, r_start - longest, side="right")  # start > r_start - longest
        count = np.maximum(hi - lo, 0)
        j = np.repeat(np.arange(len(right)), count)
        i = members[lo[j] + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count))]
        keep = stop[left][i] > r_start[j]
        found_i.append(i[keep])
        found_j.append(j[keep])
    return np.concatenate(found_i), np.concatenate(found_j)


def _shared_cells(claims: pd.DataFrame, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i, j)`` of claims at positions ``left`` x ``right`` whose scopes share a cell
    (overlapping dates and, in every tree, touching ids), as two index arrays into ``left`` and
    ``right``: overlapping days first (:func:`_overlapping_days`), then the trees, compared once
    per pair of distinct values."""
    if not len(left) or not len(right):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    start, stop = days(claims["start"]), days(claims["end"]) + 1
    i, j = _overlapping_days(start, stop, left, right)
    tree_of = trees()
    keep = np.ones(len(i), dtype=bool)
    for dim in DIMENSIONS:
        codes, values = dimension_values(claims, dim)
        table = tree_of[dim].set_relations(values, values)[1] if len(values) else np.zeros((0, 0), dtype=bool)
        keep &= table[codes[left][i], codes[right][j]]
    return i[keep], j[keep]


def _components(n: int, edges: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """A component label per node of an undirected graph on ``n`` nodes."""
    from scipy.sparse.csgraph import connected_components

    graph = sparse.coo_array((np.ones(len(edges[0])), edges), shape=(n, n))
    return connected_components(graph, directed=False)[1]



@dataclasses.dataclass
class Answer:
    """Raw answers of one account to questions (periods of one scope).

    Attributes
    ----------
    low, best, high : numpy.ndarray
        Per question [people]: LP optima (not rounded) and the best estimate; nan where the
        claims cannot hold and contradictions are not relaxed.
    feasible : bool
        Whether the claims that bear on the questions can all hold as given.
    change : float
        The least total change to their bounds that lets them hold [people]; 0 when they do.
    n_claims : int
        How many claims bear on the questions.
    determined : bool
        Whether some claim that bears speaks of the questions' categories and perpetrators
        alone (lies within them): else the claims do not say how many of theirs fall there, and
        the best is not determined by them.
    """

    low: np.ndarray
    best: np.ndarray
    high: np.ndarray
    feasible: bool
    change: float
    n_claims: int = 0
    determined: bool = True


def touching(claims: pd.DataFrame, region: Region) -> np.ndarray:
    """Which claims share a cell with ``region`` (overlapping days, touching ids in every tree)."""
    start, stop = days(claims["start"]), days(claims["end"]) + 1
    out = (start < region.stop) & (region.start < stop)
    tree_of = trees()
    for dim in DIMENSIONS:
        codes, values = dimension_values(claims, dim)
        if len(values):
            out &= tree_of[dim].set_relations(values, [getattr(region, dim)])[1][codes, 0]
    return out


def _incident_codes(claims: pd.DataFrame, incidents: np.ndarray) -> np.ndarray:
    incident_ids = claims["incident_id"].iloc[incidents]
    if bool((incident_ids.array == claims["claim_id"].iloc[incidents].array).all()):
        # Every incident is named after its own (unique) claim: one claim per incident.
        return np.arange(len(incidents))
    return incident_ids.factorize()[0]


@dataclasses.dataclass
class Parts:
    """How the claims of one account fall apart into independent parts, for one question.

    ``singles`` (positions) are lone one-claim incidents (closed form); ``batch`` lone
    multi-report incidents sharing dates and place (one block-diagonal programme, with
    ``batch_codes`` their incident codes); ``groups`` the programme parts (totals, incidents
    that share a cell with them, and other incidents). Claims in no part bear on nothing asked.
    """

    singles: np.ndarray
    batch: np.ndarray
    batch_codes: np.ndarray
    groups: list[np.ndarray]


def decompose(claims: pd.DataFrame, region: Region, z_everywhere: bool, prune: bool = True) -> Parts:
    """Split an account's claims into independent parts, dropping those that cannot bear on
    ``region`` (the union of the questions): parts none of whose claims share a cell with it.

    Incidents (all reports of one event together) that share a cell with a total join the
    totals' programme, whose components (totals and incidents linked by shared cells) are
    independent; for the truth, the components that bear on the question form one part with
    the deaths outside every claim. The other incidents stand alone.
    """
    bears = touching(claims, region) if prune else np.ones(len(claims), dtype=bool)
    is_total = (claims["kind"] == "total").to_numpy()
    totals = np.flatnonzero(is_total)
    incidents = np.flatnonzero(~is_total)
    codes = _incident_codes(claims, incidents)
    n_events = int(codes.max()) + 1 if len(codes) else 0
    event_bears = np.zeros(n_events, dtype=bool)
    np.logical_or.at(event_bears, codes, bears[incidents])
    hit_incident, hit_total = _shared_cells(claims, incidents, totals)
    in_core = np.zeros(n_events, dtype=bool)
    in_core[codes[hit_incident]] = True
    core_claim = in_core[codes]
    group_size = np.bincount(codes, minlength=n_events)
    groups: list[np.ndarray] = []
    if len(totals):
        # nodes: totals, then events; edges: total-total and event-total shared cells
        pair_a, pair_b = _shared_cells(claims, totals, totals)
        label = _components(
            len(totals) + n_events,
            (np.concatenate([pair_a, codes[hit_incident] + len(totals)]), np.concatenate([pair_b, hit_total])),
        )
        node_bears = np.concatenate([bears[totals], event_bears])
        label_bears = np.zeros(label.max() + 1, dtype=bool)
        np.logical_or.at(label_bears, label, node_bears)
        core = np.concatenate([totals, incidents[core_claim]])
        core_label = np.concatenate([label[: len(totals)], label[len(totals) + codes[core_claim]]])
        keep = label_bears[core_label]
        core, core_label = core[keep], core_label[keep]
        if z_everywhere:
            groups.append(np.sort(core))
        elif len(core):
            order = np.argsort(core_label, kind="stable")
            groups += np.split(core[order], np.flatnonzero(np.diff(core_label[order])) + 1)
    elif z_everywhere:
        groups.append(np.zeros(0, dtype=np.int64))
    alone = ~core_claim & event_bears[codes]
    single = alone & (group_size[codes] == 1)
    several = alone & ~single
    batch = np.zeros(0, dtype=np.int64)
    batch_codes = np.zeros(0, dtype=np.int64)
    if several.any():
        from casualties.batch import batchable

        rest, rest_codes = incidents[several], codes[several]
        ok = batchable(claims.iloc[rest], rest_codes)[rest_codes]
        batch, batch_codes = rest[ok], rest_codes[ok]
        other, other_codes = rest[~ok], rest_codes[~ok]
        if len(other):
            order = np.argsort(other_codes, kind="stable")
            groups += np.split(other[order], np.flatnonzero(np.diff(other_codes[order])) + 1)
    return Parts(incidents[single], batch, batch_codes, groups)


def answer(
    claims: pd.DataFrame,
    questions: list[Region],
    z_everywhere: bool,
    *,
    relax: bool = True,
    weights: np.ndarray | None = None,
    prune: bool = True,
) -> Answer:
    """Raw answers of one account to ``questions``.

    Lone one-claim incidents are added in closed form (:func:`casualties.closed_form.lone_singles`),
    lone multi-report incidents in one block-diagonal programme (:mod:`casualties.batch`), the
    totals and the incidents inside them in programme parts (:class:`Programme`); all parts add
    up, question by question. With ``relax``, claims that contradict each other give way by
    their least change (weighted by ``weights``, one per claim; default 1): the bounds are those
    of the least-change truth. Otherwise contradictions give nan. ``prune=False`` keeps the
    parts that bear on no question (for tests: pruning never changes a bound).

    ``questions`` must share their places, category and perpetrators and have disjoint,
    increasing dates (a scope cut into periods).
    """
    n_q = len(questions)
    weights = np.ones(len(claims)) if weights is None else np.asarray(weights, dtype=float)
    whole_span = dataclasses.replace(questions[0], start=questions[0].start, stop=questions[-1].stop)
    parts = decompose(claims, whole_span, z_everywhere, prune)
    low, best, high = lone_singles(claims.iloc[parts.singles], questions)
    feasible, change = True, 0.0
    if len(parts.batch):
        from casualties.batch import build, solve_batch

        batch = build(claims.iloc[parts.batch], parts.batch_codes, questions[0])
        found = solve_batch(batch, questions, weights[parts.batch][batch.order], relax)
        low, best, high = low + found.low, best + found.best, high + found.high
        feasible &= not found.conflicting.any()
        change += found.change.gap
    if parts.groups:
        answered = _programme(claims, questions, z_everywhere, parts.groups, relax, weights)
        low, best, high = low + answered.low, best + answered.best, high + answered.high
        feasible &= answered.feasible
        change += answered.change
    used = np.concatenate([parts.singles, parts.batch, *parts.groups]).astype(np.int64)
    n_claims = len(used)
    determined = bool(within(claims.iloc[used], questions[0]).any()) if n_claims else True
    if not feasible and not relax:
        nan = np.full(n_q, np.nan)
        return Answer(nan, nan.copy(), nan.copy(), False, change, n_claims, determined)
    return Answer(low, best, high, feasible, change, n_claims, determined)


def within(claims: pd.DataFrame, region: Region) -> np.ndarray:
    """Which claims lie within the region's categories and perpetrators."""
    out = np.ones(len(claims), dtype=bool)
    tree_of = trees()
    for dim in ("category", "perpetrator"):
        codes, values = dimension_values(claims, dim)
        if len(values):
            out &= tree_of[dim].set_relations(values, [getattr(region, dim)])[0][codes, 0]
    return out


def _programme(claims: pd.DataFrame, questions: list[Region], z_everywhere: bool, groups: list[np.ndarray], relax: bool, weights: np.ndarray) -> Answer:
    """The programme parts' answers (see :func:`answer`)."""
    n_q = len(questions)
    programme = Programme(claims, questions, z_everywhere, groups=groups)
    w = weights[programme.order]
    # The estimate is one allocation on a grid without the questions' dates, spread over the
    # periods pro rata by days: the same whatever periods are asked (docs/model.md).
    whole = dataclasses.replace(questions[0], start=-OPEN, stop=OPEN)
    start = np.array([q.start for q in questions], dtype=np.int64)
    stop = np.array([q.stop for q in questions], dtype=np.int64)

    def estimate(change: Any) -> np.ndarray:
        # A lone question without dates already has that grid: no second programme.
        allocation = programme if questions == [whole] else Programme(claims, [whole], z_everywhere, groups=groups)
        return allocation.spread(allocation.estimate(feasible=change is None, change=change), start, stop)

    if programme.A.nnz < programme_module.THREADED_NNZ:
        bounds = programme.bounds()
        feasible = bool(bounds) and bounds[0].feasible
        change = None if feasible else programme.min_change(w)
        if not feasible and relax:
            bounds = programme.bounds(change=change, weights=w)
        estimates = estimate(change) if (feasible or relax) else None
    else:
        # The estimate, the minima and the maxima are separate HiGHS models: solve them side by
        # side (HiGHS releases the GIL while it solves).
        from concurrent.futures import ThreadPoolExecutor

        # The claims usually hold: the estimate starts beside the bounds on that assumption, and
        # only when they do not is the least change found and both made again with it.
        with ThreadPoolExecutor(max_workers=2) as pool:
            pending = pool.submit(estimate, None)
            bounds = programme.bounds(pool)
            feasible = bool(bounds) and bounds[0].feasible
            change = None
            if feasible:
                estimates = pending.result()
            else:
                pending.cancel()
                change = programme.min_change(w)
                pending = pool.submit(estimate, change) if relax else None
                if relax:
                    bounds = programme.bounds(pool, change=change, weights=w)
                estimates = pending.result() if pending is not None else None
    gap = 0.0 if change is None else change.gap
    if estimates is None:
        nan = np.full(n_q, np.nan)
        return Answer(nan, nan.copy(), nan.copy(), False, gap)
    return Answer(
        np.array([b.low for b in bounds]), np.asarray(estimates, dtype=float), np.array([b.high for b in bounds]), feasible, gap
    )
