"""Internal pieces of the engine, against their plain definitions."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from casualties.engine import _bin_range


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(1, 10)), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(-20, 80), st.integers(1, 15)), min_size=1, max_size=30),
)
def test_bin_range_is_the_periods_each_interval_meets(gaps_and_lengths, intervals):
    lo, hi, day = [], [], 0
    for gap, length in gaps_and_lengths:  # sorted, disjoint periods, possibly with gaps
        day += gap
        lo.append(day)
        day += length
        hi.append(day)
    lo, hi = np.array(lo), np.array(hi)
    start = np.array([s for s, _ in intervals])
    stop = start + np.array([n for _, n in intervals])
    first, last = _bin_range(lo, hi, start, stop)
    for i in range(len(start)):
        met = [p for p in range(len(lo)) if lo[p] < stop[i] and start[i] < hi[p]]
        found = list(range(first[i], last[i] + 1))
        assert found == met
