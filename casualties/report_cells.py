"""A report's values as the cells of its tables, and its tables as rows of cells.

Shared by the Markdown (:mod:`casualties.report_markdown`) and HTML
(:mod:`casualties.report_html`) renderings: counts with thousands separators, infinite counts as
"∞", dates as ``YYYY-MM-DD``, missing values empty, column names as their labels; a claim's URL
only when it is an http(s) link. The markup (escaping included) is each format's own.
"""

from __future__ import annotations

import math
import urllib.parse
from typing import Any

import numpy as np
import pandas as pd

from casualties.phrases import number
from casualties.report import Report

__all__ = ["as_rows", "claim_text", "labelled", "missing", "period_label", "quote_of", "ranges_shown", "safe_url", "summary_rows",
           "truth_label", "wide_totals"]

_URL_SAFE = "/:?#@!$&'*+,;=%~-._"


def safe_url(url: Any) -> str | None:
    """The URL if it is an http(s) link with a host, percent-encoded for use in markup; else None.

    Parameters
    ----------
    url : str

    Returns
    -------
    str or None
    """
    if not isinstance(url, str) or not url.strip():
        return None
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return urllib.parse.quote(url.strip(), safe=_URL_SAFE)


def missing(value: Any) -> bool:
    """Whether a value is missing: None, NaN, NaT or ``pd.NA`` (text and containers never are).

    Parameters
    ----------
    value : object
        One cell of a report table.

    Returns
    -------
    bool
    """
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT or (
        not isinstance(value, (str, bytes, list, tuple, dict)) and bool(pd.isna(value)))


def _cell(value: Any) -> str:
    """A value for reading: counts with separators, inf as "∞", dates as YYYY-MM-DD."""
    if missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return "∞" if math.isinf(value) else number(float(value))
    return str(value)


def claim_text(value: Any) -> str:
    """A text cell from a claim file, stripped; "" when missing (a NaN is not the text "nan").

    Parameters
    ----------
    value : object
        A quote, URL, note or other text cell.

    Returns
    -------
    str
    """
    return "" if missing(value) else str(value).strip()


def quote_of(claims: pd.DataFrame, claim_id: Any) -> str:
    """A claim's quote as text ("" when it has none).

    Parameters
    ----------
    claims : pandas.DataFrame
        The report's claims, indexed by ``claim_id``.
    claim_id : object
        The claim.

    Returns
    -------
    str
    """
    return claim_text(claims.loc[claim_id, "quote"])


def _range_cell(low: float, best: float, high: float, feasible: bool) -> str:
    if not math.isfinite(low):  # blanked (on_conflict="nan"): the claims cannot all hold
        return "no range"
    return f"{_cell(low)}–{_cell(high)} ({_cell(best)})"


def truth_label(change: float) -> str:
    """The truth's label: "all sources", and after how large a least change when the claims
    cannot all hold as given.

    Parameters
    ----------
    change : float
        The least total change that reconciles the claims [people]; 0 when they hold as given.

    Returns
    -------
    str
    """
    from casualties.reconcile import TRUTH

    if not change or not math.isfinite(change) or change <= 0:
        return TRUTH
    return f"{TRUTH}, after the least change of {number(change)} {'person' if change == 1 else 'people'}"


def period_label(start: Any, end: Any) -> str:
    """A period as its reader names it: ``2017-06-05`` (a day), ``2017-06`` (a calendar month),
    else ``2017-06-05 to 2017-06-11``.

    Parameters
    ----------
    start, end : datetime-like
        The period's first and last day.

    Returns
    -------
    str
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start == end:
        return start.strftime("%Y-%m-%d")
    if start.day == 1 and end == start + pd.offsets.MonthEnd(0):
        return start.strftime("%Y-%m")
    return f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"


def wide_totals(report: Report) -> pd.DataFrame:
    """Per-period totals as one row per period and one column per account: "low–high (best)".

    Parameters
    ----------
    report : Report
        Its listed ``period_totals``.

    Returns
    -------
    pandas.DataFrame
        A ``period`` column, then one text column per account, the truth's labelled with its
        least change.
    """
    totals = report.listed("period_totals")
    from casualties.reconcile import TRUTH

    names = list(dict.fromkeys(totals["source"].astype(str)))
    periods = totals[["period_start", "period_end"]].drop_duplicates().sort_values("period_start").reset_index(drop=True)
    out = pd.DataFrame({"period": [period_label(s, e) for s, e in zip(periods["period_start"], periods["period_end"])]})
    for name in names:
        part = totals[totals["source"] == name].set_index("period_start")
        label = truth_label(float(part["change"].max())) if name == TRUTH and "change" in part else name
        out[label] = [_range_cell(*part.loc[s, ["low", "best", "high", "feasible"]]) if s in part.index else ""
                     for s in periods["period_start"]]
    return out


_LABELS = {
    "file": "file", "n_claims": "claims", "n_rejected": "rows rejected", "source": "source", "source_type": "type",
    "n_totals": "totals", "n_incidents": "incidents", "start": "from", "end": "to", "used": "used for the scope",
    "row": "row", "column": "column", "value": "value", "reason": "reason", "detail": "detail",
    "low": "low", "best": "best", "high": "high", "feasible": "claims hold as given", "claim_id": "claim", "new_low": "new low",
    "new_high": "new high", "change": "change", "source_a": "source", "source_b": "other source", "n_pairs": "pairs",
    "gap": "total gap", "n_cells": "cells",
}


def labelled(frame: pd.DataFrame, columns: list[str]) -> tuple[list[str], list[list[str]]]:
    """Columns of a report table as a header of labels and rows of cells for reading.

    Parameters
    ----------
    frame : pandas.DataFrame
        A report table.
    columns : list of str
        The columns to show, in order.

    Returns
    -------
    head : list of str
        The columns' labels ("n_claims" reads "claims").
    rows : list of list of str
        Counts with separators, inf as "∞", dates as YYYY-MM-DD, missing values empty.
    """
    head = [_LABELS.get(c, c) for c in columns]
    rows = [[_cell(v) for v in rec] for rec in frame[columns].itertuples(index=False, name=None)]
    return head, rows


def as_rows(frame: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """A frame of text, such as :func:`wide_totals`, as a header and rows, every value as ``str``.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    head : list of str
    rows : list of list of str
    """
    return [str(c) for c in frame.columns], [[str(v) for v in rec] for rec in frame.itertuples(index=False, name=None)]


def summary_rows(report: Report, name: str) -> tuple[list[str], list[list[str]]] | None:
    """The table that counts what is not listed of ``rejected``, ``discrepancies`` or ``adjustments``.

    Parameters
    ----------
    report : Report
    name : {"rejected", "discrepancies", "adjustments"}
        The table summarised (:meth:`casualties.report.Report.summarised`).

    Returns
    -------
    tuple of (list of str, list of list of str) or None
        A header and rows as :func:`labelled` gives them; None when every row is listed.
    """
    rest = report.summarised(name)
    if not len(rest):
        return None
    if name == "discrepancies":
        return labelled(rest, ["source_a", "source_b", "n_pairs", "gap"])
    if name == "rejected":
        return labelled(rest, ["file", "column", "reason", "n_cells"])
    head, rows = labelled(rest, ["source", "n_claims", "change"])
    return head[:-1] + ["total change"], rows


def ranges_shown(report: Report) -> pd.DataFrame:
    """The ranges table as shown: the truth's row labelled with its least change.

    Parameters
    ----------
    report : Report

    Returns
    -------
    pandas.DataFrame
        A copy of ``report.ranges``.
    """
    from casualties.reconcile import TRUTH

    shown = report.ranges.copy()
    if "change" in shown:
        truth = (shown["source"] == TRUTH).to_numpy()
        shown.loc[truth, "source"] = [truth_label(c) for c in shown.loc[truth, "change"]]
    return shown
