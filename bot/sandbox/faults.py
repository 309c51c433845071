"""Failures the emulator produces on demand: 429s, 5xx, and a global request budget.

Real Discord fails in these ways and discord.py is expected to cope (wait and retry
on 429, retry 5xx a few times). Tests arm a fault, run a command and check that the
bot's message still arrives exactly once.
"""

from __future__ import annotations

import logging
import re
import time
from collections import deque
from dataclasses import dataclass

log = logging.getLogger(__name__)


def _route_regex(route: str) -> re.Pattern[str]:
    """A spec template (``/channels/{channel_id}/messages``) or concrete path as a regex."""
    parts = re.split(r"(\{[^}]+\})", route)
    body = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile("^" + body + "$")


@dataclass
class Fault:
    """The next ``times`` requests matching ``route`` (and ``method``) get ``status``."""

    route: str
    status: int = 429
    times: int = 1
    method: str | None = None
    retry_after: float = 0.05
    scope: str = "user"  # X-RateLimit-Scope for 429s: user | global | shared
    hits: int = 0

    def __post_init__(self) -> None:
        self._regex = _route_regex(self.route)

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return bool(self._regex.match(path))

    @property
    def exhausted(self) -> bool:
        return self.hits >= self.times


class GlobalRateLimit:
    """At most ``per_second`` requests in any one-second window; the rest get 429 global.

    Discord's real budget is 50 requests per second per bot; interaction callbacks
    are exempt, as on Discord.
    """

    def __init__(self, per_second: int) -> None:
        self.per_second = per_second
        self._stamps: deque[float] = deque()
        self.rejected = 0

    def check(self) -> float | None:
        """None when the request may pass; otherwise seconds until a slot frees."""
        now = time.monotonic()
        while self._stamps and now - self._stamps[0] >= 1.0:
            self._stamps.popleft()
        if len(self._stamps) < self.per_second:
            self._stamps.append(now)
            return None
        self.rejected += 1
        return max(0.001, 1.0 - (now - self._stamps[0]))
