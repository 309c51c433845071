"""Fetching from the web for news: feeds and the article pages their items link to.

One implementation for both, so both get the same guards: only http and https, only public
addresses unless allowed (checked where names are resolved and on every redirect hop),
a size cap, a time limit. Every failure is a WebError whose message is a sentence an
admin can read ("that server could not be found"), never an exception's name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from aiohttp.abc import AbstractResolver
from yarl import URL

MAX_BYTES = 2 * 1024 * 1024
MAX_URL = 500
USER_AGENT = "Marquee/0.1 (+feeds; Discord movie news bot)"
DEFAULT_TIMEOUT = 15.0
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
    "text/html;q=0.5, */*;q=0.3"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.3"
PAGE_TYPES = ("text/html", "application/xhtml+xml")


class WebError(Exception):
    """Something at an address could not be fetched; the message is one lower-case
    clause ("the server answered 404: not found") to be put in a sentence."""


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200 or 304
    body: bytes
    etag: str | None
    last_modified: str | None
    url: str = ""  # where the body came from, after redirects
    content_type: str = ""  # the media type, lower case, without parameters


# A host name: labels of letters, digits, hyphens (and the underscores some hosts use).
_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")


def _valid_host(host: str) -> bool:
    if host.startswith("["):
        return host.endswith("]") and _is_address(host)
    if _is_address(host):
        return True
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError):
        return False
    labels = ascii_host.split(".")
    return bool(ascii_host) and len(ascii_host) <= 253 and all(_LABEL.match(x) for x in labels)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def check_url(url: str) -> str:
    """`url` stripped, if it is an absolute http or https address with a valid host; else
    WebError saying what is wrong with it."""
    url = (url or "").strip()
    if not url:
        raise WebError("the address is empty")
    if len(url) > MAX_URL:
        raise WebError(f"the address is longer than {MAX_URL} characters")
    if any(ch.isspace() for ch in url):
        raise WebError("a web address cannot contain spaces")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise WebError("the address must start with http:// or https:// and name a server")
    try:
        parts.port  # noqa: B018 (parsing it is the check)
    except ValueError:
        raise WebError("the address's port must be a number from 0 to 65535") from None
    if not _valid_host(parts.hostname):
        raise WebError(f"{parts.hostname[:80]} is not a valid server name")
    try:
        URL(url)
    except ValueError:
        raise WebError("that is not a valid web address") from None
    return url


def normalise_url(url: str) -> str:
    """Drop fragment and trailing slash, lower-case scheme and host: one link, one key."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))[:400]


def host_of(url: str) -> str:
    """The server name of `url` without a leading "www." ('' when there is none)."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


# -- where we may fetch from -----------------------------------------------------------
#
# An admin types the feed URL, and a feed names the pages its items link to, so without a
# rule the bot would fetch whatever it can reach: its own machine, the cloud metadata
# service, the private network (SSRF). By default only public addresses are allowed.
# Names are checked where aiohttp resolves them (so a DNS answer cannot change between
# the check and the connection); address literals, which aiohttp does not resolve, are
# checked on every hop of a redirect.


class PrivateAddressError(OSError):
    """A host that is not on the public internet."""


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


def _not_public(host: str) -> str:
    return f"{host} is not a public internet address"


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
            raise PrivateAddressError(_not_public(host))
        return public

    async def close(self) -> None:
        await self._inner.close()


def open_session(*, allow_private: bool = False) -> aiohttp.ClientSession:
    """The HTTP session news is fetched with; private addresses only if allowed."""
    if allow_private:
        return aiohttp.ClientSession()
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=_PublicResolver()))


def _check_host(url: URL, allow_private: bool) -> None:
    if url.scheme not in ("http", "https") or not url.host:
        raise WebError("the address must start with http:// or https:// and name a server")
    if allow_private:
        return
    host = url.host
    if _is_address(host) and not is_public_address(host):
        raise WebError(_not_public(host))


def _size(limit: int) -> str:
    return f"{limit / 1_048_576:g} MB" if limit >= 1_048_576 else f"{limit // 1024} KB"


def describe_connection_error(exc: BaseException) -> str:
    """A clause for a failed connection, from the cause rather than the exception's name."""
    cause = exc.os_error if isinstance(exc, aiohttp.ClientConnectorError) else exc
    if isinstance(cause, PrivateAddressError):
        return str(cause)
    if isinstance(exc, aiohttp.ClientConnectorDNSError) or isinstance(cause, socket.gaierror):
        return "that server could not be found"
    if isinstance(exc, aiohttp.ClientSSLError) or isinstance(cause, ssl.SSLError):
        return "that server's HTTPS certificate could not be verified"
    if isinstance(cause, ConnectionRefusedError):
        return "that server refused the connection"
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return "the server closed the connection before it finished answering"
    if isinstance(exc, aiohttp.TooManyRedirects):
        return "the address redirects too many times"
    return "that server could not be reached"


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = FEED_ACCEPT,
    only_types: tuple[str, ...] = (),
    time_limit: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_BYTES,
    allow_private: bool = False,
) -> FetchResult:
    """GET `url` conditionally; raises WebError for HTTP errors, timeouts, bodies over
    `max_bytes`, a declared media type not in `only_types` (when given; checked before
    the body is read), and (unless `allow_private`) hosts that are not public, on every
    redirect hop. Use a session from `open_session` with the same `allow_private`."""
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        target = URL(check_url(url))
    except ValueError:
        raise WebError("that is not a valid web address") from None
    try:
        async with asyncio.timeout(time_limit):
            return await _follow(session, target, headers, max_bytes, allow_private, only_types)
    except TimeoutError:
        unit = "second" if time_limit == 1 else "seconds"
        raise WebError(f"the server did not answer within {time_limit:g} {unit}") from None
    except (aiohttp.ClientError, OSError) as exc:
        raise WebError(describe_connection_error(exc)) from None


async def _follow(
    session: aiohttp.ClientSession,
    url: URL,
    headers: dict[str, str],
    max_bytes: int,
    allow_private: bool,
    only_types: tuple[str, ...] = (),
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
                    raise WebError("the server redirected to an invalid address") from None
                continue
            if resp.status == 304:
                return FetchResult(304, b"", headers.get("If-None-Match"),
                                   headers.get("If-Modified-Since"), str(url))  # fmt: skip
            if resp.status >= 400:
                reason = (resp.reason or "").strip().rstrip(".").lower()
                answer = f"{resp.status}: {reason}" if reason else str(resp.status)
                raise WebError(f"the server answered {answer}")
            declared = resp.headers.get("Content-Type", "")
            kind = declared.split(";")[0].strip().lower()
            if only_types and declared and kind not in only_types:
                raise WebError(f"the address holds {kind or 'a file'}, not a web page")
            if resp.content_length is not None and resp.content_length > max_bytes:
                raise WebError(f"the file is larger than the {_size(max_bytes)} limit")
            body = bytearray()
            async for chunk in resp.content.iter_chunked(65536):
                body += chunk
                if len(body) > max_bytes:
                    raise WebError(f"the file is larger than the {_size(max_bytes)} limit")
            return FetchResult(
                resp.status,
                bytes(body),
                resp.headers.get("ETag"),
                resp.headers.get("Last-Modified"),
                str(resp.url),
                kind,
            )
    raise WebError("the address redirects too many times")
