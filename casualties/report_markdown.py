"""A report as Markdown: :func:`casualties.rendering.render` with ``fmt="md"``.

Claim text is made inert: special characters backslash-escaped, each text on one line, so that a
claim file can bring in no raw HTML, no emphasis and no link but the claims' own http(s) URLs
(as autolinks). The plot is linked as an image only when its file's place is given.
"""

from __future__ import annotations

import re
from typing import Any

from casualties.phrases import capital
from casualties.report import FREQUENCIES, Report
from casualties.report_cells import as_rows, claim_text, labelled, quote_of, ranges_shown, safe_url, summary_rows, wide_totals
from casualties.report_text import (
    claim_head,
    claims_text,
    conflict_text,
    inputs_text,
    intro,
    link_line,
    links_text,
    made_by,
    no_pair_text,
    pair_link,
    pairs_text,
    periods_text,
    ranges_text,
    rejected_text,
)

__all__ = ["render_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _have_matplotlib() -> bool:
    """Whether matplotlib can be imported (without importing it)."""
    import importlib.util

    try:
        return importlib.util.find_spec("matplotlib") is not None
    except (ImportError, ValueError):  # a None entry in sys.modules, a broken install
        return False


def _md(text: Any) -> str:
    """Claim text made inert in Markdown: special characters backslash-escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_md(h) for h in head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return out + [""]


def _md_quote(text: str) -> list[str]:
    return ["> " + _md(line) if line.strip() else ">" for line in str(text).splitlines()] or [">"]


def render_markdown(report: Report, plot_href: str | None = None) -> str:
    """A report as Markdown, for a terminal or a repository: :func:`casualties.rendering.render`
    with ``fmt="md"``.

    Parameters
    ----------
    report : Report
        From :func:`casualties.report.build_report`.
    plot_href : str, optional
        Where the plot's SVG file is, to link it as an image.

    Returns
    -------
    str
        The report; identical for identical reports.
    """
    claims = report.claims.set_index("claim_id", drop=False)
    out = ["# Casualty claims reconciled", "", *[_md(line) for line in intro(report)], ""]
    out += ["## 1. What went in", "", _md(inputs_text(report)), ""]
    if len(report.files):
        out += _md_table(*labelled(report.files, ["file", "n_claims", "n_rejected"]))
    out += _md_table(*labelled(report.inputs, ["source", "source_type", "n_claims", "n_totals", "n_incidents", "start", "end", "used"]))
    out += [rejected_text(report), ""]
    if len(report.rejected):
        out += _md_table(*labelled(report.listed("rejected"), ["file", "row", "column", "value", "reason", "detail"]))
        summary = summary_rows(report, "rejected")
        if summary:
            out += _md_table(*summary)
    out += ["## 2. Ranges", "", ranges_text(report), ""]
    out += _md_table(*labelled(ranges_shown(report), ["source", "low", "best", "high", "n_claims", "feasible"]))
    out += ["## 3. Discrepancies", ""]
    if report.linked:
        out += [_md(links_text(report)), ""]
        out += [f"- {_md(link_line(link))}" for link in report.listed("links").itertuples(index=False)]
        out += [""] if len(report.links) else []
    if not len(report.discrepancies):
        out += [_md(no_pair_text(report) or "No two claims contradict each other."), ""]
    else:
        out += [_md(pairs_text(report)), ""]
        for i, pair in enumerate(report.listed("discrepancies").itertuples(index=False), 1):
            out += [f"{i}. {_md(pair.sentence)}", ""]
            if pair_link(pair):
                out += [f"   {_md(capital(pair_link(pair)))}.", ""]
            for claim_id in (pair.claim_a, pair.claim_b):
                quote = quote_of(claims, claim_id)
                if quote:
                    out += [f"   > {_md(claims.loc[claim_id, 'source'])} ({_md(claim_id)}): \u201c{_md(quote)}\u201d", ""]
                else:
                    out += [f"   {_md(claims.loc[claim_id, 'source'])} ({_md(claim_id)}): no quote.", ""]
        summary = summary_rows(report, "discrepancies")
        if summary:
            out += ["The other pairs, per pair of sources:", "", *_md_table(*summary)]
    out += ["### The least change that reconciles every claim", "", _md(conflict_text(report)), ""]
    listed = report.listed("adjustments")
    for sentence in listed.get("sentence", []):
        out.append(f"- {_md(sentence)}")
    out += [""] if len(listed) else []
    summary = summary_rows(report, "adjustments")
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
    periods = periods_text(report)
    out += [_md(periods), ""] if periods else []
    out += _md_table(*as_rows(wide_totals(report)))
    if report.merge:
        out += _md_merged(report)
    out += ["## 5. The claims", ""]
    others = claims_text(report)
    out += [_md(others), ""] if others else []
    for _, claim in report.listed("claims").iterrows():
        out += [f"### {_md(claim['claim_id'])}", "", f"**{_md(claim['summary'])}** ({_md(claim_head(claim))})", ""]
        if claim_text(claim["quote"]):
            out += [*_md_quote(claim_text(claim["quote"])), ""]
        url = safe_url(claim["url"])
        if url:
            out += [f"Link: <{url}>", ""]
        elif claim_text(claim["url"]):
            out += [f"Link (not a web address, shown as text): {_md(claim['url'])}", ""]
        if claim_text(claim.get("note")):
            out += [f"Note: {_md(claim['note'])}", ""]
    out.append(_md(made_by()))
    return "\n".join(out) + "\n"


def _md_merged(report: Report) -> list[str]:
    out = [f"### Incidents merged by the {_md(report.merge)} rule", "",
           f"{len(report.merged):,} merged, {len(report.merge_conflicts):,} in conflict.", ""]
    columns = [c for c in ("incident_id", "category", "outcome", "sources", "n_merged", "low", "best", "high") if c in report.merged.columns]
    if len(report.merged):
        out += _md_table(*labelled(report.merged, columns))
    if len(report.merge_conflicts):
        out += _md_table(*labelled(report.merge_conflicts, list(report.merge_conflicts.columns)))
    return out
