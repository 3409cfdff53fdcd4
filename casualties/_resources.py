"""Where the bundled data files are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DATA = Path(__file__).resolve().parent / "data"  # inside an installed wheel
_CHECKOUT_DATA = Path(__file__).resolve().parent.parent / "data"  # the flat source layout


def data_path(name: str) -> Path:
    """Return the path of a bundled data file.

    Parameters
    ----------
    name : str
        File name inside the bundled ``data/`` folder, e.g. ``"places.csv"``.

    Returns
    -------
    pathlib.Path
        The file in the installed package (``casualties/data/``) or, in a source checkout, in the
        top-level ``data/`` folder.
    """
    for folder in (_PACKAGE_DATA, _CHECKOUT_DATA):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"bundled data file {name!r} not found in {_PACKAGE_DATA} or {_CHECKOUT_DATA}")
