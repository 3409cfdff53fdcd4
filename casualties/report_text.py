"""The report's text, shared by Markdown and HTML: the sentences that open and explain each section.

Each function returns plain text (no markup, nothing escaped): :mod:`casualties.report_markdown`
and :mod:`casualties.report_html` escape and place it. The sentences count what a section lists
and what it leaves out, and say in words what its table shows.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from casualties.phrases import day, number
from casualties.report import FREQUENCIES, TOP, Report
from casualties.report_cells import period_label, truth_label

__all__ = ["claim_head", "claims_text", "conflict_text", "inputs_text", "intro", "link_line", "links_text", "made_by", "no_pair_text",
           "pair_link", "pairs_text", "periods_text", "ranges_text", "rejected_text"]


def intro(report: Report) -> list[str]:
    """The report's opening lines: its scope and periods, then the options that narrow it and the
    time it was made, when given.

    Parameters
    ----------
    report : Report

    Returns
    -------
    list of str
    """
    lines = [f"Scope: {report.description}. Periods: {FREQUENCIES.get(report.freq, report.freq)}s."]
    if report.min_certainty:
        lines.append(f"Only claims graded {report.min_certainty} or better (unassessed claims left out).")
    if report.merge:
        lines.append(f"Each incident's reports also merged by the {report.merge} rule.")
    if report.timestamp:
        lines.append(f"Made {report.timestamp}.")
    return lines


def inputs_text(report: Report) -> str:
    """What went in: how many claims from how many sources, the days they cover, how many bear on
    the scope.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str
    """
    truth = report.inputs.iloc[-1]
    n_sources = len(report.inputs) - 1
    if not truth["n_claims"]:
        return "No claim went in."
    return (f"{truth['n_claims']:,} claim(s) from {n_sources} source(s), covering {day(truth['start'])} to {day(truth['end'])}; "
            f"{truth['used']:,} bear on the scope.")


def rejected_text(report: Report) -> str:
    """What was rejected: how many rows, and whether every failing cell is listed or the rest counted.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str
    """
    rows = report.rejected[["file", "row"]].drop_duplicates()
    if not len(rows):
        return "No row was rejected."
    n, listed = len(report.rejected), len(report.listed("rejected"))
    if listed == n:
        # an adapter's cell it could not map may sit in a row that still gave claims (files: n_rejected)
        lost = int(report.files["n_rejected"].sum()) if len(report.files) else len(rows)
        what = "rejected" if lost >= len(rows) else f"with a cell rejected or not mapped as given ({lost:,} gave no claim)"
        return f"{len(rows):,} row(s) {what}; every failing cell:"
    return (f"{len(rows):,} row(s) rejected or not mapped as given (each cell's detail says what became of its row); the first "
            f"{listed:,} of the {n:,} failing cells are listed, the others counted per file, column and reason after them "
            "(a full report, --full, lists every cell):")


def ranges_text(report: Report) -> str:
    """What the ranges table shows, and which claims (the truth's, an account's own) cannot all hold.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str
    """
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


def pairs_text(report: Report) -> str:
    """How many pairs of claims cannot both hold, and how many are listed.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str
    """
    n, listed = len(report.discrepancies), len(report.listed("discrepancies"))
    text = (f"{n:,} pair(s) of claims cannot both hold, largest gap first. Each gap is the least change "
            "to that pair alone that reconciles it.")
    if listed < n:
        text += (f" The {listed:,} largest are listed; the other {n - listed:,} are counted per pair of sources after them "
                 "(a full report, --full, lists every pair).")
    return text


def links_text(report: Report) -> str:
    """What linking did: how many links bear, and how many are listed.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str
    """
    n, listed = len(report.links), len(report.listed("links"))
    if not n:
        return ("The incidents were linked across sources before reconciling, and no two incidents of different sources "
                "bearing on this scope were found to be one event.")
    text = (f"The incidents were linked across sources before reconciling: {n:,} pair(s) of incidents of different sources "
            "bearing on this scope were found to be one event and are reconciled as one incident, most probable first.")
    if listed < n:
        text += f" The {listed:,} most probable are listed (a full report, --full, lists every link)."
    return text


def link_line(link: Any) -> str:
    """One link in words: the two incidents, the probability that they are one event, the evidence.

    Parameters
    ----------
    link : namedtuple
        A row of the report's ``links`` table.

    Returns
    -------
    str
    """
    return (f"{link.source_a} {link.incident_a} = {link.source_b} {link.incident_b} "
            f"(probability {link.match_probability:.2f}): {link.evidence}")


def pair_link(pair: Any) -> str:
    """The evidence line of a discrepancy between two linked incidents ('' for other pairs).

    Parameters
    ----------
    pair : namedtuple
        A row of the report's ``discrepancies`` table.

    Returns
    -------
    str
    """
    text = getattr(pair, "link", "")
    return text if isinstance(text, str) else ""


def no_pair_text(report: Report) -> str | None:
    """When the claims cannot all hold but no two of them contradict each other: say so, naming the
    claims that give way.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str or None
        None when some pair contradicts or every claim holds.
    """
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


def conflict_text(report: Report) -> str:
    """The least change that reconciles every claim, in words, and how many of the claims that give
    way are listed.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str
    """
    if report.gap <= 0:
        return "The claims hold as given: no change is needed."
    n, listed = len(report.adjustments), len(report.listed("adjustments"))
    text = (f"The least total change to the claims' bounds that lets every claim hold at once is {number(report.gap)} "
            f"{'person' if report.gap == 1 else 'people'}; the least certain claims give way first")
    if listed < n:
        return text + (f". {n:,} claims give way; the {listed:,} largest changes are listed, the other {n - listed:,} are counted "
                       "per source after them (a full report, --full, lists every one):")
    return text + ":"


def claims_text(report: Report) -> str | None:
    """The line that counts the claims not listed, if any.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str or None
    """
    n = len(report.claims) - len(report.listed("claims"))
    if n <= 0:
        return None
    return f"{n:,} other claim(s) do not bear on this scope (a full report, --full, lists them)."


def periods_text(report: Report) -> str | None:
    """The line that says which periods are left out, if any.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str or None
    """
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
        sides.append(f"before {period_label(first, shown.loc[shown['period_start'] == first, 'period_end'].iloc[0])}")
    if every["period_start"].max() > last:
        sides.append(f"after {period_label(last, shown.loc[shown['period_start'] == last, 'period_end'].iloc[0])}")
    return (f"{n_shown:,} of {n_all:,} periods listed: the {n_all - n_shown:,} period(s) {' and '.join(sides)} are left out, since no "
            "account says anything about them (every account's range there is 0–0, no claim of its own, or 0–∞, only an "
            "open-ended total); a full report, --full, lists them.")


def claim_head(claim: pd.Series) -> str:
    """The words beside a claim's summary: the day it was reported, its certainty, whether it is used.

    Parameters
    ----------
    claim : pandas.Series
        A row of the report's ``claims`` table.

    Returns
    -------
    str
    """
    certainty = claim["certainty"] if isinstance(claim["certainty"], str) and claim["certainty"] else "unassessed"
    used = "" if claim["used"] else "; not used for this scope"
    reported = "" if pd.isna(claim["reported_on"]) else f"reported {day(claim['reported_on'])}; "
    return f"{reported}certainty: {certainty}{used}"


def made_by() -> str:
    """The report's last line: "Made by casualties" and the package's version.

    Returns
    -------
    str
    """
    import casualties

    return f"Made by casualties {casualties.__version__}."
