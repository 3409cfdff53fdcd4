"""The ``casualties`` command (also ``python -m casualties``).

Sub-commands:

- ``casualties report [FILES...] [--format-of NAME] [--place P] [--from DATE] [--to DATE]
  [--category C] [--perpetrator X] [--by COLUMNS] [--freq MS|W|QS|YS|D] [--min-certainty GRADE]
  [--merge RULE] [--format md|html|csv|json] [--out PATH] [--full] [--quiet] [--strict]
  [--timestamp]``: the reconciliation report (``docs/report.md``) on claim files and the field's
  datasets (Airwars, ACLED, UCDP, VDC, tolls: their format is told by their columns,
  :mod:`casualties.formats`), or on the bundled seed data when no file is given. Rows that fail
  validation (cells an adapter could not map) are listed in the report's first section, and
  named in one warning line per file on stderr; the exit code stays 0 unless ``--strict`` (1
  when no valid claim is left at all).
- ``casualties validate FILES... [--format-of NAME]``: every failing cell (file, row, column,
  value, reason).
- ``casualties extract FILES... --reported-on DATE [--source NAME] [--out PATH]``: claims from
  news text, for a person to review (``docs/extraction.md``).
- ``casualties convert FILES... --out PATH [--format-of NAME]``: the files' claims in one claim
  file, one line per file on stderr (its format, claims, cells not read or mapped).
- ``casualties link FILES... [--out PATH] [--threshold P] [--sources NAMES...] [--relinked PATH]
  [--format-of NAME]``: incidents of different sources that are one event (``docs/linking.md``),
  and with ``--relinked`` the claims with each linked cluster under one incident id.
- ``casualties parse TEXT`` and ``casualties parse --period TEXT --reported-on DATE``.

Exit codes: 0 ok, 1 invalid data, 2 usage error, unreadable file or unwritable output, 3 an
unexpected failure inside casualties (a bug), 130 interrupted (Ctrl-C). Errors are one sentence
on stderr, naming what failed (the file, row and column, the option and its value, standard
output), with no traceback unless ``--debug``. A progress bar appears on stderr when the work takes more than a second, on a
terminal only (never in a pipe, never with ``--quiet``); standard output holds only the report.

This module is the entry point: the options, :func:`main` and the sentence and exit code of each
error. The commands' bodies are in :mod:`casualties.commands`, the reading of the files they are
given in :mod:`casualties.inputs`, and the exit codes and the writing to standard output and
standard error in :mod:`casualties.console`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from casualties.commands import (
    run_convert,
    run_extract,
    run_link,
    run_parse,
    run_report,
    run_validate,
)
from casualties.console import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    OutputError,
    UsageError,
    describe,
    say,
)
from casualties.errors import (
    CasualtiesError,
    CasualtiesWarning,
    ClaimError,
    ClaimFileError,
    OptionalDependencyError,
    OptionError,
    ParseError,
    UnknownNameError,
)

__all__ = ["EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and one line, as every other usage error here."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"casualties: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="casualties", description="Reconcile casualty claims.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    report = commands.add_parser("report", help="report on claim files and datasets (default: the bundled seed data)",
                                 description="Reconcile claim files into a report: what went in, ranges per source and for the "
                                             "truth, discrepancies, per-period totals and the claims with their quotes.")
    report.add_argument("files", nargs="*", metavar="FILE",
                        help="claim files or datasets (.csv, .json, .parquet; the format told by the columns); "
                             "none: the bundled seed data")
    _format_of(report)
    report.add_argument("--place", help="only this place (names or ids; 'Iraq and Syria' is two)")
    report.add_argument("--from", dest="start", metavar="DATE", help="first day")
    report.add_argument("--to", dest="end", metavar="DATE", help="last day")
    report.add_argument("--category", help="civilian, combatant, children, women or all")
    report.add_argument("--perpetrator", help="one or several perpetrators")
    report.add_argument("--by", metavar="COLUMNS",
                        help="one account per value of these claims columns (comma-separated, e.g. source,certainty); "
                             "default: one per source")
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
    report.add_argument("--link", action="store_true",
                        help="link incidents of different sources that are probably one event before reconciling "
                             "(casualties link); the discrepancies then span sources, each linked pair with its evidence")
    report.add_argument("--link-threshold", metavar="P", type=_probability, default=None,
                        help="least probability of a link with --link (default: link_incidents' own)")
    report.add_argument("--full", action="store_true",
                        help="list every claim, discrepancy and adjustment, not only those bearing on the scope / the largest")
    report.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no warnings")
    report.add_argument("--strict", action="store_true", help="exit 1 when any row was rejected (the report is still written)")
    report.add_argument("--timestamp", action="store_true", help="print the time the report was made (reports are otherwise "
                                                                   "identical for identical inputs)")
    report.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")

    check = commands.add_parser("validate", help="check claim files and datasets; print every failing cell")
    check.add_argument("files", nargs="+", metavar="FILE", help="claim files or datasets (the format told by the columns)")
    _format_of(check)
    check.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")

    convert = commands.add_parser("convert", help="read claim files and datasets into one claim file",
                                  description="Read each file with the reader of its format (told by its columns) and write "
                                              "their claims to one claim file; one line per file on standard error.")
    convert.add_argument("files", nargs="+", metavar="FILE", help="claim files or datasets (.csv, .json, .parquet)")
    convert.add_argument("--out", metavar="PATH", required=True, help="the claim file to write (.csv, .csv.gz, .json, .parquet)")
    _format_of(convert)
    convert.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")

    extract = commands.add_parser("extract", help="claims from news text, for a person to review",
                                  description="Find every casualty figure in plain-text articles (rule-based: "
                                              "docs/extraction.md) and write them as claims; the figures seen but "
                                              "not taken are listed on standard error.")
    extract.add_argument("files", nargs="+", metavar="FILE", help="plain-text articles (UTF-8)")
    extract.add_argument("--reported-on", metavar="DATE", required=True, help="the day the articles were published")
    extract.add_argument("--source", metavar="NAME", help="who publishes them: the source of figures attributed to no one")
    extract.add_argument("--out", metavar="PATH", help="the claim file to write (.csv, .json, .parquet); default: CSV on standard output")
    extract.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")

    link = commands.add_parser("link", help="find incidents of different sources that are probably one event",
                               description="Link the incidents of claim files and datasets across sources (a probabilistic "
                                           "record-linkage model learned from the files themselves) and write one row per "
                                           "link with its probability and evidence. See docs/linking.md.")
    link.add_argument("files", nargs="+", metavar="FILE", help="claim files or datasets (the format told by the columns)")
    link.add_argument("--out", metavar="PATH", help="the links as CSV (default: standard output)")
    link.add_argument("--threshold", metavar="P", type=_probability, default=None,
                      help="least probability of a link kept, 0 to 1 (default: link_incidents' own)")
    link.add_argument("--sources", nargs="+", metavar="NAME", help="link only the incidents of these sources")
    link.add_argument("--relinked", metavar="PATH",
                      help="also write the claims with each linked cluster under one incident_id (.csv, .json, .parquet)")
    _format_of(link)
    link.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")

    parse = commands.add_parser("parse", help="parse a count or a period from words")
    parse.add_argument("text", help='words, e.g. "around 1,500"')
    parse.add_argument("--period", action="store_true", help="parse TEXT as a period")
    parse.add_argument("--reported-on", metavar="DATE", help="report date for relative periods")
    parse.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    return parser


def _probability(text: str) -> float:
    """An option's probability, 0 to 1 (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a probability between 0 and 1")
    return value


def _format_of(parser: argparse.ArgumentParser) -> None:
    from casualties.formats import FORMAT_NAMES

    parser.add_argument("--format-of", metavar="NAME", choices=FORMAT_NAMES,
                        help=f"read every file as this format instead of telling it by the columns: {', '.join(FORMAT_NAMES)}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit code: 0 ok, 1 invalid data, 2 usage error, unreadable file or unwritable output,
        3 an unexpected failure inside casualties, 130 interrupted. Every failure is one sentence
        on standard error (the traceback too with ``--debug``).
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            args = parser.parse_args(["report", *(argv or [])] if argv is not None else ["report"])
    except KeyboardInterrupt:
        say("interrupted")
        return EXIT_INTERRUPTED
    args.stage = ["starting"]  # what the command was doing, for a message about an unexpected failure
    handlers = {"report": run_report, "validate": run_validate, "convert": run_convert, "extract": run_extract,
                "link": run_link, "parse": run_parse}
    import warnings

    def one_line(message: Any, category: type, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
        # our warnings as one line, like our errors, not Python's "file:line: Category" form
        if issubclass(category, CasualtiesWarning) and not args.debug:
            say(f"warning: {message}")
        else:
            shown(message, category, filename, lineno, file, line)

    shown = warnings.showwarning
    warnings.showwarning = one_line
    try:
        return handlers[args.command](args, sys.stdout)
    except KeyboardInterrupt:
        if args.debug:
            raise
        say(f"interrupted while {args.stage[0]}")
        return EXIT_INTERRUPTED
    except Exception as exc:  # the command's boundary: one sentence and an exit code, always
        if args.debug:
            raise
        code, message = _explain(exc, args)
        say(message)
        return code
    finally:
        warnings.showwarning = shown


def _explain(exc: Exception, args: argparse.Namespace) -> tuple[int, str]:
    """The exit code and the one sentence for an error that ended the command."""
    if isinstance(exc, ClaimError):
        if not len(exc.failures):
            return EXIT_INVALID, exc.message or "invalid claims"
        first = exc.failures.iloc[0]
        more = len(exc.failures) - 1
        tail = f" (and {more} more; run 'casualties validate' to see them all)" if more else ""
        return EXIT_INVALID, (f"{exc.message or 'invalid claims'}: row {first['row']}, column {first['column']}: "
                              f"{first['value']!r} is {first['reason']} ({first['detail']}){tail}")
    if isinstance(exc, UsageError):
        return EXIT_USAGE, f"error: {exc}"
    if isinstance(exc, OutputError):
        return EXIT_USAGE, f"cannot write the output: {exc}"
    if isinstance(exc, (ClaimFileError, OptionalDependencyError, ParseError, UnknownNameError, OptionError)):
        return EXIT_USAGE, str(exc)
    if isinstance(exc, CasualtiesError):
        return EXIT_INVALID, str(exc)
    if isinstance(exc, MemoryError):
        return EXIT_INTERNAL, f"out of memory while {args.stage[0]}"
    if isinstance(exc, OSError):
        what = exc.filename if exc.filename is not None else f"while {args.stage[0]}"
        return EXIT_USAGE, f"{what}: {exc.strerror or describe(exc)}"
    return EXIT_INTERNAL, (f"unexpected failure while {args.stage[0]}: {describe(exc)}; "
                           "this is a bug in casualties: run with --debug for the traceback and report it")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
