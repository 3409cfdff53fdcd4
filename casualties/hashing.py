"""Sequences hashed to 64 bits in numpy: a first, vectorised pass to tell sequences apart.

Equal sequences always hash equal; unequal ones almost never do, so a caller that must be exact
compares the sequences whose hashes meet (:func:`casualties.rawcells.all_distinct`, the
incidents' shapes in :mod:`casualties.batch`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["sequence_hashes"]

#: The base of the polynomial (odd: no power of it is 0 mod 2**64).
_BASE = np.uint64(0x100000001B3)


def sequence_hashes(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each sequence of ``values``: a polynomial over its values (plus one, so
    that a 0 counts) in ``2**64`` arithmetic, mixed with its length.

    Parameters
    ----------
    values : numpy.ndarray of unsigned int
        The sequences laid end to end, in order (the bytes of text, the codes of keys).
    starts, lengths : numpy.ndarray of int
        Where each sequence begins in ``values``, and how long it is (0: empty).

    Returns
    -------
    numpy.ndarray of uint64
        One hash per sequence.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    hashes = lengths.astype(np.uint64) << np.uint64(56)
    some = lengths > 0
    if not some.any():
        return hashes
    powers = np.ones(int(lengths.max()), dtype=np.uint64)
    powers[1:] = _BASE
    powers = np.cumprod(powers, dtype=np.uint64)
    position = np.arange(len(values), dtype=np.int64) - np.repeat(starts, lengths)
    terms = (np.asarray(values, dtype=np.uint64) + np.uint64(1)) * powers[position]
    hashes[some] ^= np.add.reduceat(terms, np.asarray(starts)[some])
    return hashes
