"""Cues of a sentence: sources, places, periods, perpetrators, categories and kinds, and name lookups."""

from __future__ import annotations

from casualties.cues import (
    Context,
    find_category,
    find_demonym_place,
    find_kind,
    find_periods,
    find_perpetrator,
    find_places,
    find_sources,
    lookup,
    resolve_source_phrase,
)
from casualties.figures import find_figures

REPORTED = "2017-06-06"


def test_lookup_and_source_phrases():
    assert lookup("source", "SOHR") == ("SOHR", "monitor")
    assert lookup("source", "nobody at all xyz") is None
    assert (lookup("place", "Raqqa"), lookup("category", "children"), lookup("perpetrator", "Russia")) == ("raqqa", "children", "russia")
    assert resolve_source_phrase("people who tried to escape Raqqa, SOHR") == ("SOHR", "monitor")
    assert resolve_source_phrase("nobody") is None


def test_sources_and_words_that_point_back():
    context = Context()
    assert find_sources("SOHR said 21 civilians were killed.", context) == [(0, "SOHR")]
    assert find_sources("It said 3 died.", context) == []  # nothing to point back to yet
    context.source, context.monitor = "Reuters", "SOHR"
    assert find_sources("The monitor said 3 died.", context) == [(0, "SOHR")]
    assert find_sources("It said 3 died.", context) == [(0, "Reuters")]


def test_places_joined_and_not_names_of_sources():
    assert find_places("Strikes hit Raqqa and Idlib, and Homs, SOHR said.") == [(12, "Raqqa and Idlib, and Homs", "raqqa|idlib|homs")]
    assert find_places("The US military said so.") == []
    assert find_demonym_place("Syrian civilians died.") == (0, "Syria", "SY")
    assert find_demonym_place("The Syrian Observatory said so.") is None


def test_perpetrator_nearest_and_not_the_target():
    assert find_perpetrator("A Russian air strike killed 30.", 27) == "russia"
    assert find_perpetrator("Strikes against ISIS killed 30.", 28) is None
    assert find_perpetrator("30 died.", 0) is None


def test_periods_in_words_parse_period_reads():
    sentence = "since September 23, 2014 and on Monday and overnight"
    assert find_periods(sentence, REPORTED) == [(6, "since September 23, 2014"), (32, "Monday"), (43, "in the past 24 hours")]


def test_category_and_kind():
    def category(sentence):
        return find_category(sentence, find_figures(sentence)[0])

    assert (category("21 civilians were killed"), category("21 were killed"), category("21 of them children")) == ("civilian", "all", "children")
    assert find_kind("21 died on Monday.", "Monday", REPORTED) == "incident"
    assert find_kind("21 died so far.", None, REPORTED) == "total"
    assert find_kind("21 died in May.", "May", REPORTED) == "total"  # a period longer than a day
    assert find_kind("Air strikes have killed 21.", None, REPORTED) == "total"
