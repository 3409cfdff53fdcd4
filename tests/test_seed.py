"""The seed article (TRT World, 6 June 2017): every figure in it is a claim, encoded as documented.

Expected values below are read off the article by hand (see docs/seed.md), not produced by the code.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

import casualties as cas

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_86c84c830e5a6724.txt"


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return cas.bundled_claims().set_index("claim_id")


@pytest.mark.parametrize(
    ("claim_id", "source", "place", "category", "perpetrator", "outcome", "kind", "start", "end", "low", "best", "high"),
    [
        ("raqqa-boats-killed", "SOHR", "raqqa", "civilian", "coalition", "killed", "incident", "2017-06-05", "2017-06-05", 21, 21, math.inf),
        ("raqqa-boats-children", "SOHR", "raqqa", "children", "coalition", "killed", "incident", "2017-06-05", "2017-06-05", 1, 1, math.inf),
        ("raqqa-boats-women", "SOHR", "raqqa", "women", "coalition", "killed", "incident", "2017-06-05", "2017-06-05", 1, 1, math.inf),
        ("raqqa-boats-injured", "SOHR", "raqqa", "civilian", "coalition", "injured", "incident", "2017-06-05", "2017-06-05", 1, 1, math.inf),
        ("syria-war-dead", "TRT World", "SY", "all", "all", "killed", "total", "2011-03-01", "2017-06-06", 400_001, 400_001, math.inf),
        ("us-military-484", "US military", "IQ|SY", "civilian", "coalition", "killed", "total", "2014-08-08", "2017-06-06", 484, 484, 484),
        ("observers-much-higher", "observers", "IQ|SY", "civilian", "coalition", "killed", "total", "2014-08-08", "2017-06-06", 485, 485, math.inf),
        ("sohr-coalition-syria", "SOHR", "SY", "civilian", "coalition", "killed", "total", "2014-09-23", "2017-06-06", 1350, 1500, 1650),
        ("sohr-deadliest-month", "SOHR", "SY", "civilian", "coalition", "killed", "total", "2017-04-23", "2017-05-23", 225, 225, 225),
    ],
)
def test_each_figure_is_encoded_as_read(seed, claim_id, source, place, category, perpetrator, outcome, kind, start, end, low, best, high):
    row = seed.loc[claim_id]
    assert (row["source"], row["place"], row["category"], row["perpetrator"]) == (source, place, category, perpetrator)
    assert (row["outcome"], row["kind"]) == (outcome, kind)
    assert (row["start"], row["end"]) == (pd.Timestamp(start), pd.Timestamp(end))
    assert (row["low"], row["best"], row["high"]) == (low, best, high)


def test_the_boat_strike_is_one_incident(seed):
    boats = seed[seed.index.str.startswith("raqqa-boats")]
    assert boats["incident_id"].nunique() == 1
    assert seed.loc["raqqa-boats-killed", "provisional"]


def test_every_quote_is_in_the_article():
    if not ARTICLE.is_file():
        pytest.skip("../shared/seeds is not present (a user's fresh clone); CI always has it")
    text = ARTICLE.read_text(encoding="utf-8")
    for quote in cas.bundled_claims()["quote"]:
        for piece in re.split(r"\s*\[\.\.\.\]\s*", quote):
            assert piece.strip() in text, piece


def test_every_number_in_the_article_is_a_claim_or_explained():
    if not ARTICLE.is_file():
        pytest.skip("../shared/seeds is not present (a user's fresh clone); CI always has it")
    text = ARTICLE.read_text(encoding="utf-8")
    numbers = set(re.findall(r"\d[\d,]*", text))
    quotes = " ".join(cas.bundled_claims()["quote"])
    # Not casualty figures: dates, years, distances, the name of an army base.
    not_tolls = {"5", "2017", "2014", "17", "10", "6", "90", "56", "1984", "2011", "23"}
    assert {n.rstrip(",") for n in numbers} - not_tolls <= set(re.findall(r"\d[\d,]*", quotes))
