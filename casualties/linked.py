"""The report's view of incidents linked across sources (:func:`casualties.linking.link_incidents`).

A report built with links reconciles the claims as :func:`casualties.linking.relink` leaves them
(one ``incident_id`` per linked cluster), lists the links that bear on its scope, and gives each
discrepancy between two linked incidents the evidence that joined them. This module holds those
two tables; :mod:`casualties.report` builds the rest.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["LINK_TABLE_COLUMNS", "bearing_links", "empty_links", "pair_evidence"]

#: The columns of a report's ``links`` table.
LINK_TABLE_COLUMNS = ("incident_a", "incident_b", "source_a", "source_b", "match_probability", "evidence")


def empty_links() -> pd.DataFrame:
    """A ``links`` table without rows (a report built without links)."""
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "match_probability" else "str") for c in LINK_TABLE_COLUMNS})


def _pair_key(a: pd.Series, b: pd.Series) -> pd.Series:
    """One key per unordered pair of ids (the two in sort order, joined by a unit separator)."""
    a, b = a.astype(str), b.astype(str)
    first = a.where(a <= b, b)
    second = b.where(a <= b, a)
    return first + "\x1f" + second


def bearing_links(links: pd.DataFrame, original: pd.Series, kept: pd.DataFrame) -> pd.DataFrame:
    """The links of which both incidents have claims bearing on the report's scope.

    Parameters
    ----------
    links : pandas.DataFrame
        From :func:`casualties.linking.link_incidents` (at least ``incident_a, incident_b,
        source_a, source_b, match_probability, evidence``).
    original : pandas.Series
        Each claim's ``incident_id`` before the relinking, indexed by ``claim_id``.
    kept : pandas.DataFrame
        The claims that bear on the scope (after the relinking).

    Returns
    -------
    pandas.DataFrame
        :data:`LINK_TABLE_COLUMNS`, most probable first.
    """
    if not len(links):
        return empty_links()
    bearing = set(original.reindex(kept["claim_id"].astype(str)).dropna().astype(str))
    keep = (links["incident_a"].astype(str).isin(bearing) & links["incident_b"].astype(str).isin(bearing)).to_numpy()
    table = links.loc[keep, list(LINK_TABLE_COLUMNS)].sort_values("match_probability", ascending=False, kind="stable")
    return table.astype({c: "str" for c in LINK_TABLE_COLUMNS if c != "match_probability"}).reset_index(drop=True)


def pair_evidence(pairs: pd.DataFrame, original: pd.Series, current: pd.Series, links: pd.DataFrame) -> pd.Series:
    """For each pair of claims (``claim_a, claim_b``), why their incidents were linked.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Discrepancies (:func:`casualties.reconcile.discrepancies`).
    original, current : pandas.Series
        Each claim's ``incident_id`` before and after the relinking, indexed by ``claim_id``.
    links : pandas.DataFrame
        From :func:`casualties.linking.link_incidents`.

    Returns
    -------
    pandas.Series of str
        On the pairs' index: "linked as one event, probability 0.97: same day, ..." where the
        two claims' incidents were linked to each other; "linked as one event through other
        incidents of the same cluster" where the cluster joined them through a third; empty
        where the two claims were not of two incidents that the relinking made one.
    """
    out = pd.Series("", index=pairs.index, dtype="str")
    if not len(pairs) or not len(links):
        return out
    def of(ids: pd.Series, column: str) -> pd.Series:
        return pd.Series(ids.astype(str).reindex(pairs[column].astype(str)).to_numpy(), index=pairs.index, dtype="str")

    a, b = of(original, "claim_a"), of(original, "claim_b")
    joined = (a.ne(b) & of(current, "claim_a").eq(of(current, "claim_b"))).fillna(False).to_numpy(dtype=bool)
    if not joined.any():
        return out
    sentence = ("linked as one event, probability " + links["match_probability"].map("{:.2f}".format) + ": "
                + links["evidence"].astype(str))
    by_pair = pd.Series(sentence.to_numpy(), index=_pair_key(links["incident_a"], links["incident_b"]).to_numpy())
    by_pair = by_pair[~by_pair.index.duplicated()]
    found = pd.Series(by_pair.reindex(_pair_key(a[joined], b[joined]).to_numpy()).to_numpy(), index=a.index[joined], dtype="str")
    out.loc[found.index] = found.fillna("linked as one event through other incidents of the same cluster")
    return out
