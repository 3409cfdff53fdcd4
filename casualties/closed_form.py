"""Closed forms: lone one-claim incidents summed per period without a programme.

An incident reported by one claim alone, sharing no cell with any total, adds ``[low, high]`` to
a question that holds all of its scope, ``[0, high]`` to one that holds part of it and nothing to
one that holds none; its best spreads pro rata by days over its own cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casualties.regions import DIMENSIONS, OPEN, Region, days, dimension_values, trees

__all__ = ["bin_range", "lone_singles", "only_lone_singles"]

def bin_range(lo: np.ndarray, hi: np.ndarray, start: np.ndarray, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def lone_singles(
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
    tree_of = trees()
    first = questions[0]
    inside = np.ones(len(claims), dtype=bool)
    related = np.ones(len(claims), dtype=bool)
    share = np.ones(len(claims))
    for dim in DIMENSIONS:
        wanted = [getattr(first, dim)]
        codes, values = dimension_values(claims, dim)
        full, touch = tree_of[dim].set_relations(values, wanted)
        # the share of a claim's own ids that lie inside the question
        singles = [(i,) for ids in values for i in ids]
        under = tree_of[dim].set_relations(singles, wanted)[0][:, 0].astype(float)
        sizes = np.array([len(ids) for ids in values])
        fraction = np.add.reduceat(under, np.cumsum(sizes) - sizes) / sizes
        inside &= full[codes, 0]
        related &= touch[codes, 0]
        share *= fraction[codes]
    lo = np.array([q.start for q in questions], dtype=np.int64)
    hi = np.array([q.stop for q in questions], dtype=np.int64)
    start, stop = days(claims["start"]), days(claims["end"]) + 1
    first_bin, last_bin = bin_range(lo, hi, start, stop)
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

