"""Raw cells as text (casualties.rawcells): the fast path that reads each cell's first and last
byte gives what trimming every cell gives."""

from __future__ import annotations

import pandas as pd
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from casualties.rawcells import as_text, blank

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
