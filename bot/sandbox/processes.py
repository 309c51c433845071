"""Real bot processes (`marquee run`, `marquee cluster`) against an emulator in this process.

The in-process harness (harness.py) runs one bot inside the test's event loop; a
cluster is several operating-system processes sharing one store, which only real
processes show: each its own discord.py client, event loop and database connections,
killable with SIGKILL mid-work. Used by the cluster's e2e tests and the fan-out
benchmark, with an emulator whose world hands out real-looking ids (`DiscordIds`), as
bots outside the sandbox act on no sandbox server.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.db.store import Store
from bot.news.article import ArticleText
from bot.news.ingest import ingest_article
from bot.news.schedule import parse_schedule
from bot.news.settings_repo import NewsSettingsRepository, iso
from bot.sandbox.ids import DiscordIds
from bot.sandbox.server import Emulator
from bot.sandbox.world import Channel, World


def cluster_emulator(shards: int) -> Emulator:
    """An emulator recommending `shards` shards, enforcing Discord's IDENTIFY spacing."""
    emulator = Emulator(world=World(entity_ids=DiscordIds()))
    emulator.recommended_shards = shards
    emulator.identify_spacing = 5.0
    return emulator


@dataclass(frozen=True)
class NewsServer:
    guild: int
    channel: Channel


async def due_news_servers(emulator: Emulator, store: Store, count: int) -> list[NewsServer]:
    """`count` servers with a news channel and a daily schedule due now, and one fresh
    article for all of them to post."""
    now = dt.datetime.now(dt.UTC)
    servers = []
    for i in range(count):
        guild = emulator.world.add_guild(f"Film Club {i}")
        servers.append(NewsServer(guild.id, emulator.world.add_channel(guild, "news")))
    await ingest_article(
        store,
        ArticleText(published=now.date(), body=FANOUT_ARTICLE, headline="Release slate"),
        source="Test Wire",
        url="https://wire.example/slate",
        headline="Release slate",
    )
    repo = NewsSettingsRepository(store)
    schedule = parse_schedule(f"daily {now:%H:%M} UTC")
    for server in servers:
        await repo.set_channel(server.guild, server.channel.id)
        await repo.set_schedule(server.guild, schedule, now)
    await store.execute(  # the run is due now, not tomorrow at this minute
        "UPDATE guild_settings SET next_news_at = ? WHERE next_news_at IS NOT NULL", (iso(now),)
    )
    return servers


FANOUT_ARTICLE = (
    "Paramount Pictures has moved Mission: Impossible – Dead Reckoning Part One to July 12, "
    "2023. The film stars Tom Cruise and is directed by Christopher McQuarrie."
)


def news_posts(emulator: Emulator) -> Counter[int]:
    """How many news posts (the bot's messages with embeds) each channel holds."""
    me = str(emulator.world.bot_user.id)
    return Counter(
        int(m["channel_id"])
        for m in emulator.world.messages.values()
        if m.get("embeds") and not m.get("_deleted") and (m.get("author") or {}).get("id") == me
    )


def tally(emulator: Emulator, servers: Sequence[NewsServer]) -> dict[str, int]:
    """Servers whose news post arrived once, not at all, or more than once."""
    posts = news_posts(emulator)
    counts = [posts.get(s.channel.id, 0) for s in servers]
    return {
        "delivered": sum(1 for n in counts if n == 1),
        "lost": sum(1 for n in counts if n == 0),
        "doubled": sum(1 for n in counts if n > 1),
    }


async def wait_for_posts(
    emulator: Emulator, servers: Sequence[NewsServer], within: float, *, at_least: int | None = None
) -> dict[str, int]:
    """Check twice a second until `at_least` servers (default: all) have their post, or
    `within` seconds pass; returns the tally."""
    wanted = len(servers) if at_least is None else at_least
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        result = tally(emulator, servers)
        if len(servers) - result["lost"] >= wanted or loop.time() >= deadline:
            return result
        await asyncio.sleep(0.5)


class BotProcesses:
    """`marquee` processes pointed at `emulator` and the store at `db`."""

    def __init__(self, emulator: Emulator, db: str, log_dir: Path, **env: str) -> None:
        self.emulator = emulator
        self.log_dir = log_dir
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("SHARD_", "MARQUEE_"))}
        self.env.update(
            DISCORD_TOKEN=emulator.token,
            DISCORD_API_BASE=emulator.api_base,
            MARQUEE_DB=db,
            LOG_LEVEL="INFO",
        )
        self.env.update(env)
        self.running: dict[str, asyncio.subprocess.Process] = {}
        self._logs: list = []

    async def start(self, name: str, *args: str, **env: str) -> asyncio.subprocess.Process:
        """Start `marquee ARGS` (e.g. "run") as `name`, logging to LOG_DIR/NAME.log."""
        log = (self.log_dir / f"{name}.log").open("ab")  # closed in stop_all
        self._logs.append(log)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", *args,
            env={**self.env, **env}, stdout=log, stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.running[name] = process
        return process

    async def start_shards(self, name: str, shard_ids: Sequence[int], shard_count: int):
        return await self.start(
            name, "run",
            SHARD_COUNT=str(shard_count), SHARD_IDS=",".join(map(str, shard_ids)),
        )  # fmt: skip

    async def kill(self, name: str) -> None:
        """SIGKILL: no goodbye, no cleanup, as a crash or an OOM kill."""
        process = self.running.pop(name)
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()

    def log_text(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    async def stop_all(self) -> None:
        for process in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.running.values():
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                await process.wait()
        self.running.clear()
        for log in self._logs:
            log.close()
