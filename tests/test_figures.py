"""Figures in a sentence: number phrases with their counts, dates and years, the nearest casualty word."""

from __future__ import annotations

import pytest

from casualties.figures import (
    CAPTURED_RE,
    CASUALTY_RE,
    DATE_RE,
    DISPLACED_RE,
    NAME_BEFORE,
    THINGS,
    YEAR_RE,
    find_casualty_word,
    find_figures,
    inside,
    nearest_match,
    spans,
)

SENTENCE = "At least 21 civilians, including a child, were killed in Raqqa on September 23, 2014; 3 fled."


def test_find_figures_in_order_with_their_counts():
    found = find_figures(SENTENCE)
    assert [(f.group(), f.count) for f in found] == [
        ("At least 21", "At least 21"),
        ("a child", "1"),  # one person without a number
        ("23", "23"),
        ("2014", "2014"),
        ("3", "3"),
    ]
    for figure in found:
        start, end = figure.span()
        assert (figure.start(), figure.end()) == (start, end)
        assert SENTENCE[start:end] == figure.group()[: end - start]


@pytest.mark.parametrize(
    "text, words",
    [
        ("Between 8 and 13 militants died.", "Between 8 and 13"),
        ("Around 1,500 people died.", "Around 1,500"),
        ("An explosion killed twenty-one people.", "twenty-one"),
        ("Dozens of civilians were killed.", "Dozens"),
    ],
)
def test_find_figures_reads_ranges_words_and_vague_amounts(text, words):
    assert [f.group() for f in find_figures(text)] == [words]


def test_dates_and_years():
    dates = spans(DATE_RE, SENTENCE)
    assert [SENTENCE[a:b] for a, b in dates] == ["September 23, 2014"]
    assert [inside(f.span(), dates) for f in find_figures(SENTENCE)] == [False, False, True, True, False]
    assert YEAR_RE.fullmatch("2014") and not YEAR_RE.fullmatch("1350")


def test_casualty_word_nearest_or_passive_and_not_across_clauses():
    words = list(CASUALTY_RE.finditer(SENTENCE))
    first, *_, last = find_figures(SENTENCE)
    distance, word = find_casualty_word(words, first, SENTENCE, 7)
    assert (distance, word.group(), word.group("killed")) == (5, "killed", "killed")
    assert find_casualty_word(words, last, SENTENCE, 7) is None  # "killed" is in the clause before the ";"
    passive = "Dozens of fighters were reportedly killed near Homs."
    figure = find_figures(passive)[0]
    assert find_casualty_word(list(CASUALTY_RE.finditer(passive)), figure, passive, 1)[1].group() == "killed"
    assert nearest_match(list(CASUALTY_RE.finditer(passive)), figure, passive, 1) is None


def test_displaced_captured_things_and_names():
    assert nearest_match(list(DISPLACED_RE.finditer(SENTENCE)), find_figures(SENTENCE)[-1], SENTENCE, 5)[1].group() == "fled"
    assert CAPTURED_RE.search("The SDF captured 20 fighters.")
    assert THINGS.match("km from the border") and not THINGS.match("civilians")
    assert NAME_BEFORE.search("the Division ") and not NAME_BEFORE.search("on Monday ")
