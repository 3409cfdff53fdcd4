"""A smoke run of the benchmarks at the smallest size, so that the runner never rots.

Timings are printed by ``python -m benchmarks``, never asserted here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _importable(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))


def test_the_runner_runs_at_the_smallest_size(capsys):
    from benchmarks.__main__ import main

    assert main(["--sizes", "300", "--totals", "5", "--repeat", "1", "--loop-max", "100",
                 "--only", "incidents", "totals", "engine", "read", "parse", "dask"]) == 0
    out = capsys.readouterr().out
    assert "x groupby" in out and "usual / ours" in out and "overlapping totals" in out
    assert "elementary LP" in out and out.count("\u2713") >= 2  # ranges and conflict agree
    assert "read_csv" in out and "parse_counts" in out and "extrapolated" in out


def test_the_real_group_runs_on_the_shared_files(shared_data, capsys):
    """One fast case of the real group and one scaling cut, each in its child process."""
    from benchmarks.__main__ import main

    assert main(["--only", "real", "--repeat", "1", "--real-cases", "period_totals", "--real-sizes", "300"]) == 0
    out = capsys.readouterr().out
    assert "period_totals" in out and "peak RSS" in out and "groupby-sum of the same claims" in out


def test_the_scaling_plot_is_drawn(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from benchmarks.__main__ import main

    target = tmp_path / "scaling.png"
    assert main(["--sizes", "200", "400", "--repeat", "1", "--only", "incidents", "parse", "--plot", str(target)]) == 0
    assert target.stat().st_size > 0
    assert "time slope" in capsys.readouterr().out


def test_the_slope_of_a_power_law_is_its_exponent():
    from benchmarks.__main__ import slope

    assert slope([1e3, 1e4, 1e5], [2e-3, 2e-2, 2e-1]) == pytest.approx(1.0)
    assert slope([1e3, 1e4, 1e5], [1.0, 100.0, 1e4]) == pytest.approx(2.0)


def test_the_elementary_cell_baseline_agrees_with_the_engine():
    import casualties as cas
    from benchmarks.baseline import elementary_conflict_gap, elementary_ranges
    from benchmarks.generate import totals

    scope = cas.Scope(place="SY-RA", start="2016-01-01", end="2016-12-31")
    frame = totals(30)
    ours, theirs = cas.ranges(frame, scope), elementary_ranges(frame, scope)
    assert ours[["source", "low", "high", "feasible"]].equals(theirs)
    contradictory = totals(30, seed=2, low_share=0.9, high_factor=1.1)
    gap = elementary_conflict_gap(contradictory)
    assert gap > 0 and cas.conflict(contradictory).gap == pytest.approx(gap, rel=1e-6)


def test_the_phrases_parse():
    import casualties as cas
    from benchmarks.generate import phrases

    parsed = cas.parse_counts(phrases(2000))
    assert parsed["error"].isna().all() and (parsed["low"] <= parsed["high"]).all()


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
