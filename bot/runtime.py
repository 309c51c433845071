"""Start-up shared by `marquee run`, `marquee sync` and the sandbox."""

from __future__ import annotations

import contextlib
import logging

import discord

from bot.db.store import Store
from bot.errors import UserFacingError
from bot.news.ingest import seed_from_dir
from bot.settings import Settings
from bot.wording import plural

log = logging.getLogger(__name__)


class RedactToken(logging.Filter):
    """Last line of defence: no log record ever shows the token."""

    def __init__(self, *secrets: str | None) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            if any(secret in message for secret in self.secrets):
                for secret in self.secrets:
                    message = message.replace(secret, "[token]")
                record.msg = message
                record.args = ()
        return True


def setup_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(settings.discord_token, settings.tmdb_api_key))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)


async def open_store(settings: Settings, *, seed: bool = True) -> Store:
    """Open the database, migrate it, and ingest seed articles not yet stored."""
    store = await Store.open(settings.database)
    if seed:
        try:
            created = [r for r in await seed_from_dir(store, settings.data_dir) if r.created]
        except BaseException:
            await store.close()
            raise
        if created:
            log.info("seeded %s from %s", plural(len(created), "article"), settings.data_dir)
    return store


def _close_on_sigterm(bot: discord.Client) -> None:
    """SIGTERM (a supervisor, systemd, docker stop) closes the gateway and the store
    cleanly instead of killing the process mid-write."""
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
        loop.add_signal_handler(signal.SIGTERM, lambda: loop.create_task(bot.close()))


async def run_bot(settings: Settings, *, sync_only: bool = False) -> int:
    """Connect to Discord (or DISCORD_API_BASE) and serve until stopped."""
    from bot.app import bot_class

    if not settings.discord_token:
        raise UserFacingError("DISCORD_TOKEN is not set")
    if settings.api_base:
        import aiohttp

        from bot.discord_api import point_client_at

        try:
            await point_client_at(settings.api_base, token=settings.discord_token)
        except (aiohttp.ClientError, TimeoutError, KeyError, ValueError) as exc:
            reason = str(exc) or type(exc).__name__
            raise UserFacingError(
                f"DISCORD_API_BASE {settings.api_base} did not answer GET /gateway/bot ({reason})"
            ) from None
    store = await open_store(settings)
    try:
        bot = bot_class(settings)(settings=settings, store=store, force_sync=sync_only)
        async with bot:
            _close_on_sigterm(bot)
            try:
                if sync_only:
                    await bot.login(settings.discord_token)  # runs setup_hook, which syncs
                else:
                    await bot.start(settings.discord_token)
            except discord.LoginFailure:
                raise UserFacingError("DISCORD_TOKEN was refused by Discord") from None
            except discord.PrivilegedIntentsRequired:
                raise UserFacingError(
                    "MARQUEE_MESSAGE_CONTENT=1 but the Message Content intent is not enabled "
                    "for this bot in the developer portal"
                ) from None
    finally:
        await store.close()
    return 0
