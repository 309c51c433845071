"""Progress of a long import: a redrawn bar on a terminal, plain lines in a log.

A terminal gets one line per file redrawn in place (rows, rate, time left from the
share of the file's bytes read); anything else (a pipe, CI, a log file) gets a plain
line every few seconds, so logs stay readable and short.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _rate(rows: float) -> str:
    if rows >= 1e6:
        return f"{rows / 1e6:.1f}M"
    if rows >= 1e3:
        return f"{rows / 1e3:.0f}k"
    return f"{rows:.0f}"


class Progress:
    """Reports to `stream` (stderr by default); `tty=None` asks the stream."""

    BAR_WIDTH = 24

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        tty: bool | None = None,
        line_interval: float = 10.0,
        quiet: bool = False,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.interval = 0.2 if self.tty else line_interval
        self.quiet = quiet
        self._label = ""
        self._total = 0
        self._started = 0.0
        self._last = 0.0
        self._origin = time.monotonic()

    def _write(self, text: str) -> None:
        if not self.quiet:
            self.stream.write(text)
            self.stream.flush()

    def start(self, label: str, total_bytes: int) -> None:
        self._label = label
        self._total = max(total_bytes, 1)
        self._started = self._last = time.monotonic()

    def update(self, rows: int, done_bytes: int) -> None:
        now = time.monotonic()
        if now - self._last < self.interval:
            return
        self._last = now
        elapsed = max(now - self._started, 1e-6)
        share = min(done_bytes / self._total, 1.0)
        left = elapsed * (1 - share) / share if share > 0 else 0.0
        figures = (
            f"{share:4.0%}  {rows:,} rows  {_rate(rows / elapsed)} rows/s  {_duration(left)} left"
        )
        if self.tty:
            filled = int(share * self.BAR_WIDTH)
            bar = "#" * filled + "-" * (self.BAR_WIDTH - filled)
            self._write(f"\r\x1b[K{self._label:<17} [{bar}] {figures}")
        else:
            self._write(f"{self._label}: {figures}\n")

    def finish(self, rows: int, kept: int) -> None:
        self.summary(self._label, rows, kept, time.monotonic() - self._started)

    def summary(self, label: str, rows: int, kept: int, seconds: float) -> None:
        """One file's totals (also for files another process read)."""
        seconds = max(seconds, 1e-6)
        prefix = "\r\x1b[K" if self.tty else ""  # over the bar, if one is drawn
        self._write(
            f"{prefix}{label}: {rows:,} rows read, {kept:,} kept in "
            f"{seconds:.1f} s ({_rate(rows / seconds)} rows/s)\n"
        )

    def step(self, text: str) -> None:
        """A stage with no rows to count (joins, indexes, search), with the time so far."""
        self._write(f"{text} (at {time.monotonic() - self._origin:.1f} s)\n")
