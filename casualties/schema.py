"""The claims frame: its columns, dtypes, defaults and invariants, and the normaliser.

One row per claim: one source's statement of how many people of one kind were killed (or
injured) in one scope. Every column is described in ``docs/schema.md`` and in :data:`COLUMNS`.

The normaliser turns loose input (Python records, a CSV file read as text) into the typed frame:
counts may be given as words (``count="around 1,500"``), periods as words (``period="since
September 23, 2014"`` with ``reported_on``), names as aliases ("the Britain-based Observatory",
"Iraq and Syria"). Every failing cell is reported at once in a failure table (``row, column,
value, reason, detail``); a row with any failure is rejected whole, so that every input row ends
up either in the claims or in the failure table.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable
from typing import Any, Literal

import numpy as np
import pandas as pd

from casualties.cells import (
    NUMBER_INPUTS,
    RECORD,
    REFUSED,
    clean,
    frame_of,
    shown,
    stray_failures,
)
from casualties.columns import (
    CERTAINTY,
    COLUMN_NAMES,
    COLUMNS,
    DATE_DTYPE,
    DATE_PRECISIONS,
    DTYPES,
    FALSE_WORDS,
    FIRST_DAY,
    FIRST_YEAR,
    INPUT_COLUMNS,
    KINDS,
    LAST_DAY,
    LAST_YEAR,
    OUTCOMES,
    RANGE_DETAIL,
    SOURCE_TYPES,
    STRING_DTYPE,
    TRUE_WORDS,
    Column,
    Failures,
)
from casualties.coordinates import read_coordinates
from casualties.errors import (
    CasualtiesError,
    ClaimError,
    OptionError,
    Reason,
    UnknownNameWarning,
)

__all__ = [
    "Column",
    "COLUMNS",
    "COLUMN_NAMES",
    "INPUT_COLUMNS",
    "SOURCE_TYPES",
    "DATE_PRECISIONS",
    "OUTCOMES",
    "KINDS",
    "CERTAINTY",
    "claims_from_records",
    "normalize",
    "validate",
    "empty_claims",
]

def _blank(series: pd.Series) -> pd.Series:
    """True where a raw cell carries no value (NA, None, empty or blank text)."""
    array = _arrow_text(series)
    if array is not None:
        import pyarrow.compute as pc

        blank = pc.or_kleene(pc.is_null(array), pc.equal(pc.utf8_trim_whitespace(array), ""))
        return pd.Series(blank.to_numpy(zero_copy_only=False).astype(bool), index=series.index)
    missing = series.isna()
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        text = series.astype("str")
        missing |= text.str.strip().eq("")
    return missing


def _as_text(series: pd.Series) -> pd.Series:
    """Raw cells as stripped text, NA where blank."""
    array = _arrow_text(series)
    if array is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        # new text only where needed: a column already stripped and without empty cells (as a
        # file read by Arrow is) is returned as it is, without a copy
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
    return out.where(~_blank(series))


def _verbatim(series: pd.Series) -> pd.Series:
    """Raw cells as text exactly as given (free text is never stripped), NA where missing."""
    if isinstance(series.array, pd.arrays.ArrowStringArray):
        return series.astype(STRING_DTYPE)
    return series.astype(object).where(series.notna()).astype(STRING_DTYPE)


def _text_or_empty(series: pd.Series) -> pd.Series:
    """Text with missing cells as empty text (the claims frame's free-text columns are never NA);
    Arrow's own fill where the column is Arrow text (no per-cell copy through Python)."""
    array = _arrow_text(series)
    if array is not None:
        import pyarrow.compute as pc

        return pd.Series(pd.array(pc.fill_null(array, ""), dtype=STRING_DTYPE), index=series.index, copy=False)
    return series.fillna("").astype(STRING_DTYPE)


def _arrow_text(series: pd.Series) -> Any:
    """The pyarrow array behind a text column (None when it has none): typed conversions on it
    run in Arrow's C++ instead of row by row."""
    if isinstance(series.array, pd.arrays.ArrowStringArray):
        return series.array.__arrow_array__()
    return None


def _arrow_to_pandas(array: Any, index: pd.Index) -> pd.Series:
    return pd.Series(array.to_numpy(zero_copy_only=False), index=index)


def _raw(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return _text_from_codes([], np.full(len(frame), -1, dtype=np.int64), frame.index)


def _same_or_from_codes(text: pd.Series, uniques: Any, values: list[Any], codes: np.ndarray) -> pd.Series:
    """``values`` (one per distinct value ``uniques`` of ``text``) spread over the rows: ``text``
    itself when every value maps to itself (names already canonical: no new column is built)."""
    if len(values) == len(uniques) and all(v == u for v, u in zip(values, uniques)) and pd.api.types.is_string_dtype(text.dtype):
        return text.astype(STRING_DTYPE)
    return _text_from_codes(values, codes, text.index)


def _text_from_codes(values: Any, codes: np.ndarray, index: pd.Index) -> pd.Series:
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
    array = _arrow_text(text)
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

        periods = _parse_guarded(parse_periods, text[retry])
        single = periods["error"].isna() & (periods["start"] == periods["end"])
        parsed.loc[single[single].index] = periods.loc[single, "start"].astype(DATE_DTYPE)
    return parsed, far


def _out_of_range(dates: pd.Series) -> pd.Series:
    """True where a date lies outside :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""
    values = dates.to_numpy(dtype="datetime64[s]")
    return pd.Series((values < FIRST_DAY) | (values > LAST_DAY), index=dates.index) & dates.notna()


def _to_dates(raw: pd.Series, column: str, failures: Failures) -> pd.Series:
    """Parse a date column (ISO strings, dates, timestamps) to datetime64[s] at midnight.

    A time of day is dropped (the day as written counts, whatever its time zone); a date outside
    :data:`FIRST_YEAR` to :data:`LAST_YEAR` is a failure (reason ``not_a_date``).
    """
    given = ~_blank(raw)
    far = pd.Series(False, index=raw.index)
    if not given.any():  # an absent or empty column
        return pd.Series(np.full(len(raw), np.datetime64("NaT"), dtype=DATE_DTYPE), index=raw.index)
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        parsed = raw
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        parsed = parsed.astype(DATE_DTYPE)
    else:
        text = _as_text(raw)
        parsed = _plain_days(text)
        rest = given & parsed.isna()  # anything but YYYY-MM-DD: times, zones, words (few rows, if any)
        if rest.any():
            parsed = parsed.copy()
            day, far_rest = _odd_dates(text[rest])
            parsed.loc[rest] = day.to_numpy()
            far.loc[rest] = far_rest.to_numpy()
    far |= _out_of_range(parsed)
    parsed = parsed.mask(far)
    parsed = parsed.astype(DATE_DTYPE).dt.normalize()
    failures.add(far & given, column, raw, Reason.NOT_A_DATE, RANGE_DETAIL)
    failures.add(given & parsed.isna() & ~far, column, raw, Reason.NOT_A_DATE, "not a date (use YYYY-MM-DD)")
    return parsed


def _parse_guarded(parse: Any, text: pd.Series, *context: pd.Series, columns: tuple[str, ...] = ("start", "end")) -> pd.DataFrame:
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


#: How a number column may say "no upper limit" (any case).
_INFINITE_WORDS = ("inf", "infinity", "∞", "+inf", "+infinity", "+∞")


def _to_numbers(raw: pd.Series, column: str, failures: Failures) -> pd.Series:
    given = ~_blank(raw)
    if pd.api.types.is_complex_dtype(raw.dtype):
        failures.add(given, column, raw, Reason.WRONG_TYPE, "a complex number is not a count")
        return pd.Series(np.nan, index=raw.index)
    numbers = None
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        numbers = raw.astype("float64")
    elif (array := _arrow_text(raw)) is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        try:  # plain numbers ("21", "21.0", "inf"): one typed cast; blanks are null
            trimmed = pc.utf8_trim_whitespace(array)
            numbers = _arrow_to_pandas(pc.cast(pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed), pa.float64()),
                                       raw.index).astype("float64")
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            numbers = None  # thousands separators, "+∞"...: the general path below
    if numbers is None:
        text = _as_text(raw).str.replace(",", "", regex=False)
        # "inf", "Infinity", "+∞"...: a set lookup (Arrow) rather than a case-blind regex,
        # which pandas runs in Python row by row
        text = text.mask(text.str.lower().isin(_INFINITE_WORDS), "inf")
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    failures.add(given & numbers.isna(), column, raw, Reason.NOT_A_NUMBER, "not a number")
    return numbers


def _to_category(raw: pd.Series, column: str, failures: Failures, default: str | None,
                 translate: Callable[[pd.Series], pd.Series] | None = None) -> pd.Series:
    """A closed vocabulary (case-blind), each distinct value looked at once (``translate`` maps
    the distinct values to the vocabulary's words first, e.g. synonyms; unknown ones as given)."""
    dtype: pd.CategoricalDtype = DTYPES[column]
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    if translate is not None and len(uniques):
        uniques = translate(pd.Series(np.asarray(uniques, dtype=object), dtype=object)).to_numpy(dtype=object)
    position = {c: i for i, c in enumerate(dtype.categories)}
    blank = -1 if default is None else position[default]
    found, bad = [], []
    for value in uniques:
        text = str(value).strip().lower()
        code = blank if not text else position.get(text, -1)
        found.append(code)
        bad.append(bool(text) and code == -1)
    table, wrong = np.array([*found, blank], dtype=np.int64), np.array([*bad, False])
    out = pd.Series(pd.Categorical.from_codes(table[codes], dtype=dtype), index=raw.index)
    failures.add(pd.Series(wrong[codes], index=raw.index), column, raw, Reason.UNKNOWN_VALUE, f"not one of {', '.join(dtype.categories)}")
    return out


def _resolve(raw: pd.Series, column: str, hierarchy: Any, reason: Reason, failures: Failures, default: str | None) -> pd.Series:
    """Names to ids of a tree, each distinct name resolved once."""
    text = _as_text(raw)
    if default is not None:
        text = text.fillna(default)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    ids, problems = hierarchy.resolve_series(pd.Series(np.asarray(uniques, dtype=object), dtype=object), many=True)
    problem = _text_from_codes(problems.tolist(), codes, raw.index)
    failures.add(problem.notna(), column, raw, reason, problem)
    return _same_or_from_codes(text, uniques, ids.tolist(), codes)


def _infer_precision(start: pd.Series, end: pd.Series) -> pd.Series:
    """day / week / month / year / range from the shape of [start, end] (numpy day arithmetic)."""
    first = start.to_numpy(dtype="datetime64[s]").astype("datetime64[D]")
    last = end.to_numpy(dtype="datetime64[s]").astype("datetime64[D]")
    one = np.timedelta64(1, "D")
    codes = np.where(first == last, 0, 4)  # day, else range unless a week, month or year below
    longer = np.flatnonzero(codes == 4)  # (months and years, slow in numpy, only where needed)
    first, last = first[longer], last[longer]
    monday = (first.astype(np.int64) + 3) % 7 == 0  # 1970-01-01 was a Thursday
    week = monday & (last - first == np.timedelta64(6, "D"))
    month_of = first.astype("datetime64[M]")
    month = (first == month_of.astype("datetime64[D]")) & (last == (month_of + 1).astype("datetime64[D]") - one)
    year_of = first.astype("datetime64[Y]")
    year = (first == year_of.astype("datetime64[D]")) & (last == (year_of + 1).astype("datetime64[D]") - one)
    codes[longer] = np.select([week, month, year], [1, 2, 3], default=4)
    dtype: pd.CategoricalDtype = DTYPES["date_precision"]
    order = [list(dtype.categories).index(name) for name in ("day", "week", "month", "year", "range")]
    return pd.Series(pd.Categorical.from_codes(np.asarray(order)[codes], dtype=dtype), index=start.index)


def _fill_bounds(low: pd.Series, best: pd.Series, high: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Fill missing bounds: a lone best is exact; otherwise a missing low is 0 and a missing
    high is +inf (no bound was given); a missing best is low for 'at least', high for 'up to'
    and the midpoint (rounded down) between two finite bounds."""
    lone_best = best.notna() & low.isna() & high.isna()
    low_missing = low.isna()
    low = low.mask(lone_best, best).fillna(0.0)
    high = high.mask(lone_best, best).fillna(np.inf)
    midpoint = np.floor((low + high) / 2)
    guess = np.where(np.isinf(high), low, np.where(low_missing, high, midpoint))
    best = best.fillna(pd.Series(guess, index=best.index))
    return low, best, high


def empty_claims() -> pd.DataFrame:
    """Return an empty claims frame with every column and dtype.

    Returns
    -------
    pandas.DataFrame
        Zero rows, columns :data:`COLUMN_NAMES`.
    """
    frame = pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in COLUMNS})
    frame.index = pd.RangeIndex(0, name="row")
    return frame


def normalize(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Normalise loose input into a claims frame and a failure table.

    Parameters
    ----------
    raw : pandas.DataFrame
        Input records, one per row, with any subset of :data:`COLUMN_NAMES` and
        :data:`INPUT_COLUMNS`. Other columns are kept, after the schema's columns.

    Returns
    -------
    claims : pandas.DataFrame
        The rows that passed, normalised, indexed by their 0-based input position (``row``).
    failures : pandas.DataFrame
        One row per failing cell: ``row, column, value, reason, detail``. The rows named here are
        exactly the input rows missing from ``claims``.
    """
    frame, _ = frame_of(raw)
    return _normalize_guarded(frame)


def _normalize_guarded(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`normalize` on rows labelled by input position; a record that makes it fail with an
    exception that is not ours becomes a failure of that record (found by halving), so that one
    odd record neither escapes as a foreign exception nor costs the others."""
    try:
        return _normalize(raw)
    except CasualtiesError:
        raise
    except Exception as exc:  # noqa: BLE001 - the boundary: every foreign exception becomes a failing cell
        if len(raw) <= 1:
            return _unreadable(raw, exc)
        half = len(raw) // 2
        (claims_a, failed_a), (claims_b, failed_b) = _normalize_guarded(raw.iloc[:half]), _normalize_guarded(raw.iloc[half:])
        claims = pd.concat([claims_a, claims_b])
        failed = pd.concat([failed_a, failed_b], ignore_index=True)
        repeat = claims["claim_id"].duplicated(keep="first")
        if repeat.any():  # the halves were checked apart: ids repeated across them are checked here
            failed = pd.concat([failed, pd.DataFrame({
                "row": claims.index[repeat.to_numpy()].to_numpy(dtype=np.int64), "column": "claim_id",
                "value": claims.loc[repeat.to_numpy(), "claim_id"].astype(object).to_numpy(),
                "reason": Reason.DUPLICATE_ID.value, "detail": _DETAILS[Reason.DUPLICATE_ID]})], ignore_index=True)
            claims = claims[~repeat.to_numpy()]
        return claims, failed.sort_values(["row", "column"], kind="stable", ignore_index=True)


def _unreadable(raw: pd.DataFrame, exc: Exception) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One record that made the normaliser fail: its failure, naming the column at fault when
    leaving that column out lets the record through."""
    column, value = RECORD, None
    for name in raw.columns:
        try:
            _normalize(raw.drop(columns=[name]))
        except Exception:  # noqa: BLE001, S112 - this column is not the cause
            continue
        column, value = name, shown(raw[name].iloc[0])
        break
    failure = pd.DataFrame({"row": raw.index.to_numpy(dtype=np.int64), "column": column, "value": pd.Series([value], dtype=object),
                            "reason": Reason.WRONG_TYPE.value, "detail": f"cannot be read ({exc.__class__.__name__}: {exc})"})
    claims = empty_claims()
    for name in raw.columns:
        if name not in DTYPES and name not in INPUT_COLUMNS:
            claims[name] = raw[name].iloc[:0]
    return claims, failure


def _normalize(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The body of :func:`normalize`, on a frame whose index holds the input positions."""
    from casualties.names import (
        categories,
        perpetrators,
        resolve_outcomes,
        resolve_sources,
    )
    from casualties.places import place_tree

    failures = Failures()
    raw = clean(raw.copy(), failures)
    raw.index.name = "row"
    out = pd.DataFrame(index=raw.index)

    # claim_id
    ids = _as_text(_raw(raw, "claim_id"))
    unnamed = ids.isna().to_numpy()
    if unnamed.any():
        ids = ids.astype(object)
        ids[unnamed] = "c" + (raw.index[unnamed] + 1).astype(str)
    out["claim_id"] = ids.astype(STRING_DTYPE)

    # source and its type
    source_raw = _raw(raw, "source")
    source_text = _as_text(source_raw)
    failures.add(source_text.isna(), "source", source_raw, Reason.MISSING, "a claim needs a source")
    codes, uniques = pd.factorize(source_text, use_na_sentinel=True)
    canonical, types, known = resolve_sources(pd.Series(np.asarray(uniques, dtype=object), dtype=object))
    canonical = _same_or_from_codes(source_text, uniques, canonical.tolist(), codes)
    types = _text_from_codes(types.tolist(), codes, raw.index)
    known = pd.Series(np.append(known.to_numpy(dtype=bool), False)[codes], index=raw.index)
    unknown = source_text.notna() & ~known.astype(bool) & source_text.ne(REFUSED)
    if unknown.any():
        warnings.warn(UnknownNameWarning(tuple(sorted(set(source_text[unknown]))), "source"), stacklevel=3)
    out["source"] = canonical.where(source_text.notna()).astype(STRING_DTYPE)
    given_type = _as_text(_raw(raw, "source_type"))
    out["source_type"] = _to_category(given_type.fillna(types).fillna("other"), "source_type", failures, "other")

    # dates: reported_on, then start/end from start/end, date or period words
    out["reported_on"] = _to_dates(_raw(raw, "reported_on"), "reported_on", failures)
    start = _to_dates(_raw(raw, "start"), "start", failures)
    end = _to_dates(_raw(raw, "end"), "end", failures)
    date = _to_dates(_raw(raw, "date"), "date", failures)
    start = start.fillna(date)
    end = end.fillna(date)
    precision = _as_text(_raw(raw, "date_precision"))
    period_raw = _raw(raw, "period")
    period_text = _as_text(period_raw)
    if period_text.notna().any():
        from casualties.vocab import parse_periods

        parsed = _parse_guarded(parse_periods, period_text, out["reported_on"], columns=("start", "end", "precision"))
        bad = parsed["error"].notna()
        failures.add(bad, "period", period_raw, Reason.NOT_A_PERIOD, parsed["error"])
        ok = period_text.notna() & ~bad
        far = ok & (_out_of_range(parsed["start"]) | _out_of_range(parsed["end"]))
        failures.add(far, "period", period_raw, Reason.NOT_A_PERIOD, f"the period falls {RANGE_DETAIL}")
        ok &= ~far
        for col, target in (("start", start), ("end", end)):
            clash = ok & target.notna() & (target != parsed[col])
            failures.add(clash, col, target, Reason.CONFLICTING_INPUT, f"{col} disagrees with the period words")
        start = start.fillna(parsed["start"].where(ok))
        end = end.fillna(parsed["end"].where(ok))
        precision = precision.fillna(parsed["precision"].where(ok))
    failures.add(start.isna() & ~_blank(_raw(raw, "end")).to_numpy() & end.notna(), "start", start, Reason.MISSING, "end given without start")
    # name the column the user wrote: start, else date, else period
    written = next((c for c in ("start", "date", "period") if c in raw.columns), "start")
    failures.add(
        start.isna() & ~(period_text.notna()) & _blank(_raw(raw, "start")) & _blank(_raw(raw, "date")),
        written, _raw(raw, written), Reason.MISSING, "a claim needs a start date, a date or a period",
    )
    end = end.fillna(start)
    out["start"], out["end"] = start.astype(DATE_DTYPE), end.astype(DATE_DTYPE)
    if precision.isna().any():  # inferred from the dates only where no precision was given
        precision = precision.fillna(_infer_precision(out["start"], out["end"]).astype(object))
    out["date_precision"] = _to_category(precision, "date_precision", failures, "range")
    failures.add(out["start"] > out["end"], "end", out["end"], Reason.START_AFTER_END, "end is before start")

    # place, category, perpetrator
    place_raw = _raw(raw, "place")
    failures.add(_blank(place_raw), "place", place_raw, Reason.MISSING, "a claim needs a place")
    out["place"] = _resolve(place_raw, "place", place_tree(), Reason.UNKNOWN_PLACE, failures, None)
    out["location"] = _text_or_empty(_verbatim(_raw(raw, "location")))
    out["latitude"], out["longitude"] = _coordinates(raw, failures)
    out["category"] = _resolve(_raw(raw, "category"), "category", categories(), Reason.UNKNOWN_CATEGORY, failures, "all")
    out["category"] = _to_category(out["category"], "category", failures, "all")
    out["perpetrator"] = _resolve(_raw(raw, "perpetrator"), "perpetrator", perpetrators(), Reason.UNKNOWN_PERPETRATOR, failures, "all")
    out["outcome"] = _to_category(_raw(raw, "outcome"), "outcome", failures, "killed", translate=resolve_outcomes)
    out["kind"] = _to_category(_raw(raw, "kind"), "kind", failures, "total")
    incident = _as_text(_raw(raw, "incident_id"))
    out["incident_id"] = incident.fillna(out["claim_id"]).astype(STRING_DTYPE)

    # counts: low/best/high given as numbers and/or count words
    low = _to_numbers(_raw(raw, "low"), "low", failures)
    best = _to_numbers(_raw(raw, "best"), "best", failures)
    high = _to_numbers(_raw(raw, "high"), "high", failures)
    qualifier = _as_text(_raw(raw, "qualifier"))
    provisional_raw = _raw(raw, "provisional")
    provisional_text = _as_text(provisional_raw).str.lower()
    count_raw = _raw(raw, "count")
    count_text = _as_text(count_raw)
    quote = _verbatim(_raw(raw, "quote"))
    if count_text.notna().any():
        from casualties.vocab import parse_counts

        parsed = _parse_guarded(parse_counts, count_text, columns=("low", "best", "high", "qualifier", "provisional"))
        bad = parsed["error"].notna()
        failures.add(bad, "count", count_raw, Reason.NOT_A_COUNT, parsed["error"])
        ok = count_text.notna() & ~bad
        for col, target in (("low", low), ("best", best), ("high", high)):
            clash = ok & target.notna() & (target != parsed[col])
            failures.add(clash, col, target, Reason.CONFLICTING_INPUT, f"{col} disagrees with the count words")
        low = low.fillna(parsed["low"].where(ok))
        best = best.fillna(parsed["best"].where(ok))
        high = high.fillna(parsed["high"].where(ok))
        qualifier = qualifier.fillna(parsed["qualifier"].where(ok))
        from_words = parsed["provisional"].where(ok, False).astype(bool)
        provisional_text = provisional_text.mask(provisional_text.isna() & from_words, "true")
        quote = quote.mask(quote.isna() | quote.eq(""), count_text)
    no_count = _blank(_raw(raw, "low")) & _blank(_raw(raw, "best")) & _blank(_raw(raw, "high")) & count_text.isna()
    written = "count" if "count" in raw.columns or not any(c in raw.columns for c in NUMBER_INPUTS) else "low"
    failures.add(no_count, written, _raw(raw, written), Reason.MISSING, "a claim needs a count (count, or low/best/high)")
    low, best, high = _fill_bounds(low, best, high)
    out["low"], out["best"], out["high"] = low, best, high
    unworded = qualifier.isna().to_numpy()
    if unworded.any():  # from the bounds: exact, at-least, up-to or between
        lo, be, hi = low.to_numpy()[unworded], best.to_numpy()[unworded], high.to_numpy()[unworded]
        codes = np.select([(lo == be) & (be == hi), np.isinf(hi), lo == 0], [0, 1, 2], default=3)
        qualifier = qualifier.astype(object)
        qualifier[unworded] = np.array(["exact", "at-least", "up-to", "between"], dtype=object)[codes]
    out["qualifier"] = qualifier.astype(STRING_DTYPE)
    prov_bad = provisional_text.notna() & ~provisional_text.isin(TRUE_WORDS | FALSE_WORDS)
    failures.add(prov_bad, "provisional", provisional_raw, Reason.UNKNOWN_VALUE, "not true or false")
    out["provisional"] = provisional_text.isin(TRUE_WORDS).astype(bool)
    out["certainty"] = _to_category(_raw(raw, "certainty"), "certainty", failures, None)

    # text columns: never NA, so that CSV round trips are lossless
    out["quote"] = _text_or_empty(quote)
    for name in ("url", "note"):
        out[name] = _text_or_empty(_verbatim(_raw(raw, name)))

    _check_invariants(out, failures)
    table = failures.frame()
    bad_rows = table["row"].unique()
    extra = [c for c in raw.columns if c not in COLUMN_NAMES and c not in INPUT_COLUMNS]
    if extra:  # added at once: thousands of extra columns cost one concatenation, not one insert each
        out = pd.concat([out, raw[extra]], axis=1)
    claims = out.drop(index=bad_rows) if len(bad_rows) else out
    retype = {name: dtype for name, dtype in DTYPES.items() if claims[name].dtype != dtype}
    if retype:  # only the columns not yet of their dtype (no copy of the others)
        claims = claims.astype(retype)
    return claims, table


def _coordinates(raw: pd.DataFrame, failures: Failures) -> tuple[pd.Series, pd.Series]:
    """latitude and longitude [degrees], every problem of :func:`read_coordinates` a failure."""
    latitude, longitude = _raw(raw, "latitude"), _raw(raw, "longitude")
    if "latitude" not in raw.columns and "longitude" not in raw.columns:
        nothing = pd.Series(np.nan, index=raw.index, dtype="float64")
        return nothing, nothing.copy()
    latitude_degrees, longitude_degrees, problems = read_coordinates(latitude, longitude)
    for problem in problems:
        failures.add(problem.mask, problem.column, latitude if problem.column == "latitude" else longitude, problem.reason, problem.detail)
    return latitude_degrees, longitude_degrees


def _check_invariants(frame: pd.DataFrame, failures: Failures) -> None:
    """The invariants of a normalised frame: numpy masks first; pandera reports when any fails."""
    low, best, high = (frame[c].to_numpy(dtype="float64") for c in ("low", "best", "high"))
    with np.errstate(invalid="ignore"):
        finite = [np.isfinite(v) for v in (low, best, high)]
        broken = (
            (low < 0).any()
            | any((~np.isnan(v) & ~np.isinf(v) & (v != np.floor(v))).any() for v in (low, best, high))
            | (~np.isnan(low) & ~finite[0]).any() | (~np.isnan(best) & ~finite[1]).any()
            | (not _unique(frame["claim_id"]))
        )
    if broken:
        _report_invariants(frame, failures)
    failures.add(frame["low"] > frame["best"], "low", frame["low"], Reason.LOW_ABOVE_BEST, "low is above best")
    failures.add(frame["best"] > frame["high"], "high", frame["high"], Reason.BEST_ABOVE_HIGH, "high is below best")


def _unique(ids: pd.Series) -> bool:
    """Whether no value repeats (one hash table, no table of the repeats; Arrow's own when the
    column is Arrow text, which skips pandas' conversion of the uniques)."""
    array = _arrow_text(ids)
    if array is not None:
        import pyarrow.compute as pc

        return len(pc.unique(array)) == len(array)
    return bool(ids.is_unique)


def _report_invariants(frame: pd.DataFrame, failures: Failures) -> None:
    """The per-column invariants, checked with pandera, whose failure cases become failures."""
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

    whole = pa.Check(lambda s: s.isna() | np.isinf(s) | (s == np.floor(s)), name=Reason.NOT_WHOLE.value)
    finite = pa.Check(lambda s: s.isna() | np.isfinite(s), name=Reason.INFINITE.value)
    counts = {
        "low": pa.Column(float, [pa.Check(lambda s: s.isna() | (s >= 0), name=Reason.NEGATIVE.value), finite, whole], nullable=True),
        "best": pa.Column(float, [finite, whole], nullable=True),
        "high": pa.Column(float, [whole], nullable=True),
        "claim_id": pa.Column(unique=True, report_duplicates="exclude_first"),
    }
    schema = pa.DataFrameSchema(counts, coerce=False)
    try:
        schema.validate(frame[list(counts)], lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        reasons = cases["check"].astype(str).replace({"field_uniqueness": Reason.DUPLICATE_ID.value})
        for (reason, column), part in cases.groupby([reasons, cases["column"]], sort=False):
            mask = pd.Series(False, index=frame.index)
            mask.loc[part["index"].astype("int64").to_numpy()] = True
            failures.add(mask, str(column), frame[column], Reason(reason), _DETAILS[Reason(reason)])


_DETAILS = {
    Reason.NEGATIVE: "a count cannot be negative",
    Reason.INFINITE: "only high may be infinite",
    Reason.NOT_WHOLE: "a count is a whole number of people",
    Reason.DUPLICATE_ID: "claim_id is not unique",
}


def claims_from_records(
    records: Iterable[dict[str, Any]] | pd.DataFrame,
    *,
    errors: Literal["raise", "collect"] = "raise",
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Build a claims frame from records.

    Parameters
    ----------
    records : iterable of dict, or pandas.DataFrame
        One record per claim, with any of the columns of :data:`COLUMNS` and the input columns
        ``count`` (words or a number), ``period`` (words, relative to ``reported_on``) and
        ``date`` (one day).
    errors : {"raise", "collect"}
        ``"raise"``: raise :class:`~casualties.errors.ClaimError` listing every failing cell.
        ``"collect"``: return the claims that passed and the failure table.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)
        The claims frame (index: 0-based input position); with ``errors="collect"`` also the
        failure table (``row, column, value, reason, detail``). Every input row is in exactly one.

    Raises
    ------
    ClaimError
        With ``errors="raise"``, when any cell fails; ``.failures`` lists them all.
    """
    if errors not in ("raise", "collect"):
        raise OptionError("errors", errors, ("raise", "collect"))
    frame, strays = frame_of(records)
    if strays:
        frame = frame.drop(index=list(strays))
    claims, failures = _normalize_guarded(frame)
    if strays:
        failures = pd.concat([failures, stray_failures(strays)], ignore_index=True)
        failures = failures.sort_values(["row", "column"], kind="stable", ignore_index=True)
    if errors == "collect":
        return claims, failures
    if len(failures):
        raise ClaimError(failures)
    return claims


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a claims frame and return it normalised.

    Validation is normalisation that must not reject anything: a valid frame comes back with
    canonical names, dtypes and defaults (so ``validate(validate(f))`` equals ``validate(f)``).

    Parameters
    ----------
    frame : pandas.DataFrame
        A claims frame, or loose records in a frame.

    Returns
    -------
    pandas.DataFrame
        The normalised frame.

    Raises
    ------
    ClaimError
        Listing every failing cell (``.failures``) when any invariant fails.
    """
    result = claims_from_records(frame, errors="raise")
    assert isinstance(result, pd.DataFrame)
    return result
