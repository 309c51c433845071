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
import datetime as dt
import os
import re
import signal
import sys
from pathlib import Path

import pytest

from bot.db.store import Store
from bot.news.feed_repo import FeedRepository
from bot.sandbox.harness import Sandbox
from bot.sandbox.processes import (
    BotProcesses,
    cluster_emulator,
    due_news_servers,
    tally,
    wait_for_posts,
)
from bot.sharding import shard_of
from bot.trivia.library import import_pack_file
from tests.e2e.test_trivia import FIXTURES as TRIVIA_FIXTURES
from tests.e2e.test_trivia import is_question, is_results, label_for, right_answer
from tests.feedserver import FeedServer

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


async def test_two_processes_given_the_same_shard_post_once_and_identify_in_turn(pg_url, tmp_path):
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


async def wait_for_log(
    procs: BotProcesses, names: tuple[str, ...], pattern: str, within: float
) -> str | None:
    """The first of `names` whose log matches `pattern` within `within` s, else None."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        for name in names:
            if re.search(pattern, procs.log_text(name)):
                return name
        await asyncio.sleep(0.25)
    return None


async def test_a_second_process_on_the_same_shard_leaves_games_and_feeds_to_the_first(
    pg_url, tmp_path
):
    """The same shard given twice by mistake: a trivia game started through the first
    process plays to its end while the second starts (the second neither ends it nor
    answers its players), and each due feed is fetched once by the two together."""
    emulator = cluster_emulator(shards=1)
    sandbox = Sandbox(emulator)  # the world to play in; the bots are the processes
    await sandbox.start()
    feeds = await FeedServer().start()
    feeds.hold = asyncio.Event()  # the first's fetches wait until the second has ticked
    paths = [f"/feed{i}.xml" for i in range(3)]
    procs = BotProcesses(emulator, pg_url, tmp_path, MARQUEE_FEEDS_ALLOW_PRIVATE="1")
    trivia = sandbox.trivia

    async def release_when_the_other_ticked() -> str | None:
        try:  # (within the first poll's 15 s fetch limit)
            return await wait_for_log(procs, ("one", "two"), "feed_polled_elsewhere", 30)
        finally:
            feeds.hold.set()

    released: asyncio.Task[str | None] | None = None
    try:
        async with await Store.open(pg_url) as store:
            await import_pack_file(store, TRIVIA_FIXTURES / "opentdb-sample.json", name="films")
            repo = FeedRepository(store)
            moment = dt.datetime.now(dt.UTC)
            for path in paths:  # due now
                feeds.serve_file(path, "rss.xml")
                await repo.insert(sandbox.guild.id, feeds.url(path), None, moment, title=None,
                                  etag=None, last_modified=None, next_poll=moment)  # fmt: skip
        # Both start at once, the mistake being the same shard twice; the IDENTIFY queue
        # shared through the store lets the second in 5 s after the first, so the game
        # started through the first is running when the second comes up.
        await procs.start_shards("one", [0], 1)
        await procs.start_shards("two", [0], 1)
        released = asyncio.create_task(release_when_the_other_ticked())
        first = await wait_for_log(procs, ("one", "two"), "trivia start-up", 60)
        assert first, explain(procs, "one", "two")
        second = "two" if first == "one" else "one"
        alice = await sandbox.add_member("alice")
        start = await sandbox.slash(
            "trivia start", user=alice, channel=trivia, pack="films", questions=3, seconds=5
        )
        assert "3 questions from **films**" in start.text
        assert "trivia start-up" not in procs.log_text(second)  # the game came first

        clicked_with_both_up = 0
        for number in range(1, 4):
            question = await sandbox.wait_for_message(
                trivia, check=is_question(number), after=0, timeout=30
            )
            answer = right_answer(question.embed["description"])
            locked = await sandbox.click(question, label_for(question, answer), user=alice)
            assert "Locked in" in locked.text  # answered once, by the game's process
            clicked_with_both_up += "trivia start-up" in procs.log_text(second)
        results = await sandbox.wait_for_message(trivia, check=is_results, after=0, timeout=30)
        assert clicked_with_both_up >= 1, "the second process was not up during the game"
        assert "trivia start-up: 0 games that no process runs any more ended" in procs.log_text(
            second
        )
        assert f"Winner: <@{alice.user.id}>" in results.embed["description"]
        assert f"<@{alice.user.id}> — 9 pts" in results.embed["description"]
        async with await Store.open(pg_url) as store:
            assert await store.fetchval("SELECT state FROM trivia_games") == "finished"
        assert not [m for m in await sandbox.messages(trivia) if "interrupted" in m.content]

        # the first polled the due feeds at once; the second's first tick found them taken
        assert await released == second, explain(procs, "one", "two")
        assert await wait_for_log(procs, (first,), "feed_new_for_digest", 30)
        assert [feeds.count(p) for p in paths] == [1, 1, 1], feeds.hits
        assert not emulator.violations, emulator.violations  # no interaction answered twice
    finally:
        feeds.hold.set()
        if released is not None:
            released.cancel()
        await procs.stop_all()
        await feeds.stop()
        await sandbox.stop()


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
