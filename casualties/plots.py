"""Plots of a report: each source's range per period on one time axis, as SVG text.

matplotlib (the ``report`` extra) is imported inside :func:`period_plot` only, so that importing
``casualties`` or :mod:`casualties.report` never loads it. The figure is drawn on a bare
:class:`matplotlib.figure.Figure` (no pyplot, no global state; the SVG canvas), with text kept
as text (``svg.fonttype = "none"``, escaped by matplotlib's SVG writer), maths parsing off (a
``$`` in a source name stays a dollar), a fixed ``svg.hashsalt`` and no date in the metadata:
the same report gives byte-identical SVG.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from casualties.report import Report

__all__ = ["MAX_TOTALS_SHOWN", "PALETTE", "TRUTH_COLOUR", "period_plot", "source_colours"]

#: Okabe & Ito's colour-blind-safe palette (black kept for the truth, yellow last: it is faint
#: on white). Sources beyond seven cycle through it with hatching.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")
TRUTH_COLOUR = "#000000"
_HATCHES = ("", "//", "\\\\", "xx", "..")
#: At most this many total claims are drawn under the time axis (the rest are counted).
MAX_TOTALS_SHOWN = 30
_BARS_UP_TO = 40  # periods: bars side by side up to this many, bands beyond
_RC = {
    "svg.hashsalt": "casualties",
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.size": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def source_colours(sources: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Colour and hatch of each source, in the order given; the truth is black.

    Parameters
    ----------
    sources : iterable of str
        Source names (:data:`casualties.reconcile.TRUTH` for the truth).

    Returns
    -------
    dict of str to (str, str)
        ``name -> (hex colour, matplotlib hatch)``.
    """
    from casualties.reconcile import TRUTH

    out: dict[str, tuple[str, str]] = {}
    k = 0
    for name in sources:
        if name == TRUTH:
            out[name] = (TRUTH_COLOUR, "")
            continue
        out[name] = (PALETTE[k % len(PALETTE)], _HATCHES[(k // len(PALETTE)) % len(_HATCHES)])
        k += 1
    return out


def _rgba(colour: str, alpha: float) -> tuple[float, float, float, float] | str:
    """A hex colour with an alpha for the face only (edges stay opaque)."""
    if colour == "none":
        return colour
    return (int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255, alpha)


def _days(values: Iterable) -> np.ndarray:
    """Dates as matplotlib's date numbers (days since 1970-01-01)."""
    return np.asarray(values, dtype="datetime64[D]").astype("int64").astype(float)


def _top(low: np.ndarray, best: np.ndarray, high: np.ndarray) -> float:
    """The top of a panel's y-axis [people]: set by the bounded ranges, never by open-ended bests.

    The finite highs, and the lows and bests of the rows whose high is finite, set the scale; only
    when these are all 0 (every range of the panel is open-ended, or 0–0) do the lows and bests of
    the open-ended rows set it. 12 % headroom; at least 1 (a panel of zeros still has an axis).
    """
    low, best, high = (np.asarray(a, dtype=float) for a in (low, best, high))
    ok = np.isfinite(low)
    bounded = ok & np.isfinite(high)
    peak = 0.0
    for rows, columns in ((bounded, (high, low, best)), (ok, (low, best))):
        values = np.concatenate([c[rows] for c in columns])
        values = values[np.isfinite(values)]
        peak = float(values.max()) if values.size else 0.0
        if peak > 0:
            break
    return max(peak * 1.12, 1.0)


def _panels(report: Report) -> list[dict]:
    """One panel per account, then the truth: name, label, the listed periods' rows, y top."""
    from casualties.reconcile import TRUTH
    from casualties.report_cells import truth_label

    totals = report.listed("period_totals")
    panels = []
    for name in dict.fromkeys(totals["source"].astype(str)):
        rows = totals[(totals["source"] == name).to_numpy()]
        low, best, high = (rows[c].to_numpy(dtype=float) for c in ("low", "best", "high"))
        label = name
        if name == TRUTH and "change" in rows:
            label = truth_label(float(rows["change"].max()))
        if not np.isfinite(low).any() and len(low):
            label += " (the claims cannot all hold: no range)"
        panels.append({"name": name, "label": label, "rows": rows, "top": _top(low, best, high)})
    return panels


def _total_rows(spans: pd.DataFrame, period: float, unit: str = "period") -> pd.DataFrame:
    """The rows of the total-claims panel: ``source, label, start, end, n`` (claims in the row).

    Each total claim is a row, longest first, up to :data:`MAX_TOTALS_SHOWN`. When there are more,
    the totals shorter than one plotted period (``period`` [days]; a weekly series under a
    quarterly plot) are first drawn as one thin row per source, from the first one's start to the
    last one's end ("VDC: 262 totals, each shorter than a quarter"; ``unit`` names the period).
    """
    columns = ["source", "label", "start", "end", "n"]
    if not len(spans):
        return pd.DataFrame(columns=columns)
    rows = pd.DataFrame({"source": spans["source"].astype(str).to_numpy(), "label": [f"{c.source}: {c.count}" for c in
                         spans.itertuples(index=False)], "start": spans["start"].to_numpy(), "end": spans["end"].to_numpy(), "n": 1})
    if len(rows) <= MAX_TOTALS_SHOWN:
        return rows
    short = (spans["_length"].to_numpy(dtype=float) + 1.0) < period
    groups = [{"source": name, "label": f"{name}: {len(group):,} totals, each shorter than a {unit}", "start": group["start"].min(),
               "end": group["end"].max(), "n": len(group)} for name, group in rows[short].groupby("source", sort=True)]
    return pd.concat([rows[~short].head(MAX_TOTALS_SHOWN - len(groups)), pd.DataFrame(groups, columns=columns)], ignore_index=True)


def period_plot(report: Report, *, width: float = 10.0) -> str:
    """Each account's range per period, one panel each on one time axis, with the total claims.

    Small multiples: one panel per account and one for the truth, each with its own y-axis, so
    that an account of tens a month stays readable beside one of thousands. Bars (or, past 40
    periods, bands) run from each period's least to greatest count, with a mark at the best
    estimate; a range of one value (low = high) is a thick line, so that a zero-height range
    still shows. An open-ended range (no upper limit) is a dashed line at its least count with
    an arrow up, never a band to the top. Each panel's y-axis is set by its bounded ranges
    (:func:`_top`), so an open-ended best does not squash the rest; a best above the axis is
    marked with a triangle at the top. Under the panels, one line per total claim that bears on
    the scope and reaches the plotted periods spans its period, longest first, at most
    :data:`MAX_TOTALS_SHOWN` (no such panel when there is none). The periods are those the
    report lists (:meth:`casualties.report.Report.listed`).

    Parameters
    ----------
    report : Report
        A report (:func:`casualties.report.build_report`).
    width : float
        Figure width [inch].

    Returns
    -------
    str
        An SVG document (UTF-8 text), deterministic for a given report and matplotlib version.

    Raises
    ------
    OptionalDependencyError
        When matplotlib (the ``report`` extra) is not installed.
    """
    try:
        import matplotlib
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch
        from matplotlib.ticker import MaxNLocator, StrMethodFormatter
    except ImportError as exc:
        from casualties.errors import OptionalDependencyError

        raise OptionalDependencyError("matplotlib", "report") from exc
    from casualties.reconcile import TRUTH
    from casualties.report import FREQUENCIES

    panels = _panels(report)
    colours = source_colours([p["name"] for p in panels])
    totals = report.listed("period_totals")
    all_starts = _days(totals["period_start"])
    all_ends = _days(totals["period_end"]) + 1.0
    first = float(all_starts.min()) if len(all_starts) else 0.0
    last = float(all_ends.max()) if len(all_ends) else 1.0
    # the total claims that bear and reach the plotted periods, longest first (the widest totals
    # say most about what the panels cover; a national series' weekly totals come last)
    claims = report.claims
    spans = claims[(claims["kind"].astype(str) == "total").to_numpy() & claims["used"].to_numpy(dtype=bool)]
    if len(spans):
        a, b = _days(spans["start"]), _days(spans["end"]) + 1.0
        spans = spans[(a < last) & (b > first)]
        length = (_days(spans["end"]) - _days(spans["start"]))
        spans = spans.assign(_length=length).sort_values("_length", ascending=False, kind="stable")
    unit = FREQUENCIES.get(report.freq, "period")
    shown = _total_rows(spans, float(np.median(all_ends - all_starts)) if len(all_starts) else 1.0, unit)
    n_periods = len(set(all_starts.tolist()))
    bars = n_periods <= _BARS_UP_TO
    noun = "deaths" if report.scope.outcome == "killed" else "injuries"
    title = f"{report.description[:1].upper()}{report.description[1:]}: range of each account per {unit}"
    title_lines = textwrap.wrap(title, max(40, int(width * 11)))
    n_panels = max(len(panels), 1)
    lines_height = 0.55 + 0.22 * len(shown) if len(shown) else 0.0
    height = 0.9 + 0.25 * len(title_lines) + 1.45 * n_panels + lines_height
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        ratios = [1.45] * n_panels + ([lines_height] if len(shown) else [])
        grid = fig.add_gridspec(len(ratios), 1, height_ratios=ratios)
        axes = []
        for i in range(n_panels):
            axes.append(fig.add_subplot(grid[i], sharex=axes[0] if axes else None))
        lines_ax = fig.add_subplot(grid[n_panels], sharex=axes[0]) if len(shown) else None
        unbounded = above = single = False
        for ax, panel in zip(axes, panels):
            name, rows, top = panel["name"], panel["rows"], panel["top"]
            colour, hatch = colours[name]
            low, best, high = (rows[c].to_numpy(dtype=float) for c in ("low", "best", "high"))
            left, right = _days(rows["period_start"]), _days(rows["period_end"]) + 1.0
            if bars:
                left, right = left + (right - left) * 0.1, right - (right - left) * 0.1
            ok = np.isfinite(low)
            inf = ok & np.isinf(high)
            bounded = ok & ~inf
            flat = bounded & (high - low <= top * 0.004)  # too thin to see as a bar: a thick line
            face = _rgba("#ffffff", 0.0) if name == TRUTH else _rgba(colour, 0.8 if bars else 0.45)
            solid = bounded & ~flat
            if solid.any():
                if bars:
                    ax.bar(left[solid], (high - low)[solid], width=(right - left)[solid], bottom=low[solid], align="edge",
                           facecolor=face, edgecolor=colour, hatch=hatch, linewidth=0.8)
                else:
                    ax.fill_between(np.ravel(np.column_stack([left, right])), np.repeat(np.where(solid, low, np.nan), 2),
                                    np.repeat(np.where(solid, high, np.nan), 2), facecolor=face, edgecolor=colour, hatch=hatch,
                                    linewidth=0.8)
            if flat.any():
                single = True
                ax.hlines(low[flat], left[flat], right[flat], colors=colour, linewidth=3.2)
            if inf.any():  # open-ended: a dashed line at the least count and an arrow up from it
                unbounded = True
                ax.hlines(low[inf], left[inf], right[inf], colors=colour, linewidth=1.2, linestyles=(0, (3, 2)))
                centre = (left[inf] + right[inf]) / 2
                ax.plot(centre, np.minimum(low[inf], top) + top * 0.06, linestyle="none", marker="^", color=colour, markersize=4.5)
            seen = ok & np.isfinite(best) & (best <= top) & ~flat  # on a thick line the best is the line itself
            ax.hlines(best[seen], left[seen], right[seen], colors="#000000", linewidth=1.4)
            over = ok & np.isfinite(best) & (best > top)
            if over.any():
                above = True
                ax.plot((left[over] + right[over]) / 2, np.full(over.sum(), top), linestyle="none", marker="v", color="#000000",
                        markersize=5, clip_on=False)
            ax.set_ylim(0, top)
            ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=top >= 4, steps=[1, 2, 2.5, 5, 10], min_n_ticks=3))
            ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}" if top >= 4 else "{x:,.1f}"))
            ax.set_title(panel["label"], loc="left", fontsize=9, color="#000000" if name == TRUTH else colour, fontweight="bold")
            ax.grid(axis="y", color="#dddddd", linewidth=0.6)
            ax.set_axisbelow(True)
            ax.tick_params(labelbottom=False)
        handles = [Patch(facecolor="#bbbbbb", edgecolor="#555555", label="range, least to greatest count"),
                   Line2D([], [], color="#000000", linewidth=1.4, label="best estimate")]
        if single:
            handles.append(Line2D([], [], color="#555555", linewidth=3.2, label="one value (least = greatest)"))
        if unbounded:
            handles.append(Line2D([], [], color="#555555", linewidth=1.2, linestyle=(0, (3, 2)), marker="^", markersize=4.5,
                                  label="no upper limit (least count, arrow up)"))
        if above:
            handles.append(Line2D([], [], color="#000000", marker="v", linestyle="none", markersize=5, label="best above the axis"))
        fig.suptitle("\n".join(title_lines), x=0.01, ha="left", fontsize=10)
        fig.legend(handles=handles, loc="outside lower left", ncols=min(3, len(handles)), frameon=False)
        fig.supylabel(f"{noun} per {unit} [people]", fontsize=9)
        bottom = lines_ax if lines_ax is not None else (axes[-1] if axes else None)
        if lines_ax is not None:
            # the periods of the total claims, one line each, under the panels
            for i, claim in enumerate(shown.itertuples(index=False)):
                colour = colours.get(claim.source, ("#555555", ""))[0]
                a, b = _days([claim.start])[0], _days([claim.end])[0] + 1.0
                lines_ax.plot([max(a, first), min(b, last)], [i, i], color=colour, linewidth=3 if claim.n == 1 else 1.2,
                              solid_capstyle="butt")
                if a < first:
                    lines_ax.plot([first], [i], marker="<", color=colour, markersize=6, clip_on=False)
                if b > last:
                    lines_ax.plot([last], [i], marker=">", color=colour, markersize=6, clip_on=False)
            lines_ax.set_yticks(range(len(shown)), [c.label for c in shown.itertuples(index=False)])
            lines_ax.set_ylim(len(shown) - 0.5, -0.5)
            more = len(spans) - int(shown["n"].sum())
            lines_ax.set_title("period of each total claim" + (f" (the {len(shown)} longest; {more:,} more not drawn)" if more else ""),
                               loc="left", fontsize=8.5)
            lines_ax.spines["left"].set_visible(False)
            lines_ax.tick_params(axis="y", length=0)
            lines_ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
        if bottom is not None:
            bottom.tick_params(labelbottom=True)
            bottom.set_xlabel("date")
            bottom.set_xlim(first, last if last > first else first + 1.0)
            locator = AutoDateLocator()
            bottom.xaxis.set_major_locator(locator)
            bottom.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()
