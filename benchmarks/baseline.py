"""What a straightforward implementation would do: one linear programme over elementary cells.

The baseline of ``ranges`` and ``conflict`` on overlapping totals. It shares no code with
``casualties.engine``: every elementary cell (day x place atom x category atom x perpetrator
atom) is one variable, every claim is a row ``low <= sum over its cells <= high``, and
:func:`scipy.optimize.linprog` (HiGHS) solves the minimum and the maximum of the question from
scratch, with no merging of cells and no warm start. It answers the same question as the
engine (the model of ``docs/model.md``), so the benchmark checks that the numbers agree.

Totals only: incident claims (``y[e]`` variables per incident) are the engine's business and
``tests/reference.py``'s; a frame holding any raises ``ValueError``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog

__all__ = ["elementary_conflict_gap", "elementary_ranges"]

_DIMENSIONS = ("place", "category", "perpetrator")
_TOL = 1e-7


def _trees() -> dict[str, Any]:
    from casualties.names import categories, perpetrators
    from casualties.places import place_tree

    return {"place": place_tree(), "category": categories(), "perpetrator": perpetrators()}


def _split(value: str) -> tuple[str, ...]:
    return tuple(value.split("|"))


def _atom_masks(scopes: list[tuple[tuple[str, ...], ...]]) -> tuple[np.ndarray, int]:
    """For each distinct (place ids, category ids, perpetrator ids), the atoms it covers:
    bool ``(len(scopes), n_atoms)`` over the flattened place x category x perpetrator atoms.

    The atoms of a tree are its root and every node named by a scope; a set of ids covers
    ``atom(n)`` when one of them is ``n`` or an ancestor of ``n``.
    """
    trees = _trees()
    per_dimension = []
    for d, dim in enumerate(_DIMENSIONS):
        tree = trees[dim]
        atoms = sorted({tree.root} | {i for s in scopes for i in s[d]})
        covers, _ = tree.set_relations([(a,) for a in atoms], [s[d] for s in scopes])
        per_dimension.append(covers.T)
    place, category, perpetrator = per_dimension
    masks = place[:, :, None, None] & category[:, None, :, None] & perpetrator[:, None, None, :]
    return masks.reshape(len(scopes), -1), masks.shape[1] * masks.shape[2] * masks.shape[3]


def _incidence(claims: pd.DataFrame, question: Any = None) -> tuple[sparse.csr_array, np.ndarray | None, int]:
    """The claims x cells incidence matrix (and the question's cells), cells numbered
    ``day * n_atoms + atom`` over the days of the claims."""
    if (claims["kind"] != "total").any():
        raise ValueError("the elementary-cell baseline handles total claims only")
    start = np.asarray(claims["start"], dtype="datetime64[D]").astype(np.int64)
    stop = np.asarray(claims["end"], dtype="datetime64[D]").astype(np.int64) + 1
    first, last = int(start.min()), int(stop.max())
    scopes = [(_split(p), (str(c),), _split(r)) for p, c, r in zip(claims["place"], claims["category"], claims["perpetrator"])]
    if question is not None:
        scopes.append((question.place or (_trees()["place"].root,), (question.category or _trees()["category"].root,), question.perpetrator or (_trees()["perpetrator"].root,)))
    codes, uniques = pd.factorize(pd.Series(scopes, dtype=object))
    masks, n_atoms = _atom_masks(list(uniques))
    n_cells = (last - first) * n_atoms
    days = stop - start
    claim = np.repeat(np.arange(len(claims)), days)
    cell_day = start[claim] - first + (np.arange(len(claim)) - np.repeat(np.cumsum(days) - days, days))
    rows, cols = [], []
    for atom in range(n_atoms):
        hit = masks[codes[claim], atom] if len(claims) else np.zeros(0, dtype=bool)
        rows.append(claim[hit])
        cols.append(cell_day[hit] * n_atoms + atom)
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    matrix = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(claims), n_cells))
    if question is None:
        return matrix, None, n_cells
    lo = first if question.start is None else max(first, int(np.datetime64(question.start.date(), "D").astype(np.int64)))
    hi = last if question.end is None else min(last, int(np.datetime64(question.end.date(), "D").astype(np.int64)) + 1)
    in_days = np.zeros(last - first, dtype=bool)
    in_days[max(lo - first, 0) : max(hi - first, 0)] = True
    cells = (in_days[:, None] & masks[codes[-1]][None, :]).reshape(-1)
    return matrix, cells, n_cells


def _rows(matrix: sparse.csr_array, low: np.ndarray, high: np.ndarray) -> tuple[Any, np.ndarray]:
    upper, lower = np.isfinite(high), low > 0
    return sparse.vstack([matrix[upper], -matrix[lower]]).tocsr(), np.concatenate([high[upper], -low[lower]])


def _round(low: float, high: float) -> tuple[float, float]:
    low = low if not math.isfinite(low) else float(math.ceil(low - _TOL)) + 0.0
    high = high if not math.isfinite(high) else float(math.floor(high + _TOL))
    return low, high


def elementary_ranges(claims: pd.DataFrame, scope: Any = None) -> pd.DataFrame:
    """Each source's account of ``scope`` (a :class:`casualties.Scope`), by one LP per bound.

    A source's account allows deaths on the cells of its own totals only; the question's count
    is the sum over its cells. Returns ``source, low, high, feasible`` [people], rounded inward
    like :func:`casualties.ranges`, sources sorted by name.
    """
    from casualties import Scope

    scope = Scope() if scope is None else scope
    kept = claims[(claims["outcome"] == scope.outcome).to_numpy()]
    rows = []
    for name, group in kept.groupby("source", sort=True, observed=True):
        matrix, question, _ = _incidence(group, scope)
        domain = np.asarray(matrix.sum(axis=0)).reshape(-1) > 0  # the union of the source's totals
        matrix = matrix[:, domain]
        cost = question[domain].astype(float)
        a_ub, b_ub = _rows(matrix, group["low"].to_numpy(float), group["high"].to_numpy(float))
        least = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        if least.status == 2:
            rows.append((str(name), math.nan, math.nan, False))
            continue
        most = linprog(-cost, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        high = math.inf if most.status == 3 else -most.fun
        rows.append((str(name), *_round(least.fun, high), True))
    return pd.DataFrame(rows, columns=["source", "low", "high", "feasible"])


def elementary_conflict_gap(claims: pd.DataFrame) -> float:
    """The least total change of the claims' lows and highs [people] that lets the truth (deaths
    allowed on every cell) satisfy them all: ``min sum(dl + dh)`` subject to
    ``A x + dl >= low`` and ``A x - dh <= high``, all variables non-negative."""
    kept = claims[(claims["outcome"] == "killed").to_numpy()]
    matrix, _, n_cells = _incidence(kept)
    k = len(kept)
    low, high = kept["low"].to_numpy(float), kept["high"].to_numpy(float)
    finite = np.isfinite(high)
    eye = sparse.identity(k, format="csr")
    a_ub = sparse.vstack(
        [
            sparse.hstack([-matrix, -eye, sparse.csr_array((k, k))]),
            sparse.hstack([matrix[finite], sparse.csr_array((int(finite.sum()), k)), -eye[finite]]),
        ]
    ).tocsr()
    b_ub = np.concatenate([-low, high[finite]])
    cost = np.concatenate([np.zeros(n_cells), np.ones(2 * k)])
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
    if result.status != 0:
        raise RuntimeError(f"the conflict programme is always feasible and bounded: {result.message}")
    return float(result.fun)
