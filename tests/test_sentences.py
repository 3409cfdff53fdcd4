"""split_sentences: sentences with their offsets, not cut after an initial or a title."""

from __future__ import annotations

from casualties.sentences import split_sentences


def test_split_sentences_keeps_offsets():
    text = "U.S. forces said 3 died. Lt. Col. Smith said so.\n\nA title\nNext line."
    for offset, sentence in split_sentences(text):
        assert text[offset : offset + len(sentence)] == sentence
    assert next(s for _, s in split_sentences(text)) == "U.S. forces said 3 died."
