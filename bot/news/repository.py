"""SQL for articles and what they mention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.db.store import Store


@dataclass(frozen=True)
class Article:
    id: str
    published: str
    url: str | None
    source: str
    headline: str | None
    body: str
    summary: str


_COLS = "id, published, url, source, headline, body, summary"


class NewsRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def exists(self, article_id: str, url: str | None = None) -> bool:
        row = await self.store.fetchone(
            "SELECT 1 FROM articles WHERE id = ? OR (CAST(? AS TEXT) IS NOT NULL AND url = ?)",
            (article_id, url, url),
        )
        return row is not None

    async def insert(
        self,
        *,
        article_id: str,
        published: dt.date,
        body: str,
        undated: bool = False,
        summary: str,
        source: str,
        url: str | None = None,
        headline: str | None = None,
        norm_headline: str | None = None,
    ) -> None:
        """Insert inside the caller's transaction."""
        await self.store.execute(
            "INSERT INTO articles(id, published, url, source, headline, norm_headline, body,"
            " summary, ingested_at, undated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                published.isoformat(),
                url,
                source,
                headline,
                norm_headline,
                body,
                summary,
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                int(undated),
            ),
        )

    async def add_mention(
        self, article_id: str, entity: str, entity_id: int, *, evidence: str | None = None
    ) -> None:
        """Record that the article names the entity, with the sentence that ties it."""
        await self.store.execute(
            "INSERT INTO article_mentions(article_id, entity, entity_id, evidence)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (article_id, entity, entity_id, evidence),
        )

    async def get(self, article_id: str) -> Article | None:
        row = await self.store.fetchone(f"SELECT {_COLS} FROM articles WHERE id = ?", (article_id,))
        return Article(*row) if row else None

    async def latest(self, count: int = 5) -> list[Article]:
        rows = await self.store.fetchall(
            f"SELECT {_COLS} FROM articles ORDER BY published DESC, ingested_at DESC LIMIT ?",
            (count,),
        )
        return [Article(*r) for r in rows]

    async def mentions(
        self, article_id: str
    ) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """(titles, people) the article mentions, as (id, name) pairs."""
        titles = await self.store.fetchall(
            "SELECT t.id, t.title FROM article_mentions m JOIN titles t ON t.id = m.entity_id "
            "WHERE m.article_id = ? AND m.entity = 'title' ORDER BY t.title",
            (article_id,),
        )
        people = await self.store.fetchall(
            "SELECT p.id, p.name FROM article_mentions m JOIN people p ON p.id = m.entity_id "
            "WHERE m.article_id = ? AND m.entity = 'person' ORDER BY p.name",
            (article_id,),
        )
        return [(r[0], r[1]) for r in titles], [(r[0], r[1]) for r in people]
