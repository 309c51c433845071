"""News schedules: parse what an admin typed, compute the next run in the server's zone.

Pure functions over aware datetimes. Wall-clock times are resolved with zoneinfo, so a
daily 09:00 stays 09:00 local across DST changes; a time that does not exist on the
spring-forward day runs at the shifted instant (fold=0), and a time that happens twice
on the fall-back day runs once (the first occurrence).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.errors import UserFacingError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_HOURS = 168
_TIME = re.compile(r"^([01]?\d|2[0-3])[:h.]([0-5]\d)$")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Schedule:
    kind: str  # "daily" | "hourly" | "weekly"
    timezone: str
    at: dt.time | None = None  # daily / weekly: local wall-clock time
    weekday: int | None = None  # weekly: 0 = Monday
    hours: int | None = None  # hourly: every N hours

    def describe(self) -> str:
        if self.kind == "hourly":
            return "every hour" if self.hours == 1 else f"every {self.hours} hours"
        at = self.at.strftime("%H:%M") if self.at else "?"
        if self.kind == "weekly" and self.weekday is not None:
            day = dt.date(2024, 1, 1 + self.weekday).strftime("%A")
            return f"weekly on {day} at {at} ({self.timezone})"
        return f"daily at {at} ({self.timezone})"

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "tz": self.timezone,
                "at": self.at.strftime("%H:%M") if self.at else None,
                "weekday": self.weekday,
                "hours": self.hours,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Schedule:
        data = json.loads(text)
        at = parse_time(data["at"]) if data.get("at") else None
        return cls(data["kind"], data["tz"], at, data.get("weekday"), data.get("hours"))


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`, or a UserFacingError that says what to type."""
    cleaned = (name or "").strip()
    if not cleaned or len(cleaned) > 64 or ".." in cleaned or cleaned.startswith("/"):
        raise UserFacingError(f"{cleaned[:64]!r} is not a time zone; use a name like Europe/Paris.")
    try:
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UserFacingError(
            f"{cleaned!r} is not a time zone I know; use an IANA name like Europe/Paris or UTC."
        ) from None


def parse_time(text: str) -> dt.time:
    match = _TIME.match((text or "").strip().lower())
    if not match:
        raise UserFacingError(f"{(text or '')[:20]!r} is not a time; use HH:MM, e.g. 09:00.")
    return dt.time(int(match.group(1)), int(match.group(2)))


def parse_weekday(text: str) -> int:
    key = (text or "").strip().lower()[:3]
    if key not in WEEKDAYS:
        raise UserFacingError(f"{(text or '')[:20]!r} is not a day; use mon, tue, ... sun.")
    return WEEKDAYS.index(key)


def make_schedule(
    kind: str,
    timezone: str,
    *,
    at: str | None = None,
    weekday: str | None = None,
    hours: int | None = None,
) -> Schedule:
    """Validate the parts of a schedule (as the slash command gives them)."""
    zone(timezone)
    tz = timezone.strip()
    if kind == "hourly":
        if hours is None or not 1 <= hours <= MAX_HOURS:
            raise UserFacingError(f"Every N hours needs N between 1 and {MAX_HOURS}.")
        return Schedule("hourly", tz, hours=hours)
    if kind == "daily":
        return Schedule("daily", tz, at=parse_time(at or ""))
    if kind == "weekly":
        return Schedule("weekly", tz, at=parse_time(at or ""), weekday=parse_weekday(weekday or ""))
    raise UserFacingError(f"{kind[:20]!r} is not a schedule kind (daily, hourly, weekly).")


def parse_schedule(text: str, default_tz: str = "UTC") -> Schedule:
    """Parse "daily 09:00 Europe/Paris", "every 6 hours", "weekly mon 18:00 [zone]"."""
    words = (text or "").strip().split()
    if not words:
        raise UserFacingError("Say when: 'daily 09:00 Europe/Paris', 'every 6 hours', ...")
    head = words[0].lower()
    if head == "every":
        if len(words) == 2 and words[1].lower() in ("hour", "hourly"):
            return make_schedule("hourly", default_tz, hours=1)
        if len(words) >= 2 and words[1].isdigit() and len(words[1]) <= 4:
            tz = words[3] if len(words) > 3 else default_tz
            if len(words) < 3 or words[2].lower() not in ("hour", "hours", "h"):
                raise UserFacingError("Use 'every N hours'.")
            return make_schedule("hourly", tz, hours=int(words[1]))
        raise UserFacingError("Use 'every N hours'.")
    if head == "daily" and len(words) in (2, 3):
        return make_schedule("daily", words[2] if len(words) == 3 else default_tz, at=words[1])
    if head == "weekly" and len(words) in (3, 4):
        tz = words[3] if len(words) == 4 else default_tz
        return make_schedule("weekly", tz, at=words[2], weekday=words[1])
    raise UserFacingError("Use 'daily HH:MM [zone]', 'every N hours' or 'weekly DAY HH:MM [zone]'.")


def _local_instant(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """`day` at wall-clock `at` in `tz`, as UTC (fold=0 for gaps and repeats)."""
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)


def next_run(schedule: Schedule, after: dt.datetime) -> dt.datetime:
    """The first run strictly after `after` (aware), in UTC."""
    if after.tzinfo is None:
        raise ValueError("next_run needs an aware datetime")
    after = after.astimezone(dt.UTC)
    if schedule.kind == "hourly":
        step = dt.timedelta(hours=schedule.hours or 1)
        periods = (after - _EPOCH) // step + 1
        return _EPOCH + periods * step
    tz = zone(schedule.timezone)
    assert schedule.at is not None
    local_day = after.astimezone(tz).date() - dt.timedelta(days=1)
    for offset in range(0, 9):
        day = local_day + dt.timedelta(days=offset)
        if schedule.kind == "weekly" and day.weekday() != schedule.weekday:
            continue
        candidate = _local_instant(day, schedule.at, tz)
        if candidate > after:
            return candidate
    raise AssertionError("a daily or weekly schedule always has a run within 9 days")


def zone_names(current: str, limit: int = 25) -> list[str]:
    """IANA zone names containing what was typed (common ones first when empty)."""
    typed = (current or "").strip().lower().replace(" ", "_")
    if not typed:
        return list(COMMON_ZONES[:limit])
    names = sorted(available_timezones())
    starts = [n for n in names if n.lower().startswith(typed)]
    inside = [n for n in names if typed in n.lower() and n not in starts]
    return (starts + inside)[:limit]


COMMON_ZONES = (
    "UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "America/New_York",
    "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
    "Asia/Tokyo", "Asia/Kolkata", "Asia/Shanghai", "Australia/Sydney",
)  # fmt: skip
