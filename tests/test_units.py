"""Tests of casualties.units: the registry, rates and distances."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casualties.errors import ParseError
from casualties.units import Q_, Distance, parse_distance, to_rate, ureg


def test_one_registry_with_people():
    assert pint.get_application_registry().get() is ureg
    assert Q_(21, "people") == Q_(21, "person") == Q_(21, "casualties")
    assert Q_(21, "persons").to("person").magnitude == 21
    assert Q_(21, "person").dimensionality == ureg.person.dimensionality != ureg.meter.dimensionality


@pytest.mark.parametrize("counts, days, unit, expected", [
    ([70], [7], "person / day", [10.0]),  # 70 / 7
    ([70], [7], "person / week", [70.0]),  # 10 a day * 7 days
    ([70], [7], "people per week", [70.0]),
    ([70, 21], [7, 1], "casualties / day", [10.0, 21.0]),
    ([1500], [30.4375], "person / month", [1500.0]),  # pint's month: 365.25 / 12 = 30.4375 days
    ([365], [365], "person / year", [365.25]),  # pint's year: 365.25 days
    ([225], [31], "person / day", [225 / 31]),  # the seed: 225 killed, 23 April to 23 May
    ([0], [5], "person / day", [0.0]),
])
def test_to_rate_against_hand_arithmetic(counts, days, unit, expected):
    np.testing.assert_allclose(to_rate(counts, days, unit), expected, rtol=1e-12)


def test_to_rate_broadcasts_and_takes_pandas():
    np.testing.assert_allclose(to_rate([7, 14, 21], 7), [1, 2, 3])
    out = to_rate(pd.Series([70, None], dtype="Float64"), pd.Series([7, 7]))
    assert out[0] == 10 and np.isnan(out[1])
    assert to_rate(7, 7).shape == () and float(to_rate(7, 7)) == 1
    assert np.isinf(to_rate([1], [0])[0])  # zero days: inf, no warning


@pytest.mark.parametrize("unit", ["km", "person", "day", "person * day", "furlongs / fortnight", "foo",
                                  "person/", ")", "", "2 person / day", 5])
def test_to_rate_rejects_units_that_are_not_rates_of_people(unit):
    with pytest.raises(ParseError) as info:
        to_rate([1], [1], unit)
    assert info.value.text == unit


@settings(deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=20), st.integers(1, 3650))
def test_rates_in_days_and_weeks_agree(counts, days):
    per_day = to_rate(counts, days)
    np.testing.assert_allclose(to_rate(counts, days, "person / week"), per_day * 7, rtol=1e-12)
    np.testing.assert_allclose(per_day * days, counts, rtol=1e-12)


# The seed article's distances, and some others.
DISTANCES = {
    "10 km (6 miles) north of Raqqa": (10, "north", "Raqqa"),
    "one kilometre north of Raqqa": (1, "north", "Raqqa"),
    "about 90 km (56 miles) from the border with Turkey": (90, None, "the border with Turkey"),
    "100 km (60 miles) south-east of Mosul": (100, "southeast", "Mosul"),
    "1.5 km": (1.5, None, None),
    "10km north": (10, "north", None),
    "5 miles away from Mosul.": (8.04672, None, "Mosul"),
    "500 metres west of the river": (0.5, "west", "the river"),
    "Two kilometres North East of Tafas": (2, "northeast", "Tafas"),
}


@pytest.mark.parametrize("text, expected", list(DISTANCES.items()))
def test_distances(text, expected):
    distance = parse_distance(text)
    km, direction, reference = expected
    assert distance.length.units == ureg.kilometer
    assert distance.length.magnitude == pytest.approx(km)
    assert (distance.direction, distance.reference, distance.text) == (direction, reference, text)


@pytest.mark.parametrize("text", [
    "10 km (60 miles) north of Raqqa",  # 60 mi is about 97 km
    "10 km (9 miles) north of Raqqa",  # 9 mi is 14.5 km
    "90 km (50 miles) from the border with Turkey",  # [45, 55) mi is [72, 89) km, not [89.5, 90.5)
    "1.5 km (2 miles) from Mosul",
])
def test_disagreeing_units_are_rejected_naming_both(text):
    with pytest.raises(ParseError) as info:
        parse_distance(text)
    first, second = text.split(" (")
    assert first.split()[0] in info.value.reason and second.split(")")[0] in info.value.reason


@pytest.mark.parametrize("text", ["", "Raqqa", "10 parsecs north of Raqqa", "10 km north of", "10 km of Raqqa",
                                  "north of Raqqa", "ten", "-10 km", "9" * 40 + " km", None, 10])
def test_bad_distances(text):
    with pytest.raises(ParseError):
        parse_distance(text)


@settings(deadline=None)
@given(st.text())
def test_parse_distance_raises_only_parse_error(text):
    try:
        parse_distance(text)
    except ParseError:
        pass


def test_distance_value_object():
    distance = parse_distance("10 km (6 miles) north of Raqqa")
    assert repr(distance) == "Distance(10 km north of 'Raqqa')"
    assert repr(Distance(Q_(90, "km"), None, "the border with Turkey")) == "Distance(90 km from 'the border with Turkey')"
    assert Distance(Q_(1000, "m")).length == Q_(1, "km") and Distance(Q_(1000, "m")).length.units == ureg.km
    assert distance.replace(direction="south").direction == "south" and distance.direction == "north"
    assert distance == parse_distance("10 km (6 miles) north of Raqqa")
    assert distance.__eq__("10 km") is NotImplemented
    with pytest.raises(ParseError):
        Distance(Q_(10, "day"))
    with pytest.raises(ParseError):
        Distance(10)
