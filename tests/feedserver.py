"""A real HTTP server on 127.0.0.1 that serves feed files, for feed tests.

Each document gets an ETag from its content and honours If-None-Match with 304;
`slow` paths sleep, `status` paths answer an error code, `huge` streams a large body;
while `hold` is set and not yet released, every request waits for it.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from aiohttp import web

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


class FeedServer:
    def __init__(self) -> None:
        self.docs: dict[str, tuple[bytes, str]] = {}
        self.status: dict[str, int] = {}
        self.slow: dict[str, float] = {}
        self.hits: list[tuple[str, dict[str, str], int]] = []
        self.huge_bytes = 3 * 1024 * 1024
        self.hold: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    def serve(self, path: str, body: bytes | str, content_type: str = "application/rss+xml"):
        self.docs[path] = (body.encode() if isinstance(body, str) else body, content_type)

    def serve_file(self, path: str, name: str, content_type: str = "application/rss+xml"):
        self.serve(path, (FEEDS / name).read_bytes(), content_type)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def count(self, path: str, status: int | None = None) -> int:
        return sum(1 for p, _, s in self.hits if p == path and (status is None or s == status))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if self.hold is not None:
            await self.hold.wait()
        if path in self.slow:
            await asyncio.sleep(self.slow[path])
        if path == "/huge.xml":
            self.hits.append((path, dict(request.headers), 200))
            resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
            await resp.prepare(request)
            chunk = b"<rss><channel>" + b"x" * 65536
            sent = 0
            try:
                while sent < self.huge_bytes:
                    await resp.write(chunk)
                    sent += len(chunk)
            except (ConnectionResetError, ConnectionError):
                pass
            return resp
        if path in self.status:
            self.hits.append((path, dict(request.headers), self.status[path]))
            return web.Response(status=self.status[path], text="error")
        if path not in self.docs:
            self.hits.append((path, dict(request.headers), 404))
            return web.Response(status=404, text="not found")
        body, content_type = self.docs[path]
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            self.hits.append((path, dict(request.headers), 304))
            return web.Response(status=304, headers={"ETag": etag})
        self.hits.append((path, dict(request.headers), 200))
        return web.Response(
            body=body,
            headers={"ETag": etag, "Content-Type": content_type,
                     "Last-Modified": "Mon, 23 Nov 2026 08:00:00 GMT"},
        )  # fmt: skip

    async def start(self) -> FeedServer:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
