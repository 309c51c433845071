"""Reading news: article views with their mentions, full-text search, autocomplete.

User text never reaches FTS5 as syntax: it is cut into words and each word becomes a
quoted FTS string, so quotes, *, NEAR, -, AND/OR and parentheses are just text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.catalog.normalize import normalize_key
from bot.db.store import Store
from bot.news.repository import Article, NewsRepository
from bot.news.summarize import split_sentences

MAX_QUERY_WORDS = 12
_WORD = re.compile(r"\w+", re.UNICODE)
_COLS = "a.id, a.published, a.url, a.source, a.headline, a.body, a.summary"


@dataclass(frozen=True)
class ArticleView:
    article: Article
    titles: list[str]
    people: list[str]

    @property
    def summary(self) -> str:
        """The summary without a first sentence that only repeats the headline
        (ingest summarises headline + body, and the embed already shows the headline)."""
        summary, headline = self.article.summary, self.article.headline
        if not headline:
            return summary
        key = normalize_key(headline)
        sentences = split_sentences(summary)
        if len(sentences) > 1 and normalize_key(sentences[0]) == key:
            return " ".join(sentences[1:])
        return summary


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression: every word quoted, the last one also as a prefix."""
    words = _WORD.findall(text or "")[:MAX_QUERY_WORDS]
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] = quoted[-1] + "*"
    return " ".join(quoted)


async def view(store: Store, article: Article) -> ArticleView:
    titles, people = await NewsRepository(store).mentions(article.id)
    return ArticleView(article, [t for _, t in titles], [p for _, p in people])


async def views(store: Store, articles: list[Article]) -> list[ArticleView]:
    return [await view(store, a) for a in articles]


async def search(store: Store, text: str, limit: int = 5) -> list[Article]:
    query = fts_query(text)
    if query is None:
        return []
    rows = await store.fetchall(
        f"SELECT {_COLS} FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
        "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 4.0, 1.0), a.published DESC "
        "LIMIT ?",
        (query, limit),
    )
    return [Article(*r) for r in rows]


LABEL_CHARS = 120


def label(article: Article) -> str:
    """How an article is named in lists and autocomplete: its headline, else the first
    sentence of its summary (cut at a word, since a lead can be long)."""
    if article.headline:
        return article.headline
    sentences = split_sentences(article.summary or article.body[:2000])
    first = " ".join((sentences[0] if sentences else article.summary).split())
    if len(first) <= LABEL_CHARS:
        return first
    return first[: LABEL_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:–-") + "…"


async def choices(store: Store, current: str, limit: int = 25) -> list[tuple[str, str]]:
    """(label, article id) pairs for autocomplete: matches, or the latest when empty."""
    found = await search(store, current, limit) if current.strip() else []
    if not found:
        found = await NewsRepository(store).latest(limit)
    return [(f"{a.published} · {label(a)}", a.id) for a in found]
