"""The bulk path for incidents (casualties.batch): incidents of the same shape, found by hashing
their sequences of (category, perpetrator) keys, are those a plain join of the keys finds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casualties import hashing
from casualties.batch import _shapes

KEYS = st.sampled_from(["civilian\x1fcoalition", "child\x1fcoalition", "woman\x1fcoalition", "civilian\x1frussia", "all\x1fall"])


def _joined(groups: list[list[str]]) -> tuple[np.ndarray, list[str]]:
    """The definition: each incident's keys joined, factorised in order of first appearance."""
    codes, names = pd.factorize(pd.Series(["\x1e".join(keys) for keys in groups], dtype=object))
    return codes, list(names)


def _arrays(groups: list[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    key = np.array([k for keys in groups for k in keys], dtype=str)
    sizes = np.array([len(keys) for keys in groups])
    return key, np.repeat(np.arange(len(groups)), sizes), np.r_[0, np.cumsum(sizes)[:-1]]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(KEYS, min_size=1, max_size=5), min_size=1, max_size=12), st.booleans())
def test_shapes_are_the_joined_keys(groups, collide):
    """With a base of 0 every sequence that begins alike hashes alike: the check against the
    first incident of each hash must then fall back to the join."""
    with pytest.MonkeyPatch.context() as patch:
        if collide:
            patch.setattr(hashing, "_BASE", np.uint64(0))
        codes, names = _shapes(*_arrays(groups))
    expected_codes, expected_names = _joined(groups)
    assert codes.tolist() == expected_codes.tolist()
    assert names == expected_names
