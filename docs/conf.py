"""Sphinx configuration of the casualties documentation.

Build (as ``.ci/run`` does, warnings as errors)::

    python -m pip install ".[docs]"
    python -m sphinx -W --keep-going -b html docs docs/_build/html

Pages are MyST Markdown (the same files GitHub shows); the API reference comes from the numpydoc
docstrings by autodoc. Nothing is fetched from the network (no intersphinx).
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Document the checkout beside this folder, installed or not (flat layout: the package is at the root).
sys.path.insert(0, str(ROOT))

project = "casualties"
author = "The casualties developers"
copyright = "the casualties developers"  # noqa: A001 - Sphinx's name
try:
    release = installed_version("casualties")
except PackageNotFoundError:  # a checkout that was never installed
    release = "0+unknown"
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "numpydoc",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
# Only .md files are pages; the build output, if built into docs/, is not one.
exclude_patterns = ["_build"]

# MyST: plain CommonMark plus tables (the pages are also read on GitHub, so no MyST-only syntax
# beyond directives in ``` fences); anchors for headings up to level 3, so that links such as
# ``places.md#where-the-spellings-come-from`` resolve.
myst_enable_extensions: list[str] = []
myst_heading_anchors = 3

# autodoc: members in source order, type hints in the signature only (numpydoc's parameter lists
# already say the types in words and units).
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
# Bases are shown where they say something: on the error and warning classes (docs/api.md).
autodoc_default_options = {"members": True}
autodoc_preserve_defaults = True

# numpydoc: render the sections of our docstrings; no autosummary tables of class members (the
# members are documented right below the class), and no strict validation (the docstrings are
# checked by their reviewers, not by a rule list).
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()
numpydoc_xref_param_type = False
# numpydoc loads autosummary; we write no autosummary tables, so nothing is generated.
autosummary_generate = False

# No warning is suppressed.
suppress_warnings: list[str] = []

html_theme = "alabaster"  # Sphinx's own theme: no dependency beyond Sphinx
html_theme_options = {
    "description": "Reconcile casualty claims into exact ranges",
    "fixed_sidebar": True,
    "page_width": "1100px",
    "sidebar_width": "230px",
}
html_title = f"casualties {release}"
html_static_path: list[str] = []
html_show_sourcelink = False

