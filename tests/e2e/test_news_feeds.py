"""Feeds end to end: the bot polls a real HTTP server on 127.0.0.1 and posts items once."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from bot.sandbox.harness import Perm, Sandbox
from bot.settings import Settings
from tests.e2e.newskit import Clock, attach, news_posts, real_now, restart
from tests.feedserver import FEEDS, FeedServer


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The feed server runs on 127.0.0.1, which feeds may use only when allowed."""
    return dataclasses.replace(settings, feeds_allow_private=True)


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    srv = await FeedServer().start()
    try:
        yield srv
    finally:
        await srv.stop()


async def test_feed_added_polled_posted_once_and_304(sandbox: Sandbox, feeds, settings):
    clock = Clock(real_now())
    scheduler = attach(sandbox, clock)
    feeds.serve_file("/atom.xml", "atom.xml", "application/atom+xml")
    refused = await sandbox.slash("news feeds add", user=sandbox.member,
                                  url=feeds.url("/atom.xml"))  # fmt: skip
    assert refused.ephemeral and "Manage Server" in refused.content
    added = await sandbox.slash("news feeds add", user=sandbox.admin, url=feeds.url("/atom.xml"),
                                options={"channel": sandbox.news})  # fmt: skip
    assert "Screen Wire" in added.text and "posted" in added.text
    (post,) = await news_posts(sandbox, sandbox.news)
    names = [f["name"] for f in post.embed["fields"]]
    assert names == ["Night Train sequel moves to summer", "Box office: quiet weekend"]
    assert all("<" not in f["value"].split("\n")[0] for f in post.embed["fields"])

    # the next poll is a conditional GET answered 304: nothing posted
    clock.advance(minutes=31)
    report = await scheduler.tick()
    assert report["feed_not_modified"] == 1
    assert feeds.count("/atom.xml", 304) == 1
    assert len(await news_posts(sandbox, sandbox.news)) == 1

    # a new item appears; a restart happens; the next poll posts only the new item, once
    body = (
        (FEEDS / "atom.xml")
        .read_text()
        .replace(
            "<entry>",
            "<entry><title>Harbor Lights trailer lands</title><id>urn:screenwire:trailer</id>"
            '<link href="https://screenwire.example/trailer"/>'
            "<updated>2026-11-23T11:00:00Z</updated>"
            "<summary>The first trailer for Harbor Lights arrived on Monday morning.</summary>"
            "</entry><entry>",
            1,
        )
    )
    feeds.serve("/atom.xml", body, "application/atom+xml")
    scheduler = await restart(sandbox, settings, clock)
    clock.advance(minutes=31)
    await scheduler.tick()
    posts = await news_posts(sandbox, sandbox.news)
    assert len(posts) == 2 and posts[-1].embed["title"] == "Harbor Lights trailer lands"
    clock.advance(minutes=31)
    await scheduler.tick()
    assert len(await news_posts(sandbox, sandbox.news)) == 2
    listing = await sandbox.slash("news feeds list", user=sandbox.admin)
    assert "Screen Wire" in listing.embed["description"] and "ok" in listing.embed["description"]


async def test_broken_feed_reported_and_others_still_polled(sandbox: Sandbox, feeds):
    clock = Clock(real_now())
    scheduler = attach(sandbox, clock)
    for path in ("/rss.xml", "/gone.xml", "/moved.xml", "/slow.xml"):
        feeds.serve_file(path, "rss.xml")
    await sandbox.slash("news setup", user=sandbox.admin, options={"channel": sandbox.news})
    for path in ("/gone.xml", "/moved.xml", "/slow.xml", "/rss.xml"):
        ok = await sandbox.slash("news feeds add", user=sandbox.admin, url=feeds.url(path))
        assert "scheduled news" in ok.text  # no channel given: items wait for the digest
    # three of them break after they were added
    del feeds.docs["/gone.xml"]
    feeds.serve_file("/moved.xml", "not_a_feed.html", "text/html")
    feeds.slow["/slow.xml"] = 3.0
    clock.advance(minutes=31)
    await scheduler.tick()
    status = await sandbox.slash("news status", user=sandbox.admin)
    feeds_field = {f["name"]: f["value"] for f in status.embed["fields"]}["Feeds"]
    assert "4 feeds, 3 failing" in feeds_field
    assert "the server answered 404: not found" in feeds_field
    assert "that address does not hold an RSS or Atom feed" in feeds_field
    assert "the server did not answer within 1 second" in feeds_field
    # backoff: the broken ones are not polled again at the next tick, the good one is
    feeds.hits.clear()
    clock.advance(minutes=31)
    await scheduler.tick()
    assert feeds.count("/rss.xml") == 1 and feeds.count("/gone.xml") == 0
    # the feed's items reach the channel with the scheduled post, each once
    post = await sandbox.slash("news post-now", user=sandbox.admin)
    assert "Posted" in post.text
    (digest,) = await news_posts(sandbox, sandbox.news)
    titles = [f["name"] for f in digest.embed["fields"]]
    assert "Lena Ortiz joins the cast of Harbor Lights" in titles
    assert titles.count("Festival line-up announced & dated") == 1
    removed = await sandbox.slash("news feeds remove", user=sandbox.admin,
                                  feed=feeds.url("/gone.xml"))  # fmt: skip
    assert "removed" in removed.content
    choices = await sandbox.autocomplete("news feeds remove", "feed", "", user=sandbox.admin)
    assert [c["value"] for c in choices] == ["2", "3", "4"]


async def test_feed_is_checked_by_fetching_it_before_it_is_stored(sandbox: Sandbox, feeds):
    attach(sandbox, Clock(real_now()))
    feeds.serve_file("/plain.html", "not_a_feed.html", "text/html")
    feeds.huge_bytes = 5 * 1024 * 1024
    refusals = {
        "/missing.xml": "the server answered 404: not found",
        "/plain.html": "that address is a web page, and it links no RSS or Atom feed",
        "/huge.xml": "the file is larger than the 2 MB limit",
    }
    for path, reason in refusals.items():
        reply = await sandbox.slash("news feeds add", user=sandbox.admin, url=feeds.url(path))
        assert reply.ephemeral and reply.content == f"I can't add that feed: {reason}."
    for url, reason in (
        ("https://exa mple.com/feed", "a web address cannot contain spaces"),
        ("http://nowhere.invalid/feed", "that server could not be found"),
    ):
        reply = await sandbox.slash("news feeds add", user=sandbox.admin, url=url)
        assert reply.content == f"I can't add that feed: {reason}."
    listing = await sandbox.slash("news feeds list", user=sandbox.admin)
    assert listing.embed["description"] == "No feeds yet. Add one with `/news feeds add`."

    # a web page that links its feed adds that feed; the feed again is already there
    feeds.serve_file("/atom.xml", "atom.xml", "application/atom+xml")
    feeds.serve(
        "/",
        '<html><head><link rel="alternate" type="application/atom+xml" '
        'href="/atom.xml"></head><body>Screen Wire</body></html>',
        "text/html",
    )
    added = await sandbox.slash("news feeds add", user=sandbox.admin, url=feeds.url("/"))
    assert added.content.startswith("Added feed 1, Screen Wire;")
    again = await sandbox.slash("news feeds add", user=sandbox.admin, url=feeds.url("/atom.xml"))
    assert again.content == "This server already follows that feed (feed 1)."
    feeds.serve("/untitled.xml", (FEEDS / "rss.xml").read_text().replace(
        "<title>Reel Daily</title>", "", 1))  # fmt: skip
    added = await sandbox.slash("news feeds add", user=sandbox.admin,
                                url=feeds.url("/untitled.xml"))  # fmt: skip
    assert added.content.startswith("Added feed 2, ")

    # numbers count per server; each feed is listed once, its address once
    other = await sandbox.add_guild("Other Server")
    owner = other.members[other.owner_id]
    added = await sandbox.slash("news feeds add", user=owner, url=feeds.url("/atom.xml"),
                                channel=other.channel("general"))  # fmt: skip
    assert added.content.startswith("Added feed 1, Screen Wire;")
    listing = (await sandbox.slash("news feeds list", user=sandbox.admin)).embed["description"]
    assert listing.count(feeds.url("/atom.xml")) == 1
    assert listing.count(feeds.url("/untitled.xml")) == 1
    assert listing.startswith("`1` Screen Wire") and "\n\n`2` " in listing
    assert "`3`" not in listing


async def test_bad_feed_url_is_a_clear_error(sandbox: Sandbox):
    for url in ("ftp://example.com/feed", "javascript:alert(1)"):
        reply = await sandbox.slash("news feeds add", user=sandbox.admin, url=url)
        assert reply.ephemeral and reply.content == (
            "I can't add that feed: the address must start with http:// or https:// and name "
            "a server."
        )


async def test_feed_added_where_the_bot_cannot_post_says_so(sandbox: Sandbox, feeds):
    attach(sandbox, Clock(real_now()))
    feeds.serve_file("/rss.xml", "rss.xml")
    closed = await sandbox.add_channel("closed")
    await sandbox.deny(closed, Perm.SEND_MESSAGES)
    added = await sandbox.slash("news feeds add", user=sandbox.admin, url=feeds.url("/rss.xml"),
                                options={"channel": closed})  # fmt: skip
    assert added.content == (
        f"Added feed 1, Reel Daily, but I could not post its latest items in <#{closed.id}>;"
        " /news status says why."
    )
    status = await sandbox.slash("news status", user=sandbox.admin)
    last_error = {f["name"]: f["value"] for f in status.embed["fields"]}["Last error"]
    assert last_error != "none"
