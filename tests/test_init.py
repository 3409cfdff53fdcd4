"""Every public name is importable from the package itself, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys

import casualties as cas


def test_every_name_in_all_is_importable():
    for name in cas.__all__:
        assert getattr(cas, name) is not None, name


def test_the_public_functions_are_functions_not_modules():
    for name in ("merge", "place_tree", "ranges", "validate", "read_claims"):
        assert callable(getattr(cas, name)), name


def test_import_casualties_does_not_load_pandas():
    code = "import sys, casualties; print('pandas' in sys.modules, 'pint' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"
