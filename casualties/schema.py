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

import dataclasses
import warnings
from typing import TYPE_CHECKING, Any, Iterable, Literal

import numpy as np
import pandas as pd

from casualties.errors import FAILURE_COLUMNS, ClaimError, Reason, UnknownNameWarning

if TYPE_CHECKING:  # pragma: no cover
    pass

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


def _category(values: Iterable[str], ordered: bool = False) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(values), ordered=ordered)


#: The columns of the claims frame, in order: name, dtype, whether input must give it, default
#: and meaning (the table of ``docs/schema.md``).
COLUMNS: tuple[Column, ...] = (
    Column("claim_id", STRING_DTYPE, False, "`c<row+1>`", "unique id of the claim"),
    Column("source", STRING_DTYPE, True, "-", "canonical source name (data/sources.csv); unknown names are kept as given and warned about"),
    Column("source_type", _category(SOURCE_TYPES), False, "from data/sources.csv, else `other`", "kind of source"),
    Column("reported_on", DATE_DTYPE, False, "missing (NaT)", "date the source published the figure"),
    Column("start", DATE_DTYPE, True, "from `period` or `date`", "first day of the period the count covers (inclusive)"),
    Column("end", DATE_DTYPE, False, "`start` (or from `period`)", "last day of the period the count covers (inclusive)"),
    Column("date_precision", _category(DATE_PRECISIONS), False, "inferred from start and end", "how precisely the source dated it"),
    Column("place", STRING_DTYPE, True, "-", "place ids joined by `|` (several = the union)"),
    Column("category", _category(("all", "civilian", "combatant", "children", "women")), False, "`all`", "who was counted"),
    Column("perpetrator", STRING_DTYPE, False, "`all`", "perpetrator ids joined by `|` (several = disputed attribution)"),
    Column("outcome", _category(OUTCOMES), False, "`killed`", "killed or injured"),
    Column("kind", _category(KINDS), False, "`total`", "`total`: everyone in the scope; `incident`: the toll of one event"),
    Column("incident_id", STRING_DTYPE, False, "the claim_id", "links reports of the same event"),
    Column("low", "float64", True, "from `count`", "least count [people]"),
    Column("best", "float64", False, "from `count`, else see docs/schema.md", "best count [people]"),
    Column("high", "float64", False, "from `count`, else `best`", "greatest count [people]; +inf for 'at least'"),
    Column("qualifier", STRING_DTYPE, False, "from `count`, else exact/at-least/between", "how the figure was worded"),
    Column("provisional", "bool", False, "False", "the toll may rise"),
    Column("certainty", _category(CERTAINTY, ordered=True), False, "missing (unassessed)", "grade of the claim"),
    Column("quote", STRING_DTYPE, False, "`count` text, else empty", "the words the figure came from"),
    Column("url", STRING_DTYPE, False, "empty", "where the figure was published"),
    Column("note", STRING_DTYPE, False, "empty", "free text"),
)
#: The names of :data:`COLUMNS`, in order.
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
_DTYPES = {c.name: c.dtype for c in COLUMNS}

#: Input-only columns that fill schema columns: words for the count, the period, or one date.
INPUT_COLUMNS = {
    "count": "words or a number for low/best/high (e.g. 'around 1,500'); kept in quote",
    "period": "words for start/end relative to reported_on (e.g. 'since September 23, 2014')",
    "date": "one day: start = end = date",
}

_TEXT_COLUMNS = ("quote", "url", "note")
_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0", ""}


class _Failures:
    """Collects failing cells as small frames and concatenates them once."""

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []

    def add(self, mask: pd.Series, column: str, value: pd.Series, reason: Reason, detail: Any) -> None:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        rows = mask.index[mask.to_numpy()]
        details = detail[mask] if isinstance(detail, pd.Series) else pd.Series(detail, index=rows)
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
        return out.sort_values(["row", "column"], kind="stable", ignore_index=True)


def _blank(series: pd.Series) -> pd.Series:
    """True where a raw cell carries no value (NA, None, empty or blank text)."""
    missing = series.isna()
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        text = series.astype("str")
        missing |= text.str.strip().eq("")
    return missing


def _as_text(series: pd.Series) -> pd.Series:
    """Raw cells as stripped text, NA where blank."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    out = series.astype("str").str.strip()
    return out.where(~_blank(series))


def _verbatim(series: pd.Series) -> pd.Series:
    """Raw cells as text exactly as given (free text is never stripped), NA where missing."""
    return series.astype(object).where(series.notna()).astype(STRING_DTYPE)


def _raw(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype=object)


def _to_dates(raw: pd.Series, column: str, failures: _Failures) -> pd.Series:
    """Parse a date column (ISO strings, dates, timestamps) to datetime64[s] at midnight."""
    given = ~_blank(raw)
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        parsed = raw
    else:
        text = _as_text(raw)
        parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
        # Dates like "June 5, 2017" or "5 June 2017": fall back to the vocabulary on the rest.
        retry = given & parsed.isna()
        if retry.any():
            from casualties.vocab import parse_periods

            periods = parse_periods(text[retry])
            single = periods["error"].isna() & (periods["start"] == periods["end"])
            parsed = parsed.astype(DATE_DTYPE)
            parsed.loc[single[single].index] = periods.loc[single, "start"]
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    parsed = parsed.astype(DATE_DTYPE).dt.normalize()
    failures.add(given & parsed.isna(), column, raw, Reason.NOT_A_DATE, "not a date (use YYYY-MM-DD)")
    return parsed


#: How a number column may say "no upper limit" (any case).
_INFINITE_WORDS = ("inf", "infinity", "∞", "+inf", "+infinity", "+∞")


def _to_numbers(raw: pd.Series, column: str, failures: _Failures) -> pd.Series:
    given = ~_blank(raw)
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        numbers = raw.astype("float64")
    else:
        text = _as_text(raw).str.replace(",", "", regex=False)
        # "inf", "Infinity", "+∞"...: a set lookup (Arrow) rather than a case-blind regex,
        # which pandas runs in Python row by row
        text = text.mask(text.str.lower().isin(_INFINITE_WORDS), "inf")
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    failures.add(given & numbers.isna(), column, raw, Reason.NOT_A_NUMBER, "not a number")
    return numbers


def _to_category(raw: pd.Series, column: str, failures: _Failures, default: str | None) -> pd.Series:
    dtype: pd.CategoricalDtype = _DTYPES[column]
    text = _as_text(raw).str.lower()
    if default is not None:
        text = text.fillna(default)
    bad = text.notna() & ~text.isin(dtype.categories)
    out = text.where(~bad).astype(dtype)
    failures.add(bad, column, raw, Reason.UNKNOWN_VALUE, f"not one of {', '.join(dtype.categories)}")
    return out


def _resolve(raw: pd.Series, column: str, hierarchy: Any, reason: Reason, failures: _Failures, default: str | None) -> pd.Series:
    text = _as_text(raw)
    if default is not None:
        text = text.fillna(default)
    ids, problems = hierarchy.resolve_series(text, many=True)
    failures.add(problems.notna(), column, raw, reason, problems)
    return ids.astype(STRING_DTYPE)


def _infer_precision(start: pd.Series, end: pd.Series) -> pd.Series:
    """day / week / month / year / range from the shape of [start, end]."""
    day = start == end
    month = (start.dt.day == 1) & (end == start + pd.offsets.MonthEnd(0))
    year = (start.dt.day_of_year == 1) & (end == start + pd.offsets.YearEnd(0))
    week = (start.dt.day_of_week == 0) & ((end - start) == pd.Timedelta(days=6))
    out = np.select([day, week, month, year], ["day", "week", "month", "year"], default="range")
    return pd.Series(out, index=start.index).astype(_DTYPES["date_precision"])


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
    from casualties.names import categories, perpetrators, resolve_outcomes, resolve_sources
    from casualties.places import place_tree
    from casualties.vocab import parse_counts, parse_periods

    raw = raw.reset_index(drop=True)
    raw.index.name = "row"
    failures = _Failures()
    out = pd.DataFrame(index=raw.index)

    # claim_id
    ids = _as_text(_raw(raw, "claim_id"))
    out["claim_id"] = ids.fillna(pd.Series("c" + (raw.index + 1).astype(str), index=raw.index)).astype(STRING_DTYPE)

    # source and its type
    source_raw = _raw(raw, "source")
    source_text = _as_text(source_raw)
    failures.add(source_text.isna(), "source", source_raw, Reason.MISSING, "a claim needs a source")
    canonical, types, known = resolve_sources(source_text)
    unknown = source_text.notna() & ~known.astype(bool)
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
        parsed = parse_periods(period_text, out["reported_on"])
        bad = parsed["error"].notna()
        failures.add(bad, "period", period_raw, Reason.NOT_A_PERIOD, parsed["error"])
        ok = period_text.notna() & ~bad
        for col, target in (("start", start), ("end", end)):
            clash = ok & target.notna() & (target != parsed[col])
            failures.add(clash, col, target, Reason.CONFLICTING_INPUT, f"{col} disagrees with the period words")
        start = start.fillna(parsed["start"].where(ok))
        end = end.fillna(parsed["end"].where(ok))
        precision = precision.fillna(parsed["precision"].where(ok))
    failures.add(start.isna() & ~_blank(_raw(raw, "end")).to_numpy() & end.notna(), "start", start, Reason.MISSING, "end given without start")
    failures.add(
        start.isna() & ~(period_text.notna()) & _blank(_raw(raw, "start")) & _blank(_raw(raw, "date")),
        "start", start, Reason.MISSING, "a claim needs a start date, a date or a period",
    )
    end = end.fillna(start)
    out["start"], out["end"] = start.astype(DATE_DTYPE), end.astype(DATE_DTYPE)
    inferred = _infer_precision(out["start"], out["end"])
    out["date_precision"] = _to_category(precision.fillna(inferred.astype(object)), "date_precision", failures, "range")
    failures.add(out["start"] > out["end"], "end", out["end"], Reason.START_AFTER_END, "end is before start")

    # place, category, perpetrator
    place_raw = _raw(raw, "place")
    failures.add(_blank(place_raw), "place", place_raw, Reason.MISSING, "a claim needs a place")
    out["place"] = _resolve(place_raw, "place", place_tree(), Reason.UNKNOWN_PLACE, failures, None)
    out["category"] = _resolve(_raw(raw, "category"), "category", categories(), Reason.UNKNOWN_CATEGORY, failures, "all")
    out["category"] = _to_category(out["category"], "category", failures, "all")
    out["perpetrator"] = _resolve(_raw(raw, "perpetrator"), "perpetrator", perpetrators(), Reason.UNKNOWN_PERPETRATOR, failures, "all")
    out["outcome"] = _to_category(resolve_outcomes(_raw(raw, "outcome")), "outcome", failures, "killed")
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
        parsed = parse_counts(count_text)
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
    no_count = low.isna() & best.isna() & high.isna() & count_text.isna()
    failures.add(no_count, "low", low, Reason.MISSING, "a claim needs a count (count, or low/best/high)")
    low, best, high = _fill_bounds(low, best, high)
    out["low"], out["best"], out["high"] = low, best, high
    default_qualifier = np.select(
        [(low == best) & (best == high), np.isinf(high), low == 0], ["exact", "at-least", "up-to"], default="between"
    )
    out["qualifier"] = qualifier.fillna(pd.Series(default_qualifier, index=raw.index)).astype(STRING_DTYPE)
    prov_bad = provisional_text.notna() & ~provisional_text.isin(_TRUE | _FALSE)
    failures.add(prov_bad, "provisional", provisional_raw, Reason.UNKNOWN_VALUE, "not true or false")
    out["provisional"] = provisional_text.isin(_TRUE).astype(bool)
    out["certainty"] = _to_category(_raw(raw, "certainty"), "certainty", failures, None)

    # text columns: never NA, so that CSV round trips are lossless
    out["quote"] = quote.fillna("").astype(STRING_DTYPE)
    for name in ("url", "note"):
        out[name] = _verbatim(_raw(raw, name)).fillna("").astype(STRING_DTYPE)

    _check_invariants(out, failures)
    table = failures.frame()
    bad_rows = table["row"].unique()
    extra = [c for c in raw.columns if c not in COLUMN_NAMES and c not in INPUT_COLUMNS]
    for name in extra:
        out[name] = raw[name]
    claims = out.drop(index=bad_rows) if len(bad_rows) else out
    claims = claims.astype(_DTYPES)
    return claims, table


def _check_invariants(frame: pd.DataFrame, failures: _Failures) -> None:
    """The invariants of a normalised frame, checked with pandera where it fits."""
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
    failures.add(frame["low"] > frame["best"], "low", frame["low"], Reason.LOW_ABOVE_BEST, "low is above best")
    failures.add(frame["best"] > frame["high"], "high", frame["high"], Reason.BEST_ABOVE_HIGH, "high is below best")


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
        raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")
    records = records if isinstance(records, pd.DataFrame) else list(records)
    frame = records.copy() if isinstance(records, pd.DataFrame) else pd.DataFrame(records, index=pd.RangeIndex(len(records)))
    claims, failures = normalize(frame)
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
