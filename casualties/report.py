"""The reconciliation report as data: a pure function from claims and options to tables.

:func:`build_report` computes everything a report shows and nothing else: what went in (files,
sources, the period covered, the rows rejected and why), each source's range and the truth's
over the requested scope, the conflicting pairs of claims with a plain sentence each, the least
change that reconciles all claims, the per-period totals and the claims themselves.
:func:`casualties.rendering.render` turns a :class:`Report` into Markdown, HTML, CSV or JSON;
``docs/report.md`` describes the sections and the formats.

The sentences are built from the claims' own data (source names, their counts in words as the
qualifier gives them, place, category and perpetrator names, dates), so a reader can check each
against the quotes printed beside it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from casualties.columns import ENGINE_COLUMNS
from casualties.errors import OptionError, require_columns
from casualties.linked import bearing_links, empty_links, pair_evidence
from casualties.phrases import (
    adjustment_sentence,
    claim_line,
    count_words,
    pair_sentence,
    scope_words,
)
from casualties.scope import Scope

__all__ = ["FREQUENCIES", "TABLES", "TOP", "Report", "build_report", "count_words", "scope_words", "speaking_periods"]

#: The tables of a :class:`Report`, in the order the report shows them.
TABLES = ("files", "inputs", "rejected", "ranges", "links", "discrepancies", "adjustments", "period_totals", "merged", "merge_conflicts",
          "claims")
#: Period lengths of the per-period totals, and the word for one period.
FREQUENCIES = {"D": "day", "W": "week", "MS": "month", "QS": "quarter", "YS": "year"}
#: How many discrepancies and adjustments a report lists, largest first, unless ``full``; the
#: rest are summarised (:meth:`Report.summarised`).
TOP = 20

_FAILURE_COLUMNS = ["file", "row", "column", "value", "reason", "detail"]
_CLAIM_COLUMNS = ["claim_id", "source", "source_type", "reported_on", "start", "end", "place", "category", "perpetrator", "outcome", "kind",
                  "incident_id", "low", "best", "high", "qualifier", "certainty", "quote", "url", "note"]


@dataclasses.dataclass(frozen=True, eq=False)
class Report:
    """A reconciliation report, as tables; render it with :func:`casualties.rendering.render`.

    Attributes
    ----------
    scope : Scope
        What the ranges, discrepancies and totals are about.
    freq : str
        Period length of :attr:`period_totals` (``D``, ``W``, ``MS``, ``QS``, ``YS``).
    min_certainty : str or None
        Claims graded below this were left out (and unassessed ones with them).
    merge : str or None
        The merge rule of :attr:`merged`, if any.
    description : str
        The scope in words ("civilians killed by the US-led coalition in Syria, at any time").
    files : pandas.DataFrame
        ``file, n_claims, n_rejected``: the claim files read (empty when none was named), with
        the rows of each that gave no claim because a cell failed.
    inputs : pandas.DataFrame
        ``source, source_type, n_claims, n_totals, n_incidents, start, end, used``: per source,
        the claims that went in and the period they cover (first day of the earliest claim,
        last day of the latest), ``used`` claims bearing on the scope; last a row for all
        sources (``source`` is :data:`casualties.reconcile.TRUTH`).
    rejected : pandas.DataFrame
        ``file, row, column, value, reason, detail``: every failing cell of the rows left out.
    ranges : pandas.DataFrame
        ``source, low, best, high, n_claims, feasible`` [people]: each source's account over the
        scope, then the truth given all sources (:func:`casualties.reconcile.ranges`).
    discrepancies : pandas.DataFrame
        The pairs of claims that cannot both hold, largest gap first: the columns of
        :func:`casualties.reconcile.discrepancies` (``gap``, ``best_gap`` [people]) and
        ``sentence``, the pair in plain words; with :attr:`links`, also ``link``: why the two
        claims' incidents were linked as one event (empty for other pairs).
    gap : float
        The least total change to the claims' bounds that reconciles them all [people].
    adjustments : pandas.DataFrame
        ``claim_id, source, low, high, new_low, new_high, change, sentence`` [people]: the claims
        that give way for that least change (:func:`casualties.reconcile.conflict`).
    period_totals : pandas.DataFrame
        ``source, period_start, period_end, low, best, high, feasible`` [people per period]: each
        source's account, then the truth (:func:`casualties.reconcile.period_totals`).
    merged, merge_conflicts : pandas.DataFrame
        The incident claims merged by :attr:`merge`, and the groups the rule could not merge
        (both empty without a rule).
    claims : pandas.DataFrame
        The claims that went in, in input order: ``claim_id, source, ..., quote, url, note``
        (the glossary's columns), ``count`` (the figure in words), ``summary`` (the claim in
        one line) and ``used`` (whether it bears on the scope and passes ``min_certainty``).
    timestamp : str or None
        When the report was made, only if asked for (reports are otherwise byte-identical for
        identical inputs).
    full : bool
        Whether Markdown and HTML list everything (every claim, discrepancy, adjustment and
        period) rather than what :meth:`listed` selects. The tables above are complete either
        way; only what is rendered as text changes.
    links : pandas.DataFrame
        ``incident_a, incident_b, source_a, source_b, match_probability, evidence``: the links
        the report was built with (``build_report(links=...)``) whose two incidents bear on the
        scope, most probable first; empty without links.
    linked : bool
        Whether the report was built with links (the claims relinked before reconciling).
    """

    scope: Scope
    freq: str
    min_certainty: str | None
    merge: str | None
    description: str
    files: pd.DataFrame
    inputs: pd.DataFrame
    rejected: pd.DataFrame
    ranges: pd.DataFrame
    discrepancies: pd.DataFrame
    gap: float
    adjustments: pd.DataFrame
    period_totals: pd.DataFrame
    merged: pd.DataFrame
    merge_conflicts: pd.DataFrame
    claims: pd.DataFrame
    timestamp: str | None = None
    full: bool = False
    links: pd.DataFrame = dataclasses.field(default_factory=empty_links)
    linked: bool = False

    def listed(self, name: str) -> pd.DataFrame:
        """The rows of table ``name`` that Markdown and HTML list (all of them when :attr:`full`).

        - ``claims``: the claims that bear on the scope (``used``), in input order;
        - ``discrepancies``: the :data:`TOP` largest gaps; ``adjustments``: the :data:`TOP`
          largest changes (both tables are sorted largest first);
        - ``period_totals``: the periods from the first to the last in which some account says
          something (:func:`speaking_periods`); all of them when none does.

        Any other table is returned whole.

        Parameters
        ----------
        name : str
            One of :data:`TABLES`.

        Returns
        -------
        pandas.DataFrame
        """
        table = getattr(self, name)
        if self.full:
            return table
        if name == "claims":
            return table[table["used"].to_numpy(dtype=bool)]
        if name in ("discrepancies", "adjustments", "links", "rejected"):
            return table.head(TOP)
        if name == "period_totals":
            first, last = speaking_periods(table)
            return table[((table["period_start"] >= first) & (table["period_start"] <= last)).to_numpy()] if len(table) else table
        return table

    def summarised(self, name: str) -> pd.DataFrame:
        """What :meth:`listed` leaves out of ``discrepancies``, ``adjustments`` or ``rejected``,
        summarised.

        Parameters
        ----------
        name : {"discrepancies", "adjustments", "rejected"}

        Returns
        -------
        pandas.DataFrame
            For ``discrepancies``, one row per pair of sources: ``source_a, source_b, n_pairs,
            gap`` (the sum of their gaps [people]); for ``adjustments``, one row per source:
            ``source, n_claims, change`` [people]; for ``rejected``, one row per file, column and
            reason: ``file, column, reason, n_cells``. Largest first; empty when nothing is left
            out.
        """
        if name not in ("discrepancies", "adjustments", "rejected"):
            raise ValueError(f"only discrepancies, adjustments and rejected are summarised, not {name!r}")
        table = getattr(self, name)
        rest = table.iloc[len(self.listed(name)):]
        if name == "rejected":
            keys = ["file", "column", "reason"]
            out = (rest.groupby(keys, sort=True).size().rename("n_cells").reset_index() if len(rest)
                   else pd.DataFrame({**{k: pd.Series(dtype="str") for k in keys}, "n_cells": pd.Series(dtype="int64")}))
            return out.sort_values(["n_cells", *keys], ascending=[False, True, True, True], kind="stable").reset_index(drop=True)
        keys, n, total = (["source_a", "source_b"], "n_pairs", "gap") if name == "discrepancies" else (["source"], "n_claims", "change")
        out = (rest.groupby(keys, sort=True, observed=True).agg(**{n: (total, "size"), total: (total, "sum")}).reset_index()
               if len(rest) else pd.DataFrame({**{k: pd.Series(dtype="str") for k in keys}, n: pd.Series(dtype="int64"),
                                               total: pd.Series(dtype="float64")}))
        return out.sort_values([total, *keys], ascending=[False, *[True] * len(keys)], kind="stable").reset_index(drop=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The report's tables by name, in the order of :data:`TABLES`."""
        return {name: getattr(self, name) for name in TABLES}

    def options(self) -> dict[str, Any]:
        """The options the report was built with, and its headline figures, as plain values."""
        def day(value: pd.Timestamp | None) -> str | None:
            return None if value is None else value.strftime("%Y-%m-%d")

        scope = self.scope
        return {
            "scope": self.description,
            "start": day(scope.start),
            "end": day(scope.end),
            "place": None if scope.place is None else "|".join(scope.place),
            "category": scope.category,
            "perpetrator": None if scope.perpetrator is None else "|".join(scope.perpetrator),
            "outcome": scope.outcome,
            "freq": self.freq,
            "min_certainty": self.min_certainty,
            "merge": self.merge,
            "gap": self.gap,
            "timestamp": self.timestamp,
            "full": self.full,
            "linked": self.linked,
        }

    def __repr__(self) -> str:
        return (f"Report({self.description!r}, {len(self.claims)} claim(s), {len(self.rejected)} rejected cell(s), "
                f"{len(self.discrepancies)} discrepancy(ies), gap={self.gap:g})")


# -- periods ------------------------------------------------------------------------------------
def speaking_periods(totals: pd.DataFrame) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first and last period in which some account says something about the scope.

    An account says something about a period when its range there is bounded away from the
    trivial: a least count above 0, or a greatest count above 0 and finite. A range of 0–0 (no
    claim of the account reaches the period) or 0–∞ (only an open-ended total covers it, which
    says nothing of that period alone) is silent; the truth's rows are not looked at (its range
    is never narrower than what the accounts say). Periods before the first and after the last
    that speak are left out of a report that is not ``full``; periods in between are kept.

    Parameters
    ----------
    totals : pandas.DataFrame
        Per-period totals (:func:`casualties.reconcile.period_totals`, ``Report.period_totals``).

    Returns
    -------
    (pandas.Timestamp, pandas.Timestamp) or (None, None)
        The ``period_start`` of the first and of the last period that speak; the first and last
        period of all when none speaks; ``(None, None)`` for no period.
    """
    from casualties.reconcile import TRUTH

    if not len(totals):
        return None, None
    accounts = totals[(totals["source"] != TRUTH).to_numpy()]
    low, high = accounts["low"].to_numpy(dtype=float), accounts["high"].to_numpy(dtype=float)
    speaks = (low > 0) | ((high > 0) & np.isfinite(high))
    starts = accounts.loc[speaks, "period_start"] if speaks.any() else totals["period_start"]
    return pd.Timestamp(starts.min()), pd.Timestamp(starts.max())


# -- the report ------------------------------------------------------------------------------------
def _claims_table(claims: pd.DataFrame, used: np.ndarray) -> pd.DataFrame:
    table = claims[[c for c in _CLAIM_COLUMNS if c in claims.columns]].copy()
    table["count"] = [count_words(lo, be, hi, q if isinstance(q, str) else None)
                      for lo, be, hi, q in zip(table["low"], table["best"], table["high"], table["qualifier"])]
    table["summary"] = [f"{row['source']}: {claim_line(row)}" for row in table.to_dict("records")]
    table["used"] = used
    return table.reset_index(drop=True)


def _inputs(claims: pd.DataFrame, used: np.ndarray) -> pd.DataFrame:
    from casualties.reconcile import TRUTH

    frame = claims.assign(used=used, is_total=(claims["kind"] == "total").to_numpy())
    rows = []
    for name, group in [*frame.groupby("source", sort=True, observed=True), (TRUTH, frame)]:
        kinds = group["source_type"].astype(str).unique() if name != TRUTH else []
        rows.append({
            "source": str(name),
            "source_type": str(kinds[0]) if len(kinds) == 1 else "",
            "n_claims": len(group),
            "n_totals": int(group["is_total"].sum()),
            "n_incidents": int((~group["is_total"]).sum()),
            "start": group["start"].min() if len(group) else pd.NaT,
            "end": group["end"].max() if len(group) else pd.NaT,
            "used": int(group["used"].sum()),
        })
    out = pd.DataFrame(rows, columns=["source", "source_type", "n_claims", "n_totals", "n_incidents", "start", "end", "used"])
    return out.astype({"start": "datetime64[s]", "end": "datetime64[s]"})


def _failures(failures: pd.DataFrame | None) -> pd.DataFrame:
    if failures is None or not len(failures):
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "str") for c in _FAILURE_COLUMNS})
    table = failures.copy()
    if "file" not in table.columns:
        table.insert(0, "file", "")
    table = table[_FAILURE_COLUMNS]
    return table.astype({"file": "str", "row": "int64", "column": "str", "value": "str", "reason": "str", "detail": "str"}).reset_index(drop=True)


def _files(files: Mapping[str, int | tuple[int, int]] | None, rejected: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for name, counts in (files or {}).items():
        n, lost = counts if isinstance(counts, tuple) else (counts, rejected.loc[rejected["file"] == str(name), "row"].nunique())
        rows.append({"file": str(name), "n_claims": int(n), "n_rejected": int(lost)})
    return pd.DataFrame(rows, columns=["file", "n_claims", "n_rejected"]).astype({"file": "str", "n_claims": "int64", "n_rejected": "int64"})


def _labelled_accounts(table: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Accounts grouped by other columns than the source, labelled in ``source`` by their values."""
    columns = [by] if isinstance(by, str) else list(by)
    if columns == ["source"]:
        return table
    values = table[columns].astype(object).where(table[columns].notna(), "unassessed").astype(str)
    label = values.agg(" / ".join, axis=1) if len(table) else pd.Series([], dtype="str")
    return table.drop(columns=[c for c in columns if c != "source"]).assign(source=label.astype("str"))


def build_report(
    claims: pd.DataFrame,
    scope: Scope | None = None,
    *,
    freq: str = "MS",
    min_certainty: str | None = None,
    failures: pd.DataFrame | None = None,
    merge: str | None = None,
    files: Mapping[str, int | tuple[int, int]] | None = None,
    timestamp: str | None = None,
    progress: Callable[[str], None] | None = None,
    by: str | list[str] = "source",
    full: bool = False,
    links: pd.DataFrame | None = None,
) -> Report:
    """Build a reconciliation report: every table it shows, computed once, nothing rendered.

    Pure: the same arguments give an equal report (no clock, no randomness, no files).

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims frame (``read_claims``, ``bundled_claims``, ``claims_from_records``).
    scope : Scope, optional
        What to count; everything killed by default.
    freq : {"MS", "W", "QS", "YS", "D"}
        Period length of the per-period totals.
    min_certainty : str, optional
        Leave out claims graded below this (discounted < contested < weak < fair < confirmed),
        and unassessed ones; every section then uses the remaining claims.
    failures : pandas.DataFrame, optional
        The failure table of the rows rejected on reading (``read_claims(...,
        errors="collect")``), with an optional ``file`` column; listed in section 1.
    merge : str, optional
        A merge rule (``casualties.MERGE_RULES``): also merge each incident's reports by it.
    files : mapping of str to int or to (int, int), optional
        The claim files read and the number of valid claims in each, for section 1; or, per file,
        ``(claims, rows rejected)`` when some rows of ``failures`` still gave claims (an adapter
        lists a cell it could not map although its row gave claims): then the rows rejected are
        the rows that gave none. With a plain count, every row of ``failures`` counts as rejected.
    timestamp : str, optional
        A time to print on the report; none by default, so that reports are reproducible.
    progress : callable, optional
        Called with the name of each stage before it starts (for a progress bar).
    by : str or list of str
        The accounts of the ranges and per-period tables: one per value of these claims columns
        (``"source"`` by default; ``"certainty"``, ``["source", "certainty"]``...). Their rows
        are labelled in the ``source`` column by the values joined with " / " (unassessed for a
        missing grade).
    full : bool
        List everything in Markdown and HTML: every claim (also those that do not bear on the
        scope), every discrepancy and adjustment, every period. By default a report lists the
        claims that bear, the :data:`TOP` largest discrepancies and adjustments (the rest
        summarised per pair of sources) and the periods where some account speaks
        (:meth:`Report.listed`). The report's tables are complete either way.
    links : pandas.DataFrame, optional
        Incidents of different sources linked as one event
        (:func:`casualties.linking.link_incidents`): the claims are relinked
        (:func:`casualties.linking.relink`) before anything is reconciled, so that the reports
        of one event by several sources meet as one incident; the discrepancies between them
        carry the evidence of their link, and the report lists the links that bear.

    Returns
    -------
    Report
    """
    require_columns(claims, ENGINE_COLUMNS, "build_report")
    from casualties.merging import merge as merge_claims
    from casualties.reconcile import (
        TRUTH,
        bearing,
        conflict,
        discrepancies,
        period_totals,
        ranges,
    )

    if freq not in FREQUENCIES:
        raise OptionError("freq", freq, FREQUENCIES)
    step = progress or (lambda stage: None)
    scope = Scope() if scope is None else scope
    claims = claims.reset_index(drop=True)
    original = None
    if links is not None:
        from casualties.linking import relink

        original = pd.Series(claims["incident_id"].to_numpy(), index=claims["claim_id"].astype(str).to_numpy())
        claims = relink(claims, links)
    # One scope for every section: the claims that bear on the question (docs/model.md)
    kept = bearing(claims, scope, min_certainty=min_certainty)
    used = claims.index.isin(kept.index)
    table = _claims_table(claims, used)
    rejected = _failures(failures)

    step("ranges")
    spans = pd.concat([_labelled_accounts(ranges(kept, scope, by=by), by), ranges(kept, scope, by=None)], ignore_index=True)

    step("discrepancies")
    found = discrepancies(kept, scope)
    found = found[(found["gap"] > 0).to_numpy()].reset_index(drop=True)
    # each claim's row as a mapping, made once (a row looked up by label costs about 1 ms)
    by_id = table.drop_duplicates("claim_id").set_index("claim_id").to_dict("index")
    found["sentence"] = pd.Series([pair_sentence(by_id[r.claim_a], by_id[r.claim_b], r.relation, r.gap)
                                   for r in found.itertuples(index=False)], index=found.index, dtype="str")
    linked_table = empty_links()
    if original is not None:
        current = pd.Series(claims["incident_id"].to_numpy(), index=claims["claim_id"].astype(str).to_numpy())
        found["link"] = pair_evidence(found, original, current, links)
        linked_table = bearing_links(links, original, kept)

    step("least change")
    if len(kept):
        least = conflict(kept, scope)
        gap, adjustments = least.gap, least.adjustments.copy()
    else:  # no claim: nothing to change (conflict() itself fails on an empty frame)
        gap, adjustments = 0.0, pd.DataFrame(columns=["claim_id", "source", "low", "high", "new_low", "new_high", "change"])
    adjustments = adjustments.sort_values("change", ascending=False, kind="stable").reset_index(drop=True)  # largest first
    adjustments["sentence"] = pd.Series([adjustment_sentence(r, by_id[r.claim_id]) for r in adjustments.itertuples(index=False)],
                                        index=adjustments.index, dtype="str")

    step("period totals")
    totals = pd.concat([_labelled_accounts(period_totals(kept, freq, scope, by=by), by), period_totals(kept, freq, scope, by=None)], ignore_index=True)
    totals = totals[totals["source"].isin(spans["source"]) | (totals["source"] == TRUTH)].reset_index(drop=True)

    merged = merge_conflicts = pd.DataFrame()
    if merge is not None:
        step("merge")
        incidents = kept[(kept["kind"] == "incident").to_numpy()]
        merged, merge_conflicts = merge_claims(incidents, rule=merge, conflicts="collect")
        merged = merged.reset_index(drop=True)
        merge_conflicts = merge_conflicts.reset_index(drop=True)
    return Report(
        scope=scope,
        freq=freq,
        min_certainty=min_certainty,
        merge=merge,
        description=scope_words(scope),
        files=_files(files, rejected),
        inputs=_inputs(claims, used),
        rejected=rejected,
        ranges=spans,
        discrepancies=found,
        gap=float(gap),
        adjustments=adjustments,
        period_totals=totals,
        merged=merged,
        merge_conflicts=merge_conflicts,
        claims=table,
        timestamp=timestamp,
        full=bool(full),
        links=linked_table,
        linked=links is not None,
    )
