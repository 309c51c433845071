"""Release reminders: a post on the day (and N days before) a stored release arrives.

A reminder stores the title and region, never a copied date: the release date is read
from `releases` every time the ticker looks, so a moved date is followed. Each firing
is keyed by (reminder, release date, days before) and reserved before it is sent, like
news posts, so restarts never repeat one; and, like news posts, a pending firing is
held by the process that reserved it until that process is gone (bot/news/posting.py).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.db.store import Store
from bot.errors import UserFacingError
from bot.news.settings_repo import iso

MAX_DAYS_BEFORE = 60
MAX_REMINDERS_PER_GUILD = 200


@dataclass(frozen=True)
class Reminder:
    id: int
    guild: int
    channel: int
    title_id: int
    title: str
    region: str
    days_before: int
    created_by: int
    known_date: str | None = None  # the date last announced (set, or seen by a refresh)
    moved_from: str | None = None  # the date before the last move, said in the post


@dataclass(frozen=True)
class ReleaseDate:
    date: dt.date
    region: str
    kind: str
    source: str
    as_of: str


@dataclass(frozen=True)
class Firing:
    reminder: Reminder
    release: ReleaseDate
    offset_days: int  # 0 = the day itself
    marker: str
    days_left: int  # days from the guild's today to the release
    claimed_by: int | None = None


_REM_COLS = (
    "r.id, r.guild, r.channel, r.title_id, t.title, r.region, r.days_before, r.created_by,"
    " r.known_date, r.moved_from"
)
_KIND_ORDER = (
    "CASE kind WHEN 'theatrical' THEN 0 WHEN 'digital' THEN 1 WHEN 'premiere' THEN 2 ELSE 3 END"
)


class ReminderRepository:
    def __init__(self, store: Store, owner: int | None = None) -> None:
        self.store = store
        self.owner = owner  # this process's claim token (None: no other process)

    async def release_for(self, title_id: int, region: str) -> ReleaseDate | None:
        """The release a reminder watches: the region's (else any) day-precise date,
        theatrical first, newest information first."""
        row = await self.store.fetchone(
            "SELECT date, region, kind, source, as_of FROM releases "
            "WHERE title_id = ? AND precision = 'day' AND superseded = 0"
            " AND (? = '' OR region IN (?, '')) "
            f"ORDER BY (region = ?) DESC, {_KIND_ORDER}, as_of DESC, id DESC LIMIT 1",
            (title_id, region, region, region),
        )
        if row is None:
            return None
        return ReleaseDate(dt.date.fromisoformat(row[0]), row[1], row[2], row[3], row[4])

    async def create(
        self, *, guild: int, channel: int, title_id: int, region: str, days_before: int,
        user: int, now: dt.datetime,
    ) -> tuple[Reminder, bool]:  # fmt: skip
        """Create (or find the same) reminder; the creator is on its mention list."""
        region = (region or "").strip().upper()[:8]
        if not 0 <= days_before <= MAX_DAYS_BEFORE:
            raise UserFacingError(f"days_before must be between 0 and {MAX_DAYS_BEFORE}.")
        count = await self.store.fetchval(
            "SELECT count(*) FROM reminders WHERE guild = ? AND done = 0", (guild,)
        )
        async with self.store.transaction() as conn:
            created = await conn.execute(
                "INSERT INTO reminders(guild, channel, title_id, region, days_before,"
                " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild, channel, title_id, region, days_before, user, iso(now)),
            )
            if created and count >= MAX_REMINDERS_PER_GUILD:
                raise UserFacingError(
                    f"This server already has {MAX_REMINDERS_PER_GUILD} release reminders."
                )
            reminder_id = await conn.fetchval(
                "SELECT id FROM reminders WHERE guild = ? AND channel = ? AND title_id = ? "
                "AND region = ? AND days_before = ?",
                (guild, channel, title_id, region, days_before),
            )
            await conn.execute(
                "INSERT INTO reminder_subscribers(reminder_id, user_id) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                (reminder_id, user),
            )
        await self.note_dates([reminder_id])
        reminder = await self.get(reminder_id)
        assert reminder is not None
        return reminder, created

    async def note_dates(self, reminder_ids: list[int] | None = None) -> list[Reminder]:
        """Compare each active reminder's release date with the one last announced; the
        reminders whose date moved (they keep `moved_from` for their post)."""
        moved: list[Reminder] = []
        for reminder in await self.active():
            if reminder_ids is not None and reminder.id not in reminder_ids:
                continue
            release = await self.release_for(reminder.title_id, reminder.region)
            date = release.date.isoformat() if release else None
            if date is None or date == reminder.known_date:
                continue
            moved_from = reminder.known_date or reminder.moved_from
            await self.store.execute(
                "UPDATE reminders SET known_date = ?, moved_from = ? WHERE id = ?",
                (date, moved_from, reminder.id),
            )
            if reminder.known_date is not None:
                moved.append(reminder)
        return moved

    async def get(self, reminder_id: int) -> Reminder | None:
        row = await self.store.fetchone(
            f"SELECT {_REM_COLS} FROM reminders r JOIN titles t ON t.id = r.title_id "
            "WHERE r.id = ?",
            (reminder_id,),
        )
        return Reminder(*row) if row else None

    async def subscribe(self, reminder_id: int, user: int) -> bool:
        """Add `user` to the mention list; False when already on it."""
        if await self.get(reminder_id) is None:
            raise UserFacingError("That reminder no longer exists.")
        rowid_before = await self.store.fetchval(
            "SELECT 1 FROM reminder_subscribers WHERE reminder_id = ? AND user_id = ?",
            (reminder_id, user),
        )
        if rowid_before:
            return False
        await self.store.execute(
            "INSERT INTO reminder_subscribers(reminder_id, user_id) VALUES (?, ?)"
            " ON CONFLICT DO NOTHING",
            (reminder_id, user),
        )
        return True

    async def subscribers(self, reminder_id: int) -> list[int]:
        rows = await self.store.fetchall(
            "SELECT user_id FROM reminder_subscribers WHERE reminder_id = ? ORDER BY rowid",
            (reminder_id,),
        )
        return [r[0] for r in rows]

    async def for_guild(self, guild: int) -> list[Reminder]:
        rows = await self.store.fetchall(
            f"SELECT {_REM_COLS} FROM reminders r JOIN titles t ON t.id = r.title_id "
            "WHERE r.guild = ? AND r.done = 0 ORDER BY r.id",
            (guild,),
        )
        return [Reminder(*r) for r in rows]

    async def cancel(self, guild: int, reminder_id: int) -> bool:
        async with self.store.transaction() as conn:
            return (
                await conn.execute(
                    "DELETE FROM reminders WHERE id = ? AND guild = ?", (reminder_id, guild)
                )
                > 0
            )

    async def active(self) -> list[Reminder]:
        rows = await self.store.fetchall(
            f"SELECT {_REM_COLS} FROM reminders r JOIN titles t ON t.id = r.title_id "
            "WHERE r.done = 0 ORDER BY r.id",
        )
        return [Reminder(*r) for r in rows]

    async def due(self, now: dt.datetime, tz_of, owns=None) -> list[Firing]:
        """Reserve every firing that is due now; `tz_of(guild)` gives the server's zone.

        For each reminder the closest pending occasion counts: on the day itself the
        day-of post, else the "N days before" post if that day has come. A day missed
        while the bot was down still fires once (with the right number of days left).
        """
        firings: list[Firing] = []
        for reminder in await self.active():
            if owns is not None and not owns(reminder.guild):
                continue
            release = await self.release_for(reminder.title_id, reminder.region)
            if release is None:
                continue
            today = now.astimezone(ZoneInfo(await tz_of(reminder.guild))).date()
            days_left = (release.date - today).days
            if days_left < 0:
                continue
            offsets = sorted({0, reminder.days_before})
            offset = next((o for o in offsets if days_left <= o), None)
            if offset is None:
                continue
            firing = await self._reserve(reminder, release, offset, days_left, now)
            if firing is not None:
                firings.append(firing)
        return firings

    async def _reserve(
        self, reminder: Reminder, release: ReleaseDate, offset: int, days_left: int, now
    ) -> Firing | None:
        marker = secrets.token_hex(5)
        async with self.store.transaction() as conn:
            reserved = await conn.execute(
                "INSERT INTO reminder_fires(reminder_id, release_date, offset_days, "
                "marker, created_at, claimed_by) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (reminder.id, release.date.isoformat(), offset, marker, iso(now), self.owner),
            )
            if reserved == 0:
                return None
        return Firing(reminder, release, offset, marker, days_left, self.owner)

    async def pending(self, now: dt.datetime) -> list[Firing]:
        """Firings reserved but not recorded as sent (a crash in between)."""
        rows = await self.store.fetchall(
            "SELECT reminder_id, release_date, offset_days, marker, claimed_by "
            "FROM reminder_fires WHERE state = 'pending' ORDER BY created_at",
        )
        out = []
        for reminder_id, release_date, offset, marker, holder in rows:
            reminder = await self.get(reminder_id)
            if reminder is None:
                continue
            release = await self.release_for(reminder.title_id, reminder.region)
            date = dt.date.fromisoformat(release_date)
            if release is None or release.date != date:
                release = ReleaseDate(date, reminder.region, "theatrical", "", "")
            days_left = (date - now.date()).days
            out.append(Firing(reminder, release, offset, marker, days_left, holder))
        return out

    async def mark_sent(self, firing: Firing, message_id: int) -> None:
        await self.store.execute(
            "UPDATE reminder_fires SET state = 'sent', message_id = ? WHERE marker = ?",
            (message_id, firing.marker),
        )

    async def mark_failed(self, firing: Firing, error: str) -> None:
        async with self.store.transaction() as conn:
            await conn.execute(
                "UPDATE reminder_fires SET state = 'failed' WHERE marker = ?", (firing.marker,)
            )
            await conn.execute(
                "UPDATE reminders SET last_error = ? WHERE id = ?",
                (error[:300], firing.reminder.id),
            )
