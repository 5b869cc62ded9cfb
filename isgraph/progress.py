"""A progress bar for long work (an import, a build with every commune, a harvest).

It draws on standard error when standard error is a terminal, and says nothing
otherwise (a pipe, a log file, a test): the output a script reads never changes.

>>> import io
>>> with Progress(3, "import", stream=io.StringIO()) as bar:
...     bar.advance(3)
>>> bar.done
3
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_WIDTH = 30
#: At most this many redraws a second.
_RATE = 10.0


class Progress:
    """``with Progress(total, label) as bar: bar.advance()`` for each unit of work."""

    def __init__(self, total: int, label: str, *, stream: TextIO | None = None) -> None:
        self.total = max(total, 0)
        self.label = label
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._shown = self._stream.isatty()
        self._drawn = 0.0
        self._started = time.monotonic()

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def advance(self, units: int = 1) -> None:
        self.done += units
        self._draw()

    def __exit__(self, *exc: object) -> None:
        if self._shown:
            self._draw(force=True)
            self._stream.write("\n")
            self._stream.flush()

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self._shown or (not force and now - self._drawn < 1 / _RATE):
            return
        self._drawn = now
        share = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = int(share * _WIDTH)
        bar = "█" * filled + "·" * (_WIDTH - filled)
        self._stream.write(f"\r{self.label} {bar} {self.done}/{self.total} ({now - self._started:.0f} s)")
        self._stream.flush()
