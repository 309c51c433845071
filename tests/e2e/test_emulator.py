"""The must-show behaviours of the emulator, each through the real discord.py client."""

from __future__ import annotations

import dataclasses
import io

import discord
import pytest

from bot.sandbox import validation
from bot.sandbox.harness import CommandError, DiscordRejected, NoResponse, Perm, Sandbox
from bot.sandbox.interactions import CommandHidden
from tests.e2e.probe import Probe, ProbeAdmin, Ticker


@pytest.fixture
async def probe(sandbox: Sandbox) -> Probe:
    cog = Probe()
    await sandbox.add_cog(cog)
    return cog


async def test_command_sync_payload_is_recorded_and_valid(sandbox: Sandbox) -> None:
    sync = sandbox.emulator.command_syncs[0]
    assert sync.guild_id is None
    names = {c["name"] for c in sync.payload}
    assert {"help", "about"} <= names
    path = f"/applications/{sandbox.world.application_id}/commands"
    assert validation.validate_request("PUT", path, sync.payload).ok
    assert {c["name"] for c in sandbox.synced_commands()} == names


async def test_slash_command_options_arrive_typed_and_resolved(
    sandbox: Sandbox, probe: Probe
) -> None:
    reply = await sandbox.slash(
        "probe echo",
        text="ab",
        times=2,
        options={"channel": sandbox.news, "user": sandbox.admin},
    )
    assert reply.content == "abab in #news for admin manage_guild=True"
    assert not reply.ephemeral
    assert probe.seen["times"] == 2
    assert isinstance(probe.seen["channel"], discord.TextChannel)
    assert isinstance(probe.seen["user"], discord.Member)
    # The response is a real message in the channel, as on Discord.
    assert [m.content for m in await sandbox.messages(sandbox.general)] == [reply.content]


async def test_client_side_checks_refuse_bad_options(sandbox: Sandbox, probe: Probe) -> None:
    with pytest.raises(CommandError, match="between 1 and 5"):
        await sandbox.slash("probe echo", text="x", times=9)
    with pytest.raises(CommandError, match="unknown option"):
        await sandbox.slash("probe echo", text="x", colour="red")
    with pytest.raises(CommandError, match="missing required option 'text'"):
        await sandbox.slash("probe echo")


async def test_autocomplete(sandbox: Sandbox, probe: Probe) -> None:
    choices = await sandbox.autocomplete("probe pick", "title", "dead rec")
    assert choices == [{"name": TITLE, "value": TITLE}]
    assert len(await sandbox.autocomplete("probe pick", "title", "")) == 25


TITLE = "Mission: Impossible – Dead Reckoning"


async def test_button_click_edits_the_message(sandbox: Sandbox, probe: Probe) -> None:
    reply = await sandbox.slash("probe pages")
    assert reply.buttons == ["Next"]
    clicked = await sandbox.click(reply, "Next", user=sandbox.admin)
    assert clicked.callback_type == 7
    assert reply.content == "page 2"  # the same message, edited
    assert "[Next]" in reply.text


async def test_a_deferred_update_waits_for_its_edit(sandbox: Sandbox, probe: Probe) -> None:
    reply = await sandbox.slash("probe deferred")
    first = await sandbox.click(reply, "Later")
    assert first.callback_type == 6 and first.message is not None
    assert first.message.content == "edited 1"
    # The message has been edited before: the second press must wait for its own edit.
    second = await sandbox.click(reply, "Later")
    assert second.message is not None and second.message.content == "edited 2"
    quiet = await sandbox.click(reply, "Quiet")  # returns once the handler is done
    assert quiet.callback_type == 6 and quiet.message is not None
    assert quiet.message.content == "edited 2" and quiet.message.edits == 2


async def test_an_empty_message_is_refused_and_a_lone_file_is_not(sandbox: Sandbox) -> None:
    channel = sandbox.bot.get_channel(sandbox.general.id)
    with pytest.raises(discord.HTTPException) as caught:
        await channel.send("")
    assert caught.value.code == 50006
    [violation] = sandbox.take_violations()
    assert "Cannot send an empty message" in violation.reason
    sent = await channel.send(file=discord.File(io.BytesIO(b"x"), filename="x.txt"))
    assert [a.filename for a in sent.attachments] == ["x.txt"]


async def test_a_cache_that_never_settles_says_so(sandbox: Sandbox) -> None:
    with pytest.raises(NoResponse, match=r"did not show the impossible within 0\.05 s"):
        await sandbox._settle_cache(lambda: False, "the impossible", within=0.05)


async def test_follow_up_after_defer(sandbox: Sandbox, probe: Probe) -> None:
    reply = await sandbox.slash("probe slow")
    assert reply.deferred
    assert reply.content == "done thinking"
    assert not reply.message.loading


async def test_scheduled_channel_post(sandbox: Sandbox) -> None:
    await sandbox.bot.add_cog(Ticker(sandbox.bot, sandbox.news.id))
    msg = await sandbox.wait_for_message(sandbox.news, timeout=5)
    assert msg.embed["title"] == "Scheduled"
    assert "**Scheduled**" in msg.text


async def test_over_limit_payload_is_rejected_with_the_reason(
    sandbox: Sandbox, probe: Probe
) -> None:
    with pytest.raises(DiscordRejected, match="6000") as caught:
        await sandbox.slash("probe huge")
    assert "MAX_EMBED_SIZE_EXCEEDED" in str(caught.value)
    rejected = [r for r in sandbox.emulator.requests if r.status == 400]
    assert len(rejected) == 1 and rejected[0].path.endswith("/callback")
    assert len(sandbox.take_violations()) == 1


async def test_too_many_autocomplete_choices_are_rejected(sandbox: Sandbox, probe: Probe) -> None:
    with pytest.raises(DiscordRejected, match=r"data\.choices: Must be 25 or fewer"):
        await sandbox.autocomplete("probe toomany", "title", "")
    sandbox.take_violations()


async def test_late_initial_response_is_refused(sandbox: Sandbox, probe: Probe) -> None:
    sandbox.emulator.interaction_deadline = 0.1
    with pytest.raises(DiscordRejected, match=r"initial response after 0\.\d+ s"):
        await sandbox.slash("probe late")
    # The bot's error handler then tries to answer the dead interaction too.
    await sandbox.emulator.wait_until(lambda: len(sandbox.violations) >= 2, 2)
    assert len(sandbox.take_violations()) == 2


async def test_429_is_retried_and_the_message_arrives_once(sandbox: Sandbox, probe: Probe) -> None:
    fault = sandbox.fail_next("/channels/{channel_id}/messages", method="POST", retry_after=0.05)
    reply = await sandbox.slash("probe post", options={"channel": sandbox.news})
    assert reply.ephemeral and reply.content == "posted"
    assert fault.hits == 1
    posts = [r.status for r in sandbox.emulator.requests if r.template == fault.route]
    assert posts == [429, 200]
    assert [m.content for m in await sandbox.messages(sandbox.news)] == ["posted by the bot"]


async def test_500_is_retried(sandbox: Sandbox, probe: Probe) -> None:
    sandbox.fail_next("/channels/{channel_id}/messages", status=500, method="POST")
    await sandbox.slash("probe post", options={"channel": sandbox.news}, timeout=8)
    assert len(await sandbox.messages(sandbox.news)) == 1


async def test_global_rate_limit_is_429_global(sandbox: Sandbox) -> None:
    sandbox.rate_limit(2)
    channel = sandbox.bot.get_channel(sandbox.trivia.id)
    for i in range(4):
        await channel.send(f"m{i}")
    statuses = [r.status for r in sandbox.emulator.requests if r.path.endswith("/messages")]
    assert statuses.count(429) >= 1
    assert [m.content for m in await sandbox.messages(sandbox.trivia)] == [
        f"m{i}" for i in range(4)
    ]


async def test_gateway_drop_is_resumed(sandbox: Sandbox, probe: Probe) -> None:
    await sandbox.drop_gateway()
    assert sandbox.emulator.resume_count == 1 and sandbox.emulator.identify_count == 1
    reply = await sandbox.slash("probe echo", text="still here")
    assert reply.content == "still here"


async def test_missing_permission_gives_403_and_a_short_reply(
    sandbox: Sandbox, probe: Probe
) -> None:
    await sandbox.deny(sandbox.news, Perm.SEND_MESSAGES)
    reply = await sandbox.slash("probe post", options={"channel": sandbox.news})
    assert reply.ephemeral
    assert "permission" in reply.content
    assert any(r.status == 403 for r in sandbox.emulator.requests)
    assert await sandbox.messages(sandbox.news) == []


async def test_deleted_channel_is_404_unknown_channel(sandbox: Sandbox) -> None:
    await sandbox.delete_channel(sandbox.trivia)
    with pytest.raises(discord.NotFound) as caught:
        await sandbox.bot.get_partial_messageable(sandbox.trivia.id).send("hello?")
    assert caught.value.code == 10003


async def test_admin_commands_are_hidden_from_members(sandbox: Sandbox) -> None:
    await sandbox.add_cog(ProbeAdmin())
    with pytest.raises(CommandHidden):
        await sandbox.slash("probe-admin", user=sandbox.member)
    assert (await sandbox.slash("probe-admin", user=sandbox.admin)).content == "admin ok"


async def test_several_guilds(sandbox: Sandbox) -> None:
    other = await sandbox.add_guild("Film Club", channels=("lobby",))
    assert sandbox.bot.get_guild(other.id) is not None
    owner = other.members[other.owner_id]
    reply = await sandbox.slash("about", user=owner, channel=other.channel("lobby"))
    assert reply.embed["title"] == "Marquee"


async def test_the_client_speaks_zlib_stream(sandbox: Sandbox) -> None:
    assert sandbox.emulator.last_compression == "zlib-stream"


async def test_marquee_sync_reaches_any_api_base(settings) -> None:
    """`marquee sync` with DISCORD_API_BASE set talks to that base only."""
    from bot.runtime import run_bot
    from bot.sandbox.server import Emulator

    emulator = Emulator()
    await emulator.start()
    try:
        pointed = dataclasses.replace(
            settings, api_base=emulator.api_base, discord_token=emulator.token
        )
        assert await run_bot(pointed, sync_only=True) == 0
        assert emulator.command_syncs and not emulator.violations
    finally:
        await emulator.stop()
