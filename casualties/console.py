"""How the ``casualties`` command talks to its caller: exit codes, standard output and standard error.

The command's results go to standard output through :func:`write_out`, which turns a closed
stream, a broken pipe or a character the stream cannot show into :class:`OutputError`; every
other line (warnings, what was read, the one sentence of an error) goes to standard error
through :func:`say`. :class:`UsageError` is a bad option value found after parsing. Both errors
end the command with :data:`EXIT_USAGE` (:mod:`casualties.cli` explains every error that ends a
command, with :func:`describe` for those that are not casualties' own).
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from casualties.errors import CasualtiesError

__all__ = ["EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "OutputError", "UsageError",
           "describe", "say", "write_out"]

#: Done.
EXIT_OK = 0
#: Invalid data: cells that fail, no valid claim, or (``--strict``) a rejected row.
EXIT_INVALID = 1
#: A usage error, an unreadable file or an output that cannot be written.
EXIT_USAGE = 2
#: An unexpected failure inside casualties (a bug: ``--debug`` shows where).
EXIT_INTERNAL = 3
#: Interrupted (Ctrl-C): 128 + SIGINT, as shells report it.
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """A bad option value found after parsing (exit 2)."""


class OutputError(Exception):
    """Standard output is closed or its reader went away (exit 2)."""


def say(message: str) -> None:
    """Write one line on standard error, after ``casualties: ``.

    Nothing is written when standard error is closed; a character it cannot show is escaped
    (``\\xe9``).

    Parameters
    ----------
    message : str
        The line, without its end.
    """
    stream = sys.stderr
    if stream is None:
        return
    line = f"casualties: {message}\n"
    try:
        stream.write(line)
        stream.flush()
    except UnicodeEncodeError:
        stream.write(line.encode("ascii", "backslashreplace").decode("ascii"))
    except (OSError, ValueError):  # standard error closed too: nowhere left to say it
        pass


def write_out(out: TextIO | None, text: str) -> None:
    """Write to standard output and flush it.

    Parameters
    ----------
    out : text stream or None
        Standard output (``sys.stdout``, None when it is closed).
    text : str
        What to write.

    Raises
    ------
    OutputError
        When standard output is closed (None or a closed file), its reader went away (a broken
        pipe: standard output is then pointed at the null device, so that Python's final flush
        is quiet) or it cannot show a character of ``text``.
    """
    if out is None:
        raise OutputError("standard output is closed: nothing to write to (use --out PATH)")
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:
        _silence_stdout(out)
        raise OutputError("standard output was closed by its reader before everything was written (broken pipe)") from None
    except ValueError as exc:  # "I/O operation on closed file"
        raise OutputError(f"standard output is closed ({exc})") from None
    except UnicodeEncodeError as exc:
        raise OutputError(f"standard output cannot show the character {exc.object[exc.start:exc.end]!r} "
                          f"(its encoding is {exc.encoding}); set PYTHONIOENCODING=utf-8 or use --out PATH") from None


def _silence_stdout(out: TextIO) -> None:
    """Point a broken standard output at the null device, so that Python's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's buffer)
        pass


def describe(exc: BaseException) -> str:
    """An exception as a phrase: ours speak for themselves; others say what they are.

    Parameters
    ----------
    exc : BaseException
        The exception.

    Returns
    -------
    str
        ``str(exc)`` for a :class:`~casualties.errors.CasualtiesError`; otherwise the message with
        the exception's class after it (``"gone (OSError)"``), or the class alone when it has no
        message.
    """
    if isinstance(exc, CasualtiesError):
        return str(exc)
    return f"{exc} ({exc.__class__.__name__})" if str(exc) else exc.__class__.__name__
