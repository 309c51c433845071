"""Feeds against a real HTTP server on 127.0.0.1: fetch, 304, errors, dedup, ingest, and
one fetch per interval however many processes poll."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import aiohttp
import pytest

from bot.errors import UserFacingError
from bot.news.feed_repo import (
    POLL_EVERY,
    POLL_LEASE,
    FeedRepository,
    backoff,
    poll,
    poll_claimed,
    subscribe,
)
from bot.news.feeds import FeedError, html_to_text, parse
from bot.news.reading import view
from bot.news.repository import NewsRepository
from bot.news.web import WebError, fetch, is_public_address, open_session
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
    async with open_session(allow_private=True) as s:
        yield s


def poll_local(*args, **kwargs):
    return poll(*args, allow_private=True, **kwargs)


async def add_unchecked(repo: FeedRepository, guild: int, url: str, channel=None):
    """A feed row as if added earlier, due now (polls are what these tests exercise)."""
    return await repo.insert(guild, url, channel, NOW, title=None, etag=None,
                             last_modified=None, next_poll=NOW)  # fmt: skip


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
    with pytest.raises(FeedError, match="does not hold an RSS or Atom feed"):
        parse((FEEDS / "not_a_feed.html").read_bytes())
    with pytest.raises(FeedError):
        parse(b"\x00\x01garbage")


async def test_poll_ingests_items_once_and_dedupes(store, server, session):
    server.serve_file("/rss.xml", "rss.xml")
    repo = FeedRepository(store)
    feed = await add_unchecked(repo, GUILD, server.url("/rss.xml"))
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
    feed = await add_unchecked(repo, GUILD, server.url("/atom.xml"), 5)
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
        (lambda s: None, "/missing.xml", "the server answered 404: not found"),
        (lambda s: s.serve_file("/page.html", "not_a_feed.html", "text/html"), "/page.html",
         "that address does not hold an RSS or Atom feed"),
        (lambda s: s.slow.__setitem__("/slow.xml", 2.0) or s.serve_file("/slow.xml", "rss.xml"),
         "/slow.xml", "the server did not answer within 0.5 seconds"),
        (lambda s: None, "/huge.xml", "the file is larger than the 2 MB limit"),
        (lambda s: s.status.__setitem__("/boom.xml", 500), "/boom.xml",
         "the server answered 500: internal server error"),
    ],
)  # fmt: skip
async def test_broken_feed_is_recorded_with_backoff(store, server, session, setup, path, reason):
    setup(server)
    repo = FeedRepository(store)
    feed = await add_unchecked(repo, GUILD, server.url(path))
    result = await poll_local(repo, session, feed, NOW, time_limit=0.5)
    assert result.status == "error" and result.error == reason
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
    await add_unchecked(repo, GUILD, server.url("/gone.xml"))
    await add_unchecked(repo, GUILD, server.url("/rss.xml"))
    results = [await poll_local(repo, session, f, NOW) for f in await repo.due(NOW)]
    assert [r.status for r in results] == ["error", "new"]


def add_checked(repo, session, url, guild=GUILD, **kwargs):
    return subscribe(repo, session, guild, url, None, NOW, allow_private=True, time_limit=2,
                     **kwargs)  # fmt: skip


# An exception's class name (ClientConnectorDNSError, TimeoutError...) never reaches a user.
_EXCEPTION_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Exception)\b")


def one_plain_sentence(text: str) -> bool:
    return (
        text[:1].isupper() and text.endswith(".") and text.count(". ") == 0
        and "\n" not in text and not _EXCEPTION_NAME.search(text)
    )  # fmt: skip


@pytest.mark.parametrize(
    ("path", "setup", "reason"),
    [
        ("/missing.xml", None, "the server answered 404: not found"),
        ("/page.html", lambda s: s.serve_file("/page.html", "not_a_feed.html", "text/html"),
         "that address is a web page, and it links no RSS or Atom feed"),
        ("/notes.txt", lambda s: s.serve("/notes.txt", "just some words", "text/plain"),
         "that address does not hold an RSS or Atom feed"),
        ("/huge.xml", lambda s: setattr(s, "huge_bytes", 5 * 1024 * 1024),
         "the file is larger than the 2 MB limit"),
        ("/broken.xml", lambda s: s.status.__setitem__("/broken.xml", 503),
         "the server answered 503: service unavailable"),
    ],
)  # fmt: skip
async def test_what_cannot_be_a_feed_is_refused_and_not_stored(
    store, server, session, path, setup, reason
):
    if setup:
        setup(server)
    repo = FeedRepository(store)
    with pytest.raises(UserFacingError) as refused:
        await add_checked(repo, session, server.url(path))
    assert str(refused.value) == f"I can't add that feed: {reason}."
    assert one_plain_sentence(str(refused.value).replace("404: not", "404 not"))
    assert await repo.list(GUILD) == [] and server.count(path) == 1


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://exa mple.com/feed", "a web address cannot contain spaces"),
        ("http://nonexistent.invalid/feed.xml", "that server could not be found"),
        ("ftp://example.com/feed", "the address must start with http:// or https://"),
        ("not a url", "a web address cannot contain spaces"),
        ("javascript:alert(1)", "the address must start with http:// or https://"),
        ("http://", "the address must start with http:// or https://"),
        ("https://x.example/" + "a" * 600, "the address is longer than 500 characters"),
        ("http://example.com:port/rss", "the address's port must be a number"),
        ("http://example.com:99999/rss", "the address's port must be a number"),
        ("http://exa_mple..com/rss", "exa_mple..com is not a valid server name"),
    ],
)
async def test_bad_addresses_are_refused_in_a_sentence(store, url, reason):
    repo = FeedRepository(store)
    async with open_session() as session:
        with pytest.raises(UserFacingError) as refused:
            await subscribe(repo, session, GUILD, url, None, NOW, time_limit=5)
    text = str(refused.value)
    assert text.startswith(f"I can't add that feed: {reason}") and one_plain_sentence(text)
    assert await repo.list(GUILD) == []


async def test_private_addresses_are_refused_unless_allowed(store, server):
    server.serve_file("/rss.xml", "rss.xml")
    repo = FeedRepository(store)
    async with open_session() as session:
        with pytest.raises(UserFacingError) as refused:
            await subscribe(repo, session, GUILD, server.url("/rss.xml"), None, NOW)
    assert str(refused.value) == (
        "I can't add that feed: 127.0.0.1 is not a public internet address."
    )
    assert server.hits == [] and await repo.list(GUILD) == []
    async with open_session(allow_private=True) as session:
        added = await add_checked(repo, session, server.url("/rss.xml"))
    assert added.feed.title == "Reel Daily" and len(added.new_articles) == 2
    assert server.count("/rss.xml") == 1  # checked and read with one fetch


async def test_a_page_that_links_a_feed_adds_that_feed(store, server, session):
    server.serve_file("/atom.xml", "atom.xml", "application/atom+xml")
    server.serve(
        "/news/", '<!doctype html><html><head><title>Screen Wire</title>'
        '<link rel="stylesheet" href="/site.css">'
        '<link rel="alternate" type="application/atom+xml" title="All news" href="../atom.xml">'
        "</head><body><p>Latest stories</p></body></html>", "text/html; charset=utf-8",
    )  # fmt: skip
    repo = FeedRepository(store)
    added = await add_checked(repo, session, server.url("/news/"))
    assert added.feed.url == server.url("/atom.xml") and added.feed.title == "Screen Wire"
    assert len(added.new_articles) == 2
    # the page again, or the feed itself (another spelling): already there, nothing added
    feed_url = server.url("/atom.xml")
    for again in (server.url("/news/"), feed_url + "/", feed_url.replace("http:", "HTTP:")):
        with pytest.raises(UserFacingError, match=r"already follows .*\(feed 1\)\.$"):
            await add_checked(repo, session, again)
    assert [f.url for f in await repo.list(GUILD)] == [server.url("/atom.xml")]


async def test_feed_numbers_count_per_server_and_remove_by_number(store, server, session):
    server.serve_file("/rss.xml", "rss.xml")
    server.serve_file("/atom.xml", "atom.xml", "application/atom+xml")
    repo = FeedRepository(store)
    other = await add_checked(repo, session, server.url("/atom.xml"), guild=GUILD + 1)
    first = await add_checked(repo, session, server.url("/rss.xml"))
    second = await add_checked(repo, session, server.url("/atom.xml"))
    assert (other.feed.number, first.feed.number, second.feed.number) == (1, 1, 2)
    assert [f.number for f in await repo.list(GUILD)] == [1, 2]
    assert await repo.remove(GUILD, "1")
    assert [f.url for f in await repo.list(GUILD)] == [server.url("/atom.xml")]
    assert [f.number for f in await repo.list(GUILD + 1)] == [1]  # the other server's stays
    third = await add_checked(repo, session, server.url("/rss.xml"))
    assert third.feed.number == 3  # numbers are not reused while others stand
    assert not await repo.remove(GUILD, "1")
    assert await repo.remove(GUILD, server.url("/atom.xml"))
    assert [f.number for f in await repo.list(GUILD)] == [3]


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
    async with open_session() as session:
        for url in (
            f"http://127.0.0.1:{port}/rss.xml",  # an address literal
            f"http://localhost:{port}/rss.xml",  # a name that resolves to one
            f"http://[::1]:{port}/rss.xml",
        ):
            with pytest.raises(WebError, match=r"^\S+ is not a public internet address$"):
                await fetch(session, url)
        with pytest.raises(WebError, match="port must be a number"):
            await fetch(session, "http://example.com:port/feed")
        assert server.hits == []  # no request ever reached it
        # through poll: the reason is recorded on the feed, nothing is stored
        repo = FeedRepository(store)
        feed = await add_unchecked(repo, GUILD, f"http://localhost:{port}/rss.xml")
        result = await poll(repo, session, feed, NOW)
    assert result.status == "error" and result.new_articles == []
    stored = await repo.get(feed.id)
    assert stored is not None and stored.last_error == "localhost is not a public internet address"


async def test_items_are_credited_to_the_feed_title_else_its_server(store, server, session):
    untitled = (FEEDS / "rss.xml").read_text().replace("<title>Reel Daily</title>", "", 1)
    server.serve("/untitled.xml", untitled)
    added = await add_checked(FeedRepository(store), session, server.url("/untitled.xml"))
    article = await NewsRepository(store).get(added.new_articles[0])
    assert added.feed.title is None and article.source == "127.0.0.1"
    assert article.url == "https://reel.example/news/harbor-lights-cast"


# -- several processes over one store ---------------------------------------------------
# Each owner token stands for one bot process (two given the same shard by mistake);
# `asyncio.gather` runs their polls at the same time (truly concurrent on PostgreSQL's
# pool; SQLite serialises writers and must give the same answers).

A, B = 111, 222  # two processes' tokens


def both_poll(repo, session, feed, moment):
    """The two processes' ticks reaching the same due feed at the same moment."""
    return asyncio.gather(
        *(
            poll_claimed(repo, session, feed, moment, owner=owner, allow_private=True)
            for owner in (A, B)
        )
    )


async def claim_of(store, feed_id: int) -> tuple:
    row = await store.fetchone(
        "SELECT poll_claimed_by, poll_lease_until FROM feeds WHERE id = ?", (feed_id,)
    )
    return row[0], row[1]


async def test_two_processes_fetch_each_due_feed_once_per_interval(store, server, session):
    repo = FeedRepository(store)
    feeds = []
    for path, name in (("/rss.xml", "rss.xml"), ("/atom.xml", "atom.xml")):
        server.serve_file(path, name)
        feeds.append(await add_unchecked(repo, GUILD, server.url(path)))
    for feed in feeds:
        results = await both_poll(repo, session, feed, NOW)
        assert sum(r is not None for r in results) == 1  # one process polled it
        assert next(r for r in results if r is not None).status == "new"
    assert [server.count(p) for p in ("/rss.xml", "/atom.xml")] == [1, 1]
    assert await claim_of(store, feeds[0].id) == (None, None)  # recorded: given up
    # within the interval neither process polls again
    soon = NOW + dt.timedelta(minutes=5)
    for feed in feeds:
        assert await both_poll(repo, session, await repo.get(feed.id), soon) == [None, None]
    # the next interval: once more, by one of them
    later = NOW + POLL_EVERY
    for feed in feeds:
        results = await both_poll(repo, session, await repo.get(feed.id), later)
        assert sum(r is not None for r in results) == 1
    assert [server.count(p) for p in ("/rss.xml", "/atom.xml")] == [2, 2]
    assert server.count("/rss.xml", 304) == 1  # the second fetch was conditional


async def test_a_process_that_dies_mid_poll_frees_the_feed_when_its_lease_runs_out(
    store, server, session
):
    server.serve_file("/rss.xml", "rss.xml")
    repo = FeedRepository(store)
    feed = await add_unchecked(repo, GUILD, server.url("/rss.xml"))
    assert await repo.claim_poll(feed.id, A, NOW)  # A takes the poll, then is killed
    assert await claim_of(store, feed.id) == (A, (NOW + POLL_LEASE).isoformat())
    held = NOW + POLL_LEASE - dt.timedelta(seconds=1)
    assert await poll_claimed(repo, session, feed, held, owner=B, allow_private=True) is None
    assert server.count("/rss.xml") == 0
    expired = NOW + POLL_LEASE + dt.timedelta(seconds=1)
    result = await poll_claimed(repo, session, feed, expired, owner=B, allow_private=True)
    assert result is not None and result.status == "new"
    assert server.count("/rss.xml") == 1
    assert await claim_of(store, feed.id) == (None, None)


async def test_a_failed_poll_gives_the_claim_up_and_backs_off(store, server, session):
    server.status["/down.xml"] = 503
    repo = FeedRepository(store)
    feed = await add_unchecked(repo, GUILD, server.url("/down.xml"))
    results = await both_poll(repo, session, feed, NOW)
    (failed,) = [r for r in results if r is not None]
    assert failed.status == "error" and server.count("/down.xml") == 1
    assert await claim_of(store, feed.id) == (None, None)
    assert await repo.due(NOW + POLL_LEASE + dt.timedelta(seconds=1)) == []  # backing off
    retry = NOW + backoff(1)
    results = await both_poll(repo, session, await repo.get(feed.id), retry)
    assert sum(r is not None for r in results) == 1 and server.count("/down.xml") == 2
