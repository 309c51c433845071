"""The post log: which articles a server has been sent, written so restarts are safe.

A post is RESERVED before it is sent: one transaction writes a pending batch, the
`posts` rows for its articles and (for a scheduled post) the next run time. Only then
is the message sent; afterwards the batch is marked sent with the message id. After a
crash between sending and recording, the pending batch is reconciled by looking for
its marker in the channel's recent messages (found: record it; not found: send it).
So a restart neither repeats a post nor loses one, and a long outage yields one
catch-up post because the next run is computed from now, not from the missed time.

Several processes may share the store (a cluster, or two processes given the same
shard by mistake), so every step is a claim that only one of them can win: a due run
is taken by moving its next run time only if it is still due; each article is taken
for the server by inserting its `posts` row, which exists at most once per server and
article; a pending batch belongs to the process that reserved it (`claimed_by`) and is
taken over only once that process is gone (bot/db/coordination.py says who is alive).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from bot.db.store import Store
from bot.news.repository import Article
from bot.news.schedule import Schedule
from bot.news.settings_repo import NewsSettingsRepository, iso

DIGEST_MAX = 10  # articles per post; Discord allows 10 embeds and 25 fields
WINDOW_DAYS = 14  # older unposted articles are not news any more
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Batch:
    id: int
    guild: int
    channel: int
    kind: str
    marker: str
    attempts: int
    created_at: str
    claimed_by: int | None = None


_BATCH_COLS = "id, guild, channel, kind, marker, attempts, created_at, claimed_by"
_ARTICLE_COLS = "a.id, a.published, a.url, a.source, a.headline, a.body, a.summary"


def new_marker() -> str:
    return secrets.token_hex(5)


class PostLog:
    def __init__(self, store: Store, owner: int | None = None) -> None:
        self.store = store
        self.owner = owner  # this process's claim token (None: no other process)
        self.settings = NewsSettingsRepository(store)

    async def unposted(self, guild: int, now: dt.datetime, limit: int = DIGEST_MAX) -> list[str]:
        """Recent articles this server has not been sent (nor reserved), newest first.

        Articles that came from another server's feed stay with that server.
        """
        since = iso(now - dt.timedelta(days=WINDOW_DAYS))
        rows = await self.store.fetchall(
            "SELECT a.id FROM articles a WHERE (a.published >= ? OR a.ingested_at >= ?) "
            "AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.guild = ? AND p.article_id = a.id) "
            "AND (NOT EXISTS (SELECT 1 FROM feed_items fi WHERE fi.article_id = a.id) "
            "  OR EXISTS (SELECT 1 FROM feed_items fi JOIN feeds f ON f.id = fi.feed_id "
            "             WHERE fi.article_id = a.id AND f.guild = ?)) "
            "ORDER BY a.published DESC, a.ingested_at DESC LIMIT ?",
            (since[:10], since, guild, guild, limit),
        )
        return [r[0] for r in rows]

    async def reserve(
        self,
        guild: int,
        channel: int,
        kind: str,
        article_ids: Sequence[str],
        now: dt.datetime,
        *,
        advance: Schedule | None = None,
    ) -> Batch | None:
        """Write a pending batch for the articles not yet posted in `guild`.

        With `advance`, the server's due run is taken and moved past `now` in the same
        transaction. Returns None when nothing is left to post, or when another process
        took the run or the articles first.
        """
        async with self.store.transaction() as tx:
            if advance is not None and not await self.settings.take_run(guild, advance, now):
                return None
            marker = new_marker()
            batch_id = await tx.insert(
                "INSERT INTO post_batches(guild, channel, kind, marker, created_at, claimed_by) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (guild, channel, kind, marker, iso(now), self.owner),
            )
            assert batch_id is not None
            taken = 0
            for article_id in dict.fromkeys(article_ids):
                taken += await tx.execute(
                    "INSERT INTO posts(guild, article_id, channel, posted_at, batch_id) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild, article_id) DO NOTHING",
                    (guild, article_id, channel, iso(now), batch_id),
                )
            if not taken:
                await tx.execute("DELETE FROM post_batches WHERE id = ?", (batch_id,))
                return None
        return Batch(batch_id, guild, channel, kind, marker, 0, iso(now), self.owner)

    async def skip_run(self, guild: int, schedule: Schedule, now: dt.datetime) -> None:
        """Nothing new to post: just move the next run on."""
        async with self.store.transaction():
            await self.settings.advance(guild, schedule, now)

    async def pending(self, guild: int | None = None) -> list[Batch]:
        sql = f"SELECT {_BATCH_COLS} FROM post_batches WHERE state = 'pending'"
        params: tuple = ()
        if guild is not None:
            sql += " AND guild = ?"
            params = (guild,)
        rows = await self.store.fetchall(sql + " ORDER BY id", params)
        return [Batch(*r) for r in rows]

    async def articles(self, batch: Batch) -> list[Article]:
        rows = await self.store.fetchall(
            f"SELECT {_ARTICLE_COLS} FROM posts p JOIN articles a ON a.id = p.article_id "
            "WHERE p.batch_id = ? ORDER BY a.published DESC, a.ingested_at DESC",
            (batch.id,),
        )
        return [Article(*r) for r in rows]

    async def mark_sent(self, batch: Batch, message_id: int, now: dt.datetime) -> None:
        async with self.store.transaction() as conn:
            await conn.execute(
                "UPDATE post_batches SET state = 'sent', message_id = ?, sent_at = ?, "
                "last_error = NULL WHERE id = ?",
                (message_id, iso(now), batch.id),
            )
            await conn.execute(
                "UPDATE posts SET message_id = ?, posted_at = ? WHERE batch_id = ?",
                (message_id, iso(now), batch.id),
            )
            if batch.kind != "feed":
                await conn.execute(
                    "UPDATE guild_settings SET last_news_at = ?, last_error = NULL, "
                    "last_error_at = NULL WHERE guild = ?",
                    (iso(now), batch.guild),
                )

    async def mark_failed(
        self, batch: Batch, error: str, now: dt.datetime, *, permanent: bool
    ) -> bool:
        """Record a failed send; returns True when the batch was given up.

        A batch given up releases its articles (they were never seen), so a later post
        carries them once the channel or permission is fixed.
        """
        give_up = permanent or batch.attempts + 1 >= MAX_ATTEMPTS
        async with self.store.transaction() as conn:
            await conn.execute(
                "UPDATE post_batches SET attempts = attempts + 1, last_error = ?, state = ? "
                "WHERE id = ?",
                (error[:300], "failed" if give_up else "pending", batch.id),
            )
            if give_up:
                await conn.execute("DELETE FROM posts WHERE batch_id = ?", (batch.id,))
            await conn.execute(
                "INSERT INTO guild_settings(guild, last_error, last_error_at) VALUES (?, ?, ?) "
                "ON CONFLICT(guild) DO UPDATE SET last_error = excluded.last_error, "
                "last_error_at = excluded.last_error_at",
                (batch.guild, error[:300], iso(now)),
            )
        return give_up

    async def last_post(self, guild: int) -> tuple[str, int, int] | None:
        """(sent_at, channel, message_id) of the server's latest news post."""
        row = await self.store.fetchone(
            "SELECT sent_at, channel, message_id FROM post_batches WHERE guild = ? "
            "AND state = 'sent' ORDER BY sent_at DESC, id DESC LIMIT 1",
            (guild,),
        )
        return (row[0], row[1], row[2]) if row else None

    async def count_posted(self, guild: int) -> int:
        return await self.store.fetchval(
            "SELECT count(*) FROM posts WHERE guild = ? AND message_id IS NOT NULL",
            (guild,),
        )
