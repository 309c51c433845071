"""The article behind a teaser: feed items that carry only a lead get their page's text.

Many feeds give a sentence or two and a link. Summaries and facts taken from that lead
are thin or wrong, so for such an item the linked page is fetched (bot/news/web.py: the
same public-address guard, size cap and time limit as feeds) and its main text is taken
with trafilatura, which drops navigation, ads, comments and boilerplate. The page's
text replaces the teaser only when it is clearly the fuller story: longer by a margin,
and holding most of the teaser's and headline's words (not a cookie wall or a login).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re

import aiohttp

from bot.catalog.normalize import normalize_key
from bot.news.feeds import FeedItem, looks_like_html
from bot.news.web import DEFAULT_TIMEOUT, MAX_BYTES, PAGE_ACCEPT, PAGE_TYPES, WebError, fetch

log = logging.getLogger(__name__)

# A feed that carries whole articles gives hundreds of words per item; a teaser, a few
# dozen. Under this many words an item is taken for a teaser.
FULL_TEXT_WORDS = 150
# A lead cut short: "…", "...", "[…]", "[...]" at its end.
_CUT = re.compile(r"(?:\u2026|\.\.\.|\[\s*(?:\u2026|\.\.\.)\s*\])\s*$")
# The page must be this much longer than the teaser to replace it ...
MIN_GAIN_WORDS = 40
# ... and hold at least this share of the teaser's (and headline's) longer words.
MIN_SHARED = 0.6
PAGES_AT_ONCE = 4


def is_teaser(text: str) -> bool:
    """Whether a feed item's text is only a lead: short, or cut off with an ellipsis."""
    text = text.strip()
    return len(text.split()) < FULL_TEXT_WORDS or bool(_CUT.search(text))


def _content_words(text: str) -> set[str]:
    return {w for w in normalize_key(text).split() if len(w) >= 4 and not w.isdigit()}


def is_fuller_story(page: str, item: FeedItem) -> bool:
    """Whether `page` tells the item's story at greater length than the item's text."""
    page_words = len(page.split())
    if page_words < len(item.text.split()) + MIN_GAIN_WORDS:
        return False
    lead = _cut_off(item.text)
    wanted = _content_words(lead) or _content_words(item.title)
    if not wanted:
        return True
    shared = len(wanted & _content_words(page)) / len(wanted)
    return shared >= MIN_SHARED


def _cut_off(text: str) -> str:
    """The teaser without its ellipsis and the word it cut in half."""
    if not _CUT.search(text):
        return text
    text = _CUT.sub("", text).rstrip()
    return text.rsplit(None, 1)[0] if " " in text else text


def extract_article(markup: bytes | str, url: str | None = None) -> str:
    """The main text of a web page ('' when trafilatura finds none); CPU-bound, so the
    async callers run it in a thread."""
    import trafilatura  # heavy (lxml and friends): loaded on first use

    text = trafilatura.extract(
        markup,
        url=url,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
    )
    return (text or "").strip()


class PageReader:
    """Fetches and extracts linked pages for one poll; a few at a time."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        allow_private: bool = False,
        time_limit: float = DEFAULT_TIMEOUT,
        max_bytes: int = MAX_BYTES,
        at_once: int = PAGES_AT_ONCE,
    ) -> None:
        self.session = session
        self.allow_private = allow_private
        self.time_limit = time_limit
        self.max_bytes = max_bytes
        self._slots = asyncio.Semaphore(at_once)

    async def article_text(self, url: str) -> str:
        """The article text of the page at `url`; WebError when it cannot be fetched,
        '' when it is not a web page or has no article text."""
        async with self._slots:
            fetched = await fetch(
                self.session, url, accept=PAGE_ACCEPT, only_types=PAGE_TYPES,
                time_limit=self.time_limit,
                max_bytes=self.max_bytes, allow_private=self.allow_private,
            )  # fmt: skip
        if not looks_like_html(fetched.body, fetched.content_type):
            return ""
        return await asyncio.to_thread(extract_article, fetched.body, fetched.url or url)

    async def expand(self, item: FeedItem) -> FeedItem:
        """`item` with its page's article text when it carries only a teaser; `item`
        unchanged when it is whole, has no link, or its page does not help."""
        if not item.link or not is_teaser(item.text):
            return item
        try:
            page = await self.article_text(item.link)
        except WebError as exc:
            log.info("kept the teaser of %s: %s", item.link, exc)
            return item
        except Exception:  # a parser bug on one odd page must not lose the item
            log.exception("could not read the article at %s", item.link)
            return item
        first, _, rest = page.partition("\n")
        if rest.strip() and normalize_key(first) == normalize_key(item.title):
            page = rest.strip()  # the page's own headline: the item has it already
        if not is_fuller_story(page, item):
            log.debug("kept the teaser of %s: its page is not the fuller story", item.link)
            return item
        return dataclasses.replace(item, text=page)

    async def expand_all(self, items: list[FeedItem]) -> list[FeedItem]:
        return list(await asyncio.gather(*(self.expand(item) for item in items)))
