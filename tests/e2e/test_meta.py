"""/help and /about through the real client."""

from __future__ import annotations

from bot.sandbox.harness import Sandbox


async def test_help_lists_commands_from_the_live_tree(sandbox: Sandbox) -> None:
    reply = await sandbox.slash("help")
    assert reply.ephemeral
    assert reply.embed is not None and reply.embed["title"] == "Marquee commands"
    assert "`/help`" in reply.text and "`/about`" in reply.text


async def test_about_shows_version_uptime_and_counts(sandbox: Sandbox) -> None:
    reply = await sandbox.slash("about", user=sandbox.admin)
    fields = {f["name"]: f["value"] for f in reply.embed["fields"]}
    assert fields["Version"] == "0.1.0"
    assert fields["Uptime"].endswith("s")
    assert fields["Store"]
