"""``period_totals`` over a Dask DataFrame, partition by partition (the closed-form path only).

When every kept claim is an incident reported by that one claim alone (no totals), each
incident adds to each account and period independently of every other claim: ``[low, high]``
to a period that holds its whole scope, ``[0, high]`` to one that holds part of it, its best
pro rata by days (``casualties.engine._lone_singles``). Those are sums over claims, so each
partition computes its raw (unrounded) sums per source and period, the sums of all partitions
are added (a grouped sum of ``n_sources x n_periods`` rows), and only the totals are rounded,
exactly as the pandas path rounds its own sums. No claim leaves its partition; what travels is
one small table per partition.

Everything else needs every claim at once and stays on one machine
(:class:`~casualties.errors.SingleMachineError`): totals (one linear programme over the cells of
overlapping scopes), incidents reported by several claims (an incident's reports constrain the
same deaths; their claims may sit in different partitions), and the truth (``by=None``: deaths
allowed anywhere, one programme).

Dask is needed only by whoever passes a Dask DataFrame, so this module imports it lazily.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from casualties.errors import SingleMachineError
from casualties.scope import Scope

__all__ = ["period_totals"]

_COLUMNS = ["source", "period_start", "period_end", "low", "best", "high", "feasible", "change"]
_PARTIAL = pd.DataFrame(
    {
        "source": pd.Series([], dtype="str"),
        "question": pd.Series([], dtype="int64"),
        "low": pd.Series([], dtype="float64"),
        "best": pd.Series([], dtype="float64"),
        "high": pd.Series([], dtype="float64"),
        "within": pd.Series([], dtype="float64"),
    }
)


def _facts(part: pd.DataFrame) -> pd.DataFrame:
    """One row of what the whole frame's path depends on, for one partition of kept claims."""
    return pd.DataFrame(
        {
            "n": [len(part)],
            "first": [part["start"].min()],
            "last": [part["end"].max()],
            "totals": [bool((part["kind"] == "total").any())],
            "named_after_claim": [bool((part["incident_id"].array == part["claim_id"].array).all())],
        }
    )


def _partial(part: pd.DataFrame, questions: list[Any]) -> pd.DataFrame:
    """Raw (unrounded) closed-form sums of one partition's lone incidents per source and period."""
    from casualties.tables import source_sums

    if not len(part):
        return _PARTIAL
    names, low, best, high, inside = source_sums(part, questions)
    if not len(names):
        return _PARTIAL
    n_q = len(questions)
    return pd.DataFrame(
        {
            "source": pd.array(np.repeat(np.asarray(names, dtype=object), n_q), dtype="str"),
            "question": np.tile(np.arange(n_q, dtype=np.int64), len(names)),
            "low": low.reshape(-1),
            "best": best.reshape(-1),
            "high": high.reshape(-1),
            "within": np.repeat(inside, n_q),
        }
    )


def _empty() -> pd.DataFrame:
    """No period or no claim: the table of :func:`casualties.period_totals` with no row."""
    return pd.DataFrame(columns=_COLUMNS).astype({"source": "str", "low": "float64", "best": "float64", "high": "float64",
                                                  "feasible": "bool", "change": "float64"})


def period_totals(
    claims: Any,
    freq: str = "MS",
    scope: Scope | None = None,
    *,
    by: str | None = "source",
    min_certainty: str | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    """:func:`casualties.period_totals` of a Dask DataFrame of claims, partition by partition.

    Parameters
    ----------
    claims : dask.dataframe.DataFrame
        Partitions that are claims frames (``dd.from_pandas(claims)``, or files read with
        :func:`~casualties.read_claims` per partition). Claims of one incident must share no
        ``incident_id`` with claims elsewhere: every incident is reported by one claim.
    freq, scope, by, min_certainty, unit
        As in :func:`casualties.period_totals`.

    Returns
    -------
    pandas.DataFrame
        The same frame as :func:`casualties.period_totals` of the computed claims (bests may
        differ in the last bits: floating sums in another order).

    Raises
    ------
    SingleMachineError
        When the claims or the question need the linear programmes: ``by=None``, any total, or
        an incident reported by several claims (after the outcome and certainty filters).
    """
    import dask

    from casualties import tables
    from casualties.regions import scope_region

    if by not in ("source", None):
        from casualties.errors import OptionError

        raise OptionError("by", by, ("source", "None"), "a Dask DataFrame is reconciled by source or as the truth")
    if by is None:
        raise SingleMachineError("the truth (by=None) allows deaths anywhere and is one linear programme over all claims")
    if freq not in tables.PERIOD_FREQ:
        from casualties.errors import OptionError

        raise OptionError("freq", freq, tuple(tables.PERIOD_FREQ))
    scope = tables.or_everything(scope)
    kept = claims.map_partitions(tables.kept, scope, min_certainty, meta=claims._meta)
    (facts,) = dask.compute(kept.map_partitions(_facts, meta=_facts(claims._meta)))
    if not facts["n"].sum():
        return _empty()
    if facts["totals"].any():
        raise SingleMachineError("the claims hold totals, whose overlapping scopes form one linear programme")
    if not facts["named_after_claim"].all() and bool((kept["incident_id"].value_counts(split_out=True) > 1).any().compute()):
        raise SingleMachineError("an incident is reported by several claims, which constrain the same deaths together")
    facts = facts[facts["n"] > 0]
    span = pd.DataFrame({"start": [facts["first"].min()], "end": [facts["last"].max()]})
    periods = tables.bins(span, scope, freq)
    if not len(periods):  # no period: one empty answer per source, as on one machine
        return _empty()
    starts, ends = periods.start_time.normalize(), periods.end_time.normalize()
    questions = [scope_region(scope, s, e) for s, e in zip(starts, ends)]
    partial = kept.map_partitions(_partial, questions, meta=_PARTIAL)
    (sums,) = dask.compute(partial.groupby(["source", "question"]).sum())
    names = np.sort(sums.index.get_level_values("source").unique().to_numpy(dtype=object))
    n_q = len(questions)
    grid = pd.MultiIndex.from_arrays([np.repeat(names, n_q), np.tile(np.arange(n_q), len(names))], names=["source", "question"])
    sums = sums.reindex(grid, fill_value=0.0)
    best = np.where(sums["within"].to_numpy() > 0, sums["best"].to_numpy(), np.nan)
    out = tables.period_rows(names, starts, ends, sums["low"].to_numpy(), best, sums["high"].to_numpy())[_COLUMNS]
    out = out.astype({"source": "str", "low": "float64", "best": "float64", "high": "float64", "feasible": "bool", "change": "float64"})
    return tables.as_rates(out, unit)
