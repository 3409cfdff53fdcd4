"""Recognising a file's format by its columns, and reading any file the package has a reader for.

A claim file and the field's datasets (Airwars, ACLED, UCDP, the VDC's weekly tables, national
tolls) are told apart by their header alone: each format in :data:`FORMATS` names the columns
that identify it, and :func:`detect_format` picks the first format whose columns the file has.
:func:`read_any` then reads the file with that format's reader (``read_claims`` or an adapter of
:mod:`casualties.adapters`) and returns the claims, the table of what it could not read or map,
and the format's name. ``docs/cli.md`` lists the formats; ``docs/adapters.md`` the rules of each
adapter.
"""

from __future__ import annotations

import csv
import functools
import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from casualties.errors import (
    ClaimError,
    ClaimFileError,
    OptionalDependencyError,
    OptionError,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["FORMATS", "FORMAT_NAMES", "Format", "detect_format", "file_columns", "read_any"]

#: The names of the formats, in the order they are tried (known without importing the readers).
FORMAT_NAMES = ("claims", "airwars", "acled", "ucdp-ged", "ucdp-country-year", "vdc-weekly-province",
                "vdc-weekly-national", "tolls")


@dataclass(frozen=True, slots=True)
class Format:
    """A format casualties reads, and the columns that identify it.

    Attributes
    ----------
    name : str
        What ``format=`` and ``--format-of`` take (``"airwars"``).
    label : str
        How reports name it (``"Airwars"``).
    reader : str
        The function that reads it, ``module:name`` (``"casualties.adapters:read_airwars"``).
    columns : tuple of tuple of str
        The identifying columns: the file must have at least one column of every group (a group
        of one column is a column it must have).
    """

    name: str
    label: str
    reader: str
    columns: tuple[tuple[str, ...], ...]

    @property
    def reader_name(self) -> str:
        """The reader's public name (``"read_airwars"``)."""
        return self.reader.rpartition(":")[2]

    def missing(self, columns: Any) -> list[str]:
        """The identifying columns (groups as ``a|b``) that ``columns`` lacks; empty when it matches."""
        have = set(columns)
        return ["|".join(group) for group in self.columns if not have.intersection(group)]

    def read(self, source: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Read ``source`` (a path, or for the adapters a frame) with this format's reader:
        ``(claims, failures)``, the failures in the failure table's columns."""
        module, _, name = self.reader.partition(":")
        function = getattr(importlib.import_module(module), name)
        return function(source, errors="collect")


@functools.cache
def _formats() -> dict[str, Format]:
    """The table of formats (made on first use: it imports the adapters, and with them pandas)."""
    from casualties.adapters.acled import REQUIRED_COLUMNS as ACLED
    from casualties.adapters.airwars import REQUIRED_COLUMNS as AIRWARS
    from casualties.adapters.tolls import REQUIRED_COLUMNS as TOLLS
    from casualties.adapters.ucdp import (
        COUNTRY_YEAR_REQUIRED_COLUMNS,
        GED_REQUIRED_COLUMNS,
    )
    from casualties.adapters.vdc import LAYOUTS

    def single(names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        return tuple((name,) for name in names)

    adapters = "casualties.adapters"
    table = [
        # the most specific first: the first format whose columns a file has is its format
        Format("claims", "claims", "casualties.io:read_claims",
               (("source",), ("start", "date", "period"), ("place",), ("count", "low", "best", "high"))),
        Format("airwars", "Airwars", f"{adapters}:read_airwars", single(AIRWARS)),
        Format("acled", "ACLED", f"{adapters}:read_acled", single(ACLED)),
        Format("ucdp-ged", "UCDP GED", f"{adapters}:read_ucdp_ged", single(GED_REQUIRED_COLUMNS)),
        Format("ucdp-country-year", "UCDP country-year", f"{adapters}:read_ucdp_country_year",
               single(COUNTRY_YEAR_REQUIRED_COLUMNS)),
        Format("vdc-weekly-province", "VDC weekly by province", f"{adapters}:read_vdc_weekly", single(LAYOUTS["province"][0])),
        Format("vdc-weekly-national", "VDC weekly national", f"{adapters}:read_vdc_weekly", single(LAYOUTS["national"][0])),
        Format("tolls", "national tolls", f"{adapters}:read_tolls", single(TOLLS)),
    ]
    assert tuple(f.name for f in table) == FORMAT_NAMES
    return {f.name: f for f in table}


def __getattr__(name: str) -> Any:
    # FORMATS: the formats casualties recognises, by name, in the order they are tried (a file is
    # of the first format whose identifying columns it has); made on first use.
    if name == "FORMATS":
        return _formats()
    raise AttributeError(f"module 'casualties.formats' has no attribute {name!r}")


if TYPE_CHECKING:  # pragma: no cover
    #: The formats casualties recognises, by name, in the order they are tried.
    FORMATS: dict[str, Format]


def _suffix_format(path: Path) -> str:
    from casualties.io import file_format

    return file_format(path)


def _open_text(path: Path):
    if path.suffix.lower() == ".gz":
        import gzip

        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _json_records(path: Path) -> list[Any]:
    from casualties.io import _read_raw

    data = _read_raw(path)
    assert isinstance(data, list)
    return data


def file_columns(path: str | os.PathLike[str]) -> list[str]:
    """The column names of a file, reading as little of it as its format allows.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` (``.csv.gz``) file: its header row; ``.parquet``: its schema; ``.json``
        (``.json.gz``, a list of records): every key of its records, in the order first seen.

    Returns
    -------
    list of str
        The names, stripped of surrounding blanks.

    Raises
    ------
    ClaimFileError
        When the file is missing, unreadable, empty or of an unknown file format.
    """
    from casualties.io import _unreadable

    path = Path(path)
    fmt = _suffix_format(path)
    try:
        if fmt == "csv":
            with _open_text(path) as handle:
                header = next(csv.reader(handle), None)
            if not header:
                raise ClaimFileError(path, "is empty: it has no header row to tell its format by")
            return [str(name).strip() for name in header]
        if fmt == "json":
            seen: dict[str, None] = {}
            for record in _json_records(path):
                if isinstance(record, dict):
                    seen.update(dict.fromkeys(str(key).strip() for key in record))
            return list(seen)
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:
            raise OptionalDependencyError("pyarrow", "parquet") from exc
        return [str(name).strip() for name in pq.read_schema(path).names]
    except (ClaimFileError, OptionalDependencyError):
        raise
    except Exception as exc:  # the boundary: whatever the readers raise names the file
        raise _unreadable(path, exc) from exc


def _unrecognised(path: Path, columns: list[str]) -> ClaimFileError:
    missing = {f.name: f.missing(columns) for f in _formats().values()}
    closest = sorted(missing, key=lambda name: len(missing[name]))  # stable: table order among equals

    def lacks(name: str) -> str:
        names = missing[name]
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        return f"{name} (lacks {shown})"

    error = ClaimFileError(
        path,
        f"its columns match no format casualties reads; closest: {', '.join(lacks(name) for name in closest[:3])}; "
        f"also known: {', '.join(closest[3:])}; force one with --format-of NAME (format=NAME in Python)",
    )
    error.columns = columns  # type: ignore[attr-defined]
    error.missing = missing  # type: ignore[attr-defined]
    return error


def detect_format(path: str | os.PathLike[str]) -> str:
    """The format of a file, told by its columns.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.csv.gz``, ``.json`` (``.json.gz``) or ``.parquet`` file.

    Returns
    -------
    str
        A key of :data:`FORMATS`: the first format whose identifying columns the file has
        (``"claims"``, ``"airwars"``, ``"acled"``, ``"ucdp-ged"``, ``"ucdp-country-year"``,
        ``"vdc-weekly-province"``, ``"vdc-weekly-national"``, ``"tolls"``). A JSON file with no
        records is ``"claims"`` (an empty claim file).

    Raises
    ------
    ClaimFileError
        When the file cannot be read, or its columns match no format: the message names the file
        and, for every format, the columns it lacks; the error's ``columns`` are the file's
        columns and its ``missing`` maps each format's name to the columns it lacks.
    """
    path = Path(path)
    columns = file_columns(path)
    if not columns and _suffix_format(path) == "json":
        return "claims"
    for fmt in _formats().values():
        if not fmt.missing(columns):
            return fmt.name
    raise _unrecognised(path, columns)


def _frame_of_file(path: Path) -> pd.DataFrame:
    """A JSON or Parquet file as a table for an adapter (which reads every cell as text)."""
    import pandas as pd

    from casualties.io import _read_raw, _unreadable

    try:
        data = _read_raw(path)
    except (ClaimFileError, OptionalDependencyError):
        raise
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    if isinstance(data, pd.DataFrame):
        return data
    if any(not isinstance(record, dict) for record in data):
        raise ClaimFileError(path, "holds an item that is not a record (an object): a table of a dataset needs one per row")
    return pd.DataFrame.from_records(data)


def read_any(
    path: str | os.PathLike[str],
    format: str | None = None,
    errors: Literal["collect", "raise"] = "collect",
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Read a claim file or a dataset's file with the reader of its format.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.csv.gz``, ``.json`` (``.json.gz``) or ``.parquet`` file.
    format : str, optional
        A key of :data:`FORMATS` to read it as; default: :func:`detect_format`.
    errors : {"collect", "raise"}
        ``"collect"``: return what could not be read or mapped; ``"raise"``: raise
        :class:`~casualties.ClaimError` when anything could not.

    Returns
    -------
    claims : pandas.DataFrame
        The claims frame (index: the input row each claim came from).
    failures : pandas.DataFrame
        ``row, column, value, reason, detail``: the failing cells of a claim file (their rows
        rejected), or the cells an adapter could not map as given (``detail`` says what became of
        the row's claims). Row and column are the file's.
    format : str
        The format's name.

    Raises
    ------
    ClaimFileError
        When the file cannot be read, its columns match no format, or (with ``format``) lack the
        columns of the format forced.
    OptionError
        For an unknown ``format`` or ``errors``.
    ClaimError
        With ``errors="raise"``, when any cell could not be read or mapped.
    """
    if errors not in ("collect", "raise"):
        raise OptionError("errors", errors, ("collect", "raise"))
    if format is not None and format not in FORMAT_NAMES:
        raise OptionError("format", format, FORMAT_NAMES)
    path = Path(path)
    name = format if format is not None else detect_format(path)
    fmt = _formats()[name]
    if name == "claims" or _suffix_format(path) == "csv":
        claims, failures = fmt.read(path)
    else:
        try:
            claims, failures = fmt.read(_frame_of_file(path))
        except ClaimFileError as exc:  # the adapter names "<frame>": name the file instead
            if exc.path != "<frame>":
                raise
            raise ClaimFileError(path, exc.reason) from exc
    if errors == "raise" and len(failures):
        raise ClaimError(failures, f"{path}: {len(failures):,} cell(s) could not be read as {fmt.label}")
    return claims, failures, name
