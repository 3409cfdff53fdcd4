"""Raw cells read as text, numbers and dates: the typed conversions the normaliser
(:mod:`casualties.schema`) runs on each column, with Arrow's kernels where the column is Arrow
text, and every cell that fails recorded in the failure table (:class:`casualties.columns.Failures`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from casualties.columns import (
    DATE_DTYPE,
    FIRST_DAY,
    FIRST_YEAR,
    LAST_DAY,
    LAST_YEAR,
    RANGE_DETAIL,
    STRING_DTYPE,
    Failures,
)
from casualties.errors import Reason
from casualties.hashing import sequence_hashes

__all__ = ["all_distinct", "arrow_text", "as_text", "blank", "out_of_range", "parse_guarded", "raw_column", "same_or_from_codes", "text_from_codes", "text_or_empty",
           "to_dates", "to_numbers", "verbatim"]


#: Bytes that may begin or end whitespace that Arrow's trim removes: ASCII whitespace, and every
#: byte of a character beyond ASCII (a lead byte at the start, a continuation byte at the end),
#: so that text beginning or ending with any non-ASCII character takes the exact path.
_MAY_START_SPACE = np.zeros(256, dtype=bool)
_MAY_START_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_MAY_END_SPACE = _MAY_START_SPACE.copy()
_MAY_START_SPACE[0xC0:] = True
_MAY_END_SPACE[0x80:0xC0] = True


def _layout(chunk: Any) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (int64, one more than the cells) and the bytes of an Arrow text chunk, read
    from its buffers without a copy of the text."""
    import pyarrow as pa

    n = len(chunk)
    width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    _, offsets, data = chunk.buffers()
    offsets = np.frombuffer(offsets, dtype=width, count=n + 1, offset=chunk.offset * np.dtype(width).itemsize).astype(np.int64, copy=False)
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    return offsets, data


def _is_text(chunk: Any) -> bool:
    import pyarrow as pa

    return pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)


def _plain_text(array: Any) -> tuple[bool, bool]:
    """Whether no cell of an Arrow text column begins or ends with whitespace (read from the first
    and last byte of each cell, without trimming a copy), and whether a cell is empty text.
    ``(False, ...)`` is "not sure": the caller trims."""
    import pyarrow as pa

    edges, empty = False, False
    for chunk in array.chunks if isinstance(array, pa.ChunkedArray) else [array]:
        n = len(chunk)
        if n == 0 or chunk.null_count == n:
            continue
        if not _is_text(chunk):
            return False, True
        offsets, data = _layout(chunk)
        length = offsets[1:] - offsets[:-1]
        some = length > 0
        if chunk.null_count:
            valid = chunk.is_valid().to_numpy(zero_copy_only=False)
            empty |= bool((valid & ~some).any())
            some &= valid
        else:
            empty |= not some.all()
        if not len(data):
            continue
        # the first and last byte of every cell (an empty cell reads a neighbour, masked out)
        first_bytes = np.take(data, offsets[:-1], mode="clip")
        last_bytes = np.take(data, offsets[1:] - 1, mode="clip")
        edges |= bool((some & (_MAY_START_SPACE[first_bytes] | _MAY_END_SPACE[last_bytes])).any())
        if edges:
            return False, empty
    return True, empty


#: Cells hashed at a time by :func:`all_distinct`: each pass's temporaries stay in cache.
_HASH_SLICE = 1 << 16


def _text_hashes(chunk: Any) -> np.ndarray:
    """A 64-bit hash of each cell of an Arrow text chunk (:func:`~casualties.hashing.sequence_hashes`
    of its bytes); equal text has equal hashes."""
    offsets, data = _layout(chunk)
    return sequence_hashes(data[offsets[0]:offsets[-1]], offsets[:-1] - offsets[0], offsets[1:] - offsets[:-1])


def all_distinct(series: pd.Series) -> bool:
    """Whether no value of a column repeats (missing values count as one value).

    On Arrow text, the cells are hashed to 64 bits in numpy first: distinct hashes prove the text
    distinct, and only when two hashes meet is the text itself compared (Arrow's hash table):
    10^6 ids in about 55 ms, against 150 ms for Arrow's hash table alone.
    """
    array = arrow_text(series)
    if array is None:
        return bool(series.is_unique)
    import pyarrow as pa

    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    if array.null_count == 0 and all(_is_text(chunk) for chunk in chunks):
        # slices of 2**16 cells keep each pass's temporaries in cache (10^6 ids: 39 ms, against
        # 72 ms in one slice); sorted hashes are distinct when no neighbours are equal
        hashes = np.sort(np.concatenate([np.zeros(0, dtype=np.uint64)] + [
            _text_hashes(chunk.slice(first, _HASH_SLICE)) for chunk in chunks for first in range(0, len(chunk), _HASH_SLICE)]))
        if not (hashes[1:] == hashes[:-1]).any():
            return True
    import pyarrow.compute as pc

    return len(pc.unique(array)) == len(array)


def blank(series: pd.Series) -> pd.Series:
    """True where a raw cell carries no value (NA, None, empty or blank text)."""
    array = arrow_text(series)
    if array is not None:
        import pyarrow.compute as pc

        plain, _ = _plain_text(array)
        stripped = array if plain else pc.utf8_trim_whitespace(array)
        blank = pc.or_kleene(pc.is_null(array), pc.equal(pc.binary_length(stripped), 0))
        return pd.Series(blank.to_numpy(zero_copy_only=False).astype(bool), index=series.index)
    missing = series.isna()
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        text = series.astype("str")
        missing |= text.str.strip().eq("")
    return missing


def as_text(series: pd.Series) -> pd.Series:
    """Raw cells as stripped text, NA where blank."""
    array = arrow_text(series)
    if array is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        # new text only where needed: a column already stripped and without empty cells (as a
        # file read by Arrow is) is returned as it is, without a copy
        plain, empty_text = _plain_text(array)
        if plain and not empty_text:
            return series
        trimmed = pc.utf8_trim_whitespace(array)
        empty = pc.equal(pc.binary_length(trimmed), 0)
        has_empty = pc.any(empty).as_py()
        if not has_empty and pc.all(pc.equal(trimmed, array)).as_py() is not False:
            return series
        if has_empty:
            trimmed = pc.if_else(empty, pa.scalar(None, pa.string()), trimmed)
        return pd.Series(pd.array(trimmed, dtype=STRING_DTYPE), index=series.index, copy=False)
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    out = series.astype("str").str.strip()
    return out.where(~blank(series))


def verbatim(series: pd.Series) -> pd.Series:
    """Raw cells as text exactly as given (free text is never stripped), NA where missing."""
    if isinstance(series.array, pd.arrays.ArrowStringArray):
        return series.astype(STRING_DTYPE)
    return series.astype(object).where(series.notna()).astype(STRING_DTYPE)


def text_or_empty(series: pd.Series) -> pd.Series:
    """Text with missing cells as empty text (the claims frame's free-text columns are never NA);
    Arrow's own fill where the column is Arrow text (no per-cell copy through Python)."""
    array = arrow_text(series)
    if array is not None:
        import pyarrow.compute as pc

        return pd.Series(pd.array(pc.fill_null(array, ""), dtype=STRING_DTYPE), index=series.index, copy=False)
    return series.fillna("").astype(STRING_DTYPE)


def arrow_text(series: pd.Series) -> Any:
    """The pyarrow array behind a text column (None when it has none): typed conversions on it
    run in Arrow's C++ instead of row by row."""
    if isinstance(series.array, pd.arrays.ArrowStringArray):
        return series.array.__arrow_array__()
    return None


def _arrow_to_pandas(array: Any, index: pd.Index) -> pd.Series:
    return pd.Series(array.to_numpy(zero_copy_only=False), index=index)


def raw_column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return text_from_codes([], np.full(len(frame), -1, dtype=np.int64), frame.index)


def same_or_from_codes(text: pd.Series, uniques: Any, values: list[Any], codes: np.ndarray) -> pd.Series:
    """``values`` (one per distinct value ``uniques`` of ``text``) spread over the rows: ``text``
    itself when every value maps to itself (names already canonical: no new column is built)."""
    if len(values) == len(uniques) and all(v == u for v, u in zip(values, uniques)) and pd.api.types.is_string_dtype(text.dtype):
        return text.astype(STRING_DTYPE)
    return text_from_codes(values, codes, text.index)


def text_from_codes(values: Any, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """A text column from distinct values (None: missing) and a code per row (-1: missing)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pandas without pyarrow
        table = np.array([*values, None], dtype=object)
        return pd.Series(table[codes], index=index, dtype=STRING_DTYPE)
    dictionary = pa.array([None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in values], type=pa.string())
    taken = pc.take(dictionary, pa.array(np.where(codes < 0, 0, codes), mask=codes < 0)) if len(dictionary) else pa.nulls(len(codes), pa.string())
    return pd.Series(pd.array(taken, dtype=STRING_DTYPE), index=index, copy=False)


# a date written with a time of day: the day as written is the date (its time zone does not move it)
_TIME_OF_DAY = r"^\s*(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?\s*$"
_YEAR_WRITTEN = r"^\s*([+-]?\d+)-\d{1,2}-\d{1,2}\s*$"


def _iso_dates(text: pd.Series) -> pd.Series:
    """ISO 8601 text to datetime64[s] (NaT where it does not parse), each odd value on its own."""
    try:
        parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        return parsed.astype(DATE_DTYPE)
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        # mixed time zones and the like fail the whole column in pandas: one value at a time
        values = {}
        for value in text.dropna().unique():
            try:
                stamp = pd.Timestamp(value)
                values[value] = np.datetime64(f"{stamp.year:04d}-{stamp.month:02d}-{stamp.day:02d}", "s")
            except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
                values[value] = np.datetime64("NaT", "s")
        return pd.Series(text.map(values).to_numpy(dtype="datetime64[s]"), index=text.index)


def _plain_days(text: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` text to datetime64[s] (NaT for anything else), in Arrow when it can."""
    array = arrow_text(text)
    if array is not None:
        import pyarrow.compute as pc

        return _arrow_to_pandas(pc.strptime(array, format="%Y-%m-%d", unit="s", error_is_null=True), text.index).astype(DATE_DTYPE)
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype(DATE_DTYPE)


def _odd_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates written otherwise than ``YYYY-MM-DD``: with a time of day (and a zone), in words
    ("June 5, 2017"), or out of range; the day (NaT where none) and whether it is out of range."""
    text = text.astype(object).str.replace(_TIME_OF_DAY, r"\1", regex=True)
    parsed = _iso_dates(text)
    year = pd.to_numeric(text.str.extract(_YEAR_WRITTEN, expand=False), errors="coerce")
    far = parsed.isna() & year.notna() & ((year < FIRST_YEAR) | (year > LAST_YEAR))
    # Dates like "June 5, 2017" or "5 June 2017": fall back to the vocabulary on the rest.
    retry = text.notna() & parsed.isna() & ~far
    if retry.any():
        from casualties.vocab import parse_periods

        periods = parse_guarded(parse_periods, text[retry])
        single = periods["error"].isna() & (periods["start"] == periods["end"])
        parsed.loc[single[single].index] = periods.loc[single, "start"].astype(DATE_DTYPE)
    return parsed, far


def out_of_range(dates: pd.Series) -> pd.Series:
    """True where a date lies outside :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""
    values = dates.to_numpy(dtype="datetime64[s]")
    return pd.Series((values < FIRST_DAY) | (values > LAST_DAY), index=dates.index) & dates.notna()


def to_dates(raw: pd.Series, column: str, failures: Failures) -> pd.Series:
    """Parse a date column (ISO strings, dates, timestamps) to datetime64[s] at midnight.

    A time of day is dropped (the day as written counts, whatever its time zone); a date outside
    :data:`FIRST_YEAR` to :data:`LAST_YEAR` is a failure (reason ``not_a_date``).
    """
    given = ~blank(raw)
    far = pd.Series(False, index=raw.index)
    if not given.any():  # an absent or empty column
        return pd.Series(np.full(len(raw), np.datetime64("NaT"), dtype=DATE_DTYPE), index=raw.index)
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        parsed = raw
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        parsed = parsed.astype(DATE_DTYPE)
    else:
        text = as_text(raw)
        parsed = _plain_days(text)
        rest = given & parsed.isna()  # anything but YYYY-MM-DD: times, zones, words (few rows, if any)
        if rest.any():
            parsed = parsed.copy()
            day, far_rest = _odd_dates(text[rest])
            parsed.loc[rest] = day.to_numpy()
            far.loc[rest] = far_rest.to_numpy()
    far |= out_of_range(parsed)
    parsed = parsed.mask(far).astype(DATE_DTYPE)
    days = parsed.to_numpy(dtype="datetime64[s]")
    if ((days != days.astype("datetime64[D]")) & ~np.isnat(days)).any():  # a time of day to drop
        parsed = parsed.dt.normalize()
    failures.add(far & given, column, raw, Reason.NOT_A_DATE, RANGE_DETAIL)
    failures.add(given & parsed.isna() & ~far, column, raw, Reason.NOT_A_DATE, "not a date (use YYYY-MM-DD)")
    return parsed


#: How a number column may say "no upper limit" (any case).
_INFINITE_WORDS = ("inf", "infinity", "∞", "+inf", "+infinity", "+∞")


def to_numbers(raw: pd.Series, column: str, failures: Failures) -> pd.Series:
    given = ~blank(raw)
    if pd.api.types.is_complex_dtype(raw.dtype):
        failures.add(given, column, raw, Reason.WRONG_TYPE, "a complex number is not a count")
        return pd.Series(np.nan, index=raw.index)
    numbers = None
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        numbers = raw.astype("float64")
    elif (array := arrow_text(raw)) is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        try:  # plain numbers ("21", "21.0", "inf"): one typed cast; blanks are null
            trimmed = pc.utf8_trim_whitespace(array)
            numbers = _arrow_to_pandas(pc.cast(pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed), pa.float64()),
                                       raw.index).astype("float64")
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            numbers = None  # thousands separators, "+∞"...: the general path below
    if numbers is None:
        text = as_text(raw).str.replace(",", "", regex=False)
        # "inf", "Infinity", "+∞"...: a set lookup (Arrow) rather than a case-blind regex,
        # which pandas runs in Python row by row
        text = text.mask(text.str.lower().isin(_INFINITE_WORDS), "inf")
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    failures.add(given & numbers.isna(), column, raw, Reason.NOT_A_NUMBER, "not a number")
    return numbers


def parse_guarded(parse: Any, text: pd.Series, *context: pd.Series, columns: tuple[str, ...] = ("start", "end")) -> pd.DataFrame:
    """``parse(text, *context)`` on a whole column (a vocabulary parser that returns a frame with an
    ``error`` column); should the parser itself fail, again cell by cell, so that a cell it cannot
    handle is that cell's failure and not the whole input's."""
    try:
        return parse(text, *context)
    except Exception:  # noqa: BLE001 - any parser failure becomes the failing cells' failure
        parts = []
        for label in text.index:
            try:
                parts.append(parse(text.loc[[label]], *(c.loc[[label]] for c in context)))
            except Exception as exc:  # noqa: BLE001
                parts.append(pd.DataFrame({"error": [f"cannot be read ({exc.__class__.__name__}: {exc})"]}, index=[label]))
        out = pd.concat(parts).reindex(index=text.index)
        for name in columns:
            if name not in out.columns:
                out[name] = np.nan
        for name in ("start", "end"):
            if name in out.columns:
                out[name] = pd.to_datetime(out[name], errors="coerce").astype(DATE_DTYPE)
        for name in ("low", "best", "high"):
            if name in out.columns:
                out[name] = pd.to_numeric(out[name], errors="coerce").astype("float64")
        return out
