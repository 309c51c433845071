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
from typing import Any

import aiohttp

from bot.catalog.normalize import normalize_key
from bot.db.store import Store
from bot.errors import UserFacingError
from bot.news.article import ArticleText
from bot.news.feeds import FeedItem, ParsedFeed, feed_links, looks_like_html, parse
from bot.news.ingest import ingest_article
from bot.news.page_text import PageReader
from bot.news.settings_repo import iso, parse_iso
from bot.news.web import FetchResult, WebError, check_url, fetch, host_of, normalise_url

log = logging.getLogger(__name__)

POLL_EVERY = dt.timedelta(minutes=30)
# How long a process holds a feed's poll: ample for the fetch, the linked pages and the
# ingest; a process that dies mid-poll frees the feed when it runs out.
POLL_LEASE = dt.timedelta(minutes=10)
MAX_BACKOFF = dt.timedelta(hours=24)
MAX_FEEDS_PER_GUILD = 20
MAX_ITEMS_PER_POLL = 50


@dataclass(frozen=True)
class Feed:
    id: int
    guild: int
    number: int  # per server: what admins see and type
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
    "id, guild, coalesce(number, id), url, channel, title, etag, last_modified, last_polled, "
    "next_poll, failures, last_error, last_ok"
)


def _feed(row) -> Feed:
    return Feed(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
        parse_iso(row[8]), parse_iso(row[9]), row[10], row[11], parse_iso(row[12]),
    )  # fmt: skip


# Recording a poll's outcome gives its claim up.
_RELEASE = "poll_claimed_by = NULL, poll_lease_until = NULL"


def backoff(failures: int) -> dt.timedelta:
    """After 1, 2, 3... failures in a row: 1 h, 2 h, 4 h, ... capped at a day."""
    return min(POLL_EVERY * (2 ** min(failures, 10)), MAX_BACKOFF)


class FeedRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def find(self, guild: int, url: str) -> Feed | None:
        """This server's feed at `url`, however the address's case or trailing slash."""
        wanted = normalise_url(url)
        for feed in await self.list(guild):
            if normalise_url(feed.url) == wanted:
                return feed
        return None

    async def insert(
        self, guild: int, url: str, channel: int | None, now: dt.datetime, *,
        title: str | None, etag: str | None, last_modified: str | None,
        next_poll: dt.datetime | None = None,
    ) -> Feed | None:  # fmt: skip
        """Store a checked feed as polled just now, numbered next in its server; None
        when the server already follows that address."""
        async with self.store.transaction() as conn:
            count = await self.store.fetchval(
                "SELECT count(*) FROM feeds WHERE guild = ?", (guild,)
            )
            if count >= MAX_FEEDS_PER_GUILD:
                raise UserFacingError(
                    f"This server already follows {MAX_FEEDS_PER_GUILD} feeds, the most it can;"
                    " remove one first."
                )
            feed_id = await conn.insert(
                "INSERT INTO feeds(guild, number, url, channel, title, etag, last_modified,"
                " added_at, last_polled, last_ok, next_poll)"
                " VALUES (?, (SELECT coalesce(max(number), 0) + 1 FROM feeds WHERE guild = ?),"
                " ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(guild, url) DO NOTHING",
                (guild, guild, url, channel, title, etag, last_modified, iso(now), iso(now),
                 iso(now), iso(next_poll or now + POLL_EVERY)),
            )  # fmt: skip
            if feed_id is None:
                return None
        return await self.get(feed_id)

    async def get(self, feed_id: int) -> Feed | None:
        row = await self.store.fetchone(f"SELECT {_COLS} FROM feeds WHERE id = ?", (feed_id,))
        return _feed(row) if row else None

    async def remove(self, guild: int, number_or_url: str) -> bool:
        """Remove this server's feed with that number (see `list`) or address."""
        key = number_or_url.strip()
        feed = None
        if key.isdigit():
            row = await self.store.fetchone(
                f"SELECT {_COLS} FROM feeds WHERE guild = ? AND number = ?", (guild, int(key))
            )
            feed = _feed(row) if row else None
        if feed is None:
            feed = await self.find(guild, key)
        if feed is None:
            return False
        async with self.store.transaction() as conn:
            return await conn.execute("DELETE FROM feeds WHERE id = ?", (feed.id,)) > 0

    async def list(self, guild: int) -> list[Feed]:
        rows = await self.store.fetchall(
            f"SELECT {_COLS} FROM feeds WHERE guild = ? ORDER BY number, id", (guild,)
        )
        return [_feed(r) for r in rows]

    async def due(self, now: dt.datetime, limit: int = 200) -> list[Feed]:
        """Feeds whose poll is due; `claim_poll` says which this process may poll."""
        rows = await self.store.fetchall(
            f"SELECT {_COLS} FROM feeds WHERE next_poll IS NULL OR next_poll <= ? "
            "ORDER BY next_poll LIMIT ?",
            (iso(now), limit),
        )
        return [_feed(r) for r in rows]

    async def claim_poll(self, feed_id: int, owner: int | None, now: dt.datetime) -> bool:
        """Take a due feed's poll for this process (`owner`, its coordination token) until
        `now + POLL_LEASE`; False when it is not due any more or another process holds
        it. One conditional UPDATE: of processes trying at once, exactly one gets it, so
        a feed is fetched once per interval however many processes serve its server.
        Recording the poll (`record_ok`, `record_error`) gives the claim up."""
        return (
            await self.store.execute(
                "UPDATE feeds SET poll_claimed_by = ?, poll_lease_until = ? WHERE id = ? "
                "AND (next_poll IS NULL OR next_poll <= ?) "
                "AND (poll_lease_until IS NULL OR poll_lease_until < ?)",
                (owner, iso(now + POLL_LEASE), feed_id, iso(now), iso(now)),
            )
            > 0
        )

    async def record_ok(
        self, feed: Feed, now: dt.datetime, *, title: str | None, etag: str | None,
        last_modified: str | None,
    ) -> None:  # fmt: skip
        await self.store.execute(
            "UPDATE feeds SET title = coalesce(?, title), etag = ?, last_modified = ?, "
            "last_polled = ?, last_ok = ?, next_poll = ?, failures = 0, last_error = NULL, "
            f"{_RELEASE} WHERE id = ?",
            (title, etag, last_modified, iso(now), iso(now), iso(now + POLL_EVERY), feed.id),
        )

    async def record_error(self, feed: Feed, error: str, now: dt.datetime) -> None:
        failures = feed.failures + 1
        await self.store.execute(
            "UPDATE feeds SET last_polled = ?, failures = ?, last_error = ?, next_poll = ?, "
            f"{_RELEASE} WHERE id = ?",
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
            "INSERT INTO feed_items(feed_id, item_key, article_id, seen_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(feed_id, k, article_id, iso(now)) for k in keys],
        )

    async def store_items(
        self,
        feed: Feed,
        items: list[FeedItem],
        source: str,
        now: dt.datetime,
        *,
        pages: PageReader | None = None,
    ) -> list[str]:
        """Ingest the items this feed has not delivered before; their article ids.

        With `pages`, an item that carries only a teaser is stored with its linked page's
        article text (fetched for new items only, a few at a time)."""
        fresh: list[tuple[FeedItem, list[str], str | None]] = []
        for item in items[:MAX_ITEMS_PER_POLL]:
            keys = item.keys()
            if not await self._known(feed.id, keys):
                fresh.append((item, keys, await self._existing_article(item)))
        if pages is not None:
            expanded = await pages.expand_all([item for item, _, known in fresh if known is None])
            whole = iter(expanded)
            fresh = [(item if known else next(whole), keys, known) for item, keys, known in fresh]
        new: list[str] = []
        for item, keys, known in fresh:
            article_id = known or await self._existing_article(item)
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


def source_name(feed: Feed, parsed_title: str | None = None) -> str:
    """What a feed's articles are credited to: the feed's title, else its server's name
    (never a file name or a bare address)."""
    return (parsed_title or feed.title or host_of(feed.url) or "a news feed")[:100]


def _refused(reason: str) -> UserFacingError:
    return UserFacingError(f"I can't add that feed: {reason}.")


async def _fetch_feed(
    session: aiohttp.ClientSession, url: str, *, time_limit: float, allow_private: bool
) -> tuple[FetchResult, ParsedFeed | None]:
    """Fetch `url` once; the feed parsed from it, or None when it is a web page."""
    fetched = await fetch(session, url, time_limit=time_limit, allow_private=allow_private)
    try:
        return fetched, parse(fetched.body, url=fetched.url or url)
    except WebError:
        if looks_like_html(fetched.body, fetched.content_type):
            return fetched, None
        raise


async def subscribe(
    repo: FeedRepository,
    session: aiohttp.ClientSession,
    guild: int,
    url: str,
    channel: int | None,
    now: dt.datetime,
    *,
    time_limit: float = 15.0,
    allow_private: bool = False,
    pages: PageReader | None = None,
) -> PollResult:
    """Add a feed only after fetching it once: a page that links a feed adds that feed;
    whatever cannot be a feed is refused (UserFacingError, one sentence) and nothing is
    stored. The items fetched are ingested at once (no second fetch)."""
    try:
        url = check_url(url)
    except WebError as exc:
        raise _refused(str(exc)) from None
    if (known := await repo.find(guild, url)) is not None:
        raise UserFacingError(f"This server already follows that feed (feed {known.number}).")
    try:
        fetched, parsed = await _fetch_feed(
            session, url, time_limit=time_limit, allow_private=allow_private
        )
        if parsed is None:
            links = feed_links(fetched.body, fetched.url or url)
            if not links:
                raise _refused("that address is a web page, and it links no RSS or Atom feed")
            url = check_url(links[0])
            if (known := await repo.find(guild, url)) is not None:
                raise UserFacingError(
                    f"This server already follows the feed that page links (feed {known.number})."
                )
            fetched, parsed = await _fetch_feed(
                session, url, time_limit=time_limit, allow_private=allow_private
            )
            if parsed is None:
                raise _refused("the feed that page links is another web page")
    except WebError as exc:
        raise _refused(str(exc)) from None
    feed = await repo.insert(
        guild, url, channel, now, title=parsed.title, etag=fetched.etag,
        last_modified=fetched.last_modified,
    )  # fmt: skip
    if feed is None:  # added by someone else meanwhile
        known = await repo.find(guild, url)
        number = f" (feed {known.number})" if known else ""
        raise UserFacingError(f"This server already follows that feed{number}.")
    new = await repo.store_items(feed, parsed.items, source_name(feed, parsed.title), now,
                                 pages=pages)  # fmt: skip
    return PollResult(feed, "new" if new else "unchanged", new)


async def poll(
    repo: FeedRepository,
    session: aiohttp.ClientSession,
    feed: Feed,
    now: dt.datetime,
    *,
    time_limit: float = 15.0,
    allow_private: bool = False,
    pages: PageReader | None = None,
) -> PollResult:
    """Poll one feed; never raises for a feed's own problems (they are recorded).

    `session` comes from `web.open_session(allow_private=...)` with the same flag; with
    `pages`, teaser-only items get their linked page's text."""
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
        new = await repo.store_items(feed, parsed.items, source_name(feed, parsed.title), now,
                                     pages=pages)  # fmt: skip
        await repo.record_ok(
            feed, now, title=parsed.title, etag=fetched.etag, last_modified=fetched.last_modified
        )
        return PollResult(feed, "new" if new else "unchanged", new)
    except WebError as exc:
        log.warning("feed %s (server %s) failed: %s", feed.url, feed.guild, exc)
        await repo.record_error(feed, str(exc), now)
        return PollResult(feed, "error", [], str(exc))


async def poll_claimed(
    repo: FeedRepository,
    session: aiohttp.ClientSession,
    feed: Feed,
    now: dt.datetime,
    *,
    owner: int | None,
    **options: Any,
) -> PollResult | None:
    """`poll` a due feed once this process (`owner`) holds its claim; None when another
    process holds it or has polled it this interval. A poll that fails unexpectedly
    keeps the claim until its lease runs out, so a broken feed is not retried at once."""
    if not await repo.claim_poll(feed.id, owner, now):
        return None
    return await poll(repo, session, feed, now, **options)
