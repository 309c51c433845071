"""Splitting shards over processes, the one-process coordinator, and `marquee cluster`'s
refusals (the multi-process behaviour is in tests/e2e/test_cluster.py)."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.cli import main
from bot.cluster.plan import split_shards
from bot.db.coordination import LocalCoordinator
from bot.errors import UserFacingError


def test_shards_are_split_into_contiguous_near_equal_runs():
    assert split_shards(2, 2) == [(0,), (1,)]
    assert split_shards(10, 3) == [(0, 1, 2, 3), (4, 5, 6), (7, 8, 9)]
    assert split_shards(4, 1) == [(0, 1, 2, 3)]
    for count in range(1, 30):
        for processes in range(1, count + 1):
            groups = split_shards(count, processes)
            assert [s for g in groups for s in g] == list(range(count))
            assert max(map(len, groups)) - min(map(len, groups)) <= 1


def test_more_processes_than_shards_is_refused_plainly():
    with pytest.raises(UserFacingError, match="3 processes for 2 shards"):
        split_shards(2, 3)


async def test_slots_of_one_queue_are_an_interval_apart_in_order():
    coordinator = LocalCoordinator()
    delays = [await coordinator.slot_delay("send", 0.5) for _ in range(4)]
    # each caller is handed the next slot: 0, 0.5, 1.0, 1.5 s from now (give or take
    # the microseconds between the calls)
    assert [round(d * 2) for d in delays] == [0, 1, 2, 3]
    assert await coordinator.slot_delay("other", 0.5) == 0  # queues are independent


async def test_a_slot_in_the_past_is_not_saved_up():
    coordinator = LocalCoordinator()
    await coordinator.slot_delay("send", 0.01)
    await asyncio.sleep(0.05)
    # an idle queue does not bank the missed slots into a burst
    first, second = [await coordinator.slot_delay("send", 0.01) for _ in range(2)]
    assert first == 0 and second > 0


async def test_a_caller_that_wakes_past_its_turn_queues_again():
    coordinator = LocalCoordinator()
    await coordinator.slot_delay("send", 0.1)  # someone has the slot now
    waiter = asyncio.create_task(coordinator.wait_slot("send", 0.1, late_after=0.05))
    await asyncio.sleep(0)  # the waiter takes the slot 0.1 s from now and sleeps
    time.sleep(0.3)  # noqa: ASYNC251 - the process is busy (blocking) well past that slot
    await waiter
    # it took a new turn when it woke, so the queue's next slot is still ahead; had it
    # gone at once, the queue would be idle and the next caller would go now too
    assert await coordinator.slot_delay("send", 0.1) > 0


async def test_one_process_is_the_only_live_owner():
    coordinator = LocalCoordinator()
    other = LocalCoordinator()
    assert await coordinator.alive([coordinator.token, other.token]) == {coordinator.token}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MARQUEE_DB": "{tmp}/one.sqlite3", "DISCORD_TOKEN": "x"}, "needs MARQUEE_DB=postgresql"),
        ({"MARQUEE_DB": "{tmp}/one.sqlite3"}, "DISCORD_TOKEN is not set"),
    ],
)
def test_cluster_refuses_what_cannot_work_in_one_line(monkeypatch, tmp_path, capsys, env, message):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the developer's clone
    for key, value in env.items():
        monkeypatch.setenv(key, value.format(tmp=tmp_path))
    assert main(["cluster", "--processes", "2"]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
