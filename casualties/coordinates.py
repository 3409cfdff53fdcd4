"""Where an event happened: latitude and longitude [degrees, WGS84] read and checked together.

One helper that the normaliser (:mod:`casualties.schema`) and the adapters share, so that a
coordinate means the same everywhere: a number (or its text, ``"36.05857"``), a latitude in
[-90, 90] and a longitude in [-180, 180], both given or neither, and never (0, 0) ("null island",
the placeholder field data write for an unknown place).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from casualties.errors import Reason

__all__ = ["COORDINATE_COLUMNS", "CoordinateProblem", "read_coordinates"]

#: The coordinate columns of the claims frame: name -> greatest absolute value [degrees].
COORDINATE_COLUMNS = {"latitude": 90.0, "longitude": 180.0}


@dataclasses.dataclass(frozen=True, slots=True)
class CoordinateProblem:
    """Failing cells of one coordinate column, one reason.

    Attributes
    ----------
    mask : pandas.Series of bool
        The failing rows.
    column : str
        ``latitude`` or ``longitude``.
    reason : Reason
        ``not_a_number``, ``out_of_range``, ``missing`` (one coordinate without the other) or
        ``null_island``.
    detail : str
        One sentence.
    """

    mask: pd.Series
    column: str
    reason: Reason
    detail: str


def _blank(raw: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        return raw.isna()
    return raw.isna() | raw.astype(object).where(raw.notna(), "").astype(str).str.strip().eq("")


def _numbers(raw: pd.Series) -> pd.Series:
    """Numbers as float64 [degrees]; text parsed; NaN where blank or not a number."""
    if pd.api.types.is_bool_dtype(raw.dtype) or pd.api.types.is_complex_dtype(raw.dtype):
        return pd.Series(np.nan, index=raw.index)
    if pd.api.types.is_numeric_dtype(raw.dtype):
        return raw.astype("float64")
    text = raw.astype(object).where(raw.notna(), "").astype(str).str.strip()
    return pd.to_numeric(text.where(text.ne("")), errors="coerce").astype("float64")


def read_coordinates(latitude: pd.Series, longitude: pd.Series) -> tuple[pd.Series, pd.Series, list[CoordinateProblem]]:
    """Read and check a latitude and a longitude column together.

    Parameters
    ----------
    latitude, longitude : pandas.Series
        The cells as given (numbers, text or missing), on the same index [degrees, WGS84].

    Returns
    -------
    latitude, longitude : pandas.Series of float64
        [degrees]; NaN where missing and in every row with a problem (both coordinates: a place
        is the pair).
    problems : list of CoordinateProblem
        The failing cells: not a number, out of range, one coordinate without the other (the
        missing one fails), (0, 0) (the latitude fails).
    """
    given = {"latitude": ~_blank(latitude), "longitude": ~_blank(longitude)}
    values = {"latitude": _numbers(latitude), "longitude": _numbers(longitude)}
    problems: list[CoordinateProblem] = []
    good = {}
    for name, limit in COORDINATE_COLUMNS.items():
        number = values[name]
        bad_number = given[name] & number.isna()
        with np.errstate(invalid="ignore"):
            outside = number.notna() & ~(number.abs() <= limit)  # inf too
        problems.append(CoordinateProblem(bad_number, name, Reason.NOT_A_NUMBER, "not a number [degrees]"))
        problems.append(CoordinateProblem(outside, name, Reason.OUT_OF_RANGE,
                                          f"a {name} lies between -{limit:g} and {limit:g} [degrees, WGS84]"))
        good[name] = given[name] & ~bad_number & ~outside
    for name, other in (("latitude", "longitude"), ("longitude", "latitude")):
        alone = good[other] & ~given[name]
        problems.append(CoordinateProblem(alone, name, Reason.MISSING, f"{other} given without {name}: give both or neither"))
    null_island = good["latitude"] & good["longitude"] & values["latitude"].eq(0) & values["longitude"].eq(0)
    problems.append(CoordinateProblem(null_island, "latitude", Reason.NULL_ISLAND,
                                      "(0, 0) ('null island') stands for an unknown place: leave both blank"))
    problems = [p for p in problems if p.mask.any()]
    failed = pd.Series(False, index=latitude.index)
    for problem in problems:
        failed |= problem.mask
    return values["latitude"].mask(failed), values["longitude"].mask(failed), problems
