"""/help and /about through the real client."""

from __future__ import annotations

from bot.sandbox.harness import Sandbox


async def test_help_lists_commands_from_the_live_tree(sandbox: Sandbox) -> None:
    reply = await sandbox.slash("help")
    assert reply.ephemeral
    assert reply.embed is not None and reply.embed["title"] == "Marquee commands"
    assert "`/help`" in reply.text and "`/about`" in reply.text


async def test_about_shows_version_uptime_and_counts(sandbox: Sandbox) -> None:
    await sandbox.bot.get_cog("Trivia")._startup  # the bundled packs are in
    reply = await sandbox.slash("about", user=sandbox.admin)
    fields = {f["name"]: f["value"] for f in reply.embed["fields"]}
    assert fields["Version"] == "0.1.0"
    assert fields["Uptime"].endswith("s")
    assert fields["Servers"] == "1"
    known = fields["What I know"].splitlines()
    store = sandbox.store
    films = await store.fetchval("SELECT count(*) FROM titles")
    assert films and known[0] == f"{films} film" + ("s" if films != 1 else "")
    assert known[1].endswith(" people") and known[2].endswith(" news article")
    questions = await store.fetchval("SELECT count(*) FROM trivia_questions")
    assert known[3] == f"1 trivia pack with {questions} questions"  # the bundled pack
    internal = ("search_", "meta", "schema", "guild_settings", "trivia_", "_")
    assert not [line for line in known if any(word in line for word in internal)]
