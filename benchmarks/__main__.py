"""Run the benchmarks: ``python -m benchmarks [--sizes 1000 100000 1000000] [--repeat 3]``.

Every figure is printed beside its baseline from the same run, as a ratio. Times are medians of
``--repeat`` runs [s]; peak memory is measured with tracemalloc in a separate run [MiB].
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from typing import Callable

import numpy as np
import pandas as pd

from benchmarks.generate import incidents, totals


def _time(func: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _peak(func: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def groupby_month(frame: pd.DataFrame) -> pd.DataFrame:
    """The floor: a bare pandas groupby-sum by source and start month (it does less)."""
    return frame.groupby([frame["source"], frame["start"].dt.to_period("M")], observed=True)[["low", "best", "high"]].sum()


def explode_days_usual(frame: pd.DataFrame) -> pd.DataFrame:
    """The usual recipe as analysts write it: a date range per claim, ``explode``, split
    evenly over the days, summed by month."""
    days = pd.Series([pd.date_range(s, e, freq="D") for s, e in zip(frame["start"], frame["end"])], index=frame.index)
    exploded = frame[["source", "best"]].assign(day=days, n=days.map(len)).explode("day")
    exploded["month"] = pd.DatetimeIndex(exploded["day"]).to_period("M")
    exploded["share"] = exploded["best"] / exploded["n"]
    return exploded.groupby(["source", "month"])["share"].sum()


def explode_days(frame: pd.DataFrame) -> pd.DataFrame:
    """The same recipe, vectorised with numpy: one row per day of each claim, counts split
    evenly, summed by month (faster than most analysts write it)."""
    days = ((frame["end"] - frame["start"]).dt.days + 1).to_numpy()
    rows = np.repeat(np.arange(len(frame)), days)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(days) - days, days)
    day = frame["start"].to_numpy()[rows] + offset.astype("timedelta64[D]")
    exploded = pd.DataFrame(
        {
            "source": frame["source"].to_numpy()[rows],
            "month": pd.DatetimeIndex(day).to_period("M"),
            "best": frame["best"].to_numpy()[rows] / days[rows],
        }
    )
    return exploded.groupby(["source", "month"])["best"].sum()


def start_month(frame: pd.DataFrame) -> pd.DataFrame:
    """Airwars' charts: every incident wholly in the month it started."""
    return groupby_month(frame)


def incident_path(sizes: list[int], repeat: int, explode_max: int = 100_000) -> list[dict]:
    import casualties as cas

    rows = []
    for n in sizes:
        frame = incidents(n)
        cas.period_totals(frame.head(50), "MS")  # warm the caches (trees, imports)
        ours = _time(lambda: cas.period_totals(frame, "MS"), repeat)
        floor = _time(lambda: groupby_month(frame), repeat)
        recipe = _time(lambda: explode_days(frame), repeat)
        usual = _time(lambda: explode_days_usual(frame), 1) if n <= explode_max else float("nan")
        peak = _peak(lambda: cas.period_totals(frame, "MS"))
        size = frame.memory_usage(deep=True).sum() / 2**20
        rows.append(
            {
                "claims": n,
                "period_totals [s]": ours,
                "groupby-sum [s]": floor,
                "x groupby (goal <= 3)": ours / floor,
                "explode, usual [s]": usual,
                "usual / ours (goal >= 10)": usual / ours,
                "explode, numpy [s]": recipe,
                "numpy / ours": recipe / ours,
                "peak [MiB]": peak,
                "frame [MiB]": size,
                "peak / frame (goal < 3)": peak / size,
            }
        )
    return rows


def totals_path(counts: list[int], repeat: int) -> list[dict]:
    import casualties as cas

    rows = []
    for n in counts:
        frame = totals(n)
        ours = _time(lambda: cas.period_totals(frame, "MS"), max(1, repeat // 3))
        rows.append({"overlapping totals": n, "monthly bounds, 3 years [s]": ours, "goal [s]": 2.0, "x goal": ours / 2.0})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--totals", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--explode-max", type=int, default=100_000, help="largest size for the slow usual recipe")
    args = parser.parse_args(argv)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.3g}".format):
        print("period_totals by month over incident claims (a tenth spanning several days)")
        print(pd.DataFrame(incident_path(args.sizes, args.repeat, args.explode_max)).to_string(index=False))
        print("\nperiod_totals by month over one source's overlapping totals")
        print(pd.DataFrame(totals_path(args.totals, args.repeat)).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
