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

from casualties.columns import ENGINE_COLUMNS
from casualties.errors import require_columns
from casualties.certainty import CERTAINTY_WEIGHTS, UNASSESSED_WEIGHT
from casualties.tables import TOL, as_rates, bins, or_everything, rounded, singles_by_source
from casualties.tables import kept as kept_claims
from casualties.scope import Scope

__all__ = ["ranges", "period_totals", "discrepancies", "conflict", "bearing", "Conflict", "TRUTH", "CERTAINTY_WEIGHTS", "UNASSESSED_WEIGHT"]

#: The ``source`` label of rows about the truth given all sources (``by=None``).
TRUTH = "all sources"
_ON_CONFLICT = ("least-change", "nan", "raise")


def _by_columns(claims: pd.DataFrame, by: Any) -> list[str] | None:
    """The claims columns an account is made of (None: the truth)."""
    if by is None:
        return None
    columns = [by] if isinstance(by, str) else list(by)
    missing = [c for c in columns if c not in claims.columns]
    if not columns or missing:
        from casualties.errors import OptionError

        raise OptionError("by", by, reason="by is None, a claims column or a list of claims columns" + (f" ({', '.join(map(repr, missing))} is not one)" if missing else ""))
    return columns


def _accounts(claims: pd.DataFrame, by: Any) -> list[tuple[tuple[Any, ...], pd.DataFrame, bool]]:
    """``(key, claims, z_everywhere)`` per account: the truth, or one per value of ``by``."""
    columns = _by_columns(claims, by)
    if columns is None:
        return [((TRUTH,), claims, True)]
    out = []
    for key, group in claims.groupby(columns, sort=True, observed=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        out.append((tuple(None if pd.isna(k) else (str(k) if not isinstance(k, (bool, np.bool_)) else k) for k in key), group, False))
    return out


def _label_columns(by: Any) -> list[str]:
    return ["source"] if by is None else ([by] if isinstance(by, str) else list(by))


def _check_on_conflict(on_conflict: str) -> None:
    if on_conflict not in _ON_CONFLICT:
        from casualties.errors import OptionError

        raise OptionError("on_conflict", on_conflict, _ON_CONFLICT)


def _answer(claims: pd.DataFrame, questions: list[Any], z_everywhere: bool, on_conflict: str, scope: Scope) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray]:
    """The engine's answer for one account, rounded inward: (answer, low, best, high)."""
    from casualties.certainty import certainty_weights
    from casualties.engine import answer

    found = answer(claims, questions, z_everywhere, relax=on_conflict == "least-change", weights=certainty_weights(claims["certainty"]))
    if not found.feasible and on_conflict == "raise":
        from casualties.errors import ConflictError

        raise ConflictError(conflict(claims, scope) if z_everywhere else _account_conflict(claims, questions))
    low, best, high = rounded(found.low, found.best, found.high)
    if not found.determined:  # no claim speaks of the question's categories and perpetrators alone
        best = np.full(len(best), np.nan)
    return found, low, best, high


def _account_conflict(claims: pd.DataFrame, questions: list[Any]) -> Conflict:
    """The least change of one account's own claims (those bearing on the questions)."""
    return _least_conflict(claims, questions[0], z_everywhere=False, weights="certainty")


def bearing(claims: pd.DataFrame, scope: Scope | None = None, *, min_certainty: str | None = None) -> pd.DataFrame:
    """The claims that bear on a scope: those of its outcome (and certainty) whose scope shares a
    cell with it, and, again and again, those linked to one that bears by a shared incident or
    by a shared cell with a total.

    These are the claims the truth's answers (``ranges(..., by=None)``, ``period_totals``,
    ``conflict``) are made of: the others are independent of the question, so their bounds and
    contradictions cannot touch it (``docs/model.md``).

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims frame.
    scope : Scope, optional
        The question; everything (killed) by default.
    min_certainty : str, optional
        As in :func:`ranges`.

    Returns
    -------
    pandas.DataFrame
        The claims that bear, in their input order.
    """
    require_columns(claims, ENGINE_COLUMNS, "bearing")
    from casualties.engine import decompose
    from casualties.regions import scope_region

    scope = or_everything(scope)
    kept = kept_claims(claims, scope, min_certainty)
    parts = decompose(kept, scope_region(scope), z_everywhere=True)
    positions = np.sort(np.concatenate([parts.singles, parts.batch, *parts.groups]).astype(np.int64))
    return kept.iloc[positions]


def ranges(
    claims: pd.DataFrame,
    scope: Scope | None = None,
    *,
    by: str | list[str] | None = "source",
    min_certainty: str | None = None,
    on_conflict: Literal["least-change", "nan", "raise"] = "least-change",
) -> pd.DataFrame:
    """The range of deaths in a scope consistent with each source's claims (or with all).

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims frame.
    scope : Scope, optional
        What to count; everything (killed) by default.
    by : str, list of str, or None
        ``"source"`` (default): one row per source, bounding its **account** (its itemised
        incidents plus deaths it counted without itemising inside its own totals). Any other
        claims column or list of columns (``"certainty"``, ``["source", "certainty"]``,
        ``"perpetrator"``...): one account per value. ``None``: one row for the **truth** given
        all claims, deaths allowed anywhere.
    min_certainty : str, optional
        Keep claims graded at least this (discounted < contested < weak < fair < confirmed);
        unassessed claims are then dropped.
    on_conflict : {"least-change", "nan", "raise"}
        When the claims of an account cannot all hold: ``"least-change"`` bounds the counts
        that a least-change reconciliation allows (the claims' bounds move by the least total
        change, the least certain first: ``docs/model.md``); ``"nan"`` gives missing bounds;
        ``"raise"`` raises :class:`~casualties.errors.ConflictError` carrying the
        :class:`Conflict`.

    Returns
    -------
    pandas.DataFrame
        Columns ``source`` (or the ``by`` columns), ``low, best, high, n_claims, feasible,
        change``. ``low``/``high`` [people] are the least and greatest count, optimised over
        real-valued counts and rounded inward to whole people (``high`` may be inf); ``best``
        [people] is the coherent point estimate, missing when no claim of the account speaks of
        the scope's category and perpetrators alone (a toll of everyone by every side, asked
        about coalition-killed civilians, says nothing of how many they were); ``n_claims``
        counts the claims that bear on
        the scope (sources with none get no row); ``feasible`` says whether those claims hold
        as given, and ``change`` [people] is the least total change that was needed (0 when
        they hold).
    """
    require_columns(claims, ENGINE_COLUMNS, "ranges")
    from casualties.regions import scope_region

    _check_on_conflict(on_conflict)
    scope = or_everything(scope)
    kept = kept_claims(claims, scope, min_certainty)
    question = scope_region(scope)
    labels = _label_columns(by)
    rows = []
    for key, group, everywhere in _accounts(kept, by):
        found, low, best, high = _answer(group, [question], everywhere, on_conflict, scope)
        if not everywhere and found.n_claims == 0:
            continue
        rows.append((*key, float(low[0]), float(best[0]), float(high[0]), found.n_claims, found.feasible, found.change))
    columns = [*labels, "low", "best", "high", "n_claims", "feasible", "change"]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({**({"source": "str"} if by is None or by == "source" else {}), "low": "float64", "best": "float64", "high": "float64",
                       "n_claims": "int64", "feasible": "bool", "change": "float64"})


def period_totals(
    claims: pd.DataFrame,
    freq: str = "MS",
    scope: Scope | None = None,
    *,
    by: str | list[str] | None = "source",
    min_certainty: str | None = None,
    unit: str | None = None,
    on_conflict: Literal["least-change", "nan", "raise"] = "least-change",
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
    by, min_certainty, on_conflict
        As in :func:`ranges`.
    unit : str, optional
        A rate unit such as ``"person / week"``: the counts are divided by each period's length
        through pint. Default: counts [people].

    Returns
    -------
    pandas.DataFrame
        ``source`` (or the ``by`` columns), ``period_start, period_end, low, best, high,
        feasible, change``: one row per account and period (inclusive dates). Bounds are exact
        per period: an incident dated across two periods contributes [0, its high] to each;
        bests add up across periods. ``feasible`` and ``change`` are the account's, as in
        :func:`ranges`.
    """
    if type(claims).__module__.startswith("dask"):  # a Dask DataFrame: partition by partition
        from casualties import _dask

        return _dask.period_totals(claims, freq, scope, by=by, min_certainty=min_certainty, unit=unit)
    require_columns(claims, ENGINE_COLUMNS, "period_totals")
    from casualties.closed_form import only_lone_singles
    from casualties.regions import scope_region

    _check_on_conflict(on_conflict)
    scope = or_everything(scope)
    kept = kept_claims(claims, scope, min_certainty)
    periods = bins(kept, scope, freq)
    starts = periods.start_time.normalize() if len(periods) else pd.DatetimeIndex([])
    ends = periods.end_time.normalize() if len(periods) else pd.DatetimeIndex([])
    questions = [scope_region(scope, s, e) for s, e in zip(starts, ends)]
    labels = _label_columns(by)
    frames = []
    if by == "source" and questions and only_lone_singles(kept):
        # Incidents only, one claim each: every account in one vectorised pass.
        frames.append(singles_by_source(kept, questions, starts, ends))
        kept = kept.iloc[:0]
    for key, group, everywhere in _accounts(kept, by) if questions else []:
        found, low, best, high = _answer(group, questions, everywhere, on_conflict, scope)
        if not everywhere and found.n_claims == 0:
            continue
        frame = pd.DataFrame({"period_start": starts.astype("datetime64[s]"), "period_end": ends.astype("datetime64[s]"),
                              "low": low, "best": best, "high": high, "feasible": found.feasible, "change": found.change})
        for name, value in reversed(list(zip(labels, key))):
            frame.insert(0, name, value)
        frames.append(frame)
    columns = [*labels, "period_start", "period_end", "low", "best", "high", "feasible", "change"]
    out = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    out = out.astype({**({"source": "str"} if by is None or by == "source" else {}), "low": "float64", "best": "float64", "high": "float64",
                      "feasible": "bool", "change": "float64"})
    return as_rates(out, unit)


# -- discrepancies ---------------------------------------------------------------------------
def _containment(values: pd.Series, tree: Any) -> tuple[np.ndarray, np.ndarray]:
    """Codes of each row's (multi-valued) ids, and ``inside[i, j]``: every id of i in j's union."""
    from casualties.hierarchy import split_ids

    codes, uniques = pd.factorize(values.astype(str))
    id_sets = [split_ids(u) for u in uniques]
    return codes, tree.set_relations(id_sets, id_sets)[0]


def _overlapping(claims: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Claims whose scope can share deaths with the question's scope."""
    from casualties.regions import trees as _trees
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
    require_columns(claims, ENGINE_COLUMNS, "discrepancies")
    from casualties.regions import trees as _trees

    scope = or_everything(scope)
    kept = _overlapping(kept_claims(claims, scope, min_certainty), scope).reset_index(drop=True)
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
        Only the claims that bear on it (of its outcome): those sharing a cell with it, and those
        linked to them through shared cells, as for ``ranges(..., by=None)``: so ``gap`` is the
        ``change`` of that truth.
    weights : "certainty", None, or a mapping claim_id -> weight
        Which claims give way first among the least changes: the lower the weight, the sooner
        (``"certainty"``: :data:`CERTAINTY_WEIGHTS`). The gap itself does not depend on them.

    Returns
    -------
    Conflict
        ``gap`` [people] and the ``adjustments``.
    """
    require_columns(claims, ENGINE_COLUMNS, "conflict")
    from casualties.regions import scope_region

    scope = or_everything(scope)
    if isinstance(weights, str) and weights != "certainty":
        from casualties.errors import OptionError

        raise OptionError("weights", weights, ("certainty", "None", "a mapping claim_id -> weight"))
    return _least_conflict(kept_claims(claims, scope, None), scope_region(scope), True, weights)


def _least_conflict(claims: pd.DataFrame, region: Any, z_everywhere: bool, weights: Any) -> Conflict:
    """The least change of the claims that bear on ``region``, part by part (independent parts
    change apart; lone one-claim incidents never need to)."""
    from casualties.engine import decompose
    from casualties.programme import Programme

    if isinstance(weights, str):
        from casualties.certainty import certainty_weights

        w = certainty_weights(claims["certainty"])
    elif weights is None:
        w = np.ones(len(claims))
    else:
        w = claims["claim_id"].map(pd.Series(weights)).fillna(1.0).to_numpy(dtype=float)
    parts = decompose(claims, region, z_everywhere)
    positions, drops, rises, gap = [], [], [], 0.0
    if len(parts.batch):
        from casualties.batch import batch_change, build

        batch = build(claims.iloc[parts.batch], parts.batch_codes, region)
        change = batch_change(batch, w[parts.batch][batch.order])
        positions.append(parts.batch[batch.order])
        drops.append(change.low_drop)
        rises.append(change.high_rise)
        gap += change.gap
    if parts.groups:
        programme = Programme(claims, [], z_everywhere, groups=parts.groups)
        change = programme.min_change(w[programme.order])
        positions.append(programme.order)
        drops.append(change.low_drop)
        rises.append(change.high_rise)
        gap += change.gap
    at = np.concatenate(positions) if positions else np.zeros(0, dtype=np.int64)
    dl = np.concatenate(drops) if drops else np.zeros(0)
    dh = np.concatenate(rises) if rises else np.zeros(0)
    changed = (dl > 0) | (dh > 0)
    given = claims.iloc[at[changed]]
    adjustments = pd.DataFrame(
        {
            "claim_id": given["claim_id"].to_numpy(),
            "source": given["source"].to_numpy(),
            "low": given["low"].to_numpy(dtype=float),
            "high": given["high"].to_numpy(dtype=float),
            "new_low": given["low"].to_numpy(dtype=float) - dl[changed],
            "new_high": given["high"].to_numpy(dtype=float) + dh[changed],
            "change": (dl + dh)[changed],
        }
    )
    adjustments = adjustments.sort_values(["change", "claim_id"], ascending=[False, True], ignore_index=True)
    return Conflict(0.0 if gap <= TOL else round(float(gap), 4), adjustments)
