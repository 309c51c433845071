"""Fan-out: 1,000 servers (or 5,000 over a cluster) whose news is due in the same minute.

Runs the real bot (real discord.py client, real SQLite store, the Scheduler cog) against
the local emulator twice in the same run:

- limited: the emulator enforcing Discord's global 50 requests/second with 429s;
- peer: the emulator with no rate limit and no pacing (what the bot itself costs);

- unpaced: the same limit with the bot's own pacing switched off (429s and retries
  left to discord.py), to show what pacing buys.

The scheduler ticks (as its loop would, without the 30 s wait) until nothing is pending.
Reports the total time beside the floor (servers / 50 per second), the 429s seen, and
the posts lost or doubled, counted from what the emulator holds (both must be 0, except
that the unpaced run may lose posts: that is what pacing prevents).

With `--backend postgresql --processes N` the bot runs as a cluster instead: the real
`marquee cluster --processes N` (N bot processes over the shard count the emulator
recommends, N) on a scratch PostgreSQL database, against one emulator enforcing the
global limit for all of them, beside the one-process SQLite bot at the same server
count in the same run. Its time runs from the first post to the last (the processes'
start-up is reported apart); lost, doubled and 429s are counted the same way.

    python benchmarks/fanout.py [--servers 1000] [--rate 50]
    python benchmarks/fanout.py --backend postgresql --processes 2 --servers 5000 \
        --postgres postgresql://user:password@host/db   # default: MARQUEE_TEST_PG
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.db.store import Store
from bot.news.schedule import parse_schedule
from bot.news.settings_repo import NewsSettingsRepository
from bot.sandbox.harness import Sandbox
from bot.sandbox.processes import BotProcesses, cluster_emulator, due_news_servers, wait_for_posts
from bot.settings import load_settings

MAX_TICKS = 20


async def run(servers: int, rate: int | None, workdir: Path, *, paced: bool = True) -> dict:
    sandbox = Sandbox()
    channels = []
    for i in range(servers):
        guild = sandbox.world.add_guild(f"Server {i}")
        channels.append((guild.id, sandbox.world.add_channel(guild, "news")))
    await sandbox.start()
    try:
        settings = load_settings({"MARQUEE_DB": str(workdir / f"fanout-{rate}-{paced}.sqlite3")},
                                 env_file=None)  # fmt: skip
        await sandbox.start_bot(settings, within=120)
        bot = sandbox.bot
        scheduler = bot.get_cog("Scheduler")
        scheduler.ticker.cancel()  # the benchmark drives the ticks itself
        if not paced:
            scheduler.courier.pacer.per_second = 10**9
        start = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
        due = start + dt.timedelta(minutes=5)
        bot.clock = lambda: start
        repo = NewsSettingsRepository(sandbox.store)
        schedule = parse_schedule(f"daily {due:%H:%M} UTC")
        for guild_id, channel in channels:
            await repo.set_channel(guild_id, channel.id)
            await repo.set_schedule(guild_id, schedule, start)
        assert len(await repo.due(due)) == servers
        if rate:
            sandbox.rate_limit(rate)
        bot.clock = lambda: due + dt.timedelta(seconds=1)
        began = time.perf_counter()
        ticks = 0
        outcomes: dict[str, int] = {}
        while ticks < MAX_TICKS:
            report = await scheduler.tick()
            ticks += 1
            for key, count in report.items():
                outcomes[key] = outcomes.get(key, 0) + count
            pending = await sandbox.store.fetchval(
                "SELECT count(*) FROM post_batches WHERE state = 'pending'"
            )
            if not pending:
                break
        elapsed = time.perf_counter() - began
        per_channel = [
            sum(1 for m in sandbox.world.channel_messages(ch) if m.get("embeds"))
            for _, ch in channels
        ]
        rejected = sandbox.emulator.rate_limit.rejected if sandbox.emulator.rate_limit else 0
        return {
            "servers": servers,
            "rate_limit_per_s": rate,
            "bot_paces_sends": paced,
            "seconds": round(elapsed, 2),
            "floor_seconds": round(servers / rate, 2) if rate else None,
            "ticks": ticks,
            "http_429": rejected,
            "posts_lost": sum(1 for n in per_channel if n == 0),
            "posts_doubled": sum(1 for n in per_channel if n > 1),
            "outcomes": outcomes,
        }
    finally:
        await sandbox.stop()


@contextlib.asynccontextmanager
async def scratch_database(admin_url: str) -> AsyncIterator[str]:
    """A new, empty database next to `admin_url`'s, dropped afterwards."""
    import asyncpg

    name = f"marquee_fanout_{os.getpid()}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(urlsplit(admin_url)._replace(path="/" + name))
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def run_cluster(servers: int, rate: int, url: str, processes: int, workdir: Path) -> dict:
    """`marquee cluster --processes N` on PostgreSQL; every process sends under one budget."""
    emulator = cluster_emulator(shards=processes)
    emulator.record_requests = False
    arrivals: list[float] = []
    me = str(emulator.world.bot_user.id)

    def arrived(msg: dict) -> None:
        if msg.get("embeds") and (msg.get("author") or {}).get("id") == me:
            arrivals.append(time.perf_counter())

    emulator.message_listeners.append(arrived)
    await emulator.start()
    procs = BotProcesses(emulator, url, workdir, LOG_LEVEL="WARNING")
    try:
        async with await Store.open(url) as store:
            due = await due_news_servers(emulator, store, servers)
        emulator.set_rate_limit(rate)
        launched = time.perf_counter()
        await procs.start("cluster", "cluster", "--processes", str(processes))
        await wait_for_posts(emulator, due, 60 + 3 * servers / rate)
        await asyncio.sleep(2)  # a late double would show now
        result = await wait_for_posts(emulator, due, 0)
        async with await Store.open(url) as store:
            pending = await store.fetchval(
                "SELECT count(*) FROM post_batches WHERE state = 'pending'"
            )
        first, last = (min(arrivals), max(arrivals)) if arrivals else (launched, launched)
        assert emulator.rate_limit is not None
        return {
            "servers": servers,
            "backend": "postgresql",
            "processes": processes,
            "shards": processes,
            "rate_limit_per_s": rate,
            "seconds": round(last - first, 2),
            "floor_seconds": round(servers / rate, 2),
            "startup_seconds": round(first - launched, 2),
            "http_429": emulator.rate_limit.rejected,
            "posts_lost": result["lost"],
            "posts_doubled": result["doubled"],
            "left_pending": pending,
            "identify_violations": [str(v) for v in emulator.violations],
        }
    finally:
        await procs.stop_all()
        await emulator.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--postgres", default=os.environ.get("MARQUEE_TEST_PG"),
                        help="PostgreSQL URL of a role that may create databases")  # fmt: skip
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    if args.backend == "postgresql":
        if not args.postgres:
            sys.exit("fanout: --backend postgresql needs --postgres URL (or MARQUEE_TEST_PG)")
        with tempfile.TemporaryDirectory() as tmp:
            async with scratch_database(args.postgres) as url:
                cluster = await run_cluster(args.servers, args.rate, url, args.processes,
                                            Path(tmp))  # fmt: skip
            single = await run(args.servers, args.rate, Path(tmp))
        print(json.dumps({
            "benchmark": "fanout",
            "cluster": cluster,
            "cluster_over_floor": round(cluster["seconds"] / cluster["floor_seconds"], 2),
            "peer_one_process_sqlite": single,
            "peer_over_floor": round(single["seconds"] / single["floor_seconds"], 2),
        }, indent=2))  # fmt: skip
        bad = [cluster[k] for k in ("posts_lost", "posts_doubled", "left_pending", "http_429")]
        if any(bad) or single["posts_lost"] or single["posts_doubled"]:
            sys.exit(1)  # a lost or doubled post, or a 429 from the shared budget, is a bug
        return
    with tempfile.TemporaryDirectory() as tmp:
        limited = await run(args.servers, args.rate, Path(tmp))
        unpaced = await run(args.servers, args.rate, Path(tmp), paced=False)
        peer = await run(args.servers, None, Path(tmp), paced=False)
    print(json.dumps({
        "benchmark": "fanout",
        "limited": limited,
        "limited_over_floor": round(limited["seconds"] / limited["floor_seconds"], 2),
        "peer_unpaced_same_limit": unpaced,
        "peer_no_rate_limit": peer,
    }, indent=2))  # fmt: skip
    # Unpaced under the limit may lose posts (discord.py's retries and the post log's
    # attempts run out in a storm of 429s): that is what pacing is for, reported, not a
    # failure. A doubled post is a failure in every run.
    bad = sum(r["posts_lost"] + r["posts_doubled"] for r in (limited, peer))
    bad += unpaced["posts_doubled"]
    if bad:
        sys.exit(1)  # a lost or doubled post is a bug, not a slow run


if __name__ == "__main__":
    asyncio.run(main())
