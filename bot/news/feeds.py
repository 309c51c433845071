"""RSS/Atom feeds over HTTP: conditional GET, size and time limits, parsing to plain text.

No SQL here (see feed_repo.py) and no Discord. Every failure becomes a FeedError with
a one-line reason an admin can act on.
"""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
import html
import ipaddress
import re
import socket
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import feedparser
from aiohttp.abc import AbstractResolver
from yarl import URL

from bot.catalog.normalize import normalize_key

MAX_FEED_BYTES = 2 * 1024 * 1024
MAX_URL = 500
USER_AGENT = "Marquee/0.1 (+feeds; Discord movie news bot)"
DEFAULT_TIMEOUT = 15.0
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class FeedError(Exception):
    """A feed that could not be fetched or read; the message says why, in one line."""


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200 or 304
    body: bytes
    etag: str | None
    last_modified: str | None


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


def check_url(url: str) -> str:
    """A feed URL that is absolute http or https, or FeedError."""
    url = (url or "").strip()
    if not url or len(url) > MAX_URL:
        raise FeedError(f"a feed URL must be 1-{MAX_URL} characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError("a feed URL must start with http:// or https:// and name a host")
    try:
        parts.port  # noqa: B018 (parsing it is the check)
    except ValueError:
        raise FeedError("a feed URL's port must be a number from 0 to 65535") from None
    return url


# -- where feeds may point ----------------------------------------------------------
#
# An admin types the feed URL, so without a rule the bot would fetch whatever it can
# reach: its own machine, the cloud metadata service, the private network (SSRF). By
# default only public addresses are allowed. Names are checked where aiohttp resolves
# them (so a DNS answer cannot change between the check and the connection); address
# literals, which aiohttp does not resolve, are checked on every hop of a redirect.


class PrivateAddressError(OSError):
    """A feed host that is not on the public internet."""


_IPV6_UNICAST = ipaddress.ip_network("2000::/3")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public_address(host: str) -> bool:
    """Whether an IP address literal is a global unicast address.

    IPv6 must be global unicast (2000::/3), and an IPv4 address carried inside one
    (mapped, NAT64, 6to4, Teredo) must be public itself.
    """
    try:
        address = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in _NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            return is_public_address(str(inner))
        if address.teredo is not None or address not in _IPV6_UNICAST:
            return False
    return address.is_global and not address.is_multicast


class _PublicResolver(AbstractResolver):
    """aiohttp's resolver, keeping only public addresses (none left: refused)."""

    def __init__(self) -> None:
        self._inner = aiohttp.DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[Any]:
        found = await self._inner.resolve(host, port, family)
        public = [entry for entry in found if is_public_address(entry["host"])]
        if not public:
            raise PrivateAddressError(f"{host} is not a public address")
        return public

    async def close(self) -> None:
        await self._inner.close()


def open_feed_session(*, allow_private: bool = False) -> aiohttp.ClientSession:
    """The HTTP session feeds are fetched with; private addresses only if allowed."""
    if allow_private:
        return aiohttp.ClientSession()
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=_PublicResolver()))


def _check_host(url: URL, allow_private: bool) -> None:
    if url.scheme not in ("http", "https") or not url.host:
        raise FeedError("a feed URL must start with http:// or https:// and name a host")
    if allow_private:
        return
    host = url.host
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return  # a name: checked where it is resolved (_PublicResolver)
    if not is_public_address(host):
        raise FeedError(f"refused: {host} is not a public address")


def normalise_url(url: str) -> str:
    """Drop fragment and trailing slash, lower-case scheme and host: one link, one key."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))[:400]


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    time_limit: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_FEED_BYTES,
    allow_private: bool = False,
) -> FetchResult:
    """GET `url` conditionally; raises FeedError for HTTP errors, timeouts, huge bodies,
    and (unless `allow_private`) hosts that are not public, on every redirect hop. Use a
    session from `open_feed_session` with the same `allow_private`."""
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, "
        "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        target = URL(url)
    except ValueError as exc:
        raise FeedError(f"not a valid URL ({exc})") from None
    try:
        async with asyncio.timeout(time_limit):
            return await _follow(session, target, headers, max_bytes, allow_private)
    except TimeoutError:
        raise FeedError(f"timed out after {time_limit:g} s") from None
    except aiohttp.ClientConnectorError as exc:
        if isinstance(exc.os_error, PrivateAddressError):
            raise FeedError(f"refused: {exc.os_error}") from None
        raise FeedError(f"cannot connect ({type(exc).__name__})") from None
    except aiohttp.ClientError as exc:
        raise FeedError(f"cannot connect ({type(exc).__name__})") from None


async def _follow(
    session: aiohttp.ClientSession,
    url: URL,
    headers: dict[str, str],
    max_bytes: int,
    allow_private: bool,
) -> FetchResult:
    """Redirects followed here, not by aiohttp, so every hop's host is checked."""
    for _hop in range(MAX_REDIRECTS + 1):
        _check_host(url, allow_private)
        async with session.get(url, headers=headers, allow_redirects=False) as resp:
            location = resp.headers.get("Location")
            if resp.status in REDIRECT_STATUSES and location:
                try:
                    url = resp.url.join(URL(location))
                except ValueError:
                    raise FeedError(f"bad redirect to {location[:100]!r}") from None
                continue
            if resp.status == 304:
                return FetchResult(304, b"", headers.get("If-None-Match"),
                                   headers.get("If-Modified-Since"))  # fmt: skip
            if resp.status >= 400:
                raise FeedError(f"HTTP {resp.status} {resp.reason or ''}".strip())
            if resp.content_length is not None and resp.content_length > max_bytes:
                raise FeedError(f"too large ({resp.content_length} bytes)")
            body = bytearray()
            async for chunk in resp.content.iter_chunked(65536):
                body += chunk
                if len(body) > max_bytes:
                    raise FeedError(f"too large (over {max_bytes} bytes)")
            return FetchResult(
                resp.status,
                bytes(body),
                resp.headers.get("ETag"),
                resp.headers.get("Last-Modified"),
            )
    raise FeedError("too many redirects")


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
        raise FeedError("not an RSS or Atom feed")
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
