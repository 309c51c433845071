"""MovieBot: owns the store, loads the cogs, maps errors to short replies."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import pkgutil
import secrets
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot.catalog.tmdb.client import TmdbClient
from bot.catalog.tmdb.service import TmdbService
from bot.db.coordination import Coordinator, open_coordinator
from bot.db.store import Store
from bot.errors import UserFacingError
from bot.permissions import NotServerManager
from bot.sandbox.ids import is_sandbox_id
from bot.settings import Settings
from bot.ui.replies import NO_PINGS, respond

log = logging.getLogger(__name__)

# Discord allows one IDENTIFY per 5 s per rate-limit key (shard id % max_concurrency);
# the half second covers the moment between taking a slot and sending.
IDENTIFY_SPACING_SECONDS = 5.5


class MarqueeTree(app_commands.CommandTree):
    """The one error path for slash commands."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        message = user_message(error)
        if message is None:
            error_id = secrets.token_hex(4)
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error("command /%s failed (error id %s)", command, error_id, exc_info=error)
            message = f"Something went wrong on my side (error id `{error_id}`)."
        try:
            await respond(interaction, message, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not report an error to the user", exc_info=True)


def user_message(error: Exception) -> str | None:
    """The short text for an error a user caused, or None for a bug."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserFacingError | NotServerManager):
        return str(error)
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works only in a server."
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the Manage Server permission to use this command."
    if isinstance(error, app_commands.BotMissingPermissions):
        missing = ", ".join(p.replace("_", " ") for p in error.missing_permissions)
        return f"I need these permissions here: {missing}."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.TransformerError):
        return f"{str(error.value)[:80]!r} is not a valid value for that option."
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or "You can't use this command here."
    if isinstance(error, discord.Forbidden):
        return "I don't have permission to do that in this channel."
    return None


class MovieBot(commands.Bot):
    """The bot. Resources are opened by the caller and passed in."""

    def __init__(
        self, *, settings: Settings, store: Store, force_sync: bool = False, **kwargs: Any
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        if settings.message_content:
            intents.guild_messages = True
            intents.message_content = True
        if settings.shard_count is not None:
            kwargs.setdefault("shard_count", settings.shard_count)
        if settings.shard_ids is not None:
            kwargs.setdefault("shard_ids", list(settings.shard_ids))
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=MarqueeTree,
            allowed_mentions=NO_PINGS,
            help_command=None,
            **kwargs,
        )
        self.settings = settings
        self.store = store
        self.force_sync = force_sync
        self.started_at = dt.datetime.now(dt.UTC)
        self.coordinator: Coordinator | None = None
        self._max_concurrency: int | None = None
        self.tmdb: TmdbService | None = None  # set in setup_hook when TMDB_API_KEY is set

    def serves(self, guild_id: int) -> bool:
        """Whether this bot may act on a server's stored rows without being asked from it
        (scheduled posts, feeds, reminders, games left running): the sandbox only on its
        own servers, a real bot never on them. Both share one database."""
        return is_sandbox_id(guild_id) == self.settings.sandbox

    async def setup_hook(self) -> None:
        self.coordinator = await open_coordinator(self.store)
        await self.start_tmdb()
        for name in extension_names():
            await self.load_extension(name)
        await self.sync_commands()

    async def start_tmdb(self) -> None:
        """Open the one TMDB client and try the key: a refused key is one log line, and the
        bot goes on answering from its store."""
        settings = self.settings
        if not settings.tmdb_api_key:
            log.info("TMDB_API_KEY is not set: lookups answer from the store only")
            return
        client = TmdbClient(settings.tmdb_api_key, settings.tmdb_api_base)
        self.tmdb = TmdbService(self.store, client, cache_days=settings.tmdb_cache_days)
        status = await self.tmdb.check()
        if self.tmdb.refused or self.tmdb.last_error:
            log.warning("TMDB: %s", status)
        else:
            log.info("TMDB at %s: %s", settings.tmdb_api_base, status)

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            if self.tmdb is not None:
                await self.tmdb.close()
            if self.coordinator is not None:
                await self.coordinator.close()
                self.coordinator = None

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Space IDENTIFYs by Discord's rule across every process of the bot: shards
        with the same `shard_id % max_concurrency` take turns 5 s apart, from one
        queue in the store (replaces discord.py's fixed 5 s pause)."""
        if self._max_concurrency is None:
            try:
                _, _, limits = await self.http.get_bot_gateway()
                self._max_concurrency = max(1, int(limits["max_concurrency"]))
            except (discord.HTTPException, discord.GatewayNotFound, KeyError, ValueError):
                self._max_concurrency = 1  # the strictest reading of the rule
        bucket = (shard_id or 0) % self._max_concurrency
        me = self.user.id if self.user else 0
        assert self.coordinator is not None
        await self.coordinator.wait_slot(f"identify:{me}:{bucket}", IDENTIFY_SPACING_SECONDS)

    async def sync_commands(self) -> bool:
        """Sync when the tree differs from the last one synced (or when forced)."""
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        payload = [cmd.to_dict(self.tree) for cmd in self.tree.get_commands(guild=guild)]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        key = f"command_tree:{guild.id if guild else 'global'}:{self.application_id}"
        if not self.force_sync and await self.store.get_meta(key) == digest:
            log.info("slash commands unchanged; not syncing")
            return False
        synced = await self.tree.sync(guild=guild)
        await self.store.set_meta(key, digest)
        log.info(
            "synced %d slash commands to %s", len(synced), guild.id if guild else "all servers"
        )
        return True


def extension_names() -> list[str]:
    """Every module in the cogs package (underscore-prefixed ones are helpers)."""
    return sorted(
        f"cogs.{m.name}" for m in pkgutil.iter_modules(cogs.__path__) if not m.name.startswith("_")
    )


class ShardedMovieBot(MovieBot, commands.AutoShardedBot):
    """MovieBot over several gateway shards in one process (SHARD_COUNT / SHARD_IDS)."""


def bot_class(settings: Settings) -> type[MovieBot]:
    """The plain bot, or the auto-sharded one when sharding is configured.

    A plain Client ignores `shard_ids`, so sharding needs the AutoSharded variant.
    """
    sharded = settings.shard_count is not None or settings.shard_ids is not None
    return ShardedMovieBot if sharded else MovieBot
