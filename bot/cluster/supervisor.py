"""`marquee cluster`: N bot processes over the shards, restarted when they die.

Each process is a plain `marquee run` with its own SHARD_IDS of SHARD_COUNT, so a
process is exactly what an operator would start by hand. The supervisor restarts a
process that exits (1 s, 2 s, 4 s ... up to a minute between tries; the pause resets
once a process has run for a minute), except on a bad setting (exit code 2), which
every restart would hit again. Ctrl-C or SIGTERM stops every process (SIGTERM, then
SIGKILL after a grace period); on Linux a process also gets SIGTERM if the supervisor
itself is killed, so no bot is left running without its supervisor.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.wording import plural

log = logging.getLogger(__name__)

BAD_SETTING_EXIT = 2
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 60.0
STABLE_SECONDS = 60.0
STOP_GRACE_SECONDS = 10.0


def bot_command() -> list[str]:
    """The command that runs one bot process: this Python, this Marquee."""
    return [sys.executable, "-m", "bot.cli", "run"]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the child gets SIGTERM when the supervisor dies, even by SIGKILL."""
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@dataclass
class Member:
    """One process slot of the cluster: its shards and the process running them now."""

    index: int
    shard_ids: tuple[int, ...]
    process: asyncio.subprocess.Process | None = None
    started_at: float = 0.0
    starts: int = 0
    failures: int = 0
    exit_codes: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"process {self.index + 1} (shards {','.join(map(str, self.shard_ids))})"


class Supervisor:
    def __init__(
        self,
        groups: Sequence[tuple[int, ...]],
        shard_count: int,
        *,
        env: Mapping[str, str] | None = None,
        command: Callable[[], list[str]] = bot_command,
    ) -> None:
        self.members = [Member(i, tuple(g)) for i, g in enumerate(groups)]
        self.shard_count = shard_count
        self.env = dict(os.environ if env is None else env)
        self.command = command
        self.stopping = asyncio.Event()
        self.exit_code = 0

    def stop(self) -> None:
        self.stopping.set()

    async def run(self) -> int:
        """Run until stopped (or a bad setting); returns the exit code for the CLI."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.stop)
        try:
            log.info(
                "cluster of %s over %s",
                plural(len(self.members), "process"),
                plural(self.shard_count, "shard"),
            )
            await asyncio.gather(*(self._keep(m) for m in self.members))
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
            await self._stop_all()
        return self.exit_code

    async def _start(self, member: Member) -> None:
        env = {
            **self.env,
            "SHARD_COUNT": str(self.shard_count),
            "SHARD_IDS": ",".join(map(str, member.shard_ids)),
        }
        extra = {"preexec_fn": _die_with_parent} if sys.platform.startswith("linux") else {}
        member.process = await asyncio.create_subprocess_exec(*self.command(), env=env, **extra)
        member.started_at = time.monotonic()
        member.starts += 1
        log.info("started %s as pid %s", member.label, member.process.pid)

    async def _keep(self, member: Member) -> None:
        """Keep one slot running until the cluster stops."""
        while not self.stopping.is_set():
            await self._start(member)
            assert member.process is not None
            waiter = asyncio.ensure_future(member.process.wait())
            stop = asyncio.ensure_future(self.stopping.wait())
            await asyncio.wait({waiter, stop}, return_when=asyncio.FIRST_COMPLETED)
            stop.cancel()
            if not waiter.done():  # stopping: _stop_all ends the process
                waiter.cancel()
                return
            code = waiter.result()
            member.exit_codes.append(code)
            if self.stopping.is_set():
                return
            if code == BAD_SETTING_EXIT:
                log.error("%s stopped on a bad setting; stopping the cluster", member.label)
                self.exit_code = BAD_SETTING_EXIT
                self.stop()
                return
            lived = time.monotonic() - member.started_at
            member.failures = 1 if lived >= STABLE_SECONDS else member.failures + 1
            pause = min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (member.failures - 1))
            how = f"signal {-code}" if code < 0 else f"exit code {code}"
            log.warning("%s died (%s); restarting in %.0f s", member.label, how, pause)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), pause)

    async def _stop_all(self) -> None:
        running = [m.process for m in self.members if m.process and m.process.returncode is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        if not running:
            return
        _, pending = await asyncio.wait(
            [asyncio.ensure_future(p.wait()) for p in running], timeout=STOP_GRACE_SECONDS
        )
        for process in running:
            if process.returncode is None:
                log.warning("pid %s did not stop in time; killing it", process.pid)
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
        if pending:
            await asyncio.wait(pending)
        log.info("cluster stopped")
