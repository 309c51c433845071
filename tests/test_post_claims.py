"""Two processes over one store never send the same post: the claims, raced.

Each PostLog / ReminderRepository below stands for one process (its own owner token);
`asyncio.gather` runs their transactions at the same time (truly concurrent on
PostgreSQL's pool; SQLite serialises writers, and must give the same answers).
"""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.news.claims import take_over
from bot.news.posting import PostLog
from bot.news.reminders import ReminderRepository
from bot.news.schedule import parse_schedule
from bot.news.settings_repo import NewsSettingsRepository
from tests.test_news_posting import NOW, TODAY, add_article, add_release, utc

GUILD, CHANNEL = 1001, 55
A, B = 111, 222  # two processes' tokens


async def due_server(store) -> None:
    settings = NewsSettingsRepository(store)
    await settings.set_channel(GUILD, CHANNEL)
    await settings.set_schedule(GUILD, parse_schedule("daily 09:00 UTC"), NOW)


async def test_a_due_run_is_taken_by_one_process(store):
    await due_server(store)
    for key in ("a1", "a2"):
        await add_article(store, key)
    later = NOW + dt.timedelta(days=1)
    schedule = parse_schedule("daily 09:00 UTC")
    logs = [PostLog(store, owner=A), PostLog(store, owner=B)]
    ids = await logs[0].unposted(GUILD, later)
    batches = await asyncio.gather(
        *(log.reserve(GUILD, CHANNEL, "scheduled", ids, later, advance=schedule) for log in logs)
    )
    taken = [b for b in batches if b is not None]
    assert len(taken) == 1 and taken[0].claimed_by in (A, B)
    assert len(await logs[0].articles(taken[0])) == 2
    assert len(await logs[0].pending()) == 1


async def test_each_article_goes_to_one_batch(store):
    for key in ("a1", "a2", "a3"):
        await add_article(store, key)
    logs = [PostLog(store, owner=A), PostLog(store, owner=B)]
    ids = ["a1", "a2", "a3"]
    # e.g. one feed polled by both: the same new items reserved for the same channel
    batches = await asyncio.gather(*(log.reserve(GUILD, CHANNEL, "feed", ids, NOW) for log in logs))
    posted = [a.id for b in batches if b is not None for a in await logs[0].articles(b)]
    assert sorted(posted) == ids  # every article once, in whichever batch won it
    assert len(await logs[0].pending()) == len([b for b in batches if b is not None])


async def test_a_pending_post_stays_with_its_live_holder_and_passes_on_when_it_dies(store):
    await add_article(store, "a1")
    holder, other = PostLog(store, owner=A), PostLog(store, owner=B)
    batch = await holder.reserve(GUILD, CHANNEL, "manual", ["a1"], NOW)
    assert batch is not None and batch.claimed_by == A
    pending = await other.pending()
    assert pending[0].claimed_by == A
    # A is alive (sending it now, or about to): B leaves it
    assert await take_over(store, "post_batches", pending, B, alive={A, B}, busy=set()) == []
    # A's own next tick does not send what A is sending right now
    busy = {batch.marker}
    assert await take_over(store, "post_batches", pending, A, alive={A, B}, busy=busy) == []
    # A died: B and a restarted A (new token C) race for it; exactly one gets it
    won = await asyncio.gather(
        take_over(store, "post_batches", pending, B, alive={B, 333}, busy=set()),
        take_over(store, "post_batches", pending, 333, alive={B, 333}, busy=set()),
    )
    assert sorted(len(w) for w in won) == [0, 1]
    winner = next(w[0] for w in won if w)
    assert [b.claimed_by for b in await other.pending()] == [winner.claimed_by]


async def test_a_pending_reminder_passes_on_only_when_its_holder_dies(store):
    title_id = await add_release(store, "Harbor Lights", TODAY.isoformat(), "manual", "2026-11-01")
    mine, theirs = ReminderRepository(store, owner=A), ReminderRepository(store, owner=B)
    await mine.create(guild=GUILD, channel=CHANNEL, title_id=title_id, region="", days_before=0,
                      user=7, now=NOW)  # fmt: skip
    fired = await asyncio.gather(mine.due(NOW, utc), theirs.due(NOW, utc))
    assert sorted(len(f) for f in fired) == [0, 1]  # the firing is reserved once
    pending = await theirs.pending(NOW)
    holder = pending[0].claimed_by
    other = B if holder == A else A
    assert await take_over(store, "reminder_fires", pending, other, {A, B}, set()) == []
    (taken,) = await take_over(store, "reminder_fires", pending, other, {other}, set())
    assert taken.claimed_by == other
