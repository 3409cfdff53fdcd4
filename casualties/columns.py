"""The claims frame's columns (names, dtypes, defaults, meanings), the years a date may fall in,
and the failure table being filled: what the normaliser (:mod:`casualties.schema`) and the record
boundary (:mod:`casualties.cells`) share.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from casualties.errors import FAILURE_COLUMNS, Reason

__all__ = ["CERTAINTY", "COLUMNS", "COLUMN_NAMES", "Column", "DATE_PRECISIONS", "DTYPES", "ENGINE_COLUMNS", "FIRST_YEAR", "Failures", "INPUT_COLUMNS",
           "KINDS", "LAST_YEAR", "OUTCOMES", "SOURCE_TYPES"]

#: Kinds of source (``source_type``); ``other`` for a source not in ``data/sources.csv``.
SOURCE_TYPES = ("monitor", "belligerent", "ngo", "media", "un", "government", "other")
#: How precisely a source dated its figure (``date_precision``).
DATE_PRECISIONS = ("day", "week", "month", "year", "range")
#: What happened to the people counted (``outcome``).
OUTCOMES = ("killed", "injured")
#: ``total``: a count of everyone in a scope; ``incident``: the toll of one event (``kind``).
KINDS = ("total", "incident")
#: Certainty grades, least to most certain (Airwars' grading scale); missing means unassessed.
CERTAINTY = ("discounted", "contested", "weak", "fair", "confirmed")

DATE_DTYPE = "datetime64[s]"
STRING_DTYPE = "str"


@dataclasses.dataclass(frozen=True, slots=True)
class Column:
    """One column of the claims frame.

    Attributes
    ----------
    name : str
        The glossary name.
    dtype : object
        The pandas dtype of the normalised column.
    required : bool
        Whether input must give it (directly or through an alternative input column).
    default : str
        How a missing value is filled, in words.
    description : str
        What the column means.
    """

    name: str
    dtype: Any
    required: bool
    default: str
    description: str


def category_dtype(values: Iterable[str], ordered: bool = False) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(values), ordered=ordered)


#: The columns of the claims frame, in order: name, dtype, whether input must give it, default
#: and meaning (the table of ``docs/schema.md``).
COLUMNS: tuple[Column, ...] = (
    Column("claim_id", STRING_DTYPE, False, "`c<row+1>`", "unique id of the claim"),
    Column("source", STRING_DTYPE, True, "-", "canonical source name (data/sources.csv); unknown names are kept as given and warned about"),
    Column("source_type", category_dtype(SOURCE_TYPES), False, "from data/sources.csv, else `other`", "kind of source"),
    Column("reported_on", DATE_DTYPE, False, "missing (NaT)", "date the source published the figure"),
    Column("start", DATE_DTYPE, True, "from `period` or `date`", "first day of the period the count covers (inclusive)"),
    Column("end", DATE_DTYPE, False, "`start` (or from `period`)", "last day of the period the count covers (inclusive)"),
    Column("date_precision", category_dtype(DATE_PRECISIONS), False, "inferred from start and end", "how precisely the source dated it"),
    Column("place", STRING_DTYPE, True, "-", "place ids joined by `|` (several = the union)"),
    Column("location", STRING_DTYPE, False, "empty", "where the event happened as the source wrote it (village, street), verbatim"),
    Column("latitude", "float64", False, "missing (NaN)", "latitude of the event [degrees, WGS84]; given with longitude or not at all"),
    Column("longitude", "float64", False, "missing (NaN)", "longitude of the event [degrees, WGS84]; given with latitude or not at all"),
    Column("category", category_dtype(("all", "civilian", "combatant", "children", "women")), False, "`all`", "who was counted"),
    Column("perpetrator", STRING_DTYPE, False, "`all`", "perpetrator ids joined by `|` (several = disputed attribution)"),
    Column("outcome", category_dtype(OUTCOMES), False, "`killed`", "killed or injured"),
    Column("kind", category_dtype(KINDS), False, "`total`", "`total`: everyone in the scope; `incident`: the toll of one event"),
    Column("incident_id", STRING_DTYPE, False, "the claim_id", "links reports of the same event"),
    Column("low", "float64", True, "from `count`", "least count [people]"),
    Column("best", "float64", False, "from `count`, else see docs/schema.md", "best count [people]"),
    Column("high", "float64", False, "from `count`, else `best`", "greatest count [people]; +inf for 'at least'"),
    Column("qualifier", STRING_DTYPE, False, "from `count`, else exact/at-least/between", "how the figure was worded"),
    Column("provisional", "bool", False, "False", "the toll may rise"),
    Column("certainty", category_dtype(CERTAINTY, ordered=True), False, "missing (unassessed)", "grade of the claim"),
    Column("quote", STRING_DTYPE, False, "`count` text, else empty", "the words the figure came from"),
    Column("url", STRING_DTYPE, False, "empty", "where the figure was published"),
    Column("note", STRING_DTYPE, False, "empty", "free text"),
)
#: The columns the engine reads (``ranges``, ``period_totals``, ``discrepancies``, ``conflict``,
#: ``bearing``, the report): a frame without one of them is refused with
#: :class:`~casualties.errors.ClaimsFrameError`.
ENGINE_COLUMNS = ("claim_id", "source", "start", "end", "place", "category", "perpetrator", "outcome", "kind", "incident_id",
                  "low", "best", "high", "certainty")
#: The names of :data:`COLUMNS`, in order.
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
DTYPES = {c.name: c.dtype for c in COLUMNS}

#: Input-only columns that fill schema columns: words for the count, the period, or one date.
INPUT_COLUMNS = {
    "count": "words or a number for low/best/high (e.g. 'around 1,500'); kept in quote",
    "period": "words for start/end relative to reported_on (e.g. 'since September 23, 2014')",
    "date": "one day: start = end = date",
}

TEXT_COLUMNS = ("location", "quote", "url", "note")
TRUE_WORDS = {"true", "t", "yes", "y", "1", "1.0"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "0.0", ""}


class Failures:
    """Collects failing cells as small frames and concatenates them once."""

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []
        #: input columns whose cells were converted before parsing: column -> the cells as given
        #: (so that the table shows what the user wrote, not the converted text)
        self.given: dict[str, pd.Series] = {}
        #: (row, column) of cells refused before parsing; later failures of those cells repeat them
        self._refused: set[tuple[int, str]] = set()

    def refuse(self, rows: Iterable[int], column: str) -> None:
        """Note cells refused before parsing, so that no later check reports them again."""
        self._refused.update((int(r), column) for r in rows)

    def add(self, mask: pd.Series, column: str, value: pd.Series, reason: Reason, detail: Any) -> None:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        rows = mask.index[mask.to_numpy()]
        details = detail[mask] if isinstance(detail, pd.Series) else pd.Series(detail, index=rows)
        if column in self.given:
            value = self.given[column]
        self._parts.append(
            pd.DataFrame(
                {
                    "row": rows.to_numpy(),
                    "column": column,
                    "value": value[mask].astype(object).to_numpy(),
                    "reason": reason.value,
                    "detail": details.astype(object).to_numpy(),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self._parts:
            return pd.DataFrame({c: pd.Series([], dtype=object) for c in FAILURE_COLUMNS}).astype({"row": "int64"})
        out = pd.concat(self._parts, ignore_index=True)
        out["row"] = out["row"].astype("int64")
        if self._refused:
            # a cell refused before parsing is reported once, with the reason it was refused
            key = pd.Series(list(zip(out["row"], out["column"])), index=out.index)
            repeat = key.isin(self._refused) & out.duplicated(["row", "column"], keep="first")
            out = out[~repeat.to_numpy()]
        return out.sort_values(["row", "column"], kind="stable", ignore_index=True)



#: The years a date may fall in: those of pandas' nanosecond timestamps (1677-09-21 to
#: 2262-04-11), in whole years, which the engine and the report rely on.
FIRST_YEAR, LAST_YEAR = 1678, 2261
FIRST_DAY = np.datetime64(f"{FIRST_YEAR}-01-01", "s")
LAST_DAY = np.datetime64(f"{LAST_YEAR}-12-31", "s")
RANGE_DETAIL = f"outside the years {FIRST_YEAR}-{LAST_YEAR} (the dates pandas can hold)"
