"""Scope: names resolve, dates parse, bad input is a clear error."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casualties.errors import (
    AmbiguousNameWarning,
    CasualtiesError,
    ConjunctionError,
    ScopeError,
    ScopeTypeError,
    UnknownNameError,
)
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
    with pytest.warns(AmbiguousNameWarning):
        other = scope.replace(place="Raqqa")
    assert scope.place == ("SY",) and other.place == ("raqqa",)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"place": "Atlantis"}, UnknownNameError),
        ({"category": "aliens"}, UnknownNameError),
        ({"start": "the 45th of Smarch"}, ScopeError),  # was ParseError: now it names the argument
        ({"start": "2017-06-07", "end": "2017-06-01"}, ValueError),
        ({"outcome": "missing"}, ValueError),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, error):
    with pytest.raises(error):
        Scope(**kwargs)


# -- issue 13: whole years and months, outcome words, lists, ambiguous places -------------------
@pytest.mark.parametrize(("kwargs", "start", "end"), [
    ({"start": 2017, "end": 2018}, "2017-01-01", "2018-12-31"),  # was 1970-01-01 (2017 ns)
    ({"start": "2017", "end": "2017"}, "2017-01-01", "2017-12-31"),
    ({"end": "2017-12"}, None, "2017-12-31"),  # was 2017-12-01
    ({"start": "2017-12", "end": "December 2017"}, "2017-12-01", "2017-12-31"),
    ({"start": "Q2 2017", "end": "the first half of 2017"}, "2017-04-01", "2017-06-30"),
    ({"start": np.int64(2016), "end": np.datetime64("2017-03")}, "2016-01-01", "2017-03-31"),
    ({"start": dt.datetime(2017, 6, 5, 23, 0), "end": pd.Timestamp("2017-06-06 01:00", tz="UTC")},
     "2017-06-05", "2017-06-06"),
])
def test_a_year_or_a_month_means_all_of_it(kwargs, start, end):
    scope = Scope(**kwargs)
    assert scope.start == (None if start is None else pd.Timestamp(start))
    assert scope.end == pd.Timestamp(end)


@pytest.mark.parametrize(("word", "outcome"), [
    ("killed", "killed"), ("dead", "killed"), ("died", "killed"), ("Fatalities", "killed"), ("deaths", "killed"),
    ("injured", "injured"), ("wounded", "injured"), ("hurt", "injured"),
])
def test_outcome_words_resolve(word, outcome):
    assert Scope(outcome=word).outcome == outcome


def test_places_and_perpetrators_take_any_collection():
    assert Scope(place=["Iraq", "Syria"]).place == ("IQ", "SY")
    assert Scope(place=("SY-RA", "Mosul")).place == ("SY-RA", "mosul")
    assert Scope(place={"Iraq"}).place == ("IQ",)
    assert Scope(place=pd.Series(["Syria"])).place == ("SY",)
    assert Scope(perpetrator=["ISIS", "coalition"]).perpetrator == ("coalition", "isis")
    assert Scope(perpetrator="ISIS|coalition").perpetrator == ("coalition", "isis")


def test_an_ambiguous_place_is_the_city_and_warns_how_to_ask_for_the_governorate():
    with pytest.warns(AmbiguousNameWarning, match="Idlib governorate") as caught:
        scope = Scope(place="Idlib")
    assert scope.place == ("idlib",)
    assert caught[0].filename == __file__  # the warning points at the caller
    assert Scope(place="Idlib governorate").place == ("SY-ID",)
    assert Scope(place="Idlib city").place == ("idlib",)


def test_perpetrators_joined_by_and_are_refused_with_the_way_out():
    with pytest.raises(ConjunctionError, match=r"isis\|coalition|coalition\|isis") as info:
        Scope(perpetrator="ISIS and coalition")
    assert isinstance(info.value, ValueError) and info.value.parts == ("isis", "coalition")
    assert "one claim per perpetrator" in str(info.value)


# -- issue 17: only our errors, naming the argument and the values allowed -----------------------
@pytest.mark.parametrize(("kwargs", "error", "argument"), [
    ({"place": 5}, ScopeTypeError, "place"),
    ({"place": [5]}, ScopeTypeError, "place"),
    ({"place": []}, ScopeError, "place"),
    ({"perpetrator": 3.5}, ScopeTypeError, "perpetrator"),
    ({"category": ["civilians"]}, ScopeTypeError, "category"),
    ({"outcome": "missing"}, ScopeError, "outcome"),
    ({"outcome": "casualties"}, ScopeError, "outcome"),  # killed and injured together: refused
    ({"outcome": None}, ScopeTypeError, "outcome"),
    ({"start": "2017-06-07", "end": "2017-06-01"}, ScopeError, "end"),
    ({"start": 2018, "end": 2017}, ScopeError, "end"),
    ({"start": pd.NaT}, ScopeError, "start"),
    ({"end": pd.NA}, ScopeError, "end"),
    ({"start": float("nan")}, ScopeError, "start"),
    ({"start": 5}, ScopeError, "start"),  # was 1970-01-01 (5 ns after the epoch)
    ({"start": -3}, ScopeError, "start"),
    ({"start": "-3"}, ScopeError, "start"),
    ({"start": "0000-01-01"}, ScopeError, "start"),
    ({"start": dt.datetime(33, 3, 29)}, ScopeError, "start"),
    ({"end": np.datetime64("200000-01-01", "s")}, ScopeError, "end"),
    ({"end": "2262-01-01"}, ScopeError, "end"),
    ({"start": True}, ScopeTypeError, "start"),
    ({"start": [2017]}, ScopeTypeError, "start"),
    ({"start": b"2017"}, ScopeTypeError, "start"),
])
def test_bad_arguments_are_our_errors_naming_the_argument(kwargs, error, argument):
    with pytest.raises(error) as info:
        Scope(**kwargs)
    assert isinstance(info.value, CasualtiesError) and isinstance(info.value, ValueError)
    assert info.value.argument == argument and str(info.value).startswith(f"{argument}=")
    assert info.value.allowed  # the values allowed, in words
    if error is ScopeTypeError:
        assert isinstance(info.value, TypeError)


_ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30), st.dates(), st.datetimes(),
    st.sampled_from([pd.NaT, pd.NA, "2017", "2017-12", "Q1 2017", "-3", "Idlib", "ISIS and coalition", "died"]),
    st.lists(st.one_of(st.text(max_size=10), st.integers()), max_size=3),
    st.integers(-(2**62), 2**62).map(lambda s: np.datetime64(s, "s")),
)


@pytest.mark.filterwarnings("ignore::casualties.errors.AmbiguousNameWarning")
@settings(deadline=None)
@given(_ANYTHING, _ANYTHING, _ANYTHING, _ANYTHING, _ANYTHING, _ANYTHING)
def test_only_our_errors_escape_scope(start, end, place, category, perpetrator, outcome):
    try:
        scope = Scope(start=start, end=end, place=place, category=category, perpetrator=perpetrator, outcome=outcome)
    except CasualtiesError:
        return
    assert scope.outcome in ("killed", "injured")
    if scope.start is not None and scope.end is not None:
        assert scope.start <= scope.end
