"""The ``casualties`` command (also ``python -m casualties``).

Sub-commands:

- ``casualties report [FILES...] [--place P] [--from DATE] [--to DATE] [--category C]
  [--perpetrator X] [--min-certainty GRADE] [--merge RULE]``: a plain-text reconciliation report (the bundled
  seed data when no file is given): the claims, the range per source and for the truth, the
  discrepancies and the least change that reconciles the claims.
- ``casualties validate FILES...``: every failing cell (file, row, column, value, reason).
- ``casualties parse TEXT`` and ``casualties parse --period TEXT --reported-on DATE``.

Exit codes: 0 ok, 1 invalid data, 2 usage error or unreadable file. Errors are one sentence on
stderr, with no traceback unless ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence, TextIO

__all__ = ["main", "EXIT_OK", "EXIT_INVALID", "EXIT_USAGE"]

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

    report = commands.add_parser("report", help="report on claim files (default: the bundled seed data)")
    report.add_argument("files", nargs="*", metavar="FILE", help="claim files (.csv, .json, .parquet)")
    report.add_argument("--out", metavar="PATH", help="write to PATH instead of standard output")
    report.add_argument("--place", help="only this place (names or ids; 'Iraq and Syria' is two)")
    report.add_argument("--from", dest="start", metavar="DATE", help="first day")
    report.add_argument("--to", dest="end", metavar="DATE", help="last day")
    report.add_argument("--category", help="civilian, combatant, children, women or all")
    report.add_argument("--perpetrator", help="one or several perpetrators")
    report.add_argument("--min-certainty", choices=("discounted", "contested", "weak", "fair", "confirmed"))
    report.add_argument("--merge", metavar="RULE", choices=("envelope", "intersection", "conservative", "most_certain", "weighted"),
                        help="also show the reports of each incident merged by RULE")

    check = commands.add_parser("validate", help="check claim files; print every failing cell")
    check.add_argument("files", nargs="+", metavar="FILE")

    parse = commands.add_parser("parse", help="parse a count or a period from words")
    parse.add_argument("text", help='words, e.g. "around 1,500"')
    parse.add_argument("--period", action="store_true", help="parse TEXT as a period")
    parse.add_argument("--reported-on", metavar="DATE", help="report date for relative periods")
    return parser


def _load(files: Sequence[str]):  # noqa: ANN202 - a DataFrame, imported lazily
    import pandas as pd

    from casualties.io import bundled_claims, read_claims

    if not files:
        return bundled_claims()
    frames = []
    for name in files:
        claims = read_claims(name)
        frames.append(claims)
    return pd.concat(frames, ignore_index=True)


def _report(args: argparse.Namespace, out: TextIO) -> int:
    import pandas as pd

    from casualties.reconcile import conflict, discrepancies, ranges
    from casualties.scope import Scope

    claims = _load(args.files)
    scope = Scope(start=args.start, end=args.end, place=args.place, category=args.category, perpetrator=args.perpetrator)
    columns = ["claim_id", "source", "start", "end", "place", "category", "perpetrator", "outcome", "kind", "low", "best", "high"]
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_colwidth", 40):
        sections = [
            f"Claims: {len(claims)} from {claims['source'].nunique()} source(s)",
            claims[columns].to_string(index=False),
            f"\nRanges of deaths in {scope!r}, per source's account and for the truth given all sources",
            pd.concat([ranges(claims, scope, min_certainty=args.min_certainty), ranges(claims, scope, by=None, min_certainty=args.min_certainty)]).to_string(index=False),
        ]
        found = discrepancies(claims, scope, min_certainty=args.min_certainty)
        found = found[found["gap"] > 0]
        sections.append(f"\nDiscrepancies: {len(found)} pair(s) of claims whose ranges cannot both hold")
        if len(found):
            sections.append(found.to_string(index=False))
        if args.merge:
            from casualties.merging import merge

            incidents = claims[(claims["kind"] == "incident").to_numpy()]
            merged, refused = merge(incidents, rule=args.merge, conflicts="collect")
            sections.append(f"\nIncidents merged by the {args.merge} rule: {len(merged)} merged, {len(refused)} in conflict")
            if len(merged):
                sections.append(merged[["incident_id", "category", "outcome", "sources", "n_merged", "low", "best", "high"]].to_string(index=False))
            if len(refused):
                sections.append(refused.to_string(index=False))
        least = conflict(claims, scope)
        sections.append(f"\nLeast total change to the claims that reconciles them: {least.gap:g} people")
        if len(least.adjustments):
            sections.append(least.adjustments.to_string(index=False))
    text = "\n".join(sections) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        out.write(text)
    return EXIT_OK


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    from casualties.io import read_claims

    status = EXIT_OK
    for name in args.files:
        claims, failures = read_claims(name, errors="collect")
        for rec in failures.itertuples(index=False):
            out.write(f"{name}: row {rec.row}, column {rec.column}: {rec.value!r}: {rec.reason} ({rec.detail})\n")
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
    from casualties.errors import CasualtiesError, ClaimError, ClaimFileError, OptionalDependencyError, ParseError, UnknownNameError

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
