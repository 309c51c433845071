"""/news search: plurals and typos forgiven with the catalog's typo machinery, and no
text a user types is FTS syntax."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.news.article import ArticleText
from bot.news.ingest import ingest_article, seed_from_dir
from bot.news.reading import query_words, refresh_typo_index, search, word_query

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
async def seeded(store):
    (seed,) = await seed_from_dir(store, DATA)
    return store, seed.article_id


@pytest.mark.parametrize(
    "query",
    ["stunt", "stunts", "STUNTS", "mcquarie", "McQuarrie's", "christopher mcquarie",
     "helicopters motorcycle", "jumps", "Dead Reckonin", "reckonning part one",
     "featurete"],
)  # fmt: skip
async def test_plurals_and_typos_find_the_seed_article(seeded, query):
    store, seed_id = seeded
    assert [a.id for a in await search(store, query)] == [seed_id]


async def test_unrelated_words_find_nothing(seeded):
    store, _ = seeded
    for query in ("zzzqqq", "stunts zzzqqq", "lighthouse"):
        assert await search(store, query) == []


async def test_new_articles_join_the_typo_index(seeded):
    store, _ = seeded
    assert await search(store, "lighthouses") == []
    added = await ingest_article(
        store, ArticleText(dt.date(2026, 11, 23), "A lighthouse keeper drama was greenlit."),
        source="Wire", headline="Lighthouse drama greenlit",
    )  # fmt: skip
    assert [a.id for a in await search(store, "lighthouses")] == [added.article_id]
    assert [a.id for a in await search(store, "grenlit")] == [added.article_id]
    assert not await refresh_typo_index(store)  # nothing changed since: no work


def test_query_words_are_letters_and_digits_as_the_index_holds_them():
    assert query_words('"Mission: Impossible"* NEAR(Cruise) -x_y Amélie') == [
        "mission", "impossible", "near", "cruise", "x", "y", "amelie",
    ]  # fmt: skip
    assert query_words("*-()^:") == []


@given(st.text(max_size=80), st.lists(st.text(max_size=12), max_size=3))
def test_no_text_is_fts_syntax(text, extra):
    """Whatever is typed (and whatever the corrections are), the MATCH expression is
    valid FTS5: it never raises."""
    words = query_words(text + " " + " ".join(extra))
    if not words:
        return
    groups = [[w] for w in words[:-1]] + [[words[-1] + "*", *words[:2]]]
    query = word_query(groups).fts5()
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t(a) VALUES ('some words here')")
    conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (query,)).fetchone()
