"""The HiGHS layer (casualties.solver): a least change solved in independent parts is the least
change of the one programme, and the parts share no variable."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linprog

from casualties import solver
from casualties.solver import independent_parts, least_change


@st.composite
def _programmes(draw):
    """A small sparse ``A`` (0/1, several independent blocks as incidents are) with bounds that
    may contradict each other, and a weight per row."""
    k, n = draw(st.integers(1, 12)), draw(st.integers(1, 10))
    cells = draw(st.lists(st.tuples(st.integers(0, k - 1), st.integers(0, n - 1)), min_size=1, max_size=3 * k, unique=True))
    rows, columns = zip(*cells)
    a = sparse.csr_array((np.ones(len(cells)), (rows, columns)), shape=(k, n))
    low = np.array(draw(st.lists(st.integers(0, 20), min_size=k, max_size=k)), dtype=float)
    high = low + np.array(draw(st.lists(st.sampled_from([0, 1, 5, np.inf]), min_size=k, max_size=k)), dtype=float)
    weights = np.array(draw(st.lists(st.sampled_from([0.5, 1.0, 2.0]), min_size=k, max_size=k)))
    return a, low, high, weights


def _feasible(a, low: np.ndarray, high: np.ndarray) -> bool:
    """Whether ``low <= A x <= high`` has a solution ``x >= 0`` (SciPy's HiGHS, apart from ours)."""
    dense = a.toarray()
    finite = np.isfinite(high)
    a_ub = np.vstack([-dense, dense[finite]])
    b_ub = np.concatenate([-low, high[finite]]) + 1e-6
    return linprog(np.zeros(a.shape[1]), A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs").status == 0


@settings(max_examples=200, deadline=None)
@given(_programmes(), st.integers(1, 4))
def test_a_least_change_in_parts_is_the_least_change_of_the_whole(programme, part_rows):
    a, low, high, weights = programme
    whole = least_change(a, low, high, weights)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solver, "PART_ROWS", part_rows)
        parts = least_change(a, low, high, weights)
    assert parts.gap == pytest.approx(whole.gap, abs=1e-3)
    cost = lambda change: float(weights @ (change.low_drop + change.high_rise))  # noqa: E731
    assert cost(parts) == pytest.approx(cost(whole), abs=1e-3)  # least by weight too
    assert float((parts.low_drop + parts.high_rise).sum()) == pytest.approx(parts.gap, abs=1e-3)
    assert _feasible(a, low - parts.low_drop, high + parts.high_rise)


@settings(max_examples=200, deadline=None)
@given(_programmes(), st.integers(1, 4))
def test_independent_parts_share_no_variable(programme, size):
    a = programme[0]
    parts = independent_parts(a, size)
    rows = np.concatenate([r for r, _ in parts])
    columns = np.concatenate([c for _, c in parts])
    touched = np.flatnonzero(np.asarray(abs(a).sum(axis=0)).ravel() > 0)
    if a.shape[0] > size:
        assert sorted(rows) == list(range(a.shape[0]))  # every row once
        assert sorted(columns) == list(touched)  # every column a row touches, once
    for part_rows, part_columns in parts:
        outside = np.setdiff1d(np.arange(a.shape[1]), part_columns)
        assert not a[part_rows][:, outside].count_nonzero()  # a part's rows touch only its columns
        assert np.all(np.diff(part_rows) > 0) and np.all(np.diff(part_columns) > 0)


def test_small_programmes_are_one_part():
    a = sparse.csr_array(np.eye(3))
    (rows, columns), = independent_parts(a, 3)
    assert rows.tolist() == [0, 1, 2] and columns.tolist() == [0, 1, 2]


def _distances(a, best: np.ndarray, rho: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    """The two stages' objectives at ``x``: the claims' distance to their bests, then x's to rho."""
    return float(np.abs(a @ x - best).sum()), float(np.abs(x - rho).sum())


@settings(max_examples=200, deadline=None)
@given(_programmes(), st.integers(1, 4), st.data())
def test_the_closest_allocation_in_parts_is_optimal_for_the_whole(programme, part_rows, data):
    """Both stages reach the one programme's optima when solved in parts (the allocation itself
    may differ where several are optimal)."""
    a, low, high, _ = programme
    change = least_change(a, low, high)
    low, high = low - change.low_drop, high + change.high_rise  # consistent bounds, as the engine gives
    best = np.minimum(low + np.array(data.draw(st.lists(st.integers(0, 5), min_size=len(low), max_size=len(low)))), high)
    rho = np.array(data.draw(st.lists(st.sampled_from([0.0, 0.5, 2.0, 7.0]), min_size=a.shape[1], max_size=a.shape[1])))
    whole = solver.closest(a, best, low, high, rho)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solver, "PART_ROWS", part_rows)
        parts = solver.closest(a, best, low, high, rho)
    assert np.all(a @ parts >= low - 1e-6) and np.all(a @ parts <= high + 1e-6) and np.all(parts >= 0)
    assert _distances(a, best, rho, parts) == pytest.approx(_distances(a, best, rho, whole), abs=1e-5)
