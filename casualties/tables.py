"""Questions and answer tables: the claims a question keeps, its periods, inward rounding,
rates, and the closed-form table of every source x period.

Shared by :mod:`casualties.reconcile` and the Dask path (:mod:`casualties._dask`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from casualties.scope import Scope

__all__ = ["MAX_PERIODS", "PERIOD_FREQ", "as_rates", "bins", "kept", "or_everything", "period_rows", "rounded", "singles_by_source", "source_sums"]

#: Frequencies accepted by ``period_totals`` and the pandas period each stands for.
PERIOD_FREQ = {"D": "D", "W": "W", "MS": "M", "M": "M", "ME": "M", "QS": "Q", "Q": "Q", "QE": "Q", "YS": "Y", "Y": "Y", "YE": "Y", "AS": "Y", "A": "Y"}
TOL = 1e-7


def or_everything(scope: Scope | None) -> Scope:
    return Scope() if scope is None else scope


def kept(claims: pd.DataFrame, scope: Scope, min_certainty: str | None) -> pd.DataFrame:
    """Claims of the scope's outcome and at least ``min_certainty`` (unassessed ones dropped)."""
    from casualties.schema import CERTAINTY

    kept = claims[(claims["outcome"] == scope.outcome).to_numpy()]
    if min_certainty is not None:
        if min_certainty not in CERTAINTY:
            raise ValueError(f"min_certainty must be one of {', '.join(CERTAINTY)}, not {min_certainty!r}")
        grade = kept["certainty"].astype(pd.CategoricalDtype(list(CERTAINTY), ordered=True))
        kept = kept[grade.notna() & (grade >= min_certainty)]
    return kept


def rounded(low: Any, best: Any, high: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bounds rounded inward to whole people (raw LP optima carry ~1e-7 noise), the best kept
    inside them; scalars or arrays."""
    low = np.ceil(np.asarray(low, dtype=float) - TOL) + 0.0  # + 0.0: no negative zero
    high = np.asarray(high, dtype=float)
    high = np.where(np.isinf(high), high, np.floor(high + TOL))
    return low, np.clip(np.asarray(best, dtype=float), low, high), high


#: The most periods one question may be cut into (55 years by day): beyond, a clear error rather
#: than an allocation that grows with the square of the periods.
MAX_PERIODS = 20_000


def bins(kept: pd.DataFrame, scope: Scope, freq: str) -> pd.PeriodIndex:
    """The periods of a question: its scope's dates (or else the claims' span) cut by ``freq``.

    Raises
    ------
    OptionError
        For an unknown ``freq``, or when the span holds more than :data:`MAX_PERIODS` periods
        (a typo year, a century asked by day): ask by a longer period or narrow the scope.
    """
    from casualties.errors import OptionError

    if freq not in PERIOD_FREQ:
        raise OptionError("freq", freq, tuple(PERIOD_FREQ))
    first = scope.start if scope.start is not None else (kept["start"].min() if len(kept) else None)
    last = scope.end if scope.end is not None else (kept["end"].max() if len(kept) else None)
    if first is None or last is None or pd.isna(first) or pd.isna(last) or first > last:
        return pd.PeriodIndex([], freq=PERIOD_FREQ[freq])
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    span = pd.Period(last, PERIOD_FREQ[freq]).ordinal - pd.Period(first, PERIOD_FREQ[freq]).ordinal + 1
    if span > MAX_PERIODS:
        raise OptionError("freq", freq, reason=f"{first.date()} to {last.date()} is {span:,} periods, more than {MAX_PERIODS:,}: "
                          "ask by a longer period (W, MS, QS, YS) or narrow the scope's dates")
    return pd.period_range(first, last, freq=PERIOD_FREQ[freq])


def as_rates(table: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    """A period table's counts divided by each period's length in ``unit`` (through pint)."""
    if unit is not None and len(table):
        from casualties.units import to_rate

        days = ((table["period_end"] - table["period_start"]).dt.days + 1).to_numpy(dtype=float)
        for column in ("low", "best", "high"):
            table[column] = to_rate(table[column].to_numpy(dtype=float), days, unit)
    return table


def period_rows(names: Any, starts: pd.DatetimeIndex, ends: pd.DatetimeIndex, low: np.ndarray, best: np.ndarray, high: np.ndarray) -> pd.DataFrame:
    """Rows of every source (``names``) x period from raw sums shaped ``(source, period)``,
    rounded inward: the closed-form path's table."""
    n_q = len(starts)
    low, best, high = rounded(np.ravel(low), np.ravel(best), np.ravel(high))
    return pd.DataFrame(
        {
            "source": np.repeat(np.asarray(names, dtype=object), n_q),
            "period_start": np.tile(starts.astype("datetime64[s]"), len(names)),
            "period_end": np.tile(ends.astype("datetime64[s]"), len(names)),
            "low": low,
            "best": best,
            "high": high,
            "feasible": True,
            "change": 0.0,
        }
    )


def source_sums(claims: pd.DataFrame, questions: list[Any]) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Raw closed-form sums of lone one-claim incidents per source and question.

    Only the claims that bear on the questions count (a source with none has no row). Returns
    ``names`` (sorted), ``low``, ``best``, ``high`` shaped ``(source, question)`` [people], and
    per source how many of its claims lie within the questions' category and perpetrators (none:
    its best is not determined). Shared by :func:`singles_by_source` and the Dask path, whose
    partitions add these sums up.
    """
    from casualties.closed_form import lone_singles
    from casualties.engine import touching, within

    if len(claims):
        claims = claims[touching(claims, dataclasses.replace(questions[0], stop=questions[-1].stop))]
    codes, names = claims["source"].factorize(sort=True)
    low, best, high = lone_singles(claims, questions, codes, len(names))
    inside = np.bincount(codes, weights=within(claims, questions[0]), minlength=len(names))
    return names, low, best, high, inside


def singles_by_source(kept: pd.DataFrame, questions: list[Any], starts: pd.DatetimeIndex, ends: pd.DatetimeIndex) -> pd.DataFrame:
    """Per-period rows of every source at once, when all claims are lone one-claim incidents
    (a best no claim of the source determines is missing, as in the programmes' path)."""
    names, low, best, high, inside = source_sums(kept, questions)
    best = np.where(inside[:, None] > 0, best, np.nan)
    return period_rows(names, starts, ends, low, best, high)
