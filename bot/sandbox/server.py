"""A local Discord: gateway and REST API v10 on 127.0.0.1 for the unmodified discord.py client.

The bot is pointed here with ``DISCORD_API_BASE`` alone (see ``bot.discord_api``).
Every REST body is checked like Discord checks it (``validation``); requests,
command syncs and rule violations are recorded so tests can assert on them.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import secrets
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from bot.sandbox import validation
from bot.sandbox.faults import Fault, GlobalRateLimit
from bot.sandbox.world import Channel, Perm, World, iso_now

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
EPHEMERAL = 1 << 6
LOADING = 1 << 7
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
INTERACTION_DEADLINE = 3.0

BODY = web.RequestKey("body", object)
FILES = web.RequestKey("files", list)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class DiscordError(Exception):
    """An error response in Discord's JSON shape."""

    def __init__(self, status: int, code: int, message: str, errors: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def response(self) -> web.Response:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors is not None:
            body["errors"] = self.errors
        return json_response(body, status=self.status)


@dataclass
class Violation:
    """A request Discord would refuse, or a rule the bot broke; fails the test that made it."""

    method: str
    path: str
    reason: str
    body: Any = None

    def __str__(self) -> str:
        return f"{self.method} {self.path}: {self.reason}"


@dataclass
class RecordedRequest:
    method: str
    path: str
    template: str | None
    body: Any
    status: int = 0
    at: float = field(default_factory=time.monotonic)


@dataclass
class CommandSync:
    """One bulk overwrite of application commands; ``guild_id`` None means global."""

    guild_id: int | None
    payload: list[dict[str, Any]]


@dataclass
class InteractionRecord:
    """What happened to one interaction the emulator sent to the bot."""

    id: int
    token: str
    payload: dict[str, Any]
    sent_at: float
    channel_id: int | None
    callback_type: int | None = None
    callback_at: float | None = None
    callback_data: dict[str, Any] | None = None
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    rejected: str | None = None

    @property
    def latency(self) -> float | None:
        return None if self.callback_at is None else self.callback_at - self.sent_at


class _Connection:
    """One gateway websocket, with its zlib-stream compressor (a shared context per socket)."""

    def __init__(self, ws: web.WebSocketResponse, compress: bool) -> None:
        self.ws = ws
        self.compressor = zlib.compressobj() if compress else None
        self.lock = asyncio.Lock()
        self.session: _Session | None = None

    async def send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(payload, separators=(",", ":"))
        async with self.lock:
            if self.ws.closed:
                return
            if self.compressor is None:
                await self.ws.send_str(text)
            else:
                data = self.compressor.compress(text.encode()) + self.compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await self.ws.send_bytes(data)


class _Session:
    """A gateway session: sequence numbers and the backlog a RESUME replays."""

    def __init__(self, session_id: str, intents: int, shard: tuple[int, int]) -> None:
        self.id = session_id
        self.intents = intents
        self.shard = shard
        self.seq = 0
        self.backlog: list[dict[str, Any]] = []
        self.conn: _Connection | None = None

    def wants_guild(self, guild_id: int) -> bool:
        shard_id, count = self.shard
        return (guild_id >> 22) % max(1, count) == shard_id


class Emulator:
    """The server. ``await start()``, point the bot at ``api_base``, ``await stop()``."""

    def __init__(self, *, token: str = "sandbox-token", world: World | None = None) -> None:
        self.token = token
        self.world = world or World()
        self.heartbeat_interval_ms = 41250
        self.interaction_deadline = INTERACTION_DEADLINE
        self.requests: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.command_syncs: list[CommandSync] = []
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self._by_token: dict[str, InteractionRecord] = {}
        self.faults: list[Fault] = []
        self.rate_limit: GlobalRateLimit | None = None
        self.attachments: dict[int, bytes] = {}
        self.identify_count = 0
        # GET /gateway/bot: the shard count Discord recommends, and how many shards may
        # IDENTIFY at once (shards with equal `shard_id % max_concurrency` take turns).
        self.recommended_shards = 1
        self.max_concurrency = 16
        # Set (to Discord's 5 s) to record a violation when two IDENTIFYs of one
        # rate-limit key come closer together than that.
        self.identify_spacing: float | None = None
        self.identifies: list[tuple[float, tuple[int, int]]] = []
        self.last_compression: str | None = None
        self.resume_count = 0
        self.message_listeners: list[Callable[[dict[str, Any]], None]] = []
        self._sessions: dict[str, _Session] = {}
        self._connections: set[_Connection] = set()
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._site_port = 0
        self._bucket_ids = itertools.count(1)
        self.record_requests = True

    # --- lifecycle ---------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on ``host`` (a random free port by default); returns the API base."""
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        self._routes(app)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[union-attr]
        self._site_port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.host = host
        log.info("Discord emulator listening on %s", self.api_base)
        return self.api_base

    async def stop(self) -> None:
        for conn in list(self._connections):
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def port(self) -> int:
        return self._site_port

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._site_port}"

    @property
    def api_base(self) -> str:
        return self.origin + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self._site_port}/gateway"

    # --- change notification -------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], Any], within: float) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked on every emulator change)."""
        deadline = time.monotonic() + within
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return result
            event = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, 0.5))

    def violation(self, method: str, path: str, reason: str, body: Any = None) -> None:
        v = Violation(method, path, reason, body)
        log.warning("Discord would refuse this: %s", v)
        self.violations.append(v)
        self._notify()

    # --- faults --------------------------------------------------------------------------

    def inject(
        self,
        route: str,
        *,
        status: int = 429,
        times: int = 1,
        method: str | None = None,
        retry_after: float = 0.05,
        scope: str = "user",
    ) -> Fault:
        """Make the next ``times`` requests to ``route`` fail with ``status``."""
        fault = Fault(route, status, times, method, retry_after, scope)
        self.faults.append(fault)
        return fault

    def set_rate_limit(self, per_second: int | None) -> None:
        """Enforce a global budget of requests per second (None switches it off)."""
        self.rate_limit = GlobalRateLimit(per_second) if per_second else None

    def _rate_headers(self, template: str | None, *, remaining: int, reset_after: float) -> dict:
        return {
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": f"{abs(hash(template or '')) & 0xFFFFFFFF:08x}",
        }

    def _too_many(self, template: str | None, retry_after: float, scope: str) -> web.Response:
        headers = self._rate_headers(template, remaining=0, reset_after=retry_after)
        headers["Retry-After"] = str(max(1, round(retry_after + 0.5)))
        headers["X-RateLimit-Scope"] = scope
        headers["Via"] = "1.1 google"
        is_global = scope == "global"
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": is_global,
            "code": 0,
        }
        return json_response(body, status=429, headers=headers)

    # --- REST plumbing -------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        path = request.path[len(API_PREFIX) :]
        method = request.method
        template = validation.match_template(path)
        body, files = await self._read_body(request)
        request[BODY], request[FILES] = body, files
        record = RecordedRequest(method, path, template, body)
        if self.record_requests:
            self.requests.append(record)
        try:
            response = await self._guarded(request, handler, method, path, template, body)
        except DiscordError as exc:
            response = exc.response()
        record.status = response.status
        self._notify()
        return response

    async def _guarded(
        self,
        request: web.Request,
        handler: Handler,
        method: str,
        path: str,
        template: str | None,
        body: Any,
    ) -> web.StreamResponse:
        is_webhook = path.startswith(("/webhooks/", "/interactions/"))
        if not is_webhook and request.headers.get("Authorization") != f"Bot {self.token}":
            raise DiscordError(401, 0, "401: Unauthorized")
        for fault in self.faults:
            if not fault.exhausted and fault.matches(method, path):
                fault.hits += 1
                log.info("Injected %s for %s %s", fault.status, method, path)
                if fault.status == 429:
                    return self._too_many(template, fault.retry_after, fault.scope)
                raise DiscordError(fault.status, 0, f"{fault.status}: injected failure")
        if self.rate_limit is not None and not path.startswith("/interactions/"):
            wait = self.rate_limit.check()
            if wait is not None:
                return self._too_many(template, wait, "global")
        if method in ("POST", "PUT", "PATCH"):
            has_files = bool(request[FILES])
            verdict = validation.validate_request(method, path, body, has_files=has_files)
            if not verdict.ok:
                self.violation(method, path, verdict.describe(), body)
                return json_response(verdict.error_body(), status=400)
        response = await handler(request)
        if 200 <= response.status < 300:
            response.headers.update(self._rate_headers(template, remaining=49, reset_after=1.0))
        return response

    async def _read_body(self, request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
        """JSON body, or ``payload_json`` plus files of a multipart upload."""
        if not request.can_read_body:
            return None, []
        ctype = request.content_type
        if ctype == "multipart/form-data":
            body: Any = None
            files: list[dict[str, Any]] = []
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":  # type: ignore[union-attr]
                    body = json.loads(await part.text())  # type: ignore[union-attr]
                else:
                    data = await part.read()  # type: ignore[union-attr]
                    files.append(
                        {
                            "field": part.name,  # type: ignore[union-attr]
                            "filename": part.filename,  # type: ignore[union-attr]
                            "data": bytes(data),
                            "content_type": part.headers.get("Content-Type"),  # type: ignore[union-attr]
                        }
                    )
            return body, files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json.loads(raw), []
        except ValueError as exc:
            raise DiscordError(400, 50109, "The request body contains invalid JSON.") from exc

    def _routes(self, app: web.Application) -> None:
        p = API_PREFIX
        r = app.router
        r.add_get("/gateway", self._ws_handler)
        r.add_get(f"{p}/gateway", self._get_gateway)
        r.add_get(f"{p}/gateway/bot", self._get_gateway)
        r.add_get(f"{p}/users/@me", self._get_me)
        r.add_get(f"{p}/users/{{user_id}}", self._get_user)
        r.add_post(f"{p}/users/@me/channels", self._create_dm)
        r.add_get(f"{p}/oauth2/applications/@me", self._get_application)
        r.add_get(f"{p}/applications/@me", self._get_application)
        r.add_put(f"{p}/applications/{{app_id}}/commands", self._put_commands)
        r.add_get(f"{p}/applications/{{app_id}}/commands", self._get_commands)
        r.add_put(f"{p}/applications/{{app_id}}/guilds/{{guild_id}}/commands", self._put_commands)
        r.add_get(f"{p}/applications/{{app_id}}/guilds/{{guild_id}}/commands", self._get_commands)
        r.add_post(f"{p}/interactions/{{iid}}/{{token}}/callback", self._callback)
        r.add_post(f"{p}/webhooks/{{app_id}}/{{token}}", self._followup)
        wm = f"{p}/webhooks/{{app_id}}/{{token}}/messages/{{message_id}}"
        r.add_get(wm, self._get_webhook_message)
        r.add_patch(wm, self._edit_webhook_message)
        r.add_delete(wm, self._delete_webhook_message)
        r.add_get(f"{p}/channels/{{channel_id}}", self._get_channel)
        r.add_get(f"{p}/channels/{{channel_id}}/messages", self._list_messages)
        r.add_post(f"{p}/channels/{{channel_id}}/messages", self._create_message)
        cm = f"{p}/channels/{{channel_id}}/messages/{{message_id}}"
        r.add_get(cm, self._get_message)
        r.add_patch(cm, self._edit_message)
        r.add_delete(cm, self._delete_message)
        r.add_post(f"{p}/channels/{{channel_id}}/typing", self._no_content)
        reaction = f"{p}/channels/{{channel_id}}/messages/{{message_id}}/reactions/{{emoji}}/@me"
        r.add_put(reaction, self._no_content)
        r.add_delete(reaction, self._no_content)
        r.add_get(f"{p}/guilds/{{guild_id}}", self._get_guild)
        r.add_get("/attachments/{attachment_id}/{filename}", self._get_attachment)
        r.add_route("*", f"{p}/{{tail:.*}}", self._unhandled)

    async def _unhandled(self, request: web.Request) -> web.Response:
        path = request.path[len(API_PREFIX) :]
        self.violation(
            request.method,
            path,
            "the emulator has no route for this request; add one in bot/sandbox/server.py",
        )
        raise DiscordError(404, 0, "404: Not Found")

    async def _no_content(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    # --- gateway ------------------------------------------------------------------------

    async def _ws_handler(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        compression = request.query.get("compress")
        self.last_compression = compression
        if compression not in (None, "zlib-stream"):
            log.error("Gateway client asked for %s; the emulator speaks zlib-stream", compression)
            await ws.close(code=4000, message=b"unsupported compression")
            return ws
        conn = _Connection(ws, compress=compression == "zlib-stream")
        self._connections.add(conn)
        try:
            await conn.send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._gateway_op(conn, json.loads(msg.data))
                elif msg.type == WSMsgType.BINARY:
                    await self._gateway_op(conn, json.loads(msg.data.decode()))
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            self._connections.discard(conn)
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
        return ws

    async def _gateway_op(self, conn: _Connection, payload: dict[str, Any]) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == 1:
            await conn.send({"op": 11})
        elif op == 2:
            await self._identify(conn, data or {})
        elif op == 6:
            await self._resume(conn, data or {})
        elif op == 8:
            await self._members_chunk(conn, data or {})
        elif op in (3, 4):
            pass  # presence and voice updates: accepted, nothing to do
        else:
            log.debug("Ignoring gateway op %s", op)

    async def _identify(self, conn: _Connection, data: dict[str, Any]) -> None:
        if data.get("token", "").removeprefix("Bot ") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        shard = tuple(data.get("shard") or (0, 1))
        self._check_identify_spacing(shard)  # type: ignore[arg-type]
        session = _Session(secrets.token_hex(16), int(data.get("intents", 0)), shard)  # type: ignore[arg-type]
        self._sessions[session.id] = session
        session.conn = conn
        conn.session = session
        self.identify_count += 1
        guilds = [g for g in self.world.guilds.values() if session.wants_guild(g.id)]
        ready = {
            "v": 10,
            "user": {**self.world.bot_user.payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "shard": list(shard),
            "application": {"id": str(self.world.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "auth_session_id_hash": "",
        }
        await self._send_event(session, "READY", ready)
        for guild in guilds:
            await self._send_event(session, "GUILD_CREATE", self._guild_payload(guild.id))
        self._notify()

    def _check_identify_spacing(self, shard: tuple[int, int]) -> None:
        moment = time.monotonic()
        if self.identify_spacing is not None:
            key = shard[0] % self.max_concurrency
            for at, other in reversed(self.identifies):
                if other[0] % self.max_concurrency == key:
                    if moment - at < self.identify_spacing:
                        self.violation(
                            "GATEWAY", "IDENTIFY",
                            f"shard {shard[0]} identified {moment - at:.2f} s after shard "
                            f"{other[0]} (same rate-limit key {key}; Discord allows one per "
                            f"{self.identify_spacing:g} s)",
                        )  # fmt: skip
                    break
        self.identifies.append((moment, shard))

    def _guild_payload(self, guild_id: int) -> dict[str, Any]:
        guild = self.world.guilds[guild_id]
        joined = guild.members[self.world.bot_user.id].joined_at
        return guild.payload(joined_at=joined)

    async def _resume(self, conn: _Connection, data: dict[str, Any]) -> None:
        session = self._sessions.get(data.get("session_id", ""))
        if session is None or data.get("token", "").removeprefix("Bot ") != self.token:
            await conn.send({"op": 9, "d": False})
            return
        last = int(data.get("seq") or 0)
        session.conn = conn
        conn.session = session
        for event in session.backlog:
            if event["s"] > last:
                await conn.send(event)
        await self._send_event(session, "RESUMED", {})
        self.resume_count += 1
        log.info("Gateway session %s resumed from seq %s", session.id, last)
        self._notify()

    async def _members_chunk(self, conn: _Connection, data: dict[str, Any]) -> None:
        if conn.session is None:
            return
        guild = self.world.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        chunk = {
            "guild_id": str(guild.id),
            "members": [m.payload() for m in guild.members.values()],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self._send_event(conn.session, "GUILD_MEMBERS_CHUNK", chunk)

    async def _send_event(self, session: _Session, name: str, data: dict[str, Any]) -> None:
        session.seq += 1
        event = {"op": 0, "t": name, "s": session.seq, "d": data}
        session.backlog.append(event)
        if len(session.backlog) > 2000:
            del session.backlog[:1000]
        if session.conn is not None:
            await session.conn.send(event)

    async def dispatch(
        self, name: str, data: dict[str, Any], *, guild_id: int | None = None
    ) -> None:
        """Send a gateway event to every session (that owns ``guild_id``, if given)."""
        for session in list(self._sessions.values()):
            if guild_id is not None and not session.wants_guild(guild_id):
                continue
            await self._send_event(session, name, data)

    @property
    def connected(self) -> bool:
        return any(s.conn is not None for s in self._sessions.values())

    async def drop_gateway(self, *, code: int = 4000) -> None:
        """Close every gateway socket with a resumable close code, as Discord sometimes does."""
        for conn in list(self._connections):
            await conn.ws.close(code=code, message=b"dropped by the emulator")

    async def guild_updated(self, guild_id: int) -> None:
        """Tell a connected bot about a guild added after it connected."""
        await self.dispatch("GUILD_CREATE", self._guild_payload(guild_id), guild_id=guild_id)

    async def channel_deleted(self, channel: Channel) -> None:
        channel.deleted = True
        await self.dispatch("CHANNEL_DELETE", channel.payload(), guild_id=channel.guild_id)

    async def channel_updated(self, channel: Channel) -> None:
        await self.dispatch("CHANNEL_UPDATE", channel.payload(), guild_id=channel.guild_id)

    # --- basic REST ---------------------------------------------------------------------

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return json_response(
            {
                "url": self.gateway_url,
                "shards": self.recommended_shards,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": self.max_concurrency,
                },
            }
        )

    async def _get_me(self, request: web.Request) -> web.Response:
        me = {**self.world.bot_user.payload(), "verified": True, "mfa_enabled": False}
        return json_response(me)

    async def _get_user(self, request: web.Request) -> web.Response:
        user = self.world.users.get(int(request.match_info["user_id"]))
        if user is None:
            raise DiscordError(404, 10013, "Unknown User")
        return json_response(user.payload())

    async def _get_application(self, request: web.Request) -> web.Response:
        owner = next((u for u in self.world.users.values() if not u.bot), self.world.bot_user)
        return json_response(
            {
                "id": str(self.world.application_id),
                "name": "Marquee",
                "icon": None,
                "description": "Marquee (sandbox)",
                "summary": "",
                "type": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": 0,
                "owner": owner.payload(),
                "team": None,
                "bot": self.world.bot_user.payload(),
                "interactions_endpoint_url": None,
                "redirect_uris": [],
                "tags": [],
            }
        )

    async def _create_dm(self, request: web.Request) -> web.Response:
        body = request[BODY] or {}
        user = self.world.users.get(int(body.get("recipient_id", 0)))
        if user is None:
            raise DiscordError(400, 50035, "Invalid Form Body")
        return json_response(self.world.dm_channel(user).payload())

    async def _get_guild(self, request: web.Request) -> web.Response:
        guild = self.world.guilds.get(int(request.match_info["guild_id"]))
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        data = self._guild_payload(guild.id)
        for key in ("members", "channels", "threads", "presences", "voice_states"):
            data.pop(key, None)
        return json_response(data)

    async def _get_attachment(self, request: web.Request) -> web.Response:
        data = self.attachments.get(int(request.match_info["attachment_id"]))
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data)

    # --- application commands ------------------------------------------------------------

    async def _put_commands(self, request: web.Request) -> web.Response:
        if int(request.match_info["app_id"]) != self.world.application_id:
            raise DiscordError(403, 50001, "Missing Access")
        guild_id = int(request.match_info["guild_id"]) if "guild_id" in request.match_info else None
        if guild_id is not None and guild_id not in self.world.guilds:
            raise DiscordError(403, 50001, "Missing Access")
        payload = request[BODY] or []  # validation refused duplicate names and bad options
        self.command_syncs.append(CommandSync(guild_id, payload))
        old = {(c["type"], c["name"]): c for c in self.commands.get(guild_id, [])}
        stored = []
        for cmd in payload:
            kind = cmd.get("type", 1)
            prev = old.get((kind, cmd["name"]))
            dmp = cmd.get("default_member_permissions")
            stored.append(
                {
                    **cmd,
                    "id": prev["id"] if prev else str(self.world.ids.next()),
                    "application_id": str(self.world.application_id),
                    "version": str(self.world.ids.next()),
                    "type": kind,
                    "default_member_permissions": None if dmp is None else str(dmp),
                    "options": cmd.get("options") or [],
                    "nsfw": cmd.get("nsfw", False),
                    **({"guild_id": str(guild_id)} if guild_id else {}),
                }
            )
        self.commands[guild_id] = stored
        log.info(
            "Synced %d commands (%s)", len(stored), f"guild {guild_id}" if guild_id else "global"
        )
        return json_response(stored)

    async def _get_commands(self, request: web.Request) -> web.Response:
        guild_id = int(request.match_info["guild_id"]) if "guild_id" in request.match_info else None
        return json_response(self.commands.get(guild_id, []))

    def commands_for(self, guild_id: int | None) -> list[dict[str, Any]]:
        """Commands a user sees in ``guild_id``: that guild's plus the global ones."""
        out = list(self.commands.get(guild_id, [])) if guild_id else []
        names = {(c["type"], c["name"]) for c in out}
        out += [c for c in self.commands.get(None, []) if (c["type"], c["name"]) not in names]
        return out

    # --- messages -----------------------------------------------------------------------

    def _channel(self, channel_id: str | int) -> Channel:
        channel = self.world.channels.get(int(channel_id))
        if channel is None or channel.deleted:
            raise DiscordError(404, 10003, "Unknown Channel")
        return channel

    def _attachments(self, body: dict[str, Any], files: list[dict[str, Any]]) -> list[dict]:
        out = []
        for index, f in enumerate(files):
            aid = self.world.ids.next()
            self.attachments[aid] = f["data"]
            name = f["filename"] or f"file{index}"
            url = f"{self.origin}/attachments/{aid}/{name}"
            out.append(
                {
                    "id": str(aid),
                    "filename": name,
                    "size": len(f["data"]),
                    "url": url,
                    "proxy_url": url,
                    "content_type": f.get("content_type"),
                }
            )
        return out

    def make_message(
        self,
        channel: Channel,
        body: dict[str, Any],
        *,
        files: list[dict[str, Any]] | None = None,
        webhook: bool = False,
        flags: int = 0,
        interaction: InteractionRecord | None = None,
        author: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Store a message as Discord would return it and tell listeners about it."""
        mid = self.world.ids.next()
        msg: dict[str, Any] = {
            "id": str(mid),
            "channel_id": str(channel.id),
            "author": author or self.world.bot_user.payload(),
            "content": body.get("content") or "",
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(body, files or []),
            "embeds": [{"type": "rich", **e} for e in body.get("embeds") or []],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": flags | (int(body.get("flags") or 0) & ~LOADING),
        }
        if channel.guild_id:
            msg["guild_id"] = str(channel.guild_id)
        if "allowed_mentions" in body:  # kept so tests can check who a message may ping
            msg["_allowed_mentions"] = body["allowed_mentions"]
        if webhook:
            msg["webhook_id"] = str(self.world.application_id)
            msg["application_id"] = str(self.world.application_id)
        if interaction is not None:
            data = interaction.payload.get("data") or {}
            user = interaction.payload.get("member", {}).get("user") or interaction.payload.get(
                "user"
            )
            msg["type"] = 20 if interaction.payload["type"] == 2 else 0
            msg["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.payload["type"],
                "user": user,
                "authorizing_integration_owners": {},
                **({"name": data["name"]} if "name" in data else {}),
            }
        self.world.messages[mid] = msg
        for listener in list(self.message_listeners):
            listener(msg)
        self._notify()
        return msg

    async def _announce(self, name: str, msg: dict[str, Any]) -> None:
        """MESSAGE_CREATE/UPDATE over the gateway for messages everyone can see."""
        if msg.get("flags", 0) & EPHEMERAL:
            return
        channel = self.world.channels.get(int(msg["channel_id"]))
        guild_id = channel.guild_id if channel else None
        for session in list(self._sessions.values()):
            wanted = INTENT_GUILD_MESSAGES if guild_id else INTENT_DIRECT_MESSAGES
            if session.intents & wanted and (guild_id is None or session.wants_guild(guild_id)):
                await self._send_event(session, name, public(msg))

    async def user_message(
        self, channel: Channel, author: dict[str, Any], content: str, member: dict | None = None
    ) -> dict[str, Any]:
        """A person writes in ``channel``: MESSAGE_CREATE to the bot, with the text only
        when the bot asked for the Message Content intent (as Discord does)."""
        msg = self.make_message(channel, {"content": content}, author=author)
        guild_id = channel.guild_id
        for session in list(self._sessions.values()):
            wanted = INTENT_GUILD_MESSAGES if guild_id else INTENT_DIRECT_MESSAGES
            if not session.intents & wanted or (guild_id and not session.wants_guild(guild_id)):
                continue
            payload = public(msg)
            if member is not None:
                payload["member"] = member
            if guild_id and not session.intents & INTENT_MESSAGE_CONTENT:
                payload.update(content="", embeds=[], attachments=[], components=[])
            await self._send_event(session, "MESSAGE_CREATE", payload)
        return msg

    def _edit(self, msg: dict[str, Any], body: dict[str, Any], files: list[dict]) -> None:
        for key in ("content", "components"):
            if key in body:
                msg[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        if "embeds" in body:
            msg["embeds"] = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "attachments" in body or files:
            keep = {str(a.get("id")) for a in body.get("attachments") or []}
            msg["attachments"] = [a for a in msg["attachments"] if a["id"] in keep]
            msg["attachments"] += self._attachments(body, files)
        msg["flags"] = msg.get("flags", 0) & ~LOADING
        msg["edited_timestamp"] = iso_now()
        msg.setdefault("_edits", 0)
        msg["_edits"] += 1
        for listener in list(self.message_listeners):
            listener(msg)
        self._notify()

    def _require_message(self, channel: Channel, message_id: str) -> dict[str, Any]:
        msg = self.world.messages.get(int(message_id)) if message_id.isdigit() else None
        if msg is None or msg.get("_deleted") or msg["channel_id"] != str(channel.id):
            raise DiscordError(404, 10008, "Unknown Message")
        return msg

    async def _create_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request.match_info["channel_id"])
        body, files = request[BODY] or {}, request[FILES]
        perms = self.world.bot_permissions(channel)
        needed = Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES
        if perms & needed != needed:
            raise DiscordError(403, 50013, "Missing Permissions")
        msg = self.make_message(
            channel, body, files=files, flags=int(body.get("flags") or 0) & ~EPHEMERAL
        )
        await self._announce("MESSAGE_CREATE", msg)
        return json_response(public(msg))

    async def _list_messages(self, request: web.Request) -> web.Response:
        channel = self._channel(request.match_info["channel_id"])
        if not self.world.bot_permissions(channel) & Perm.READ_MESSAGE_HISTORY:
            raise DiscordError(403, 50013, "Missing Permissions")
        limit = min(100, int(request.query.get("limit", 50)))
        before = int(request.query.get("before", 0) or 0)
        after = int(request.query.get("after", 0) or 0)
        msgs = [public(m) for m in self.world.channel_messages(channel)]
        msgs.sort(key=lambda m: int(m["id"]), reverse=True)
        if before:
            msgs = [m for m in msgs if int(m["id"]) < before]
        if after:
            msgs = [m for m in msgs if int(m["id"]) > after][-limit:]
        return json_response(msgs[:limit])

    async def _get_channel(self, request: web.Request) -> web.Response:
        return json_response(self._channel(request.match_info["channel_id"]).payload())

    async def _get_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request.match_info["channel_id"])
        return json_response(
            public(self._require_message(channel, request.match_info["message_id"]))
        )

    async def _edit_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request.match_info["channel_id"])
        msg = self._require_message(channel, request.match_info["message_id"])
        if msg["author"]["id"] != str(self.world.bot_user.id):
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        self._edit(msg, request[BODY] or {}, request[FILES])
        await self._announce("MESSAGE_UPDATE", msg)
        return json_response(public(msg))

    async def _delete_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request.match_info["channel_id"])
        msg = self._require_message(channel, request.match_info["message_id"])
        own = msg["author"]["id"] == str(self.world.bot_user.id)
        if not own and not self.world.bot_permissions(channel) & Perm.MANAGE_MESSAGES:
            raise DiscordError(403, 50013, "Missing Permissions")
        msg["_deleted"] = True
        self._notify()
        await self.dispatch(
            "MESSAGE_DELETE",
            {
                "id": msg["id"],
                "channel_id": msg["channel_id"],
                **({"guild_id": msg["guild_id"]} if "guild_id" in msg else {}),
            },
            guild_id=channel.guild_id,
        )
        return web.Response(status=204)

    # --- interactions ---------------------------------------------------------------------

    async def send_interaction(
        self, payload: dict[str, Any], *, channel_id: int | None
    ) -> InteractionRecord:
        """Register an interaction (``payload`` without id/token) and send INTERACTION_CREATE."""
        iid = self.world.ids.next()
        token = "itk." + secrets.token_urlsafe(24)
        payload = {**payload, "id": str(iid), "token": token}
        rec = InteractionRecord(iid, token, payload, time.perf_counter(), channel_id)
        self.interactions[iid] = rec
        self._by_token[token] = rec
        guild_id = int(payload["guild_id"]) if payload.get("guild_id") else None
        await self.dispatch("INTERACTION_CREATE", payload, guild_id=guild_id)
        return rec

    def _interaction(self, token: str) -> InteractionRecord:
        rec = self._by_token.get(token)
        if rec is None:
            raise DiscordError(404, 10062, "Unknown interaction")
        return rec

    def _interaction_channel(self, rec: InteractionRecord) -> Channel:
        channel = self.world.channels.get(rec.channel_id or 0)
        if channel is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        return channel

    async def _callback(self, request: web.Request) -> web.Response:
        rec = self._interaction(request.match_info["token"])
        if str(rec.id) != request.match_info["iid"]:
            raise DiscordError(404, 10062, "Unknown interaction")
        body, files = request[BODY] or {}, request[FILES]
        now = time.perf_counter()
        if rec.callback_type is not None:
            self.violation(
                "POST", request.path, "interaction has already been acknowledged (40060)", body
            )
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        elapsed = now - rec.sent_at
        if elapsed > self.interaction_deadline:
            reason = (
                f"initial response after {elapsed:.2f} s; Discord allows "
                f"{self.interaction_deadline:g} s (defer first)"
            )
            rec.rejected = reason
            self.violation("POST", request.path, reason, body)
            raise DiscordError(404, 10062, "Unknown interaction")
        kind = int(body.get("type", 0))
        data = body.get("data") or {}
        itype = rec.payload["type"]
        allowed = {
            1: {1},
            2: {4, 5, 9},
            3: {4, 5, 6, 7, 9},
            4: {8},
            5: {4, 5, 6, 7},
        }.get(itype, set())
        if kind not in allowed:
            reason = f"callback type {kind} is not valid for interaction type {itype}"
            self.violation("POST", request.path, reason, body)
            raise DiscordError(400, 40043, reason)
        rec.callback_type, rec.callback_at, rec.callback_data = kind, now, data
        message: dict[str, Any] | None = None
        if kind in (4, 5):
            channel = self._interaction_channel(rec)
            flags = int(data.get("flags") or 0) & EPHEMERAL
            if kind == 5:
                flags |= LOADING
            message = self.make_message(
                channel,
                data if kind == 4 else {},
                files=files,
                webhook=True,
                flags=flags,
                interaction=rec,
            )
            rec.original_id = int(message["id"])
            await self._announce("MESSAGE_CREATE", message)
        elif kind in (6, 7):
            source = rec.payload.get("message")
            if source is not None:
                rec.original_id = int(source["id"])
                message = self.world.messages.get(rec.original_id)
                if kind == 7 and message is not None:
                    self._edit(message, data, files)
                    await self._announce("MESSAGE_UPDATE", message)
        self._notify()
        if request.query.get("with_response", "").lower() not in ("1", "true"):
            return web.Response(status=204)
        return json_response(
            {
                "interaction": {
                    "id": str(rec.id),
                    "type": itype,
                    "response_message_id": str(rec.original_id) if rec.original_id else None,
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(message and message["flags"] & EPHEMERAL),
                },
                "resource": {
                    "type": kind,
                    **({"message": public(message)} if message and kind in (4, 5, 7) else {}),
                },
            }
        )

    def _webhook_rec(self, request: web.Request) -> InteractionRecord:
        rec = self._interaction(request.match_info["token"])
        if request.match_info["app_id"] != str(self.world.application_id):
            raise DiscordError(404, 10015, "Unknown Webhook")
        return rec

    def _webhook_message(self, rec: InteractionRecord, message_id: str) -> dict[str, Any]:
        if message_id == "@original":
            if rec.original_id is None:
                raise DiscordError(404, 10008, "Unknown Message")
            mid = rec.original_id
        elif message_id.isdigit() and (
            int(message_id) in rec.followup_ids or int(message_id) == rec.original_id
        ):
            mid = int(message_id)
        else:
            raise DiscordError(404, 10008, "Unknown Message")
        msg = self.world.messages.get(mid)
        if msg is None or msg.get("_deleted"):
            raise DiscordError(404, 10008, "Unknown Message")
        return msg

    async def _followup(self, request: web.Request) -> web.Response:
        rec = self._webhook_rec(request)
        body, files = request[BODY] or {}, request[FILES]
        if rec.callback_type is None:
            self.violation(
                "POST", request.path, "follow-up sent before the interaction was acknowledged", body
            )
            raise DiscordError(404, 10015, "Unknown Webhook")
        channel = self._interaction_channel(rec)
        original = self.world.messages.get(rec.original_id or 0)
        flags = int(body.get("flags") or 0) & EPHEMERAL
        if (
            original is not None
            and original["flags"] & LOADING
            and not original.get("_deleted")
            and not rec.followup_ids
        ):
            # The first follow-up after a "thinking" defer replaces the loading message.
            # Its ephemerality was fixed by the defer.
            self._edit(original, body, files)
            msg = original
        else:
            msg = self.make_message(
                channel, body, files=files, webhook=True, flags=flags, interaction=rec
            )
        rec.followup_ids.append(int(msg["id"]))
        await self._announce("MESSAGE_CREATE", msg)
        self._notify()
        if request.query.get("wait", "").lower() in ("1", "true"):
            return json_response(public(msg))
        return web.Response(status=204)

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        rec = self._webhook_rec(request)
        return json_response(public(self._webhook_message(rec, request.match_info["message_id"])))

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        rec = self._webhook_rec(request)
        msg = self._webhook_message(rec, request.match_info["message_id"])
        self._edit(msg, request[BODY] or {}, request[FILES])
        await self._announce("MESSAGE_UPDATE", msg)
        return json_response(public(msg))

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        rec = self._webhook_rec(request)
        msg = self._webhook_message(rec, request.match_info["message_id"])
        msg["_deleted"] = True
        self._notify()
        return web.Response(status=204)


def json_response(
    data: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON with the bare ``application/json`` type: discord.py compares it exactly."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


def public(msg: dict[str, Any]) -> dict[str, Any]:
    """A stored message without the emulator's private bookkeeping keys."""
    return {k: v for k, v in msg.items() if not k.startswith("_")}
