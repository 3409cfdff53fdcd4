"""A table of competing national death tolls: one total claim per estimate.

The shared table (``shared/data/tolls``) holds whole-war tolls for Syria from SOHR, SCPR, the
VDC and the UN and Arab League envoy, each with the date of the estimate, a low and a high end
and a URL. The rules are in ``docs/adapters.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casualties.adapters._common import (
    Errors,
    Source,
    Unmapped,
    build,
    check_errors,
    column,
    finish,
    join_text,
    parse_dates,
    read_table,
)
from casualties.errors import Reason

__all__ = ["read_tolls", "REQUIRED_COLUMNS", "WAR_START"]

#: Columns a file must have (``id``, ``url``, ``place``, ``start``, ``category`` are optional).
REQUIRED_COLUMNS = ("source", "estimate_date", "estimate_low_end", "estimate_high_end")
#: The first day of the period of a whole-war toll when the table gives none: 15 March 2011,
#: the first protests of the uprising, the conventional start of the Syrian war.
WAR_START = "2011-03-15"


def read_tolls(
    path: Source,
    *,
    errors: Errors = "warn",
    start: str = WAR_START,
    place: str = "SY",
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read a table of national tolls into total claims.

    Parameters
    ----------
    path : str, path-like or pandas.DataFrame
        A CSV with ``source, estimate_date, estimate_low_end, estimate_high_end`` and optionally
        ``id``, ``url`` and, per row, ``place``, ``start`` and ``category``; or such a table.
    errors : {"warn", "collect", "raise"}
        As in :func:`~casualties.adapters.read_airwars`.
    start : str
        First day of every toll's period when the row gives none (ISO date). Default
        :data:`WAR_START`: the tolls are for the whole war.
    place : str
        Place of every toll when the row gives none (any spelling the place tree knows).

    Returns
    -------
    claims : pandas.DataFrame
        One total claim per row: the source as named (resolved: "Syrian Observatory for Human
        Rights (SOHR)" is SOHR), period from ``start`` to ``estimate_date`` (also
        ``reported_on``), category ``all`` unless given, perpetrator ``all``, ``low`` and
        ``high`` the two ends [people] (``best`` their midpoint when they differ), ``url``.
        Claim ids ``"toll:<id>"`` (``"toll:<row + 1>"`` without ids, ``"toll:row<row + 1>"``
        when that number is another row's id). Index (``row``): the input
        row.
    unmapped : pandas.DataFrame
        With ``errors="collect"``: ``row, column, value, reason, detail``.

    Raises
    ------
    ClaimFileError
        If the file cannot be read or lacks a required column.
    ClaimError
        With ``errors="raise"``, if anything could not be mapped as given.
    """
    check_errors(errors)
    raw, _ = read_table(path, "read_tolls", REQUIRED_COLUMNS)
    unmapped = Unmapped()
    reported = parse_dates(raw["estimate_date"])
    text = raw["estimate_date"]
    unmapped.add(text.eq(""), "estimate_date", text, Reason.MISSING,
                 "a toll needs the date of its estimate: no claim from this row")
    unmapped.add(text.ne("") & reported.isna(), "estimate_date", text, Reason.NOT_A_DATE, "not a date: no claim from this row")
    usable = reported.notna()
    first = column(raw, "start").where(column(raw, "start").ne(""), start)
    where = column(raw, "place").where(column(raw, "place").ne(""), place)
    ids = column(raw, "id")
    # a row without an id is numbered (row + 1), unless that number is another row's id: then "row<n>"
    numbered = pd.Series((raw.index + 1).astype(str), index=raw.index)
    numbered = numbered.where(~numbered.isin(set(ids[ids.ne("")])), "row" + numbered)
    claim_id = "toll:" + ids.where(ids.ne(""), numbered)
    given_start = column(raw, "start").ne("")
    note = join_text(
        pd.Series("national toll", index=raw.index),
        pd.Series(np.where(given_start, "", f"period from {start} assumed (the table gives no start)"), index=raw.index),
    )
    keep = usable.to_numpy()
    low, high = raw["estimate_low_end"], raw["estimate_high_end"]
    records = pd.DataFrame({
        "_row": raw.index[keep], "claim_id": claim_id[keep], "source": raw["source"][keep],
        "reported_on": reported[keep], "start": first[keep], "end": reported[keep], "place": where[keep],
        "category": column(raw, "category").where(column(raw, "category").ne(""), "all")[keep],
        "perpetrator": "all", "outcome": "killed", "kind": "total",
        "low": low.where(low.ne(""))[keep], "high": high.where(high.ne(""))[keep],
        "url": column(raw, "url")[keep], "note": note[keep],
        "_col_low": "estimate_low_end", "_col_high": "estimate_high_end", "_col_best": "estimate_low_end",
        "_col_start": "start", "_col_end": "estimate_date",
        "_col_claim_id": "id",
    })
    claims = build(records, raw, unmapped)
    return finish("read_tolls", claims, unmapped, len(raw), errors)
