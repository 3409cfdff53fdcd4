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


def _steps(left: np.ndarray, right: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges and values for a ``step="post"`` band over contiguous periods (one extra edge)."""
    edges = np.append(left, right[-1:])
    return edges, np.append(low, low[-1:]), np.append(high, high[-1:])


def _days(values: Iterable) -> np.ndarray:
    """Dates as matplotlib's date numbers (days since 1970-01-01)."""
    return np.asarray(values, dtype="datetime64[D]").astype("int64").astype(float)


def period_plot(report: Report, *, width: float = 10.0) -> str:
    """Each source's range per period on one time axis, with the periods of the total claims.

    Bars (or, past 40 periods, bands) run from each period's least to greatest count, with a
    black mark at the best estimate; an unbounded greatest count runs to the top of the axes
    with an arrow. Under the axes, one line per total claim spans its period.

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
    except ImportError as exc:
        from casualties.errors import OptionalDependencyError

        raise OptionalDependencyError("matplotlib", "report") from exc
    from casualties.reconcile import TRUTH
    from casualties.report import FREQUENCIES

    totals = report.period_totals
    names = list(dict.fromkeys(totals["source"].astype(str)))
    colours = source_colours(names)
    claims = report.claims
    spans = claims[(claims["kind"].astype(str) == "total").to_numpy() & claims["used"].to_numpy()]
    shown = spans.head(MAX_TOTALS_SHOWN)
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, 4.6 + 0.22 * max(len(shown), 1)), layout="constrained")
        grid = fig.add_gridspec(2, 1, height_ratios=[4.0, 0.6 + 0.22 * max(len(shown), 1)])
        ax = fig.add_subplot(grid[0])
        lines_ax = fig.add_subplot(grid[1], sharex=ax)
        starts, ends = _days(totals["period_start"]), _days(totals["period_end"]) + 1.0
        finite = totals[["low", "best", "high"]].to_numpy(dtype=float)
        finite = finite[np.isfinite(finite)]
        top = float(finite.max()) * 1.12 if finite.size and finite.max() > 0 else 1.0
        n_periods = len(set(starts.tolist()))
        bars = n_periods <= _BARS_UP_TO
        handles = []
        unbounded = False
        for k, name in enumerate(names):
            rows = (totals["source"] == name).to_numpy()
            colour, hatch = colours[name]
            low, best, high = (totals.loc[rows, c].to_numpy(dtype=float) for c in ("low", "best", "high"))
            ok = np.isfinite(low)  # a range (the least-change truth's too), unless blanked by on_conflict="nan"
            left, right = starts[rows], ends[rows]
            if bars:
                slot = (right - left) * 0.84 / len(names)
                left = left + (right - left) * 0.08 + k * slot
                right = left + slot
            capped = np.minimum(high, top)
            face = "none" if name == TRUTH else colour
            inf = ok & np.isinf(high)
            # bounded ranges solid, unbounded ones pale up to the top of the axes
            for part, alpha in ((ok & ~inf, 0.85 if bars else 0.45), (inf, 0.18)):
                if not part.any():
                    continue
                alpha = 1.0 if name == TRUTH else alpha
                if bars:
                    ax.bar(left[part], (capped - low)[part], width=(right - left)[part], bottom=low[part], align="edge",
                           facecolor=_rgba(face, alpha), edgecolor=colour, hatch=hatch, linewidth=0.8)
                else:
                    ax.fill_between(*_steps(left, right, np.where(part, low, np.nan), np.where(part, capped, np.nan)), step="post",
                                    facecolor=_rgba(face, alpha), edgecolor=colour, hatch=hatch, linewidth=0.8)
            ax.hlines(best[ok], left[ok], right[ok], colors="#000000" if bars else colour, linewidth=1.6)
            if inf.any():
                unbounded = True
                ax.plot((left[inf] + right[inf]) / 2, np.full(inf.sum(), top), linestyle="none", marker="^", color=colour,
                        markersize=5, clip_on=False)
            label = name if ok.any() or not len(ok) else f"{name} (contradictory: no range)"
            change = totals.loc[rows, "change"].to_numpy(dtype=float) if "change" in totals else np.zeros(0)
            if name == TRUTH and change.size and change.max() > 0:
                label = f"{name}, after the least change of {change.max():,.0f} people"
            handles.append(Patch(facecolor=face, edgecolor=colour, hatch=hatch, label=label))
        handles.append(Line2D([], [], color="#000000", linewidth=1.6, label="best estimate"))
        if unbounded:
            handles.append(Line2D([], [], color="#555555", marker="^", linestyle="none", label="no upper limit (pale band to the top)"))
        ax.set_ylim(0, top)
        unit = FREQUENCIES.get(report.freq, "period")
        noun = "deaths" if report.scope.outcome == "killed" else "injuries"
        ax.set_ylabel(f"{noun} per {unit} [people]")
        title = f"{report.description[:1].upper()}{report.description[1:]}: range of each source's account per {unit}"
        ax.set_title(textwrap.fill(title, 120), loc="left", fontsize=10)
        fig.legend(handles=handles, loc="outside upper left", ncols=min(4, len(handles)), frameon=False)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(labelbottom=False)
        # the periods of the total claims, one line each, under the time axis
        first = float(starts.min()) if len(starts) else 0.0
        last = float(ends.max()) if len(ends) else 1.0
        for i, claim in enumerate(shown.itertuples(index=False)):
            colour = colours.get(claim.source, ("#555555", ""))[0]
            a, b = _days([claim.start])[0], _days([claim.end])[0] + 1.0
            lines_ax.plot([max(a, first), min(b, last)], [i, i], color=colour, linewidth=3, solid_capstyle="butt")
            if a < first:
                lines_ax.plot([first], [i], marker="<", color=colour, markersize=6, clip_on=False)
            if b > last:
                lines_ax.plot([last], [i], marker=">", color=colour, markersize=6, clip_on=False)
        lines_ax.set_yticks(range(len(shown)), [f"{c.source}: {c.count}" for c in shown.itertuples(index=False)])
        lines_ax.set_ylim(len(shown) - 0.5 if len(shown) else 0.5, -0.5)
        more = len(spans) - len(shown)
        lines_ax.set_title("period of each total claim" + (f" (first {len(shown)}; {more} more not drawn)" if more else ""),
                           loc="left", fontsize=8.5)
        lines_ax.set_xlabel("date")
        lines_ax.spines["left"].set_visible(False)
        lines_ax.tick_params(axis="y", length=0)
        lines_ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
        lines_ax.set_xlim(first, last if last > first else first + 1.0)
        locator = AutoDateLocator()
        lines_ax.xaxis.set_major_locator(locator)
        lines_ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()
