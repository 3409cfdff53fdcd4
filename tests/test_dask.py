"""period_totals over a Dask DataFrame equals period_totals over the same claims in pandas.

Dask runs on its local synchronous scheduler; frames are cut into several partitions after a
shuffle of the rows, so the incidents of one source, one place and one period sit in different
partitions, and multi-day incidents straddle both periods and partitions.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casualties as cas
from casualties.closed_form import only_lone_singles
from casualties.errors import SingleMachineError
from casualties.tables import kept as _kept
from casualties.schema import CERTAINTY
from casualties.strategies import claims_frames

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

ROOT = Path(__file__).resolve().parents[1]
FREQS = ("D", "W", "MS", "QS", "YS")
SCOPES = (
    None,
    cas.Scope(place="SY-RA"),
    cas.Scope(start="2015-03-10", end="2016-02-01"),
    cas.Scope(place="SY-HL", perpetrator="coalition", start="2016-06-15", end="2017-01-31"),
)


@pytest.fixture(autouse=True)
def _synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def _incidents(n: int, seed: int) -> pd.DataFrame:
    """The benchmark generator's incident claims (``benchmarks/generate.py``), with some
    certainty grades and injured rows so that the filters have something to drop."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    frame = importlib.import_module("benchmarks.generate").incidents(n, seed=seed)
    rng = np.random.default_rng(seed)
    grades = np.array([None, *CERTAINTY], dtype=object)[rng.integers(0, len(CERTAINTY) + 1, n)]
    frame["certainty"] = pd.Series(grades, index=frame.index, dtype=frame["certainty"].dtype)
    frame["outcome"] = pd.Series(np.where(rng.random(n) < 0.1, "injured", "killed"), index=frame.index, dtype=frame["outcome"].dtype)
    return frame


def _partitioned(frame: pd.DataFrame, npartitions: int, seed: int) -> dd.DataFrame:
    shuffled = frame.sample(frac=1.0, random_state=seed)
    return dd.from_pandas(shuffled, npartitions=npartitions, sort=False)


def _same(ours: pd.DataFrame, expected: pd.DataFrame) -> None:
    # Bounds are sums of whole people (exact); bests are floating sums taken in another order.
    pd.testing.assert_frame_equal(ours, expected, check_exact=False, rtol=1e-9, atol=1e-9)
    assert ours["low"].equals(expected["low"]) and ours["high"].equals(expected["high"])


@given(
    n=st.integers(1, 400),
    seed=st.integers(0, 2**16),
    npartitions=st.integers(1, 7),
    freq=st.sampled_from(FREQS),
    scope=st.sampled_from(SCOPES),
    min_certainty=st.sampled_from((None, "weak")),
    unit=st.sampled_from((None, "person / week")),
)
@settings(max_examples=40)
def test_dask_equals_pandas_on_generated_incidents(n, seed, npartitions, freq, scope, min_certainty, unit):
    frame = _incidents(n, seed)
    expected = cas.period_totals(frame, freq, scope, min_certainty=min_certainty, unit=unit)
    ours = cas.period_totals(_partitioned(frame, npartitions, seed), freq, scope, min_certainty=min_certainty, unit=unit)
    _same(ours, expected)


@given(frame=claims_frames(max_size=12, incident_ids=tuple(f"i{k}" for k in range(30))), npartitions=st.integers(1, 4), min_certainty=st.sampled_from((None, "weak")))
def test_dask_equals_pandas_or_says_what_stays_single_machine(frame, npartitions, min_certainty):
    kept = _kept(frame, cas.Scope(), min_certainty)
    ddf = _partitioned(frame, npartitions, 0) if len(frame) else dd.from_pandas(frame, npartitions=1)
    if len(kept) and not only_lone_singles(kept):
        with pytest.raises(SingleMachineError):
            cas.period_totals(ddf, "QS", min_certainty=min_certainty)
        return
    _same(cas.period_totals(ddf, "QS", min_certainty=min_certainty), cas.period_totals(frame, "QS", min_certainty=min_certainty))


def test_an_incident_reported_in_two_partitions_is_refused():
    frame = _incidents(40, 1)
    frame["outcome"] = pd.Series("killed", index=frame.index, dtype=frame["outcome"].dtype)
    frame.loc[frame.index[-1], "incident_id"] = frame["incident_id"].iloc[0]  # first and last row
    ddf = dd.from_pandas(frame, npartitions=4, sort=False)
    assert ddf.npartitions > 1
    with pytest.raises(SingleMachineError, match="reported by several claims") as info:
        cas.period_totals(ddf, "MS")
    assert isinstance(info.value, NotImplementedError) and isinstance(info.value, cas.CasualtiesError)
    assert ".compute()" in str(info.value)


def test_totals_and_the_truth_stay_single_machine():
    frame = _incidents(30, 2)
    with pytest.raises(SingleMachineError, match="by=None"):
        cas.period_totals(dd.from_pandas(frame, npartitions=2), "MS", by=None)
    with_total = frame.copy()
    with_total["kind"] = pd.Series(np.where(np.arange(30) == 7, "total", "incident"), index=frame.index, dtype=frame["kind"].dtype)
    with_total["outcome"] = pd.Series("killed", index=frame.index, dtype=frame["outcome"].dtype)
    with pytest.raises(SingleMachineError, match="totals"):
        cas.period_totals(dd.from_pandas(with_total, npartitions=3), "MS")


def test_bad_arguments_are_the_same_errors_as_in_pandas():
    ddf = dd.from_pandas(_incidents(10, 3), npartitions=2)
    with pytest.raises(cas.OptionError, match="freq cannot be 'fortnight'"):
        cas.period_totals(ddf, "fortnight")
    with pytest.raises(cas.OptionError, match="freq cannot be 'fortnight'"):
        cas.period_totals(ddf.compute(), "fortnight")
    with pytest.raises(ValueError, match="by cannot be"):
        cas.period_totals(ddf, "MS", by="place")


def test_empty_partitions_and_an_empty_frame():
    frame = _incidents(50, 4)
    ddf = dd.from_pandas(frame, npartitions=5).map_partitions(lambda p: p.iloc[:0] if p.index[0] % 2 else p, meta=frame.iloc[:0])
    kept = ddf.compute()
    _same(cas.period_totals(ddf, "MS"), cas.period_totals(kept, "MS"))
    nothing = dd.from_pandas(frame.iloc[:0], npartitions=1)
    assert cas.period_totals(nothing, "MS").equals(cas.period_totals(frame.iloc[:0], "MS"))
