"""The files a command is given: each read with the reader of its format, and what was read said.

:func:`read_files` reads each file once with the reader its columns call for (``--format-of``
forces one) and makes claim ids distinct across the files; :class:`FileRead` holds one file's
claims, failures and warnings and says them in one line. :func:`load_claims` gathers what
``casualties report`` reconciles (the bundled seed data when no file is given);
:func:`read_and_say` what ``convert`` and ``link`` read, one line per file on standard error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from casualties.console import say
from casualties.errors import CasualtiesWarning, ClaimError

if TYPE_CHECKING:  # pragma: no cover
    import argparse

    import pandas as pd

__all__ = ["FileRead", "load_claims", "read_and_say", "read_files"]


class FileRead:
    """One file read: its name as given, its format, the claims and what could not be read or mapped.

    Parameters
    ----------
    name : str
        The file as the command was given it.
    format : str
        The name of its format (:data:`~casualties.formats.FORMAT_NAMES`; ``"claims"`` for a claim
        file).
    claims : DataFrame
        The claims read from it.
    failures : DataFrame
        What its reader could not read (a claim file) or map (a dataset): one row per cell.
    warnings : list of str
        The warnings heard on reading it, each once, without the file's name.
    """

    __slots__ = ("claims", "failures", "format", "name", "warnings")

    def __init__(self, name: str, format: str, claims, failures, warnings: list[str]) -> None:
        self.name, self.format, self.claims, self.failures, self.warnings = name, format, claims, failures, warnings

    @property
    def adapted(self) -> bool:
        """Read by an adapter (not a claim file)."""
        return self.format != "claims"

    @property
    def key(self) -> str:
        """How the report names the file: as given, with the dataset's format after it (``x.csv (Airwars)``)."""
        from casualties.formats import FORMATS

        return f"{self.name} ({FORMATS[self.format].label})" if self.adapted else self.name

    @property
    def rows_rejected(self) -> int:
        """The rows with a failing cell that gave no claim [rows] (an adapter may list a cell it
        could not map although its row gave claims; claims keep their input row as index)."""
        rows = self.failures["row"]
        return int(rows[~rows.isin(self.claims.index)].nunique())

    def summary(self) -> str:
        """One line: the file, its format and reader, the claims and the cells not read or mapped."""
        from casualties.formats import FORMATS

        fmt = FORMATS[self.format]
        if self.adapted:
            return (f"{self.name}: {fmt.label} ({fmt.reader_name}): {len(self.claims):,} claim(s), "
                    f"{len(self.failures):,} cell(s) not mapped as given")
        return f"{self.name}: claims ({fmt.reader_name}): {len(self.claims):,} valid claim(s), {self.rows_rejected:,} row(s) rejected"


def read_files(files: Sequence[str], format_of: str | None, stage: list[str]) -> list[FileRead]:
    """Read each file with the reader of its format (or ``format_of``), each once, with claim ids
    unique across the files: an id an earlier file already used is prefixed with the file's name
    (and its ``incident_id`` too where it was the claim's own), and a warning says so.

    Parameters
    ----------
    files : sequence of str
        The files, as given; one named twice is read once (a warning on the first file says so).
    format_of : str or None
        Read every file as this format instead of telling it by its columns.
    stage : list of str
        One item, set to what is being done (``"reading x.csv"``) for a message about a failure.

    Returns
    -------
    list of FileRead
        One per distinct file, in the order given.
    """
    import warnings

    from casualties.formats import read_any

    done: list[FileRead] = []
    for name in dict.fromkeys(files):
        stage[0] = f"reading {name}"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            claims, failures, fmt = read_any(name, format=format_of)
        heard = list(dict.fromkeys(str(w.message) for w in caught))
        done.append(FileRead(name, fmt, claims, failures, heard))
    if len(done) < len(files):
        twice = [name for name in dict.fromkeys(files) if files.count(name) > 1]
        done[0].warnings.append(f"{', '.join(twice)} named more than once: each read once")
    _distinct_ids(done)
    return done


def _distinct_ids(done: list[FileRead]) -> None:
    """Prefix the claim ids a file shares with an earlier one, in place, with a warning each."""
    from pathlib import Path

    import numpy as np
    import pandas as pd

    seen: set[str] = set()
    for number, read in enumerate(done, start=1):
        claims = read.claims
        ids = claims["claim_id"].astype(str).to_numpy()
        clash = np.fromiter((i in seen for i in ids), dtype=bool, count=len(ids))
        if clash.any():
            own = set(ids)
            for prefix in (f"{Path(read.name).name}:", f"{Path(read.name).name}#{number}:"):
                renamed = np.array([prefix + i if c else i for i, c in zip(ids, clash)], dtype=object)
                if not any(i in seen or i in own for i in renamed[clash]):
                    break
            claims = claims.copy()
            incidents = claims["incident_id"].astype(str).to_numpy()
            claims["claim_id"] = pd.Series(renamed, index=claims.index, dtype=claims["claim_id"].dtype)
            claims["incident_id"] = pd.Series(np.where(clash & (incidents == ids), renamed, incidents), index=claims.index,
                                              dtype=claims["incident_id"].dtype)
            read.claims = claims
            read.warnings.append(f"{int(clash.sum()):,} claim id(s) already used by an earlier file were prefixed with {prefix!r}")
        seen.update(read.claims["claim_id"].astype(str))


def load_claims(files: Sequence[str], format_of: str | None = None,
                stage: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame | None, dict[str, tuple[int, int]], set[str]]:
    """Read the files (or the bundled seed data), keeping the failures of each.

    Each file's warnings are warned again (:class:`~casualties.errors.CasualtiesWarning`) with the
    file's name before them.

    Parameters
    ----------
    files : sequence of str
        The files; none: the bundled seed data.
    format_of : str, optional
        Read every file as this format instead of telling it by its columns.
    stage : list of str, optional
        One item, set to what is being done, for a message about a failure.

    Returns
    -------
    claims : DataFrame
        The claims of every file.
    failures : DataFrame or None
        What could not be read or mapped, with the file's name in a ``file`` column (as
        :attr:`FileRead.key` gives it); None for the bundled data.
    counts : dict of str to (int, int)
        The number of claims of each file [claims] and of its rows rejected (:attr:`FileRead.rows_rejected`).
    adapted : set of str
        The files an adapter read (not claim files).

    Raises
    ------
    ClaimError
        When no file gave a valid claim and some had failures (those of the first such file).
    """
    import warnings

    import pandas as pd

    from casualties.io import BUNDLED, bundled_claims

    if not files:
        claims = bundled_claims()
        return claims, None, {f"{BUNDLED[0]} (bundled with casualties)": (len(claims), 0)}, set()
    done = read_files(files, format_of, stage if stage is not None else ["reading"])
    for read in done:
        for message in read.warnings:  # say which file they came from
            warnings.warn(f"{read.name}: {message}", CasualtiesWarning, stacklevel=1)
    failed = pd.concat([read.failures.assign(file=read.key) for read in done], ignore_index=True)
    counts = {read.key: (len(read.claims), read.rows_rejected) for read in done}
    if not sum(n for n, _ in counts.values()) and len(failed):
        first = failed["file"].iloc[0]
        raise ClaimError(failed[failed["file"] == first].drop(columns="file"), f"{first}: no valid claim to report on")
    return (pd.concat([read.claims for read in done], ignore_index=True), failed, counts,
            {read.key for read in done if read.adapted})


def read_and_say(args: argparse.Namespace, purpose: str) -> pd.DataFrame:
    """The claims of every file of ``args.files``, one line per file on standard error (its
    warnings, then its format, reader, claims and the cells not read).

    Parameters
    ----------
    args : argparse.Namespace
        The command's options: ``files``, ``format_of`` and ``stage`` (see :func:`read_files`).
    purpose : str
        What the claims are read for, a verb (``"convert"``), for the error when there are none.

    Returns
    -------
    DataFrame
        The claims of every file, one after the other.

    Raises
    ------
    ClaimError
        When no file gave a valid claim and some had failures (those of the first such file).
    """
    import pandas as pd

    done = read_files(args.files, args.format_of, args.stage)
    for read in done:
        for message in read.warnings:
            say(f"warning: {read.name}: {message}")
        say(read.summary())
    if not sum(len(read.claims) for read in done) and any(len(read.failures) for read in done):
        first = next(read for read in done if len(read.failures))
        raise ClaimError(first.failures, f"{first.name}: no valid claim to {purpose}")
    return pd.concat([read.claims for read in done], ignore_index=True)
