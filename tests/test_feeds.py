"""Feeds against a real HTTP server on 127.0.0.1: fetch, 304, errors, dedup, ingest."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import aiohttp
import pytest

from bot.errors import UserFacingError
from bot.news.feed_repo import FeedRepository, backoff, poll
from bot.news.feeds import (
    FeedError,
    fetch,
    html_to_text,
    is_public_address,
    open_feed_session,
    parse,
)
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
    """The feed server is on 127.0.0.1, a private address: allowed explicitly."""
    async with open_feed_session(allow_private=True) as s:
        yield s


def poll_local(*args, **kwargs):
    return poll(*args, allow_private=True, **kwargs)


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
    result = await poll_local(repo, session, feed, NOW)
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
    again = await poll_local(repo, session, feed, NOW + dt.timedelta(hours=1))
    assert again.status == "not_modified" and again.new_articles == []
    assert server.count("/rss.xml", 304) == 1
    assert server.hits[-1][1].get("If-None-Match") == feed.etag


async def test_changed_feed_yields_only_the_new_item(store, server, session):
    server.serve_file("/atom.xml", "atom.xml", "application/atom+xml")
    repo = FeedRepository(store)
    feed = await repo.add(GUILD, server.url("/atom.xml"), 5, NOW)
    first = await poll_local(repo, session, feed, NOW)
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
    second = await poll_local(repo, session, await repo.get(feed.id), NOW + dt.timedelta(hours=1))
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
    result = await poll_local(repo, session, feed, NOW, time_limit=0.5)
    assert result.status == "error" and reason in result.error
    stored = await repo.get(feed.id)
    assert stored.failures == 1 and reason in stored.last_error
    assert stored.next_poll == NOW + backoff(1)
    result = await poll_local(repo, session, stored, NOW + backoff(1), time_limit=0.5)
    stored = await repo.get(feed.id)
    assert stored.failures == 2 and stored.next_poll == NOW + backoff(1) + backoff(2)
    assert backoff(2) > backoff(1)


async def test_one_broken_feed_does_not_stop_the_others(store, server, session):
    server.serve_file("/rss.xml", "rss.xml")
    repo = FeedRepository(store)
    await repo.add(GUILD, server.url("/gone.xml"), None, NOW)
    await repo.add(GUILD, server.url("/rss.xml"), None, NOW)
    results = [await poll_local(repo, session, f, NOW) for f in await repo.due(NOW)]
    assert [r.status for r in results] == ["error", "new"]


@pytest.mark.parametrize("url", ["", "ftp://x/feed", "javascript:alert(1)", "not a url",
                                 "http://", "https://x/" + "a" * 600, "http://example.com:port/rss",
                                 "http://example.com:99999/rss"])  # fmt: skip
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


@pytest.mark.parametrize(
    "address, public",
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata service
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4 loopback inside IPv6
        ("224.0.0.1", False),
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of the metadata service
        ("64:ff9b::5db8:d822", True),  # NAT64 of a public address
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("::7f00:1", False),  # IPv4-compatible loopback
        ("fec0::1", False),  # site-local
        ("::ffff:0:7f00:1", False),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo
        ("not-an-address", False),
    ],
)
def test_only_global_addresses_are_public(address, public):
    assert is_public_address(address) is public


async def test_feeds_on_private_addresses_are_refused_by_default(server, store):
    """Without MARQUEE_FEEDS_ALLOW_PRIVATE an admin cannot point the bot at internal hosts."""
    port = urlsplit(server.url("/rss.xml")).port
    async with open_feed_session() as session:
        for url in (
            f"http://127.0.0.1:{port}/rss.xml",  # an address literal
            f"http://localhost:{port}/rss.xml",  # a name that resolves to one
            f"http://[::1]:{port}/rss.xml",
        ):
            with pytest.raises(FeedError, match=r"^refused: .* is not a public address"):
                await fetch(session, url)
        with pytest.raises(FeedError, match="not a valid URL"):
            await fetch(session, "http://example.com:port/feed")
        assert server.hits == []  # no request ever reached it
        # through poll: the reason is recorded on the feed, nothing is stored
        repo = FeedRepository(store)
        feed = await repo.add(GUILD, f"http://localhost:{port}/rss.xml", None, NOW)
        result = await poll(repo, session, feed, NOW)
    assert result.status == "error" and result.new_articles == []
    stored = await repo.get(feed.id)
    assert stored is not None and (stored.last_error or "").startswith("refused:")
