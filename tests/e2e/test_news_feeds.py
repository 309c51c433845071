"""Feeds end to end: the bot polls a real HTTP server on 127.0.0.1 and posts items once."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from bot.sandbox.harness import Sandbox
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
    feeds.serve_file("/page.html", "not_a_feed.html", "text/html")
    feeds.serve_file("/rss.xml", "rss.xml")
    feeds.slow["/slow.xml"] = 3.0
    await sandbox.slash("news setup", user=sandbox.admin, options={"channel": sandbox.news})
    for path in ("/missing.xml", "/page.html", "/slow.xml"):
        reply = await sandbox.slash("news feeds add", user=sandbox.admin, url=feeds.url(path),
                                    timeout=10)  # fmt: skip
        assert "failed" in reply.text
    ok = await sandbox.slash("news feeds add", user=sandbox.admin, url=feeds.url("/rss.xml"))
    assert "scheduled news" in ok.text  # no channel given: items wait for the digest
    status = await sandbox.slash("news status", user=sandbox.admin)
    feeds_field = {f["name"]: f["value"] for f in status.embed["fields"]}["Feeds"]
    assert "4 feeds, 3 failing" in feeds_field
    assert "HTTP 404" in feeds_field and "not an RSS or Atom feed" in feeds_field
    assert "timed out" in feeds_field
    # backoff: the broken ones are not polled again at the next tick, the good one is
    feeds.hits.clear()
    clock.advance(minutes=31)
    await scheduler.tick()
    assert feeds.count("/rss.xml") == 1 and feeds.count("/missing.xml") == 0
    # the feed's items reach the channel with the scheduled post
    post = await sandbox.slash("news post-now", user=sandbox.admin)
    assert "Posted" in post.text
    (digest,) = await news_posts(sandbox, sandbox.news)
    titles = [f["name"] for f in digest.embed["fields"]]
    assert "Lena Ortiz joins the cast of Harbor Lights" in titles
    assert titles.count("Festival line-up announced & dated") == 1
    removed = await sandbox.slash("news feeds remove", user=sandbox.admin,
                                  feed=feeds.url("/missing.xml"))  # fmt: skip
    assert "removed" in removed.content
    choices = await sandbox.autocomplete("news feeds remove", "feed", "", user=sandbox.admin)
    assert len(choices) == 3


async def test_bad_feed_url_is_a_clear_error(sandbox: Sandbox):
    for url in ("ftp://example.com/feed", "not a url", "javascript:alert(1)"):
        reply = await sandbox.slash("news feeds add", user=sandbox.admin, url=url)
        assert reply.ephemeral and "http" in reply.text
