"""A report as one self-contained HTML page: :func:`casualties.rendering.render` with ``fmt="html"``.

The page needs nothing else: inline CSS (with a print stylesheet), the plot as inline SVG (from
:func:`casualties.plots.period_plot`, when matplotlib is installed), a Content-Security-Policy
that forbids every request, no script. Every text that came from a claim file is escaped; a URL
is a link only when it is http(s).
"""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd

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

__all__ = ["render_html"]

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
    head, rows = labelled(frame, columns)
    numeric = {j for j, c in enumerate(columns) if c in ("low", "best", "high", "n_claims", "n_totals", "n_incidents", "used", "row",
                                                             "n_rejected", "new_low", "new_high", "change", "gap", "n_merged")}
    return _html_table(head, rows, numeric, swatches)


def _svg_inline(svg: str) -> str:
    """The ``<svg>`` element of an SVG document (no XML declaration or DOCTYPE), labelled."""
    start = svg.index("<svg")
    return svg[start:].replace("<svg ", '<svg role="img" aria-labelledby="plot-caption" ', 1).strip()


def render_html(report: Report) -> str:
    """A report as one self-contained HTML page: :func:`casualties.rendering.render` with
    ``fmt="html"``.

    Parameters
    ----------
    report : Report
        From :func:`casualties.report.build_report`.

    Returns
    -------
    str
        The page; identical for identical reports. Without matplotlib, a note stands where the
        plot would be.
    """
    from casualties.errors import OptionalDependencyError
    from casualties.plots import period_plot, source_colours

    claims = report.claims.set_index("claim_id", drop=False)
    colours = {name: colour for name, (colour, _) in source_colours(dict.fromkeys(report.period_totals["source"].astype(str))).items()}
    unit = FREQUENCIES.get(report.freq, "period")
    body = ["<header><h1>Casualty claims reconciled</h1>", *[f"<p>{_e(line)}</p>" for line in intro(report)], "</header>"]
    body += ['<section id="inputs"><h2>1. What went in</h2>', f"<p>{_e(inputs_text(report))}</p>"]
    if len(report.files):
        body.append(_html_labelled(report.files, ["file", "n_claims", "n_rejected"]))
    body.append(_html_labelled(report.inputs, ["source", "source_type", "n_claims", "n_totals", "n_incidents", "start", "end", "used"], colours))
    body.append(f"<p>{_e(rejected_text(report))}</p>")
    if len(report.rejected):
        body.append(_html_labelled(report.listed("rejected"), ["file", "row", "column", "value", "reason", "detail"]))
        summary = summary_rows(report, "rejected")
        if summary:
            body.append(_html_table(*summary, numeric={3}))
    body += ["</section>", '<section id="ranges"><h2>2. Ranges</h2>', f"<p>{_e(ranges_text(report))}</p>",
             _html_labelled(ranges_shown(report), ["source", "low", "best", "high", "n_claims", "feasible"], colours), "</section>"]
    body.append('<section id="discrepancies"><h2>3. Discrepancies</h2>')
    listed_claims = set(report.listed("claims")["claim_id"])

    def cited(claim_id: Any) -> str:  # a link to the claim where section 5 lists it
        if claim_id in listed_claims:
            return f'<a href="#claim-{_e(_anchor(claim_id))}">{_e(claim_id)}</a>'
        return _e(claim_id)

    if report.linked:
        body.append(f'<p id="links">{_e(links_text(report))}</p>')
        if len(report.links):
            body.append('<ul class="links">' + "".join(f"<li>{_e(link_line(link))}</li>" for link in report.listed("links").itertuples(index=False))
                        + "</ul>")
    if not len(report.discrepancies):
        body.append(f"<p>{_e(no_pair_text(report) or 'No two claims contradict each other.')}</p>")
    else:
        body.append(f"<p>{_e(pairs_text(report))}</p>")
        body.append('<ol class="pairs">')
        for pair in report.listed("discrepancies").itertuples(index=False):
            quotes = "".join(f'<blockquote><p>\u201c{_e(quote_of(claims, c))}\u201d</p><footer>{_e(claims.loc[c, "source"])}, '
                             f'{cited(c)}</footer></blockquote>' if quote_of(claims, c) else
                             f'<p class="meta">{_e(claims.loc[c, "source"])}, {cited(c)} (no quote)</p>' for c in (pair.claim_a, pair.claim_b))
            link = f'<p class="meta">{_e(capital(pair_link(pair)))}.</p>' if pair_link(pair) else ""
            body.append(f"<li><p>{_e(pair.sentence)}</p>{link}{quotes}</li>")
        body.append("</ol>")
        summary = summary_rows(report, "discrepancies")
        if summary:
            body += ["<p>The other pairs, per pair of sources:</p>", _html_table(*summary, numeric={2, 3})]
    body += ["<h3>The least change that reconciles every claim</h3>", f"<p>{_e(conflict_text(report))}</p>"]
    listed = report.listed("adjustments")
    if len(listed):
        body.append("<ul>" + "".join(f"<li>{_e(s)}</li>" for s in listed["sentence"]) + "</ul>")
        body.append(_html_labelled(listed, ["claim_id", "source", "low", "high", "new_low", "new_high", "change"]))
    summary = summary_rows(report, "adjustments")
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
    periods = periods_text(report)
    if periods:
        body.append(f"<p>{_e(periods)}</p>")
    wide = wide_totals(report)
    head, rows = as_rows(wide)
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
    others = claims_text(report)
    if others:
        body.append(f"<p>{_e(others)}</p>")
    for _, claim in report.listed("claims").iterrows():
        parts = [f'<div class="claim" id="claim-{_e(_anchor(claim["claim_id"]))}"><h3>{_e(claim["claim_id"])}</h3>',
                 f'<p><strong>{_e(claim["summary"])}</strong> <span class="meta">({_e(claim_head(claim))})</span></p>']
        if claim_text(claim["quote"]):
            parts.append(f"<blockquote><p>{_e(claim_text(claim['quote']))}</p></blockquote>")
        url = safe_url(claim["url"])
        if url:
            parts.append(f'<p>Link: <a href="{_e(url)}" rel="noopener noreferrer">{_e(claim["url"])}</a></p>')
        elif claim_text(claim["url"]):
            parts.append(f'<p>Link (not a web address, shown as text): <code>{_e(claim["url"])}</code></p>')
        if claim_text(claim.get("note")):
            parts.append(f'<p class="note">Note: {_e(claim["note"])}</p>')
        body.append("".join(parts) + "</div>")
    body += ["</section>", f"<footer><p>{_e(made_by())}</p></footer>"]
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
