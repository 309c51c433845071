"""Feeds on private addresses, with MARQUEE_FEEDS_ALLOW_PRIVATE off (the default)."""

from __future__ import annotations

from bot.sandbox.harness import Sandbox
from tests.feedserver import FeedServer


async def test_a_private_feed_is_refused_and_not_stored(sandbox: Sandbox):
    assert not sandbox.bot.settings.feeds_allow_private
    server = await FeedServer().start()
    try:
        server.serve_file("/rss.xml", "rss.xml")
        for url in (
            server.url("/rss.xml"),
            server.url("/rss.xml").replace("127.0.0.1", "localhost"),
        ):
            reply = await sandbox.slash("news feeds add", user=sandbox.admin, url=url)
            host = "127.0.0.1" if "127.0.0.1" in url else "localhost"
            assert reply.ephemeral and reply.content == (
                f"I can't add that feed: {host} is not a public internet address."
            )
        assert server.hits == []  # refused before any request reached it
    finally:
        await server.stop()
    listing = await sandbox.slash("news feeds list", user=sandbox.admin)
    assert "No feeds yet" in listing.embed["description"]
