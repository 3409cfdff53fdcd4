"""What every adapter shares: reading a file as text, the unmapped table, building and returning.

An adapter turns the rows of an outside dataset into *records* (loose claims, one or several per
input row), normalises them with :func:`casualties.schema.claims_from_records`, and returns the
claims indexed by the input row each came from. Whatever it could not map goes into the
**unmapped table**, which has the columns of the failure table (``row, column, value, reason,
detail``: ``row`` and ``column`` are the input file's, not the claims frame's). See
``docs/adapters.md``.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import Any, Literal, Sequence, TypeAlias, Union

import numpy as np
import pandas as pd

from casualties.errors import FAILURE_COLUMNS, CasualtiesWarning, ClaimError, ClaimFileError, OptionError, Reason, UnknownNameWarning

__all__ = ["Errors", "UnmappedWarning", "Source"]

#: How an adapter reports what it could not map: ``"warn"`` (one :class:`UnmappedWarning`),
#: ``"collect"`` (return ``(claims, unmapped)``) or ``"raise"`` (:class:`~casualties.ClaimError`).
Errors = Literal["warn", "collect", "raise"]
#: A file path, or a table already read (every cell is then read as text).
Source: TypeAlias = Union[str, "os.PathLike[str]", pd.DataFrame]


class UnmappedWarning(CasualtiesWarning):
    """Some input of an adapter could not be mapped as given (issued once per call).

    Attributes
    ----------
    reader : str
        The adapter ("read_airwars", ...).
    unmapped : pandas.DataFrame
        The unmapped table (``row, column, value, reason, detail``).
    n_rows : int
        Rows in the input.
    n_claims : int
        Claims returned.
    n_rows_without : int
        Input rows that gave no claim (by rule, or because something failed).
    """

    def __init__(self, reader: str, unmapped: pd.DataFrame, n_rows: int, n_claims: int, n_rows_without: int) -> None:
        self.reader = reader
        self.unmapped = unmapped
        self.n_rows = n_rows
        self.n_claims = n_claims
        self.n_rows_without = n_rows_without
        counts = unmapped["reason"].value_counts()
        reasons = ", ".join(f"{reason} {count:,}" for reason, count in counts.items())
        super().__init__(
            f"{reader}: {n_rows:,} rows gave {n_claims:,} claims ({n_rows_without:,} rows none, by rule or failure); "
            f"{len(unmapped):,} cells were not mapped as given ({reasons}). Pass errors='collect' to get the table."
        )


def read_table(path: Any, reader: str, required: Sequence[str]) -> tuple[pd.DataFrame, str]:
    """Read a CSV file (or take a frame) as text: every cell a stripped str, blanks as ``""``.

    Returns the table (``RangeIndex``: row ``i`` is line ``i + 2`` of the file) and a label for
    messages. Raises :class:`ClaimFileError` for an unreadable file or missing columns.
    """
    if isinstance(path, pd.DataFrame):
        raw, label = path.copy(), "<frame>"
        raw = raw.astype(object).where(raw.notna(), "").astype(str)
    else:
        label = os.fspath(path)
        try:
            raw = pd.read_csv(Path(path), dtype=str, keep_default_na=False, na_values=[], encoding="utf-8")
        except FileNotFoundError as exc:
            raise ClaimFileError(label, "no such file") from exc
        except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise ClaimFileError(label, f"cannot be read as CSV ({exc.__class__.__name__}: {exc})") from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    raw = raw.reset_index(drop=True)
    for column in raw.columns:
        raw[column] = raw[column].astype(str).str.strip()
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise ClaimFileError(label, f"not a table {reader} reads: it lacks the columns {missing}")
    return raw, label


def column(raw: pd.DataFrame, name: str) -> pd.Series:
    """A column as text, or blanks when the table lacks it (optional columns)."""
    if name in raw.columns:
        return raw[name]
    return pd.Series("", index=raw.index, dtype=str)


def join_text(*parts: pd.Series, sep: str = "; ") -> pd.Series:
    """Join text columns row by row, skipping blanks (vectorised)."""
    out: pd.Series | None = None
    for part in parts:
        part = part.fillna("").astype(str)
        if out is None:
            out = part
            continue
        both = out.ne("") & part.ne("")
        out = (out + np.where(both, sep, "") + part).astype(str)
    assert out is not None
    return out


# The type word datasets append to a first-order division ("Hims governorate"): dropped before a
# fuzzy match, where it would make any two governorates look alike ("Atlantis governorate" is not
# "Tartus governorate").
_TYPE_WORD = re.compile(r"\s+(?:governorate|province|muhafazah|district|region)$", re.IGNORECASE)


def resolve_divisions(values: pd.Series, country: str, fuzzy_cutoff: float | None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Resolve a column of governorates (first-order divisions) of one country.

    Each distinct value is resolved once by :func:`casualties.places.resolve_governorates`
    exactly; only the values that fail are tried again fuzzily (``fuzzy_cutoff``), without their
    trailing type word.

    Returns
    -------
    ids : pandas.Series
        Place ids joined by ``|``; missing for blanks and failures.
    fuzzy : pandas.Series of bool
        True where the id came from a fuzzy match (the caller names it in ``note``).
    problems : pandas.Series
        Why each non-blank failing value failed; missing elsewhere.
    """
    from casualties.places import resolve_governorates

    given = values.where(values.ne(""))
    ids, problems = resolve_governorates(given, country)
    ids, problems = ids.astype(object), problems.astype(object)
    fuzzy = pd.Series(False, index=values.index)
    failed = problems.notna()
    if fuzzy_cutoff is not None and failed.any():
        stripped = given[failed].str.replace(_TYPE_WORD, "", regex=True)
        close, _ = resolve_governorates(stripped, country, fuzzy_cutoff=fuzzy_cutoff)
        found = close.notna()
        ids[found[found].index] = close[found]
        problems[found[found].index] = np.nan
        fuzzy[found[found].index] = True
    return ids, fuzzy, problems


def numbers(text: pd.Series) -> pd.Series:
    """Text to float64 ("1,234" is 1234); blanks and non-numbers are NaN (check with ``text``)."""
    return pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce").astype("float64")


def coordinates(raw: pd.DataFrame, unmapped: Unmapped, latitude: str = "latitude",
                longitude: str = "longitude") -> tuple[pd.Series, pd.Series]:
    """The input's coordinates checked as the claims frame checks them.

    Returns latitude and longitude as float64 [degrees, WGS84], missing where blank or bad. A bad
    pair (not a number, out of range, one without the other, (0, 0)) is reported in
    ``unmapped`` under the input's column names and left missing: the claims are made without it.
    """
    from casualties.coordinates import read_coordinates

    given = {"latitude": (latitude, column(raw, latitude)), "longitude": (longitude, column(raw, longitude))}
    degrees_north, degrees_east, problems = read_coordinates(given["latitude"][1], given["longitude"][1])
    for problem in problems:
        name, text = given[problem.column]
        unmapped.add(problem.mask, name, text, problem.reason, problem.detail + ": the claims are made without coordinates")
    return degrees_north, degrees_east


def parse_dates(text: pd.Series, formats: Sequence[str] = ("ISO8601",)) -> pd.Series:
    """Parse each distinct text once, trying ``formats`` in turn; NaT where none fits.

    Times of day are dropped (a GED ``2017-01-01 00:00:00.000`` is that day).
    """
    codes, uniques = pd.factorize(text.where(text.ne("")), use_na_sentinel=True)
    parsed = pd.Series(pd.NaT, index=range(len(uniques)), dtype="datetime64[s]")
    todo = pd.Series(uniques, dtype=object)
    for fmt in formats:
        missing = parsed.isna().to_numpy()
        if not missing.any():
            break
        attempt = pd.to_datetime(todo[missing], format=fmt, errors="coerce")
        parsed[missing] = attempt.dt.normalize().astype("datetime64[s]").to_numpy()
    values = np.append(parsed.to_numpy(), np.datetime64("NaT", "s"))
    return pd.Series(values[codes], index=text.index, dtype="datetime64[s]")


class Unmapped:
    """Collects unmapped cells as small frames and concatenates them once."""

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []

    def add(self, mask: pd.Series | np.ndarray, column: str, value: pd.Series, reason: Reason, detail: Any) -> None:
        """Add one entry per true row of ``mask`` (aligned on the input table's index)."""
        mask = pd.Series(np.asarray(mask, dtype=bool), index=value.index)
        if not mask.any():
            return
        rows = value.index[mask.to_numpy()]
        details = detail[mask] if isinstance(detail, pd.Series) else pd.Series(detail, index=rows)
        self._parts.append(pd.DataFrame({
            "row": np.asarray(rows, dtype=np.int64),
            "column": column,
            "value": value[mask].astype(object).to_numpy(),
            "reason": reason.value,
            "detail": details.astype(object).to_numpy(),
        }))

    def extend(self, table: pd.DataFrame) -> None:
        """Add entries already in the table's shape."""
        if len(table):
            self._parts.append(table[list(FAILURE_COLUMNS)])

    def frame(self) -> pd.DataFrame:
        """The unmapped table, sorted by row and column."""
        if not self._parts:
            return pd.DataFrame({c: pd.Series([], dtype="int64" if c == "row" else object) for c in FAILURE_COLUMNS})
        out = pd.concat(self._parts, ignore_index=True)
        out["row"] = out["row"].astype("int64")
        return out.sort_values(["row", "column"], kind="stable", ignore_index=True)


def build(records: pd.DataFrame, raw: pd.DataFrame, unmapped: Unmapped, quiet_sources: Sequence[str] = ()) -> pd.DataFrame:
    """Normalise records into claims indexed by the input row they came from.

    Parameters
    ----------
    records : pandas.DataFrame
        Loose claims (schema and input columns) plus bookkeeping: ``_row``, the input row of each
        record, and ``_col_<name>``, the input column behind claim column ``<name>`` (so that a
        failure is reported in the input's terms, with the raw value).
    raw : pandas.DataFrame
        The input table (text).
    unmapped : Unmapped
        Receives the failures, translated to input rows, columns and values.
    quiet_sources : sequence of str
        Source names the adapter sets on purpose although ``data/sources.csv`` lacks them: no
        :class:`~casualties.UnknownNameWarning` for them.
    """
    from casualties.schema import claims_from_records, empty_claims

    if not len(records):
        return empty_claims()
    records = records.reset_index(drop=True)
    origin = records["_row"].to_numpy(dtype=np.int64)
    mapping = records[[c for c in records.columns if c.startswith("_col_")]]
    loose = records.drop(columns=["_row", *mapping.columns])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnknownNameWarning)
        claims, failures = claims_from_records(loose, errors="collect")
    for warning in caught:
        message = warning.message
        if isinstance(message, UnknownNameWarning):
            names = tuple(n for n in message.names if n not in quiet_sources)
            if names:
                warnings.warn(UnknownNameWarning(names, message.vocabulary), stacklevel=3)
        else:  # pragma: no cover - anything else is passed on as it came
            warnings.warn_explicit(message, warning.category, warning.filename, warning.lineno)
    if len(failures):
        position = failures["row"].to_numpy()
        rows = origin[position]
        input_columns: list[str] = []
        values: list[Any] = []
        for p, row, name, value in zip(position, rows, failures["column"], failures["value"]):
            source_column = mapping.at[p, f"_col_{name}"] if f"_col_{name}" in mapping.columns else None
            if isinstance(source_column, str) and source_column in raw.columns:
                input_columns.append(source_column)
                values.append(raw.at[row, source_column])
            else:
                input_columns.append(str(name))
                values.append(value)
        dropped = loose["claim_id"].to_numpy()[position]
        unmapped.extend(pd.DataFrame({
            "row": rows,
            "column": input_columns,
            "value": values,
            "reason": failures["reason"].to_numpy(),
            "detail": [f"{d}: claim {c} not made" for d, c in zip(failures["detail"], dropped)],
        }))
    claims.index = pd.Index(origin[claims.index.to_numpy()], name="row")
    return claims


def finish(
    reader: str,
    claims: pd.DataFrame,
    unmapped: Unmapped,
    n_rows: int,
    errors: str,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Return as ``errors`` asks: the claims (warning once), ``(claims, unmapped)``, or raise."""
    table = unmapped.frame()
    if errors == "collect":
        return claims, table
    if len(table):
        if errors == "raise":
            raise ClaimError(table, f"{reader}: {len(table):,} cells could not be mapped as given")
        without = n_rows - claims.index.nunique()
        warnings.warn(UnmappedWarning(reader, table, n_rows, len(claims), without), stacklevel=3)
    return claims


def check_errors(errors: str) -> None:
    """Reject an unknown ``errors`` value early."""
    if errors not in ("warn", "collect", "raise"):
        raise OptionError("errors", errors, ("warn", "collect", "raise"))


def concat_records(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate record frames, skipping empty ones."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True)
