"""Teaser-only feed items get their linked page's article text (a real HTTP server on
127.0.0.1 serves the feed and the article pages)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.news.feed_repo import FeedRepository, poll
from bot.news.feeds import FeedItem, parse
from bot.news.page_text import PageReader, extract_article, is_fuller_story, is_teaser
from bot.news.repository import NewsRepository
from bot.news.web import WebError, open_session
from tests.feedserver import FeedServer

PAGES = Path(__file__).parent / "fixtures" / "pages"
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
GUILD = 7

# A feed item that carries its whole article (well over a teaser's length).
FULL_TEXT = " ".join([
    "The composer of Harbor Lights spent a year recording the sea before she wrote a note.",
    "She says the score began with the sound of ropes on a quay at night, slowed down until",
    "it became a kind of low song, and that the orchestra came in only when the story left",
    "the harbour. Most of the music was played by a small string group in one room, with the",
    "players facing each other rather than the conductor, so that they could follow each",
    "other's breathing. The director asked for no music at all in the first twenty minutes,",
    "which she first resisted and then came to see as the film's best decision. She wrote",
    "the main theme on an old upright piano in a rented flat by the water, and kept the",
    "recording of its first run-through, mistakes and all, in the finished film. She is now",
    "working on a stage version of the score, which will tour concert halls next autumn with",
    "the same players, and says she would like to write for a silent comedy one day, if",
    "anyone still makes them. The soundtrack album comes out in the spring on vinyl and on",
    "every streaming service, with two pieces that did not make it into the film at all.",
])  # fmt: skip


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    srv = await FeedServer().start()
    for name in ("night-train-director", "slate", "wall"):
        srv.serve(f"/news/{name}.html", (PAGES / f"{name}.html").read_bytes(), "text/html")
    feed = (PAGES / "teasers.xml").read_text().format(base=srv.url(""), full_text=FULL_TEXT)
    srv.serve("/feed.xml", feed)
    try:
        yield srv
    finally:
        await srv.stop()


def test_teaser_is_short_or_cut_off():
    assert is_teaser("Harbor Studios presented its summer slate on Monday. [...]")
    assert is_teaser("A two-line lead with no ellipsis is still only a lead.")
    assert is_teaser("")
    assert not is_teaser(FULL_TEXT)
    assert is_teaser(FULL_TEXT + " And then the story stops mid…")


def test_extract_article_keeps_the_story_and_drops_the_page_around_it():
    text = extract_article((PAGES / "night-train-director.html").read_bytes())
    assert "Night Train 2 will be directed by Tessa Moravec" in text
    assert "July 16, 2027" in text
    for chrome in ("Sign in", "Most read", "Reader one", "Copyright", "window.tracker"):
        assert chrome not in text


def test_a_page_replaces_the_teaser_only_when_it_tells_the_same_story_at_length():
    item = FeedItem("g", "https://x.example/a", "Night Train sequel finds its director",
                    dt.date(2026, 11, 23), "The sequel to last winter's surprise hit has "
                    "found the person who will take it back onto the rails…")  # fmt: skip
    story = extract_article((PAGES / "night-train-director.html").read_bytes())
    wall = extract_article((PAGES / "wall.html").read_bytes())
    assert is_fuller_story(story, item)
    assert not is_fuller_story(wall, item)  # long, but not this story
    assert not is_fuller_story(item.text + " One more line.", item)  # not longer by much


async def test_poll_stores_the_article_behind_each_teaser(store, server):
    repo = FeedRepository(store)
    feed = await repo.insert(GUILD, server.url("/feed.xml"), None, NOW, title=None, etag=None,
                             last_modified=None, next_poll=NOW)  # fmt: skip
    async with open_session(allow_private=True) as session:
        pages = PageReader(session, allow_private=True, time_limit=5)
        result = await poll(repo, session, feed, NOW, allow_private=True, pages=pages)
    assert result.status == "new" and len(result.new_articles) == 5
    news = NewsRepository(store)
    stored = {a.headline: a for a in [await news.get(i) for i in result.new_articles]}

    director = stored["Night Train sequel finds its director"]
    assert "Night Train 2 will be directed by Tessa Moravec" in director.body
    assert "Sign in" not in director.body and "Reader one" not in director.body
    assert not director.body.startswith("Night Train sequel finds its director")
    assert "Tessa Moravec" in director.summary  # summarised from the article, not the teaser
    assert director.url == server.url("/news/night-train-director.html")
    assert director.source == "Lantern Post"
    _, people = await news.mentions(director.id)
    assert "Tessa Moravec" in [name for _, name in people]  # facts from the page

    slate = stored["Studio slate: four films for next summer"]
    assert "June 4, 2027" in slate.body and "[...]" not in slate.body
    # a page that is gone, and a page that is a sign-in wall: the teaser is kept
    assert stored["Box office: a quiet weekend"].body.startswith("Ticket sales fell")
    review = stored["Members only: the year in review"]
    assert review.body.startswith("Our critics pick") and "sign in" not in review.body.lower()
    # an item that carries its whole text: its page is never fetched
    assert stored["Interview: the composer of Harbor Lights"].body == FULL_TEXT
    assert server.count("/news/composer.html") == 0
    assert server.count("/news/night-train-director.html") == 1
    # a second poll fetches no page again (the items are known)
    async with open_session(allow_private=True) as session:
        pages = PageReader(session, allow_private=True, time_limit=5)
        server.serve("/feed.xml", (PAGES / "teasers.xml").read_text().format(
            base=server.url(""), full_text=FULL_TEXT) + "\n")  # fmt: skip
        again = await poll(repo, session, await repo.get(feed.id), NOW + dt.timedelta(hours=1),
                           allow_private=True, pages=pages)  # fmt: skip
    assert again.status == "unchanged"
    assert server.count("/news/night-train-director.html") == 1


async def test_pages_get_the_same_guards_as_feeds(store, server):
    """Private addresses (unless allowed), the size cap and the time limit apply to pages."""
    teaser = "Harbor Studios presented its summer slate to exhibitors on Monday. [...]"
    items = parse((PAGES / "teasers.xml").read_text().format(
        base=server.url(""), full_text=FULL_TEXT).encode()).items  # fmt: skip
    slate = next(i for i in items if i.text == teaser)
    async with open_session() as session:  # private addresses not allowed
        reader = PageReader(session, time_limit=5)
        assert (await reader.expand(slate)).text == teaser
    assert server.count("/news/slate.html") == 0
    async with open_session(allow_private=True) as session:
        huge = FeedItem(None, server.url("/huge.xml"), "Huge", slate.published, teaser)
        slow = FeedItem(None, server.url("/slow.html"), "Slow", slate.published, teaser)
        server.slow["/slow.html"] = 2.0
        server.serve("/slow.html", "<html><body><p>late</p></body></html>", "text/html")
        server.serve("/clip.mp3", b"ID3" + b"\x00" * 5000, "audio/mpeg")
        clip = FeedItem(None, server.url("/clip.mp3"), "Clip", slate.published, teaser)
        reader = PageReader(session, allow_private=True, time_limit=0.5)
        assert [i.text for i in await reader.expand_all([huge, slow, clip])] == [teaser] * 3
        with pytest.raises(WebError, match=r"^the address holds audio/mpeg, not a web page$"):
            await reader.article_text(server.url("/clip.mp3"))
        assert (await reader.expand(slate)).text.startswith("Harbor Studios presented")
        assert "Copper Sky" in (await reader.expand(slate)).text
