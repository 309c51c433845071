"""Drive the real bot through the emulator: the API end-to-end tests and the console use.

``Sandbox`` owns an ``Emulator`` with a default server ("Marquee Sandbox": #general,
#news, #trivia; users ``admin`` with Manage Server and ``member``), starts a real
``MovieBot`` (real discord.py client, real SQLite store) connected to it, and acts as
Discord users: ``slash``, ``autocomplete``, ``click``, ``select``, ``submit``. What
the bot sent comes back as live ``Msg`` views (later edits show through).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.runtime import open_store
from bot.sandbox.interactions import CommandError, PayloadBuilder, Upload
from bot.sandbox.server import EPHEMERAL, LOADING, Emulator, InteractionRecord, Violation
from bot.sandbox.world import Channel, Guild, Member, Overwrite, Perm, Role, User
from bot.wording import plural

if TYPE_CHECKING:
    import discord

    from bot.db.store import Store
    from bot.settings import Settings

log = logging.getLogger(__name__)

__all__ = [
    "CommandError",
    "DiscordRejected",
    "Msg",
    "NoResponse",
    "Perm",
    "Reply",
    "Sandbox",
    "Upload",
]


# Names discord.py 2.x gives the tasks that run a bot's code for one event: app
# commands, view/modal/dynamic-item callbacks, and listeners (``Client._schedule_event``).
# Knowing them lets the harness wait for "the bot has finished handling this" instead
# of sleeping. Only these names are relied on; see ``Sandbox.settle``.
HANDLER_TASKS = (
    "CommandTree-invoker",
    "discord-ui-view-dispatch-",
    "discord-ui-modal-dispatch-",
    "discord-ui-dynamic-item-",
    "discord.py: on_interaction",
    "discord.py: on_message",
)


class DiscordRejected(AssertionError):
    """The bot sent something Discord would refuse (or broke an interaction rule)."""


class NoResponse(AssertionError):
    """The bot did not answer an interaction in time."""


class Msg:
    """A live view of one message the emulator holds; attributes follow later edits."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    @property
    def id(self) -> int:
        return int(self.raw["id"])

    @property
    def channel_id(self) -> int:
        return int(self.raw["channel_id"])

    @property
    def content(self) -> str:
        return self.raw.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.raw.get("embeds") or []

    @property
    def embed(self) -> dict[str, Any] | None:
        """The first embed, or None."""
        return self.embeds[0] if self.embeds else None

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.raw.get("components") or []

    @property
    def flags(self) -> int:
        return int(self.raw.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """Still "Marquee is thinking..." after a defer."""
        return bool(self.flags & LOADING)

    @property
    def deleted(self) -> bool:
        return bool(self.raw.get("_deleted"))

    @property
    def edits(self) -> int:
        return int(self.raw.get("_edits", 0))

    @property
    def attachments(self) -> list[dict[str, Any]]:
        return self.raw.get("attachments") or []

    def items(self) -> list[dict[str, Any]]:
        """Every interactive component (buttons, selects), flattened from rows/containers."""
        out: list[dict[str, Any]] = []

        def walk(nodes: list[dict[str, Any]]) -> None:
            for node in nodes:
                if node.get("type") in (2, 3, 5, 6, 7, 8):
                    out.append(node)
                walk(node.get("components") or [])
                if isinstance(node.get("accessory"), dict):
                    walk([node["accessory"]])

        walk(self.components)
        return out

    @property
    def buttons(self) -> list[str]:
        """Button labels, in order."""
        return [c.get("label") or "" for c in self.items() if c.get("type") == 2]

    def find(self, label_or_id: str) -> dict[str, Any]:
        """The component whose label, custom_id or placeholder is ``label_or_id``."""
        wanted = label_or_id.strip().strip("[]").lower()
        for comp in self.items():
            names = (comp.get("label"), comp.get("custom_id"), comp.get("placeholder"))
            if any(n is not None and n.lower() == wanted for n in names):
                return comp
        raise LookupError(f"no component {label_or_id!r} on message; it has {self.buttons}")

    @property
    def text(self) -> str:
        """Readable text, as the console prints it."""
        from bot.ui.text import render_message

        return render_message(self.raw)

    def __repr__(self) -> str:
        return f"<Msg {self.id} {self.content[:40]!r} embeds={len(self.embeds)}>"


@dataclasses.dataclass
class Reply:
    """What came back from one interaction: the response message, follow-ups, choices."""

    record: InteractionRecord
    sandbox: Sandbox

    @property
    def callback_type(self) -> int | None:
        return self.record.callback_type

    @property
    def deferred(self) -> bool:
        return self.record.callback_type in (5, 6)

    @property
    def message(self) -> Msg | None:
        """The original response (or, for a component, the message it updated); None once
        the bot deleted it (e.g. a "thinking..." replaced by an ephemeral answer)."""
        raw = self.sandbox.emulator.world.messages.get(self.record.original_id or 0)
        return Msg(raw) if raw is not None and not raw.get("_deleted") else None

    @property
    def followups(self) -> list[Msg]:
        world = self.sandbox.emulator.world
        return [
            Msg(world.messages[m])
            for m in self.record.followup_ids
            if m != self.record.original_id and m in world.messages
        ]

    @property
    def messages(self) -> list[Msg]:
        """The response message then the follow-ups."""
        first = [self.message] if self.message is not None else []
        return first + self.followups

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Autocomplete results: ``[{"name", "value"}]``."""
        return list((self.record.callback_data or {}).get("choices") or [])

    @property
    def modal(self) -> dict[str, Any] | None:
        return self.record.callback_data if self.record.callback_type == 9 else None

    def _msg(self) -> Msg:
        msg = self.message or (self.followups[0] if self.followups else None)
        if msg is None:
            raise AssertionError(f"interaction got no message (callback type {self.callback_type})")
        return msg

    @property
    def content(self) -> str:
        return self._msg().content

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self._msg().embeds

    @property
    def embed(self) -> dict[str, Any] | None:
        return self._msg().embed

    @property
    def components(self) -> list[dict[str, Any]]:
        return self._msg().components

    @property
    def buttons(self) -> list[str]:
        return self._msg().buttons

    @property
    def ephemeral(self) -> bool:
        return self._msg().ephemeral

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.messages) if self.messages else ""

    async def wait_for_followup(self, count: int = 1, *, within: float = 5.0) -> Msg:
        """Wait until there are ``count`` follow-ups; returns the last."""
        await self.sandbox.emulator.wait_until(lambda: len(self.followups) >= count, within)
        if len(self.followups) < count:
            raise NoResponse(f"expected {plural(count, 'follow-up')}, got {len(self.followups)}")
        return self.followups[count - 1]


def _default_bot_factory(settings: Settings, store: Store, **kwargs: Any) -> discord.Client:
    from bot.app import bot_class

    return bot_class(settings)(settings=settings, store=store, **kwargs)


class Sandbox:
    """An emulator, a default server, and (after ``start_bot``) the real bot connected to it."""

    def __init__(self, emulator: Emulator | None = None) -> None:
        self.emulator = emulator or Emulator()
        self.world = self.emulator.world
        self.bot: Any = None
        self.store: Store | None = None
        self._bot_task: asyncio.Task[None] | None = None
        self._owns_store = False
        self._seen_violations = 0
        w = self.world
        self.admin_user = w.add_user("admin")
        self.guild = w.add_guild("Marquee Sandbox", owner=self.admin_user)
        self.admin_role = w.add_role(self.guild, "Admin", Perm.DEFAULT | Perm.MANAGE_GUILD)
        self.admin = self.guild.members[self.admin_user.id]
        # The owner has every permission anyway; the role documents why admin is admin.
        self.admin.roles.append(self.admin_role.id)
        self.member = w.add_member(self.guild, "member")
        self.general = w.add_channel(self.guild, "general")
        self.news = w.add_channel(self.guild, "news")
        self.trivia = w.add_channel(self.guild, "trivia")
        self.builder = PayloadBuilder(w, "", self.emulator.attachments)

    # --- lifecycle -----------------------------------------------------------------

    async def start(self) -> Sandbox:
        await self.emulator.start()
        self.builder.attachment_base = self.emulator.origin
        return self

    async def start_bot(
        self,
        settings: Settings,
        *,
        store: Store | None = None,
        factory: Callable[..., discord.Client] | None = None,
        within: float = 10.0,
        **bot_kwargs: Any,
    ) -> Any:
        """Start the bot against this emulator and wait until it has every guild.

        ``settings.api_base`` and ``discord_token`` are replaced with the emulator's, and
        the bot is told it is the sandbox's (it acts on the sandbox's servers only).
        With no ``store``, one is opened (and seeded) at ``settings.db_path``.
        """
        from bot.discord_api import point_client_at

        settings = dataclasses.replace(
            settings,
            api_base=self.emulator.api_base,
            discord_token=self.emulator.token,
            sandbox=True,
        )
        await point_client_at(settings.api_base, token=settings.discord_token)  # type: ignore[arg-type]
        if store is None:
            store = await open_store(settings)
            self._owns_store = True
        self.store = store
        bot_kwargs.setdefault("guild_ready_timeout", 0.05)
        # The emulator starts with no commands, though the store may remember a sync
        # for this (stable) application id from an earlier start.
        bot_kwargs.setdefault("force_sync", True)
        self.bot = (factory or _default_bot_factory)(settings, store, **bot_kwargs)
        self._bot_task = asyncio.create_task(self._run_bot(settings.discord_token or ""))
        ready = await self.emulator.wait_until(
            lambda: self._bot_task.done() or self._bot_has_guilds(), within
        )
        if self._bot_task.done():
            self._bot_task.result()  # re-raise what stopped it
            raise RuntimeError("the bot stopped while starting")
        if not ready:
            raise TimeoutError(f"the bot did not connect within {within} s")
        return self.bot

    def _bot_has_guilds(self) -> bool:
        bot = self.bot
        if bot is None or bot.user is None:
            return False
        if bot.ws is None and not getattr(bot, "shards", None):  # auto-sharded: no single ws
            return False
        return all(bot.get_guild(g) is not None for g in self.world.guilds)

    async def _run_bot(self, token: str) -> None:
        try:
            await self.bot.start(token)
        except Exception:
            log.exception("the bot stopped with an error")
            raise

    async def stop_bot(self) -> None:
        """Close the bot only (as a process exit would); ``start_bot`` may start another."""
        if self.bot is not None:
            await self.bot.close()
        await self._end_bot_task()

    async def _end_bot_task(self, grace: float = 5.0, limit: float = 15.0) -> None:
        """Wait for the closed bot's task to end, cancelling it until it does.

        One cancel is not always enough: discord.py's shard launcher retries a failed
        connect forever, and Python 3.11's asyncio.wait_for can swallow a cancellation
        that lands while a connect attempt is failing.
        """
        task, self._bot_task = self._bot_task, None
        if task is None:
            return
        await asyncio.wait({task}, timeout=grace)
        deadline = asyncio.get_running_loop().time() + limit
        while not task.done() and asyncio.get_running_loop().time() < deadline:
            task.cancel()
            await asyncio.wait({task}, timeout=0.2)
        if task.done():
            if not task.cancelled():
                task.exception()  # retrieved: already logged by _run_bot
        else:
            log.warning("the bot's task did not end within %.0f s", grace + limit)

    async def stop(self) -> None:
        if self.bot is not None:
            with contextlib.suppress(Exception):
                await self.bot.close()
        await self._end_bot_task()
        if self.store is not None and self._owns_store:
            await self.store.close()
        await self.emulator.stop()

    async def __aenter__(self) -> Sandbox:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def add_cog(self, cog: Any) -> None:
        """Add a (test-only) cog to the running bot and sync its commands to the emulator."""
        await self.bot.add_cog(cog)
        await self.sync()

    async def sync(self) -> None:
        """Upload the bot's command tree now (as ``marquee sync`` would)."""
        if hasattr(self.bot, "sync_commands"):
            before, self.bot.force_sync = self.bot.force_sync, True
            try:
                await self.bot.sync_commands()
            finally:
                self.bot.force_sync = before
        else:
            await self.bot.tree.sync()

    # --- the world -------------------------------------------------------------------

    async def add_guild(self, name: str, *, channels: tuple[str, ...] = ("general",)) -> Guild:
        """Another server with ``channels`` and its owner; the bot is told at once."""
        guild = self.world.add_guild(name)
        for ch in channels:
            self.world.add_channel(guild, ch)
        if self.bot is not None:
            await self.emulator.guild_updated(guild.id)
            await self._settle_cache(
                lambda: self.bot.get_guild(guild.id), f"the new server {name!r}"
            )
        return guild

    async def add_channel(self, name: str, *, guild: Guild | None = None) -> Channel:
        guild = guild or self.guild
        channel = self.world.add_channel(guild, name)
        await self.emulator.dispatch("CHANNEL_CREATE", channel.payload(), guild_id=guild.id)
        await self._settle_cache(
            lambda: self.bot.get_channel(channel.id), f"the new channel #{name}"
        )
        return channel

    async def add_member(
        self, name: str, *, admin: bool = False, guild: Guild | None = None, roles: list[Role] = ()
    ) -> Member:
        """A user in ``guild``; ``admin=True`` gives a role with Manage Server."""
        guild = guild or self.guild
        roles = list(roles)
        if admin:
            role = next((r for r in guild.roles.values() if r.name == "Admin"), None)
            role = role or self.world.add_role(guild, "Admin", Perm.DEFAULT | Perm.MANAGE_GUILD)
            roles.append(role)
        member = self.world.add_member(guild, name, roles=roles)
        payload = {**member.payload(), "guild_id": str(guild.id)}
        await self.emulator.dispatch("GUILD_MEMBER_ADD", payload, guild_id=guild.id)
        return member

    async def deny(
        self, channel: Channel, perms: int, *, target: Member | Role | User | None = None
    ) -> None:
        """Add a deny overwrite (for the bot by default), e.g. ``Perm.SEND_MESSAGES``."""
        if target is None:
            oid, kind = self.world.bot_user.id, 1
        elif isinstance(target, Role):
            oid, kind = target.id, 0
        else:
            oid, kind = target.id, 1
        channel.overwrites.append(Overwrite(oid, kind, deny=perms))
        await self.emulator.channel_updated(channel)

    async def delete_channel(self, channel: Channel) -> None:
        """Delete ``channel``: later requests to it get 404 Unknown Channel (10003)."""
        await self.emulator.channel_deleted(channel)
        await self._settle_cache(
            lambda: self.bot.get_channel(channel.id) is None,
            f"#{channel.name} deleted",
        )

    async def _settle_cache(
        self, predicate: Callable[[], Any], what: str, *, within: float = 10.0
    ) -> None:
        """Wait until the bot's cache shows ``what`` (it changes when discord.py has
        parsed the gateway event, which the emulator cannot observe), or say why not."""
        if self.bot is None:
            return
        deadline = asyncio.get_running_loop().time() + within
        while not predicate():
            if asyncio.get_running_loop().time() >= deadline:
                connected = "connected" if self.emulator.connected else "not connected"
                raise NoResponse(
                    f"the bot's cache did not show {what} within {within:g} s "
                    f"(gateway {connected}; the event was sent but not processed)"
                )
            await asyncio.sleep(0.005)

    # --- faults ------------------------------------------------------------------------

    def fail_next(
        self,
        route: str,
        *,
        status: int = 429,
        times: int = 1,
        method: str | None = None,
        retry_after: float = 0.05,
        scope: str = "user",
    ) -> Any:
        """The next ``times`` requests to ``route`` (e.g. ``/channels/{channel_id}/messages``)
        get ``status`` (429 with ``retry_after`` and rate-limit headers, or 5xx)."""
        return self.emulator.inject(
            route, status=status, times=times, method=method, retry_after=retry_after, scope=scope
        )

    def rate_limit(self, per_second: int | None) -> None:
        """Global budget: past ``per_second`` requests in a second, 429 global."""
        self.emulator.set_rate_limit(per_second)

    async def drop_gateway(self, *, within: float = 10.0) -> None:
        """Close the bot's gateway socket and wait until it has RESUMEd."""
        before = self.emulator.resume_count
        await self.emulator.drop_gateway()
        await self.emulator.wait_until(lambda: self.emulator.resume_count > before, within)
        if self.emulator.resume_count <= before:
            raise NoResponse(f"the bot did not RESUME within {within} s")

    # --- recorded facts -------------------------------------------------------------------

    @property
    def violations(self) -> list[Violation]:
        return self.emulator.violations

    def take_violations(self) -> list[Violation]:
        """Return and clear the violations (for tests that provoke one on purpose)."""
        out = list(self.emulator.violations)
        self.emulator.violations.clear()
        self._seen_violations = 0
        return out

    def assert_no_violations(self) -> None:
        if self.emulator.violations:
            lines = "\n  ".join(str(v) for v in self.emulator.violations)
            raise DiscordRejected(f"Discord would have refused:\n  {lines}")

    def synced_commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        """The commands as last uploaded (global, or for ``guild``)."""
        return self.emulator.commands.get(guild.id if guild else None, [])

    def visible_commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        return self.emulator.commands_for((guild or self.guild).id)

    def _new_violations(self, since: int) -> list[Violation]:
        return self.emulator.violations[since:]

    # --- acting as a user ---------------------------------------------------------------

    def _who(self, user: Member | User | str | None, channel: Channel) -> Member | User:
        if user is None:
            return self.member
        if isinstance(user, str):
            guild = self.world.guild_of(channel)
            pool = guild.members.values() if guild else []
            for m in pool:
                if m.user.username == user:
                    return m
            raise CommandError(f"no member {user!r}")
        return user

    async def _interact(
        self, payload: dict[str, Any], channel: Channel, within: float
    ) -> InteractionRecord:
        since = len(self.emulator.violations)
        rec = await self.emulator.send_interaction(payload, channel_id=channel.id)
        deadline = self.emulator.interaction_deadline + 0.5

        def mine() -> list[Violation]:
            return [v for v in self._new_violations(since) if f"/{rec.token}/" in v.path]

        await self.emulator.wait_until(
            lambda: rec.callback_type is not None or rec.rejected or mine(),
            min(within, deadline),
        )
        bad = mine()
        if not bad and rec.callback_type is None:
            bad = self._new_violations(since)
        if bad:
            raise DiscordRejected("; ".join(str(v) for v in bad))
        if rec.callback_type is None:
            raise NoResponse(
                f"no response to interaction within {self.emulator.interaction_deadline:g} s"
                " (Discord shows 'The application did not respond')"
            )
        return rec

    async def _await_deferred(
        self, rec: InteractionRecord, within: float, *, strict: bool, edits_before: int = 0
    ) -> None:
        """After a defer, wait for the edit (or a follow-up) it promised.

        ``strict`` (a "thinking" defer, type 5): no answer within ``within`` is an error.
        Otherwise (a deferred update, type 6, which may legally change nothing) waiting
        also ends when the bot's handlers have returned without editing.
        """
        since = len(self.emulator.violations)

        def done() -> bool:
            if rec.followup_ids:
                return True
            msg = self.world.messages.get(rec.original_id or 0)
            if msg is None or msg["flags"] & LOADING:
                return False
            return int(msg.get("_edits", 0)) > edits_before

        if strict:
            await self.emulator.wait_until(done, within)
        else:
            edited = asyncio.ensure_future(self.emulator.wait_until(done, within))
            idle = asyncio.ensure_future(self.settle(within))
            try:
                await asyncio.wait({edited, idle}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in (edited, idle):
                    waiter.cancel()
                await asyncio.gather(edited, idle, return_exceptions=True)
        bad = [v for v in self._new_violations(since) if f"/{rec.token}" in v.path]
        if bad:
            raise DiscordRejected("; ".join(str(v) for v in bad))
        if strict and not done():
            raise NoResponse(f"deferred but no edit or follow-up within {within} s")

    def busy_handlers(self) -> list[asyncio.Task[Any]]:
        """The bot's running event/interaction handler tasks (see ``HANDLER_TASKS``)."""
        return [
            t
            for t in asyncio.all_tasks()
            if not t.done() and t.get_name().startswith(HANDLER_TASKS)
        ]

    async def settle(self, within: float = 5.0) -> bool:
        """Wait until the handlers the bot is running now have returned; by then every
        reply, follow-up and edit they make has been answered by the emulator.
        False if some were still running after ``within`` s."""
        busy = self.busy_handlers()
        if not busy:
            return True
        _, pending = await asyncio.wait(busy, timeout=within)
        return not pending

    async def slash(
        self,
        command: str,
        /,
        *,
        user: Member | User | str | None = None,
        channel: Channel | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the documented test API
        options: dict[str, Any] | None = None,
        **kwoptions: Any,
    ) -> Reply:
        """Run ``/command`` (``"movie cast"``) as ``user`` (default: the plain member) in
        ``channel`` (default #general). After a defer, waits for the edit or follow-up.

        Command options are keyword arguments; options named ``user``, ``channel`` or
        ``timeout`` go in ``options={...}`` instead.
        """
        channel = channel or self.general
        who = self._who(user, channel)
        commands = self.emulator.commands_for(channel.guild_id)
        values = {**kwoptions, **(options or {})}
        payload = self.builder.command(commands, command, values, user=who, channel=channel)
        rec = await self._interact(payload, channel, timeout)
        if rec.callback_type == 5:
            await self._await_deferred(rec, timeout, strict=True)
        return Reply(rec, self)

    async def autocomplete(
        self,
        command: str,
        option: str,
        value: str,
        /,
        *,
        user: Member | User | str | None = None,
        channel: Channel | None = None,
        options: dict[str, Any] | None = None,
        **kwoptions: Any,
    ) -> list[dict[str, Any]]:
        """What the bot suggests while ``user`` types ``value`` into ``option``
        (other options already filled in are passed like ``slash``'s)."""
        channel = channel or self.general
        who = self._who(user, channel)
        commands = self.emulator.commands_for(channel.guild_id)
        values = {**kwoptions, **(options or {}), option: value}
        payload = self.builder.command(
            commands, command, values, user=who, channel=channel, focused=option
        )
        rec = await self._interact(payload, channel, 5.0)
        return Reply(rec, self).choices

    async def click(
        self,
        message: Msg | Reply,
        label: str,
        /,
        *,
        user: Member | User | str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the documented test API
    ) -> Reply:
        """Press the button labelled ``label`` (or with that custom_id) on ``message``."""
        msg = message._msg() if isinstance(message, Reply) else message
        comp = msg.find(label)
        if comp.get("type") != 2:
            raise CommandError(f"{label!r} is not a button; use select()")
        if comp.get("disabled"):
            raise CommandError(f"button {label!r} is disabled")
        if comp.get("url"):
            raise CommandError(f"button {label!r} is a link to {comp['url']}")
        return await self._component(msg, comp, None, user, timeout)

    async def select(
        self,
        message: Msg | Reply,
        menu: str,
        values: list[str],
        /,
        *,
        user: Member | User | str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the documented test API
    ) -> Reply:
        """Pick ``values`` in the select menu with that custom_id or placeholder."""
        msg = message._msg() if isinstance(message, Reply) else message
        comp = msg.find(menu)
        if comp.get("type") == 3:
            allowed = {o["value"] for o in comp.get("options") or []}
            bad = [v for v in values if v not in allowed]
            if bad:
                raise CommandError(f"{bad} not among the menu's options {sorted(allowed)}")
        return await self._component(msg, comp, values, user, timeout)

    async def _component(
        self,
        msg: Msg,
        comp: dict[str, Any],
        values: list[str] | None,
        user: Member | User | str | None,
        within: float,
    ) -> Reply:
        channel = self.world.channels[msg.channel_id]
        who = self._who(user, channel)
        payload = self.builder.component(msg.raw, comp, user=who, channel=channel, values=values)
        edits_before = msg.edits
        rec = await self._interact(payload, channel, within)
        if rec.callback_type == 5:
            await self._await_deferred(rec, within, strict=True)
        elif rec.callback_type == 6:
            await self._await_deferred(rec, within, strict=False, edits_before=edits_before)
        return Reply(rec, self)

    async def submit(
        self,
        reply: Reply,
        values: dict[str, str],
        /,
        *,
        user: Member | User | str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the documented test API
    ) -> Reply:
        """Fill in and submit the modal the bot opened in ``reply``."""
        modal = reply.modal
        if modal is None:
            raise CommandError("that interaction did not open a modal")
        channel = self.world.channels[reply.record.channel_id or self.general.id]
        who = self._who(user, channel)
        source = reply.record.payload.get("message")
        payload = self.builder.modal_submit(
            modal, values, user=who, channel=channel, message=source
        )
        rec = await self._interact(payload, channel, timeout)
        if rec.callback_type == 5:
            await self._await_deferred(rec, timeout, strict=True)
        return Reply(rec, self)

    async def post(
        self,
        channel: Channel,
        content: str,
        /,
        *,
        user: Member | User | str | None = None,
        handled: bool = False,
    ) -> Msg:
        """``user`` (default: the plain member) writes ``content`` in ``channel``; the bot
        gets MESSAGE_CREATE (with the text only if it has the Message Content intent).

        ``handled=True`` also waits until the bot has received the message and its
        listeners have returned (at once when its intents do not deliver the message).
        """
        who = self._who(user, channel)
        author = who.user if isinstance(who, Member) else who
        member = None
        if isinstance(who, Member):
            member = who.payload()
            member.pop("user", None)
        seen: asyncio.Future[Any] | None = None
        intents = getattr(self.bot, "intents", None)
        delivered = intents is not None and (
            intents.guild_messages if channel.guild_id else intents.dm_messages
        )
        if handled and delivered:
            seen = asyncio.ensure_future(
                self.bot.wait_for(
                    "message",
                    check=lambda m: m.author.id == author.id and m.channel.id == channel.id,
                    timeout=5.0,
                )
            )
        raw = await self.emulator.user_message(channel, author.payload(), content, member)
        if seen is not None:
            try:
                await seen
            except TimeoutError:
                raise NoResponse("the bot did not receive the message within 5 s") from None
            await self.settle()
        return Msg(raw)

    # --- reading channels ------------------------------------------------------------------

    async def messages(self, channel: Channel) -> list[Msg]:
        """Messages everyone sees in ``channel``, oldest first (ephemeral ones excluded)."""
        return [Msg(m) for m in self.world.channel_messages(channel)]

    async def wait_for_message(
        self,
        channel: Channel,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the documented test API
        check: Callable[[Msg], bool] | None = None,
        after: int | None = None,
    ) -> Msg:
        """The next message posted in ``channel`` (after message id ``after``, default:
        after whatever is there now) that passes ``check``."""
        existing = self.world.channel_messages(channel)
        floor = after if after is not None else max((int(m["id"]) for m in existing), default=0)

        def found() -> Msg | None:
            for raw in self.world.channel_messages(channel):
                if int(raw["id"]) > floor and (check is None or check(Msg(raw))):
                    return Msg(raw)
            return None

        msg = await self.emulator.wait_until(found, timeout)
        if msg is None:
            raise NoResponse(f"no message in #{channel.name} within {timeout} s")
        return msg

    async def dm_messages(self, user: Member | User) -> list[Msg]:
        """Messages the bot sent to ``user`` by DM."""
        u = user.user if isinstance(user, Member) else user
        return [Msg(m) for m in self.world.channel_messages(self.world.dm_channel(u))]

    @staticmethod
    def default_db(tmp: Path) -> Path:
        return tmp / "marquee.sqlite3"
