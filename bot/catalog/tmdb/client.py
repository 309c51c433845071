"""The one TMDB client: one aiohttp session, one token bucket, retries, short failures.

Every caller in the process shares one `TmdbClient`, so its bucket keeps the whole bot
under TMDB's limit (about 40 requests a second). 429s are retried after Retry-After,
5xx after a growing pause; everything else that goes wrong becomes one of three errors
the callers turn into a sentence: the key was refused, TMDB has no such thing, or TMDB
could not be reached. The key never appears in a log line or an error message.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import Mapping
from typing import Any

import aiohttp
from aiolimiter import AsyncLimiter

log = logging.getLogger(__name__)

# The bucket: BURST requests at once, then RATE a second. Any one-second window holds at
# most BURST + RATE = 38 requests, under TMDB's ceiling of about 40 with room for jitter.
RATE_PER_SECOND = 34
BURST = 4
MAX_ATTEMPTS = 4
MAX_RETRY_AFTER = 10.0  # a longer Retry-After means "down for now": answer from the store
BACKOFF = 0.5
DEFAULT_TIMEOUT = 6.0
DEFAULT_IMAGE_BASE = "https://image.tmdb.org/t/p/"


class TmdbError(Exception):
    """Base of what the client raises; the text is safe to show a user."""


class TmdbUnavailable(TmdbError):
    """TMDB did not answer usefully (down, slow, overloaded or garbled)."""


class TmdbAuthError(TmdbError):
    """TMDB refused the key (HTTP 401, status_code 7)."""


class TmdbNotFound(TmdbError):
    """TMDB has no such film or person (HTTP 404, status_code 34)."""


def auth_for(key: str) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, query) for a key: a v4 token (a JWT, "eyJ...") as a Bearer header,
    a v3 key as the api_key query parameter."""
    if key.startswith("eyJ"):
        return {"Authorization": f"Bearer {key}"}, {}
    return {}, {"api_key": key}


class TmdbClient:
    """Open with `TmdbClient(key, base)`, close with `await client.close()`."""

    def __init__(
        self,
        api_key: str,
        base: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        rate_per_second: float = RATE_PER_SECOND,
        burst: int = BURST,
        backoff: float = BACKOFF,
    ) -> None:
        self._headers, self._key_query = auth_for(api_key)
        self._headers["Accept"] = "application/json"
        self.base = base.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout, connect=min(timeout, 3.0))
        self.limiter = AsyncLimiter(burst, burst / rate_per_second)
        self.backoff = backoff
        self.image_base = DEFAULT_IMAGE_BASE
        self.requests: Counter[str] = Counter()  # by endpoint, for /about and benchmarks
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout, headers=self._headers)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def check(self) -> None:
        """Ask for /configuration: proves the key works and gives the image base URL."""
        data = await self.get("/configuration")
        images = data.get("images")
        base = images.get("secure_base_url") if isinstance(images, dict) else None
        if isinstance(base, str) and base.startswith(("https://", "http://")):
            self.image_base = base if base.endswith("/") else base + "/"

    async def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """GET `path` (e.g. "/movie/550"); the decoded JSON object.

        Raises TmdbAuthError, TmdbNotFound or TmdbUnavailable.
        """
        query = {k: str(v) for k, v in (params or {}).items() if v is not None}
        query.update(self._key_query)
        endpoint = endpoint_of(path)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            async with self.limiter:
                self.requests[endpoint] += 1
                try:
                    async with self.session.get(
                        self.base + path, params=query, timeout=self.timeout
                    ) as resp:
                        status, retry_after = resp.status, resp.headers.get("Retry-After")
                        body = await resp.read()
                except TimeoutError:
                    raise TmdbUnavailable("TMDB did not answer in time") from None
                except aiohttp.ClientError as exc:
                    log.warning("TMDB %s: %s", endpoint, type(exc).__name__)
                    raise TmdbUnavailable("TMDB could not be reached") from None
            if status == 429 or status >= 500:
                wait = _retry_wait(status, retry_after, attempt, self.backoff)
                if attempt == MAX_ATTEMPTS or wait is None:
                    log.warning("TMDB %s: HTTP %s, giving up", endpoint, status)
                    raise TmdbUnavailable(f"TMDB is not answering (HTTP {status})")
                log.info("TMDB %s: HTTP %s, retrying in %.2f s", endpoint, status, wait)
                await asyncio.sleep(wait)
                continue
            return _decode(status, body, endpoint)
        raise AssertionError("unreachable")


def endpoint_of(path: str) -> str:
    """ "/movie/550/watch/providers" -> "movie/{id}/watch/providers": counters per endpoint."""
    parts = ["{id}" if part.isdigit() or part.startswith("tt") or part.startswith("nm") else part
             for part in path.strip("/").split("/")]  # fmt: skip
    return "/".join(parts)


def _retry_wait(status: int, retry_after: str | None, attempt: int, backoff: float) -> float | None:
    """Seconds to wait before the next try; None when TMDB asks for too long a pause."""
    if status == 429 and retry_after is not None:
        try:
            wait = float(retry_after)
        except ValueError:
            wait = backoff * 2 ** (attempt - 1)
        return None if wait > MAX_RETRY_AFTER else max(wait, 0.0)
    return backoff * 2 ** (attempt - 1)


def _decode(status: int, body: bytes, endpoint: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        log.warning("TMDB %s: HTTP %s with a body that is not JSON", endpoint, status)
        raise TmdbUnavailable("TMDB sent an answer I could not read") from None
    if status == 200 and isinstance(data, dict):
        return data
    code = data.get("status_code") if isinstance(data, dict) else None
    message = data.get("status_message") if isinstance(data, dict) else None
    if status == 401 or code in (3, 7, 10, 14):
        raise TmdbAuthError("TMDB refused the API key (TMDB_API_KEY)")
    if status == 404 or code == 34:
        raise TmdbNotFound("TMDB has no such entry")
    log.warning("TMDB %s: HTTP %s status_code=%s %s", endpoint, status, code, message)
    raise TmdbUnavailable(f"TMDB could not answer (HTTP {status})")
