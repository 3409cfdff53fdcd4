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
    INPUT_COLUMNS,
    KINDS,
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
from casualties.rawcells import (
    all_distinct as _all_distinct,
)
from casualties.rawcells import (
    as_text as _as_text,
)
from casualties.rawcells import (
    blank as _blank,
)
from casualties.rawcells import (
    out_of_range as _out_of_range,
)
from casualties.rawcells import (
    parse_guarded as _parse_guarded,
)
from casualties.rawcells import (
    raw_column as _raw,
)
from casualties.rawcells import (
    same_or_from_codes as _same_or_from_codes,
)
from casualties.rawcells import (
    text_or_empty as _text_or_empty,
)
from casualties.rawcells import (
    to_dates as _to_dates,
)
from casualties.rawcells import (
    to_numbers as _to_numbers,
)
from casualties.rawcells import (
    verbatim as _verbatim,
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

def _vocabulary_codes(uniques: Any, column: str, default: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct value's position in the column's closed vocabulary (case-blind; blank: the
    default), and whether it is no word of it; one more entry, last, for a missing value."""
    dtype: pd.CategoricalDtype = DTYPES[column]
    position = {c: i for i, c in enumerate(dtype.categories)}
    blank = -1 if default is None else position[default]
    found, bad = [], []
    for value in uniques:
        text = "" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else str(value).strip().lower()
        code = blank if not text else position.get(text, -1)
        found.append(code)
        bad.append(bool(text) and code == -1)
    return np.array([*found, blank], dtype=np.int64), np.array([*bad, False])


def _categorical(codes: np.ndarray, column: str, index: pd.Index) -> pd.Series:
    return pd.Series(pd.Categorical.from_codes(codes, dtype=DTYPES[column]), index=index)


def _unknown_value(column: str) -> str:
    return f"not one of {', '.join(DTYPES[column].categories)}"


def _to_category(raw: pd.Series, column: str, failures: Failures, default: str | None,
                 translate: Callable[[pd.Series], pd.Series] | None = None) -> pd.Series:
    """A closed vocabulary (case-blind), each distinct value looked at once (``translate`` maps
    the distinct values to the vocabulary's words first, e.g. synonyms; unknown ones as given)."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    if translate is not None and len(uniques):
        uniques = translate(pd.Series(np.asarray(uniques, dtype=object), dtype=object)).to_numpy(dtype=object)
    table, wrong = _vocabulary_codes(uniques, column, default)
    failures.add(pd.Series(wrong[codes], index=raw.index), column, raw, Reason.UNKNOWN_VALUE, _unknown_value(column))
    return _categorical(table[codes], column, raw.index)


def _source_types(given: pd.Series, types: list[Any], source_codes: np.ndarray, failures: Failures) -> pd.Series:
    """source_type: as given, else the type of the source's entry in ``data/sources.csv`` (one
    per distinct source, ``types``), else other; each distinct value looked at once."""
    codes, uniques = pd.factorize(given, use_na_sentinel=True)
    table, wrong = _vocabulary_codes(uniques, "source_type", "other")
    by_source, wrong_by_source = _vocabulary_codes([t if isinstance(t, str) else "other" for t in types], "source_type", "other")
    named = codes >= 0
    result = np.where(named, table[codes], by_source[source_codes])
    bad = np.where(named, wrong[codes], wrong_by_source[source_codes])
    if bad.any():  # the value in question as the user would see it (given, else from the source)
        shown = given.astype(object).where(named, np.append(np.asarray(types, dtype=object), None)[source_codes])
        failures.add(pd.Series(bad, index=given.index), "source_type", shown, Reason.UNKNOWN_VALUE, _unknown_value("source_type"))
    return _categorical(result, "source_type", given.index)


def _resolve(raw: pd.Series, column: str, hierarchy: Any, reason: Reason, failures: Failures, default: str | None,
             vocabulary: bool = False) -> pd.Series:
    """Names to ids of a tree, each distinct name resolved once (``vocabulary``: the ids as the
    column's closed vocabulary, a categorical, from the same distinct values)."""
    text = _as_text(raw)
    if default is not None:
        text = text.fillna(default)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    ids, problems = hierarchy.resolve_series(pd.Series(np.asarray(uniques, dtype=object), dtype=object), many=True)
    failing = problems.notna().to_numpy()
    if failing.any():  # the problem text only for the rows that have one
        bad = pd.Series(np.append(failing, False)[codes], index=raw.index)
        detail = pd.Series(np.append(problems.to_numpy(dtype=object), None)[codes], index=raw.index)
        failures.add(bad, column, raw, reason, detail)
    if vocabulary:
        resolved = ids.to_numpy(dtype=object)
        table, wrong = _vocabulary_codes(resolved, column, default)
        if wrong.any():
            shown = pd.Series(np.append(resolved, None)[codes], index=raw.index, dtype=object)
            failures.add(pd.Series(wrong[codes], index=raw.index), column, shown, Reason.UNKNOWN_VALUE, _unknown_value(column))
        return _categorical(table[codes], column, raw.index)
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
    raw = clean(raw.copy(deep=False), failures)  # copy-on-write: the caller's frame is never changed
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
    known = pd.Series(np.append(known.to_numpy(dtype=bool), False)[codes], index=raw.index)
    unknown = source_text.notna() & ~known.astype(bool) & source_text.ne(REFUSED)
    if unknown.any():
        warnings.warn(UnknownNameWarning(tuple(sorted(set(source_text[unknown]))), "source"), stacklevel=3)
    out["source"] = canonical.where(source_text.notna()).astype(STRING_DTYPE)
    out["source_type"] = _source_types(_as_text(_raw(raw, "source_type")), types.tolist(), codes, failures)

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
    if start.isna().any():  # (the blank cells looked for only when a start is missing)
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
    out["category"] = _resolve(_raw(raw, "category"), "category", categories(), Reason.UNKNOWN_CATEGORY, failures, "all", vocabulary=True)
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
            | (not _all_distinct(frame["claim_id"]))
        )
    if broken:
        _report_invariants(frame, failures)
    failures.add(frame["low"] > frame["best"], "low", frame["low"], Reason.LOW_ABOVE_BEST, "low is above best")
    failures.add(frame["best"] > frame["high"], "high", frame["high"], Reason.BEST_ABOVE_HIGH, "high is below best")


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
