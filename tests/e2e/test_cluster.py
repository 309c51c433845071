"""Several real bot processes over one PostgreSQL store, against the emulator.

Each process is `marquee run` (or the `marquee cluster` supervisor's children), so
what is shown is what an operator gets: shards split between processes, a process
killed with SIGKILL in the middle of a fan-out and started again, two processes given
the same shard by mistake. Every server's post arrives once, no request meets the
global rate limit's 429, and no IDENTIFY breaks Discord's spacing rule (the emulator
records each of these as a violation).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

import pytest

from bot.db.store import Store
from bot.sandbox.processes import (
    BotProcesses,
    cluster_emulator,
    due_news_servers,
    tally,
    wait_for_posts,
)
from bot.sharding import shard_of

pytestmark = pytest.mark.timeout(300)

SERVERS = 200


async def pending_posts(url: str) -> int:
    async with await Store.open(url) as store:
        return await store.fetchval("SELECT count(*) FROM post_batches WHERE state = 'pending'")


async def wait_for_fan_out(emulator, servers, url: str, within: float) -> dict[str, int]:
    """Until every server has its post (or `within` s): then nothing may stay pending."""
    await wait_for_posts(emulator, servers, within)
    for _ in range(40):  # the last confirmations are being written
        if await pending_posts(url) == 0:
            break
        await asyncio.sleep(0.25)
    return tally(emulator, servers)


def posts_sent(log: str) -> int:
    """News posts a process reports sending in its scheduler ticks' summaries."""
    return sum(int(n) for n in re.findall(r"scheduler tick: \{[^}]*'post_sent': (\d+)", log))


def explain(procs: BotProcesses, *names: str) -> str:
    return "\n".join(f"--- {n} ---\n{procs.log_text(n)[-3000:]}" for n in names)


async def test_two_processes_split_the_fan_out_and_survive_a_kill_9(pg_url, tmp_path):
    emulator = cluster_emulator(shards=2)
    emulator.set_rate_limit(50)  # Discord's global budget, shared by both processes
    await emulator.start()
    procs = BotProcesses(emulator, pg_url, tmp_path)
    try:
        async with await Store.open(pg_url) as store:
            servers = await due_news_servers(emulator, store, SERVERS)
        first = [s for s in servers if shard_of(s.guild, 2) == 0]
        assert 0 < len(first) < SERVERS  # both shards have servers to post to
        await procs.start_shards("shard0", [0], 2)
        await procs.start_shards("shard1", [1], 2)

        started = await wait_for_posts(emulator, first, 120, at_least=10)
        assert started["lost"] <= len(first) - 10, explain(procs, "shard0", "shard1")
        await procs.kill("shard0")
        assert tally(emulator, first)["lost"] > 0, "the kill came after the fan-out"
        await procs.start_shards("shard0-again", [0], 2)

        result = await wait_for_fan_out(emulator, servers, pg_url, 180)
        assert result == {"delivered": SERVERS, "lost": 0, "doubled": 0}, explain(
            procs, "shard0", "shard0-again", "shard1"
        )
        assert await pending_posts(pg_url) == 0
        assert emulator.rate_limit is not None and emulator.rate_limit.rejected == 0
        # each shard's servers went to the process that holds the shard
        assert {tuple(s) for _, s in emulator.identifies} == {(0, 2), (1, 2)}
        assert not emulator.violations, emulator.violations
    finally:
        await procs.stop_all()
        await emulator.stop()


async def test_two_processes_given_the_same_shard_post_once_and_identify_in_turn(
    pg_url, tmp_path
):
    emulator = cluster_emulator(shards=1)
    emulator.max_concurrency = 1  # every IDENTIFY of this bot takes its turn, 5 s apart
    await emulator.start()
    procs = BotProcesses(emulator, pg_url, tmp_path)
    try:
        async with await Store.open(pg_url) as store:
            # about 10 s of sending at 40/s: the second process (5 s behind on its IDENTIFY
            # turn) usually joins in the middle of the fan-out (the claims themselves are
            # raced deterministically in tests/test_post_claims.py)
            servers = await due_news_servers(emulator, store, 400)
        await procs.start_shards("first", [0], 1)
        await procs.start_shards("second", [0], 1)  # the mistake: the same shard twice
        await emulator.wait_until(lambda: len(emulator.identifies) >= 2, 60)
        result = await wait_for_fan_out(emulator, servers, pg_url, 120)
        assert result == {"delivered": 400, "lost": 0, "doubled": 0}, explain(
            procs, "first", "second"
        )
        sent = {name: posts_sent(procs.log_text(name)) for name in ("first", "second")}
        assert sum(sent.values()) == 400, sent
        assert len(emulator.identifies) == 2
        assert not emulator.violations, emulator.violations  # includes IDENTIFY spacing
    finally:
        await procs.stop_all()
        await emulator.stop()


def children_of(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the children")
async def test_cluster_restarts_a_dead_process_and_stops_them_all_on_sigterm(pg_url, tmp_path):
    emulator = cluster_emulator(shards=2)  # marquee cluster asks for the shard count
    await emulator.start()
    procs = BotProcesses(emulator, pg_url, tmp_path)
    try:
        async with await Store.open(pg_url):
            pass  # the schema exists before two processes start at once
        supervisor = await procs.start("cluster", "cluster", "--processes", "2")
        both = await emulator.wait_until(
            lambda: {s for _, s in emulator.identifies} == {(0, 2), (1, 2)}, 60
        )
        assert both, explain(procs, "cluster")
        children = children_of(supervisor.pid)
        assert len(children) == 2
        victim = min(children)
        os.kill(victim, signal.SIGKILL)
        restarted = await emulator.wait_until(lambda: len(emulator.identifies) >= 3, 60)
        assert restarted, explain(procs, "cluster")
        now_children = children_of(supervisor.pid)
        assert len(now_children) == 2 and victim not in now_children
        assert "died (signal 9); restarting" in procs.log_text("cluster")

        supervisor.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(supervisor.wait(), 30) == 0
        procs.running.pop("cluster")
        for _ in range(50):
            if not any(running(pid) for pid in now_children):
                break
            await asyncio.sleep(0.1)
        assert not any(running(pid) for pid in now_children), "a bot outlived its supervisor"
        assert not emulator.violations, emulator.violations
    finally:
        await procs.stop_all()
        await emulator.stop()
