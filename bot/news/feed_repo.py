"""Feeds in the store, and one poll: fetch, parse, dedupe, ingest as articles.

Items become articles through `ingest_article`, so extraction links them to films and
people exactly like article files. Dedup keys per feed (id, link, normalised title)
plus the article table's own URL / headline identity keep an item from being stored
or posted twice, whichever of the three changed upstream.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import aiohttp

from bot.catalog.normalize import normalize_key
from bot.db.store import Store
from bot.errors import UserFacingError
from bot.news.article import ArticleText
from bot.news.feeds import FeedError, FeedItem, check_url, fetch, parse
from bot.news.ingest import ingest_article
from bot.news.settings_repo import iso, parse_iso

log = logging.getLogger(__name__)

POLL_EVERY = dt.timedelta(minutes=30)
MAX_BACKOFF = dt.timedelta(hours=24)
MAX_FEEDS_PER_GUILD = 20
MAX_ITEMS_PER_POLL = 50


@dataclass(frozen=True)
class Feed:
    id: int
    guild: int
    url: str
    channel: int | None
    title: str | None
    etag: str | None
    last_modified: str | None
    last_polled: dt.datetime | None
    next_poll: dt.datetime | None
    failures: int
    last_error: str | None
    last_ok: dt.datetime | None


@dataclass(frozen=True)
class PollResult:
    feed: Feed
    status: str  # "new" | "unchanged" | "not_modified" | "error"
    new_articles: list[str]
    error: str | None = None


_COLS = (
    "id, guild, url, channel, title, etag, last_modified, last_polled, next_poll, failures, "
    "last_error, last_ok"
)


def _feed(row) -> Feed:
    return Feed(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6],
        parse_iso(row[7]), parse_iso(row[8]), row[9], row[10], parse_iso(row[11]),
    )  # fmt: skip


def backoff(failures: int) -> dt.timedelta:
    """After 1, 2, 3... failures in a row: 1 h, 2 h, 4 h, ... capped at a day."""
    return min(POLL_EVERY * (2 ** min(failures, 10)), MAX_BACKOFF)


class FeedRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(self, guild: int, url: str, channel: int | None, now: dt.datetime) -> Feed:
        try:
            url = check_url(url)
        except FeedError as exc:
            raise UserFacingError(str(exc).capitalize() + ".") from None
        count = await self.store.fetchval("SELECT count(*) FROM feeds WHERE guild = ?", (guild,))
        existing = await self.get_by_url(guild, url)
        if existing is None and count >= MAX_FEEDS_PER_GUILD:
            raise UserFacingError(f"This server already has {MAX_FEEDS_PER_GUILD} feeds.")
        await self.store.execute(
            "INSERT INTO feeds(guild, url, channel, added_at, next_poll) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(guild, url) DO UPDATE SET channel = excluded.channel, "
            "next_poll = excluded.next_poll, failures = 0",
            (guild, url, channel, iso(now), iso(now)),
        )
        feed = await self.get_by_url(guild, url)
        assert feed is not None
        return feed

    async def get_by_url(self, guild: int, url: str) -> Feed | None:
        row = await self.store.fetchone(
            f"SELECT {_COLS} FROM feeds WHERE guild = ? AND url = ?",
            (guild, url.strip()),
        )
        return _feed(row) if row else None

    async def get(self, feed_id: int) -> Feed | None:
        row = await self.store.fetchone(f"SELECT {_COLS} FROM feeds WHERE id = ?", (feed_id,))
        return _feed(row) if row else None

    async def remove(self, guild: int, url_or_id: str) -> bool:
        key = url_or_id.strip()
        feed_id = int(key) if key.isdigit() else -1
        async with self.store.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM feeds WHERE guild = ? AND (url = ? OR id = ?)", (guild, key, feed_id)
            )
            return cur.rowcount > 0

    async def list(self, guild: int) -> list[Feed]:
        rows = await self.store.fetchall(
            f"SELECT {_COLS} FROM feeds WHERE guild = ? ORDER BY id", (guild,)
        )
        return [_feed(r) for r in rows]

    async def due(self, now: dt.datetime, limit: int = 200) -> list[Feed]:
        rows = await self.store.fetchall(
            f"SELECT {_COLS} FROM feeds WHERE next_poll IS NULL OR next_poll <= ? "
            "ORDER BY next_poll LIMIT ?",
            (iso(now), limit),
        )
        return [_feed(r) for r in rows]

    async def record_ok(
        self, feed: Feed, now: dt.datetime, *, title: str | None, etag: str | None,
        last_modified: str | None,
    ) -> None:  # fmt: skip
        await self.store.execute(
            "UPDATE feeds SET title = coalesce(?, title), etag = ?, last_modified = ?, "
            "last_polled = ?, last_ok = ?, next_poll = ?, failures = 0, last_error = NULL "
            "WHERE id = ?",
            (title, etag, last_modified, iso(now), iso(now), iso(now + POLL_EVERY), feed.id),
        )

    async def record_error(self, feed: Feed, error: str, now: dt.datetime) -> None:
        failures = feed.failures + 1
        await self.store.execute(
            "UPDATE feeds SET last_polled = ?, failures = ?, last_error = ?, next_poll = ? "
            "WHERE id = ?",
            (iso(now), failures, error[:300], iso(now + backoff(failures)), feed.id),
        )

    async def _known(self, feed_id: int, keys: list[str]) -> bool:
        if not keys:
            return False
        marks = ",".join("?" * len(keys))
        row = await self.store.fetchone(
            f"SELECT 1 FROM feed_items WHERE feed_id = ? AND item_key IN ({marks})",
            (feed_id, *keys),
        )
        return row is not None

    async def _existing_article(self, item: FeedItem) -> str | None:
        """The stored article this item already is (same URL or same headline and date)."""
        if item.link:
            found = await self.store.fetchval("SELECT id FROM articles WHERE url = ?", (item.link,))
            if found:
                return found
        norm = normalize_key(item.title)
        if norm:
            return await self.store.fetchval(
                "SELECT id FROM articles WHERE norm_headline = ? AND published = ?",
                (norm, item.published.isoformat()),
            )
        return None

    async def _remember(self, feed_id: int, keys: list[str], article_id: str, now) -> None:
        await self.store.executemany(
            "INSERT OR IGNORE INTO feed_items(feed_id, item_key, article_id, seen_at) "
            "VALUES (?, ?, ?, ?)",
            [(feed_id, k, article_id, iso(now)) for k in keys],
        )

    async def store_items(
        self, feed: Feed, items: list[FeedItem], source: str, now: dt.datetime
    ) -> list[str]:
        """Ingest the items this feed has not delivered before; their article ids."""
        new: list[str] = []
        for item in items[:MAX_ITEMS_PER_POLL]:
            keys = item.keys()
            if await self._known(feed.id, keys):
                continue
            article_id = await self._existing_article(item)
            if article_id is None:
                body = item.text if len(item.text.split()) >= 3 else item.title
                result = await ingest_article(
                    self.store,
                    ArticleText(published=item.published, body=body, headline=item.title),
                    source=source,
                    url=item.link,
                    headline=item.title,
                )
                article_id = result.article_id
                if not result.created:  # same text under another URL: use the stored one
                    article_id = await self._existing_article(item) or article_id
            if article_id in new:
                await self._remember(feed.id, keys, article_id, now)
                continue
            exists = await self.store.fetchval("SELECT 1 FROM articles WHERE id = ?", (article_id,))
            if not exists:
                continue
            await self._remember(feed.id, keys, article_id, now)
            new.append(article_id)
        return new


async def poll(
    repo: FeedRepository,
    session: aiohttp.ClientSession,
    feed: Feed,
    now: dt.datetime,
    *,
    time_limit: float = 15.0,
    allow_private: bool = False,
) -> PollResult:
    """Poll one feed; never raises for a feed's own problems (they are recorded).

    `session` comes from `open_feed_session(allow_private=...)` with the same flag."""
    try:
        fetched = await fetch(
            session,
            feed.url,
            etag=feed.etag,
            last_modified=feed.last_modified,
            time_limit=time_limit,
            allow_private=allow_private,
        )
        if fetched.status == 304:
            await repo.record_ok(
                feed, now, title=None, etag=feed.etag, last_modified=feed.last_modified
            )
            return PollResult(feed, "not_modified", [])
        parsed = parse(fetched.body, url=feed.url, today=now.date())
        source = parsed.title or feed.title or feed.url
        new = await repo.store_items(feed, parsed.items, source[:100], now)
        await repo.record_ok(
            feed, now, title=parsed.title, etag=fetched.etag, last_modified=fetched.last_modified
        )
        return PollResult(feed, "new" if new else "unchanged", new)
    except FeedError as exc:
        log.warning("feed %s (server %s) failed: %s", feed.url, feed.guild, exc)
        await repo.record_error(feed, str(exc), now)
        return PollResult(feed, "error", [], str(exc))
