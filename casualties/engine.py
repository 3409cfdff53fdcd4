"""The linear programmes behind the reconciliation (internal; the public face is ``reconcile``).

The unknown is a non-negative count over elementary cells: time atom x place atom x category
atom x perpetrator atom. The atoms of a tree are, for every node named by a claim or a question
(plus the root), that node's subtree less the subtrees of the other named nodes below it; time
atoms are the intervals between consecutive claim and question boundaries (two of them open,
before and after everything). Cells covered by exactly the same claims and questions are merged
into one variable, so a programme has one variable per distinct coverage, not per cell.

The count in a cell is ``z + sum_e y[e]``: ``z`` the deaths outside any itemised incident (allowed
on every cell for the truth, on the union of a source's total claims for its account), ``y[e]``
the deaths of incident ``e`` (allowed on the cells where every report of ``e`` places it, in the
categories and perpetrators its reports speak of). A total claim bounds the sum over its scope;
an incident claim bounds ``y[e]`` over its scope. See ``docs/model.md``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog

__all__ = ["Region", "Programme", "OPEN"]

#: Days beyond any date: the open ends of time.
OPEN = 1 << 40
_DIMENSIONS = ("place", "category", "perpetrator")
_TOL = 1e-7


@dataclasses.dataclass(frozen=True, slots=True)
class Region:
    """A product set: days ``[start, stop)`` (int days since 1970) x ids per tree dimension."""

    start: int
    stop: int
    place: tuple[str, ...]
    category: tuple[str, ...]
    perpetrator: tuple[str, ...]


def _trees() -> dict[str, Any]:
    from casualties.names import categories, perpetrators
    from casualties.places import place_tree

    return {"place": place_tree(), "category": categories(), "perpetrator": perpetrators()}


def _days(values: pd.Series) -> np.ndarray:
    return values.to_numpy().astype("datetime64[D]").astype(np.int64)


def claim_regions(claims: pd.DataFrame) -> list[Region]:
    """The scope of each claim as a :class:`Region`."""
    from casualties.hierarchy import split_ids

    starts, stops = _days(claims["start"]), _days(claims["end"]) + 1
    places = [split_ids(v) for v in claims["place"].to_numpy()]
    categories = [(str(v),) for v in claims["category"].to_numpy()]
    perpetrators = [split_ids(v) for v in claims["perpetrator"].to_numpy()]
    return [Region(int(a), int(b), p, c, r) for a, b, p, c, r in zip(starts, stops, places, categories, perpetrators)]


def scope_region(scope: Any, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None) -> Region:
    """A :class:`~casualties.scope.Scope` (optionally narrowed to ``[start, end]``) as a Region."""
    trees = _trees()
    lo = -OPEN if scope.start is None else int(np.datetime64(scope.start.date(), "D").astype(np.int64))
    hi = OPEN if scope.end is None else int(np.datetime64(scope.end.date(), "D").astype(np.int64)) + 1
    if start is not None:
        lo = max(lo, int(np.datetime64(pd.Timestamp(start).date(), "D").astype(np.int64)))
    if end is not None:
        hi = min(hi, int(np.datetime64(pd.Timestamp(end).date(), "D").astype(np.int64)) + 1)
    return Region(
        lo,
        max(lo, hi),
        scope.place or (trees["place"].root,),
        (scope.category,) if scope.category else (trees["category"].root,),
        scope.perpetrator or (trees["perpetrator"].root,),
    )


def _covers(tree: Any, ids: tuple[str, ...], atoms: list[str]) -> np.ndarray:
    """Which atoms lie under any of ``ids`` (bool per atom)."""
    outer = np.repeat(np.array(ids, dtype=object), len(atoms))
    inner = np.tile(np.array(atoms, dtype=object), len(ids))
    return tree.contains_array(outer, inner).reshape(len(ids), len(atoms)).any(axis=0)


class _Grid:
    """Atoms of every dimension and which regions cover them."""

    def __init__(self, regions: list[Region]) -> None:
        trees = _trees()
        starts = np.array([r.start for r in regions], dtype=np.int64)
        stops = np.array([r.stop for r in regions], dtype=np.int64)
        cuts = np.unique(np.concatenate([starts, stops, [-OPEN, OPEN]]))
        self.time_lo, self.time_hi = cuts[:-1], cuts[1:]
        self.time_days = np.where((self.time_lo <= -OPEN) | (self.time_hi >= OPEN), np.inf, (self.time_hi - self.time_lo).astype(float))
        self.cover = {"time": (starts[:, None] <= self.time_lo[None, :]) & (self.time_hi[None, :] <= stops[:, None])}
        self.home: dict[str, np.ndarray] = {}
        for dim in _DIMENSIONS:
            tree = trees[dim]
            values = [getattr(r, dim) for r in regions]
            atoms = sorted({tree.root} | {i for ids in values for i in ids})
            cover = np.zeros((len(regions), len(atoms)), dtype=bool)
            home = np.zeros_like(cover)
            position = {a: n for n, a in enumerate(atoms)}
            cache: dict[tuple[str, ...], np.ndarray] = {}
            for k, ids in enumerate(values):
                if ids not in cache:
                    cache[ids] = _covers(tree, ids, atoms)
                cover[k] = cache[ids]
                home[k, [position[i] for i in ids]] = True
            self.cover[dim], self.home[dim] = cover, home
        self.shape = tuple(self.cover[d].shape[1] for d in ("time", *_DIMENSIONS))

    def cells(self, rows: np.ndarray, which: str = "cover") -> np.ndarray:
        """Membership of the given regions in every cell: bool ``(len(rows), n_cells)``."""
        parts = [self.cover["time"][rows]] + [getattr(self, which)[d][rows] if which == "home" else self.cover[d][rows] for d in _DIMENSIONS]
        t, p, c, r = parts
        out = t[:, :, None, None, None] & p[:, None, :, None, None] & c[:, None, None, :, None] & r[:, None, None, None, :]
        return out.reshape(len(rows), -1)

    def cell_days(self) -> np.ndarray:
        return np.broadcast_to(self.time_days[:, None, None, None], self.shape).reshape(-1)

    def incident_region(self, rows: np.ndarray) -> np.ndarray:
        """Cells where every report places the incident, in the categories/perpetrators it names."""
        t = self.cover["time"][rows].all(axis=0)
        p = self.cover["place"][rows].all(axis=0)
        c, r = self.cover["category"][rows], self.cover["perpetrator"][rows]
        catperp = (c[:, :, None] & r[:, None, :]).any(axis=0)
        out = t[:, None, None, None] & p[None, :, None, None] & catperp[None, None, :, :]
        return out.reshape(-1)


@dataclasses.dataclass
class Bounds:
    """Raw optima of one question: ``low``/``high`` [people], or infeasible."""

    low: float
    high: float
    feasible: bool


class Programme:
    """One account (a source's, or the truth) as a linear programme over merged cells.

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims of the account (already filtered by outcome and certainty).
    questions : list of Region
        The scopes whose counts are asked for (periods, a scope).
    z_everywhere : bool
        True for the truth (deaths allowed anywhere); False for a source's account (deaths outside
        itemised incidents only inside the source's own totals).
    """

    def __init__(self, claims: pd.DataFrame, questions: list[Region], z_everywhere: bool) -> None:
        self.claims = claims
        n_claims, n_questions = len(claims), len(questions)
        grid = _Grid(claim_regions(claims) + list(questions))
        kind = claims["kind"].to_numpy().astype(str)
        totals = np.flatnonzero(kind == "total")
        question_rows = n_claims + np.arange(n_questions)
        member = grid.cells(np.arange(n_claims + n_questions))
        home = grid.cells(np.arange(n_claims), which="home")
        days = grid.cell_days()
        columns: list[np.ndarray] = []
        var_days: list[np.ndarray] = []
        var_home: list[np.ndarray] = []
        owners: list[np.ndarray] = []  # which claims may receive the variable in the estimate

        def add(mask: np.ndarray, rows: np.ndarray, eligible: np.ndarray) -> None:
            if not mask.any():
                return
            sub = member[np.ix_(rows, np.flatnonzero(mask))] if rows.size else np.zeros((0, int(mask.sum())), dtype=bool)
            keys = np.packbits(sub, axis=0).T if rows.size else np.zeros((sub.shape[1], 1), dtype=np.uint8)
            _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
            inverse = inverse.reshape(-1)
            n = len(first)
            coef = np.zeros((n_claims + n_questions, n), dtype=bool)
            coef[rows] = sub[:, first]
            columns.append(coef)
            cell_days = days[mask]
            finite = np.where(np.isfinite(cell_days), cell_days, 0.0)
            var_days.append(np.bincount(inverse, weights=finite, minlength=n) + np.where(np.bincount(inverse, weights=~np.isfinite(cell_days), minlength=n) > 0, np.inf, 0.0))
            h = home[:, mask]
            home_days = np.stack([np.bincount(inverse, weights=h[k] * finite, minlength=n) for k in range(n_claims)]) if n_claims else np.zeros((0, n))
            var_home.append(home_days)
            own = np.zeros((n_claims, n), dtype=bool)
            own[eligible] = coef[eligible]
            owners.append(own)

        zmask = np.ones(member.shape[1], dtype=bool) if z_everywhere else member[totals].any(axis=0)
        add(zmask, np.concatenate([totals, question_rows]), totals)
        incident_rows = np.flatnonzero(kind == "incident")
        if incident_rows.size:
            codes, _ = pd.factorize(claims["incident_id"].to_numpy()[incident_rows])
            order = np.argsort(codes, kind="stable")
            splits = np.flatnonzero(np.diff(codes[order])) + 1
            for group in np.split(incident_rows[order], splits):
                region = grid.incident_region(group)
                add(region, np.concatenate([totals, group, question_rows]), group)
        if columns:
            coef = np.concatenate(columns, axis=1)
            self.var_days = np.concatenate(var_days)
            self.var_home = np.concatenate(var_home, axis=1)
            self.owners = np.concatenate(owners, axis=1)
        else:
            coef = np.zeros((n_claims + n_questions, 0), dtype=bool)
            self.var_days = np.zeros(0)
            self.var_home = np.zeros((n_claims, 0))
            self.owners = np.zeros((n_claims, 0), dtype=bool)
        self.A = sparse.csr_array(coef[:n_claims].astype(float))
        self.Q = coef[n_claims:].astype(float)
        self.low = claims["low"].to_numpy(dtype=float)
        self.high = claims["high"].to_numpy(dtype=float)
        self.best = claims["best"].to_numpy(dtype=float)
        self.n_vars = coef.shape[1]

    # -- constraints ----------------------------------------------------------------------------
    def _inequalities(self, low: np.ndarray, high: np.ndarray) -> tuple[Any, np.ndarray]:
        upper = np.isfinite(high)
        lower = low > 0
        a_ub = sparse.vstack([self.A[upper], -self.A[lower]]).tocsr()
        b_ub = np.concatenate([high[upper], -low[lower]])
        return a_ub, b_ub

    def feasible(self) -> bool:
        """Whether all the claims can hold at once."""
        if self.n_vars == 0:
            return bool((self.low <= 0).all())
        a_ub, b_ub = self._inequalities(self.low, self.high)
        result = linprog(np.zeros(self.n_vars), A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        return result.status == 0

    def bounds(self) -> list[Bounds]:
        """Least and greatest count of every question (raw LP optima)."""
        n_q = self.Q.shape[0]
        if self.n_vars == 0:
            ok = bool((self.low <= 0).all())
            return [Bounds(0.0 if ok else np.nan, 0.0 if ok else np.nan, ok) for _ in range(n_q)]
        a_ub, b_ub = self._inequalities(self.low, self.high)
        if a_ub.shape[0] == 0:
            a_ub, b_ub = None, None
        out = []
        for q in range(n_q):
            cost = self.Q[q]
            lo = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
            if lo.status == 2:
                return [Bounds(np.nan, np.nan, False) for _ in range(n_q)]
            hi = linprog(-cost, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
            _check(lo), _check(hi)
            high = np.inf if hi.status == 3 else -hi.fun
            out.append(Bounds(float(lo.fun), float(high), True))
        return out

    # -- the least change that reconciles the claims --------------------------------------------
    def min_change(self, weights: np.ndarray | None = None) -> tuple[float, np.ndarray, np.ndarray]:
        """Least total change to lows and highs [people] making every claim hold.

        Returns the gap and, per claim, how much its low must drop and its high must rise. With
        ``weights``, among the least changes the one cheapest by weight is chosen.
        """
        k = len(self.low)
        if k == 0:
            return 0.0, np.zeros(0), np.zeros(0)
        finite = np.isfinite(self.high)
        n = self.n_vars
        eye = sparse.identity(k, format="csr")
        # variables: x (n), dl (k), dh (k); rows: A x - dh <= high (finite), -A x - dl <= -low
        a_ub = sparse.vstack(
            [
                sparse.hstack([self.A[finite], sparse.csr_array((int(finite.sum()), k)), -eye[finite]]),
                sparse.hstack([-self.A, -eye, sparse.csr_array((k, k))]),
            ]
        ).tocsr()
        b_ub = np.concatenate([self.high[finite], -self.low])
        dh_bounds = [(0, None) if f else (0, 0) for f in finite]
        var_bounds = [(0, None)] * n + [(0, None)] * k + dh_bounds
        cost = np.concatenate([np.zeros(n), np.ones(2 * k)])
        first = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=var_bounds, method="highs")
        _check(first)
        gap = float(first.fun)
        solution = first.x
        if weights is not None and gap > _TOL:
            w = np.concatenate([np.zeros(n), weights, weights])
            a2 = sparse.vstack([a_ub, sparse.csr_array(cost[None, :])]).tocsr()
            b2 = np.concatenate([b_ub, [gap + 1e-9 * (1 + gap)]])
            second = linprog(w, A_ub=a2, b_ub=b2, bounds=var_bounds, method="highs")
            if second.status == 0:
                solution = second.x
        # HiGHS solves to a tolerance of about 1e-7: clean the noise off whole-people answers.
        dl, dh = np.round(solution[n : n + k], 4), np.round(solution[n + k :], 4)
        return round(gap, 4), np.where(dl > _TOL, dl, 0.0), np.where(dh > _TOL, dh, 0.0)

    # -- the point estimate ------------------------------------------------------------------------
    def _reference(self) -> np.ndarray:
        """Claims' bests spread innermost first, pro rata by days over their own cells."""
        rho = np.zeros(self.n_vars)
        size = np.array([self.var_days[self.owners[k]][np.isfinite(self.var_days[self.owners[k]])].sum() for k in range(len(self.best))])
        a = self.A.toarray().astype(bool)
        for k in np.argsort(size, kind="stable"):
            remainder = self.best[k] - rho[a[k]].sum()
            if remainder <= 0:
                continue
            eligible = self.owners[k] & np.isfinite(self.var_days)
            weight = np.where(eligible, self.var_home[k], 0.0)
            if weight.sum() <= 0:
                weight = np.where(eligible, self.var_days, 0.0)
            if weight.sum() <= 0:
                weight = eligible.astype(float)
            if weight.sum() > 0:
                rho += remainder * weight / weight.sum()
        return rho

    def estimate(self) -> np.ndarray:
        """One coherent allocation of the claims' bests over the variables.

        Stage 1 finds the least total distance of the claims' counts from their bests, within
        their bounds (bounds relaxed by the least change when they contradict each other);
        stage 2 picks, among those, the allocation closest to :meth:`_reference`.
        """
        n, k = self.n_vars, len(self.best)
        if n == 0:
            return np.zeros(0)
        low, high = self.low, self.high
        if not self.feasible():
            _, dl, dh = self.min_change()
            low, high = low - dl, high + dh
        a_ub, b_ub = self._inequalities(low, high)
        eye = sparse.identity(k, format="csr")
        # variables: x (n), u (k), v (k) with A x - best = u - v
        a_eq = sparse.hstack([self.A, -eye, eye]).tocsr()
        b_eq = self.best
        a_ub_full = sparse.hstack([a_ub, sparse.csr_array((a_ub.shape[0], 2 * k))]).tocsr()
        cost = np.concatenate([np.zeros(n), np.ones(2 * k)])
        first = linprog(cost, A_ub=a_ub_full, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        _check(first)
        rho = self._reference()
        # stage 2: variables x, u, v, s, t with x - rho = s - t; minimise sum(s + t)
        eye_n = sparse.identity(n, format="csr")
        zeros_kn = sparse.csr_array((k, 2 * n))
        a_eq2 = sparse.vstack(
            [
                sparse.hstack([a_eq, zeros_kn]),
                sparse.hstack([eye_n, sparse.csr_array((n, 2 * k)), -eye_n, eye_n]),
            ]
        ).tocsr()
        b_eq2 = np.concatenate([b_eq, rho])
        budget = sparse.csr_array(np.concatenate([cost, np.zeros(2 * n)])[None, :])
        a_ub2 = sparse.vstack([sparse.hstack([a_ub_full, sparse.csr_array((a_ub_full.shape[0], 2 * n))]), budget]).tocsr()
        b_ub2 = np.concatenate([b_ub, [first.fun + _TOL * (1 + first.fun)]])
        cost2 = np.concatenate([np.zeros(n + 2 * k), np.ones(2 * n)])
        second = linprog(cost2, A_ub=a_ub2, b_ub=b_ub2, A_eq=a_eq2, b_eq=b_eq2, bounds=(0, None), method="highs")
        x = second.x[:n] if second.status == 0 else first.x[:n]
        return x

    def question_estimates(self) -> np.ndarray:
        """The estimate summed over each question [people]."""
        if self.n_vars == 0:
            return np.zeros(self.Q.shape[0])
        return self.Q @ self.estimate()


def _check(result: Any) -> None:
    if result.status not in (0, 2, 3):
        from casualties.errors import CasualtiesError

        raise CasualtiesError(f"the linear programme failed: {result.message}")
