"""The record boundary: Python values (lists of places, dates, numpy scalars, bytes, fractions)
to the text, numbers and dates the normaliser reads, and records (or a frame) to one frame, every
foreign value that cannot be read becoming a failing cell that names its row and column.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from casualties.columns import DTYPES, FIRST_YEAR, INPUT_COLUMNS, LAST_YEAR, RANGE_DETAIL, Failures
from casualties.errors import Reason, RecordsError

__all__ = ["MULTI_VALUED", "RECORD", "clean", "frame_of", "shown", "stray_failures"]

# -- the boundary: Python values to text, numbers and dates ------------------------------------------
#: Columns whose cell may hold several ids: a list, tuple or set of names is their union (joined by
#: ``|``), as ``"Iraq and Syria"`` is.
MULTI_VALUED = ("place", "perpetrator")
DATE_INPUTS = ("reported_on", "start", "end", "date")
NUMBER_INPUTS = ("low", "best", "high")
#: Columns of numbers that are no counts (degrees): read like counts at the boundary.
COORDINATE_INPUTS = ("latitude", "longitude")
#: The ``column`` of a failure that concerns a whole record (one that is not a mapping at all).
RECORD = "(record)"
# A refused cell is replaced by this text: no parser reads it and the failure table keeps only the
# reason it was refused (see Failures.refuse).
REFUSED = "\x00"
_MISSING = object()


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return False


def _text_cell(value: Any, many: bool = False) -> tuple[Any, str | None]:
    """A cell of a text column as str, or why it cannot be."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return None, "text that is not valid Unicode (it holds a lone surrogate)"
        return value, None
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode("utf-8"), None
        except UnicodeDecodeError:
            return None, "bytes that are not UTF-8 text"
    if isinstance(value, (list, tuple, set, frozenset)):
        if not many:
            return None, f"a {type(value).__name__} is not text (only {' and '.join(MULTI_VALUED)} take several values)"
        names = []
        for item in value:
            if _is_missing(item):
                continue
            if isinstance(item, (list, tuple, set, frozenset, Mapping)):
                return None, f"a {type(item).__name__} inside a {type(value).__name__} is not a name"
            text, problem = _text_cell(item)
            if problem:
                return None, problem
            if text.strip():
                names.append(text.strip())
        if not names:
            return _MISSING, None
        return "|".join(sorted(names) if isinstance(value, (set, frozenset)) else names), None
    if isinstance(value, np.generic):
        return _text_cell(value.item(), many)
    if isinstance(value, (numbers.Number, dt.date, dt.time)):
        return str(value), None
    return None, f"a {type(value).__name__} is not text"


def _date_cell(value: Any) -> tuple[Any, str | None]:
    """A cell of a date column as text YYYY-MM-DD (or text to parse), or why it cannot be."""
    if isinstance(value, np.datetime64):
        year = int(value.astype("datetime64[Y]").astype(np.int64)) + 1970
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return None, f"year {year} is {RANGE_DETAIL}"
        return str(np.datetime_as_string(value, unit="D")), None
    if isinstance(value, dt.date):  # also datetime and Timestamp: the day as written, in its own time zone
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            return None, f"year {value.year} is {RANGE_DETAIL}"
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}", None
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return _text_cell(value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value)), None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    return None, f"a {type(value).__name__} is not a date (use YYYY-MM-DD text, a date or a datetime)"


def _number_cell(value: Any, words: bool) -> tuple[Any, str | None]:
    """A cell of a count column as a float (or text to parse), or why it cannot be."""
    if isinstance(value, np.generic) and not isinstance(value, (np.bool_, np.complexfloating)):
        value = value.item()
    if isinstance(value, (bool, np.bool_)):
        return None, f"{value} is not a number"
    if isinstance(value, (complex, np.complexfloating)):
        return None, "a complex number is not a count"
    if isinstance(value, numbers.Integral):
        if words:
            return str(int(value)), None
        try:
            return float(value), None
        except OverflowError:
            return None, "a number too large for a count"
    if isinstance(value, (numbers.Real, decimal.Decimal)):
        try:
            number = float(value)
        except (OverflowError, ValueError):
            return None, "a number too large for a count"
        if words:
            return (str(int(number)) if number.is_integer() else ("inf" if number == np.inf else repr(number))), None
        return number, None
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return _text_cell(value)
    return None, f"a {type(value).__name__} is not a number"


def _cell_reader(name: str) -> Any:
    if name in DATE_INPUTS:
        return _date_cell
    if name in NUMBER_INPUTS or name in COORDINATE_INPUTS:
        return lambda v: _number_cell(v, words=False)
    if name == "count":
        return lambda v: _number_cell(v, words=True)
    many = name in MULTI_VALUED
    return lambda v: _text_cell(v, many)


def shown(value: Any) -> Any:
    """A value fit for the failure table: text that cannot be written (a lone surrogate) escaped."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _plain_text(series: pd.Series) -> bool:
    """True when an object column holds only valid text and missing values (the common case)."""
    if pd.api.types.infer_dtype(series, skipna=True) not in ("string", "empty"):
        return False
    try:
        "".join(series[series.notna()].tolist()).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean(frame: pd.DataFrame, failures: Failures) -> pd.DataFrame:
    """Turn the Python values of the schema's and input columns into text, numbers and dates.

    Lists, tuples and sets of names in :data:`MULTI_VALUED` columns become ``a|b``; ``datetime``,
    ``date``, ``Timestamp`` and ``numpy.datetime64`` become their day; numpy scalars, ``Decimal``
    and ``Fraction`` become numbers. A cell that cannot be read (bytes that are not UTF-8, a lone
    surrogate, a complex number, a date outside :data:`FIRST_YEAR`-:data:`LAST_YEAR`, an object of
    another type) is a failure of that cell (``wrong_type``, or ``not_a_date``), never an exception.
    """
    for name in frame.columns:
        if name not in DTYPES and name not in INPUT_COLUMNS:
            continue  # other columns are kept as given
        series = frame[name]
        if series.dtype != object or _plain_text(series):
            continue
        read = _cell_reader(name)
        values = series.to_numpy(dtype=object)
        cleaned = np.empty(len(values), dtype=object)
        refused: list[int] = []
        details: list[str] = []
        reasons: list[Reason] = []
        for i, value in enumerate(values):
            if _is_missing(value):
                cleaned[i] = None
                continue
            result, problem = read(value)
            if problem is None:
                cleaned[i] = None if result is _MISSING else result
                continue
            cleaned[i] = REFUSED
            refused.append(i)
            details.append(problem)
            reasons.append(Reason.NOT_A_DATE if RANGE_DETAIL in problem else Reason.WRONG_TYPE)
        failures.given[name] = pd.Series([shown(v) for v in values], index=frame.index, dtype=object)
        labels = frame.index[refused]
        for reason in set(reasons):
            mask = pd.Series(False, index=frame.index)
            chosen = [label for label, r in zip(labels, reasons) if r is reason]
            mask.loc[chosen] = True
            detail = pd.Series([d for d, r in zip(details, reasons) if r is reason], index=chosen, dtype=object)
            failures.add(mask, name, series, reason, detail.reindex(frame.index))
        failures.refuse(labels, name)
        frame[name] = pd.Series(cleaned, index=frame.index, dtype=object)
    return frame


def frame_of(records: Any) -> tuple[pd.DataFrame, dict[int, Any]]:
    """The records as a frame of object columns (index: input position), and the items that are
    not records at all (position -> item)."""
    if isinstance(records, pd.DataFrame):
        if isinstance(records.columns, pd.MultiIndex):
            raise RecordsError("a DataFrame with MultiIndex columns", "flatten its columns to the names of docs/schema.md first")
        names = [str(c) for c in records.columns]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise RecordsError("a DataFrame with repeated columns", f"the columns {repeated} appear more than once")
        frame = records.copy(deep=False)  # copy-on-write: the caller's frame is never changed
        frame.columns = names
        frame.index = pd.RangeIndex(len(frame))
        return frame, {}
    if isinstance(records, (str, bytes, bytearray, Mapping, pd.Series)):
        what = "one record (a mapping)" if isinstance(records, Mapping) else f"an object of type {type(records).__name__}"
        raise RecordsError(what, "records are a list (or any iterable) of mappings, or a DataFrame")
    try:
        items = list(records)
    except TypeError:
        raise RecordsError(f"an object of type {type(records).__name__}", "records are a list (or any iterable) of mappings, or a DataFrame") from None
    columns: dict[str, list[Any]] = {}
    strays: dict[int, Any] = {}
    n = len(items)
    for i, item in enumerate(items):
        if isinstance(item, pd.Series):
            item = item.to_dict()
        if not isinstance(item, Mapping):
            strays[i] = item
            continue
        keys = [key if isinstance(key, str) else str(key) for key in item]
        if not all(_text_cell(key)[1] is None for key in keys):
            strays[i] = item
            continue
        for key, value in zip(keys, item.values()):
            column = columns.get(key)
            if column is None:
                column = columns[key] = [None] * n
            column[i] = value
    frame = pd.DataFrame({key: pd.Series(values, dtype=object) for key, values in columns.items()}, index=pd.RangeIndex(n))
    return frame, strays


def stray_failures(strays: dict[int, Any]) -> pd.DataFrame:
    detail = [
        f"a record is a mapping of column names to values, not an object of type {type(item).__name__}" if not isinstance(item, Mapping)
        else "a column name that is not valid Unicode text" for item in strays.values()
    ]
    return pd.DataFrame({"row": np.array(list(strays), dtype=np.int64), "column": RECORD,
                         "value": pd.Series([shown(v) for v in strays.values()], dtype=object),
                         "reason": Reason.WRONG_TYPE.value, "detail": pd.Series(detail, dtype=object)})


