"""RSS/Atom documents: parsing to plain text, and finding the feed a web page links.

Fetching is bot/news/web.py's; no SQL here (see feed_repo.py) and no Discord.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser

from bot.catalog.normalize import normalize_key
from bot.news.web import MAX_BYTES, WebError, normalise_url

MAX_FEED_BYTES = MAX_BYTES
FEED_TYPES = ("application/rss+xml", "application/atom+xml")


class FeedError(WebError):
    """A document that is not a feed; the message says why, as a clause."""


@dataclass(frozen=True)
class FeedItem:
    guid: str | None
    link: str | None
    title: str
    published: dt.date
    text: str

    def keys(self) -> list[str]:
        """Every identity this item can be recognised by (id, link, normalised title)."""
        keys = []
        if self.guid:
            keys.append(f"id:{self.guid.strip()[:300]}")
        if self.link:
            keys.append(f"link:{normalise_url(self.link)}")
        norm = normalize_key(self.title)
        if norm:
            keys.append(f"title:{norm[:300]}")
        return keys


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    items: list[FeedItem]


class _FeedLinks(HTMLParser):
    """`<link rel="alternate" type="application/rss+xml|atom+xml" href=...>` in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("link", "a"):
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in FEED_TYPES and values.get("href", "").strip():
            self.hrefs.append(values["href"].strip())


def looks_like_html(body: bytes, content_type: str = "") -> bool:
    """Whether a fetched document is a web page rather than a feed or other file."""
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def feed_links(body: bytes, base_url: str) -> list[str]:
    """The feeds a web page names in its head, as absolute http or https addresses, in order."""
    parser = _FeedLinks()
    try:
        parser.feed(body[:MAX_FEED_BYTES].decode("utf-8", errors="replace"))
        parser.close()
    except (AssertionError, ValueError):  # HTMLParser on badly broken markup
        pass
    found: list[str] = []
    for href in parser.hrefs:
        url = urljoin(base_url, href)
        if url.startswith(("http://", "https://")) and url not in found:
            found.append(url)
    return found


class _TextExtractor(HTMLParser):
    _BLOCK = frozenset(
        ("p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
         "tr", "table", "section", "article", "figure")
    )  # fmt: skip
    _SKIP = frozenset(("script", "style", "noscript", "iframe", "svg", "head"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\s*\n\s*\n\s*")


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, paragraphs kept as blank lines."""
    if not markup:
        return ""
    if "<" not in markup and "&" not in markup:
        text = markup
    else:
        parser = _TextExtractor()
        parser.feed(markup)
        parser.close()
        text = html.unescape("".join(parser.parts))
    text = _SPACES.sub(" ", text)
    text = _BLANKS.sub("\n\n", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _date(entry: dict, fallback: dt.date) -> dt.date:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC).date()
            except (OverflowError, ValueError, TypeError):
                continue
    return fallback


def parse(body: bytes, *, url: str = "", today: dt.date | None = None) -> ParsedFeed:
    """Parse RSS/Atom bytes; FeedError when the document is not a feed."""
    today = today or dt.datetime.now(dt.UTC).date()
    doc = feedparser.parse(body, response_headers={"content-location": url} if url else None)
    if not doc.get("version") and not doc.entries:
        raise FeedError("that address does not hold an RSS or Atom feed")
    items: list[FeedItem] = []
    for entry in doc.entries:
        title = html_to_text(entry.get("title", ""))[:300]
        content = ""
        if entry.get("content"):
            content = max((c.get("value", "") for c in entry["content"]), key=len, default="")
        content = content or entry.get("summary", "") or entry.get("description", "")
        text = html_to_text(content)
        link = entry.get("link") or None
        guid = entry.get("id") or None
        if not title and not text:
            continue
        items.append(
            FeedItem(
                guid=guid,
                link=link if link and link.startswith(("http://", "https://")) else None,
                title=title or text[:120],
                published=_date(entry, today),
                text=text,
            )
        )
    feed_title = html_to_text(doc.feed.get("title", ""))[:200] or None
    return ParsedFeed(feed_title, items)
