"""Reading and writing claim files: CSV, JSON and Parquet.

The format follows the file name: ``.csv`` (optionally compressed, ``.csv.gz``), ``.json`` (a list
of records) or ``.parquet`` (needs the ``parquet`` extra). Round trips are lossless for every
column of the claims frame: multi-valued places (``IQ|SY``), ``inf`` for "at least", dates,
categories and empty texts. The frame's index (input positions) is not written: a file read back
is numbered from 0.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from casualties.errors import ClaimError, ClaimFileError, OptionalDependencyError
from casualties.schema import COLUMN_NAMES, claims_from_records

__all__ = ["read_claims", "write_claims", "bundled_claims", "BUNDLED", "FORMATS"]

#: File formats :func:`read_claims` and :func:`write_claims` know, by file suffix.
FORMATS = ("csv", "json", "parquet")
_DATE_COLUMNS = ("reported_on", "start", "end")
_COUNT_COLUMNS = ("low", "best", "high")


def _format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    for suffix in reversed(suffixes):
        if suffix.lstrip(".") in FORMATS:
            return suffix.lstrip(".")
    raise ClaimFileError(path, f"unknown file format {''.join(suffixes) or '(no suffix)'!r}; use .csv, .json or .parquet")


def _read_raw(path: Path) -> pd.DataFrame:
    fmt = _format(path)
    if fmt == "csv":
        # Everything as text: "NA" is Namibia, not a missing value; the normaliser does the typing.
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    if fmt == "json":
        with _open_text(path) as handle:
            data = json.load(handle)
        if isinstance(data, dict) and "claims" in data:
            data = data["claims"]
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise ClaimFileError(path, "a JSON claim file holds a list of records (objects)")
        return pd.DataFrame.from_records(data)
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise OptionalDependencyError("pyarrow", "parquet") from exc
    return pd.read_parquet(path)


def _open_text(path: Path):  # noqa: ANN202 - a text handle, compressed or not
    if path.suffix.lower() == ".gz":
        import gzip

        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_claims(
    path: str | os.PathLike[str],
    *,
    errors: Literal["raise", "collect"] = "raise",
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read a claim file into a validated claims frame.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.csv.gz``, ``.json`` or ``.parquet`` file. It needs only the columns that
        carry meaning (source, dates or a period, place, a count); see ``docs/schema.md``.
    errors : {"raise", "collect"}
        As in :func:`~casualties.schema.claims_from_records`.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)
        The claims (index: 0-based record position in the file), and with ``errors="collect"``
        the failure table (``row, column, value, reason, detail``).

    Raises
    ------
    ClaimFileError
        When the file is missing, unreadable or of an unknown format.
    ClaimError
        With ``errors="raise"``, when any cell fails; the message names the file.
    """
    path = Path(path)
    try:
        raw = _read_raw(path)
    except (ClaimFileError, OptionalDependencyError):
        raise
    except FileNotFoundError as exc:
        raise ClaimFileError(path, "no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ClaimFileError(path, f"cannot be read ({exc.__class__.__name__}: {exc})") from exc
    except (ValueError, pd.errors.ParserError) as exc:
        raise ClaimFileError(path, f"is not a readable {_format(path).upper()} file ({exc})") from exc
    try:
        return claims_from_records(raw, errors=errors)
    except ClaimError as exc:
        raise ClaimError(exc.failures, f"{path}: {len(exc.failures)} invalid cell(s)") from None


def _for_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with dates as YYYY-MM-DD text and counts as numbers ("inf" kept as text)."""
    out = frame.copy()
    for name in _DATE_COLUMNS:
        if name in out.columns:
            out[name] = out[name].dt.strftime("%Y-%m-%d")
    return out


def write_claims(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a claims frame to a file that :func:`read_claims` reads back unchanged.

    Parameters
    ----------
    frame : pandas.DataFrame
        A claims frame (validated first; an invalid frame raises ``ClaimError``).
    path : str or path-like
        Target file; the format follows its suffix (``.csv``, ``.csv.gz``, ``.json``,
        ``.parquet``).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    from casualties.schema import validate

    path = Path(path)
    fmt = _format(path)
    frame = validate(frame)
    columns = list(COLUMN_NAMES) + [c for c in frame.columns if c not in COLUMN_NAMES]
    frame = frame[columns]
    try:
        if fmt == "csv":
            _for_text(frame).to_csv(path, index=False)
        elif fmt == "json":
            text = _for_text(frame)
            records = text.astype(object).where(text.notna(), None)
            for name in _COUNT_COLUMNS:
                values = frame[name].to_numpy()
                records[name] = np.where(np.isinf(values), "inf", values.astype(object))
            data: list[dict[str, Any]] = records.to_dict(orient="records")
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=1, default=str)
                handle.write("\n")
        else:
            try:
                import pyarrow  # noqa: F401
            except ImportError as exc:
                raise OptionalDependencyError("pyarrow", "parquet") from exc
            frame.reset_index(drop=True).to_parquet(path, index=False)
    except OSError as exc:
        raise ClaimFileError(path, f"cannot be written ({exc})") from exc
    return path


#: The claim files bundled with the package (``data/<name>.csv``).
BUNDLED = ("raqqa-2017-06-06",)


def bundled_claims(name: str = "raqqa-2017-06-06") -> pd.DataFrame:
    """Read a claim file bundled with the package.

    Parameters
    ----------
    name : str
        One of :data:`BUNDLED`; ``"raqqa-2017-06-06"`` holds every figure of the seed article
        (TRT World, 6 June 2017, on the battle for Raqqa).

    Returns
    -------
    pandas.DataFrame
        The validated claims.
    """
    from casualties._resources import data_path

    if name not in BUNDLED:
        raise ClaimFileError(name, f"no bundled claim file of that name; choose from {', '.join(BUNDLED)}")
    result = read_claims(data_path(f"{name}.csv"))
    assert isinstance(result, pd.DataFrame)
    return result
