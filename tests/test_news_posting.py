"""Post log, guild settings and release reminders on a real SQLite file."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.catalog.models import Provenance
from bot.catalog.repository import CatalogRepository
from bot.errors import UserFacingError
from bot.news.posting import PostLog
from bot.news.reminders import ReminderRepository
from bot.news.repository import NewsRepository
from bot.news.schedule import parse_schedule
from bot.news.settings_repo import NewsSettingsRepository

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
G1, G2 = 1001, 1002


async def add_article(store, key: str, published: dt.date = TODAY) -> str:
    async with store.transaction():
        await NewsRepository(store).insert(
            article_id=key, published=published, body=f"Body of {key} with words.",
            summary=f"Summary {key}.", source="test", headline=f"Headline {key}",
        )  # fmt: skip
    return key


async def test_schedule_due_and_catch_up_is_one_post(store):
    settings = NewsSettingsRepository(store)
    sched = parse_schedule("daily 09:00 UTC")
    await settings.set_channel(G1, 55)
    first = await settings.set_schedule(G1, sched, NOW)
    assert first == dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
    assert await settings.due(NOW) == []
    # the bot was down for three days: the server is due once, and the next run is after now
    later = NOW + dt.timedelta(days=3)
    due = await settings.due(later)
    assert [g.guild for g in due] == [G1]
    await add_article(store, "a1")
    log = PostLog(store)
    batch = await log.reserve(G1, 55, "scheduled", await log.unposted(G1, later), later,
                              advance=sched)  # fmt: skip
    assert batch is not None
    assert await settings.due(later) == []
    assert (await settings.get(G1)).next_at == dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)


async def test_reserve_then_send_never_repeats(store):
    log = PostLog(store)
    for key in ("a1", "a2", "a3"):
        await add_article(store, key)
    ids = await log.unposted(G1, NOW)
    assert set(ids) == {"a1", "a2", "a3"}
    batch = await log.reserve(G1, 55, "manual", ids, NOW)
    assert len(await log.articles(batch)) == 3
    # reserved articles are not offered again, even before the send is recorded
    assert await log.unposted(G1, NOW) == []
    assert await log.reserve(G1, 55, "manual", ids, NOW) is None
    assert [b.id for b in await log.pending()] == [batch.id]
    await log.mark_sent(batch, 999, NOW)
    assert await log.pending() == []
    assert await log.count_posted(G1) == 3
    assert (await log.last_post(G1))[2] == 999
    # another server has its own log
    assert set(await log.unposted(G2, NOW)) == {"a1", "a2", "a3"}


async def test_permanent_failure_releases_articles_and_is_reported(store):
    log = PostLog(store)
    await add_article(store, "a1")
    batch = await log.reserve(G1, 55, "scheduled", ["a1"], NOW)
    gave_up = await log.mark_failed(batch, "Missing Access (channel gone)", NOW, permanent=True)
    assert gave_up
    assert await log.pending() == []
    assert await log.unposted(G1, NOW) == ["a1"]
    status = await NewsSettingsRepository(store).get(G1)
    assert status.last_error == "Missing Access (channel gone)" and status.last_error_at == NOW


async def test_transient_failure_retries_then_gives_up(store):
    log = PostLog(store)
    await add_article(store, "a1")
    await log.reserve(G1, 55, "scheduled", ["a1"], NOW)
    for _ in range(4):
        (batch,) = await log.pending()
        assert not await log.mark_failed(batch, "HTTP 500", NOW, permanent=False)
    (batch,) = await log.pending()
    assert await log.mark_failed(batch, "HTTP 500", NOW, permanent=False)
    assert await log.pending() == []


async def test_old_articles_and_other_servers_feed_items_are_not_offered(store):
    await add_article(store, "old", NOW.date() - dt.timedelta(days=400))
    await add_article(store, "fresh")
    await add_article(store, "g2feed")
    await store.execute("INSERT INTO feeds(id, guild, url) VALUES (7, ?, 'http://x/f')", (G2,))
    await store.execute(
        "INSERT INTO feed_items(feed_id, item_key, article_id, seen_at) "
        "VALUES (7, 'k', 'g2feed', ?)",
        (NOW.isoformat(),),
    )
    log = PostLog(store)
    # `old` was ingested "now" by the wall clock, so judge it from a year later
    assert "old" not in await log.unposted(G1, NOW + dt.timedelta(days=365))
    assert set(await log.unposted(G1, NOW)) >= {"fresh"}
    assert "g2feed" not in await log.unposted(G1, NOW)
    assert "g2feed" in await log.unposted(G2, NOW)


async def add_release(store, title: str, date: str, source: str, as_of: str, region="") -> int:
    catalog = CatalogRepository(store)
    async with store.transaction():
        prov = Provenance(source, as_of)
        title_id = await catalog.ensure_title(title, prov)
        await catalog.add_release(title_id, date=date, precision="day", kind="theatrical",
                                  region=region, prov=prov)  # fmt: skip
    return title_id


async def utc(_guild: int) -> str:
    return "UTC"


async def test_reminder_fires_before_and_on_the_day_once_each(store):
    title_id = await add_release(store, "Harbor Lights", "2026-12-01", "manual", "2026-11-01")
    repo = ReminderRepository(store)
    reminder, created = await repo.create(guild=G1, channel=55, title_id=title_id, region="",
                                          days_before=3, user=7, now=NOW)  # fmt: skip
    assert created and await repo.subscribers(reminder.id) == [7]
    assert await repo.due(NOW, utc) == []  # 8 days left
    day_minus_3 = dt.datetime(2026, 11, 28, 0, 5, tzinfo=dt.UTC)
    (firing,) = await repo.due(day_minus_3, utc)
    assert (firing.offset_days, firing.days_left) == (3, 3)
    assert await repo.due(day_minus_3 + dt.timedelta(days=1), utc) == []  # reserved already
    await repo.mark_sent(firing, 1)
    (on_day,) = await repo.due(dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC), utc)
    assert (on_day.offset_days, on_day.days_left) == (0, 0)
    assert await repo.due(dt.datetime(2026, 12, 2, 8, tzinfo=dt.UTC), utc) == []


async def test_reminder_follows_a_changed_date(store):
    title_id = await add_release(store, "Night Train 2", "2026-12-01", "article:a", "2026-11-01")
    repo = ReminderRepository(store)
    await repo.create(guild=G1, channel=55, title_id=title_id, region="", days_before=0,
                      user=7, now=NOW)  # fmt: skip
    # a newer article moves the film to Christmas: nothing on 12-01, a post on 12-25
    await add_release(store, "Night Train 2", "2026-12-25", "article:b", "2026-11-20")
    assert await repo.due(dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC), utc) == []
    (firing,) = await repo.due(dt.datetime(2026, 12, 25, 8, tzinfo=dt.UTC), utc)
    assert firing.release.date == dt.date(2026, 12, 25)


async def test_reminder_uses_the_servers_day(store):
    title_id = await add_release(store, "Tokyo Story Redux", "2026-12-01", "manual", "2026-11-01")
    repo = ReminderRepository(store)
    await repo.create(guild=G1, channel=55, title_id=title_id, region="", days_before=0,
                      user=7, now=NOW)  # fmt: skip

    async def tokyo(_g):
        return "Asia/Tokyo"

    # 2026-11-30 16:00 UTC is already 12-01 01:00 in Tokyo
    assert len(await repo.due(dt.datetime(2026, 11, 30, 16, tzinfo=dt.UTC), tokyo)) == 1


async def test_subscribe_and_bad_days(store):
    title_id = await add_release(store, "Harbor Lights", "2026-12-01", "manual", "2026-11-01")
    repo = ReminderRepository(store)
    reminder, _ = await repo.create(guild=G1, channel=55, title_id=title_id, region="fr",
                                    days_before=1, user=7, now=NOW)  # fmt: skip
    assert reminder.region == "FR"
    assert await repo.subscribe(reminder.id, 8)
    assert not await repo.subscribe(reminder.id, 8)
    assert await repo.subscribers(reminder.id) == [7, 8]
    _, created = await repo.create(guild=G1, channel=55, title_id=title_id, region="FR",
                                   days_before=1, user=9, now=NOW)  # fmt: skip
    assert not created and await repo.subscribers(reminder.id) == [7, 8, 9]
    with pytest.raises(UserFacingError):
        await repo.create(guild=G1, channel=55, title_id=title_id, region="", days_before=999,
                          user=7, now=NOW)  # fmt: skip
    with pytest.raises(UserFacingError):
        await repo.subscribe(12345, 8)


@pytest.mark.parametrize(
    "query",
    ['"', '"unbalanced', "*", "a*b", "NEAR(a b)", "-x", "(", ")", "a OR", "AND", "NOT x",
     "col:val", "^x", "'", "", "   ", "x" * 6000, "🎬"],
)  # fmt: skip
async def test_search_never_raises_on_fts_syntax(store, query):
    from bot.news.reading import search

    await add_article(store, "a1")
    assert isinstance(await search(store, query), list)


async def test_search_finds_words_prefix_and_accents(store):
    from bot.news.reading import choices, search

    async with store.transaction():
        await NewsRepository(store).insert(
            article_id="fr", published=TODAY, body="Amélie returns to the café in a new film.",
            summary="Amélie returns.", source="test", headline="Café sequel",
        )  # fmt: skip
    await add_article(store, "other")
    assert [a.id for a in await search(store, "amelie")] == ["fr"]
    assert [a.id for a in await search(store, "caf")] == ["fr"]
    assert [a.id for a in await search(store, '"cafe" -(returns*')] == ["fr"]
    assert await search(store, "nothing-like-this") == []
    labels = await choices(store, "")
    assert len(labels) == 2 and all(len(name) > 0 for name, _ in labels)
