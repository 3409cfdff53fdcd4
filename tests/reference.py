"""A brute-force reference for the reconciliation engine, for small cases only.

It follows the model of the engine literally and shares no code with it: every elementary cell
(day x place atom x category atom x perpetrator atom) is enumerated explicitly, every claim is
one or two rows of a linear programme over those cells, and :func:`scipy.optimize.linprog`
(HiGHS) solves it. Slow on purpose: obviously right on <= 12 claims over a few weeks.

The model, in short:

- the atoms of a tree are, for each node ``n`` of ``R`` (the nodes named by the claims or the
  query, plus the root), ``n``'s subtree minus the subtrees of the other nodes of ``R`` below it;
  a node ``m`` covers ``atom(n)`` exactly when ``m`` contains ``n``; several ids cover the union;
- the count in a cell is ``a = z + sum_e y[e]``: ``z`` the deaths outside reported incidents
  (allowed on every cell for the truth, on the union of a source's total claims for its
  account), ``y[e]`` those of incident ``e`` (on ``region(e)`` only);
- a total claim bounds the sum of ``a`` over its scope; an incident claim bounds the sum of
  ``y[e]`` over its scope.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from casualties.hierarchy import split_ids
from casualties.schema import CERTAINTY

__all__ = ["reference_range", "reference_ranges", "reference_period_bounds",
           "reference_conflict_gap", "reference_bearing", "round_inward"]

DIMENSIONS = ("place", "category", "perpetrator")


@functools.cache
def _trees() -> dict[str, Any]:
    from casualties.names import categories, perpetrators
    from casualties.places import places

    return {"place": places(), "category": categories(), "perpetrator": perpetrators()}


@dataclass(frozen=True)
class _Scope:
    """Inclusive days ``[start, end]`` (``None``: the grid's end) and ids per tree dimension."""

    start: pd.Timestamp | None
    end: pd.Timestamp | None
    ids: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class _Claim:
    claim_id: str
    kind: str
    incident: tuple[str, str] | None  # (source or "", incident_id) for incident claims
    low: float
    high: float
    scope: _Scope


def _ids(value: Any, dimension: str) -> tuple[str, ...]:
    """Ids of a query argument: ``None`` is the root; a str may be ``"IQ|SY"``."""
    if value is None:
        return (_trees()[dimension].root,)
    return split_ids(value) if isinstance(value, str) else tuple(value)


def _day(value: Any) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value).normalize()


class _Grid:
    """Every elementary cell: day x place atom x category atom x perpetrator atom.

    A set of cells is a flat boolean array of :attr:`size` (C order of :attr:`shape`).
    """

    def __init__(self, scopes: list[_Scope]) -> None:
        dates = [d for s in scopes for d in (s.start, s.end) if d is not None] or [pd.Timestamp("2000-01-01")]
        # One day before and one after every date stand for open time: a claim never covers
        # them, a question with no start (end) does, as it covers all days before (after).
        one = pd.Timedelta(days=1)
        self.days = pd.date_range(min(dates) - one, max(dates) + one, freq="D")
        # atom(n) is listed by its node n: one atom per node of R
        self.atoms = {dim: sorted({_trees()[dim].root} | {n for s in scopes for n in s.ids[dim]})
                      for dim in DIMENSIONS}
        self.shape = (len(self.days),) + tuple(len(self.atoms[d]) for d in DIMENSIONS)
        self.size = math.prod(self.shape)

    def day_mask(self, scope: _Scope) -> np.ndarray:
        after = self.days >= scope.start if scope.start is not None else np.ones(len(self.days), bool)
        before = self.days <= scope.end if scope.end is not None else np.ones(len(self.days), bool)
        return np.asarray(after & before)

    def node_mask(self, dimension: str, ids: tuple[str, ...]) -> np.ndarray:
        """Atoms covered by the union of ``ids``: atom(n) with some id an ancestor-or-self of n."""
        tree = _trees()[dimension]
        return np.array([any(tree.contains(m, n) for m in ids) for n in self.atoms[dimension]])

    def cells(self, scope: _Scope) -> np.ndarray:
        """The cells of a scope: its days x its places' atoms x ... (a flat boolean array)."""
        masks = [self.day_mask(scope)] + [self.node_mask(d, scope.ids[d]) for d in DIMENSIONS]
        return functools.reduce(np.logical_and.outer, masks).ravel()

    def region(self, scopes: list[_Scope]) -> np.ndarray:
        """region(e): days and places in every report, (category, perpetrator) in at least one."""
        days = np.logical_and.reduce([self.day_mask(s) for s in scopes])
        where = np.logical_and.reduce([self.node_mask("place", s.ids["place"]) for s in scopes])
        who = np.logical_or.reduce([np.logical_and.outer(self.node_mask("category", s.ids["category"]),
                                                         self.node_mask("perpetrator", s.ids["perpetrator"]))
                                    for s in scopes])
        return np.logical_and.outer(np.logical_and.outer(days, where), who).ravel()


class _Programme:
    """The variables (``z`` on the cells of Z, then ``y[e]`` on region(e) for each incident e)
    and one row per claim: ``low <= row @ x <= high``."""

    def __init__(self, claims: list[_Claim], query: _Scope | None, z_everywhere: bool) -> None:
        self.claims = claims
        self.grid = _Grid([c.scope for c in claims] + ([query] if query is not None else []))
        totals = [c for c in claims if c.kind == "total"]
        if z_everywhere:
            z = np.ones(self.grid.size, bool)
        else:
            z = np.logical_or.reduce([self.grid.cells(c.scope) for c in totals] + [np.zeros(self.grid.size, bool)])
        self.incidents = sorted({c.incident for c in claims if c.kind == "incident"})
        self.blocks = [z] + [self.grid.region([c.scope for c in claims if c.incident == e]) for e in self.incidents]
        self.n = sum(int(b.sum()) for b in self.blocks)
        self.rows = np.array([self._row(c) for c in claims]).reshape(len(claims), self.n)
        self.lows = np.array([c.low for c in claims], float)
        self.highs = np.array([c.high for c in claims], float)

    def count_row(self, cells: np.ndarray) -> np.ndarray:
        """Coefficients of sum over ``cells`` of a = z + sum_e y[e]."""
        return np.concatenate([cells[b] for b in self.blocks]).astype(float)

    def _row(self, claim: _Claim) -> np.ndarray:
        cells = self.grid.cells(claim.scope)
        if claim.kind == "total":
            return self.count_row(cells)
        own = 1 + self.incidents.index(claim.incident)  # only y[e] of its own incident
        return np.concatenate([cells[b] & (i == own) for i, b in enumerate(self.blocks)]).astype(float)


def _solve(cost: np.ndarray, a_ub: list[np.ndarray], b_ub: list[float]) -> Any:
    """linprog with x >= 0; raises on anything but optimal, infeasible (2) or unbounded (3)."""
    result = linprog(cost, A_ub=np.array(a_ub) if a_ub else None, b_ub=np.array(b_ub) if b_ub else None,
                     bounds=(0, None), method="highs")
    if result.status not in (0, 2, 3):
        raise RuntimeError(f"linprog failed: {result.message}")
    return result


def _kept(claims: pd.DataFrame, outcome: str, min_certainty: str | None) -> pd.DataFrame:
    keep = claims["outcome"].astype(object) == outcome
    if min_certainty is not None:
        rank = {grade: i for i, grade in enumerate(CERTAINTY)}
        keep &= claims["certainty"].astype(object).map(rank) >= rank[min_certainty]  # NA -> False
    return claims[keep]


def _claims(frame: pd.DataFrame, per_source: bool) -> list[_Claim]:
    out = []
    for row in frame.itertuples(index=False):
        kind = str(row.kind)
        scope = _Scope(_day(row.start), _day(row.end),
                       {d: split_ids(str(getattr(row, d))) for d in DIMENSIONS})
        incident = ((row.source if per_source else ""), row.incident_id) if kind == "incident" else None
        out.append(_Claim(row.claim_id, kind, incident, float(row.low), float(row.high), scope))
    return out


def _relaxed_bounds(programme: _Programme, query: _Scope) -> tuple[float, float]:
    """min and max of the query's sum over every reconciliation of least total change: slack
    variables ``dl``, ``dh`` >= 0 on each claim's low and high; first the least ``sum(dl + dh)``,
    then min and max of the query with that sum held (up to 1e-9)."""
    n, k = programme.n, len(programme.claims)
    eye = np.eye(k)
    a_ub, b_ub = [], []
    for i, (row, low, high) in enumerate(zip(programme.rows, programme.lows, programme.highs)):
        a_ub.append(np.concatenate([-row, -eye[i], np.zeros(k)])), b_ub.append(-low)  # row + dl >= low
        if np.isfinite(high):
            a_ub.append(np.concatenate([row, np.zeros(k), -eye[i]])), b_ub.append(high)  # row - dh <= high
    change = np.concatenate([np.zeros(n), np.ones(2 * k)])
    first = _solve(change, a_ub, b_ub)
    if first.status != 0:
        raise RuntimeError(f"the least change is always feasible and bounded: {first.message}")
    a_ub.append(change), b_ub.append(first.fun + 1e-9 * (1 + first.fun))
    cost = np.concatenate([programme.count_row(programme.grid.cells(query)), np.zeros(2 * k)])
    least = _solve(cost, a_ub, b_ub)
    most = _solve(-cost, a_ub, b_ub)
    if least.status != 0 or most.status == 2:
        raise RuntimeError("the least-change set is not empty")
    return float(least.fun), (math.inf if most.status == 3 else float(-most.fun))


def _bounds(programme: _Programme, query: _Scope, relax: bool = False) -> tuple[float, float, bool]:
    """min and max of the query's sum; if infeasible, (nan, nan, False), or with ``relax`` the
    least-change bounds and False; high inf if unbounded."""
    if programme.n == 0:  # no variables at all (linprog needs one): every sum is 0
        feasible = bool((programme.lows <= 0).all())
        return (0.0, 0.0, feasible) if feasible or relax else (math.nan, math.nan, False)
    a_ub, b_ub = [], []
    for row, low, high in zip(programme.rows, programme.lows, programme.highs):
        if low > 0:  # row @ x >= low
            a_ub.append(-row), b_ub.append(-low)
        if np.isfinite(high):  # row @ x <= high
            a_ub.append(row), b_ub.append(high)
    cost = programme.count_row(programme.grid.cells(query))
    least = _solve(cost, a_ub, b_ub)
    if least.status == 2:
        return (*_relaxed_bounds(programme, query), False) if relax else (math.nan, math.nan, False)
    most = _solve(-cost, a_ub, b_ub)
    if most.status == 2:
        raise RuntimeError("the maximum is infeasible although the minimum is not")
    return float(least.fun), (math.inf if most.status == 3 else float(-most.fun)), True


def _bearing(claims: list[_Claim], query: _Scope) -> list[_Claim]:
    """The claims that bear on the query, by brute force over the cells: those whose scope
    shares a cell with it, and, again and again, those linked to one that bears, by sharing an
    incident or by sharing a cell when one of the two is a total."""
    grid = _Grid([c.scope for c in claims] + [query])
    cells = [grid.cells(c.scope) for c in claims]
    bears = [bool((cell & grid.cells(query)).any()) for cell in cells]
    grew = True
    while grew:
        grew = False
        for i, a in enumerate(claims):
            if bears[i]:
                continue
            for j, b in enumerate(claims):
                linked = (a.incident is not None and a.incident == b.incident) or (
                    "total" in (a.kind, b.kind) and bool((cells[i] & cells[j]).any()))
                if bears[j] and linked:
                    bears[i] = grew = True
                    break
    return [c for c, keep in zip(claims, bears) if keep]


def reference_bearing(claims: pd.DataFrame, *, source: str | None = None, outcome: str = "killed",
                      min_certainty: str | None = None, **query: Any) -> list[str]:
    """The ids of the claims that bear on a query (of one source's account, or of the truth)."""
    kept = _kept(claims, outcome, min_certainty)
    if source is not None:
        kept = kept[kept["source"] == source]
    return [c.claim_id for c in _bearing(_claims(kept, per_source=source is not None), _query(**query))]


def _query(start: Any = None, end: Any = None, place: Any = None, category: str | None = None,
           perpetrator: Any = None) -> _Scope:
    return _Scope(_day(start), _day(end), {"place": _ids(place, "place"), "category": _ids(category, "category"),
                                           "perpetrator": _ids(perpetrator, "perpetrator")})


def reference_range(claims: pd.DataFrame, *, start: Any = None, end: Any = None, place: Any = None,
                    category: str | None = None, perpetrator: Any = None, outcome: str = "killed",
                    source: str | None = None, min_certainty: str | None = None,
                    relax: bool = False) -> tuple[float, float, bool]:
    """The least and greatest count in a query scope, by brute force.

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims frame.
    start, end : pandas.Timestamp or None
        Inclusive days of the query; ``None``: open (every day before, or after).
    place, perpetrator : tuple of str or None
        Ids of the query (the union); ``None``: the root.
    category : str or None
        One category id; ``None``: the root.
    outcome : str
        Keep only claims of this outcome.
    source : str or None
        ``None``: the truth over every source; a name: that source's account.
    min_certainty : str or None
        Keep only claims at least this certain (unassessed claims are dropped).
    relax : bool
        When the claims cannot all hold, give the least-change bounds (over every
        reconciliation of least total change) instead of ``nan``.

    Only the claims that bear on the query count (:func:`reference_bearing`).

    Returns
    -------
    low, high : float
        Raw LP optima [people]; ``nan`` when infeasible (and not ``relax``), ``high = inf`` when
        unbounded.
    feasible : bool
        Whether the claims that bear on the query hold as given.
    """
    kept = _kept(claims, outcome, min_certainty)
    if source is not None:
        kept = kept[kept["source"] == source]
    query = _query(start, end, place, category, perpetrator)
    programme = _Programme(_bearing(_claims(kept, per_source=source is not None), query), query, z_everywhere=source is None)
    return _bounds(programme, query, relax)


def reference_ranges(claims: pd.DataFrame, **query: Any) -> pd.DataFrame:
    """Every source's account of a query, rounded inward.

    Parameters
    ----------
    claims : pandas.DataFrame
    **query
        The keywords of :func:`reference_range` except ``source``.

    Returns
    -------
    pandas.DataFrame
        One row per source with a kept claim, sorted by name: ``source, low, high, feasible``
        [people].
    """
    kept = _kept(claims, query.get("outcome", "killed"), query.get("min_certainty"))
    rows = []
    for name in sorted(set(kept["source"])):
        low, high, feasible = reference_range(claims, source=name, **query)
        rows.append((name, *round_inward(low, high), feasible))
    return pd.DataFrame(rows, columns=["source", "low", "high", "feasible"])


def reference_period_bounds(claims: pd.DataFrame, bins: list[tuple[Any, Any]],
                            **query: Any) -> list[tuple[float, float, bool]]:
    """:func:`reference_range` for each inclusive ``(start, end)`` bin (raw LP optima)."""
    return [reference_range(claims, start=start, end=end, **query) for start, end in bins]


def reference_conflict_gap(claims: pd.DataFrame, *, outcome: str = "killed",
                           min_certainty: str | None = None) -> tuple[float, dict[str, tuple[float, float]]]:
    """The least total change of bounds that makes every kept claim of every source hold.

    Minimise ``sum_k dl_k + dh_k`` (all >= 0) such that the truth's programme is feasible with
    every claim's bounds relaxed to ``[low_k - dl_k, high_k + dh_k]``.

    Returns
    -------
    gap : float
        The least total change [people]; 0 when the claims are consistent.
    given : dict of str to (float, float)
        For one optimal solution, ``claim_id -> (dl, dh)`` of the claims that give something.
    """
    programme = _Programme(_claims(_kept(claims, outcome, min_certainty), per_source=False), None, True)
    k = len(programme.claims)
    if k == 0:
        return 0.0, {}
    a_ub, b_ub = [], []
    eye = np.eye(k)
    for i, (row, low, high) in enumerate(zip(programme.rows, programme.lows, programme.highs)):
        a_ub.append(np.concatenate([-row, -eye[i], np.zeros(k)])), b_ub.append(-low)  # row + dl >= low
        if np.isfinite(high):
            a_ub.append(np.concatenate([row, np.zeros(k), -eye[i]])), b_ub.append(high)  # row - dh <= high
    result = _solve(np.concatenate([np.zeros(programme.n), np.ones(2 * k)]), a_ub, b_ub)
    if result.status != 0:
        raise RuntimeError(f"the conflict programme is always feasible and bounded: {result.message}")
    dl, dh = result.x[programme.n:programme.n + k], result.x[programme.n + k:]
    given = {c.claim_id: (float(a), float(b)) for c, a, b in zip(programme.claims, dl, dh) if a + b > 1e-9}
    return float(result.fun), given


def round_inward(lo: float, hi: float) -> tuple[float, float]:
    """Round a range inward to whole people: ``ceil(lo - 1e-7)``, ``floor(hi + 1e-7)``.

    ``nan`` stays ``nan`` and ``inf`` stays ``inf``. A fractional LP range holding no whole
    number comes back with ``low > high``.
    """
    low = lo if not np.isfinite(lo) else float(math.ceil(lo - 1e-7))
    high = hi if not np.isfinite(hi) else float(math.floor(hi + 1e-7))
    return low, high
