"""Reconciliation: ranges, per-period totals, discrepancies and the least conflict.

The model is in ``docs/model.md``. In short: a source's **account** holds the incidents it
itemised plus, inside the scopes of its own totals, deaths it counted without itemising; the
**truth** is any count consistent with every claim of every source, deaths allowed anywhere.
Bounds are optima of linear programmes (``casualties.engine``) over real-valued counts, rounded
inward to whole people: sound, and as tight as that relaxation.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import numpy as np
import pandas as pd

from casualties.scope import Scope

__all__ = ["ranges", "period_totals", "discrepancies", "conflict", "Conflict", "TRUTH", "CERTAINTY_WEIGHTS", "UNASSESSED_WEIGHT"]

#: The ``source`` label of rows about the truth given all sources (``by=None``).
TRUTH = "all sources"
#: Weights of :func:`conflict`: the lower, the sooner a claim gives way. Unassessed claims sit
#: between weak and fair.
CERTAINTY_WEIGHTS = {"discounted": 1.0, "contested": 2.0, "weak": 3.0, "fair": 4.0, "confirmed": 5.0}
#: The weight of an unassessed claim (no ``certainty``) in :func:`conflict`.
UNASSESSED_WEIGHT = 3.5
_PERIOD_FREQ = {"D": "D", "W": "W", "MS": "M", "M": "M", "ME": "M", "QS": "Q", "Q": "Q", "QE": "Q", "YS": "Y", "Y": "Y", "YE": "Y", "AS": "Y", "A": "Y"}
_TOL = 1e-7


def _scope(scope: Scope | None) -> Scope:
    return Scope() if scope is None else scope


def _kept(claims: pd.DataFrame, scope: Scope, min_certainty: str | None) -> pd.DataFrame:
    """Claims of the scope's outcome and at least ``min_certainty`` (unassessed ones dropped)."""
    from casualties.schema import CERTAINTY

    kept = claims[(claims["outcome"] == scope.outcome).to_numpy()]
    if min_certainty is not None:
        if min_certainty not in CERTAINTY:
            raise ValueError(f"min_certainty must be one of {', '.join(CERTAINTY)}, not {min_certainty!r}")
        grade = kept["certainty"].astype(pd.CategoricalDtype(list(CERTAINTY), ordered=True))
        kept = kept[grade.notna() & (grade >= min_certainty)]
    return kept


def _rounded(low: Any, best: Any, high: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bounds rounded inward to whole people (raw LP optima carry ~1e-7 noise), the best kept
    inside them; scalars or arrays."""
    low = np.ceil(np.asarray(low, dtype=float) - _TOL) + 0.0  # + 0.0: no negative zero
    high = np.asarray(high, dtype=float)
    high = np.where(np.isinf(high), high, np.floor(high + _TOL))
    return low, np.clip(np.asarray(best, dtype=float), low, high), high


def _accounts(claims: pd.DataFrame, by: str | None) -> list[tuple[str, pd.DataFrame, bool]]:
    if by is None:
        return [(TRUTH, claims, True)]
    if by != "source":
        raise ValueError(f"by must be 'source' or None, not {by!r}")
    return [(str(name), group, False) for name, group in claims.groupby("source", sort=True, observed=True)]


def _answer(claims: pd.DataFrame, questions: list[Any], z_everywhere: bool) -> list[tuple[float, float, float, bool]]:
    """Rounded (low, best, high, feasible) for each question region."""
    from casualties.engine import answer

    out = []
    for low, best, high, ok in answer(claims, questions, z_everywhere):
        if not ok:
            out.append((np.nan, np.nan, np.nan, False))
            continue
        low, best, high = _rounded(low, best, high)
        out.append((float(low), float(best), float(high), True))
    return out


def ranges(
    claims: pd.DataFrame,
    scope: Scope | None = None,
    *,
    by: Literal["source"] | None = "source",
    min_certainty: str | None = None,
) -> pd.DataFrame:
    """The range of deaths in a scope consistent with each source's claims (or with all).

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims frame.
    scope : Scope, optional
        What to count; everything (killed) by default.
    by : {"source", None}
        ``"source"``: one row per source, bounding its **account** (its itemised incidents plus
        deaths it counted without itemising inside its own totals). ``None``: one row for the
        **truth** given all claims, deaths allowed anywhere.
    min_certainty : str, optional
        Keep claims graded at least this (discounted < contested < weak < fair < confirmed);
        unassessed claims are then dropped.

    Returns
    -------
    pandas.DataFrame
        Columns ``source, low, best, high, n_claims, feasible``. ``low``/``high`` [people] are the
        least and greatest count, optimised over real-valued counts and rounded inward to whole
        people (``high`` may be inf); ``best`` [people] is the coherent point estimate
        (``docs/model.md``); ``feasible`` is False, with missing bounds, when the claims cannot
        all hold.
    """
    from casualties.engine import scope_region

    scope = _scope(scope)
    kept = _kept(claims, scope, min_certainty)
    question = scope_region(scope)
    rows = []
    for name, group, everywhere in _accounts(kept, by):
        (low, best, high, ok), = _answer(group, [question], everywhere)
        rows.append({"source": name, "low": low, "best": best, "high": high, "n_claims": len(group), "feasible": ok})
    return pd.DataFrame(rows, columns=["source", "low", "best", "high", "n_claims", "feasible"]).astype(
        {"source": "str", "low": "float64", "best": "float64", "high": "float64", "n_claims": "int64", "feasible": "bool"}
    )


def _bins(kept: pd.DataFrame, scope: Scope, freq: str) -> pd.PeriodIndex:
    if freq not in _PERIOD_FREQ:
        raise ValueError(f"freq must be one of {', '.join(_PERIOD_FREQ)}, not {freq!r}")
    first = scope.start if scope.start is not None else (kept["start"].min() if len(kept) else None)
    last = scope.end if scope.end is not None else (kept["end"].max() if len(kept) else None)
    if first is None or last is None or pd.isna(first) or pd.isna(last) or first > last:
        return pd.PeriodIndex([], freq=_PERIOD_FREQ[freq])
    return pd.period_range(pd.Timestamp(first), pd.Timestamp(last), freq=_PERIOD_FREQ[freq])


def period_totals(
    claims: pd.DataFrame,
    freq: str = "MS",
    scope: Scope | None = None,
    *,
    by: Literal["source"] | None = "source",
    min_certainty: str | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    """Bounds and best estimate of deaths per period, per source (or for the truth).

    Parameters
    ----------
    claims : pandas.DataFrame or dask.dataframe.DataFrame
        A claims frame. A Dask DataFrame is computed partition by partition when every kept
        claim is an incident reported by one claim (``by="source"``); anything else raises
        :class:`~casualties.errors.SingleMachineError` (``docs/performance.md``).
    freq : str
        Period length: ``D``, ``W`` (Monday to Sunday), ``MS``, ``QS`` or ``YS``.
    scope : Scope, optional
        What to count; its dates (or else the claims' span) set the periods.
    by, min_certainty
        As in :func:`ranges`.
    unit : str, optional
        A rate unit such as ``"person / week"``: the counts are divided by each period's length
        through pint. Default: counts [people].

    Returns
    -------
    pandas.DataFrame
        ``source, period_start, period_end, low, best, high, feasible``: one row per account and
        period (inclusive dates). Bounds are exact per period: an incident dated across two
        periods contributes [0, its high] to each; bests add up across periods.
    """
    if type(claims).__module__.startswith("dask"):  # a Dask DataFrame: partition by partition
        from casualties import _dask

        return _dask.period_totals(claims, freq, scope, by=by, min_certainty=min_certainty, unit=unit)
    from casualties.engine import only_lone_singles, scope_region

    scope = _scope(scope)
    kept = _kept(claims, scope, min_certainty)
    periods = _bins(kept, scope, freq)
    starts = periods.start_time.normalize() if len(periods) else pd.DatetimeIndex([])
    ends = periods.end_time.normalize() if len(periods) else pd.DatetimeIndex([])
    questions = [scope_region(scope, s, e) for s, e in zip(starts, ends)]
    frames = []
    if by == "source" and questions and only_lone_singles(kept):
        # Incidents only, one claim each: every account in one vectorised pass.
        frames.append(_singles_by_source(kept, questions, starts, ends))
        kept = kept.iloc[:0]
    for name, group, everywhere in _accounts(kept, by):
        answers = _answer(group, questions, everywhere) if questions else []
        frame = pd.DataFrame(answers, columns=["low", "best", "high", "feasible"])
        frame.insert(0, "period_end", ends.astype("datetime64[s]"))
        frame.insert(0, "period_start", starts.astype("datetime64[s]"))
        frame.insert(0, "source", name)
        frames.append(frame)
    columns = ["source", "period_start", "period_end", "low", "best", "high", "feasible"]
    out = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    out = out.astype({"source": "str", "low": "float64", "best": "float64", "high": "float64", "feasible": "bool"})
    return _as_rates(out, unit)


def _as_rates(table: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    """A period table's counts divided by each period's length in ``unit`` (through pint)."""
    if unit is not None and len(table):
        from casualties.units import to_rate

        days = ((table["period_end"] - table["period_start"]).dt.days + 1).to_numpy(dtype=float)
        for column in ("low", "best", "high"):
            table[column] = to_rate(table[column].to_numpy(dtype=float), days, unit)
    return table


def _period_rows(names: Any, starts: pd.DatetimeIndex, ends: pd.DatetimeIndex, low: np.ndarray, best: np.ndarray, high: np.ndarray) -> pd.DataFrame:
    """Rows of every source (``names``) x period from raw sums shaped ``(source, period)``,
    rounded inward: the closed-form path's table."""
    n_q = len(starts)
    low, best, high = _rounded(np.ravel(low), np.ravel(best), np.ravel(high))
    return pd.DataFrame(
        {
            "source": np.repeat(np.asarray(names, dtype=object), n_q),
            "period_start": np.tile(starts.astype("datetime64[s]"), len(names)),
            "period_end": np.tile(ends.astype("datetime64[s]"), len(names)),
            "low": low,
            "best": best,
            "high": high,
            "feasible": True,
        }
    )


def _singles_by_source(kept: pd.DataFrame, questions: list[Any], starts: pd.DatetimeIndex, ends: pd.DatetimeIndex) -> pd.DataFrame:
    """Per-period rows of every source at once, when all claims are lone one-claim incidents."""
    from casualties.engine import _lone_singles

    codes, names = kept["source"].factorize(sort=True)
    return _period_rows(names, starts, ends, *_lone_singles(kept, questions, codes, len(names)))


# -- discrepancies ---------------------------------------------------------------------------
def _containment(values: pd.Series, tree: Any) -> tuple[np.ndarray, np.ndarray]:
    """Codes of each row's (multi-valued) ids, and ``inside[i, j]``: every id of i in j's union."""
    from casualties.hierarchy import split_ids

    codes, uniques = pd.factorize(values.astype(str))
    id_sets = [split_ids(u) for u in uniques]
    return codes, tree.set_relations(id_sets, id_sets)[0]


def _overlapping(claims: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Claims whose scope can share deaths with the question's scope."""
    from casualties.engine import _trees
    from casualties.hierarchy import split_ids

    keep = np.ones(len(claims), dtype=bool)
    if scope.start is not None:
        keep &= (claims["end"] >= scope.start).to_numpy()
    if scope.end is not None:
        keep &= (claims["start"] <= scope.end).to_numpy()
    trees = _trees()
    for dim, wanted in (("place", scope.place), ("category", (scope.category,) if scope.category else None), ("perpetrator", scope.perpetrator)):
        if wanted is None:
            continue
        codes, uniques = pd.factorize(claims[dim].astype(str))
        if len(uniques):
            related = trees[dim].set_relations([split_ids(u) for u in uniques], [wanted])[1][:, 0]
            keep &= related[codes]
    return claims[keep]


def _candidate_pairs(kept: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``a < b`` of claims from different sources that may be comparable: two reports of
    one incident, or a total and a claim whose dates nest with it (no quadratic blow-up over
    incidents: they pair only within their incident)."""
    n = len(kept)
    codes, _ = kept["source"].factorize()
    is_total = (kept["kind"] == "total").to_numpy()
    parts_a, parts_b = [], []
    incidents = np.flatnonzero(~is_total)
    if len(incidents):
        frame = pd.DataFrame({"i": incidents, "id": kept["incident_id"].to_numpy()[incidents]})
        joined = frame.merge(frame, on="id", suffixes=("_a", "_b"))
        joined = joined[joined["i_a"] < joined["i_b"]]
        parts_a.append(joined["i_a"].to_numpy())
        parts_b.append(joined["i_b"].to_numpy())
    start, end = kept["start"].to_numpy(), kept["end"].to_numpy()
    for t in np.flatnonzero(is_total):
        nested = ((start[t] <= start) & (end <= end[t])) | ((start <= start[t]) & (end[t] <= end))
        others = np.flatnonzero(nested & (codes != codes[t]) & (~is_total | (np.arange(n) > t)))
        parts_a.append(np.minimum(others, t))
        parts_b.append(np.maximum(others, t))
    if not parts_a:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    a, b = np.concatenate(parts_a).astype(np.int64), np.concatenate(parts_b).astype(np.int64)
    keep = codes[a] != codes[b]
    pairs = np.unique(np.column_stack([a[keep], b[keep]]), axis=0)
    return pairs[:, 0], pairs[:, 1]


def discrepancies(claims: pd.DataFrame, scope: Scope | None = None, *, min_certainty: str | None = None) -> pd.DataFrame:
    """Pairs of claims from different sources that speak of comparable things, and their gaps.

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims frame.
    scope : Scope, optional
        Only claims that overlap it (and of its outcome).
    min_certainty : str, optional
        As in :func:`ranges`.

    Returns
    -------
    pandas.DataFrame
        ``claim_a, claim_b, source_a, source_b, relation, gap, best_gap, ratio``, largest gap
        first. ``relation`` is ``same-incident`` (two reports of one incident's same part),
        ``same-scope`` (two totals of one scope), ``within`` (A's scope lies inside B's total) or
        ``contains`` (B's inside A's total). ``gap`` [people] is how far apart the ranges are
        once scopes are accounted for: for A within B, ``max(0, A.low - B.high)``, since B's
        total bounds everything in A's scope; for equal scopes, the distance between the ranges.
        ``best_gap`` [people] is the same for the bests; ``ratio`` is A's best over B's (equal
        scopes only).
    """
    from casualties.engine import _trees

    scope = _scope(scope)
    kept = _overlapping(_kept(claims, scope, min_certainty), scope).reset_index(drop=True)
    columns = ["claim_a", "claim_b", "source_a", "source_b", "relation", "gap", "best_gap", "ratio"]
    n = len(kept)
    if n < 2:
        return pd.DataFrame(columns=columns).astype({"gap": "float64", "best_gap": "float64", "ratio": "float64"})
    trees = _trees()
    a, b = _candidate_pairs(kept)
    source = kept["source"].to_numpy()
    start, end = kept["start"].to_numpy(), kept["end"].to_numpy()
    time_in = (start[b] <= start[a]) & (end[a] <= end[b])
    time_out = (start[a] <= start[b]) & (end[b] <= end[a])
    # per dimension: whether a's ids lie inside b's union, and the other way round
    nested = {}
    for dim in ("place", "category", "perpetrator"):
        codes, inside = _containment(kept[dim], trees[dim])
        nested[dim] = (inside[codes[a], codes[b]], inside[codes[b], codes[a]])
    # Two reports of one incident: compare the parts they speak of (category x perpetrator).
    part_ab = nested["category"][0] & nested["perpetrator"][0]
    part_ba = nested["category"][1] & nested["perpetrator"][1]
    inside_ab = time_in & nested["place"][0] & part_ab
    inside_ba = time_out & nested["place"][1] & part_ba
    kind = kept["kind"].astype(str).to_numpy()
    incident = kept["incident_id"].to_numpy()
    both_incidents = (kind[a] == "incident") & (kind[b] == "incident")
    same_incident = both_incidents & (incident[a] == incident[b])
    equal = inside_ab & inside_ba
    relation = np.full(len(a), "", dtype=object)
    relation[same_incident & part_ab & part_ba] = "same-incident"
    relation[same_incident & part_ab & ~part_ba] = "within"
    relation[same_incident & part_ba & ~part_ab] = "contains"
    other = ~both_incidents
    relation[other & equal & (kind[a] == "total") & (kind[b] == "total")] = "same-scope"
    relation[other & inside_ab & ~equal & (kind[b] == "total")] = "within"
    relation[other & inside_ba & ~equal & (kind[a] == "total")] = "contains"
    relation[other & equal & (kind[a] != kind[b])] = np.where(kind[a][other & equal & (kind[a] != kind[b])] == "total", "contains", "within")
    keep = relation != ""
    a, b, relation = a[keep], b[keep], relation[keep]
    low, best, high = (kept[c].to_numpy(dtype=float) for c in ("low", "best", "high"))
    within, contains = relation == "within", relation == "contains"
    symmetric = ~within & ~contains
    gap = np.where(within, np.maximum(0, low[a] - high[b]), np.where(contains, np.maximum(0, low[b] - high[a]), np.maximum.reduce([np.zeros(len(a)), low[a] - high[b], low[b] - high[a]])))
    best_gap = np.where(within, np.maximum(0, best[a] - best[b]), np.where(contains, np.maximum(0, best[b] - best[a]), np.abs(best[a] - best[b])))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(symmetric, best[a] / best[b], np.nan)
    ids = kept["claim_id"].to_numpy()
    out = pd.DataFrame(
        {"claim_a": ids[a], "claim_b": ids[b], "source_a": source[a], "source_b": source[b], "relation": relation, "gap": gap, "best_gap": best_gap, "ratio": ratio}
    )
    out = out.astype({"claim_a": "str", "claim_b": "str", "source_a": "str", "source_b": "str", "relation": "str"})
    return out.sort_values(["gap", "best_gap"], ascending=False, kind="stable", ignore_index=True)


# -- conflict ---------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True, eq=False)
class Conflict:
    """The least total change that makes every claim hold at once.

    Attributes
    ----------
    gap : float
        The least total change to the claims' lows and highs [people]; 0 when they are
        consistent.
    adjustments : pandas.DataFrame
        The claims that must give way: ``claim_id, source, low, high, new_low, new_high,
        change`` [people].
    """

    gap: float
    adjustments: pd.DataFrame

    def __repr__(self) -> str:
        return f"Conflict(gap={self.gap:g}, {len(self.adjustments)} claim(s) give way)"


def conflict(
    claims: pd.DataFrame,
    scope: Scope | None = None,
    *,
    weights: Literal["certainty"] | None | dict[str, float] | pd.Series = "certainty",
) -> Conflict:
    """The least total change to the claims' bounds that lets the truth satisfy all of them.

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims frame.
    scope : Scope, optional
        Only claims that overlap it (and of its outcome).
    weights : "certainty", None, or a mapping claim_id -> weight
        Which claims give way first among the least changes: the lower the weight, the sooner
        (``"certainty"``: :data:`CERTAINTY_WEIGHTS`). The gap itself does not depend on them.

    Returns
    -------
    Conflict
        ``gap`` [people] and the ``adjustments``.
    """
    from casualties.engine import Programme

    scope = _scope(scope)
    programme = Programme(_overlapping(_kept(claims, scope, None), scope), [], z_everywhere=True)
    kept = programme.claims  # the programme's own (canonical) order: its answers are in it
    if isinstance(weights, str):
        if weights != "certainty":
            raise ValueError(f"weights must be 'certainty', None or a mapping, not {weights!r}")
        from casualties.merging import certainty_weights

        w = certainty_weights(kept["certainty"])
    elif weights is None:
        w = np.ones(len(kept))
    else:
        w = kept["claim_id"].map(pd.Series(weights)).fillna(1.0).to_numpy(dtype=float)
    gap, dl, dh = programme.min_change(w)
    changed = (dl > 0) | (dh > 0)
    adjustments = pd.DataFrame(
        {
            "claim_id": kept["claim_id"].to_numpy()[changed],
            "source": kept["source"].to_numpy()[changed],
            "low": kept["low"].to_numpy()[changed],
            "high": kept["high"].to_numpy()[changed],
            "new_low": (kept["low"].to_numpy() - dl)[changed],
            "new_high": (kept["high"].to_numpy() + dh)[changed],
            "change": (dl + dh)[changed],
        }
    )
    return Conflict(0.0 if gap <= _TOL else float(gap), adjustments.sort_values("change", ascending=False, ignore_index=True))
