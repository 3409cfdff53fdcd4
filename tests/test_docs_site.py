"""The documentation site: the tutorial and the command-line examples run, every page is in the
table of contents, and the Sphinx build passes with warnings as errors.

``.ci/run`` always builds the site; here the build is skipped, with the reason, when Sphinx and
its extensions (the ``docs`` extra) are not installed.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

#: Pages whose shell examples (```console blocks) are run by test_console_examples_run.
CONSOLE_PAGES = ["cli.md", "tutorial.md"]


@pytest.mark.parametrize("page", ["tutorial.md", "cli.md"])
def test_page_examples_run(page):
    result = doctest.testfile(str(DOCS / page), module_relative=False, optionflags=FLAGS)
    assert result.failed == 0
    if page == "tutorial.md":
        assert result.attempted >= 30


# -- shell examples ------------------------------------------------------------------------------
_FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)
_CAPTION = re.compile(r"^:caption:\s*(?P<name>\S+)\s*$", re.MULTILINE)


def _blocks(page: str) -> list[tuple[str, str]]:
    """(info string, body) of every fenced block of a page, in order."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return [(m["info"].strip(), m["body"]) for m in _FENCE.finditer(text)]


def _files(blocks: list[tuple[str, str]]) -> dict[str, str]:
    """Files a page shows in ```{code-block} blocks with a :caption: naming them."""
    files = {}
    for info, body in blocks:
        caption = _CAPTION.search(body)
        if info.startswith("{code-block}") and caption:
            files[caption["name"]] = "\n".join(line for line in body.splitlines() if not line.startswith(":")).lstrip("\n")
    return files


def _sessions(blocks: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Each ```console block as (command, expected output) pairs."""
    sessions = []
    for info, body in blocks:
        if info != "console":
            continue
        steps: list[tuple[str, list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
        sessions.append([(command, "\n".join(lines) + "\n" if lines else "") for command, lines in steps])
    return sessions


def _run(command: str, status: int) -> tuple[str, int]:
    """Output (stdout and stderr together) and exit code of one shell line of the examples."""
    if command == "echo $?":
        return f"{status}\n", 0
    from casualties.cli import main

    words = shlex.split(command)
    assert words[0] == "casualties", f"the examples run only 'casualties ...' and 'echo $?', not {command!r}"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = main(words[1:])
        except SystemExit as exc:  # argparse: --help and usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return out.getvalue(), code


@pytest.mark.parametrize("page", CONSOLE_PAGES)
def test_console_examples_run(page, tmp_path, monkeypatch):
    """Every ``$ casualties ...`` line of the page prints what the page says (``...`` elides)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps --help to the terminal's width
    blocks = _blocks(page)
    for name, text in _files(blocks).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    sessions = _sessions(blocks)
    assert sessions, f"{page} has no console examples"
    checker = doctest.OutputChecker()
    for session in sessions:
        status = 0
        for command, want in session:
            got, status = _run(command, status)
            if want:  # a command shown without output is only run
                assert checker.check_output(want, got, FLAGS), f"$ {command}\nwanted:\n{want}\ngot:\n{got}"


# -- the site --------------------------------------------------------------------------------------
def _toctree() -> list[str]:
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    block = re.search(r"```\{toctree\}\n(?P<body>.*?)```", text, re.DOTALL)
    assert block, "docs/index.md has no toctree"
    return [line.strip() for line in block["body"].splitlines() if line.strip() and not line.startswith(":")]


def test_every_page_is_in_the_table_of_contents():
    pages = sorted(p.stem for p in DOCS.glob("*.md") if p.name != "index.md")
    assert sorted(_toctree()) == pages


def test_ci_builds_the_site_with_warnings_as_errors():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python -m pip install --quiet ".[docs]"' in ci
    assert "python -m sphinx -W --keep-going" in ci
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r"^docs = \[", pyproject, re.MULTILINE)
    assert "python -m sphinx -W -b html docs" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_site_builds_without_warnings(tmp_path):
    # The test extra carries the docs tools (sphinx, myst-parser, numpydoc): no skip here.
    out = tmp_path / "html"
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(out)],
        check=False, capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    # Every public name of the package is documented in the API reference, under its module.
    import casualties

    api = (out / "api.html").read_text(encoding="utf-8")
    documented = set(re.findall(r'id="(casualties\.[\w.]+)"', api))
    missing = [f"{module}.{name}" for name, module in casualties._EXPORTS.items() if f"casualties.{module}.{name}" not in documented]
    assert not missing, f"public names missing from docs/api.md: {missing}"
    for page in _toctree():
        assert (out / f"{page}.html").is_file()
