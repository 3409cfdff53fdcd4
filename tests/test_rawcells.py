"""Raw cells as text (casualties.rawcells): the fast path that reads each cell's first and last
byte gives what trimming every cell gives, and the hashed uniqueness check gives what a set gives."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casualties import rawcells
from casualties.rawcells import all_distinct, as_text, blank

#: Letters, ASCII and Unicode whitespace, and letters beyond ASCII (Arabic, accents).
ALPHABET = st.sampled_from(["a", "Z", "1", " ", "\t", "\n", "\x1c", "\u00a0", "\u3000", "\u2009", "\u180e", "\u0628", "é", "-"])
CELLS = st.lists(st.one_of(st.none(), st.text(ALPHABET, max_size=4)), max_size=12)


def _trimmed(series: pd.Series) -> list:
    """The definition: Arrow's own trim of every cell, empty text missing."""
    trimmed = pc.utf8_trim_whitespace(series.array.__arrow_array__())
    return [None if v is None or v == "" else v for v in trimmed.to_pylist()]


@settings(max_examples=300, deadline=None)
@given(CELLS, st.integers(0, 3))
def test_as_text_and_blank_equal_trimming_every_cell(cells, cut):
    series = pd.Series(pd.array(cells, dtype="str"))[min(cut, len(cells)):]  # a slice: offsets not at 0
    expected = _trimmed(series)
    got = as_text(series)
    assert [None if pd.isna(v) else v for v in got.tolist()] == expected
    assert blank(series).tolist() == [v is None for v in expected]


def test_a_column_that_needs_no_trimming_is_returned_as_it_is():
    series = pd.Series(pd.array(["SY-RA", "tabqa", None, "coalition"], dtype="str"))
    assert as_text(series) is series
    assert blank(series).tolist() == [False, False, True, False]


def _chunked(cells: list, cuts: list[int]) -> pd.Series:
    """Text cells as one Arrow column of several chunks (as Arrow's CSV reader gives, one per block)."""
    bounds = sorted({0, len(cells), *(min(c, len(cells)) for c in cuts)})
    chunks = [pa.array(cells[a:b], type=pa.large_string()) for a, b in zip(bounds, bounds[1:])]
    return pd.Series(pd.array(pa.chunked_array(chunks, type=pa.large_string()), dtype="str"))


@settings(max_examples=300, deadline=None)
@given(CELLS, st.lists(st.integers(0, 12), max_size=3))
def test_as_text_and_blank_equal_trimming_every_cell_over_chunks(cells, cuts):
    series = _chunked(cells, cuts)
    expected = _trimmed(series)
    assert [None if pd.isna(v) else v for v in as_text(series).tolist()] == expected
    assert blank(series).tolist() == [v is None for v in expected]


IDS = st.lists(st.text(st.sampled_from(["a", "b", "1", " ", "\x00", "é", "\u0628"]), max_size=5), max_size=30)


@settings(max_examples=300, deadline=None)
@given(IDS, st.lists(st.integers(0, 30), max_size=3), st.integers(0, 3))
def test_all_distinct_equals_a_set(ids, cuts, cut):
    series = _chunked(ids, cuts)[min(cut, len(ids)):]  # chunks and a slice: offsets not at 0
    assert all_distinct(series) == (len(set(ids[cut:])) == len(ids[cut:]))
    assert all_distinct(series.astype(object)) == (len(set(ids[cut:])) == len(ids[cut:]))


@pytest.mark.parametrize(("ids", "distinct"), [(["a", "b", "c"], True), (["a", "b", "a"], False), (["", "x", ""], False)])
def test_all_distinct_compares_the_text_when_hashes_meet(monkeypatch, ids, distinct):
    """Every hash equal (the worst case): the text itself decides."""
    monkeypatch.setattr(rawcells, "_text_hashes", lambda chunk: pa.array([0] * len(chunk), type=pa.uint64()).to_numpy())
    assert all_distinct(pd.Series(pd.array(ids, dtype="str"))) is distinct


def test_all_distinct_with_missing_ids():
    assert all_distinct(pd.Series(pd.array(["a", None], dtype="str")))
    assert not all_distinct(pd.Series(pd.array([None, "a", None], dtype="str")))
