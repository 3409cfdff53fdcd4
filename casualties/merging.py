"""Merge rules: one consolidated claim from several reports of the same thing.

Every casualty recorder has a merge rule, usually unwritten. This module names five and lets
users bring their own: a **rule** is any callable that takes one group of claims (a claims
frame) and returns a :class:`~casualties.vocab.Count`. :func:`merge` groups a claims frame (by
incident, by scope, or by columns), applies the rule to each group and returns a claims frame
with one row per group and its provenance.

The built-in rules and the laws they satisfy (``docs/merge.md``; the laws are checked with
:func:`casualties.testing.check_merge_rule`):

============  =========================================================  ==================
rule          count                                                      fails
============  =========================================================  ==================
envelope      lowest low, highest high, best = median of bests           idempotent, associative
intersection  highest low, lowest high (conflict if empty), median       idempotent, contains, associative
conservative  low = best = lowest low, high = highest high               (none)
most_certain  envelope of the most certain reports                       idempotent, contains, associative
weighted      envelope, best = certainty-weighted median                 idempotent, associative
============  =========================================================  ==================

Medians are rounded down to a whole number of people (the claims frame holds whole counts):
the median of 4 and 5 is 4. A rule that cannot merge a group raises :class:`MergeConflict`
(``intersection`` does when no count is allowed by every report).
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Callable, Literal, Sequence

import numpy as np
import pandas as pd

from casualties.errors import CONFLICT_COLUMNS, MergeConflict, OptionError, OptionTypeError, UnknownNameWarning, provenance, require_columns
from casualties.certainty import certainty_weights
from casualties.vocab import Count

__all__ = [
    "MergeRule",
    "MERGE_RULES",
    "MERGED_SOURCE",
    "PROVENANCE_COLUMNS",
    "CONFLICT_COLUMNS",
    "INCIDENT_KEYS",
    "SCOPE_KEYS",
    "merge",
    "envelope",
    "intersection",
    "conservative",
    "most_certain",
    "weighted",
    "certainty_weights",
    "top_certainty",
]

#: A merge rule: one group of claims (a claims frame, at least one row) -> one Count.
MergeRule = Callable[[pd.DataFrame], Count]

#: The ``source`` of a merged claim whose reports come from several sources.
MERGED_SOURCE = "merged"
#: Columns :func:`merge` adds after the schema's: the merged claim ids (``|``-joined, input
#: order), the sources (``|``-joined, sorted, unique), their number of claims, the rule's name.
PROVENANCE_COLUMNS = ("merged_ids", "sources", "n_merged", "rule")
#: Columns of the conflict table after the group's key columns (``low``, ``high``, ``gap``
#: [people]: the highest low, the lowest high, and by how much the first exceeds the second).
#: Keys of ``by="incident"``: reports of one event, and of one quantity of it.
INCIDENT_KEYS = ("incident_id", "category", "outcome", "kind")
#: Keys of ``by="scope"`` (``incident_id`` counts only for claims of kind ``incident``).
SCOPE_KEYS = ("start", "end", "place", "category", "perpetrator", "outcome", "kind", "incident_id")
#: Keys every grouping has: different categories, outcomes or kinds are different quantities.
_ALWAYS_KEYS = ("category", "outcome", "kind")
_COUNT_COLUMNS = ("low", "best", "high", "certainty")
_TEXT_SEPARATOR = " | "


# ------------------------------------------------------------------------------ certainty
def top_certainty(group: pd.DataFrame) -> Any:
    """The certainty of a merged claim: the grade of the group's most certain claim.

    Claims are ranked by :func:`certainty_weights` (unassessed between weak and fair); the first
    of the best-ranked claims gives its grade, so the result may be missing (unassessed).

    Parameters
    ----------
    group : pandas.DataFrame
        Claims, at least one.

    Returns
    -------
    str or None
        A grade of :data:`casualties.schema.CERTAINTY`, or None for unassessed.
    """
    weights = certainty_weights(group["certainty"])
    value = group["certainty"].iloc[int(np.argmax(weights))]
    return None if pd.isna(value) else str(value)


# ------------------------------------------------------------------------------- helpers
def _median(values: np.ndarray, weights: np.ndarray | None = None) -> float:
    """The (weighted) median, rounded down: the floor of the midpoint of the lower and upper
    weighted medians; with equal weights, the usual median rounded down."""
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    cumulative = np.cumsum(np.ones(len(values)) if weights is None else weights[order])
    half = cumulative[-1] / 2
    lower = sorted_values[np.searchsorted(cumulative, half, side="left")]
    upper = sorted_values[np.searchsorted(cumulative, half, side="right")]
    return float(math.floor((lower + upper) / 2))


def _grouped_median(values: np.ndarray, codes: np.ndarray, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    """:func:`_median` of every group at once (``codes`` in ``0..n-1``, every group present)."""
    weights = np.ones(len(values)) if weights is None else weights
    order = np.lexsort((values, codes))
    sorted_codes, sorted_values, sorted_weights = codes[order], values[order], weights[order]
    cumulative = pd.Series(sorted_weights).groupby(sorted_codes).cumsum().to_numpy()
    half = (np.bincount(codes, weights=weights, minlength=n) / 2)[sorted_codes]

    def first(mask: np.ndarray) -> np.ndarray:
        positions = np.flatnonzero(mask)
        _, at = np.unique(sorted_codes[positions], return_index=True)
        return sorted_values[positions[at]]

    lower, upper = first(cumulative >= half), first(cumulative > half)
    return np.floor((lower + upper) / 2)


def _qualifier(low: float, best: float, high: float) -> str:
    """How a merged figure reads, as the claims frame's default qualifier."""
    if low == best == high:
        return "exact"
    if math.isinf(high):
        return "at-least"
    return "up-to" if low == 0 else "between"


def _count(group: pd.DataFrame, low: float, best: float, high: float) -> Count:
    """A merged Count: a report's own wording when the merged figures are that report's,
    else the claims frame's default qualifier; provisional when open-ended and some report is."""
    same = np.flatnonzero((group["low"].to_numpy() == low) & (group["best"].to_numpy() == best)
                          & (group["high"].to_numpy() == high))
    if len(same) and "qualifier" in group and "provisional" in group:
        wording = group["qualifier"].iloc[same[0]]
        wording = wording if isinstance(wording, str) and wording else _qualifier(low, best, high)
        return Count(low, best, high, wording, bool(group["provisional"].iloc[same[0]]))
    provisional = math.isinf(high) and "provisional" in group and bool(group["provisional"].to_numpy().any())
    return Count(low, best, high, _qualifier(low, best, high), provisional)


def _counts_frame(claims: pd.DataFrame, codes: np.ndarray, low: np.ndarray, best: np.ndarray,
                  high: np.ndarray) -> pd.DataFrame:
    """:func:`_count` for every group at once: columns low, best, high, qualifier, provisional."""
    n = len(low)
    out = pd.DataFrame({"low": low, "best": best, "high": high})
    derived = np.select([(low == best) & (best == high), np.isinf(high), low == 0],
                        ["exact", "at-least", "up-to"], default="between")
    any_provisional = np.bincount(codes, weights=claims["provisional"].to_numpy(dtype=float), minlength=n) > 0
    out["qualifier"] = derived
    out["provisional"] = np.isinf(high) & any_provisional
    same = ((claims["low"].to_numpy() == low[codes]) & (claims["best"].to_numpy() == best[codes])
            & (claims["high"].to_numpy() == high[codes]))
    positions = np.flatnonzero(same)
    groups, at = np.unique(codes[positions], return_index=True)
    rows = positions[at]
    given = claims["qualifier"].astype(object).to_numpy()[rows]
    out.loc[groups, "qualifier"] = np.where(pd.Series(given).fillna("").astype(str) != "", given, derived[groups])
    out.loc[groups, "provisional"] = claims["provisional"].to_numpy(dtype=bool)[rows]
    out["provisional"] = out["provisional"].astype(bool)
    return out


def _vectorised(grouped: Callable[[pd.DataFrame, np.ndarray, int], pd.DataFrame]) -> Callable[[Callable], Callable]:
    """Attach a whole-frame fast path to a rule: ``rule.grouped(claims, codes, n)``."""

    def attach(rule: Callable) -> Callable:
        rule.grouped = grouped  # type: ignore[attr-defined]
        return rule

    return attach


def _bounds(claims: pd.DataFrame, codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    low = claims["low"].groupby(codes).min().reindex(range(n)).to_numpy()
    high = claims["high"].groupby(codes).max().reindex(range(n)).to_numpy()
    return low, high


def _no_conflict(frame: pd.DataFrame) -> pd.DataFrame:
    frame["conflict"] = False
    return frame


# ----------------------------------------------------------------------------- the rules
def _envelope_grouped(claims: pd.DataFrame, codes: np.ndarray, n: int) -> pd.DataFrame:
    low, high = _bounds(claims, codes, n)
    best = _grouped_median(claims["best"].to_numpy(), codes, n)
    return _no_conflict(_counts_frame(claims, codes, low, best, high))


@_vectorised(_envelope_grouped)
def envelope(group: pd.DataFrame) -> Count:
    """Lowest low, highest high, best = the median of the bests (Airwars, IBC).

    Every count any report allows stays allowed. The median is rounded down (of 4 and 5: 4).

    Laws: ``order``, ``contains``, ``within``, ``monotone``. Not ``idempotent`` nor
    ``associative``: a repeated report weighs twice in the median, and a median of medians is
    not the median (the bounds alone satisfy both).

    Parameters
    ----------
    group : pandas.DataFrame
        Claims (``low``, ``best``, ``high`` [people]), at least one.

    Returns
    -------
    Count
        [people]
    """
    low, high = float(group["low"].to_numpy().min()), float(group["high"].to_numpy().max())
    return _count(group, low, _median(group["best"].to_numpy(dtype=float)), high)


def _intersection_grouped(claims: pd.DataFrame, codes: np.ndarray, n: int) -> pd.DataFrame:
    low = claims["low"].groupby(codes).max().reindex(range(n)).to_numpy()
    high = claims["high"].groupby(codes).min().reindex(range(n)).to_numpy()
    conflict = low > high
    median = _grouped_median(claims["best"].to_numpy(), codes, n)
    best = np.where(conflict, low, np.clip(median, low, np.where(conflict, low, high)))
    out = _counts_frame(claims, codes, low, best, np.where(conflict, low, high))
    out["high"] = high
    out["conflict"] = conflict
    return out


@_vectorised(_intersection_grouped)
def intersection(group: pd.DataFrame) -> Count:
    """The range every report allows: highest low, lowest high; best = the median of the bests
    moved into that range.

    Laws: ``order``, ``within``, ``monotone``. Not ``idempotent`` nor ``associative`` (the
    median; the bounds alone satisfy both), nor ``contains``: a report's best may lie outside
    what the others allow.

    Parameters
    ----------
    group : pandas.DataFrame
        Claims (``low``, ``best``, ``high`` [people]), at least one.

    Returns
    -------
    Count
        [people]

    Raises
    ------
    MergeConflict
        When the highest low is above the lowest high: no count satisfies every report. Its
        ``gap`` is by how many people they miss each other.
    """
    low, high = float(group["low"].max()), float(group["high"].min())
    if low > high:
        raise _empty_intersection(group, low, high)
    best = min(max(_median(group["best"].to_numpy(dtype=float)), low), high)
    return _count(group, low, best, high)


def _empty_intersection(group: pd.DataFrame, low: float, high: float) -> MergeConflict:
    return MergeConflict.in_group(
        group, low=low, high=high,
        detail=f"no count is allowed by every report: the highest low {low:g} is above the lowest high {high:g}")


def _conservative_grouped(claims: pd.DataFrame, codes: np.ndarray, n: int) -> pd.DataFrame:
    low, high = _bounds(claims, codes, n)
    return _no_conflict(_counts_frame(claims, codes, low, low.copy(), high))


@_vectorised(_conservative_grouped)
def conservative(group: pd.DataFrame) -> Count:
    """The lowest reported figure as low and best, the highest high as high (ACLED).

    ACLED records the lowest figure any report gives (the low end of a range, "dozens" as 12);
    the range still reaches as high as any report.

    Laws: all six (``order``, ``idempotent``, ``contains``, ``within``, ``associative``,
    ``monotone``): every figure is a minimum or a maximum.

    Parameters
    ----------
    group : pandas.DataFrame
        Claims (``low``, ``high`` [people]), at least one.

    Returns
    -------
    Count
        [people]
    """
    low, high = float(group["low"].min()), float(group["high"].max())
    return _count(group, low, low, high)


def _most_certain_grouped(claims: pd.DataFrame, codes: np.ndarray, n: int) -> pd.DataFrame:
    weights = certainty_weights(claims["certainty"])
    top = pd.Series(weights).groupby(codes).transform("max").to_numpy()
    winners = weights == top
    return _envelope_grouped(claims[winners], codes[winners], n)


@_vectorised(_most_certain_grouped)
def most_certain(group: pd.DataFrame) -> Count:
    """The reports of the highest certainty grade win; several winners merge by :func:`envelope`.

    Grades rank discounted < contested < weak < unassessed < fair < confirmed
    (:func:`certainty_weights`, as the engine's ``conflict`` ranks them).

    Laws: ``order``, ``within``, ``monotone``. Not ``contains`` (a losing report's best may lie
    outside), nor ``idempotent`` nor ``associative`` (the winners' median).

    Parameters
    ----------
    group : pandas.DataFrame
        Claims (``low``, ``best``, ``high`` [people], ``certainty``), at least one.

    Returns
    -------
    Count
        [people]
    """
    weights = certainty_weights(group["certainty"])
    return envelope(group[weights == weights.max()])


def _weighted_grouped(claims: pd.DataFrame, codes: np.ndarray, n: int) -> pd.DataFrame:
    low, high = _bounds(claims, codes, n)
    best = _grouped_median(claims["best"].to_numpy(), codes, n, certainty_weights(claims["certainty"]))
    return _no_conflict(_counts_frame(claims, codes, low, best, high))


@_vectorised(_weighted_grouped)
def weighted(group: pd.DataFrame) -> Count:
    """Envelope bounds; best = the median of the bests weighted by certainty.

    Weights are :func:`certainty_weights` (discounted 1 ... confirmed 5, unassessed 3.5); the
    weighted median is the midpoint of the lower and upper weighted medians, rounded down, so
    that equal grades give :func:`envelope`'s median.

    Laws: ``order``, ``contains``, ``within``, ``monotone``. Not ``idempotent`` nor
    ``associative`` (the median).

    Parameters
    ----------
    group : pandas.DataFrame
        Claims (``low``, ``best``, ``high`` [people], ``certainty``), at least one.

    Returns
    -------
    Count
        [people]
    """
    low, high = float(group["low"].min()), float(group["high"].max())
    best = _median(group["best"].to_numpy(dtype=float), certainty_weights(group["certainty"]))
    return _count(group, low, best, high)


#: The built-in rules by name.
MERGE_RULES: dict[str, MergeRule] = {
    "envelope": envelope,
    "intersection": intersection,
    "conservative": conservative,
    "most_certain": most_certain,
    "weighted": weighted,
}


# ---------------------------------------------------------------------------------- merge
def _rule_of(rule: str | MergeRule) -> tuple[MergeRule, str]:
    if isinstance(rule, str):
        if rule not in MERGE_RULES:
            raise OptionError("rule", rule, tuple(MERGE_RULES), "a rule is one of these names, or a callable group -> Count")
        return MERGE_RULES[rule], rule
    if not callable(rule):
        raise OptionTypeError("rule", rule, tuple(MERGE_RULES), f"a rule is one of these names, or a callable group -> Count, not a {type(rule).__name__}")
    return rule, str(getattr(rule, "__name__", repr(rule)))


def _keys(claims: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """The key columns of each claim's group."""
    if isinstance(by, str) and by in ("incident", "scope"):
        names = list(INCIDENT_KEYS if by == "incident" else SCOPE_KEYS)
    elif isinstance(by, str):
        raise OptionError("by", by, ("incident", "scope"), "by is one of these names, or a list of claims columns")
    else:
        names = list(dict.fromkeys([*by, *_ALWAYS_KEYS]))
        missing = [name for name in names if name not in claims.columns]
        if missing:
            raise OptionError("by", by, reason=f"it names columns the claims do not have: {', '.join(map(str, missing))}")
    keys = claims[names].copy()
    if isinstance(by, str) and by == "scope":  # totals never share an event: their incident_id does not count
        keys["incident_id"] = claims["incident_id"].where(claims["kind"].astype(str) == "incident", "")
    return keys


def _joined_unique(values: pd.Series, codes: np.ndarray, n: int, separator: str) -> pd.Series:
    """Per group, the distinct non-empty values in input order, joined."""
    frame = pd.DataFrame({"code": codes, "value": values.astype(object).fillna("").astype(str).to_numpy()})
    frame = frame[frame["value"] != ""].drop_duplicates()
    return frame.groupby("code")["value"].agg(separator.join).reindex(range(n), fill_value="")


def _shared_point(claims: pd.DataFrame, codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group, the point [degrees] its located reports share; missing when none is located or
    they disagree (every row has both coordinates or neither, so one latitude and one longitude
    among the located rows are one point)."""
    by_group = claims[["latitude", "longitude"]].groupby(codes)
    one = (by_group["latitude"].nunique() == 1) & (by_group["longitude"].nunique() == 1)
    point = by_group.first().where(one, np.nan).reindex(range(n))
    return point["latitude"].to_numpy(dtype="float64"), point["longitude"].to_numpy(dtype="float64")


def _union_ids(values: pd.Series, codes: np.ndarray, n: int, tree: Any) -> pd.Series:
    """Per group, the union of the multi-valued cells, normalised by the tree."""
    from casualties.hierarchy import join_ids, split_ids

    frame = pd.DataFrame({"code": codes, "value": values.astype(str).to_numpy()}).drop_duplicates()
    first = frame.drop_duplicates("code").set_index("code")["value"].reindex(range(n))
    several = frame["code"].duplicated(keep=False)
    for code, part in frame[several].groupby("code"):
        first[code] = join_ids(tree.normalize_ids(i for cell in part["value"] for i in split_ids(cell)))
    return first


def _dates(claims: pd.DataFrame, codes: np.ndarray, n: int) -> tuple[pd.Series, pd.Series]:
    """Per group, the intersection of the periods when they overlap, else their union."""
    by_group = claims[["start", "end"]].groupby(codes)
    latest_start, earliest_end = by_group["start"].max(), by_group["end"].min()
    earliest_start, latest_end = by_group["start"].min(), by_group["end"].max()
    overlap = latest_start <= earliest_end
    start = latest_start.where(overlap, earliest_start).reindex(range(n))
    end = earliest_end.where(overlap, latest_end).reindex(range(n))
    return start, end


def _merged_rows(claims: pd.DataFrame, keys: pd.DataFrame, codes: np.ndarray, n: int,
                 counts: pd.DataFrame, rule_name: str) -> pd.DataFrame:
    """The records of the merged claims (before normalisation), one per group."""
    from casualties.names import perpetrators
    from casualties.places import place_tree

    by_group = claims.groupby(codes, sort=True)
    first = claims.iloc[_first_positions(codes)].reset_index(drop=True)
    size = by_group.size().reindex(range(n)).to_numpy()
    single_source = by_group["source"].nunique().reindex(range(n)).to_numpy() == 1
    start, end = _dates(claims, codes, n)
    same_dates = (by_group["start"].nunique().to_numpy() == 1) & (by_group["end"].nunique().to_numpy() == 1)
    one_precision = by_group["date_precision"].nunique(dropna=False).to_numpy() == 1
    one_incident = by_group["incident_id"].nunique().to_numpy() == 1
    one_type = by_group["source_type"].nunique(dropna=False).to_numpy() == 1
    top = pd.Series(certainty_weights(claims["certainty"])).groupby(codes).idxmax().reindex(range(n)).to_numpy()

    records = pd.DataFrame(index=pd.RangeIndex(n))
    records["claim_id"] = first["claim_id"].astype(str)
    records["source"] = np.where(single_source, first["source"].astype(str), MERGED_SOURCE)
    records["source_type"] = first["source_type"].astype(object).where(single_source & one_type)
    records["reported_on"] = by_group["reported_on"].max().reindex(range(n)).to_numpy()
    records["start"], records["end"] = start.to_numpy(), end.to_numpy()
    records["date_precision"] = first["date_precision"].astype(object).where(same_dates & one_precision)
    records["place"] = _union_ids(claims["place"], codes, n, place_tree()).to_numpy()
    for name in ("category", "outcome", "kind"):
        records[name] = first[name].astype(object)
    records["perpetrator"] = _union_ids(claims["perpetrator"], codes, n, perpetrators()).to_numpy()
    records["incident_id"] = first["incident_id"].astype(str).where(one_incident, records["claim_id"])
    for name in ("low", "best", "high", "qualifier", "provisional"):
        records[name] = counts[name].to_numpy()
    records["certainty"] = claims["certainty"].astype(object).to_numpy()[top]
    for name in ("location", "quote", "url", "note"):
        records[name] = _joined_unique(claims[name], codes, n, _TEXT_SEPARATOR).to_numpy()
    records["latitude"], records["longitude"] = _shared_point(claims, codes, n)
    from casualties.schema import COLUMN_NAMES

    for name in keys.columns:
        if name not in COLUMN_NAMES:
            records[name] = first[name].to_numpy()
    records["merged_ids"] = by_group["claim_id"].agg(lambda ids: "|".join(ids.astype(str))).reindex(range(n)).to_numpy()
    records["sources"] = by_group["source"].agg(lambda s: "|".join(sorted(set(s.astype(str))))).reindex(range(n)).to_numpy()
    records["n_merged"] = size.astype("int64")
    records["rule"] = rule_name
    return records


def _apply(rule: MergeRule, claims: pd.DataFrame, codes: np.ndarray, n: int) -> tuple[pd.DataFrame, dict[int, pd.DataFrame]]:
    """The rule's Count for each group (a frame indexed by group code) and the conflicts."""
    grouped = getattr(rule, "grouped", None)
    conflicts: dict[int, pd.DataFrame] = {}
    if grouped is not None:
        counts = grouped(claims, codes, n)
        for code in np.flatnonzero(counts["conflict"].to_numpy()):
            low, high = float(counts.at[code, "low"]), float(counts.at[code, "high"])
            conflicts[int(code)] = _empty_intersection(claims[codes == code], low, high).conflicts
        return counts, conflicts
    rows = []
    for code, group in claims.groupby(codes, sort=True):
        try:
            count = rule(group)
        except MergeConflict as exc:
            conflicts[int(code)] = exc.conflicts
            rows.append((np.nan, np.nan, np.nan, "", False, True))
            continue
        if not isinstance(count, Count):
            raise TypeError(f"the merge rule must return a Count, not {type(count).__name__} "
                            f"(for claims {', '.join(group['claim_id'].astype(str))})")
        rows.append((count.low, count.best, count.high, count.qualifier, count.provisional, False))
    return pd.DataFrame(rows, columns=["low", "best", "high", "qualifier", "provisional", "conflict"]), conflicts


def _first_positions(codes: np.ndarray) -> np.ndarray:
    """The position of each group's first claim, by group code."""
    return pd.Series(np.arange(len(codes))).groupby(codes).first().to_numpy()


def _conflict_table(conflicts: dict[int, pd.DataFrame], keys: pd.DataFrame, codes: np.ndarray,
                    claims: pd.DataFrame, rule_name: str) -> pd.DataFrame:
    """One row per conflicting group: its key columns, then :data:`CONFLICT_COLUMNS`."""
    order = sorted(conflicts)
    key_part = keys.iloc[_first_positions(codes)[order] if order else []].reset_index(drop=True)
    rows = []
    for code in order:
        given = conflicts[code].reindex(columns=list(CONFLICT_COLUMNS))
        row = given.iloc[0].to_dict() if len(given) else {}
        row.update(provenance(claims[codes == code]), rule=rule_name)
        if not isinstance(row.get("detail"), str) or not row["detail"]:
            row["detail"] = "the rule raised MergeConflict"
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(CONFLICT_COLUMNS))
    table = table.astype({"merged_ids": "str", "sources": "str", "n_merged": "int64", "rule": "str",
                          "low": "float64", "high": "float64", "gap": "float64", "detail": "str"})
    return pd.concat([key_part, table], axis=1)


def _normalised(records: pd.DataFrame) -> pd.DataFrame:
    """The merged records as a claims frame; the merged source is not warned about."""
    from casualties.schema import claims_from_records

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnknownNameWarning)
        frame = claims_from_records(records)
    for item in caught:
        message = item.message
        if isinstance(message, UnknownNameWarning):
            names = tuple(name for name in message.names if name != MERGED_SOURCE)
            if names:
                warnings.warn(UnknownNameWarning(names, message.vocabulary), stacklevel=3)
        else:
            warnings.warn_explicit(message, item.category, item.filename, item.lineno)
    assert isinstance(frame, pd.DataFrame)
    return frame


def merge(
    claims: pd.DataFrame,
    *,
    by: Literal["incident", "scope"] | Sequence[str] = "incident",
    rule: str | MergeRule = "envelope",
    conflicts: Literal["raise", "collect"] = "raise",
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Consolidate reports of the same thing: one claim per group, by a merge rule.

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims frame.
    by : {"incident", "scope"} or list of str
        How claims are grouped. ``"incident"``: the same ``incident_id``, ``category``,
        ``outcome`` and ``kind`` (:data:`INCIDENT_KEYS`): children and civilians of one event
        are different quantities, and so are its killed and injured. ``"scope"``: identical
        ``start``, ``end``, ``place``, ``category``, ``perpetrator``, ``outcome`` and ``kind``,
        and for incident claims the same ``incident_id`` (two strikes on one day in one village
        are two events) (:data:`SCOPE_KEYS`). A list of columns: those, plus ``category``,
        ``outcome`` and ``kind`` (never merged across).
    rule : str or callable
        A name of :data:`MERGE_RULES` (``"envelope"``, ``"intersection"``, ``"conservative"``,
        ``"most_certain"``, ``"weighted"``) or any callable taking one group (a claims frame)
        and returning a :class:`~casualties.vocab.Count` [people]; it may raise
        :class:`MergeConflict` for a group it cannot merge.
    conflicts : {"raise", "collect"}
        ``"raise"``: raise :class:`MergeConflict` listing every group the rule could not
        merge. ``"collect"``: return the merged claims and the conflict table.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)
        The merged claims: a claims frame (it validates), one row per group in order of first
        appearance, with :data:`PROVENANCE_COLUMNS` after the schema's (``merged_ids``,
        ``sources``, ``n_merged``, ``rule``) and, before them, any key column of ``by`` outside
        the schema. With ``conflicts="collect"`` also the conflict table: one row per group
        left out, its key columns then :data:`CONFLICT_COLUMNS`. Every group is in exactly one.

    Raises
    ------
    MergeConflict
        With ``conflicts="raise"``, when the rule cannot merge some group; ``.conflicts`` lists
        them all.
    ValueError
        For an unknown rule name, ``by`` or ``conflicts``.

    Notes
    -----
    A merged claim takes from its group (``docs/merge.md``): the first claim's ``claim_id``;
    the source when there is one, else ``"merged"`` (:data:`MERGED_SOURCE`); the latest
    ``reported_on``; the days every report covers when the periods overlap, else the days any
    covers; the union of places and of perpetrators (several perpetrators: the attribution is
    disputed); the ``incident_id`` they share, else its own ``claim_id``; counts from the rule
    (a report's own ``qualifier`` when the counts are that report's); the grade of the most
    certain claim (:func:`top_certainty`); the distinct locations, quotes, urls and notes joined
    by ``" | "``; the point the located reports share (missing when they disagree). Columns outside the schema are dropped, except the keys of ``by``.
    """
    from casualties.schema import COLUMN_NAMES, empty_claims

    if conflicts not in ("raise", "collect"):
        raise OptionError("conflicts", conflicts, ("raise", "collect"))
    function, rule_name = _rule_of(rule)
    require_columns(claims, COLUMN_NAMES, "merge")
    claims = claims.reset_index(drop=True)
    keys = _keys(claims, by)
    codes = keys.groupby(list(keys.columns), sort=False, dropna=False, observed=True).ngroup().to_numpy()
    n = int(codes.max()) + 1 if len(codes) else 0
    if n == 0:
        merged = empty_claims()
        for name in keys.columns:
            if name not in COLUMN_NAMES:
                merged[name] = claims[name].iloc[:0].to_numpy()
        merged["merged_ids"] = pd.Series([], dtype="str")
        merged["sources"] = pd.Series([], dtype="str")
        merged["n_merged"] = pd.Series([], dtype="int64")
        merged["rule"] = pd.Series([], dtype="str")
        table = _conflict_table({}, keys, codes, claims, rule_name)
        return (merged, table) if conflicts == "collect" else merged
    counts, found = _apply(function, claims, codes, n)
    table = _conflict_table(found, keys, codes, claims, rule_name)
    if found and conflicts == "raise":
        raise MergeConflict(table, f"{len(table)} group{'s' if len(table) != 1 else ''} cannot be merged by {rule_name}")
    records = _merged_rows(claims, keys, codes, n, counts, rule_name)
    keep = ~counts["conflict"].to_numpy(dtype=bool)
    merged = _normalised(records[keep].reset_index(drop=True))
    return (merged, table) if conflicts == "collect" else merged
