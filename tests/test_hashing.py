"""Sequences hashed in numpy (casualties.hashing) against the polynomial written out in Python."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from casualties.hashing import _BASE, sequence_hashes


def _reference(sequence: list[int]) -> int:
    """The definition: sum of (value + 1) * base**position mod 2**64, XOR the length shifted left by 56."""
    total = sum((value + 1) * int(_BASE) ** position for position, value in enumerate(sequence)) % 2**64
    return total ^ ((len(sequence) << 56) % 2**64)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 255), max_size=6), max_size=8))
def test_sequence_hashes_are_the_polynomial(sequences):
    lengths = np.array([len(s) for s in sequences], dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    values = np.array([v for s in sequences for v in s], dtype=np.uint64)
    assert sequence_hashes(values, starts, lengths).tolist() == [_reference(s) for s in sequences]


def test_equal_sequences_hash_equal_wherever_they_lie():
    values = np.array([3, 1, 4, 9, 3, 1, 4], dtype=np.uint64)
    hashes = sequence_hashes(values, np.array([0, 3, 4]), np.array([3, 1, 3]))
    assert hashes[0] == hashes[2] != hashes[1]
