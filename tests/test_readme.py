"""The README's examples run as a test, and its set-up commands are the ones CI runs."""

from __future__ import annotations

import doctest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_examples_run():
    result = doctest.testfile(
        str(ROOT / "README.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.attempted > 0
    assert result.failed == 0


def test_readme_gives_exactly_the_two_setup_commands_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in ('python -m pip install . && casualties report', 'python -m pip install ".[test]" && python -m pytest'):
        assert command in readme
    assert "casualties report" in ci and "python -m pytest" in ci
