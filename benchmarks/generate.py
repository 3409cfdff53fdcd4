"""Realistic, seeded claim sets for the benchmarks.

Mostly single-day incidents in many places, a share of multi-day incidents, a few hundred
overlapping totals per source, several sources, some disputed attributions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casualties.schema import COLUMN_NAMES, DATE_DTYPE, empty_claims

#: Syrian governorates and a few towns, so that places nest.
PLACES = ("SY-RA", "SY-DY", "SY-HL", "SY-ID", "SY-HM", "SY-HI", "SY-DR", "SY-RD", "raqqa", "tabqa", "manbij", "SY")
PERPETRATORS = ("coalition", "russia", "syrian-government", "isis", "coalition|russia", "turkey")
SOURCES = ("Airwars", "SOHR", "SNHR", "VDC")


def _frame(columns: dict) -> pd.DataFrame:
    """A claims frame built column by column, without the row-by-row normaliser."""
    frame = empty_claims().reindex(range(len(columns["low"])))
    for name, values in columns.items():
        frame[name] = values
    defaults = {"source_type": "monitor", "date_precision": "range", "category": "civilian", "outcome": "killed", "qualifier": "between", "provisional": False, "quote": "", "url": "", "note": ""}
    for name, value in defaults.items():
        if name not in columns:
            frame[name] = value
    frame["reported_on"] = pd.NaT
    frame = frame[list(COLUMN_NAMES)]
    frame.index.name = "row"
    from casualties.schema import COLUMNS

    return frame.astype({c.name: c.dtype for c in COLUMNS})


def incidents(n: int, seed: int = 0, years: int = 3, multi_day_share: float = 0.1) -> pd.DataFrame:
    """``n`` incident claims over ``years`` years from 2015, one claim per incident."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2015-01-01") + rng.integers(0, 365 * years, n).astype("timedelta64[D]")
    length = np.where(rng.random(n) < multi_day_share, rng.integers(1, 10, n), 0).astype("timedelta64[D]")
    low = rng.integers(0, 20, n).astype(float)
    high = low + rng.integers(0, 10, n)
    ids = np.char.add("i", np.arange(n).astype(str))
    return _frame(
        {
            "claim_id": ids,
            "incident_id": ids,
            "source": rng.choice(SOURCES, n),
            "start": start.astype(DATE_DTYPE),
            "end": (start + length).astype(DATE_DTYPE),
            "place": rng.choice(PLACES[:-1], n),
            "perpetrator": rng.choice(PERPETRATORS, n),
            "kind": "incident",
            "low": low,
            "best": np.floor((low + high) / 2),
            "high": high,
        }
    )


def totals(n: int, seed: int = 1, years: int = 3, source: str = "SOHR", low_share: float = 0.2, high_factor: float = 50.0) -> pd.DataFrame:
    """``n`` overlapping total claims of one source: cumulative and windowed counts, nested places.

    Each claim's bounds are ``[low_share * best, high_factor * best]``: the defaults are wide and
    consistent; narrow ones (``0.9``, ``1.1``) make nested totals contradict each other."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2015-01-01") + rng.integers(0, 365 * years - 30, n).astype("timedelta64[D]")
    length = rng.integers(7, 365, n).astype("timedelta64[D]")
    end = np.minimum(start + length, np.datetime64("2015-01-01") + np.timedelta64(365 * years - 1, "D"))
    days = (end - start).astype(int) + 1
    best = np.round(days * rng.uniform(0.5, 2.0, n))
    return _frame(
        {
            "claim_id": np.char.add("t", np.arange(n).astype(str)),
            "incident_id": np.char.add("t", np.arange(n).astype(str)),
            "source": source,
            "start": start.astype(DATE_DTYPE),
            "end": end.astype(DATE_DTYPE),
            "place": rng.choice(("SY", "SY-RA", "SY-DY", "SY-HL", "raqqa"), n),
            "perpetrator": "coalition",
            "kind": "total",
            "low": np.floor(best * low_share),
            "best": best,
            "high": np.ceil(best * high_factor),
        }
    )


#: Phrases as monitors and the press write them; ``{n}`` and ``{m}`` are numbers (``m > n``).
TEMPLATES = (
    "{n}", "{n}", "{n}", "around {n}", "at least {n} civilians", "over {n}", "between {n} and {m}",
    "nearly {n}", "up to {n}", "{n}, much higher", "some {n} people", "{n} to {m} civilians", "{n}-{m}",
    "about {n}", "more than {n}", "at least {n} killed", "approximately {n}",
)
WORDS = ("dozens", "hundreds", "three", "a dozen", "several dozen", "two")


def _thousands(values: np.ndarray) -> pd.Series:
    return pd.Series(values).map("{:,}".format).astype("str")


def phrases(n: int, seed: int = 3, words_share: float = 0.05) -> pd.Series:
    """``n`` reported counts as text: numbers spread log-normally (many small, a few in the tens
    of thousands, with thousands separators) in the templates of :data:`TEMPLATES`, and a few
    counts in words. Small numbers repeat, as in real columns; large ones are mostly distinct."""
    rng = np.random.default_rng(seed)
    low = np.maximum(np.round(rng.lognormal(3.0, 1.6, n)), 1).astype(np.int64)
    high = low + np.maximum(np.round(low * rng.uniform(0.05, 0.5, n)), 1).astype(np.int64)
    template = pd.Series(np.asarray(TEMPLATES, dtype=object)[rng.integers(0, len(TEMPLATES), n)], dtype="str")
    # Fill the two fields by splitting every template around its placeholders.
    text = template.str.replace("{n}", "\x00", regex=False).str.replace("{m}", "\x01", regex=False)
    first, rest = text.str.partition("\x00")[0], text.str.partition("\x00")[2]
    middle, last = rest.str.partition("\x01")[0], rest.str.partition("\x01")[2]
    has_m = template.str.contains("{m}", regex=False)
    out = first + _thousands(low) + middle + _thousands(high).where(has_m, "") + last
    words = rng.random(n) < words_share
    out[words] = np.asarray(WORDS, dtype=object)[rng.integers(0, len(WORDS), int(words.sum()))]
    return out.rename("count")
