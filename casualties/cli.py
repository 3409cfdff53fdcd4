"""The ``casualties`` command (also ``python -m casualties``).

Sub-commands:

- ``casualties report [FILES...] [--place P] [--from DATE] [--to DATE] [--category C]
  [--perpetrator X] [--freq MS|W|QS|YS|D] [--min-certainty GRADE] [--merge RULE]
  [--format md|html|csv|json] [--out PATH] [--quiet] [--strict] [--timestamp]``: the
  reconciliation report (``docs/report.md``) on claim files, or on the bundled seed data when
  no file is given. Rows that fail validation are left out, listed in the report's first
  section, and named in one warning line per file on stderr; the exit code stays 0 unless
  ``--strict`` (1 when no valid claim is left at all).
- ``casualties validate FILES...``: every failing cell (file, row, column, value, reason).
- ``casualties parse TEXT`` and ``casualties parse --period TEXT --reported-on DATE``.

Exit codes: 0 ok, 1 invalid data, 2 usage error or unreadable file. Errors are one sentence on
stderr, naming the file (and the row and column where they apply), with no traceback unless
``--debug``. A progress bar appears on stderr when the work takes more than a second, on a
terminal only (never in a pipe, never with ``--quiet``); standard output holds only the report.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from casualties.errors import (
    CasualtiesError,
    CasualtiesWarning,
    ClaimError,
    ClaimFileError,
    OptionalDependencyError,
    ParseError,
    UnknownNameError,
)

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and one line, as every other usage error here."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"casualties: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="casualties", description="Reconcile casualty claims.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    report = commands.add_parser("report", help="report on claim files (default: the bundled seed data)",
                                 description="Reconcile claim files into a report: what went in, ranges per source and for the "
                                             "truth, discrepancies, per-period totals and the claims with their quotes.")
    report.add_argument("files", nargs="*", metavar="FILE", help="claim files (.csv, .json, .parquet); none: the bundled seed data")
    report.add_argument("--place", help="only this place (names or ids; 'Iraq and Syria' is two)")
    report.add_argument("--from", dest="start", metavar="DATE", help="first day")
    report.add_argument("--to", dest="end", metavar="DATE", help="last day")
    report.add_argument("--category", help="civilian, combatant, children, women or all")
    report.add_argument("--perpetrator", help="one or several perpetrators")
    report.add_argument("--freq", default="MS", choices=("D", "W", "MS", "QS", "YS"),
                        help="period of the per-period totals: day, week, month (default), quarter, year")
    report.add_argument("--min-certainty", choices=("discounted", "contested", "weak", "fair", "confirmed"),
                        help="leave out claims graded below this (and unassessed ones)")
    report.add_argument("--merge", metavar="RULE", choices=("envelope", "intersection", "conservative", "most_certain", "weighted"),
                        help="also show the reports of each incident merged by RULE")
    report.add_argument("--format", choices=("md", "html", "csv", "json"),
                        help="md (default), html (one self-contained file), csv or json (the tables); "
                             "default: from the suffix of --out, else md")
    report.add_argument("--out", metavar="PATH", help="write to PATH instead of standard output (md: the plot goes to PATH.svg)")
    report.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no warnings")
    report.add_argument("--strict", action="store_true", help="exit 1 when any row was rejected (the report is still written)")
    report.add_argument("--timestamp", action="store_true", help="print the time the report was made (reports are otherwise "
                                                                   "identical for identical inputs)")
    report.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")

    check = commands.add_parser("validate", help="check claim files; print every failing cell")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")

    parse = commands.add_parser("parse", help="parse a count or a period from words")
    parse.add_argument("text", help='words, e.g. "around 1,500"')
    parse.add_argument("--period", action="store_true", help="parse TEXT as a period")
    parse.add_argument("--reported-on", metavar="DATE", help="report date for relative periods")
    parse.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    return parser


class _UsageError(Exception):
    """A bad option value found after parsing (exit 2)."""


_SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".csv": "csv", ".json": "json"}


def _say(message: str) -> None:
    print(f"casualties: {message}", file=sys.stderr)


def _load(files: Sequence[str]):
    """Read the claim files (or the bundled seed data), keeping the rejected rows' failures."""
    import warnings

    import pandas as pd

    from casualties.io import BUNDLED, bundled_claims, read_claims

    if not files:
        claims = bundled_claims()
        return claims, None, {f"{BUNDLED[0]} (bundled with casualties)": len(claims)}
    frames, failures, counts = [], [], {}
    for name in files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            claims, failed = read_claims(name, errors="collect")
        for warning in caught:  # say which file they came from
            warnings.warn(f"{name}: {warning.message}", CasualtiesWarning, stacklevel=1)
        frames.append(claims)
        failures.append(failed.assign(file=name))
        counts[name] = len(claims)
    failed = pd.concat(failures, ignore_index=True)
    if not sum(counts.values()) and len(failed):
        first = failed["file"].iloc[0]
        raise ClaimError(failed[failed["file"] == first].drop(columns="file"), f"{first}: no valid claim to report on")
    return pd.concat(frames, ignore_index=True), failed, counts


def _scope(args: argparse.Namespace):
    from casualties.errors import ScopeError
    from casualties.scope import Scope

    try:
        return Scope(start=args.start, end=args.end, place=args.place, category=args.category, perpetrator=args.perpetrator)
    except ScopeError as exc:  # start after end, a year that is not one, and the like
        raise _UsageError(str(exc)) from None
    except CasualtiesError:
        raise
    except ValueError as exc:  # start after end, and the like
        raise _UsageError(str(exc)) from None


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.out:
        from pathlib import Path

        return _SUFFIX_FORMATS.get(Path(args.out).suffix.lower(), "md")
    return "md"


def _report(args: argparse.Namespace, out: TextIO) -> int:
    import datetime as dt
    import warnings
    from pathlib import Path

    from casualties._progress import Progress
    from casualties.rendering import render
    from casualties.report import build_report

    fmt = _format(args)
    scope = _scope(args)
    stages = 7 if args.merge else 6
    heard: list[str] = []
    with Progress(sys.stderr, stages, enabled=not args.quiet) as bar, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bar.step("reading claims")
        claims, failures, counts = _load(args.files)
        timestamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if args.timestamp else None
        report = build_report(claims, scope, freq=args.freq, min_certainty=args.min_certainty, failures=failures, merge=args.merge,
                              files=counts, timestamp=timestamp, progress=bar.step)
        bar.step(f"rendering {fmt}")
        plot_href = None
        if args.out and fmt == "md":
            plot_href = _write_plot(report, Path(args.out))
        text = render(report, fmt, plot_href=plot_href)
        heard = list(dict.fromkeys(str(w.message) for w in caught))
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        out.write(text)
    if not args.quiet:
        if fmt == "html" and "<svg" not in text:
            _say("warning: the HTML report has no plot: matplotlib is required for it; "
                 'install it with: python -m pip install "casualties[report]"')
        for message in heard:
            _say(f"warning: {message}")
        rejected = report.rejected
        for name, part in rejected.groupby("file", sort=False):
            first = part.iloc[0]
            _say(f"warning: {name}: {part['row'].nunique()} row(s) rejected (first: row {first['row']}, column {first['column']}: "
                 f"{first['value']!r} is {first['reason']}); the report lists every failing cell")
    return EXIT_INVALID if args.strict and len(report.rejected) else EXIT_OK


def _write_plot(report, out: Path) -> str | None:
    """Write the plot beside a Markdown report (``report.md`` -> ``report.svg``); its name, or None."""
    from casualties.plots import period_plot

    try:
        svg = period_plot(report)
    except OptionalDependencyError:
        return None
    target = out.with_suffix(".svg")
    with open(target, "w", encoding="utf-8", newline="") as handle:
        handle.write(svg)
    return target.name


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    from casualties.io import read_claims

    status = EXIT_OK
    for name in args.files:
        claims, failures = read_claims(name, errors="collect")
        out.writelines(f"{name}: row {rec.row}, column {rec.column}: {rec.value!r}: {rec.reason} ({rec.detail})\n" for rec in failures.itertuples(index=False))
        if len(failures):
            status = EXIT_INVALID
        out.write(f"{name}: {len(claims)} valid claim(s), {failures['row'].nunique()} rejected\n")
    return status


def _parse(args: argparse.Namespace, out: TextIO) -> int:
    from casualties.vocab import parse_count, parse_period

    if args.period:
        out.write(f"{parse_period(args.text, args.reported_on)!r}\n")
    else:
        out.write(f"{parse_count(args.text)!r}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit code: 0 ok, 1 invalid data, 2 usage error or unreadable file.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["report", *(argv or [])] if argv is not None else ["report"])
    handlers = {"report": _report, "validate": _validate, "parse": _parse}
    try:
        return handlers[args.command](args, sys.stdout)
    except ClaimError as exc:
        if args.debug:
            raise
        first = exc.failures.iloc[0]
        more = len(exc.failures) - 1
        tail = f" (and {more} more; run 'casualties validate' to see them all)" if more else ""
        print(f"casualties: {exc.message or 'invalid claims'}: row {first['row']}, column {first['column']}: "
              f"{first['value']!r} is {first['reason']} ({first['detail']}){tail}", file=sys.stderr)
        return EXIT_INVALID
    except _UsageError as exc:
        if args.debug:
            raise
        print(f"casualties: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ClaimFileError, OptionalDependencyError, ParseError, UnknownNameError) as exc:
        if args.debug:
            raise
        print(f"casualties: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CasualtiesError as exc:
        if args.debug:
            raise
        print(f"casualties: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        if args.debug:
            raise
        print(f"casualties: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
