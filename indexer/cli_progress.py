"""How `brieven index` shows its progress on a long run: a bar on a terminal, plain lines in a log.

A bar with the letters done, paragraphs per second and an estimate of the time left is redrawn
on stderr at most a few times a second, and only once a run has lasted a moment (a small
update says nothing until its summary). When stderr is not a terminal (a log, a pipe, CI), a
plain line now and then says the same, without control characters.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

SHOW_AFTER = 1.0  # seconds before a bar appears: short runs stay quiet
REDRAW_EVERY = 0.2  # seconds between redraws of the bar
LINE_EVERY = 10.0  # seconds between plain lines when stderr is no terminal
BAR_WIDTH = 24


class IndexProgress:
    """Counts letters and paragraphs as the indexer reports them (`update(name, paragraphs)`)."""

    def __init__(self, letters: int, stream: TextIO | None = None, clock=time.monotonic):
        self.total = letters
        self.stream = stream or sys.stderr
        self.terminal = bool(getattr(self.stream, "isatty", lambda: False)())
        self.clock = clock
        self.started = clock()
        self.letters = 0
        self.paragraphs = 0
        self._shown_at: float | None = None  # when the bar or the last line was shown
        self._drawn = False

    def update(self, name: str, paragraphs: int) -> None:
        self.letters += 1
        self.paragraphs += paragraphs
        now = self.clock()
        if now - self.started < (SHOW_AFTER if self.terminal else LINE_EVERY):
            return
        every = REDRAW_EVERY if self.terminal else LINE_EVERY
        if self._shown_at is not None and now - self._shown_at < every and self.letters < self.total:
            return
        self._shown_at = now
        if self.terminal:
            self.stream.write("\r" + self.bar(now) + "\x1b[K")
            self._drawn = True
        else:
            self.stream.write(self.line(now) + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line, so that what follows starts on a line of its own."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> "IndexProgress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what is shown -----------------------------------------------------------------------
    def bar(self, now: float) -> str:
        share = self.letters / self.total if self.total else 1.0
        filled = int(BAR_WIDTH * min(1.0, share))
        return (f"Indexeren [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {share:4.0%}  "
                f"{self._counts()}  {self._rate(now)}  {self._left(now)}")

    def line(self, now: float) -> str:
        return f"Indexeren: {self._counts()}, {self._rate(now)}, {self._left(now)}"

    def _counts(self) -> str:
        return f"{_thousands(self.letters)}/{_thousands(self.total)} brieven, {_thousands(self.paragraphs)} alinea's"

    def _rate(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        return f"{_thousands(round(self.paragraphs / elapsed))} alinea's/s"

    def _left(self, now: float) -> str:
        """The time left if the remaining letters go as fast as those done (the writing of the
        index at the end comes on top)."""
        if not self.letters or self.letters >= self.total:
            return "bijna klaar"
        seconds = (now - self.started) * (self.total - self.letters) / self.letters
        minutes, seconds = divmod(round(seconds), 60)
        return f"nog {minutes}:{seconds:02d}"


def _thousands(n: int) -> str:
    """12345 -> '12.345', as Dutch writes it."""
    return f"{n:,}".replace(",", ".")
