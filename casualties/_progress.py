"""A small progress bar for the command line, on standard error, on a terminal only.

It draws nothing until the work has taken :data:`DELAY` seconds, nothing when the stream is not
a terminal (a pipe, a file) or when it is disabled (``--quiet``), and it erases itself when the
work ends, so that standard output and logs stay clean. A daemon thread redraws it every
:data:`INTERVAL` seconds, so that a long stage still shows the elapsed time.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Self, TextIO

__all__ = ["DELAY", "INTERVAL", "Progress"]

#: Seconds of work before the bar appears.
DELAY = 1.0
#: Seconds between redraws.
INTERVAL = 0.2
_WIDTH = 24


class Progress:
    """A context manager counting stages: ``with Progress(stream, 5) as bar: bar.step("ranges")``.

    Parameters
    ----------
    stream : text stream
        Where to draw (standard error).
    total : int
        Number of stages.
    enabled : bool
        False for ``--quiet``; the bar is also off when ``stream`` is not a terminal.
    """

    def __init__(self, stream: TextIO, total: int, *, enabled: bool = True) -> None:
        isatty = getattr(stream, "isatty", None)
        self.stream = stream
        self.total = max(total, 1)
        self.enabled = bool(enabled and callable(isatty) and isatty())
        self.done = 0
        self.label = "starting"
        self.drawn = False
        self._start = time.monotonic()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def step(self, label: str) -> None:
        """Start the next stage, named ``label``."""
        with self._lock:
            self.done = min(self.done + 1, self.total)
            self.label = label
        self._draw()

    def _line(self) -> str:
        filled = round(_WIDTH * (self.done - 1 if self.done else 0) / self.total)
        elapsed = time.monotonic() - self._start
        return f"\rcasualties: [{'#' * filled}{'.' * (_WIDTH - filled)}] {self.done}/{self.total} {self.label} ({elapsed:.0f} s)\x1b[K"

    def _draw(self) -> None:
        if not self.enabled or self._stop.is_set() or time.monotonic() - self._start < DELAY:
            return
        with self._lock:
            self.stream.write(self._line())
            self.stream.flush()
            self.drawn = True

    def _run(self) -> None:
        if self._stop.wait(DELAY):
            return
        while not self._stop.is_set():
            self._draw()
            self._stop.wait(INTERVAL)

    def __enter__(self) -> Self:
        self._start = time.monotonic()
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="casualties-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self.drawn:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
