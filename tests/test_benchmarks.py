"""A smoke run of the benchmarks at the smallest size, so that the runner never rots.

Timings are printed by ``python -m benchmarks``, never asserted here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _importable(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))


def test_the_runner_runs_at_the_smallest_size(capsys):
    from benchmarks.__main__ import main

    assert main(["--sizes", "300", "--totals", "5", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "x groupby" in out and "usual / ours" in out and "overlapping totals" in out


def test_the_generated_frames_are_valid_claims():
    import casualties as cas
    from benchmarks.generate import incidents, totals

    for frame in (incidents(200), totals(20)):
        cas.validate(frame)


def test_the_baselines_count_what_they_say():
    import casualties as cas
    from benchmarks.__main__ import explode_days, explode_days_usual, groupby_month
    from benchmarks.generate import incidents

    frame = incidents(500)
    assert explode_days(frame).sum() == pytest.approx(frame["best"].sum())
    assert explode_days_usual(frame).sort_index().to_numpy() == pytest.approx(explode_days(frame).sort_index().to_numpy())
    assert groupby_month(frame)["best"].sum() == pytest.approx(frame["best"].sum())
    ours = cas.period_totals(frame, "MS")
    assert ours["best"].sum() == pytest.approx(frame["best"].sum())
