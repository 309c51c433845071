"""TMDB: what a lookup costs the first time and from the cache, and the shared bucket.

    python benchmarks/tmdb.py                  # 5 rounds, 150 ms added latency, 200 requests
    python benchmarks/tmdb.py --rounds 3 --latency 0.15 --burst-requests 200

Everything runs locally against the fake TMDB (bot/sandbox/tmdb_fake.py) and the Discord
emulator, through the real bot:
- commands: each slash command's time from the interaction to its finished answer, and
  the TMDB requests it made (counted by the fake), on a fresh store per round; the first
  /movie info (search + details over 150 ms of added latency) beside the second (cache);
- bucket: 200 lookups started at once through the bot's one TmdbClient; the most requests
  the fake saw in any one-second window, beside the bucket's bound (BURST + RATE) and
  TMDB's documented ~40/s, and beside the same 200 sent without the bucket (the peer).
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp

from bot.catalog.tmdb.client import BURST, RATE_PER_SECOND, TmdbClient
from bot.sandbox.harness import Sandbox
from bot.sandbox.tmdb_fake import FakeTmdb
from bot.settings import load_settings

COMMANDS = [
    ("movie info (first)", "movie info", {"title": "lantern ferry"}),
    ("movie info (cached)", "movie info", {"title": "lantern ferry"}),
    ("movie where (cached film)", "movie where", {"title": "lantern ferry", "region": "FR"}),
    ("movie releases (cached film)", "movie releases", {"title": "lantern ferry", "region": "FR"}),
    ("movie cast (film from IMDb id)", "movie cast", {"title": "varna sleeper"}),
    ("person info (first)", "person info", {"name": "mara quill"}),
    ("person info (cached)", "person info", {"name": "mara quill"}),
    ("upcoming (first today)", "upcoming", {"region": "GB", "days": 60}),
    ("upcoming (again)", "upcoming", {"region": "GB", "days": 60}),
]


async def one_round(latency: float) -> dict[str, tuple[float, int]]:
    """{label: (milliseconds, TMDB requests)} for every command, on a fresh store."""
    fake = await FakeTmdb(latency=latency).start()
    sandbox = Sandbox()
    await sandbox.start()
    out: dict[str, tuple[float, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            {"MARQUEE_DB": str(Path(tmp) / "bench.sqlite3"), "TMDB_API_KEY": fake.api_key,
             "TMDB_API_BASE": fake.base},
            env_file=None,
        )  # fmt: skip
        try:
            await sandbox.start_bot(settings)
            async with sandbox.store.transaction() as conn:  # a title only IMDb gave us
                await conn.execute(
                    "INSERT INTO titles(imdb_id, title, norm_title, year, source, as_of)"
                    " VALUES ('tt9003033', 'The Varna Sleeper', 'varna sleeper', 2019, 'imdb',"
                    " '2025-01-01')"
                )
            for label, command, options in COMMANDS:
                before = fake.total()
                start = time.perf_counter()
                reply = await sandbox.slash(command, timeout=30.0, **options)
                elapsed = (time.perf_counter() - start) * 1000
                assert reply.embed is not None, f"/{command} gave no embed: {reply.text}"
                out[label] = (elapsed, fake.total() - before)
        finally:
            await sandbox.stop()
            await fake.stop()
    sandbox.assert_no_violations()
    return out


def max_per_window(times: list[float], window: float = 1.0) -> int:
    """The most requests inside any `window` seconds (half-open: [t, t + window))."""
    times = sorted(times)
    return max((bisect.bisect_left(times, t + window) - i for i, t in enumerate(times)), default=0)


async def burst(requests: int) -> dict[str, float | int]:
    """`requests` lookups at once through one TmdbClient (the bucket), then without it."""
    fake = await FakeTmdb().start()
    client = TmdbClient(fake.api_key, fake.base)
    try:
        start = time.perf_counter()
        await asyncio.gather(*(client.get("/movie/900101", {"append_to_response": "credits"})
                               for _ in range(requests)))  # fmt: skip
        bucket_seconds = time.perf_counter() - start
        bucket_max = max_per_window(fake.times)
        fake.times.clear()
        async with aiohttp.ClientSession() as session:

            async def plain() -> None:
                async with session.get(
                    fake.base + "/movie/900101", params={"api_key": fake.api_key}
                ) as resp:
                    await resp.read()

            start = time.perf_counter()
            await asyncio.gather(*(plain() for _ in range(requests)))
            plain_seconds = time.perf_counter() - start
        plain_max = max_per_window(fake.times)
    finally:
        await client.close()
        await fake.stop()
    return {
        "requests": requests,
        "bucket_rate_per_s": RATE_PER_SECOND,
        "bucket_burst": BURST,
        "bucket_bound_per_1s_window": BURST + RATE_PER_SECOND,
        "tmdb_documented_limit_per_s": 40,
        "with_bucket_max_in_any_1s": bucket_max,
        "with_bucket_seconds": round(bucket_seconds, 2),
        "without_bucket_max_in_any_1s": plain_max,
        "without_bucket_seconds": round(plain_seconds, 2),
        "never_exceeded_bucket_bound": bucket_max <= BURST + RATE_PER_SECOND,
        "never_exceeded_tmdb_limit": bucket_max <= 40,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.15, help="seconds added per request")
    parser.add_argument("--burst-requests", type=int, default=200)
    args = parser.parse_args()
    rounds = [await one_round(args.latency) for _ in range(args.rounds)]
    commands = {}
    for label, _, _ in COMMANDS:
        times = [r[label][0] for r in rounds]
        counts = sorted({r[label][1] for r in rounds})
        commands[label] = {
            "median_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1),
            "tmdb_requests": counts[0] if len(counts) == 1 else counts,
        }
    first = commands["movie info (first)"]["median_ms"]
    cached = commands["movie info (cached)"]["median_ms"]
    print(json.dumps({
        "added_latency_ms": round(args.latency * 1000),
        "rounds": args.rounds,
        "commands": commands,
        "first_vs_cached_movie_info": {"first_ms": first, "cached_ms": cached,
                                       "speedup": round(first / cached, 1) if cached else None},
        "bucket": await burst(args.burst_requests),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
