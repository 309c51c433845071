"""Reading news: article views with their mentions, full-text search, autocomplete.

User text never reaches FTS5 as syntax: it is cut into words of letters and digits and
each word becomes a quoted FTS string, so quotes, *, NEAR, -, :, AND/OR and parentheses
are just text. Search forgives plurals and typos as title search does, with the same
machinery (bot/catalog/search.py: `corrections` over a symmetric-delete index), here over
the words of the articles themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.catalog.normalize import normalize_key
from bot.catalog.search import TypoIndex, corrections, typo_index_rows
from bot.db.store import Store, WordQuery
from bot.news.repository import Article, NewsRepository
from bot.news.summarize import split_sentences
from bot.news.web import host_of

MAX_QUERY_WORDS = 12
# Runs of letters and digits: what FTS5's unicode61 tokenizer keeps as one token.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
NEWS_TYPOS = TypoIndex("news_typo_words", "news_typo_deletes")
_TYPO_STAMP = "news_typo_stamp"
_COLS_OF_S = "s.id, s.published, s.url, s.source, s.headline, s.body, s.summary"


# A source that is a file's name ("000_f6da5a4759fc8f00.txt", "article.txt") names no
# publisher: article files were once ingested with their file name as the source.
_FILE_NAME = re.compile(r"[^\s/\\]+\.(?:txt|text|md|markdown|html?|xml|json)", re.IGNORECASE)


def publisher(article: Article) -> str | None:
    """Who published the article (the source given at ingest, a feed's title), or None
    when nothing better than a file name is known. A bare address (feeds without a title
    were once credited so) is shown as its server's name."""
    source = (article.source or "").strip()
    if source.lower().startswith(("http://", "https://")):
        source = host_of(source)
    if not source or _FILE_NAME.fullmatch(source):
        return None
    return source


@dataclass(frozen=True)
class ArticleView:
    article: Article
    titles: list[str]
    people: list[str]

    @property
    def heading(self) -> str:
        """What the article is headed by: its headline, else the films it is about, else
        its first sentence when that is short (the summary then starts after it), else
        its publisher or date: never a sentence cut short and then repeated."""
        if self.article.headline:
            return self.article.headline
        if self.titles:
            return ", ".join(self.titles)
        first = _first_sentence(self.article)
        if len(first) <= LABEL_CHARS:
            return first
        source = publisher(self.article)
        return f"News from {source}" if source else f"News of {self.article.published}"

    @property
    def summary(self) -> str:
        """The summary without a first sentence that only repeats the heading (ingest
        summarises headline + body, and the embed already shows the heading)."""
        summary = self.article.summary
        sentences = split_sentences(summary)
        if len(sentences) > 1 and normalize_key(sentences[0]) == normalize_key(self.heading):
            return " ".join(sentences[1:])
        return summary


def query_words(text: str) -> list[str]:
    """The words of a query as the article index holds them (lower case, no accents)."""
    words: list[str] = []
    for token in _WORD.findall(text or ""):
        words.extend(normalize_key(token).split())
    return words[:MAX_QUERY_WORDS]


def word_query(groups: list[list[str]]) -> WordQuery | None:
    """Every group (one query word and its corrections) must match; a trailing * makes a
    prefix. query_words yields letters and digits only, so nothing is index syntax."""
    if not groups or not all(groups):
        return None
    return WordQuery.all_of(groups)


async def view(store: Store, article: Article) -> ArticleView:
    titles, people = await NewsRepository(store).mentions(article.id)
    return ArticleView(article, [t for _, t in titles], [p for _, p in people])


async def views(store: Store, articles: list[Article]) -> list[ArticleView]:
    return [await view(store, a) for a in articles]


async def search(store: Store, text: str, limit: int = 5) -> list[Article]:
    """Articles holding every word of `text` (the last one also as a prefix, since it may
    be half typed), best first; a word no article holds, or a query nothing matches, is
    retried with its likely spellings ("stunts" finds "stunt", "mcquarie" "McQuarrie")."""
    words = query_words(text)
    if not words:
        return []
    await refresh_typo_index(store)
    marks = ",".join("?" * len(words))
    known = {
        row[0] for row in await store.fetchall(
            f"SELECT word FROM {NEWS_TYPOS.vocab} WHERE word IN ({marks})", words
        )
    }  # fmt: skip
    last = len(words) - 1
    groups = [[w] if w in known else [] for w in words[:last]] + [[words[last] + "*"]]
    found = await _matching(store, groups, limit) if all(groups) else []
    if found:
        return found
    fixed = [list(g) for g in groups]
    for i, word in enumerate(words):
        if i == last or word not in known:
            fixed[i] += [c for c, _ in await corrections(store, word, NEWS_TYPOS)]
    return await _matching(store, fixed, limit) if fixed != groups else []


async def _matching(store: Store, groups: list[list[str]], limit: int) -> list[Article]:
    query = word_query(groups)
    if query is None:
        return []
    rows = await store.match_words("articles", query, limit, _COLS_OF_S)
    return [Article(*r) for r in rows]


async def refresh_typo_index(store: Store) -> bool:
    """Bring the typo index up to the articles' words when the articles changed since it
    was built (one cheap read otherwise); True if it did work."""
    row = await store.fetchone("SELECT count(*), coalesce(max(rowid), 0) FROM articles")
    stamp = f"{row[0]}:{row[1]}"
    if await store.get_meta(_TYPO_STAMP) == stamp or store.in_transaction:
        return False
    async with store.transaction() as conn:
        current = await store.word_counts("articles")
        indexed = {w for (w,) in await store.fetchall(f"SELECT word FROM {NEWS_TYPOS.vocab}")}
        gone = indexed - current.keys()
        added = [w for w in current if w not in indexed]
        await conn.executemany(f"DELETE FROM {NEWS_TYPOS.vocab} WHERE word = ?",
                               [(w,) for w in gone])  # fmt: skip
        await conn.executemany(f"DELETE FROM {NEWS_TYPOS.deletes} WHERE variant = ? AND word = ?",
                               list(typo_index_rows(gone)))  # fmt: skip
        await conn.executemany(
            f"INSERT INTO {NEWS_TYPOS.vocab}(word, n) VALUES (?, ?) "
            "ON CONFLICT(word) DO UPDATE SET n = excluded.n",
            list(current.items()),
        )
        await conn.executemany(
            f"INSERT INTO {NEWS_TYPOS.deletes}(variant, word) VALUES (?, ?) ON CONFLICT DO NOTHING",
            list(typo_index_rows(w for w in added if w.isalpha())),
        )
        await conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (_TYPO_STAMP, stamp),
        )
    return True


LABEL_CHARS = 120


def _first_sentence(article: Article) -> str:
    sentences = split_sentences(article.summary or article.body[:2000])
    return " ".join((sentences[0] if sentences else article.summary).split())


def label(article: Article) -> str:
    """How an article is named in lists and autocomplete: its headline, else the first
    sentence of its summary (cut at a word, since a lead can be long)."""
    if article.headline:
        return article.headline
    first = _first_sentence(article)
    if len(first) <= LABEL_CHARS:
        return first
    return first[: LABEL_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:–-") + "…"


async def choices(store: Store, current: str, limit: int = 25) -> list[tuple[str, str]]:
    """(label, article id) pairs for autocomplete: matches, or the latest when empty."""
    found = await search(store, current, limit) if current.strip() else []
    if not found:
        found = await NewsRepository(store).latest(limit)
    return [(f"{a.published} · {label(a)}", a.id) for a in found]
