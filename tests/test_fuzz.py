"""Hostile input (issue 17): only ``CasualtiesError`` subclasses escape, and no row is lost.

Arbitrary values (bytes, lone surrogates, far dates, complex numbers, nested lists, time zones),
odd structures, arbitrary file bytes and nested JSON are fed to ``claims_from_records``,
``read_claims`` and the command's ``main``. Every input row must come out either as a claim or in
the failure table, never both, and the command must end with an exit code and one line.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casualties.cli import main
from casualties.errors import CasualtiesError, ClaimError
from casualties.io import read_claims
from casualties.schema import COLUMN_NAMES, INPUT_COLUMNS, claims_from_records

GOOD = {"source": "SOHR", "date": "2017-06-05", "place": "Raqqa", "count": "21"}
COLUMNS = [*COLUMN_NAMES, *INPUT_COLUMNS, "extra"]

surrogates = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3)
zones = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=2)), dt.timezone(dt.timedelta(hours=-11, minutes=-30))])
far_dates = st.one_of(
    st.dates(),  # years 1 to 9999
    st.datetimes(timezones=st.one_of(st.none(), zones)),
    st.integers(-(2**40), 2**40).map(lambda s: np.datetime64(s * 10_000, "s")),
    st.sampled_from(["0000-01-01", "-3", "0017-06-05", "9999-12-31", "2017-06-05T10:00:00+02:00", "June 5, 2017", "yesterday"]),
)
scalars = st.one_of(
    st.none(),
    st.text(max_size=12),
    surrogates,
    st.binary(max_size=8),
    st.integers(),
    st.floats(),
    st.complex_numbers(),
    st.booleans(),
    st.decimals(allow_nan=True),
    st.fractions(),
    far_dates,
    st.sampled_from([np.int64(7), np.float32(2.5), np.bool_(True), pd.NA, pd.NaT, float("inf"), "inf", "Iraq and Syria"]),
)
cells = st.one_of(scalars, st.lists(scalars, max_size=3), st.tuples(scalars, scalars), st.frozensets(st.text(max_size=6), max_size=3),
                  st.dictionaries(st.text(max_size=3), scalars, max_size=2))
records = st.one_of(
    st.dictionaries(st.sampled_from(COLUMNS), cells, max_size=8).map(lambda r: {**GOOD, **r}),
    st.dictionaries(st.sampled_from(COLUMNS), cells, max_size=8),
    st.just(GOOD),
    st.just({}),
    scalars,  # not a record at all
)


def _accounted(claims: pd.DataFrame, failures: pd.DataFrame, n: int) -> None:
    kept, rejected = set(claims.index), set(failures["row"])
    assert kept.isdisjoint(rejected)
    assert kept | rejected == set(range(n))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(records, max_size=6))
def test_records_only_our_errors_escape_and_no_row_is_lost(rows):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        claims, failures = claims_from_records(rows, errors="collect")
        _accounted(claims, failures, len(rows))
        try:
            claims_from_records(rows, errors="raise")
        except ClaimError as exc:
            str(exc).encode("utf-8")  # the message can be printed
            assert len(exc.failures)
    for column in ("start", "end", "reported_on"):
        values = claims[column].dropna()
        assert ((values >= pd.Timestamp("1678-01-01")) & (values <= pd.Timestamp("2261-12-31"))).all()
    assert np.isfinite(claims["low"]).all() and np.isfinite(claims["best"]).all()


@settings(max_examples=40, deadline=None)
@given(st.one_of(scalars, st.lists(st.lists(scalars, max_size=2), max_size=2), st.dictionaries(st.text(max_size=3), scalars, max_size=2)))
def test_structures_that_are_not_records(value):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            claims, failures = claims_from_records(value, errors="collect")
        except CasualtiesError:
            return
    _accounted(claims, failures, len(list(value)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), suffix=st.sampled_from(["csv", "json", "csv.gz", "json.gz", "parquet"]))
def test_arbitrary_file_bytes_raise_only_our_errors(tmp_path, data, suffix):
    path = tmp_path / f"claims.{suffix}"
    path.write_bytes(data)
    _read_any(path)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8), surrogates),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.sampled_from(COLUMNS), children, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(json_values, st.lists(st.one_of(records.filter(lambda r: isinstance(r, dict)), json_values), max_size=5)),
       compressed=st.booleans())
def test_arbitrary_json_is_read_or_refused_with_every_row_accounted(tmp_path, value, compressed):
    text = json.dumps(value, default=str)
    path = tmp_path / ("claims.json.gz" if compressed else "claims.json")
    path.write_bytes(gzip.compress(text.encode()) if compressed else text.encode())
    result = _read_any(path)
    if result is not None and isinstance(value, list):
        _accounted(*result, len(value))


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_refused(tmp_path, depth):
    path = tmp_path / "deep.json"
    path.write_text("[" * depth + "]" * depth, encoding="utf-8")
    _read_any(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.one_of(st.text(max_size=10), st.sampled_from(["", "\r", "\n", '"', ",", "NA", "inf", "2017-06-05"])),
                              min_size=4, max_size=4), max_size=6))
def test_csv_text_of_any_shape_keeps_every_record(tmp_path, rows):
    frame = pd.DataFrame(rows, columns=["source", "date", "place", "count"], dtype=object)
    path = tmp_path / "claims.csv"
    frame.to_csv(path, index=False, quoting=1)  # every cell quoted: one record per row, whatever it holds
    result = _read_any(path)
    if result is not None:
        claims, failures = result
        blank = frame.eq("").all(axis=1).to_numpy()  # a row of empty cells is a blank line: no record, not numbered away
        kept, rejected = set(claims.index), set(failures["row"])
        assert kept.isdisjoint(rejected)
        assert kept | rejected == set(np.flatnonzero(~blank))


def _read_any(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return read_claims(path, errors="collect")
        except CasualtiesError:
            return None


# -- the command ---------------------------------------------------------------------------------------
def _run(argv: list[str], capsys) -> int:
    code = main(argv)
    captured = capsys.readouterr()
    assert isinstance(code, int)
    assert "Traceback" not in captured.err
    if code not in (0, 1):
        assert captured.err.count("\n") == 1, captured.err
    return code


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200), suffix=st.sampled_from(["csv", "json", "csv.gz", "parquet"]))
def test_the_command_on_arbitrary_files_ends_with_one_line_and_a_code(tmp_path, capsys, data, suffix):
    path = tmp_path / f"claims.{suffix}"
    path.write_bytes(data)
    assert _run(["validate", str(path)], capsys) in (0, 1, 2)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(option=st.sampled_from(["--from", "--to", "--place", "--perpetrator", "--category", "--by"]),
       value=st.one_of(st.text(max_size=12).filter(lambda t: not t.startswith("-") and "\x00" not in t),
                       st.sampled_from(["0000-01-01", "-5", "9999-12-31", "2017", "ISIS and coalition", "2017-13-45"])))
def test_the_command_on_arbitrary_options_ends_with_one_line_and_a_code(capsys, option, value):
    assert _run(["report", f"{option}={value}", "--quiet", "--format", "json"], capsys) in (0, 1, 2)


def test_the_command_on_a_file_of_hostile_cells(tmp_path, capsys):
    path = tmp_path / "hostile.json"
    rows = [GOOD, {**GOOD, "note": "\ud800"}, {**GOOD, "date": "0000-01-01"}, {**GOOD, "place": ["Iraq", "Syria"]}, 5, {}]
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert _run(["validate", str(path)], capsys) == 1
    for fmt in ("md", "csv", "json", "html"):
        assert _run(["report", str(path), "--quiet", "--format", fmt], capsys) == 0
    out = io.StringIO()
    sys.stdout, saved = out, sys.stdout
    try:
        assert main(["report", str(path), "--quiet", "--format", "csv"]) == 0
    finally:
        sys.stdout = saved
    out.getvalue().encode("utf-8")
