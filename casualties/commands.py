"""The bodies of the ``casualties`` commands: each turns its options into calls of the library.

``run_<command>(args, out)`` takes the options :mod:`casualties.cli` parsed (with ``args.stage``,
a list of one item it keeps set to what it is doing, for a message about a failure) and standard
output (None when it is closed), writes its output and its lines on standard error
(:mod:`casualties.console`), and returns the exit code. Errors are left to
:func:`casualties.cli.main`, which turns each into one sentence and an exit code. The files a
command is given are read by :mod:`casualties.inputs`; the library modules are imported when a
command runs, so that ``casualties --help`` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from casualties.console import (
    EXIT_INVALID,
    EXIT_OK,
    OutputError,
    UsageError,
    describe,
    say,
    write_out,
)
from casualties.errors import CasualtiesWarning, ClaimFileError, OptionalDependencyError
from casualties.inputs import load_claims, read_and_say, read_files

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

__all__ = ["run_convert", "run_extract", "run_link", "run_parse", "run_report", "run_validate"]

#: The report's format told by the suffix of ``--out``.
_SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".csv": "csv", ".json": "json"}


#: Scope's arguments and the options that give them.
_SCOPE_OPTIONS = {"start": "--from", "end": "--to", "place": "--place", "category": "--category", "perpetrator": "--perpetrator"}


def _scope(args: argparse.Namespace):
    """The question's scope; the options' text goes to :class:`~casualties.scope.Scope` unchanged
    (it reads dates and names), and a refusal names the option at fault and its value."""
    from casualties.scope import Scope

    given = {name: getattr(args, name) for name in _SCOPE_OPTIONS}
    try:
        scope = Scope(**given)
    except Exception as exc:  # every refusal of an option becomes one sentence naming it
        if args.debug:
            raise
        for name, value in given.items():
            if value is None:
                continue
            try:
                Scope(**{name: value})
            except Exception:  # noqa: BLE001 - this option alone fails: it is the one at fault
                raise UsageError(f"{_SCOPE_OPTIONS[name]} {value!r}: {describe(exc)}") from exc
        options = " ".join(f"{_SCOPE_OPTIONS[n]} {v!r}" for n, v in given.items() if v is not None)
        raise UsageError(f"{options}: {describe(exc)}") from exc
    from casualties.columns import FIRST_YEAR, LAST_YEAR

    for name in ("start", "end"):
        day = getattr(scope, name, None)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise UsageError(f"{_SCOPE_OPTIONS[name]} {given[name]!r}: the year {day.year} is outside "
                             f"{FIRST_YEAR}-{LAST_YEAR}, the years casualties can count in")
    return scope


def _by(args: argparse.Namespace) -> dict:
    """``by=`` for the report from ``--by`` (a column, or a list of them), or nothing."""
    if args.by is None:
        return {}
    import inspect

    from casualties.report import build_report

    columns = [c.strip() for c in args.by.split(",") if c.strip()]
    if not columns:
        raise UsageError(f"--by {args.by!r}: name one claims column or several, separated by commas")
    if "by" not in inspect.signature(build_report).parameters:
        raise UsageError(f"--by {args.by!r}: this version of casualties cannot group the report by columns yet")
    return {"by": columns[0] if len(columns) == 1 else columns}


def _full(args: argparse.Namespace) -> dict:
    """``full=`` for the report from ``--full``, when this version's ``build_report`` takes it
    (one that does not already lists everything)."""
    import inspect

    from casualties.report import build_report

    if "full" not in inspect.signature(build_report).parameters:
        return {}
    return {"full": args.full}


def _format(args: argparse.Namespace) -> str:
    """The report's format: ``--format``, else the suffix of ``--out``, else Markdown."""
    if args.format:
        return args.format
    if args.out:
        from pathlib import Path

        return _SUFFIX_FORMATS.get(Path(args.out).suffix.lower(), "md")
    return "md"


def run_report(args: argparse.Namespace, out: TextIO | None) -> int:
    """Reconcile the files (or the bundled seed data) and write the report, with a progress bar and
    the warnings on standard error.

    Parameters
    ----------
    args : argparse.Namespace
        The options of ``casualties report``, with ``stage``.
    out : text stream or None
        Standard output (None when it is closed).

    Returns
    -------
    int
        :data:`~casualties.console.EXIT_OK`, or :data:`~casualties.console.EXIT_INVALID` with
        ``--strict`` when a row was rejected.
    """
    import datetime as dt
    import warnings
    from pathlib import Path

    from casualties._progress import Progress
    from casualties.rendering import render
    from casualties.report import build_report

    fmt = _format(args)
    scope = _scope(args)
    by = _by(args)
    if not args.out and out is None:
        raise OutputError("standard output is closed: nothing to write the report to (use --out PATH)")
    stages = 7 if args.merge else 6
    heard: list[str] = []
    stage = args.stage
    with Progress(sys.stderr, stages, enabled=not args.quiet) as bar, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bar.step("reading claims")
        stage[0] = "reading the claims"
        claims, failures, counts, adapted = load_claims(args.files, args.format_of, stage)
        timestamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if args.timestamp else None
        stage[0] = "reconciling the claims"

        def progress(label: str) -> None:
            stage[0] = f"computing the report ({label})"
            bar.step(label)

        links = None
        if args.link:
            from casualties.linking import link_incidents

            stage[0] = "linking the incidents"
            links = link_incidents(claims, **_threshold(args.link_threshold))
        report = build_report(claims, scope, freq=args.freq, min_certainty=args.min_certainty, failures=failures, merge=args.merge,
                              files=counts, timestamp=timestamp, progress=progress, links=links, **by, **_full(args))
        bar.step(f"rendering {fmt}")
        stage[0] = f"rendering the report as {fmt}"
        plot_href = None
        if args.out and fmt == "md":
            stage[0] = "drawing the plot"
            plot_href = _write_plot(report, Path(args.out))
        text = render(report, fmt, plot_href=plot_href)
        heard = list(dict.fromkeys(str(w.message) for w in caught))
    stage[0] = "writing the report"
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        write_out(out, text)
    if not args.quiet:
        if fmt == "html" and "<svg" not in text:
            say("warning: the HTML report has no plot: matplotlib is required for it; "
                'install it with: python -m pip install "casualties[report]"')
        for message in heard:
            say(f"warning: {message}")
        rejected = report.rejected
        for name, part in rejected.groupby("file", sort=False):
            first = part.iloc[0]
            if name in adapted:
                say(f"warning: {name}: {len(part):,} cell(s) in {part['row'].nunique():,} row(s) not mapped as given (first: "
                    f"row {first['row']}, column {first['column']}: {first['value']!r} is {first['reason']}); "
                    "the report lists every one and what became of its row")
                continue
            say(f"warning: {name}: {part['row'].nunique()} row(s) rejected (first: row {first['row']}, column {first['column']}: "
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


def run_validate(args: argparse.Namespace, out: TextIO | None) -> int:
    """Write every failing cell of each file, then a line of what it held, file by file.

    Parameters
    ----------
    args : argparse.Namespace
        The options of ``casualties validate``, with ``stage``.
    out : text stream or None
        Standard output (None when it is closed).

    Returns
    -------
    int
        :data:`~casualties.console.EXIT_OK`, or :data:`~casualties.console.EXIT_INVALID` when a
        cell failed.
    """
    status = EXIT_OK
    for name in dict.fromkeys(args.files):  # one at a time: a file's lines come as soon as it is read
        (read,) = read_files([name], args.format_of, args.stage)
        for message in read.warnings:  # one line each, naming the file
            say(f"warning: {name}: {message}")
        failures = read.failures
        lines = [f"{name}: row {rec.row}, column {rec.column}: {rec.value!r}: {rec.reason} ({rec.detail})\n" for rec in failures.itertuples(index=False)]
        if len(failures):
            status = EXIT_INVALID
        if read.adapted:
            lines.append(read.summary() + "\n")
        else:
            lines.append(f"{name}: {len(read.claims)} valid claim(s), {failures['row'].nunique()} rejected\n")
        write_out(out, "".join(lines))
    return status

def run_convert(args: argparse.Namespace, out: TextIO | None) -> int:
    """Write the claims of every file to one claim file (``--out``), one line per file on standard
    error.

    Parameters
    ----------
    args : argparse.Namespace
        The options of ``casualties convert``, with ``stage``.
    out : text stream or None
        Standard output (None when it is closed).

    Returns
    -------
    int
        :data:`~casualties.console.EXIT_OK`.
    """
    import warnings
    from pathlib import Path

    from casualties.io import file_format, write_claims

    file_format(Path(args.out))  # an --out this cannot write is said before the reading
    claims = read_and_say(args, "convert")
    args.stage[0] = f"writing {args.out}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CasualtiesWarning)  # said above, file by file, on reading
        write_claims(claims, args.out)
    return EXIT_OK


def run_extract(args: argparse.Namespace, out: TextIO | None) -> int:
    """Write the claims found in news text (CSV on standard output, or ``--out``), one line per
    article on standard error.

    Parameters
    ----------
    args : argparse.Namespace
        The options of ``casualties extract``, with ``stage``.
    out : text stream or None
        Standard output (None when it is closed).

    Returns
    -------
    int
        :data:`~casualties.console.EXIT_OK`.
    """
    import io
    from pathlib import Path

    import pandas as pd

    from casualties.extract import extract_claims
    from casualties.io import file_format, write_claims

    if args.out:
        file_format(Path(args.out))  # an --out this cannot write is said before the reading
    found = []
    for name in args.files:
        args.stage[0] = f"reading {name}"
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ClaimFileError(name, f"cannot read it as UTF-8 text ({exc.__class__.__name__})") from None
        args.stage[0] = f"extracting from {name}"
        claims, skipped = extract_claims(text, reported_on=args.reported_on, source=args.source)
        ids = claims["claim_id"].astype(str)
        claims = claims.assign(claim_id=f"{Path(name).stem}:" + ids, incident_id=f"{Path(name).stem}:" + claims["incident_id"].astype(str))
        say(f"{name}: {len(claims):,} claim(s), {len(skipped):,} figure(s) seen and not taken")
        found.append(claims)
    claims = pd.concat(found, ignore_index=True)
    args.stage[0] = "writing the claims"
    if args.out:
        write_claims(claims, args.out)
    else:
        buffer = io.StringIO()
        claims.to_csv(buffer, index=False)
        write_out(out, buffer.getvalue())
    return EXIT_OK


def _threshold(value: float | None) -> dict:
    """``threshold=`` for :func:`~casualties.linking.link_incidents` when an option gave one."""
    return {} if value is None else {"threshold": value}


def run_link(args: argparse.Namespace, out: TextIO | None) -> int:
    """Link the incidents of the files across sources and write the links as CSV (and, with
    ``--relinked``, the claims relinked).

    Parameters
    ----------
    args : argparse.Namespace
        The options of ``casualties link``, with ``stage``.
    out : text stream or None
        Standard output (None when it is closed).

    Returns
    -------
    int
        :data:`~casualties.console.EXIT_OK`.
    """
    import warnings
    from pathlib import Path

    from casualties.io import file_format, write_claims
    from casualties.linking import link_incidents, relink
    from casualties.rendering import neutral_csv

    if args.relinked:
        file_format(Path(args.relinked))  # a --relinked this cannot write is said before the reading
    if not args.out and out is None:
        raise OutputError("standard output is closed: nothing to write the links to (use --out PATH)")
    claims = read_and_say(args, "link")
    args.stage[0] = "linking the incidents"
    links = link_incidents(claims, sources=args.sources, **_threshold(args.threshold))
    say(f"{len(links):,} link(s) among {links.attrs.get('candidates', 0):,} candidate pair(s) of incidents of different sources")
    args.stage[0] = "writing the links"
    text = neutral_csv(links)
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        write_out(out, text)
    if args.relinked:
        args.stage[0] = f"writing {args.relinked}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CasualtiesWarning)  # said on reading
            write_claims(relink(claims, links), args.relinked)
    return EXIT_OK


def run_parse(args: argparse.Namespace, out: TextIO | None) -> int:
    """Write the count (or, with ``--period``, the period) the words say.

    Parameters
    ----------
    args : argparse.Namespace
        The options of ``casualties parse``, with ``stage``.
    out : text stream or None
        Standard output (None when it is closed).

    Returns
    -------
    int
        :data:`~casualties.console.EXIT_OK`.
    """
    from casualties.vocab import parse_count, parse_period

    args.stage[0] = "reading the words"
    if args.period:
        text = f"{parse_period(args.text, args.reported_on)!r}\n"
    else:
        text = f"{parse_count(args.text)!r}\n"
    write_out(out, text)
    return EXIT_OK
