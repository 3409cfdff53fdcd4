"""HiGHS, held quietly: models built from sparse matrices, warm-started re-solves, the least
change that reconciles a set of bounds, and the two-stage best estimate.

Every linear programme of the engine goes through here (``highspy`` directly, not
``scipy.optimize.linprog``, to keep a model and its basis between solves).
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

import numpy as np
from scipy import sparse

__all__ = ["PART_ROWS", "TOL", "Change", "Solver", "closest", "highs", "independent_parts", "least_change", "optimal"]

#: HiGHS' feasibility tolerance, about.
TOL = 1e-7

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


def highs(matrix: Any, row_low: np.ndarray, row_high: np.ndarray, col_high: np.ndarray, cost: np.ndarray | None = None) -> Any:
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


def optimal(solver: Any) -> bool:
    import highspy

    return solver.getModelStatus() == highspy.HighsModelStatus.kOptimal


def closest(a: Any, best: np.ndarray, low: np.ndarray, high: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """The two-stage estimate (see :meth:`Programme.estimate`), its independent parts
    (:func:`independent_parts`) in programmes of about :data:`PART_ROWS` rows: both stages'
    objectives are sums over the parts, so each part's optimum is the whole's there (a variable
    no row touches stays at ``rho``). See :func:`_closest_of_part` for one programme."""
    a = sparse.csr_array(a)
    best, low, high, rho = (np.asarray(v, dtype=float) for v in (best, low, high, rho))
    x = np.maximum(rho, 0.0)
    for rows, columns in independent_parts(a):
        x[columns] = _closest_of_part(_restricted(a, rows, columns), best[rows], low[rows], high[rows], rho[columns])
    return x


def _closest_of_part(a: Any, best: np.ndarray, low: np.ndarray, high: np.ndarray, rho: np.ndarray) -> np.ndarray:
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
    solver = highs(sparse.hstack([a, -eye_k, eye_k]), best, best, col_high, stage1)
    solver.run()
    if not optimal(solver):
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
    solver.addRow(-inf, distance + TOL * (1 + distance), 2 * k, np.arange(n, n + 2 * k, dtype=np.int32), np.ones(2 * k))
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
    x = np.asarray(solver.getSolution().col_value[:n]) if optimal(solver) else first
    return np.maximum(x, 0.0)


@dataclasses.dataclass(frozen=True)
class Change:
    """The least change to a set of bounds that lets them all hold.

    Attributes
    ----------
    gap : float
        The least total change to the lows and highs [people]; 0 when they hold as given.
    low_drop, high_rise : numpy.ndarray
        One such change (among those of total ``gap``, the least by the claims' weights, when
        weights were given): how far each low drops and each high rises [people].
    """

    gap: float
    low_drop: np.ndarray
    high_rise: np.ndarray

    @classmethod
    def none(cls, k: int) -> Change:
        """No change to ``k`` bounds."""
        return cls(0.0, np.zeros(k), np.zeros(k))


def _failed(solver: Any) -> Exception:
    from casualties.errors import CasualtiesError

    return CasualtiesError(f"the linear programme failed: {solver.modelStatusToString(solver.getModelStatus())}")


def _relaxed(a: Any, low: np.ndarray, high: np.ndarray) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray]:
    """``low <= A x + dl - dh <= high`` over ``[x, dl, dh]``: the matrix, row bounds and column
    upper bounds (``dh`` is 0 where ``high`` is infinite: such a high never needs to rise)."""
    n, k = a.shape[1], a.shape[0]
    eye = sparse.identity(k, format="csr")
    col_high = np.concatenate([np.full(n + k, np.inf), np.where(np.isfinite(high), np.inf, 0.0)])
    return sparse.hstack([a, eye, -eye]), np.where(low > 0, low, -np.inf), high, col_high


def _budget(solver: Any, n: int, k: int, change: Change) -> None:
    """A row holding ``sum(dl + dh)`` at ``change.gap`` (up to HiGHS' tolerance)."""
    columns = np.arange(n, n + 2 * k, dtype=np.int32)
    solver.addRow(-np.inf, change.gap + 1e-7 * (1 + change.gap), 2 * k, columns, np.ones(2 * k))


#: Rows of one programme when a least change falls into independent parts: HiGHS' simplex costs
#: more than linearly in a model's size, so the parts are solved in programmes of about this many
#: rows (every Airwars claim: 11,337 rows in doubt, 4,702 parts; one model took 1.3 s, parts of
#: up to 1,000 rows 0.2 s).
PART_ROWS = 1000


def independent_parts(a: Any, size: int | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """The rows and columns of ``a`` in groups that share no column with each other: connected
    parts of the rows-columns graph (one linear pass), packed in order into groups of about
    ``size`` rows (default :data:`PART_ROWS`; a larger part is a group of its own). One group
    when ``a`` has at most ``size`` rows. Columns that no row touches are left out.

    Returns
    -------
    list of (rows, columns)
        Increasing positions in ``a``, one pair per group.
    """
    k, n = a.shape
    size = PART_ROWS if size is None else size
    if k <= size:
        return [(np.arange(k), np.arange(n))]
    from scipy.sparse.csgraph import connected_components

    pattern = sparse.csr_array(a, dtype=bool)
    graph = sparse.bmat([[None, pattern], [pattern.T, None]], format="csr")
    _, label = connected_components(graph, directed=False)
    row_label, column_label = label[:k], label[k:]
    rows_per_part = np.bincount(row_label, minlength=int(label.max()) + 1)
    group_of_part = (np.cumsum(rows_per_part) - rows_per_part) // size  # a part goes where it begins
    row_group, column_group = group_of_part[row_label], group_of_part[column_label]
    touched = np.zeros(n, dtype=bool)
    touched[pattern.indices] = True
    rows = np.argsort(row_group, kind="stable")
    columns = np.flatnonzero(touched)
    columns = columns[np.argsort(column_group[columns], kind="stable")]
    row_cuts = np.flatnonzero(np.diff(row_group[rows])) + 1
    column_cuts = np.searchsorted(column_group[columns], row_group[rows][np.r_[0, row_cuts]])
    return list(zip(np.split(rows, row_cuts), np.split(columns, column_cuts[1:])))


def _restricted(a: Any, rows: np.ndarray, columns: np.ndarray) -> Any:
    """``a`` on some rows and columns (``a`` itself, no copy, when they are all of it)."""
    return a if len(rows) == a.shape[0] and len(columns) == a.shape[1] else a[rows][:, columns]


def least_change(a: Any, low: np.ndarray, high: np.ndarray, weights: np.ndarray | None = None) -> Change:
    """The least total change to ``[low, high]`` that lets ``low <= A x <= high, x >= 0`` hold.

    Stage 1 minimises ``sum(dl + dh)`` over ``low - dl <= A x <= high + dh``; stage 2, with that
    total held, minimises ``sum(weights * (dl + dh))`` (the lower a weight, the sooner its bounds
    give way), warm-started from stage 1's basis after one budget row. Changes are rounded to
    1e-4 people (HiGHS solves to about 1e-7).

    Rows that share no variable are independent (the total is the sum of their parts' least
    changes, and so is the weighted one): they are solved in groups of about
    :data:`PART_ROWS` rows (:func:`independent_parts`). Where several changes are least by
    weight too, which one HiGHS returns may depend on the grouping.

    Parameters
    ----------
    a : scipy.sparse array, shape (k, n)
    low, high : numpy.ndarray, shape (k,)
        Bounds [people]; ``high`` may be inf.
    weights : numpy.ndarray, shape (k,), optional
        Default: all 1 (stage 2 then changes nothing).
    """
    k = a.shape[0]
    if k == 0:
        return Change.none(0)
    weights = np.ones(k) if weights is None else np.asarray(weights, dtype=float)
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    gap, dl, dh = 0.0, np.zeros(k), np.zeros(k)
    a = sparse.csr_array(a)
    for rows, columns in independent_parts(a):
        part_gap, dl[rows], dh[rows] = _least_change_of_part(_restricted(a, rows, columns), low[rows], high[rows], weights[rows])
        gap += part_gap
    if gap <= TOL:
        return Change.none(k)
    dl, dh = np.round(dl, 4), np.round(dh, 4)
    return Change(round(gap, 4), np.where(dl > TOL, dl, 0.0), np.where(dh > TOL, dh, 0.0))


def _least_change_of_part(a: Any, low: np.ndarray, high: np.ndarray, weights: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """:func:`least_change` of one programme, unrounded: ``(gap, dl, dh)``."""
    k, n = a.shape
    matrix, row_low, row_high, col_high = _relaxed(a, low, high)
    solver = highs(matrix, row_low, row_high, col_high, np.concatenate([np.zeros(n), np.ones(2 * k)]))
    solver.run()
    if not optimal(solver):
        raise _failed(solver)
    gap = float(solver.getInfo().objective_function_value)
    if gap <= TOL:
        return 0.0, np.zeros(k), np.zeros(k)
    solution = np.asarray(solver.getSolution().col_value)
    # Among the least changes, the cheapest by weight: the budget row keeps the current basis
    # feasible, and the primal simplex goes on from it.
    solver.addRow(-np.inf, gap + 1e-9 * (1 + gap), 2 * k, np.arange(n, n + 2 * k, dtype=np.int32), np.ones(2 * k))
    weighted = np.concatenate([np.zeros(n), weights, weights])
    solver.changeColsCost(len(weighted), np.arange(len(weighted), dtype=np.int32), weighted)
    solver.run()
    if optimal(solver):
        solution = np.asarray(solver.getSolution().col_value)
    return gap, solution[n : n + k], solution[n + k :]


class Solver:
    """``low <= A x <= high, x >= 0`` held by HiGHS; objectives change, the model stays.

    With a :class:`Change` of positive gap, the bounds may move by that least total change: the
    model holds ``low - dl <= A x <= high + dh`` with ``sum(dl + dh)`` at ``change.gap`` (the
    least-change truth, ``docs/model.md``: every reconciliation of least total change, whichever
    claims give way). Objectives are always over ``x`` alone.
    """

    def __init__(self, a: Any, low: np.ndarray, high: np.ndarray, change: Change | None = None, cold_dual: bool = False) -> None:
        import highspy

        self._highspy = highspy
        self._n = a.shape[1]
        if change is not None and change.gap > 0:
            k = a.shape[0]
            matrix, row_low, row_high, col_high = _relaxed(a, low, high)
            self._h = highs(matrix, row_low, row_high, col_high)
            _budget(self._h, self._n, k, change)
        else:
            self._h = highs(a, np.where(low > 0, low, -np.inf), high, np.full(self._n, np.inf))
        self._index = np.arange(self._n, dtype=np.int32)
        self._cold = cold_dual

    def solution(self) -> np.ndarray:
        """The optimal ``x`` of the last solve, clipped at 0 (HiGHS' tolerance)."""
        return np.maximum(np.asarray(self._h.getSolution().col_value)[: self._n], 0.0)

    def optimum(self, cost: np.ndarray, maximize: bool) -> float | None:
        """The optimum of ``cost @ x`` (``cost >= 0``); None when infeasible (minimising) or
        unbounded (maximising)."""
        hs = self._highspy
        self._h.changeObjectiveSense(hs.ObjSense.kMaximize if maximize else hs.ObjSense.kMinimize)
        self._h.changeColsCost(self._n, self._index, np.asarray(cost, dtype=float))
        # Later solves change only the objective, so the primal simplex goes on from the last
        # optimal basis; with ``cold_dual`` the first, cold solve is HiGHS' dual simplex (faster
        # on the bulk incidents' block-diagonal models, slower on the totals' programmes).
        self._h.setOptionValue("simplex_strategy", 1 if self._cold else 4)
        self._cold = False
        self._h.run()
        status = self._h.getModelStatus()
        if status == hs.HighsModelStatus.kOptimal:
            return float(self._h.getInfo().objective_function_value)
        # Costs here are non-negative and x >= 0, so a minimum is never unbounded and a maximum
        # is asked only of a feasible programme: "unbounded or infeasible" is decided by the sense.
        if status in (hs.HighsModelStatus.kInfeasible, hs.HighsModelStatus.kUnbounded, hs.HighsModelStatus.kUnboundedOrInfeasible):
            return None
        raise _failed(self._h)
