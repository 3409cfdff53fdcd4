"""Internal pieces of the engine, against their plain definitions: periods met by an interval,
the packed cell signatures, both stages of the estimate (against scipy's linprog on another
formulation), and the threaded path against the serial one."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linprog
from test_reconcile import small_claims

from casualties import engine, programme
from casualties.closed_form import bin_range as _bin_range
from casualties.programme import Programme, _Grid
from casualties.regions import claim_regions, scope_region
from casualties.scope import Scope


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(1, 10)), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(-20, 80), st.integers(1, 15)), min_size=1, max_size=30),
)
def test_bin_range_is_the_periods_each_interval_meets(gaps_and_lengths, intervals):
    lo, hi, day = [], [], 0
    for gap, length in gaps_and_lengths:  # sorted, disjoint periods, possibly with gaps
        day += gap
        lo.append(day)
        day += length
        hi.append(day)
    lo, hi = np.array(lo), np.array(hi)
    start = np.array([s for s, _ in intervals])
    stop = start + np.array([n for _, n in intervals])
    first, last = _bin_range(lo, hi, start, stop)
    for i in range(len(start)):
        met = [p for p in range(len(lo)) if lo[p] < stop[i] and start[i] < hi[p]]
        found = list(range(first[i], last[i] + 1))
        assert found == met


# -- the programme's variables and its estimate ----------------------------------------------


@settings(max_examples=100, deadline=None)
@given(small_claims(max_size=8), st.data())
def test_signatures_are_the_packed_dense_membership(claims, data):
    regions = claim_regions(claims)
    grid = _Grid(regions)
    n_t = grid.shape[0]
    groups = grid.groups()
    # the plain definition: a region covers cell (t, g) when its dates hold atom t, and group g
    start, stop = (np.array([getattr(r, a) for r in regions])[:, None] for a in ("start", "stop"))
    time = (start <= grid.time_lo[None, :]) & (grid.time_hi[None, :] <= stop)
    np.testing.assert_array_equal(grid.time_cover(np.arange(len(regions)), np.arange(n_t)), time)
    dense = (time[:, :, None] & groups[:, None, :]).reshape(len(claims), -1)
    rows = np.array(data.draw(st.lists(st.integers(0, len(claims) - 1), min_size=1, unique=True)))
    cells = np.flatnonzero(np.array(data.draw(st.lists(st.booleans(), min_size=dense.shape[1], max_size=dense.shape[1]))))
    assert dense.shape[1] == n_t * groups.shape[1]
    np.testing.assert_array_equal(grid.signatures(rows, cells, groups), np.packbits(dense[np.ix_(rows, cells)], axis=0))
    np.testing.assert_array_equal(grid.covered(rows, groups), dense[rows].any(axis=0))


def _stage_optima(programme: Programme, rho: np.ndarray) -> tuple[float, float]:
    """The two stages of the estimate as scipy's linprog states them (another formulation)."""
    a, best, low, high = programme.A, programme.best, programme.low, programme.high
    n, k = a.shape[1], a.shape[0]
    eye = sparse.identity(k, format="csr")
    # stage 1: min sum(u + v), A x - u + v = best, low <= A x <= high, x >= 0
    a_ub = sparse.vstack([a, -a]).tocsr()
    a_ub = sparse.hstack([a_ub, sparse.csr_array((2 * k, 2 * k))]).tocsr()
    b_ub = np.concatenate([high, -low])
    finite = np.isfinite(b_ub)
    a_eq = sparse.hstack([a, -eye, eye]).tocsr()
    cost = np.concatenate([np.zeros(n), np.ones(2 * k)])
    first = linprog(cost, A_ub=a_ub[finite], b_ub=b_ub[finite], A_eq=a_eq, b_eq=best, bounds=(0, None), method="highs")
    assert first.status == 0
    # stage 2: min sum |x - rho| keeping stage 1's distance; variables x, u, v, s, t
    a_eq2 = sparse.vstack(
        [
            sparse.hstack([a_eq, sparse.csr_array((k, 2 * n))]),
            sparse.hstack([sparse.identity(n), sparse.csr_array((n, 2 * k)), -sparse.identity(n), sparse.identity(n)]),
        ]
    ).tocsr()
    a_ub2 = sparse.vstack([sparse.hstack([a_ub, sparse.csr_array((2 * k, 2 * n))]), sparse.csr_array(np.concatenate([cost, np.zeros(2 * n)])[None, :])]).tocsr()
    b_ub2 = np.concatenate([b_ub, [first.fun + 1e-7 * (1 + first.fun)]])
    finite2 = np.isfinite(b_ub2)
    cost2 = np.concatenate([np.zeros(n + 2 * k), np.ones(2 * n)])
    second = linprog(cost2, A_ub=a_ub2[finite2], b_ub=b_ub2[finite2], A_eq=a_eq2, b_eq=np.concatenate([best, rho]), bounds=(0, None), method="highs")
    assert second.status == 0
    return first.fun, second.fun


@settings(max_examples=100, deadline=None)
@given(small_claims(max_size=8))
def test_the_estimate_is_optimal_in_both_stages(claims):
    claims = claims[(claims["source"] == claims["source"].iloc[0]).to_numpy()]
    programme = Programme(claims, [scope_region(Scope())], z_everywhere=False)
    if programme.n_vars == 0 or not programme.feasible():
        return
    x = programme.estimate(feasible=True)
    rho = programme._reference()
    first, second = _stage_optima(programme, rho)
    a = programme.A
    assert (x >= 0).all()
    counted = a @ x
    assert np.all(counted >= programme.low - 1e-6) and np.all(counted <= programme.high + 1e-6)
    assert abs(np.abs(counted - programme.best).sum() - first) <= 1e-6 * (1 + first)
    assert abs(np.abs(x - rho).sum() - second) <= 1e-6 * (1 + second)


@settings(max_examples=60, deadline=None)
@given(small_claims(max_size=8), st.sampled_from((True, False)))
def test_the_threaded_answer_is_the_serial_one(claims, everywhere):
    questions = [scope_region(Scope(), pd.Timestamp("2017-01-01") + pd.Timedelta(days=7 * w), pd.Timestamp("2017-01-07") + pd.Timedelta(days=7 * w)) for w in range(5)]
    saved = programme.THREADED_NNZ
    try:
        programme.THREADED_NNZ = 10**12
        serial = engine.answer(claims, questions, everywhere)
        programme.THREADED_NNZ = 0
        threaded = engine.answer(claims, questions, everywhere)
    finally:
        programme.THREADED_NNZ = saved
    for field in ("low", "best", "high"):
        np.testing.assert_array_equal(getattr(serial, field), getattr(threaded, field))
    assert (serial.feasible, serial.change, serial.n_claims) == (threaded.feasible, threaded.change, threaded.n_claims)
