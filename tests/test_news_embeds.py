"""News embeds fit Discord's limits by construction, whatever the articles hold."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.news.reading import ArticleView, publisher
from bot.news.reminders import Firing, ReleaseDate, Reminder
from bot.news.repository import Article
from bot.ui import limits
from bot.ui.news_embeds import article_embed, digest_embed, mentioned_ids, reminder_content


def embed_chars(embed) -> int:
    d = embed.to_dict()
    total = len(d.get("title", "")) + len(d.get("description", ""))
    total += len((d.get("footer") or {}).get("text", ""))
    total += sum(len(f["name"]) + len(f["value"]) for f in d.get("fields", []))
    return total


def check_limits(embed) -> None:
    d = embed.to_dict()
    assert len(d.get("title", "")) <= limits.EMBED_TITLE
    assert len(d.get("description", "")) <= limits.EMBED_DESCRIPTION
    assert len(d.get("fields", [])) <= limits.EMBED_FIELDS
    for f in d.get("fields", []):
        assert 0 < len(f["name"]) <= limits.FIELD_NAME and 0 < len(f["value"]) <= limits.FIELD_VALUE
    assert embed_chars(embed) <= limits.EMBED_TOTAL


def view(i: int, size: int) -> ArticleView:
    text = ("word " * size).strip() + "."
    article = Article(
        id=f"a{i}", published="2026-11-23", url=f"https://x.example/{'p' * size}"[:2000],
        source="S" * size, headline=("Headline " * size)[:size] or None, body=text, summary=text,
    )  # fmt: skip
    return ArticleView(article, [f"Film {j} " + "t" * size for j in range(30)],
                       [f"Person {j} @everyone" for j in range(30)])  # fmt: skip


@pytest.mark.parametrize("size", [0, 1, 50, 500, 5000])
@pytest.mark.parametrize("count", [1, 2, 10, 30])
def test_digest_fits(size, count):
    views = [view(i, size) for i in range(count)]
    embed = digest_embed(views, marker="abcdef0123")
    check_limits(embed)
    assert "ref abcdef0123" in embed.footer.text


def test_article_embed_fits_and_neutralises_mentions():
    embed = article_embed(view(0, 5000), marker="m")
    check_limits(embed)
    assert "@everyone" not in str(embed.to_dict())


def test_reminder_content_fits_and_only_pings_listed_users():
    reminder = Reminder(1, 2, 3, 4, "Harbor *Lights* @here", "US", 3, 7)
    firing = Firing(reminder, ReleaseDate(dt.date(2026, 12, 1), "US", "theatrical", "m", "x"),
                    3, "feedc0ffee", 3)  # fmt: skip
    users = list(range(10**17, 10**17 + 300))
    text = reminder_content(firing, users)
    assert len(text) <= limits.CONTENT
    pinged = mentioned_ids(text)
    assert pinged and set(pinged) <= set(users) and len(pinged) <= 100
    assert "@here" not in text.replace("@\u200bhere", "")
    assert "comes out in 3 days" in text and "ref feedc0ffee" in text


def test_headline_less_article_is_titled_by_its_film_not_its_first_sentence():
    text = "A studio released a trailer today. It shows the new cast."
    article = Article(
        id="x", published="2026-11-23", url=None, source="file.txt", headline=None,
        body=text, summary=text,
    )  # fmt: skip
    titled = article_embed(ArticleView(article, ["Some Film"], []))
    assert titled.title == "Some Film"
    assert titled.fields[0].value == "2026-11-23"  # no file name where the source would be
    untitled = article_embed(ArticleView(article, [], []))
    assert untitled.title == "A studio released a trailer today."
    assert untitled.description == "It shows the new cast."  # not the heading again


def test_a_long_first_sentence_is_never_cut_into_a_heading_and_repeated():
    first = "A studio released a trailer today for a film " + "that nobody had seen " * 8 + "."
    text = first + " It shows the new cast."
    article = Article(
        id="x", published="2026-11-23", url="https://wire.example/a", source="Wire",
        headline=None, body=text, summary=text,
    )  # fmt: skip
    digest = digest_embed([ArticleView(article, [], []), ArticleView(article, [], [])])
    assert [f.name for f in digest.fields] == ["News from Wire", "News from Wire"]
    assert digest.fields[0].value.startswith("A studio released a trailer today")
    assert "Wire · [link](https://wire.example/a)" in digest.fields[0].value


@pytest.mark.parametrize(
    ("source", "shown"),
    [("Reel Daily", "Reel Daily"), ("000_f6da5a4759fc8f00.txt", None), ("article.txt", None),
     ("https://www.reel.example/feed.xml", "reel.example"), ("", None)],
)  # fmt: skip
def test_sources_show_as_publishers_never_as_file_names(source, shown):
    article = Article(
        id="x",
        published="2026-11-23",
        url=None,
        source=source,
        headline="A headline",
        body="Body text here.",
        summary="Body text here.",
    )
    assert publisher(article) == shown
    meta = article_embed(ArticleView(article, [], [])).fields[0].value
    assert meta == ("2026-11-23" + (f" · {shown}" if shown else ""))
