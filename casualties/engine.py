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
import threading
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["OPEN", "Programme", "Region"]

#: Days beyond any date: the open ends of time.
OPEN = 1 << 40
_DIMENSIONS = ("place", "category", "perpetrator")
_TOL = 1e-7
#: Programmes with at least this many non-zeros solve their bounds and estimate in two threads.
_THREADED_NNZ = 20_000


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
            codes, uniques = pd.factorize(pd.Series(values, dtype=object))
            # atom(n) lies under a scope exactly when n does
            under, _ = tree.set_relations([(a,) for a in atoms], list(uniques))
            home = np.zeros((len(regions), len(atoms)), dtype=bool)
            position = {a: n for n, a in enumerate(atoms)}
            for k, ids in enumerate(values):
                home[k, [position[i] for i in ids]] = True
            self.cover[dim], self.home[dim] = under.T[codes], home
        self.shape = tuple(self.cover[d].shape[1] for d in ("time", *_DIMENSIONS))

    def groups(self, which: str = "cover") -> np.ndarray:
        """Membership of every region in every non-time cell (place x category x perpetrator
        atoms, C order): bool ``(n_regions, n_groups)``."""
        trees = self.home if which == "home" else self.cover
        p, c, r = (trees[d] for d in _DIMENSIONS)
        return (p[:, :, None, None] & c[:, None, :, None] & r[:, None, None, :]).reshape(len(p), p.shape[1] * c.shape[1] * r.shape[1])

    def signatures(self, rows: np.ndarray, cells: np.ndarray, groups: np.ndarray) -> np.ndarray:
        """Which of ``rows`` cover each cell, bit-packed over rows: uint8 ``(ceil(len(rows) / 8),
        len(cells))``, equal to ``np.packbits(membership, axis=0)`` without the dense membership.

        A cell ``t * n_groups + g`` is covered by a region exactly when its time atom ``t`` and
        its group ``g`` are, and packing commutes with ``&``: the time and group memberships are
        packed apart (over the atoms these cells use) and combined bytewise.
        """
        n_groups = groups.shape[1]
        t_of, g_of = np.divmod(cells, n_groups)
        t_used, t_at = np.unique(t_of, return_inverse=True)
        g_used, g_at = np.unique(g_of, return_inverse=True)
        time = np.packbits(self.cover["time"][np.ix_(rows, t_used)], axis=0)
        group = np.packbits(groups[np.ix_(rows, g_used)], axis=0)
        return time[:, t_at.reshape(-1)] & group[:, g_at.reshape(-1)]

    def covered(self, rows: np.ndarray, groups: np.ndarray) -> np.ndarray:
        """Cells covered by at least one of ``rows``: bool ``(n_cells,)``."""
        time = self.cover["time"][rows].astype(np.float32)
        return ((time.T @ groups[rows].astype(np.float32)) > 0).reshape(-1)

    def cell_days(self) -> np.ndarray:
        return np.repeat(self.time_days, int(np.prod(self.shape[1:])))

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


@dataclasses.dataclass
class _Block:
    """The variables of one independent part of a programme (dense, small)."""

    coef: np.ndarray  # bool (n_claims + n_questions, n_vars)
    var_days: np.ndarray  # (n_vars,) days [days], inf for open time
    var_home: np.ndarray  # (n_claims, n_vars) days of each claim's own cells [days]
    owners: np.ndarray  # bool (n_claims, n_vars): which claims may place their best there
    var_time: Any  # sparse (n_vars, n_time_atoms): how many of each variable's cells lie in each time atom
    time_lo: np.ndarray  # (n_time_atoms,) first day of each time atom [days since 1970]
    time_hi: np.ndarray  # (n_time_atoms,) day after the last [days since 1970]


def _block(claims: pd.DataFrame, questions: list[Region], z_everywhere: bool) -> _Block:
    """Merged-cell variables of ``claims`` (with ``questions``) on a grid of their own."""
    n_claims, n_questions = len(claims), len(questions)
    grid = _Grid(claim_regions(claims) + list(questions))
    kind = claims["kind"].to_numpy().astype(str)
    totals = np.flatnonzero(kind == "total")
    question_rows = n_claims + np.arange(n_questions)
    groups = grid.groups()
    n_groups = groups.shape[1]
    days = grid.cell_days()
    home_time = grid.cover["time"][:n_claims]
    # Each claim's own cells (its time atoms x its home groups), listed once for every part.
    home_claim, home_group = np.nonzero(grid.groups("home")[:n_claims])
    first_t = home_time.argmax(axis=1)
    n_t = home_time.sum(axis=1)
    reps = n_t[home_claim]
    pair = np.repeat(np.arange(len(home_claim)), reps)
    home_t = first_t[home_claim][pair] + (np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps))
    home_cell = home_t * n_groups + home_group[pair]
    home_owner = home_claim[pair]
    home_days = days[home_cell]
    home_finite = np.isfinite(home_days)
    home_cell, home_owner, home_days = home_cell[home_finite], home_owner[home_finite], home_days[home_finite]
    cell_var = np.full(len(days), -1, dtype=np.int64)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    layouts: list[Any] = []
    n_time = len(grid.time_lo)

    def add(mask: np.ndarray, rows: np.ndarray, eligible: np.ndarray) -> None:
        if not mask.any():
            return
        cells = np.flatnonzero(mask)
        packed = np.ascontiguousarray(grid.signatures(rows, cells, groups).T)
        if packed.shape[1]:
            keys = packed.view(np.dtype((np.void, packed.shape[1]))).reshape(-1)
            _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
            inverse = inverse.reshape(-1)
        else:  # no rows: every cell alike
            first, inverse = np.zeros(1, dtype=np.int64), np.zeros(len(cells), dtype=np.int64)
        n = len(first)
        coef = np.zeros((n_claims + n_questions, n), dtype=bool)
        coef[rows] = np.unpackbits(packed[first].T, axis=0, count=len(rows)).astype(bool)
        cell_days = days[cells]
        finite = np.where(np.isfinite(cell_days), cell_days, 0.0)
        open_ = np.bincount(inverse, weights=~np.isfinite(cell_days), minlength=n) > 0
        var_days = np.where(open_, np.inf, np.bincount(inverse, weights=finite, minlength=n))
        cell_var[cells] = inverse
        var = cell_var[home_cell]
        mine = var >= 0
        var_home = np.bincount(home_owner[mine] * n + var[mine], weights=home_days[mine], minlength=n_claims * n).reshape(n_claims, n)
        cell_var[cells] = -1
        own = np.zeros((n_claims, n), dtype=bool)
        own[eligible] = coef[eligible]
        parts.append((coef, var_days, var_home, own))
        layouts.append(sparse.coo_array((np.ones(len(cells)), (inverse, cells // n_groups)), shape=(n, n_time)).tocsr())

    zmask = np.ones(len(days), dtype=bool) if z_everywhere else grid.covered(totals, groups)
    add(zmask, np.concatenate([totals, question_rows]), totals)
    incident_rows = np.flatnonzero(kind == "incident")
    if incident_rows.size:
        codes, _ = pd.factorize(claims["incident_id"].to_numpy()[incident_rows])
        order = np.argsort(codes, kind="stable")
        splits = np.flatnonzero(np.diff(codes[order])) + 1
        for group in np.split(incident_rows[order], splits):
            add(grid.incident_region(group), np.concatenate([totals, group, question_rows]), group)
    if not parts:
        empty = sparse.csr_array((0, n_time))
        return _Block(np.zeros((n_claims + n_questions, 0), dtype=bool), np.zeros(0), np.zeros((n_claims, 0)), np.zeros((n_claims, 0), dtype=bool), empty, grid.time_lo, grid.time_hi)
    coef, var_days, var_home, owners = (np.concatenate(x, axis=-1) for x in zip(*parts))
    return _Block(coef, var_days, var_home, owners, sparse.vstack(layouts).tocsr(), grid.time_lo, grid.time_hi)


class Programme:
    """An account (a source's, or the truth) as a linear programme over merged cells.

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims of the account (already filtered by outcome and certainty).
    questions : list of Region
        The scopes whose counts are asked for (periods, a scope).
    z_everywhere : bool
        True for the truth (deaths allowed anywhere); False for a source's account (deaths outside
        itemised incidents only inside the source's own totals).
    groups : list of numpy.ndarray, optional
        Positions of claims that form independent parts (no claim of one part shares a cell with
        a claim of another, and at most the first part may have ``z`` everywhere). Each part gets
        a grid of its own and the programme is their block-diagonal union. Default: one part.
    """

    def __init__(
        self,
        claims: pd.DataFrame,
        questions: list[Region],
        z_everywhere: bool,
        groups: list[np.ndarray] | None = None,
    ) -> None:
        if groups is None:
            groups = [np.arange(len(claims))]
        # A canonical order (by claim_id) of the parts and inside every part, so that neither the
        # variables nor the estimate's tie-breaks depend on the order the claims arrived in.
        ids = claims["claim_id"].to_numpy()
        groups = [g[np.argsort(ids[g], kind="stable")] for g in groups]
        head = 1 if z_everywhere else 0  # the part with z everywhere stays first
        groups = groups[:head] + sorted(groups[head:], key=lambda g: ids[g[0]] if len(g) else "")
        order = np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)
        self.claims = claims.iloc[order]
        blocks = [_block(claims.iloc[g], questions, z_everywhere and i == 0) for i, g in enumerate(groups)]
        n_questions = len(questions)
        sizes = [len(g) for g in groups]
        self._blocks = list(zip(blocks, sizes))
        if blocks:
            self.A = sparse.block_diag([sparse.csr_array(b.coef[:k].astype(float)) for b, k in self._blocks], format="csr")
            self.Q = np.concatenate([b.coef[k:].astype(float) for b, k in self._blocks], axis=1)
            self.var_days = np.concatenate([b.var_days for b in blocks])
        else:
            self.A = sparse.csr_array((0, 0))
            self.Q = np.zeros((n_questions, 0))
            self.var_days = np.zeros(0)
        self.A = sparse.csr_array(self.A)
        self.low = self.claims["low"].to_numpy(dtype=float)
        self.high = self.claims["high"].to_numpy(dtype=float)
        self.best = self.claims["best"].to_numpy(dtype=float)
        self.n_vars = self.Q.shape[1]

    # -- constraints ----------------------------------------------------------------------------
    def feasible(self) -> bool:
        """Whether all the claims can hold at once."""
        if self.n_vars == 0:
            return bool((self.low <= 0).all())
        solver = _highs(self.A, np.where(self.low > 0, self.low, -np.inf), self.high, np.full(self.n_vars, np.inf))
        solver.run()
        return _optimal(solver)

    def bounds(self, pool: Any = None) -> list[Bounds]:
        """Least and greatest count of every question (raw LP optima).

        The constraints are passed to HiGHS once; each question changes only the objective, and
        HiGHS re-solves from the previous optimal basis (a few primal simplex steps, usually).
        With a thread ``pool`` (``concurrent.futures``), the maxima are solved on a second model
        in the pool while this thread solves the minima.
        """
        n_q = self.Q.shape[0]
        if self.n_vars == 0:
            ok = bool((self.low <= 0).all())
            return [Bounds(0.0 if ok else np.nan, 0.0 if ok else np.nan, ok) for _ in range(n_q)]
        row_low = np.where(self.low > 0, self.low, -np.inf)
        highs = pool.submit(self._maxima, row_low) if pool is not None else None
        solver = _Solver(self.A, row_low, self.high)
        # All minima, then all maxima: neighbouring questions have neighbouring optimal bases.
        # A feasible point that puts nobody in a question proves its minimum is 0 (questions
        # count non-negative variables), so only the other minima are solved.
        lows: list[float] = []
        if solver.optimum(np.zeros(self.n_vars), maximize=False) is not None:
            point = solver.solution()
            for q in range(n_q):
                if self.Q[q] @ point <= 1e-9:
                    lows.append(0.0)
                    continue
                low = solver.optimum(self.Q[q], maximize=False)
                if low is None:
                    break
                lows.append(low)
                point = solver.solution()
        if len(lows) < n_q:  # infeasible
            if highs is not None:
                highs.cancel()
            return [Bounds(np.nan, np.nan, False) for _ in range(n_q)]
        tops = highs.result() if highs is not None else self._maxima(row_low, solver)
        return [Bounds(float(lo), float(np.inf if hi is None else hi), True) for lo, hi in zip(lows, tops)]

    def _maxima(self, row_low: np.ndarray, solver: Any = None) -> list[float | None]:
        """The maximum of every question (None: unbounded), on ``solver`` or a model of its own."""
        solver = _Solver(self.A, row_low, self.high) if solver is None else solver
        return [solver.optimum(self.Q[q], maximize=True) for q in range(self.Q.shape[0])]

    # -- the least change that reconciles the claims --------------------------------------------
    def min_change(self, weights: np.ndarray | None = None) -> tuple[float, np.ndarray, np.ndarray]:
        """Least total change to lows and highs [people] making every claim hold.

        Returns the gap and, per claim, how much its low must drop and its high must rise. With
        ``weights``, among the least changes the one cheapest by weight is chosen.
        """
        k = len(self.low)
        if k == 0:
            return 0.0, np.zeros(0), np.zeros(0)
        n = self.n_vars
        eye = sparse.identity(k, format="csr")
        # variables: x (n), dl (k), dh (k); one row per claim: low <= A x + dl - dh <= high (the
        # least dl + dh for a given x is the distance of A x from [low, high]); dh is 0 where
        # high is infinite.
        matrix = sparse.hstack([self.A, eye, -eye])
        col_high = np.concatenate([np.full(n + k, np.inf), np.where(np.isfinite(self.high), np.inf, 0.0)])
        cost = np.concatenate([np.zeros(n), np.ones(2 * k)])
        solver = _highs(matrix, np.where(self.low > 0, self.low, -np.inf), self.high, col_high, cost)
        solver.run()
        if not _optimal(solver):
            from casualties.errors import CasualtiesError

            raise CasualtiesError(f"the linear programme failed: {solver.modelStatusToString(solver.getModelStatus())}")
        gap = float(solver.getInfo().objective_function_value)
        solution = np.asarray(solver.getSolution().col_value)
        if weights is not None and gap > _TOL:
            # Among the least changes, the cheapest by weight: the budget row keeps the current
            # basis feasible, and the primal simplex goes on from it.
            solver.addRow(-np.inf, gap + 1e-9 * (1 + gap), 2 * k, np.arange(n, n + 2 * k, dtype=np.int32), np.ones(2 * k))
            weighted = np.concatenate([np.zeros(n), weights, weights])
            solver.changeColsCost(len(weighted), np.arange(len(weighted), dtype=np.int32), weighted)
            solver.run()
            if _optimal(solver):
                solution = np.asarray(solver.getSolution().col_value)
        # HiGHS solves to a tolerance of about 1e-7: clean the noise off whole-people answers.
        dl, dh = np.round(solution[n : n + k], 4), np.round(solution[n + k :], 4)
        return round(gap, 4), np.where(dl > _TOL, dl, 0.0), np.where(dh > _TOL, dh, 0.0)

    # -- the point estimate ------------------------------------------------------------------------
    def _reference(self) -> np.ndarray:
        """Claims' bests spread innermost first, pro rata by days over their own cells."""
        parts = []
        offset = 0
        for block, k in self._blocks:
            best = self.best[offset : offset + k]
            offset += k
            rho = np.zeros(block.coef.shape[1])
            days = block.var_days
            finite = np.isfinite(days)
            size = np.where(block.owners & finite[None, :], days[None, :], 0.0).sum(axis=1)
            for j in np.argsort(size, kind="stable"):
                remainder = best[j] - rho[block.coef[j]].sum()
                if remainder <= 0:
                    continue
                eligible = block.owners[j] & finite
                for weight in (np.where(eligible, block.var_home[j], 0.0), np.where(eligible, days, 0.0), eligible.astype(float)):
                    if weight.sum() > 0:
                        rho += remainder * weight / weight.sum()
                        break
            parts.append(rho)
        return np.concatenate(parts) if parts else np.zeros(0)

    def estimate(self, feasible: bool | None = None) -> np.ndarray:
        """One coherent allocation of the claims' bests over the variables.

        Stage 1 finds the least total distance of the claims' counts from their bests, within
        their bounds (bounds relaxed by the least change when they contradict each other);
        stage 2 picks, among those, the allocation closest to :meth:`_reference`.
        """
        if self.n_vars == 0:
            return np.zeros(0)
        rho = self._reference()
        counted = self.A @ rho
        scale = 1e-9 * (1.0 + np.abs(self.best))
        if np.all(np.abs(counted - self.best) <= scale) and np.all(counted <= self.high + scale) and np.all(counted >= self.low - scale):
            # The reference honours every claim's best within its bounds: it is the optimum of
            # both stages (distance 0 from the bests and from itself).
            return rho
        low, high = self.low, self.high
        if not (self.feasible() if feasible is None else feasible):
            _, dl, dh = self.min_change()
            low, high = low - dl, high + dh
        return _closest(self.A, self.best, low, high, rho)

    def spread(self, x: np.ndarray, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """An allocation ``x`` summed over periods ``[start, stop)`` [days since 1970] of the
        programme's first question, each variable shared pro rata by days [people].

        Each variable's cells are whole time atoms; a period takes of a variable the share of its
        days that fall in the period (open time atoms, of infinite length, give nothing).
        """
        out = np.zeros(len(start))
        offset = 0
        for block, _ in self._blocks:
            n = block.coef.shape[1]
            part = x[offset : offset + n] * block.coef[-self.Q.shape[0]]
            offset += n
            if not n:
                continue
            lo, hi = block.time_lo, block.time_hi
            finite = (lo > -OPEN) & (hi < OPEN)
            overlap = np.clip(np.minimum(hi[:, None], stop[None, :]) - np.maximum(lo[:, None], start[None, :]), 0, None)
            overlap = np.where(finite[:, None], overlap, 0).astype(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(np.isfinite(block.var_days), part / block.var_days, 0.0)
            out += share @ (block.var_time @ overlap)
        return out


_HIGHS_LOCK = threading.Lock()


def _quiet_highs() -> Any:
    """A silent ``highspy.Highs`` (its first construction prints a banner on the C stdout).

    The C stdout is pointed at /dev/null meanwhile, under a lock: two threads swapping file
    descriptors at once could leave it there.
    """
    import os
    import sys

    import highspy

    with _HIGHS_LOCK:
        sys.stdout.flush()
        saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            solver = highspy.Highs()
            solver.setOptionValue("output_flag", False)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
    return solver


def _highs(matrix: Any, row_low: np.ndarray, row_high: np.ndarray, col_high: np.ndarray, cost: np.ndarray | None = None) -> Any:
    """A silent HiGHS holding ``row_low <= matrix x <= row_high, 0 <= x <= col_high`` (infinite
    bounds allowed), minimising ``cost @ x`` (default 0), solved by the primal simplex.

    The primal simplex restarts from the last optimal basis whenever only the objective changes
    (it stays primal feasible): about 15x faster here than HiGHS' default dual simplex.
    """
    import highspy

    inf = highspy.kHighsInf
    csc = sparse.csc_array(matrix)
    csc.sort_indices()
    n_rows, n_cols = csc.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, n_rows
    lp.col_cost_ = np.zeros(n_cols) if cost is None else np.asarray(cost, dtype=float)
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.where(np.isfinite(col_high), col_high, inf)
    lp.row_lower_ = np.where(np.isfinite(row_low), row_low, -inf)
    lp.row_upper_ = np.where(np.isfinite(row_high), row_high, inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(float)
    solver = _quiet_highs()
    solver.setOptionValue("simplex_strategy", 4)
    # Presolve would reduce the first solve only to be undone for the warm-started ones (and it
    # slows the first solve here, where merged cells leave little to remove).
    solver.setOptionValue("presolve", "off")
    solver.passModel(lp)
    return solver


def _optimal(solver: Any) -> bool:
    import highspy

    return solver.getModelStatus() == highspy.HighsModelStatus.kOptimal


def _closest(a: Any, best: np.ndarray, low: np.ndarray, high: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """The two-stage estimate (see :meth:`Programme.estimate`) on one HiGHS model.

    Stage 1: variables ``x`` (n), ``u``, ``v`` (k); rows ``A x - u + v = best`` (``A x`` stays
    within ``[low, high]`` through the bounds of ``u`` and ``v``); minimise ``sum(u + v)``.
    Stage 2 adds columns ``s``, ``t`` (n) with rows ``x - s + t = rho`` (``t <= rho``, so they
    hold for any ``x >= 0``) and the row ``sum(u + v) <= stage-1 optimum``, and minimises
    ``sum(s + t)`` by the primal simplex from stage 1's basis extended to the new rows (``s`` or
    ``t`` basic in each, whichever takes the gap of ``x`` to ``rho``; the budget row's slack):
    a feasible basis, so stage 2 takes a few steps rather than a new solve.
    """
    import highspy

    n, k = a.shape[1], a.shape[0]
    eye_k = sparse.identity(k, format="csr")
    stage1 = np.concatenate([np.zeros(n), np.ones(2 * k)])
    col_high = np.concatenate([np.full(n, np.inf), high - best, best - np.maximum(low, 0.0)])
    solver = _highs(sparse.hstack([a, -eye_k, eye_k]), best, best, col_high, stage1)
    solver.run()
    if not _optimal(solver):
        from casualties.errors import CasualtiesError

        raise CasualtiesError(f"the linear programme failed: {solver.modelStatusToString(solver.getModelStatus())}")
    first = np.asarray(solver.getSolution().col_value[:n])
    distance = float(solver.getInfo().objective_function_value)
    basis = solver.getBasis()
    inf = highspy.kHighsInf
    solver.addCols(2 * n, np.ones(2 * n), np.zeros(2 * n), np.concatenate([np.full(n, inf), rho]), 0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
    column = np.arange(n)
    entries = np.column_stack([column, n + 2 * k + column, 2 * n + 2 * k + column]).reshape(-1).astype(np.int32)
    solver.addRows(n, rho, rho, 3 * n, (3 * column).astype(np.int32), entries, np.tile([1.0, -1.0, 1.0], n))
    solver.addRow(-inf, distance + _TOL * (1 + distance), 2 * k, np.arange(n, n + 2 * k, dtype=np.int32), np.ones(2 * k))
    solver.changeColsCost(n + 2 * k, np.arange(n + 2 * k, dtype=np.int32), np.zeros(n + 2 * k))
    status = highspy.HighsBasisStatus
    above = first >= rho
    extended = highspy.HighsBasis()
    extended.col_status = [
        *basis.col_status,
        *np.where(above, status.kBasic, status.kLower).tolist(),
        *np.where(above, status.kLower, status.kBasic).tolist(),
    ]
    extended.row_status = [*basis.row_status, *([status.kLower] * n), status.kBasic]
    extended.valid = True
    solver.setBasis(extended)
    solver.run()
    x = np.asarray(solver.getSolution().col_value[:n]) if _optimal(solver) else first
    return np.maximum(x, 0.0)


class _Solver:
    """``low <= A x <= high, x >= 0`` held by HiGHS; objectives change, the model stays."""

    def __init__(self, a: Any, low: np.ndarray, high: np.ndarray) -> None:
        import highspy

        self._highspy = highspy
        self._n = a.shape[1]
        self._h = _highs(a, low, high, np.full(self._n, np.inf))
        self._index = np.arange(self._n, dtype=np.int32)

    def solution(self) -> np.ndarray:
        """The optimal point of the last solve, clipped at 0 (HiGHS' tolerance)."""
        return np.maximum(np.asarray(self._h.getSolution().col_value), 0.0)

    def optimum(self, cost: np.ndarray, maximize: bool) -> float | None:
        """The optimum of ``cost @ x`` (``cost >= 0``); None when infeasible (minimising) or
        unbounded (maximising)."""
        hs = self._highspy
        self._h.changeObjectiveSense(hs.ObjSense.kMaximize if maximize else hs.ObjSense.kMinimize)
        self._h.changeColsCost(self._n, self._index, np.asarray(cost, dtype=float))
        self._h.run()
        status = self._h.getModelStatus()
        if status == hs.HighsModelStatus.kOptimal:
            return float(self._h.getInfo().objective_function_value)
        # Costs here are non-negative and x >= 0, so a minimum is never unbounded and a maximum
        # is asked only of a feasible programme: "unbounded or infeasible" is decided by the sense.
        if status in (hs.HighsModelStatus.kInfeasible, hs.HighsModelStatus.kUnbounded, hs.HighsModelStatus.kUnboundedOrInfeasible):
            return None
        from casualties.errors import CasualtiesError

        raise CasualtiesError(f"the linear programme failed: {self._h.modelStatusToString(status)}")


# -- decomposition: closed forms for lone incidents, one programme for the rest ----------------
def _dimension_values(claims: pd.DataFrame, dim: str) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    from casualties.hierarchy import split_ids

    column = claims[dim]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, uniques = column.cat.codes.to_numpy(), list(column.cat.categories)
    else:
        codes, uniques = column.factorize()
    return codes, [split_ids(u) for u in uniques]


def _shared_cells(claims: pd.DataFrame, left: np.ndarray, right: np.ndarray, chunk: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i, j)`` of claims at positions ``left`` x ``right`` whose scopes share a cell
    (overlapping dates and, in every tree, touching ids), as two index arrays into ``left`` and
    ``right``. Computed ``chunk`` right-hand claims at a time."""
    if not len(left) or not len(right):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    trees = _trees()
    start, stop = _days(claims["start"]), _days(claims["end"]) + 1
    tables = {}
    for dim in _DIMENSIONS:
        codes, values = _dimension_values(claims, dim)
        right_codes = np.unique(codes[right])
        table = np.zeros((len(values), len(values)), dtype=bool)
        table[:, right_codes] = trees[dim].set_relations(values, [values[c] for c in right_codes])[1]
        tables[dim] = (codes[left], codes, table)
    found_i, found_j = [], []
    for first in range(0, len(right), chunk):
        part = right[first : first + chunk]
        mask = (start[left][:, None] < stop[part][None, :]) & (start[part][None, :] < stop[left][:, None])
        for dim in _DIMENSIONS:
            left_codes, codes, table = tables[dim]
            mask &= table[left_codes[:, None], codes[part][None, :]]
        i, j = np.nonzero(mask)
        found_i.append(i)
        found_j.append(j + first)
    return np.concatenate(found_i), np.concatenate(found_j)


def _components(n: int, edges: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """A component label per node of an undirected graph on ``n`` nodes."""
    from scipy.sparse.csgraph import connected_components

    graph = sparse.coo_array((np.ones(len(edges[0])), edges), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _bin_range(lo: np.ndarray, hi: np.ndarray, start: np.ndarray, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last of the sorted, disjoint periods ``[lo, hi)`` that ``[start, stop)`` meets
    (``last < first`` when none). A day -> period table replaces two binary searches when the
    periods span a modest number of days."""
    first_day, last_day = int(lo[0]), int(hi[-1])
    span = last_day - first_day
    if span > 4 * len(start) + 100_000 or lo[0] <= -OPEN or hi[-1] >= OPEN:
        return np.searchsorted(hi, start, side="right"), np.searchsorted(lo, stop, side="left") - 1
    day = np.arange(first_day, last_day)
    after = np.searchsorted(hi, day, side="right")  # first period ending after that day
    before = np.searchsorted(lo, day + 1, side="left") - 1  # last period starting by that day
    first = np.where(start < first_day, 0, np.where(start >= last_day, len(lo), after[np.clip(start - first_day, 0, span - 1)]))
    last = np.where(stop <= first_day, -1, np.where(stop > last_day, len(lo) - 1, before[np.clip(stop - 1 - first_day, 0, span - 1)]))
    return first, last


def _lone_singles(
    claims: pd.DataFrame, questions: list[Region], accounts: np.ndarray | None = None, n_accounts: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Closed-form (low, best, high) per question of independent one-claim incidents.

    With ``accounts`` (an account code per claim), the sums are per account: arrays of shape
    ``(n_accounts, n_questions)``; otherwise of shape ``(n_questions,)``.

    Each such incident adds ``[low, high]`` to a question that holds all of its scope,
    ``[0, high]`` to one that holds part of it, nothing to one that holds none; its best spreads
    pro rata by days over its own cells.
    """
    n_q = len(questions)
    shape = (n_q,) if accounts is None else (n_accounts, n_q)
    if not len(claims) or not n_q:
        return np.zeros(shape), np.zeros(shape), np.zeros(shape)
    trees = _trees()
    first = questions[0]
    inside = np.ones(len(claims), dtype=bool)
    related = np.ones(len(claims), dtype=bool)
    share = np.ones(len(claims))
    for dim in _DIMENSIONS:
        wanted = [getattr(first, dim)]
        codes, values = _dimension_values(claims, dim)
        full, touch = trees[dim].set_relations(values, wanted)
        # the share of a claim's own ids that lie inside the question
        singles = [(i,) for ids in values for i in ids]
        under = trees[dim].set_relations(singles, wanted)[0][:, 0].astype(float)
        sizes = np.array([len(ids) for ids in values])
        fraction = np.add.reduceat(under, np.cumsum(sizes) - sizes) / sizes
        inside &= full[codes, 0]
        related &= touch[codes, 0]
        share *= fraction[codes]
    lo = np.array([q.start for q in questions], dtype=np.int64)
    hi = np.array([q.stop for q in questions], dtype=np.int64)
    start, stop = _days(claims["start"]), _days(claims["end"]) + 1
    first_bin, last_bin = _bin_range(lo, hi, start, stop)
    span = np.maximum(last_bin - first_bin + 1, 0) * related
    pair_claim = np.repeat(np.arange(len(claims)), span)
    pair_bin = first_bin[pair_claim] + (np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span))
    s, e = start[pair_claim], stop[pair_claim]
    blo, bhi = lo[pair_bin], hi[pair_bin]
    whole = (blo <= s) & (e <= bhi) & inside[pair_claim]
    overlap = (np.minimum(e, bhi) - np.maximum(s, blo)).astype(float)
    low_c, best_c, high_c = (claims[c].to_numpy(dtype=float) for c in ("low", "best", "high"))
    key = pair_bin if accounts is None else accounts[pair_claim] * n_q + pair_bin
    size = int(np.prod(shape))
    low = np.bincount(key, weights=np.where(whole, low_c[pair_claim], 0.0), minlength=size)
    best = np.bincount(key, weights=best_c[pair_claim] * overlap / (stop - start)[pair_claim] * share[pair_claim], minlength=size)
    with np.errstate(invalid="ignore"):
        high = np.bincount(key, weights=high_c[pair_claim], minlength=size)
    return low.reshape(shape), best.reshape(shape), high.reshape(shape)


def only_lone_singles(claims: pd.DataFrame) -> bool:
    """Whether every claim is an incident reported by that one claim alone (no totals at all)."""
    if not len(claims) or (claims["kind"] == "total").any():
        return False
    if bool((claims["incident_id"].array == claims["claim_id"].array).all()):
        return True
    return not claims["incident_id"].duplicated().any()


def answer(claims: pd.DataFrame, questions: list[Region], z_everywhere: bool) -> list[tuple[float, float, float, bool]]:
    """Raw (low, best, high, feasible) of each question for one account.

    Incidents whose scope shares no cell with any total are independent of everything else:
    those reported by one claim are added in closed form (:func:`_lone_singles`), those reported
    by several get small programmes of their own; the totals and the incidents inside them form
    one programme. All parts add up, question by question.

    ``questions`` must share their places, category and perpetrators and have disjoint,
    increasing dates (a scope cut into periods).
    """
    is_total = (claims["kind"] == "total").to_numpy()
    totals = np.flatnonzero(is_total)
    incidents = np.flatnonzero(~is_total)
    incident_ids = claims["incident_id"].iloc[incidents]
    if bool((incident_ids.array == claims["claim_id"].iloc[incidents].array).all()):
        # Every incident is named after its own (unique) claim: one claim per incident.
        codes = np.arange(len(incidents))
    else:
        codes, _ = incident_ids.factorize()
    n_events = codes.max() + 1 if len(codes) else 0
    # Incidents (all reports of one event together) that share a cell with a total join the
    # totals' programme; for an account, totals joined by shared cells form its components, each
    # a programme part of its own (the truth's deaths outside claims span all of them: one part).
    hit_incident, hit_total = _shared_cells(claims, incidents, totals)
    in_core = np.zeros(n_events, dtype=bool)
    in_core[codes[hit_incident]] = True
    core_claim = in_core[codes]
    group_size = np.bincount(codes) if len(codes) else np.zeros(0, dtype=np.int64)
    single = ~core_claim & (group_size[codes] == 1) if len(codes) else np.zeros(0, dtype=bool)
    core = np.concatenate([totals, incidents[core_claim]])
    rest = incidents[~core_claim & ~single]
    groups: list[np.ndarray] = []
    if len(core) and not z_everywhere:
        # nodes: totals, then events; edges: total-total and event-total shared cells
        pair_a, pair_b = _shared_cells(claims, totals, totals)
        label = _components(
            len(totals) + n_events,
            (np.concatenate([pair_a, codes[hit_incident] + len(totals)]), np.concatenate([pair_b, hit_total])),
        )
        core_label = np.concatenate([label[: len(totals)], label[len(totals) + codes[core_claim]]])
        order = np.argsort(core_label, kind="stable")
        groups += np.split(core[order], np.flatnonzero(np.diff(core_label[order])) + 1)
    elif len(core) or z_everywhere:
        groups.append(np.sort(core))
    if len(rest):
        rest_codes = codes[~core_claim & ~single]
        order = np.argsort(rest_codes, kind="stable")
        groups += np.split(rest[order], np.flatnonzero(np.diff(rest_codes[order])) + 1)
    low_s, best_s, high_s = _lone_singles(claims.iloc[incidents[single]], questions)
    if not groups:
        return [(float(a), float(b), float(c), True) for a, b, c in zip(low_s, best_s, high_s)]
    programme = Programme(claims, questions, z_everywhere, groups=groups)
    # The estimate is one allocation on a grid without the questions' dates, spread over the
    # periods pro rata by days: the same whatever periods are asked (docs/model.md).
    whole = dataclasses.replace(questions[0], start=-OPEN, stop=OPEN)
    start = np.array([q.start for q in questions], dtype=np.int64)
    stop = np.array([q.stop for q in questions], dtype=np.int64)

    def estimate() -> np.ndarray:
        # A lone question without dates already has that grid: no second programme.
        allocation = programme if questions == [whole] else Programme(claims, [whole], z_everywhere, groups=groups)
        return allocation.spread(allocation.estimate(feasible=True), start, stop)

    if programme.A.nnz < _THREADED_NNZ:
        bounds = programme.bounds()
        feasible = bool(bounds) and bounds[0].feasible
        estimates = estimate() if feasible else None
    else:
        # The estimate, the minima and the maxima are separate HiGHS models: solve them side by
        # side (HiGHS releases the GIL while it solves). The estimate assumes the claims can hold;
        # it is dropped otherwise.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2) as pool:
            pending = pool.submit(estimate)
            bounds = programme.bounds(pool)
            feasible = bool(bounds) and bounds[0].feasible
            estimates = pending.result() if feasible else None
    if not feasible:
        return [(np.nan, np.nan, np.nan, False) for _ in questions]
    return [
        (b.low + a, est + e, b.high + c, True)
        for b, est, a, e, c in zip(bounds, estimates, low_s, best_s, high_s)
    ]
