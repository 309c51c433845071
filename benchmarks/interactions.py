"""Interactions per second and latency through the emulator and the real bot.

Latency is INTERACTION_CREATE sent -> interaction callback received, measured by the
emulator. Runs N interactions of a real lookup command (``/movie cast`` on the film
with the most cast rows in the seeded store, once the lookup cog exists; else
``/about``, which reads the store) and N of a no-op command, in one run, one
interaction at a time (``--concurrency`` for more). Prints JSON, including the first
line of the lookup's answer so a run that only measured an error message shows it.

    .venv/bin/python benchmarks/interactions.py [-n 1000] [--concurrency 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import discord
from discord import app_commands
from discord.ext import commands

from bot.sandbox.harness import Sandbox
from bot.settings import PROJECT_ROOT, load_settings

log = logging.getLogger(__name__)

# The film a user would most likely look up: the one with the most cast rows.
BEST_KNOWN_FILM = """
    SELECT t.title FROM titles t JOIN credits c ON c.title_id = t.id
    WHERE c.role = 'actor' GROUP BY t.id ORDER BY count(*) DESC, t.id LIMIT 1
"""


class NoOp(commands.Cog):
    @app_commands.command(name="noop", description="Answers at once; measures the overhead")
    async def noop(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok")


async def _lookup(sb: Sandbox) -> tuple[str, dict[str, Any]]:
    """``/movie cast`` on a film the store knows, or ``/about`` without the lookup cog."""
    names = {c["name"] for c in sb.visible_commands()}
    if "movie" in names and sb.store is not None:
        title = await sb.store.fetchval(BEST_KNOWN_FILM)
        if title:
            return "movie cast", {"title": title}
    return "about", {}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def _measure(
    sb: Sandbox, command: str, options: dict[str, Any], n: int, concurrency: int
) -> dict[str, Any]:
    latencies: list[float] = []
    queue = iter(range(n))

    async def worker() -> None:
        for _ in queue:
            reply = await sb.slash(command, user=sb.admin, options=options)
            latencies.append(reply.record.latency or 0.0)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    return {
        "command": "/" + command,
        "interactions": n,
        "seconds": round(elapsed, 3),
        "interactions_per_s": round(n / elapsed, 1),
        "latency_ms": {
            "p50": round(_percentile(latencies, 0.50) * 1000, 2),
            "p99": round(_percentile(latencies, 0.99) * 1000, 2),
            "mean": round(statistics.fmean(latencies) * 1000, 2),
            "max": round(max(latencies) * 1000, 2),
        },
    }


async def run(n: int, concurrency: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            {
                "MARQUEE_DB": str(Path(tmp) / "bench.sqlite3"),
                "MARQUEE_DATA_DIR": str(PROJECT_ROOT / "data"),
                "LOG_LEVEL": "WARNING",
            },
            env_file=None,
        )
        sb = Sandbox()
        sb.emulator.record_requests = False  # a long run should not grow a list per request
        await sb.start()
        try:
            await sb.start_bot(settings)
            await sb.add_cog(NoOp())
            command, options = await _lookup(sb)
            sample = await sb.slash(command, user=sb.admin, options=options)
            answer = (sample.content or (sample.embed or {}).get("title") or "")[:100]
            await _measure(sb, command, options, 20, 1)  # warm caches and imports
            await _measure(sb, "noop", {}, 20, 1)
            lookup = await _measure(sb, command, options, n, concurrency)
            lookup.update(options=options, answer=answer, ephemeral=sample.ephemeral)
            noop = await _measure(sb, "noop", {}, n, concurrency)
            sb.assert_no_violations()
        finally:
            await sb.stop()
    return {
        "benchmark": "interactions",
        "concurrency": concurrency,
        "python": sys.version.split()[0],
        "discord.py": discord.__version__,
        "results": [lookup, noop],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="interactions per command")
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(json.dumps(asyncio.run(run(args.n, args.concurrency)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
