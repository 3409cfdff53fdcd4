"""Sentences of a text, with the offset of each: the unit :func:`~casualties.extract.extract_claims` reads.

A claim's ``quote`` is the sentence its figure stands in, verbatim, so the split keeps offsets
into the text and strips only the whitespace around each sentence.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“'‘(]?[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\bLt|\bGen|\bCol|\bMr|\bMrs|\bDr|\bSt|\bNo|\bvs)\.$")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split a text into sentences, with the offset of each in the text.

    A sentence ends at ``.``, ``!`` or ``?`` before a capital or a digit (not after an initial
    or a title: "U.S.", "Lt."), and at a line break before a capital or a blank line.

    Returns
    -------
    list of (int, str)
        ``(offset, sentence)``, the sentence stripped of surrounding whitespace.
    """
    pieces: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        head = text[start : match.start()]
        if "\n" not in match.group() and _ABBREVIATION.search(head):
            continue
        pieces.append((start, head))
        start = match.end()
    pieces.append((start, text[start:]))
    out = []
    for offset, piece in pieces:
        stripped = piece.strip()
        if stripped:
            out.append((offset + len(piece) - len(piece.lstrip()), stripped))
    return out
