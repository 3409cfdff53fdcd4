"""Scope: names resolve, dates parse, bad input is a clear error."""

from __future__ import annotations

import pandas as pd
import pytest

from casualties.errors import ParseError, UnknownNameError
from casualties.scope import Scope


def test_names_and_aliases_resolve_as_in_the_claims_frame():
    scope = Scope(start="2017-06-06", end="2017-10-17", place="Iraq and Syria", category="civilians", perpetrator="US-led coalition")
    assert scope.place == ("IQ", "SY")
    assert scope.category == "civilian" and scope.perpetrator == ("coalition",)
    assert scope.start == pd.Timestamp("2017-06-06") and scope.outcome == "killed"


def test_none_means_everything():
    scope = Scope()
    assert (scope.start, scope.end, scope.place, scope.category, scope.perpetrator) == (None,) * 5
    assert repr(scope) == "Scope([-inf, inf], killed)"


def test_dates_may_be_words():
    assert Scope(start="June 5, 2017").start == pd.Timestamp("2017-06-05")


def test_replace_returns_a_resolved_copy():
    scope = Scope(place="Syria")
    other = scope.replace(place="Raqqa")
    assert scope.place == ("SY",) and other.place == ("raqqa",)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"place": "Atlantis"}, UnknownNameError),
        ({"category": "aliens"}, UnknownNameError),
        ({"start": "the 45th of Smarch"}, ParseError),
        ({"start": "2017-06-07", "end": "2017-06-01"}, ValueError),
        ({"outcome": "missing"}, ValueError),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, error):
    with pytest.raises(error):
        Scope(**kwargs)
