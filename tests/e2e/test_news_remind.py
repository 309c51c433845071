"""/remind release end to end: fires before and on the day, follows a moved date."""

from __future__ import annotations

import datetime as dt

from bot.catalog.models import Provenance
from bot.catalog.repository import CatalogRepository
from bot.news.reminders import ReminderRepository
from bot.sandbox.harness import Sandbox
from tests.e2e.newskit import Clock, attach, real_now, restart


async def set_release(sandbox: Sandbox, title: str, day: dt.date, source: str) -> int:
    catalog = CatalogRepository(sandbox.store)
    async with sandbox.store.transaction():
        prov = Provenance(source, dt.date.today().isoformat())
        title_id = await catalog.ensure_title(title, prov)
        await catalog.add_release(title_id, date=day.isoformat(), precision="day",
                                  kind="theatrical", region="US", prov=prov)  # fmt: skip
    return title_id


def reminders_in(messages) -> list:
    return [m for m in messages if "comes out" in m.content or "is out today" in m.content]


async def test_reminder_fires_pings_subscribers_and_follows_a_moved_date(
    sandbox: Sandbox, settings
):
    clock = Clock(real_now())
    scheduler = attach(sandbox, clock)
    today = clock.now.date()
    first_date = today + dt.timedelta(days=10)
    await set_release(sandbox, "Harbor Lights", first_date, "article:first")
    choices = await sandbox.autocomplete("remind release", "title", "harbor")
    assert choices and choices[0]["name"].startswith("Harbor Lights")
    reply = await sandbox.slash("remind release", user=sandbox.member, channel=sandbox.general,
                                title=choices[0]["value"], region="us", days_before=2)  # fmt: skip
    assert not reply.ephemeral and "Harbor Lights" in reply.content
    assert reply.buttons == ["Notify me too"]

    # the button is persistent: it still works on a new bot process
    scheduler = await restart(sandbox, settings, clock)
    fan = await sandbox.add_member("fan")
    click = await sandbox.click(reply, "Notify me too", user=fan)
    assert click.ephemeral and "mentioned" in click.content
    again = await sandbox.click(reply, "Notify me too", user=fan)
    assert "already" in again.content

    # the date moves out by a week before anything fires
    new_date = first_date + dt.timedelta(days=7)
    await set_release(sandbox, "Harbor Lights", new_date, "article:second")
    clock.set(dt.datetime.combine(first_date - dt.timedelta(days=2), dt.time(10), dt.UTC))
    await scheduler.tick()
    clock.set(dt.datetime.combine(first_date, dt.time(10), dt.UTC))
    await scheduler.tick()
    assert reminders_in(await sandbox.messages(sandbox.general)) == []

    clock.set(dt.datetime.combine(new_date - dt.timedelta(days=2), dt.time(0, 30), dt.UTC))
    await scheduler.tick()
    await scheduler.tick()
    (before,) = reminders_in(await sandbox.messages(sandbox.general))
    assert "comes out in 2 days" in before.content
    pinged = {sandbox.member.user.id, fan.user.id}
    assert {int(u) for u in before.raw["_allowed_mentions"]["users"]} == pinged
    assert before.raw["_allowed_mentions"]["parse"] == []
    assert all(f"<@{u}>" in before.content for u in pinged)
    assert before.buttons == ["Notify me too"]

    clock.set(dt.datetime.combine(new_date, dt.time(0, 30), dt.UTC))
    await scheduler.tick()
    scheduler = await restart(sandbox, settings, clock)
    await scheduler.tick()
    fired = reminders_in(await sandbox.messages(sandbox.general))
    assert len(fired) == 2 and "is out today" in fired[-1].content


async def test_unknown_title_and_bad_region_are_clear_errors(sandbox: Sandbox):
    reply = await sandbox.slash("remind release", title="A Film Nobody Made 1234")
    assert reply.ephemeral and "No film matches" in reply.content
    await set_release(sandbox, "Harbor Lights", dt.date.today() + dt.timedelta(days=3), "manual")
    reply = await sandbox.slash("remind release", title="harbor lights", region="1!")
    assert reply.ephemeral and "not a country I know" in reply.content
    reply = await sandbox.slash("remind release", title="harbor lights", region="XX")
    assert reply.ephemeral and reply.content.startswith("'XX' is not a country I know")
    reply = await sandbox.slash("remind release", title="harbor lights", region="france")
    assert not reply.ephemeral and "Reminder set for **Harbor Lights**" in reply.content
    assert (await ReminderRepository(sandbox.store).for_guild(sandbox.guild.id))[0].region == "FR"


async def test_reminder_channel_without_permission_does_not_stop_others(sandbox: Sandbox):
    from bot.sandbox.harness import Perm

    clock = Clock(real_now())
    scheduler = attach(sandbox, clock)
    day = clock.now.date() + dt.timedelta(days=1)
    await set_release(sandbox, "Night Train", day, "manual")
    await sandbox.slash("remind release", channel=sandbox.trivia, title="Night Train")
    await sandbox.slash("remind release", channel=sandbox.general, title="Night Train")
    await sandbox.deny(sandbox.trivia, Perm.SEND_MESSAGES)
    clock.set(dt.datetime.combine(day, dt.time(9), dt.UTC))
    report = await scheduler.tick()
    assert report["reminder_sent"] == 1 and report["reminder_failed"] == 1
    assert len(reminders_in(await sandbox.messages(sandbox.general))) == 1


async def test_list_and_cancel(sandbox: Sandbox):
    await set_release(sandbox, "Night Train", dt.date.today() + dt.timedelta(days=9), "manual")
    made = await sandbox.slash(
        "remind release", user=sandbox.member, title="Night Train", days_before=1
    )
    assert "on the day and 1 day before." in made.content  # a real singular
    listing = await sandbox.slash("remind list")
    assert (
        listing.ephemeral
        and "Night Train" in listing.content
        and ", also 1 day before in" in listing.content
    )
    (choice,) = await sandbox.autocomplete("remind cancel", "reminder", "night")
    other = await sandbox.add_member("other")
    refused = await sandbox.slash("remind cancel", user=other, reminder=choice["value"])
    assert "Only its creator" in refused.content
    done = await sandbox.slash("remind cancel", user=sandbox.member, reminder=choice["value"])
    assert "cancelled" in done.content
    assert "No release reminders" in (await sandbox.slash("remind list")).content
