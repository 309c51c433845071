"""Schedules: parsing and the next run time in the server's zone, across DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UserFacingError
from bot.news.schedule import Schedule, make_schedule, next_run, parse_schedule

UTC = dt.UTC
PARIS = ZoneInfo("Europe/Paris")


def at(y, m, d, h=0, mi=0, tz=UTC) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=tz)


def test_parse_forms():
    s = parse_schedule("daily 09:00 Europe/Paris")
    assert (s.kind, s.at, s.timezone) == ("daily", dt.time(9, 0), "Europe/Paris")
    s = parse_schedule("every 6 hours")
    assert (s.kind, s.hours) == ("hourly", 6)
    s = parse_schedule("weekly mon 18:00", default_tz="America/New_York")
    assert (s.kind, s.weekday, s.at, s.timezone) == ("weekly", 0, dt.time(18), "America/New_York")
    assert parse_schedule("Weekly Friday 7h30 UTC").weekday == 4


@pytest.mark.parametrize(
    "text",
    [
        "",
        "daily",
        "daily 25:00",
        "daily 9",
        "every x hours",
        "every 0 hours",
        "every 999 hours",
        "weekly funday 10:00",
        "daily 09:00 Mars/Olympus",
        "daily 09:00 ../../etc/passwd",
        "hourly",
        "x" * 5000,
    ],
)
def test_bad_input_is_a_clear_error(text):
    with pytest.raises(UserFacingError) as err:
        parse_schedule(text)
    assert 0 < len(str(err.value)) < 200


def test_round_trip_json():
    for s in (
        parse_schedule("daily 09:00 Europe/Paris"),
        parse_schedule("every 3 hours"),
        parse_schedule("weekly sun 23:59 Asia/Tokyo"),
    ):
        assert Schedule.from_json(s.to_json()) == s


def test_daily_is_strictly_after_and_local():
    s = parse_schedule("daily 09:00 Europe/Paris")
    # 07:00 UTC in winter is 08:00 Paris -> today 09:00 Paris = 08:00 UTC
    assert next_run(s, at(2026, 1, 10, 7)) == at(2026, 1, 10, 8)
    # exactly at the run time -> tomorrow
    assert next_run(s, at(2026, 1, 10, 8)) == at(2026, 1, 11, 8)
    # summer: 09:00 Paris = 07:00 UTC
    assert next_run(s, at(2026, 7, 1, 0)) == at(2026, 7, 1, 7)


def test_daily_keeps_wall_clock_across_dst():
    s = parse_schedule("daily 09:00 Europe/Paris")
    runs = []
    t = at(2026, 3, 27, 12)
    for _ in range(4):
        t = next_run(s, t)
        runs.append(t)
    assert [r.astimezone(PARIS).hour for r in runs] == [9, 9, 9, 9]
    assert [r.hour for r in runs] == [8, 7, 7, 7]  # runs from 03-28; DST starts 03-29


def test_spring_forward_gap_runs_once_and_fall_back_runs_once():
    s = parse_schedule("daily 02:30 Europe/Paris")
    gap_day = next_run(s, at(2026, 3, 28, 23))  # 02:30 does not exist on 03-29
    assert gap_day.date() == dt.date(2026, 3, 29)
    assert next_run(s, gap_day).date() == dt.date(2026, 3, 30)
    # 02:30 happens twice on 2026-10-25: exactly one run that day
    runs, t = [], at(2026, 10, 24, 12)
    while t < at(2026, 10, 26, 12):
        t = next_run(s, t)
        runs.append(t)
    assert sum(1 for r in runs if r.astimezone(PARIS).date() == dt.date(2026, 10, 25)) == 1


def test_weekly():
    s = parse_schedule("weekly mon 18:00 UTC")
    assert next_run(s, at(2026, 11, 23, 17)) == at(2026, 11, 23, 18)  # a Monday
    assert next_run(s, at(2026, 11, 23, 18)) == at(2026, 11, 30, 18)
    assert next_run(s, at(2026, 11, 25)).weekday() == 0


def test_every_n_hours_is_aligned_and_strictly_after():
    s = parse_schedule("every 6 hours")
    assert next_run(s, at(2026, 1, 1, 5, 59)) == at(2026, 1, 1, 6)
    assert next_run(s, at(2026, 1, 1, 6)) == at(2026, 1, 1, 12)


def test_naive_datetime_refused():
    with pytest.raises(ValueError):
        next_run(make_schedule("daily", "UTC", at="09:00"), dt.datetime(2026, 1, 1))


_ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
          "America/Santiago", "Pacific/Chatham", "Africa/Casablanca"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    zone_name=st.sampled_from(_ZONES),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    weekday=st.one_of(st.none(), st.integers(0, 6)),
    moment=st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2030, 12, 31)),
)
def test_next_run_invariants(zone_name, hour, minute, weekday, moment):
    """Strictly after, at most a day (a week) later, on the local wall clock unless the
    time falls in a DST gap, and never twice on one local day."""
    kind = "daily" if weekday is None else "weekly"
    s = Schedule(kind, zone_name, dt.time(hour, minute), weekday)
    after = moment.replace(tzinfo=UTC)
    first = next_run(s, after)
    second = next_run(s, first)
    assert after < first < second
    span = dt.timedelta(days=1 if weekday is None else 7, hours=3)
    assert first - after <= span and second - first <= span
    tz = ZoneInfo(zone_name)
    local = first.astimezone(tz)
    round_trip = dt.datetime.combine(local.date(), dt.time(hour, minute), tzinfo=tz)
    if round_trip.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == round_trip.replace(
        tzinfo=None
    ):  # the wall time exists that day
        assert (local.hour, local.minute) == (hour, minute)
    assert local.date() != second.astimezone(tz).date()
    if weekday is not None:
        assert local.weekday() == weekday
