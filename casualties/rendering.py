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
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import urllib.parse
from typing import Any, Literal

import numpy as np
import pandas as pd

from casualties.phrases import capital, day, number
from casualties.report import FREQUENCIES, TOP, Report

__all__ = ["FORMATS", "neutral_csv", "render", "safe_url"]

#: The formats of :func:`render`.
FORMATS = ("md", "html", "csv", "json")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_URL_SAFE = "/:?#@!$&'*+,;=%~-._"


def _have_matplotlib() -> bool:
    """Whether matplotlib can be imported (without importing it)."""
    import importlib.util

    try:
        return importlib.util.find_spec("matplotlib") is not None
    except (ImportError, ValueError):  # a None entry in sys.modules, a broken install
        return False


def _version() -> str:
    import casualties

    return str(casualties.__version__)


# -- cells -------------------------------------------------------------------------------------
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


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT or (
        not isinstance(value, (str, bytes, list, tuple, dict)) and bool(pd.isna(value)))


def _cell(value: Any) -> str:
    """A value for reading: counts with separators, inf as "∞", dates as YYYY-MM-DD."""
    if _missing(value):
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


def _text(value: Any) -> str:
    """A text cell from a claim file, stripped; "" when missing (a NaN is not the text "nan")."""
    return "" if _missing(value) else str(value).strip()


def _range_cell(low: float, best: float, high: float, feasible: bool) -> str:
    if not math.isfinite(low):  # blanked (on_conflict="nan"): the claims cannot all hold
        return "no range"
    return f"{_cell(low)}–{_cell(high)} ({_cell(best)})"


def truth_label(change: float) -> str:
    """The truth's label: "all sources", and after how large a least change when the claims
    cannot all hold as given."""
    from casualties.reconcile import TRUTH

    if not change or not math.isfinite(change) or change <= 0:
        return TRUTH
    return f"{TRUTH}, after the least change of {number(change)} {'person' if change == 1 else 'people'}"


def _wide_totals(report: Report) -> pd.DataFrame:
    """Per-period totals as one row per period and one column per account: "low–high (best)"."""
    totals = report.listed("period_totals")
    from casualties.reconcile import TRUTH

    names = list(dict.fromkeys(totals["source"].astype(str)))
    periods = totals[["period_start", "period_end"]].drop_duplicates().sort_values("period_start").reset_index(drop=True)
    out = pd.DataFrame({"period": [_period(s, e) for s, e in zip(periods["period_start"], periods["period_end"])]})
    for name in names:
        part = totals[totals["source"] == name].set_index("period_start")
        label = truth_label(float(part["change"].max())) if name == TRUTH and "change" in part else name
        out[label] = [_range_cell(*part.loc[s, ["low", "best", "high", "feasible"]]) if s in part.index else ""
                     for s in periods["period_start"]]
    return out


def _period(start: Any, end: Any) -> str:
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start == end:
        return start.strftime("%Y-%m-%d")
    if start.day == 1 and end == start + pd.offsets.MonthEnd(0):
        return start.strftime("%Y-%m")
    return f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"


_LABELS = {
    "file": "file", "n_claims": "claims", "n_rejected": "rows rejected", "source": "source", "source_type": "type",
    "n_totals": "totals", "n_incidents": "incidents", "start": "from", "end": "to", "used": "used for the scope",
    "row": "row", "column": "column", "value": "value", "reason": "reason", "detail": "detail",
    "low": "low", "best": "best", "high": "high", "feasible": "claims hold as given", "claim_id": "claim", "new_low": "new low",
    "new_high": "new high", "change": "change", "source_a": "source", "source_b": "other source", "n_pairs": "pairs",
    "gap": "total gap", "n_cells": "cells",
}


def _labelled(frame: pd.DataFrame, columns: list[str]) -> tuple[list[str], list[list[str]]]:
    head = [_LABELS.get(c, c) for c in columns]
    rows = [[_cell(v) for v in rec] for rec in frame[columns].itertuples(index=False, name=None)]
    return head, rows


# -- the report's text, shared by Markdown and HTML ------------------------------------------------
def _intro(report: Report) -> list[str]:
    lines = [f"Scope: {report.description}. Periods: {FREQUENCIES.get(report.freq, report.freq)}s."]
    if report.min_certainty:
        lines.append(f"Only claims graded {report.min_certainty} or better (unassessed claims left out).")
    if report.merge:
        lines.append(f"Each incident's reports also merged by the {report.merge} rule.")
    if report.timestamp:
        lines.append(f"Made {report.timestamp}.")
    return lines


def _inputs_text(report: Report) -> str:
    truth = report.inputs.iloc[-1]
    n_sources = len(report.inputs) - 1
    if not truth["n_claims"]:
        return "No claim went in."
    return (f"{truth['n_claims']:,} claim(s) from {n_sources} source(s), covering {day(truth['start'])} to {day(truth['end'])}; "
            f"{truth['used']:,} bear on the scope.")


def _rejected_text(report: Report) -> str:
    rows = report.rejected[["file", "row"]].drop_duplicates()
    if not len(rows):
        return "No row was rejected."
    n, listed = len(report.rejected), len(report.listed("rejected"))
    if listed == n:
        return f"{len(rows):,} row(s) rejected; every failing cell:"
    return (f"{len(rows):,} row(s) rejected or not mapped as given (each cell's detail says what became of its row); the first "
            f"{listed:,} of the {n:,} failing cells are listed, the others counted per file, column and reason after them "
            "(a full report, --full, lists every cell):")


def _ranges_shown(report: Report) -> pd.DataFrame:
    """The ranges table as shown: the truth's row labelled with its least change."""
    from casualties.reconcile import TRUTH

    shown = report.ranges.copy()
    if "change" in shown:
        truth = (shown["source"] == TRUTH).to_numpy()
        shown.loc[truth, "source"] = [truth_label(c) for c in shown.loc[truth, "change"]]
    return shown


def _ranges_text(report: Report) -> str:
    from casualties.reconcile import TRUTH

    truth = report.ranges[report.ranges["source"] == TRUTH]
    text = ("Deaths in the scope that each source's own claims allow (its account), then that all claims together allow "
            "(the truth) [people]; best is the coherent point estimate; the last column says whether those claims hold as given.")
    if len(truth) and not bool(truth["feasible"].iloc[0]):
        change = float(truth["change"].iloc[0]) if "change" in truth else math.nan
        if math.isfinite(float(truth["low"].iloc[0])):
            text += (f" The claims cannot all hold as given: the truth shown ({truth_label(change)}) holds every count that some "
                     f"reconciliation of least total change allows (the claims' bounds move by {number(change)} people in all, "
                     "whichever claims give way); see the discrepancies and the least change below.")
        else:
            text += " The claims cannot all hold, so the truth has no range: see the discrepancies."
    accounts = report.ranges[(report.ranges["source"] != TRUTH).to_numpy()]
    torn = accounts.loc[~accounts["feasible"].to_numpy(dtype=bool), "source"].astype(str).tolist()
    if torn:
        text += (f" {_capital_list(torn)} {'has' if len(torn) == 1 else 'have'} claims of {'its' if len(torn) == 1 else 'their'} "
                 "own that cannot all hold as given; such an account's range is likewise the least-change one.")
    return text


def _capital_list(names: list[str]) -> str:
    names = [n[:1].upper() + n[1:] if i == 0 else n for i, n in enumerate(names)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _pairs_text(report: Report) -> str:
    n, listed = len(report.discrepancies), len(report.listed("discrepancies"))
    text = (f"{n:,} pair(s) of claims cannot both hold, largest gap first. Each gap is the least change "
            "to that pair alone that reconciles it.")
    if listed < n:
        text += (f" The {listed:,} largest are listed; the other {n - listed:,} are counted per pair of sources after them "
                 "(a full report, --full, lists every pair).")
    return text


def _links_text(report: Report) -> str:
    """What linking did: how many links bear, and how many are listed."""
    n, listed = len(report.links), len(report.listed("links"))
    if not n:
        return ("The incidents were linked across sources before reconciling, and no two incidents of different sources "
                "bearing on this scope were found to be one event.")
    text = (f"The incidents were linked across sources before reconciling: {n:,} pair(s) of incidents of different sources "
            "bearing on this scope were found to be one event and are reconciled as one incident, most probable first.")
    if listed < n:
        text += f" The {listed:,} most probable are listed (a full report, --full, lists every link)."
    return text


def _link_line(link: Any) -> str:
    return (f"{link.source_a} {link.incident_a} = {link.source_b} {link.incident_b} "
            f"(probability {link.match_probability:.2f}): {link.evidence}")


def _pair_link(pair: Any) -> str:
    """The evidence line of a discrepancy between two linked incidents ('' for other pairs)."""
    text = getattr(pair, "link", "")
    return text if isinstance(text, str) else ""


def _no_pair_text(report: Report) -> str | None:
    """When the claims cannot all hold but no two of them contradict each other: say so."""
    if len(report.discrepancies) or report.gap <= 0:
        return None
    moved = report.adjustments[(report.adjustments["change"] > 0).to_numpy()] if len(report.adjustments) else report.adjustments
    return (f"No pair of claims from two sources contradicts each other, yet the claims cannot all hold as given: the "
            f"contradiction lies within one source's own claims, or takes several claims at once (for example counts over short "
            f"periods that add up to more than a total over the whole allows). The least change of {number(report.gap)} "
            f"{'person' if report.gap == 1 else 'people'} below moves {len(moved):,} claim(s), which take part in it: "
            f"{_claim_list(moved)}.")


def _claim_list(frame: pd.DataFrame) -> str:
    """'c4, c7 (monitor), 484 (US military) and 3 more': claim ids with their sources, at most TOP."""
    shown = frame.head(TOP)
    parts = [f"{claim_id} ({source})" for claim_id, source in zip(shown["claim_id"], shown["source"])]
    more = len(frame) - len(shown)
    if more:
        return ", ".join(parts) + f" and {more:,} more"
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def _conflict_text(report: Report) -> str:
    if report.gap <= 0:
        return "The claims hold as given: no change is needed."
    n, listed = len(report.adjustments), len(report.listed("adjustments"))
    text = (f"The least total change to the claims' bounds that lets every claim hold at once is {number(report.gap)} "
            f"{'person' if report.gap == 1 else 'people'}; the least certain claims give way first")
    if listed < n:
        return text + (f". {n:,} claims give way; the {listed:,} largest changes are listed, the other {n - listed:,} are counted "
                       "per source after them (a full report, --full, lists every one):")
    return text + ":"


def _claims_text(report: Report) -> str | None:
    """The line that counts the claims not listed, if any."""
    n = len(report.claims) - len(report.listed("claims"))
    if n <= 0:
        return None
    return f"{n:,} other claim(s) do not bear on this scope (a full report, --full, lists them)."


def _periods_text(report: Report) -> str | None:
    """The line that says which periods are left out, if any."""
    from casualties.reconcile import TRUTH

    every, shown = report.period_totals, report.listed("period_totals")
    every = every[(every["source"] == TRUTH).to_numpy()] if (every["source"] == TRUTH).any() else every
    shown = shown[(shown["source"] == TRUTH).to_numpy()] if (shown["source"] == TRUTH).any() else shown
    n_all, n_shown = every["period_start"].nunique(), shown["period_start"].nunique()
    if n_shown >= n_all or not n_shown:
        return None
    first, last = shown["period_start"].min(), shown["period_start"].max()
    sides = []
    if every["period_start"].min() < first:
        sides.append(f"before {_period(first, shown.loc[shown['period_start'] == first, 'period_end'].iloc[0])}")
    if every["period_start"].max() > last:
        sides.append(f"after {_period(last, shown.loc[shown['period_start'] == last, 'period_end'].iloc[0])}")
    return (f"{n_shown:,} of {n_all:,} periods listed: the {n_all - n_shown:,} period(s) {' and '.join(sides)} are left out, since no "
            "account says anything about them (every account's range there is 0–0, no claim of its own, or 0–∞, only an "
            "open-ended total); a full report, --full, lists them.")


def _summary_rows(report: Report, name: str) -> tuple[list[str], list[list[str]]] | None:
    """The table that counts what is not listed of ``discrepancies`` or ``adjustments``."""
    rest = report.summarised(name)
    if not len(rest):
        return None
    if name == "discrepancies":
        return _labelled(rest, ["source_a", "source_b", "n_pairs", "gap"])
    if name == "rejected":
        return _labelled(rest, ["file", "column", "reason", "n_cells"])
    head, rows = _labelled(rest, ["source", "n_claims", "change"])
    return head[:-1] + ["total change"], rows


def _claim_head(claim: pd.Series) -> str:
    certainty = claim["certainty"] if isinstance(claim["certainty"], str) and claim["certainty"] else "unassessed"
    used = "" if claim["used"] else "; not used for this scope"
    reported = "" if pd.isna(claim["reported_on"]) else f"reported {day(claim['reported_on'])}; "
    return f"{reported}certainty: {certainty}{used}"


def _quote_of(claims: pd.DataFrame, claim_id: Any) -> str:
    return _text(claims.loc[claim_id, "quote"])


# -- Markdown -------------------------------------------------------------------------------------
def _md(text: Any) -> str:
    """Claim text made inert in Markdown: special characters backslash-escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_md(h) for h in head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return out + [""]


def _md_quote(text: str) -> list[str]:
    return ["> " + _md(line) if line.strip() else ">" for line in str(text).splitlines()] or [">"]


def _render_md(report: Report, plot_href: str | None) -> str:
    claims = report.claims.set_index("claim_id", drop=False)
    out = ["# Casualty claims reconciled", "", *[_md(line) for line in _intro(report)], ""]
    out += ["## 1. What went in", "", _md(_inputs_text(report)), ""]
    if len(report.files):
        out += _md_table(*_labelled(report.files, ["file", "n_claims", "n_rejected"]))
    out += _md_table(*_labelled(report.inputs, ["source", "source_type", "n_claims", "n_totals", "n_incidents", "start", "end", "used"]))
    out += [_rejected_text(report), ""]
    if len(report.rejected):
        out += _md_table(*_labelled(report.listed("rejected"), ["file", "row", "column", "value", "reason", "detail"]))
        summary = _summary_rows(report, "rejected")
        if summary:
            out += _md_table(*summary)
    out += ["## 2. Ranges", "", _ranges_text(report), ""]
    out += _md_table(*_labelled(_ranges_shown(report), ["source", "low", "best", "high", "n_claims", "feasible"]))
    out += ["## 3. Discrepancies", ""]
    if report.linked:
        out += [_md(_links_text(report)), ""]
        out += [f"- {_md(_link_line(link))}" for link in report.listed("links").itertuples(index=False)]
        out += [""] if len(report.links) else []
    if not len(report.discrepancies):
        out += [_md(_no_pair_text(report) or "No two claims contradict each other."), ""]
    else:
        out += [_md(_pairs_text(report)), ""]
        for i, pair in enumerate(report.listed("discrepancies").itertuples(index=False), 1):
            out += [f"{i}. {_md(pair.sentence)}", ""]
            if _pair_link(pair):
                out += [f"   {_md(capital(_pair_link(pair)))}.", ""]
            for claim_id in (pair.claim_a, pair.claim_b):
                quote = _quote_of(claims, claim_id)
                if quote:
                    out += [f"   > {_md(claims.loc[claim_id, 'source'])} ({_md(claim_id)}): \u201c{_md(quote)}\u201d", ""]
                else:
                    out += [f"   {_md(claims.loc[claim_id, 'source'])} ({_md(claim_id)}): no quote.", ""]
        summary = _summary_rows(report, "discrepancies")
        if summary:
            out += ["The other pairs, per pair of sources:", "", *_md_table(*summary)]
    out += ["### The least change that reconciles every claim", "", _md(_conflict_text(report)), ""]
    listed = report.listed("adjustments")
    for sentence in listed.get("sentence", []):
        out.append(f"- {_md(sentence)}")
    out += [""] if len(listed) else []
    summary = _summary_rows(report, "adjustments")
    if summary:
        out += ["The other claims that give way, per source:", "", *_md_table(*summary)]
    unit = FREQUENCIES.get(report.freq, "period")
    out += ["## 4. Per-period totals", ""]
    if plot_href:
        out += [f"![Each account's range of deaths per {unit}, one panel each, and the period of every total claim]({plot_href})", ""]
    elif _have_matplotlib():
        out += ["(The plot is in the HTML report: `casualties report --format html`.)", ""]
    else:
        out += ['(No plot: matplotlib is not installed; `python -m pip install "casualties[report]"` adds it.)', ""]
    out += [f"Deaths per {unit} [people], as low\u2013high (best), per source's account and for the truth:", ""]
    periods = _periods_text(report)
    out += [_md(periods), ""] if periods else []
    out += _md_table(*_as_rows(_wide_totals(report)))
    if report.merge:
        out += _md_merged(report)
    out += ["## 5. The claims", ""]
    others = _claims_text(report)
    out += [_md(others), ""] if others else []
    for _, claim in report.listed("claims").iterrows():
        out += [f"### {_md(claim['claim_id'])}", "", f"**{_md(claim['summary'])}** ({_md(_claim_head(claim))})", ""]
        if _text(claim["quote"]):
            out += [*_md_quote(_text(claim["quote"])), ""]
        url = safe_url(claim["url"])
        if url:
            out += [f"Link: <{url}>", ""]
        elif _text(claim["url"]):
            out += [f"Link (not a web address, shown as text): {_md(claim['url'])}", ""]
        if _text(claim.get("note")):
            out += [f"Note: {_md(claim['note'])}", ""]
    out.append(f"Made by casualties {_md(_version())}.")
    return "\n".join(out) + "\n"


def _md_merged(report: Report) -> list[str]:
    out = [f"### Incidents merged by the {_md(report.merge)} rule", "",
           f"{len(report.merged):,} merged, {len(report.merge_conflicts):,} in conflict.", ""]
    columns = [c for c in ("incident_id", "category", "outcome", "sources", "n_merged", "low", "best", "high") if c in report.merged.columns]
    if len(report.merged):
        out += _md_table(*_labelled(report.merged, columns))
    if len(report.merge_conflicts):
        out += _md_table(*_labelled(report.merge_conflicts, list(report.merge_conflicts.columns)))
    return out


def _as_rows(frame: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    return [str(c) for c in frame.columns], [[str(v) for v in rec] for rec in frame.itertuples(index=False, name=None)]


# -- HTML -------------------------------------------------------------------------------------------
_CSS = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1a1a1a;
       background: #fff; max-width: 72rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .88rem; }
th, td { border: 1px solid #d0d0d0; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.swatch { display: inline-block; width: .8em; height: .8em; margin-right: .35em; border: 1px solid #555; vertical-align: -.05em; }
blockquote { margin: .4rem 0 .8rem 1rem; padding: .2rem .8rem; border-left: 4px solid #bbb; color: #333; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .85rem; color: #444; }
ol.pairs > li { margin-bottom: 1rem; } .claim { margin-bottom: 1.2rem; } .meta, .note, footer { color: #555; font-size: .85rem; }
.note-missing { padding: .5rem .8rem; background: #fff6d6; border: 1px solid #e6c200; }
a { color: #0b57a4; }
@media print {
  body { font-size: 10pt; max-width: none; margin: 0; padding: 0; }
  h2 { break-after: avoid; } table, figure, blockquote, .claim { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; } a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 8pt; word-break: break-all; }
}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _html_table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset(), swatches: dict[str, str] | None = None) -> str:
    parts = ["<table>", "<thead><tr>" + "".join(f'<th scope="col">{_e(h)}</th>' for h in head) + "</tr></thead>", "<tbody>"]
    for row in rows:
        cells = []
        for j, value in enumerate(row):
            mark = f'<span class="swatch" style="background:{swatches[value]}"></span>' if j == 0 and swatches and value in swatches else ""
            cls = ' class="number"' if j in numeric else ""
            cells.append(f"<td{cls}>{mark}{_e(value)}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def _html_labelled(frame: pd.DataFrame, columns: list[str], swatches: dict[str, str] | None = None) -> str:
    head, rows = _labelled(frame, columns)
    numeric = {j for j, c in enumerate(columns) if c in ("low", "best", "high", "n_claims", "n_totals", "n_incidents", "used", "row",
                                                             "n_rejected", "new_low", "new_high", "change", "gap", "n_merged")}
    return _html_table(head, rows, numeric, swatches)


def _svg_inline(svg: str) -> str:
    """The ``<svg>`` element of an SVG document (no XML declaration or DOCTYPE), labelled."""
    start = svg.index("<svg")
    return svg[start:].replace("<svg ", '<svg role="img" aria-labelledby="plot-caption" ', 1).strip()


def _render_html(report: Report) -> str:
    from casualties.errors import OptionalDependencyError
    from casualties.plots import period_plot, source_colours

    claims = report.claims.set_index("claim_id", drop=False)
    colours = {name: colour for name, (colour, _) in source_colours(dict.fromkeys(report.period_totals["source"].astype(str))).items()}
    unit = FREQUENCIES.get(report.freq, "period")
    body = ["<header><h1>Casualty claims reconciled</h1>", *[f"<p>{_e(line)}</p>" for line in _intro(report)], "</header>"]
    body += ['<section id="inputs"><h2>1. What went in</h2>', f"<p>{_e(_inputs_text(report))}</p>"]
    if len(report.files):
        body.append(_html_labelled(report.files, ["file", "n_claims", "n_rejected"]))
    body.append(_html_labelled(report.inputs, ["source", "source_type", "n_claims", "n_totals", "n_incidents", "start", "end", "used"], colours))
    body.append(f"<p>{_e(_rejected_text(report))}</p>")
    if len(report.rejected):
        body.append(_html_labelled(report.listed("rejected"), ["file", "row", "column", "value", "reason", "detail"]))
        summary = _summary_rows(report, "rejected")
        if summary:
            body.append(_html_table(*summary, numeric={3}))
    body += ["</section>", '<section id="ranges"><h2>2. Ranges</h2>', f"<p>{_e(_ranges_text(report))}</p>",
             _html_labelled(_ranges_shown(report), ["source", "low", "best", "high", "n_claims", "feasible"], colours), "</section>"]
    body.append('<section id="discrepancies"><h2>3. Discrepancies</h2>')
    listed_claims = set(report.listed("claims")["claim_id"])

    def cited(claim_id: Any) -> str:  # a link to the claim where section 5 lists it
        if claim_id in listed_claims:
            return f'<a href="#claim-{_e(_anchor(claim_id))}">{_e(claim_id)}</a>'
        return _e(claim_id)

    if report.linked:
        body.append(f'<p id="links">{_e(_links_text(report))}</p>')
        if len(report.links):
            body.append('<ul class="links">' + "".join(f"<li>{_e(_link_line(link))}</li>" for link in report.listed("links").itertuples(index=False))
                        + "</ul>")
    if not len(report.discrepancies):
        body.append(f"<p>{_e(_no_pair_text(report) or 'No two claims contradict each other.')}</p>")
    else:
        body.append(f"<p>{_e(_pairs_text(report))}</p>")
        body.append('<ol class="pairs">')
        for pair in report.listed("discrepancies").itertuples(index=False):
            quotes = "".join(f'<blockquote><p>\u201c{_e(_quote_of(claims, c))}\u201d</p><footer>{_e(claims.loc[c, "source"])}, '
                             f'{cited(c)}</footer></blockquote>' if _quote_of(claims, c) else
                             f'<p class="meta">{_e(claims.loc[c, "source"])}, {cited(c)} (no quote)</p>' for c in (pair.claim_a, pair.claim_b))
            link = f'<p class="meta">{_e(capital(_pair_link(pair)))}.</p>' if _pair_link(pair) else ""
            body.append(f"<li><p>{_e(pair.sentence)}</p>{link}{quotes}</li>")
        body.append("</ol>")
        summary = _summary_rows(report, "discrepancies")
        if summary:
            body += ["<p>The other pairs, per pair of sources:</p>", _html_table(*summary, numeric={2, 3})]
    body += ["<h3>The least change that reconciles every claim</h3>", f"<p>{_e(_conflict_text(report))}</p>"]
    listed = report.listed("adjustments")
    if len(listed):
        body.append("<ul>" + "".join(f"<li>{_e(s)}</li>" for s in listed["sentence"]) + "</ul>")
        body.append(_html_labelled(listed, ["claim_id", "source", "low", "high", "new_low", "new_high", "change"]))
    summary = _summary_rows(report, "adjustments")
    if summary:
        body += ["<p>The other claims that give way, per source:</p>", _html_table(*summary, numeric={1, 2})]
    body.append("</section>")
    body.append('<section id="totals"><h2>4. Per-period totals</h2>')
    caption = (f"Each account's range of deaths per {unit} [people] over the scope, one panel each with its own scale, then the "
               "truth's (bars or bands from low to high, a black mark at the best estimate, a thick line where low equals high, "
               "a dashed line with an arrow up where there is no upper limit)"
               + (", and under the panels the period of every total claim." if (report.claims["kind"].astype(str) == "total").to_numpy()[
                   report.claims["used"].to_numpy(dtype=bool)].any() else "."))
    try:
        svg = _svg_inline(period_plot(report))
        body.append(f'<figure id="plot">{svg}<figcaption id="plot-caption">{_e(caption)}</figcaption></figure>')
    except OptionalDependencyError as exc:
        body.append(f'<p class="note-missing">The plot is missing: {_e(exc)}.</p>')
    body.append(f"<p>Deaths per {_e(unit)} [people], as low\u2013high (best), per source's account and for the truth:</p>")
    periods = _periods_text(report)
    if periods:
        body.append(f"<p>{_e(periods)}</p>")
    wide = _wide_totals(report)
    head, rows = _as_rows(wide)
    body += [_html_table(head, rows, set(range(1, len(head)))), "</section>"]
    if report.merge:
        body.append(f'<section id="merged"><h2>Incidents merged by the {_e(report.merge)} rule</h2>'
                    f"<p>{len(report.merged):,} merged, {len(report.merge_conflicts):,} in conflict.</p>")
        columns = [c for c in ("incident_id", "category", "outcome", "sources", "n_merged", "low", "best", "high") if c in report.merged.columns]
        if len(report.merged):
            body.append(_html_labelled(report.merged, columns))
        if len(report.merge_conflicts):
            body.append(_html_labelled(report.merge_conflicts, list(report.merge_conflicts.columns)))
        body.append("</section>")
    body.append('<section id="claims"><h2>5. The claims</h2>')
    others = _claims_text(report)
    if others:
        body.append(f"<p>{_e(others)}</p>")
    for _, claim in report.listed("claims").iterrows():
        parts = [f'<div class="claim" id="claim-{_e(_anchor(claim["claim_id"]))}"><h3>{_e(claim["claim_id"])}</h3>',
                 f'<p><strong>{_e(claim["summary"])}</strong> <span class="meta">({_e(_claim_head(claim))})</span></p>']
        if _text(claim["quote"]):
            parts.append(f"<blockquote><p>{_e(_text(claim['quote']))}</p></blockquote>")
        url = safe_url(claim["url"])
        if url:
            parts.append(f'<p>Link: <a href="{_e(url)}" rel="noopener noreferrer">{_e(claim["url"])}</a></p>')
        elif _text(claim["url"]):
            parts.append(f'<p>Link (not a web address, shown as text): <code>{_e(claim["url"])}</code></p>')
        if _text(claim.get("note")):
            parts.append(f'<p class="note">Note: {_e(claim["note"])}</p>')
        body.append("".join(parts) + "</div>")
    body += ["</section>", f"<footer><p>Made by casualties {_e(_version())}.</p></footer>"]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>Casualty claims reconciled: {_e(report.description)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
    ]) + "\n"


def _anchor(claim_id: Any) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "-", str(claim_id))


# -- CSV and JSON -------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """A value for CSV/JSON: dates as text, inf as "inf", missing as None, numpy as Python."""
    if _missing(value):
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
        return _render_md(report, plot_href)
    if fmt == "html":
        return _render_html(report)
    if fmt == "csv":
        return _render_csv(report)
    if fmt == "json":
        return _render_json(report)
    raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
