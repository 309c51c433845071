"""Per-server news settings: channel, schedule, next/last run, last error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.db.store import Store
from bot.news.schedule import Schedule, next_run


def iso(moment: dt.datetime) -> str:
    """The one stored form of an instant: UTC, seconds, sortable as text."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def parse_iso(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class GuildNews:
    guild: int
    channel: int | None
    schedule: Schedule | None
    timezone: str | None
    next_at: dt.datetime | None
    last_at: dt.datetime | None
    last_error: str | None
    last_error_at: dt.datetime | None


_COLS = (
    "guild, news_channel, schedule, timezone, next_news_at, last_news_at, last_error, last_error_at"
)


def _row(row) -> GuildNews:
    return GuildNews(
        guild=row[0],
        channel=row[1],
        schedule=Schedule.from_json(row[2]) if row[2] else None,
        timezone=row[3],
        next_at=parse_iso(row[4]),
        last_at=parse_iso(row[5]),
        last_error=row[6],
        last_error_at=parse_iso(row[7]),
    )


class NewsSettingsRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, guild: int) -> GuildNews:
        row = await self.store.fetchone(
            f"SELECT {_COLS} FROM guild_settings WHERE guild = ?", (guild,)
        )
        if row is None:
            return GuildNews(guild, None, None, None, None, None, None, None)
        return _row(row)

    async def set_channel(self, guild: int, channel: int) -> None:
        await self.store.execute(
            "INSERT INTO guild_settings(guild, news_channel) VALUES (?, ?) "
            "ON CONFLICT(guild) DO UPDATE SET news_channel = excluded.news_channel, "
            "last_error = NULL, last_error_at = NULL",
            (guild, channel),
        )

    async def set_schedule(
        self, guild: int, schedule: Schedule | None, now: dt.datetime
    ) -> dt.datetime | None:
        """Store the schedule and its first run after `now` (None turns posting off)."""
        next_at = next_run(schedule, now) if schedule else None
        await self.store.execute(
            "INSERT INTO guild_settings(guild, schedule, timezone, next_news_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(guild) DO UPDATE SET schedule = excluded.schedule, "
            "timezone = coalesce(excluded.timezone, guild_settings.timezone), "
            "next_news_at = excluded.next_news_at",
            (
                guild,
                schedule.to_json() if schedule else None,
                schedule.timezone if schedule and schedule.kind != "hourly" else None,
                iso(next_at) if next_at else None,
            ),
        )
        return next_at

    async def due(self, now: dt.datetime, limit: int = 5000) -> list[GuildNews]:
        """Servers whose next post time has come (missed runs count once)."""
        rows = await self.store.fetchall(
            f"SELECT {_COLS} FROM guild_settings WHERE next_news_at IS NOT NULL "
            "AND next_news_at <= ? ORDER BY next_news_at LIMIT ?",
            (iso(now), limit),
        )
        return [_row(r) for r in rows]

    async def advance(self, guild: int, schedule: Schedule, now: dt.datetime) -> None:
        """Inside the caller's transaction: next run after NOW, so a long outage is one post."""
        await self.store.execute(
            "UPDATE guild_settings SET next_news_at = ? WHERE guild = ?",
            (iso(next_run(schedule, now)), guild),
        )

    async def take_run(self, guild: int, schedule: Schedule, now: dt.datetime) -> bool:
        """Inside the caller's transaction: take the server's due run by moving its next
        run past NOW, only if it is still due; False when another process took it."""
        moved = await self.store.execute(
            "UPDATE guild_settings SET next_news_at = ? WHERE guild = ? AND next_news_at <= ?",
            (iso(next_run(schedule, now)), guild, iso(now)),
        )
        return moved > 0

    async def record_error(self, guild: int, error: str, now: dt.datetime) -> None:
        await self.store.execute(
            "INSERT INTO guild_settings(guild, last_error, last_error_at) VALUES (?, ?, ?) "
            "ON CONFLICT(guild) DO UPDATE SET last_error = excluded.last_error, "
            "last_error_at = excluded.last_error_at",
            (guild, error[:300], iso(now)),
        )

    async def timezone_of(self, guild: int, default: str) -> str:
        value = await self.store.fetchval(
            "SELECT timezone FROM guild_settings WHERE guild = ?", (guild,)
        )
        return value or default
