"""Reading and writing claim files: CSV, JSON and Parquet.

The format follows the file name: ``.csv`` (optionally compressed, ``.csv.gz``), ``.json`` (a list
of records) or ``.parquet`` (needs the ``parquet`` extra). Round trips are lossless for every
column of the claims frame: multi-valued places (``IQ|SY``), ``inf`` for "at least", dates,
categories and empty texts. The frame's index (input positions) is not written: a file read back
is numbered from 0.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from casualties.errors import (
    ClaimError,
    ClaimFileError,
    OptionalDependencyError,
    OptionError,
    RecordsError,
)
from casualties.schema import COLUMN_NAMES, STRING_DTYPE

__all__ = ["BUNDLED", "FORMATS", "bundled_claims", "file_format", "read_claims", "write_claims"]

#: File formats :func:`read_claims` and :func:`write_claims` know, by file suffix.
FORMATS = ("csv", "json", "parquet")
_DATE_COLUMNS = ("reported_on", "start", "end")
_COUNT_COLUMNS = ("low", "best", "high")
#: Bytes of CSV per block of Arrow's reader: a column comes in one chunk per block, and every chunk
#: costs a pass of Python later (10^6 claims, 129 MiB: 1 MiB blocks read in 0.44 s into 129 chunks,
#: 8 MiB in 0.40 s into 17).
_BLOCK_SIZE = 8 << 20
_DEGREE_COLUMNS = ("latitude", "longitude")


def file_format(path: Path) -> str:
    """The claim-file format a path names by its suffix (one of :data:`FORMATS`; ``.gz`` looked
    through).

    Raises
    ------
    ClaimFileError
        When no suffix names a format.
    """
    suffixes = [s.lower() for s in path.suffixes]
    for suffix in reversed(suffixes):
        if suffix.lstrip(".") in FORMATS:
            return suffix.lstrip(".")
    raise ClaimFileError(path, f"unknown file format {''.join(suffixes) or '(no suffix)'!r}; use .csv, .json or .parquet")


def _read_raw(path: Path) -> pd.DataFrame | list[Any]:
    """The file's records: a frame of text (CSV), a list of records (JSON) or a typed frame (Parquet)."""
    fmt = file_format(path)
    if fmt == "csv":
        fast = _read_csv_arrow(path)
        if fast is not None:
            return fast
        # Everything as text: "NA" is Namibia, not a missing value; the normaliser does the typing.
        # Blank lines are kept while reading so that they count in the row numbers (a row is
        # numbered as a spreadsheet shows it, less 2), then dropped: a blank line is no record.
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], skip_blank_lines=False)
        blank = frame.isna().all(axis=1) if len(frame.columns) else pd.Series(True, index=frame.index)
        return frame[~blank.to_numpy()] if blank.any() else frame
    if fmt == "json":
        with _open_text(path) as handle:
            data = json.load(handle)
        if isinstance(data, dict) and "claims" in data:
            data = data["claims"]
        if not isinstance(data, list):
            raise ClaimFileError(path, "a JSON claim file holds a list of records (objects)")
        return data  # an item that is not an object is a failing row, not a failing file
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise OptionalDependencyError("pyarrow", "parquet") from exc
    return pd.read_parquet(path).reset_index(drop=True)  # a stored index is not the row numbers


def _read_csv_arrow(path: Path) -> pd.DataFrame | None:
    """A plain ``.csv`` file read by Arrow, as ``pandas.read_csv(dtype=str)`` would read it
    ("NA" kept as text, empty cells missing, blank lines kept as rows of missing cells so that
    they count in the row numbers) but several times faster; None when Arrow cannot stand in for
    pandas here (no pyarrow, compressed, ragged rows, repeated or empty column names, text that
    is not UTF-8), so that the pandas reader decides.

    Counts, coordinates and dates are read typed (floats, days) when every cell of their column is a plain
    number or ``YYYY-MM-DD`` date, as a file written by :func:`write_claims` is; otherwise the
    whole file is read as text and the normaliser reads the words.
    """
    if path.suffix.lower() != ".csv":
        return None
    try:
        import pyarrow as pa
        import pyarrow.csv as pcsv
    except ImportError:
        return None
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    if not header or len(set(header)) != len(header) or "" in header:
        return None
    typed = {name: pa.float64() for name in (*_COUNT_COLUMNS, *_DEGREE_COLUMNS) if name in header}
    typed |= {name: pa.date32() for name in (*_DATE_COLUMNS, "date") if name in header}
    quoted = _holds_quotes(path)
    table = None
    for types in (typed, {}) if typed else ({},):
        try:
            table = pcsv.read_csv(
                path,
                # threads pay off from two cores (10^6 claims on two quiet cores: 0.39 s against
                # 0.55-0.62 s for one thread; on a loaded machine about the same either way)
                read_options=pcsv.ReadOptions(use_threads=(os.cpu_count() or 1) >= 2, block_size=_BLOCK_SIZE),
                parse_options=pcsv.ParseOptions(newlines_in_values=quoted, ignore_empty_lines=False),
                convert_options=pcsv.ConvertOptions(
                    column_types={name: types.get(name, pa.string()) for name in header},
                    null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True, timestamp_parsers=["%Y-%m-%d"],
                ),
            )
            break
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue  # a count or a date in words: read every column as text; ragged rows: let pandas say
        except (pa.ArrowException, OSError):
            return None
    if table is None or table.column_names != header:
        return None
    columns = {}
    nulls_everywhere = all(column.null_count for column in table.columns)
    for name in header:
        column = table.column(name)
        if pa.types.is_string(column.type):
            columns[name] = pd.Series(pd.array(column, dtype=STRING_DTYPE), copy=False)
        elif pa.types.is_date(column.type):
            columns[name] = pd.Series(column.to_numpy().astype("datetime64[s]"), copy=False)
        else:
            columns[name] = pd.Series(column.to_numpy(), copy=False)
    del table
    frame = pd.DataFrame(columns, copy=False)
    if not nulls_everywhere:  # a column without an empty cell: no row is blank
        return frame
    blank = frame.isna().all(axis=1)  # blank lines and rows of empty cells (",,,"): no record
    return frame[~blank.to_numpy()] if blank.any() else frame


def _holds_quotes(path: Path) -> bool:
    """Whether a file holds a double quote anywhere (one ``memchr`` over the mapped file: 19 ms for
    129 MiB). Only a quoted value can hold a line break, so without a quote Arrow may cut the file
    into blocks at any line break (10^6 claims: 0.28 s against 0.39 s when it must follow quotes)."""
    import mmap

    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return mapped.find(b'"') >= 0


def _open_text(path: Path):  # noqa: ANN202 - a text handle, compressed or not
    if path.suffix.lower() == ".gz":
        import gzip

        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def _unreadable(path: Path, exc: BaseException) -> ClaimFileError:
    """Why a file cannot be read, in one sentence naming the file."""
    if isinstance(exc, FileNotFoundError):
        return ClaimFileError(path, "no such file")
    if isinstance(exc, IsADirectoryError):
        return ClaimFileError(path, "is a folder, not a claim file")
    if isinstance(exc, PermissionError):
        return ClaimFileError(path, "cannot be read (permission denied)")
    if isinstance(exc, EOFError) or "zlib" in type(exc).__module__ or type(exc).__name__ == "BadGzipFile":
        return ClaimFileError(path, f"is a truncated or corrupt compressed file ({exc})")
    if isinstance(exc, RecursionError):
        return ClaimFileError(path, "holds JSON nested too deeply to be claims")
    if isinstance(exc, UnicodeError):
        return ClaimFileError(path, f"is not UTF-8 text ({exc})")
    if isinstance(exc, MemoryError):
        return ClaimFileError(path, "is too large to read into memory")
    fmt = file_format(path).upper()
    return ClaimFileError(path, f"is not a readable {fmt} file ({exc.__class__.__name__}: {exc})")


def read_claims(
    path: str | os.PathLike[str],
    *,
    errors: Literal["raise", "collect"] = "raise",
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read a claim file into a validated claims frame.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.csv.gz``, ``.json`` (``.json.gz``) or ``.parquet`` file. It needs only the
        columns that carry meaning (source, dates or a period, place, a count); see
        ``docs/schema.md``.
    errors : {"raise", "collect"}
        As in :func:`~casualties.schema.claims_from_records`.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)
        The claims (index: the record's row, see below), and with ``errors="collect"`` the failure
        table (``row, column, value, reason, detail``). Every record of the file is in one of them.

    Raises
    ------
    ClaimFileError
        When the file is missing, unreadable (truncated, not UTF-8, malformed, nested too deeply)
        or of an unknown format.
    ClaimError
        With ``errors="raise"``, when any cell fails; the message names the file.

    Notes
    -----
    Rows are numbered from 0 in the order of the records. In a CSV file, row ``r`` is the one a
    spreadsheet shows as row ``r + 2`` (the header is row 1): blank lines count as rows although
    they are no record (they are skipped), and a line break inside quotes does not start a row.
    """
    from casualties.cells import frame_of as _frame_of
    from casualties.cells import stray_failures as _stray_failures
    from casualties.schema import _normalize_guarded

    if errors not in ("raise", "collect"):
        raise OptionError("errors", errors, ("raise", "collect"))
    if not isinstance(path, (str, os.PathLike)):
        raise OptionError("path", path, reason="a claim file is named by a str or a path")
    path = Path(path)
    try:
        raw = _read_raw(path)
    except (ClaimFileError, OptionalDependencyError):
        raise
    except Exception as exc:  # the boundary: whatever the readers raise names the file
        raise _unreadable(path, exc) from exc
    try:
        frame, strays = _frame_of(raw)
    except RecordsError as exc:
        raise ClaimFileError(path, f"does not hold claim records ({exc.reason})") from None
    if isinstance(raw, pd.DataFrame):
        frame.index = raw.index  # the rows as numbered in the file (blank lines counted)
    if strays:
        frame = frame.drop(index=list(strays))
    claims, failures = _normalize_guarded(frame)
    if strays:
        failures = pd.concat([failures, _stray_failures(strays)], ignore_index=True).sort_values(["row", "column"], kind="stable", ignore_index=True)
    if errors == "collect":
        return claims, failures
    if len(failures):
        raise ClaimError(failures, f"{path}: {len(failures)} invalid cell(s)")
    return claims


def _for_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with dates as YYYY-MM-DD text and counts as numbers ("inf" kept as text)."""
    out = frame.copy()
    for name in _DATE_COLUMNS:
        if name in out.columns:
            out[name] = out[name].dt.strftime("%Y-%m-%d")
    return out


def write_claims(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a claims frame to a file that :func:`read_claims` reads back unchanged.

    Parameters
    ----------
    frame : pandas.DataFrame
        A claims frame (validated first; an invalid frame raises ``ClaimError``).
    path : str or path-like
        Target file; the format follows its suffix (``.csv``, ``.csv.gz``, ``.json``,
        ``.parquet``).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    from casualties.schema import validate

    path = Path(path)
    fmt = file_format(path)
    frame = validate(frame)
    columns = list(COLUMN_NAMES) + [c for c in frame.columns if c not in COLUMN_NAMES]
    frame = frame[columns]
    try:
        if fmt == "csv":
            text = _for_text(frame)
            # A bare carriage return in a cell must be quoted, which csv's minimal quoting does
            # not do (it quotes only the line terminator "\n"): then every text cell is quoted.
            texts = [c for c in text.columns if text[c].dtype == object or pd.api.types.is_string_dtype(text[c].dtype)]
            has_cr = any(text[c].astype(str).str.contains("\r", regex=False).any() for c in texts)
            text.to_csv(path, index=False, quoting=csv.QUOTE_NONNUMERIC if has_cr else csv.QUOTE_MINIMAL)
        elif fmt == "json":
            text = _for_text(frame)
            records = text.astype(object).where(text.notna(), None)
            for name in _COUNT_COLUMNS:
                values = frame[name].to_numpy()
                records[name] = np.where(np.isinf(values), "inf", values.astype(object))
            data: list[dict[str, Any]] = records.to_dict(orient="records")
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=1, default=str)
                handle.write("\n")
        else:
            try:
                import pyarrow  # noqa: F401
            except ImportError as exc:
                raise OptionalDependencyError("pyarrow", "parquet") from exc
            frame.reset_index(drop=True).to_parquet(path, index=False)
    except OSError as exc:
        raise ClaimFileError(path, f"cannot be written ({exc})") from exc
    return path


#: The claim files bundled with the package (``data/<name>.csv``).
BUNDLED = ("raqqa-2017-06-06",)


def bundled_claims(name: str = "raqqa-2017-06-06") -> pd.DataFrame:
    """Read a claim file bundled with the package.

    Parameters
    ----------
    name : str
        One of :data:`BUNDLED`; ``"raqqa-2017-06-06"`` holds every figure of the seed article
        (TRT World, 6 June 2017, on the battle for Raqqa).

    Returns
    -------
    pandas.DataFrame
        The validated claims.
    """
    from casualties._resources import data_path

    if name not in BUNDLED:
        raise ClaimFileError(name, f"no bundled claim file of that name; choose from {', '.join(BUNDLED)}")
    result = read_claims(data_path(f"{name}.csv"))
    assert isinstance(result, pd.DataFrame)
    return result
