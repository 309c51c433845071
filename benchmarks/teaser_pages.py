"""What reading the page behind a teaser costs per feed item.

A local HTTP server on 127.0.0.1 serves a feed of N teaser-only items and the article
page each links to. The same poll runs twice on fresh stores in the same run:

- teasers: items stored with their teaser text (the peer: what a poll costs without pages);
- pages:   each item's page fetched (bot/news/web.py) and its text taken with trafilatura.

Reports the time per item of each and the difference (what pages add), plus trafilatura's
extraction alone per page. Over loopback, so network latency is not in the figures: on
the internet add one page round trip per new teaser item (4 fetched at a time).

    python benchmarks/teaser_pages.py [--items 40]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.db.store import Store
from bot.news.feed_repo import FeedRepository, poll
from bot.news.page_text import PageReader, extract_article
from bot.news.web import open_session

PAGE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pages"
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def page(i: int) -> bytes:
    html = (PAGE / "night-train-director.html").read_text()
    return html.replace("Night Train", f"Night Train {i}").encode()


def feed(base: str, items: int) -> str:
    entries = "".join(
        f"<item><title>Night Train {i} sequel finds its director</title>"
        f"<link>{base}/news/{i}.html</link><guid>item-{i}</guid>"
        "<pubDate>Mon, 23 Nov 2026 09:00:00 GMT</pubDate>"
        f"<description>The sequel to last winter's surprise hit number {i} has found the "
        "person who will take it back onto the rails&#8230;</description></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>{entries}'
        "</channel></rss>"
    )


async def serve(items: int) -> tuple[web.AppRunner, str]:
    pages = {f"/news/{i}.html": page(i) for i in range(items)}

    async def handle(request: web.Request) -> web.Response:
        if request.path == "/feed.xml":
            return web.Response(text=feed(base, items), content_type="application/rss+xml")
        body = pages.get(request.path)
        if body is None:
            return web.Response(status=404)
        return web.Response(body=body, content_type="text/html")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    return runner, base


async def one_poll(base: str, workdir: Path, name: str, with_pages: bool) -> tuple[float, int]:
    store = await Store.open(workdir / f"{name}.sqlite3")
    try:
        repo = FeedRepository(store)
        feed_row = await repo.insert(1, f"{base}/feed.xml", None, NOW, title=None, etag=None,
                                     last_modified=None, next_poll=NOW)  # fmt: skip
        async with open_session(allow_private=True) as session:
            pages = PageReader(session, allow_private=True) if with_pages else None
            started = time.perf_counter()
            result = await poll(repo, session, feed_row, NOW, allow_private=True, pages=pages)
            seconds = time.perf_counter() - started
        words = await store.fetchval("SELECT sum(length(body)) FROM articles")
        assert result.status == "new", result
        return seconds, int(words or 0)
    finally:
        await store.close()


async def main(items: int) -> dict:
    logging.disable(logging.WARNING)
    extract_article(page(0))  # load trafilatura once, outside the timings
    runner, base = await serve(items)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            teasers, teaser_chars = await one_poll(base, Path(tmp), "teasers", False)
            pages, page_chars = await one_poll(base, Path(tmp), "pages", True)
    finally:
        await runner.cleanup()
    body = page(1)
    started = time.perf_counter()
    for _ in range(items):
        extract_article(body)
    extract_ms = (time.perf_counter() - started) * 1000 / items
    return {
        "items": items,
        "teasers_ms_per_item": round(teasers * 1000 / items, 2),
        "pages_ms_per_item": round(pages * 1000 / items, 2),
        "added_ms_per_item": round((pages - teasers) * 1000 / items, 2),
        "trafilatura_extract_ms_per_page": round(extract_ms, 2),
        "stored_chars_teasers": teaser_chars,
        "stored_chars_pages": page_chars,
        "note": "loopback server; machine shared with other work while measured",
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=40)
    print(json.dumps(asyncio.run(main(parser.parse_args().items)), indent=2))
