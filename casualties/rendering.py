"""Rendering a :class:`~casualties.report.Report`: Markdown, HTML, CSV or JSON text.

- ``md``: for a terminal or a repository. Claim text is backslash-escaped (no raw HTML, no
  links but the claims' own http(s) URLs); the plot is linked when ``plot_href`` is given.
- ``html``: one self-contained file: inline CSS (with a print stylesheet), the plot as inline
  SVG, a Content-Security-Policy that forbids every request, no script. Every text that came
  from a claim file is escaped; a URL is a link only when it is http(s).
- ``csv``: one long table of every report table, stacked: a first column ``table`` names the
  table each row belongs to, the other columns are the union of the tables' columns (empty
  where a table has no such column). ``df[df.table == "ranges"].dropna(axis=1, how="all")``
  gives one table back. The options are the table ``options`` (``key, value``).
- ``json``: ``{"format", "version", "options", "tables": {name: [records]}}``; dates as
  ``YYYY-MM-DD``, infinite counts as ``"inf"``, missing values as ``null``.

Every format is deterministic: the same report renders to the same bytes (no clock, no hash
order; the SVG from :func:`casualties.plots.period_plot` is deterministic too).

This module writes CSV and JSON and dispatches the others: Markdown is
:mod:`casualties.report_markdown`, HTML :mod:`casualties.report_html`; both take their cells from
:mod:`casualties.report_cells` and their sentences from :mod:`casualties.report_text`.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any, Literal

import numpy as np
import pandas as pd

from casualties.report import Report
from casualties.report_cells import missing, safe_url
from casualties.report_html import render_html
from casualties.report_markdown import render_markdown

__all__ = ["FORMATS", "neutral_csv", "render", "safe_url"]

#: The formats of :func:`render`.
FORMATS = ("md", "html", "csv", "json")


def _version() -> str:
    import casualties

    return str(casualties.__version__)


def _plain(value: Any) -> Any:
    """A value for CSV/JSON: dates as text, inf as "inf", missing as None, numpy as Python."""
    if missing(value):
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    return str(value)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = [str(c) for c in frame.columns]
    return [dict(zip(columns, map(_plain, rec))) for rec in frame.itertuples(index=False, name=None)]


def _render_json(report: Report) -> str:
    data = {
        "format": "casualties-report",
        "version": _version(),
        "options": {k: _plain(v) for k, v in report.options().items()},
        "tables": {name: _records(frame) for name, frame in report.tables().items()},
    }
    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutral(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, prefixed with a single quote.

    Only text is touched: a number (a negative count, ``-inf``) is not a text cell.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def neutral_csv(frame: pd.DataFrame) -> str:
    """A table as CSV text (no index), its text cells that a spreadsheet would run as formulas
    prefixed with a single quote, as in the report's CSV (numbers are left alone)."""
    text_columns = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype)]
    return frame.assign(**{c: frame[c].map(_neutral) for c in text_columns}).to_csv(index=False, lineterminator="\n")


def _csv_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = [str(c) for c in frame.columns]
    return [dict(zip(columns, (_plain(_neutral(v)) for v in rec))) for rec in frame.itertuples(index=False, name=None)]


def _render_csv(report: Report) -> str:
    options = pd.DataFrame({"key": list(report.options()), "value": [_plain(_neutral(v)) for v in report.options().values()]},
                           dtype=object)
    tables = {"options": options, **report.tables()}
    columns: list[str] = []
    for frame in tables.values():
        columns += [str(c) for c in frame.columns if str(c) not in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["table", *columns])
    for name, frame in tables.items():
        for record in _csv_records(frame):
            writer.writerow([name, *("" if record.get(c) is None else record[c] for c in columns)])
    return buffer.getvalue()


def render(report: Report, fmt: Literal["md", "html", "csv", "json"] = "md", *, plot_href: str | None = None) -> str:
    """Render a report as text.

    Parameters
    ----------
    report : Report
        From :func:`casualties.report.build_report`.
    fmt : {"md", "html", "csv", "json"}
        Markdown (terminal, repository), one self-contained HTML file (the plot inline as SVG;
        needs matplotlib, else the plot is replaced by a note), or the tables as one long CSV
        (a ``table`` column names each row's table) or as JSON. See the module docstring and
        ``docs/report.md``.
    plot_href : str, optional
        Markdown only: where the plot's SVG file is, to link it as an image.

    Returns
    -------
    str
        The report; identical for identical reports.
    """
    if fmt == "md":
        return render_markdown(report, plot_href)
    if fmt == "html":
        return render_html(report)
    if fmt == "csv":
        return _render_csv(report)
    if fmt == "json":
        return _render_json(report)
    raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
