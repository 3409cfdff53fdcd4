"""The linear programme of one account: merged-cell variables, bounds, least change, estimate.

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

from casualties.regions import DIMENSIONS, OPEN, Region, claim_regions, extent, trees
from casualties.solver import Change, Solver, closest, highs, least_change, optimal

__all__ = ["Bounds", "Programme"]

#: Programmes with at least this many non-zeros solve their bounds and estimate in two threads.
THREADED_NNZ = 20_000

class _Grid:
    """Atoms of every dimension and which regions cover them."""

    def __init__(self, regions: list[Region]) -> None:
        tree_of = trees()
        starts = np.array([r.start for r in regions], dtype=np.int64)
        stops = np.array([r.stop for r in regions], dtype=np.int64)
        cuts = np.unique(np.concatenate([starts, stops, [-OPEN, OPEN]]))
        self.time_lo, self.time_hi = cuts[:-1], cuts[1:]
        self.time_days = np.where((self.time_lo <= -OPEN) | (self.time_hi >= OPEN), np.inf, (self.time_hi - self.time_lo).astype(float))
        # A region covers the consecutive time atoms [t_first, t_stop) (its dates are cuts): two
        # numbers per region, not a regions x atoms membership.
        self.t_first = np.searchsorted(self.time_lo, starts)
        self.t_stop = np.searchsorted(self.time_lo, stops)
        self.cover: dict[str, np.ndarray] = {}
        self.home: dict[str, np.ndarray] = {}
        for dim in DIMENSIONS:
            tree = tree_of[dim]
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
        self.shape = (len(self.time_lo), *(self.cover[d].shape[1] for d in DIMENSIONS))

    def time_cover(self, rows: np.ndarray, atoms: np.ndarray) -> np.ndarray:
        """Which of ``atoms`` (time atom positions) each of ``rows`` covers: bool ``(len(rows),
        len(atoms))``."""
        return (self.t_first[rows, None] <= atoms[None, :]) & (atoms[None, :] < self.t_stop[rows, None])

    def groups(self, which: str = "cover") -> np.ndarray:
        """Membership of every region in every non-time cell (place x category x perpetrator
        atoms, C order): bool ``(n_regions, n_groups)``."""
        trees = self.home if which == "home" else self.cover
        p, c, r = (trees[d] for d in DIMENSIONS)
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
        time = np.packbits(self.time_cover(rows, t_used), axis=0)
        group = np.packbits(groups[np.ix_(rows, g_used)], axis=0)
        return time[:, t_at.reshape(-1)] & group[:, g_at.reshape(-1)]

    def covered(self, rows: np.ndarray, groups: np.ndarray) -> np.ndarray:
        """Cells covered by at least one of ``rows``: bool ``(n_cells,)``, from running counts
        along time of the (row, group) intervals (memory linear in the cells)."""
        at, group = np.nonzero(groups[rows])
        rows = np.asarray(rows)[at]
        running = np.zeros((len(self.time_lo) + 1, groups.shape[1]), dtype=np.int64)
        np.add.at(running, (self.t_first[rows], group), 1)
        np.add.at(running, (self.t_stop[rows], group), -1)
        return (np.cumsum(running, axis=0)[:-1] > 0).reshape(-1)

    def cell_days(self) -> np.ndarray:
        return np.repeat(self.time_days, int(np.prod(self.shape[1:])))

    def incident_region(self, rows: np.ndarray) -> np.ndarray:
        """Cells where every report places the incident, in the categories/perpetrators it names."""
        t = np.zeros(len(self.time_lo), dtype=bool)
        t[self.t_first[rows].max() : self.t_stop[rows].min()] = True
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
    """The variables of one independent part of a programme (sparse: memory linear in the
    non-zeros)."""

    coef: Any  # sparse csr (n_claims + n_questions, n_vars): which claims and questions count each variable
    var_days: np.ndarray  # (n_vars,) days of the time atoms each variable spans [days], inf for open time
    var_home: Any  # sparse csr (n_claims, n_vars) days of each claim's own cells [days]
    owners: Any  # sparse csr (n_claims, n_vars): 1 where a claim may place its best
    var_time: Any  # sparse (n_vars, n_time_atoms): 1 where a variable spans a time atom
    time_lo: np.ndarray  # (n_time_atoms,) first day of each time atom [days since 1970]
    time_hi: np.ndarray  # (n_time_atoms,) day after the last [days since 1970]


def _time_spans(var: np.ndarray, atom: np.ndarray, atom_days: np.ndarray, n: int) -> tuple[np.ndarray, Any]:
    """Each variable's days and which time atoms it spans, from its cells' (variable, atom).

    A variable's days are those of the distinct time atoms its cells lie in, however many place,
    category or perpetrator atoms it spans on each: so a period's share of it (pro rata by days)
    does not depend on how finely other claims cut the trees.

    Returns
    -------
    days : numpy.ndarray
        (n,) [days]; inf when the variable spans an open time atom.
    layout : scipy.sparse.csr_array
        (n, n_time_atoms), 1 where a variable spans a time atom.
    """
    n_time = len(atom_days)
    key = np.unique(var.astype(np.int64) * n_time + atom)
    v, t = np.divmod(key, n_time)
    span_days = atom_days[t]
    finite = np.isfinite(span_days)
    open_ = np.bincount(v, weights=~finite, minlength=n) > 0
    days = np.where(open_, np.inf, np.bincount(v, weights=np.where(finite, span_days, 0.0), minlength=n))
    return days, sparse.csr_array((np.ones(len(key)), (v, t)), shape=(n, n_time))


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
    # Each claim's own cells (its time atoms x its home groups), listed once for every part.
    home_claim, home_group = np.nonzero(grid.groups("home")[:n_claims])
    first_t = grid.t_first[:n_claims]
    n_t = grid.t_stop[:n_claims] - first_t
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
        # the set bits of each variable's signature, without unpacking the whole (dense) matrix
        signature = packed[first]
        var, byte = np.nonzero(signature)
        bit_var, bit = np.nonzero(np.unpackbits(signature[var, byte][:, None], axis=1))
        row = rows[byte[bit_var] * 8 + bit]
        var = var[bit_var]
        coef = sparse.csr_array((np.ones(len(row)), (row, var)), shape=(n_claims + n_questions, n))
        var_days, layout = _time_spans(inverse, cells // n_groups, grid.time_days, n)
        cell_var[cells] = inverse
        home_var = cell_var[home_cell]
        mine = home_var >= 0
        var_home = sparse.csr_array((home_days[mine], (home_owner[mine], home_var[mine])), shape=(n_claims, n))
        cell_var[cells] = -1
        own = np.isin(row, eligible)
        owners = sparse.csr_array((np.ones(int(own.sum())), (row[own], var[own])), shape=(n_claims, n))
        parts.append((coef, var_days, var_home, owners))
        layouts.append(layout)

    zmask = np.ones(len(days), dtype=bool) if z_everywhere else grid.covered(totals, groups)
    add(zmask, np.concatenate([totals, question_rows]), totals)
    def add_singles(singles: np.ndarray) -> None:
        """:func:`add` for many incidents reported by one claim each, at once: an incident's
        cells are its claim's, and its variables its cells covered alike by the totals and the
        questions (the claim covers them all)."""
        shared = np.concatenate([totals, question_rows])
        first_t, n_t = grid.t_first[singles], grid.t_stop[singles] - grid.t_first[singles]
        owner, group = np.nonzero(groups[singles])
        reps = n_t[owner]
        pair = np.repeat(np.arange(len(owner)), reps)
        t = first_t[owner][pair] + (np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps))
        cell = t * n_groups + group[pair]
        owner = owner[pair]
        unique_cells, at = np.unique(cell, return_inverse=True)
        packed = np.ascontiguousarray(grid.signatures(shared, unique_cells, groups).T)[at.reshape(-1)]
        keys = np.concatenate([owner.astype(">i8").view(np.uint8).reshape(-1, 8), packed], axis=1)
        keys = np.ascontiguousarray(keys).view(np.dtype((np.void, keys.shape[1]))).reshape(-1)
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        n = len(first)
        signature = packed[first]
        var, byte = np.nonzero(signature)
        bit_var, bit = np.nonzero(np.unpackbits(signature[var, byte][:, None], axis=1))
        claim_rows = singles[owner[first]]
        row = np.concatenate([shared[byte[bit_var] * 8 + bit], claim_rows])
        col = np.concatenate([var[bit_var], np.arange(n)])
        coef = sparse.csr_array((np.ones(len(row)), (row, col)), shape=(n_claims + n_questions, n))
        var_days, layout = _time_spans(inverse, cell // n_groups, grid.time_days, n)
        # the claims' own cells, looked up among the (claim, cell) pairs
        pair_key = singles[owner] * len(days) + cell
        by_key = np.argsort(pair_key)
        home_key = home_owner * len(days) + home_cell
        at_home = np.searchsorted(pair_key[by_key], home_key)
        found = at_home < len(pair_key)
        found[found] = pair_key[by_key][at_home[found]] == home_key[found]
        home_var = inverse[by_key[at_home[found]]]
        var_home = sparse.csr_array((home_days[found], (home_owner[found], home_var)), shape=(n_claims, n))
        owners = sparse.csr_array((np.ones(n), (claim_rows, np.arange(n))), shape=(n_claims, n))
        parts.append((coef, var_days, var_home, owners))
        layouts.append(layout)

    incident_rows = np.flatnonzero(kind == "incident")
    if incident_rows.size:
        codes, _ = pd.factorize(claims["incident_id"].to_numpy()[incident_rows])
        size = np.bincount(codes)
        lone = size[codes] == 1
        if lone.any():
            add_singles(incident_rows[lone])
        rest, rest_codes = incident_rows[~lone], codes[~lone]
        order = np.argsort(rest_codes, kind="stable")
        splits = np.flatnonzero(np.diff(rest_codes[order])) + 1
        for group in np.split(rest[order], splits) if len(rest) else []:
            add(grid.incident_region(group), np.concatenate([totals, group, question_rows]), group)
    if not parts:
        empty = sparse.csr_array((0, n_time))
        return _Block(sparse.csr_array((n_claims + n_questions, 0)), np.zeros(0), sparse.csr_array((n_claims, 0)), sparse.csr_array((n_claims, 0)), empty, grid.time_lo, grid.time_hi)
    coef, var_home, owners = (sparse.csr_array(sparse.hstack([part[i] for part in parts], format="csr")) for i in (0, 2, 3))
    var_days = np.concatenate([part[1] for part in parts])
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
        #: positions in ``claims`` of the programme's claims, in its order
        self.order = order
        self.claims = claims.iloc[order]
        blocks = [_block(claims.iloc[g], questions, z_everywhere and i == 0) for i, g in enumerate(groups)]
        n_questions = len(questions)
        sizes = [len(g) for g in groups]
        self._blocks = list(zip(blocks, sizes))
        if blocks:
            self.A = sparse.csr_array(sparse.block_diag([b.coef[:k] for b, k in self._blocks], format="csr"))
            self.Q = sparse.hstack([b.coef[k:] for b, k in self._blocks], format="csr")
            self.var_days = np.concatenate([b.var_days for b in blocks])
        else:
            self.A = sparse.csr_array((0, 0))
            self.Q = sparse.csr_array((n_questions, 0))
            self.var_days = np.zeros(0)
        self.low = self.claims["low"].to_numpy(dtype=float)
        self.high = self.claims["high"].to_numpy(dtype=float)
        self.best = self.claims["best"].to_numpy(dtype=float)
        self.n_vars = self.Q.shape[1]

    # -- constraints ----------------------------------------------------------------------------
    def feasible(self) -> bool:
        """Whether all the claims can hold at once."""
        if self.n_vars == 0:
            return bool((self.low <= 0).all())
        solver = highs(self.A, np.where(self.low > 0, self.low, -np.inf), self.high, np.full(self.n_vars, np.inf))
        solver.run()
        return optimal(solver)

    def bounds(self, pool: Any = None, change: Change | None = None, weights: np.ndarray | None = None) -> list[Bounds]:
        """Least and greatest count of every question (raw LP optima).

        The constraints are passed to HiGHS once; each question changes only the objective, and
        HiGHS re-solves from the previous optimal basis (a few primal simplex steps, usually).
        With a thread ``pool`` (``concurrent.futures``), the maxima are solved on a second model
        in the pool while this thread solves the minima. With a ``change`` (the least change of
        :meth:`min_change`, made with the same ``weights``), the bounds are those of the
        least-change truth: over every count that some least change lets hold.
        """
        n_q = self.Q.shape[0]
        if self.n_vars == 0:
            ok = bool((self.low <= 0).all()) or change is not None
            return [Bounds(0.0 if ok else np.nan, 0.0 if ok else np.nan, ok) for _ in range(n_q)]
        highs_ = pool.submit(self._maxima, change, weights) if pool is not None else None
        solver = Solver(self.A, self.low, self.high, change)
        # All minima, then all maxima: neighbouring questions have neighbouring optimal bases.
        # A feasible point that puts nobody in a question proves its minimum is 0 (questions
        # count non-negative variables), so only the other minima are solved.
        lows: list[float] = []
        if solver.optimum(np.zeros(self.n_vars), maximize=False) is not None:
            point = solver.solution()
            for q in range(n_q):
                cost = self._question(q)
                if cost @ point <= 1e-9:
                    lows.append(0.0)
                    continue
                low = solver.optimum(cost, maximize=False)
                if low is None:
                    break
                lows.append(low)
                point = solver.solution()
        if len(lows) < n_q:  # infeasible
            if highs_ is not None:
                highs_.cancel()
            return [Bounds(np.nan, np.nan, False) for _ in range(n_q)]
        tops = highs_.result() if highs_ is not None else self._maxima(change, weights, solver)
        return [Bounds(float(lo), float(np.inf if hi is None else hi), True) for lo, hi in zip(lows, tops)]

    def _maxima(self, change: Change | None, weights: np.ndarray | None, solver: Any = None) -> list[float | None]:
        """The maximum of every question (None: unbounded), on ``solver`` or a model of its own."""
        solver = Solver(self.A, self.low, self.high, change) if solver is None else solver
        return [solver.optimum(self._question(q), maximize=True) for q in range(self.Q.shape[0])]

    def _question(self, q: int) -> np.ndarray:
        """The objective of question ``q``: which variables it counts (dense, 0/1)."""
        return self.Q[[q]].toarray().reshape(-1)

    # -- the least change that reconciles the claims --------------------------------------------
    def min_change(self, weights: np.ndarray | None = None) -> Change:
        """Least total change to lows and highs [people] making every claim hold
        (:func:`casualties.solver.least_change`); with ``weights``, among the least changes the
        one cheapest by weight."""
        if self.n_vars == 0:
            dl = np.maximum(self.low, 0.0)
            return Change(float(dl.sum()), dl, np.zeros(len(dl)))
        return least_change(self.A, self.low, self.high, weights)

    # -- the point estimate ------------------------------------------------------------------------
    def _reference(self) -> np.ndarray:
        """Claims' bests spread innermost first (fewest days, then fewest tree nodes:
        :func:`casualties.regions.extent`), pro rata by days over their own cells."""
        parts = []
        offset = 0
        span, nodes = extent(self.claims)
        for block, k in self._blocks:
            best = self.best[offset : offset + k]
            order = np.lexsort((np.arange(k), nodes[offset : offset + k], span[offset : offset + k]))
            offset += k
            rho = np.zeros(block.coef.shape[1])
            days = block.var_days
            finite = np.isfinite(days)
            coef, owners, home = block.coef, block.owners, block.var_home
            home.sort_indices()
            for j in order:
                covered = coef.indices[coef.indptr[j] : coef.indptr[j + 1]]
                remainder = best[j] - rho[covered].sum()
                if remainder <= 0:
                    continue
                owned = owners.indices[owners.indptr[j] : owners.indptr[j + 1]]
                owned = owned[finite[owned]]
                home_vars = home.indices[home.indptr[j] : home.indptr[j + 1]]
                home_days = home.data[home.indptr[j] : home.indptr[j + 1]]
                at = np.clip(np.searchsorted(home_vars, owned), 0, max(len(home_vars) - 1, 0))
                on_home = np.where(len(home_vars) > 0, home_vars[at] == owned, False) if len(home_vars) else np.zeros(len(owned), dtype=bool)
                for weight in (np.where(on_home, home_days[at] if len(home_vars) else 0.0, 0.0), days[owned], np.ones(len(owned))):
                    if weight.sum() > 0:
                        np.add.at(rho, owned, remainder * weight / weight.sum())
                        break
            parts.append(rho)
        return np.concatenate(parts) if parts else np.zeros(0)

    def estimate(self, feasible: bool | None = None, change: Change | None = None) -> np.ndarray:
        """One coherent allocation of the claims' bests over the variables.

        Stage 1 finds the least total distance of the claims' counts from their bests, within
        their bounds (bounds relaxed by the least change when they contradict each other);
        stage 2 picks, among those, the allocation closest to :meth:`_reference`. ``change``
        (from :meth:`min_change`) gives the relaxation to use.
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
        if change is None and not (self.feasible() if feasible is None else feasible):
            change = self.min_change()
        if change is not None:
            low, high = low - change.low_drop, high + change.high_rise
        return closest(self.A, self.best, low, high, rho)

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
            part = x[offset : offset + n] * block.coef[[block.coef.shape[0] - self.Q.shape[0]]].toarray().reshape(-1)
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

