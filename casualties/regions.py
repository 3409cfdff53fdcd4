"""Regions: the scope of a claim or a question as days x ids per tree, and the trees themselves.

The lowest layer of the engine (``programme``, ``closed_form``, ``batch`` and ``engine`` build on
it); it knows nothing of programmes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["OPEN", "DIMENSIONS", "Region", "trees", "days", "claim_regions", "scope_region", "dimension_values", "extent"]

#: Days beyond any date: the open ends of time.
OPEN = 1 << 40
#: The tree dimensions of a region, in the order of the cells.
DIMENSIONS = ("place", "category", "perpetrator")

@dataclasses.dataclass(frozen=True, slots=True)
class Region:
    """A product set: days ``[start, stop)`` (int days since 1970) x ids per tree dimension."""

    start: int
    stop: int
    place: tuple[str, ...]
    category: tuple[str, ...]
    perpetrator: tuple[str, ...]


def trees() -> dict[str, Any]:
    from casualties.names import categories, perpetrators
    from casualties.places import place_tree

    return {"place": place_tree(), "category": categories(), "perpetrator": perpetrators()}


def days(values: pd.Series) -> np.ndarray:
    return values.to_numpy().astype("datetime64[D]").astype(np.int64)


def claim_regions(claims: pd.DataFrame) -> list[Region]:
    """The scope of each claim as a :class:`Region`."""
    from casualties.hierarchy import split_ids

    starts, stops = days(claims["start"]), days(claims["end"]) + 1
    places = [split_ids(v) for v in claims["place"].to_numpy()]
    categories = [(str(v),) for v in claims["category"].to_numpy()]
    perpetrators = [split_ids(v) for v in claims["perpetrator"].to_numpy()]
    return [Region(int(a), int(b), p, c, r) for a, b, p, c, r in zip(starts, stops, places, categories, perpetrators)]


def scope_region(scope: Any, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None) -> Region:
    """A :class:`~casualties.scope.Scope` (optionally narrowed to ``[start, end]``) as a Region."""
    tree_of = trees()
    lo = -OPEN if scope.start is None else int(np.datetime64(scope.start.date(), "D").astype(np.int64))
    hi = OPEN if scope.end is None else int(np.datetime64(scope.end.date(), "D").astype(np.int64)) + 1
    if start is not None:
        lo = max(lo, int(np.datetime64(pd.Timestamp(start).date(), "D").astype(np.int64)))
    if end is not None:
        hi = min(hi, int(np.datetime64(pd.Timestamp(end).date(), "D").astype(np.int64)) + 1)
    return Region(
        lo,
        max(lo, hi),
        scope.place or (tree_of["place"].root,),
        (scope.category,) if scope.category else (tree_of["category"].root,),
        scope.perpetrator or (tree_of["perpetrator"].root,),
    )



def dimension_values(claims: pd.DataFrame, dim: str) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    from casualties.hierarchy import split_ids

    column = claims[dim]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, uniques = column.cat.codes.to_numpy(), list(column.cat.categories)
    else:
        codes, uniques = column.factorize()
    return codes, [split_ids(u) for u in uniques]



def extent(claims: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """How wide each claim is in itself: its days, and the number of tree nodes its place,
    category and perpetrator ids hold (their subtrees, multiplied across the trees).

    Orders the best estimate's reference allocation innermost first (fewest days, then fewest
    nodes), whatever other claims happen to cut the trees into.
    """
    span = (days(claims["end"]) - days(claims["start"]) + 1).astype(float)
    nodes = np.ones(len(claims))
    tree_of = trees()
    for dim in DIMENSIONS:
        codes, values = dimension_values(claims, dim)
        tree = tree_of[dim]
        sizes = np.array([sum(len(tree.descendants(i)) + 1 for i in ids) for ids in values], dtype=float)
        if len(sizes):
            nodes *= sizes[codes]
    return span, nodes
