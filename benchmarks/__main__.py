"""Run the benchmarks: ``python -m benchmarks [--sizes 1000 1000000] [--only engine] [--plot out.png]``.

Every figure is printed beside its baseline from the same run, as a ratio; where ours and the
baseline answer the same question, the answers are compared and a disagreement stops the run.
Times are medians of ``--repeat`` runs [s]; peak memory of the generated benchmarks is measured
with tracemalloc in a separate run [MiB] (numpy and Python allocations; Arrow buffers are not
traced), and of the ``real`` benchmarks as the peak resident set of a child process per case.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable

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
        ours = _time(lambda frame=frame: cas.period_totals(frame, "MS"), repeat)
        floor = _time(lambda frame=frame: groupby_month(frame), repeat)
        recipe = _time(lambda frame=frame: explode_days(frame), repeat)
        usual = _time(lambda frame=frame: explode_days_usual(frame), 1) if n <= explode_max else float("nan")
        peak = _peak(lambda frame=frame: cas.period_totals(frame, "MS"))
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
    cas.period_totals(totals(20), "MS")  # warm the caches (trees, imports, HiGHS)
    for n in counts:
        frame = totals(n)
        ours = _time(lambda frame=frame: cas.period_totals(frame, "MS"), repeat)
        rows.append({"overlapping totals": n, "monthly bounds, 3 years [s]": ours, "goal [s]": 2.0, "x goal": ours / 2.0})
    return rows


#: The question of the ``ranges`` benchmark: one governorate over one year.
RANGES_SCOPE = {"place": "SY-RA", "start": "2016-01-01", "end": "2016-12-31"}


def _agree(ours: float, baseline: float) -> bool:
    """Equal answers, up to HiGHS' tolerance (relative 1e-6; both sides are rounded inward)."""
    if np.isnan(ours) or np.isnan(baseline) or np.isinf(ours) or np.isinf(baseline):
        return bool(ours == baseline or (np.isnan(ours) and np.isnan(baseline)))
    return abs(ours - baseline) <= 1e-6 * max(1.0, abs(baseline))


def engine_path(counts: list[int], repeat: int) -> list[dict]:
    """``ranges`` and ``conflict`` on one source's overlapping totals against one HiGHS solve
    over every elementary cell (:mod:`benchmarks.baseline`); the answers must agree."""
    import casualties as cas
    from benchmarks.baseline import elementary_conflict_gap, elementary_ranges

    scope = cas.Scope(**RANGES_SCOPE)
    rows = []
    for n in counts:
        consistent = totals(n)
        ours = _time(lambda consistent=consistent: cas.ranges(consistent, scope), max(1, repeat // 3))
        base = _time(lambda consistent=consistent: elementary_ranges(consistent, scope), max(1, repeat // 3))
        mine, theirs = cas.ranges(consistent, scope).iloc[0], elementary_ranges(consistent, scope).iloc[0]
        same = _agree(mine["low"], theirs["low"]) and _agree(mine["high"], theirs["high"])
        if not same:
            raise AssertionError(f"ranges disagrees with the elementary-cell LP at {n} totals: {mine.to_dict()} against {theirs.to_dict()}")
        rows.append({"question": "ranges", "totals": n, "ours [s]": ours, "elementary LP [s]": base, "elementary / ours": base / ours, "answer": f"[{mine['low']:g}, {mine['high']:g}]", "agree": "\u2713"})
        # Narrow bounds ([0.9, 1.1] x best): nested totals contradict each other.
        contradictory = totals(n, seed=2, low_share=0.9, high_factor=1.1)
        ours = _time(lambda contradictory=contradictory: cas.conflict(contradictory), max(1, repeat // 3))
        base = _time(lambda contradictory=contradictory: elementary_conflict_gap(contradictory), max(1, repeat // 3))
        gap, theirs_gap = cas.conflict(contradictory).gap, elementary_conflict_gap(contradictory)
        if not _agree(gap, theirs_gap):
            raise AssertionError(f"conflict's gap disagrees with the elementary-cell LP at {n} totals: {gap} against {theirs_gap}")
        rows.append({"question": "conflict", "totals": n, "ours [s]": ours, "elementary LP [s]": base, "elementary / ours": base / ours, "answer": f"gap {gap:g}", "agree": "\u2713"})
    return rows


def read_path(sizes: list[int], repeat: int) -> list[dict]:
    """``read_claims`` (parse, normalise, validate) against ``pandas.read_csv`` of the same file:
    the incident claims as written, and again with a quote of the source's words in every row
    ("at least 3 killed, the monitor said"), so that the file holds quotes (a quoted value may
    hold a line break, which Arrow's reader must then follow across its blocks)."""
    import tempfile
    from pathlib import Path

    import casualties as cas

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for n, quoted in ((n, quoted) for n in sizes for quoted in (False, True)):
            frame = incidents(n)
            if quoted:
                frame["quote"] = "at least " + frame["best"].astype("int64").astype(str) + " killed, the monitor said"
            path = cas.write_claims(frame, Path(folder) / f"claims-{n}{'-quoted' if quoted else ''}.csv")
            ours = _time(lambda path=path: cas.read_claims(path), repeat)
            base = _time(lambda path=path: pd.read_csv(path), repeat)
            back = cas.read_claims(path)
            if len(back) != n or not back["high"].equals(frame["high"].reset_index(drop=True)):
                raise AssertionError(f"read_claims did not read back the {n} claims written")
            ours_rss, base_rss = (_child_rss(call, path) for call in ("cas.read_claims(path)", "pd.read_csv(path)"))
            rows.append(
                {
                    "rows": n,
                    "quotes": "yes" if quoted else "no",
                    "file [MiB]": path.stat().st_size / 2**20,
                    "read_claims [s]": ours,
                    "read_csv [s]": base,
                    "x read_csv": ours / base,
                    "rows / s": n / ours,
                    "peak [MiB]": _peak(lambda path=path: cas.read_claims(path)),
                    "peak RSS [MiB]": ours_rss,
                    "read_csv RSS [MiB]": base_rss,
                    "x RSS": ours_rss / base_rss,
                }
            )
    return rows


def _child_rss(call: str, path: object) -> float:
    """Peak resident memory [MiB] (VmHWM) of a fresh interpreter that imports pandas and casualties,
    reads ``path`` once the same way (the tree tables loaded first, as in any session that has
    read claims before), then runs ``call``: what the process holds, Arrow buffers included."""
    import subprocess
    import sys

    from benchmarks.real import _PRELUDE

    script = _PRELUDE.format(data="", repeat=1) + (
        "from casualties.places import place_tree\n"
        "place_tree()\n"
        f"path = {str(path)!r}\n"
        f"{call}\n"
        "print(peak_rss())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def parse_path(sizes: list[int], repeat: int, loop_max: int = 20_000) -> list[dict]:
    """``parse_counts`` over a column against a Python loop calling ``parse_count`` per row (timed
    on the first ``loop_max`` rows and extrapolated linearly beyond)."""
    import casualties as cas
    from benchmarks.generate import phrases

    rows = []
    for n in sizes:
        column = phrases(n)
        sample = column.iloc[: min(n, loop_max)].tolist()

        def loop(values: list[str] = sample) -> list:
            return [cas.parse_count(v) for v in values]

        ours = _time(lambda column=column: cas.parse_counts(column), repeat)
        base = _time(loop, 1) * n / len(sample)
        parsed, counted = cas.parse_counts(column.iloc[: len(sample)]), loop()
        if not (np.array_equal(parsed["high"].to_numpy(), [c.high for c in counted]) and np.array_equal(parsed["low"].to_numpy(), [c.low for c in counted])):
            raise AssertionError("parse_counts disagrees with parse_count")
        rows.append(
            {
                "phrases": n,
                "distinct": column.nunique(),
                "parse_counts [s]": ours,
                "loop [s]": base,
                "loop timing": f"extrapolated from {len(sample):,}" if len(sample) < n else "timed",
                "loop / ours": base / ours,
                "peak [MiB]": _peak(lambda column=column: cas.parse_counts(column)),
            }
        )
    return rows


def dask_path(sizes: list[int], repeat: int, npartitions: int = 8) -> list[dict]:
    """``period_totals`` of a Dask DataFrame (threads, ``npartitions`` partitions) against the
    same claims in pandas; the answers must agree."""
    try:
        import dask
        import dask.dataframe as dd
    except ImportError:
        print("(skipped: dask is not installed; python -m pip install \"casualties[dask]\")")
        return []
    import casualties as cas

    rows = []
    for n in sizes:
        frame = incidents(n)
        parts = dd.from_pandas(frame.sample(frac=1.0, random_state=0), npartitions=min(npartitions, n), sort=False)
        with dask.config.set(scheduler="threads"):
            ours = _time(lambda parts=parts: cas.period_totals(parts, "MS"), repeat)
            answer = cas.period_totals(parts, "MS")
        pandas_time = _time(lambda frame=frame: cas.period_totals(frame, "MS"), repeat)
        expected = cas.period_totals(frame, "MS")
        pd.testing.assert_frame_equal(answer, expected, check_exact=False, rtol=1e-9)
        rows.append({"claims": n, "partitions": parts.npartitions, "dask, threads [s]": ours, "pandas [s]": pandas_time, "dask / pandas": ours / pandas_time, "agree": "\u2713"})
    return rows


def slope(sizes: list[float], values: list[float]) -> float:
    """Least-squares slope of log(value) against log(size): 1 is linear."""
    x, y = np.log(np.asarray(sizes, dtype=float)), np.log(np.asarray(values, dtype=float))
    return float(np.polyfit(x, y, 1)[0])


def scaling(series: dict[str, tuple[list[int], list[float], list[float]]]) -> list[dict]:
    """Slopes of time and peak memory against size, over every size and over the top decade."""
    rows = []
    for name, (sizes, times, peaks) in series.items():
        top = [i for i, n in enumerate(sizes) if n >= max(sizes) / 10]
        rows.append(
            {
                "what": name,
                "sizes": f"{min(sizes):,}..{max(sizes):,}",
                "time slope": slope(sizes, times),
                "time slope, top decade": slope([sizes[i] for i in top], [times[i] for i in top]) if len(top) > 1 else float("nan"),
                "peak slope": slope(sizes, peaks),
            }
        )
    return rows


def plot(series: dict[str, tuple[list[int], list[float], list[float]]], slopes: list[dict], path: str) -> None:
    """Time and peak memory against size, log-log, one line per benchmark (needs matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise SystemExit("--plot needs matplotlib: python -m pip install \"casualties[report]\"") from exc
    by_name = {row["what"]: row for row in slopes}
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), constrained_layout=True)
    for name, (sizes, times, peaks) in series.items():
        row = by_name[name]
        left.loglog(sizes, times, marker="o", label=f"{name} (slope {row['time slope']:.2f}; top decade {row['time slope, top decade']:.2f})")
        right.loglog(sizes, peaks, marker="o", label=f"{name} (slope {row['peak slope']:.2f})")
    guide = np.array([min(min(s) for s, _, _ in series.values()), max(max(s) for s, _, _ in series.values())], dtype=float)
    for axis, values in ((left, [t for _, t, _ in series.values()]), (right, [p for _, _, p in series.values()])):
        anchor = max(v[-1] for v in values)
        axis.loglog(guide, anchor * guide / guide[-1], color="0.6", linestyle=":", label="linear (slope 1)")
        axis.set_xlabel("rows (claims or phrases)")
        axis.grid(True, which="major", alpha=0.3)
        axis.legend(fontsize=8)
    left.set_ylabel("time [s] (median)")
    right.set_ylabel("peak memory [MiB] (traced; RSS for reads, real files)")
    figure.suptitle("casualties benchmarks: time and memory against size (python -m benchmarks --plot)", fontsize=10)
    figure.savefig(path, dpi=110)
    plt.close(figure)


SECTIONS = ("incidents", "totals", "engine", "read", "parse", "dask", "real")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000], help="rows of the incident, read, parse and dask benchmarks")
    parser.add_argument("--totals", type=int, nargs="+", default=[100, 500, 2000], help="overlapping totals of the totals and engine benchmarks")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--explode-max", type=int, default=100_000, help="largest size for the slow usual recipe")
    parser.add_argument("--loop-max", type=int, default=20_000, help="rows the parse_count loop is timed on (extrapolated beyond)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS), help="run only these benchmarks")
    parser.add_argument("--real-sizes", type=int, nargs="+", default=[1_000, 3_000, 10_000, 30_000], help="claims of the Airwars scaling cuts (30,000 is all of them)")
    parser.add_argument("--real-cases", nargs="+", default=None, help="run only these cases of the real group (default: all)")
    parser.add_argument("--plot", metavar="PNG", help="also draw time and peak memory against size (log-log) to this file")
    args = parser.parse_args(argv)
    series: dict[str, tuple[list[int], list[float], list[float]]] = {}

    def show(title: str, rows: list[dict]) -> None:
        print(f"\n{title}")
        if rows:
            print(pd.DataFrame(rows).to_string(index=False))

    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.3g}".format):
        if "incidents" in args.only:
            rows = incident_path(args.sizes, args.repeat, args.explode_max)
            show("period_totals by month over incident claims (a tenth spanning several days)", rows)
            series["period_totals, incidents"] = (args.sizes, [r["period_totals [s]"] for r in rows], [r["peak [MiB]"] for r in rows])
        if "totals" in args.only:
            show("period_totals by month over one source's overlapping totals", totals_path(args.totals, args.repeat))
        if "engine" in args.only:
            show("ranges and conflict over one source's overlapping totals vs one HiGHS solve over every elementary cell", engine_path(args.totals, args.repeat))
        if "read" in args.only:
            rows = read_path(args.sizes, args.repeat)
            show("read_claims of a CSV file vs pandas.read_csv of the same file", rows)
            plain = [r for r in rows if r["quotes"] == "no"]
            series["read_claims, CSV"] = (args.sizes, [r["read_claims [s]"] for r in plain], [r["peak RSS [MiB]"] for r in plain])
        if "parse" in args.only:
            rows = parse_path(args.sizes, args.repeat, args.loop_max)
            show(f"parse_counts over a column of phrases vs a Python loop of parse_count (timed on {args.loop_max:,} rows at most)", rows)
            series["parse_counts"] = (args.sizes, [r["parse_counts [s]"] for r in rows], [r["peak [MiB]"] for r in rows])
        if "dask" in args.only:
            show("period_totals of a Dask DataFrame (threads) vs the same claims in pandas", dask_path(args.sizes, args.repeat))
        if "real" in args.only:
            from benchmarks.real import SHARED_DATA, real_path, real_scaling

            if not SHARED_DATA.is_dir():
                print(f"\nreal: skipped, {SHARED_DATA} is not present (a user's fresh clone)")
            else:
                show("real files (../shared/data): each case in a child process; median time beside its goal and baseline, peak RSS", real_path(args.repeat, cases=args.real_cases))
                cut = real_scaling(args.repeat, args.real_sizes)
                series.update(cut)
                show("real files: Airwars claims cut to fewer claims", [
                    {"what": name, "claims": n, "time [s]": t, "peak RSS [MiB]": p} for name, (ns, ts, ps) in cut.items() for n, t, p in zip(ns, ts, ps)
                ])
        if len(args.sizes) > 1 and series:
            slopes = scaling(series)
            show("scaling: least-squares slope of log time (and log peak memory) against log size; 1 is linear", slopes)
            if args.plot:
                plot(series, slopes, args.plot)
                print(f"\nplot written to {args.plot}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
