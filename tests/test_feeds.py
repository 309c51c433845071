"""Feeds against a real HTTP server on 127.0.0.1: fetch, 304, errors, dedup, ingest."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.errors import UserFacingError
from bot.news.feed_repo import FeedRepository, backoff, poll
from bot.news.feeds import FeedError, html_to_text, parse
from bot.news.reading import view
from bot.news.repository import NewsRepository
from tests.feedserver import FEEDS, FeedServer

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
GUILD = 111


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    srv = await FeedServer().start()
    try:
        yield srv
    finally:
        await srv.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


def test_html_to_text_drops_markup_scripts_and_entities():
    text = html_to_text("<p>One &amp; <b>two</b></p><script>evil()</script><p>Three&nbsp;x</p>")
    assert text == "One & two\n\nThree x"
    assert html_to_text("plain text") == "plain text"
    assert html_to_text("") == ""


def test_parse_rss_and_atom():
    rss = parse((FEEDS / "rss.xml").read_bytes())
    assert rss.title == "Reel Daily"
    first = rss.items[0]
    assert first.title == "Lena Ortiz joins the cast of Harbor Lights"
    assert "<" not in first.text and "alert" not in first.text
    assert first.published == dt.date(2026, 11, 23)
    atom = parse((FEEDS / "atom.xml").read_bytes())
    assert atom.items[0].title == "Night Train sequel moves to summer"
    assert atom.items[0].link == "https://screenwire.example/night-train-2"
    assert '"more time in the edit."' in atom.items[0].text


def test_not_a_feed_is_refused():
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse((FEEDS / "not_a_feed.html").read_bytes())
    with pytest.raises(FeedError):
        parse(b"\x00\x01garbage")


async def test_poll_ingests_items_once_and_dedupes(store, server, session):
    server.serve_file("/rss.xml", "rss.xml")
    repo = FeedRepository(store)
    feed = await repo.add(GUILD, server.url("/rss.xml"), None, NOW)
    result = await poll(repo, session, feed, NOW)
    assert result.status == "new"
    # the third item repeats the second one's title and link (trailing slash): one article
    assert len(result.new_articles) == 2
    news = NewsRepository(store)
    article = await news.get(result.new_articles[0])
    assert article.headline == "Lena Ortiz joins the cast of Harbor Lights"
    assert article.url == "https://reel.example/news/harbor-lights-cast"
    assert article.source == "Reel Daily"
    assert "<" not in article.body and article.summary
    # stored through ingest, so extraction linked the item to what it mentions
    titles, people = await news.mentions(article.id)
    assert titles or people
    shown = (await view(store, article)).summary
    assert shown and not shown.startswith(article.headline)
    # second poll: conditional GET answered 304, nothing new
    feed = await repo.get(feed.id)
    assert feed.etag
    again = await poll(repo, session, feed, NOW + dt.timedelta(hours=1))
    assert again.status == "not_modified" and again.new_articles == []
    assert server.count("/rss.xml", 304) == 1
    assert server.hits[-1][1].get("If-None-Match") == feed.etag


async def test_changed_feed_yields_only_the_new_item(store, server, session):
    server.serve_file("/atom.xml", "atom.xml", "application/atom+xml")
    repo = FeedRepository(store)
    feed = await repo.add(GUILD, server.url("/atom.xml"), 5, NOW)
    first = await poll(repo, session, feed, NOW)
    assert len(first.new_articles) == 2
    body = (
        (FEEDS / "atom.xml")
        .read_text()
        .replace(
            "<entry>",
            "<entry><title>Fresh casting news today</title><id>urn:screenwire:fresh</id>"
            '<link href="https://screenwire.example/fresh"/><updated>2026-11-23T11:00:00Z</updated>'
            "<summary>A new casting story arrived with several words in it.</summary>"
            "</entry><entry>",
            1,
        )
    )
    server.serve("/atom.xml", body, "application/atom+xml")
    second = await poll(repo, session, await repo.get(feed.id), NOW + dt.timedelta(hours=1))
    assert second.status == "new" and len(second.new_articles) == 1
    assert (await NewsRepository(store).get(second.new_articles[0])).headline == (
        "Fresh casting news today"
    )


@pytest.mark.parametrize(
    ("setup", "path", "reason"),
    [
        (lambda s: None, "/missing.xml", "HTTP 404"),
        (lambda s: s.serve_file("/page.html", "not_a_feed.html", "text/html"), "/page.html",
         "not an RSS or Atom feed"),
        (lambda s: s.slow.__setitem__("/slow.xml", 2.0) or s.serve_file("/slow.xml", "rss.xml"),
         "/slow.xml", "timed out"),
        (lambda s: None, "/huge.xml", "too large"),
        (lambda s: s.status.__setitem__("/boom.xml", 500), "/boom.xml", "HTTP 500"),
    ],
)  # fmt: skip
async def test_broken_feed_is_recorded_with_backoff(store, server, session, setup, path, reason):
    setup(server)
    repo = FeedRepository(store)
    feed = await repo.add(GUILD, server.url(path), None, NOW)
    result = await poll(repo, session, feed, NOW, time_limit=0.5)
    assert result.status == "error" and reason in result.error
    stored = await repo.get(feed.id)
    assert stored.failures == 1 and reason in stored.last_error
    assert stored.next_poll == NOW + backoff(1)
    result = await poll(repo, session, stored, NOW + backoff(1), time_limit=0.5)
    stored = await repo.get(feed.id)
    assert stored.failures == 2 and stored.next_poll == NOW + backoff(1) + backoff(2)
    assert backoff(2) > backoff(1)


async def test_one_broken_feed_does_not_stop_the_others(store, server, session):
    server.serve_file("/rss.xml", "rss.xml")
    repo = FeedRepository(store)
    await repo.add(GUILD, server.url("/gone.xml"), None, NOW)
    await repo.add(GUILD, server.url("/rss.xml"), None, NOW)
    results = [await poll(repo, session, f, NOW) for f in await repo.due(NOW)]
    assert [r.status for r in results] == ["error", "new"]


@pytest.mark.parametrize("url", ["", "ftp://x/feed", "javascript:alert(1)", "not a url",
                                 "http://", "https://x/" + "a" * 600])  # fmt: skip
async def test_bad_urls_are_refused(store, url):
    with pytest.raises(UserFacingError):
        await FeedRepository(store).add(GUILD, url, None, NOW)


async def test_remove_and_list(store, server):
    repo = FeedRepository(store)
    feed = await repo.add(GUILD, server.url("/rss.xml"), None, NOW)
    await repo.add(GUILD + 1, server.url("/rss.xml"), None, NOW)
    assert [f.url for f in await repo.list(GUILD)] == [feed.url]
    assert await repo.remove(GUILD, str(feed.id))
    assert not await repo.remove(GUILD, feed.url)
    assert await repo.list(GUILD) == [] and len(await repo.list(GUILD + 1)) == 1
