"""/trivia through the real discord.py client and the local emulator.

Waits are shortened by the cog's `time_scale` (a 30 s question lasts 1.5 s here); the
game logic and every Discord call are the real ones.
"""

from __future__ import annotations

import dataclasses
import html
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db.coordination import new_token
from bot.sandbox.harness import Msg, Sandbox
from bot.sandbox.interactions import Upload
from bot.sandbox.world import Perm
from bot.settings import Settings
from bot.trivia.library import import_pack_file
from bot.trivia.repository import TriviaRepository
from bot.trivia.runner import utc_now
from cogs._delivery import claim_owner

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "trivia"
OPENTDB = json.loads((FIXTURES / "opentdb-sample.json").read_text("utf-8"))
SCALE = 0.05  # 30 s questions take 1.5 s


def right_answer(question_text: str) -> str:
    """The fixture's correct answer for a question shown in an embed."""
    shown = question_text.replace("\\", "")  # markdown escapes
    for item in OPENTDB["results"]:
        if html.unescape(item["question"]) in shown:
            return item["correct_answer"]
    raise AssertionError(f"unknown question {question_text!r}")


def label_for(msg: Msg, answer: str, *, right: bool = True) -> str:
    for label in msg.buttons:
        if (label.split(". ", 1)[1] == answer) == right:
            return label
    raise AssertionError(f"{answer!r} not among {msg.buttons}")


def is_question(number: int):
    return lambda m: bool(m.embed) and m.embed.get("title", "").startswith(f"Question {number} of")


def is_reveal(number: int):
    return lambda m: bool(m.embed) and m.embed.get("title") == f"Question {number}"


def is_results(m: Msg) -> bool:
    return bool(m.embed) and m.embed.get("title") == "Trivia results"


def fast(sandbox: Sandbox) -> None:
    sandbox.bot.get_cog("Trivia").time_scale = SCALE


async def import_films(sandbox: Sandbox) -> None:
    data = (FIXTURES / "opentdb-sample.json").read_bytes()
    reply = await sandbox.slash(
        "trivia packs import", user=sandbox.admin, file=Upload("films.json", data)
    )
    assert reply.ephemeral and "Imported pack **films**: 4 questions" in reply.text


async def test_three_members_play_with_buttons(sandbox: Sandbox) -> None:
    fast(sandbox)
    await import_films(sandbox)
    alice = await sandbox.add_member("alice")
    bob = await sandbox.add_member("bob")
    carol = await sandbox.add_member("carol")
    trivia = sandbox.trivia

    start = await sandbox.slash(
        "trivia start", user=alice, channel=trivia, pack="films", questions=2, seconds=30
    )
    assert "2 questions from **films**" in start.text and not start.ephemeral

    q1 = await sandbox.wait_for_message(trivia, check=is_question(1))
    answer = right_answer(q1.embed["description"])
    assert len(q1.buttons) in (2, 4)
    first = await sandbox.click(q1, label_for(q1, answer), user=alice)
    assert first.ephemeral and "Locked in" in first.text
    await sandbox.click(q1, label_for(q1, answer), user=bob)
    double = await sandbox.click(q1, label_for(q1, answer), user=bob)  # a double click
    assert double.ephemeral and "already answered" in double.text
    await sandbox.click(q1, label_for(q1, answer, right=False), user=carol)
    reveal1 = await sandbox.wait_for_message(trivia, check=is_reveal(1), timeout=10)
    assert answer in reveal1.embed["description"]
    assert f"<@{alice.user.id}> +3, <@{bob.user.id}> +2" in reveal1.embed["description"]
    late = await sandbox.click(q1, label_for(q1, answer), user=carol)  # after the reveal
    assert late.ephemeral and "Too late" in late.text

    q2 = await sandbox.wait_for_message(trivia, check=is_question(2), timeout=10)
    answer2 = right_answer(q2.embed["description"])
    await sandbox.click(q2, label_for(q2, answer2), user=bob)
    await sandbox.click(q2, label_for(q2, answer2), user=carol)
    await sandbox.click(q2, label_for(q2, answer2, right=False), user=alice)
    results = await sandbox.wait_for_message(trivia, check=is_results, timeout=10)
    text = results.embed["description"]
    assert f"Winner: <@{bob.user.id}>" in text
    assert text.index(str(bob.user.id)) < text.index(str(alice.user.id))
    assert f"<@{bob.user.id}> — 5 pts" in text and f"<@{alice.user.id}> — 3 pts" in text
    assert f"<@{carol.user.id}> — 2 pts" in text  # the late click scored nothing

    board = await sandbox.slash("trivia leaderboard", channel=trivia)
    lines = board.embed["description"].splitlines()
    assert all(str(u.user.id) in line for u, line in zip((bob, alice, carol), lines, strict=True))
    assert "**5** pts" in lines[0] and "1 win)" in lines[0]
    week = await sandbox.slash("trivia leaderboard", channel=trivia, period="week")
    assert "**5** pts" in week.embed["description"].splitlines()[0]
    stats = await sandbox.slash("trivia stats", channel=trivia, member=bob)
    fields = {f["name"]: f["value"] for f in stats.embed["fields"]}
    assert fields["Points"] == "5" and fields["Wins"] == "1" and fields["Games"] == "1"
    assert fields["Right answers"].startswith("2 of 2") and fields["Streak"] == "2 now, best 2"
    after = await sandbox.click(q2, label_for(q2, answer2), user=carol)  # game over
    assert after.ephemeral and "over" in after.text


async def test_nobody_without_points_places_and_a_stop_on_the_last_question_finishes(
    sandbox: Sandbox,
) -> None:
    fast(sandbox)
    await import_films(sandbox)
    alice = await sandbox.add_member("alice")
    bob = await sandbox.add_member("bob")
    trivia = sandbox.trivia
    await sandbox.slash(
        "trivia start", user=alice, channel=trivia, pack="films", questions=1, seconds=120
    )
    q1 = await sandbox.wait_for_message(trivia, check=is_question(1))
    answer = right_answer(q1.embed["description"])
    await sandbox.click(q1, label_for(q1, answer), user=alice)
    await sandbox.click(q1, label_for(q1, answer, right=False), user=bob)
    await sandbox.slash("trivia stop", user=alice, channel=trivia)  # on the last question
    results = await sandbox.wait_for_message(trivia, check=is_results, timeout=10)
    text = results.embed["description"]
    assert text.startswith("All questions asked.")  # finished, not "stopped"
    assert f"Winner: <@{alice.user.id}>" in text
    assert f"🥇 <@{alice.user.id}> — 3 pts (1 right)" in text
    assert f"Also played, no points: <@{bob.user.id}>" in text
    assert "🥈" not in text
    state = await sandbox.store.fetchval("SELECT state FROM trivia_games")
    assert state == "finished"
    board = await sandbox.slash("trivia leaderboard", channel=trivia)
    (line,) = board.embed["description"].splitlines()
    assert str(alice.user.id) in line and "1 win)" in line
    stats = await sandbox.slash("trivia stats", channel=trivia, member=alice)
    fields = {f["name"]: f["value"] for f in stats.embed["fields"]}
    assert fields["Wins"] == "1" and fields["Rank"] == "1 of 1"
    stats = await sandbox.slash("trivia stats", channel=trivia, member=bob)
    fields = {f["name"]: f["value"] for f in stats.embed["fields"]}
    assert fields["Rank"] == "no points yet" and fields["Games"] == "1"


async def test_a_small_answer_only_pack_says_why_questions_are_left_out(sandbox: Sandbox) -> None:
    fast(sandbox)
    imported = await sandbox.slash(
        "trivia packs import",
        user=sandbox.admin,
        file=Upload("classics.yaml", (FIXTURES / "classics.yaml").read_bytes()),
    )
    assert "Imported pack **classics**: 3 questions." in imported.text
    start = await sandbox.slash("trivia start", channel=sandbox.trivia, pack="classics")
    assert not start.ephemeral
    head, why = start.text.splitlines()
    assert head.startswith("Trivia is starting: 1 question from **classics**")
    assert why == (
        "2 questions were left out: buttons need wrong choices of the answer's kind (a year "
        "for a year, a name for a name) and the pack has too few of them; with mode: typed "
        "every question is asked."
    )
    q1 = await sandbox.wait_for_message(sandbox.trivia, check=is_question(1))
    assert all(label.split(". ", 1)[1].isdigit() for label in q1.buttons)  # years only
    await sandbox.slash("trivia stop", user=sandbox.admin, channel=sandbox.trivia)
    await sandbox.wait_for_message(sandbox.trivia, check=is_results, timeout=10)


async def test_one_game_per_channel_and_who_may_stop_it(sandbox: Sandbox) -> None:
    fast(sandbox)
    alice = await sandbox.add_member("alice")
    await sandbox.slash("trivia start", user=alice, channel=sandbox.trivia, seconds=120)
    again = await sandbox.slash("trivia start", user=sandbox.member, channel=sandbox.trivia)
    assert again.ephemeral and "already running" in again.text
    refused = await sandbox.slash("trivia stop", user=sandbox.member, channel=sandbox.trivia)
    assert refused.ephemeral and "started the game or a server manager" in refused.text
    stopped = await sandbox.slash("trivia stop", user=sandbox.admin, channel=sandbox.trivia)
    assert not stopped.ephemeral
    results = await sandbox.wait_for_message(sandbox.trivia, check=is_results, timeout=10)
    assert "stopped" in results.embed["description"]
    nothing = await sandbox.slash("trivia stop", user=alice, channel=sandbox.trivia)
    assert nothing.ephemeral and "No trivia game" in nothing.text


async def test_start_refuses_what_it_cannot_do(sandbox: Sandbox) -> None:
    unknown = await sandbox.slash("trivia start", channel=sandbox.trivia, pack="no-such-pack")
    assert unknown.ephemeral and "no trivia pack named 'no-such-pack'" in unknown.text
    await sandbox.deny(sandbox.trivia, Perm.SEND_MESSAGES)
    mute = await sandbox.slash("trivia start", channel=sandbox.trivia)
    assert mute.ephemeral and "Send Messages" in mute.text
    running = await sandbox.store.fetchval("SELECT count(*) FROM trivia_games")
    assert running == 0


async def test_typed_mode_without_the_intent_says_so(sandbox: Sandbox) -> None:
    reply = await sandbox.slash("trivia start", channel=sandbox.trivia, mode="typed")
    assert reply.ephemeral and "Message Content intent" in reply.text
    assert not [m for m in await sandbox.messages(sandbox.trivia) if m.embed]


@pytest.fixture
async def typed_sandbox(settings: Settings) -> AsyncIterator[Sandbox]:
    sb = Sandbox()
    await sb.start()
    try:
        await sb.start_bot(dataclasses.replace(settings, message_content=True))
        yield sb
    finally:
        await sb.stop()
    sb.assert_no_violations()


async def test_typed_game_judges_messages(typed_sandbox: Sandbox) -> None:
    sandbox = typed_sandbox
    fast(sandbox)
    await import_pack_file(sandbox.store, FIXTURES / "red-sample.yaml", name="quiz")
    alice = await sandbox.add_member("alice")
    bob = await sandbox.add_member("bob")
    trivia = sandbox.trivia
    expected = {
        "Red Planet": ("mars", "the marss"),  # bob: a typo and an article
        "capital of France": ("Paris", "PARIS!"),
        "legs does a spider": ("eight", "8"),
        "wrote Hamlet": ("shakespeare", "William Shakespear"),
        "Pacific": ("yes", "true"),
    }
    await sandbox.slash(
        "trivia start", user=alice, channel=trivia, pack="quiz", mode="typed", questions=2,
        seconds=30,
    )  # fmt: skip
    for number in (1, 2):
        q = await sandbox.wait_for_message(trivia, check=is_question(number), timeout=10)
        key = next(k for k in expected if k in q.embed["description"])
        alice_says, bob_says = expected[key]
        await sandbox.post(trivia, "no idea", user=bob)  # a wrong guess may be retried
        await sandbox.post(trivia, alice_says, user=alice)
        await sandbox.post(trivia, bob_says, user=bob)
        reveal = await sandbox.wait_for_message(trivia, check=is_reveal(number), timeout=10)
        assert f"<@{alice.user.id}> +3, <@{bob.user.id}> +2" in reveal.embed["description"]
    results = await sandbox.wait_for_message(trivia, check=is_results, timeout=10)
    assert f"Winner: <@{alice.user.id}>" in results.embed["description"]
    stats = await sandbox.slash("trivia stats", channel=trivia, member=bob)
    fields = {f["name"]: f["value"] for f in stats.embed["fields"]}
    assert fields["Points"] == "4"


async def test_pack_imports_by_attachment(sandbox: Sandbox) -> None:
    await import_films(sandbox)
    red = await sandbox.slash(
        "trivia packs import",
        user=sandbox.admin,
        file=Upload("Movie Night.yaml", (FIXTURES / "red-sample.yaml").read_bytes()),
    )
    assert "Imported pack **movie-night**: 5 questions" in red.text
    bad = await sandbox.slash(
        "trivia packs import",
        user=sandbox.admin,
        file=Upload("broken.yaml", b"Who directed Jaws?:\n- Steven Spielberg\nYear?: [1975\n"),
    )
    assert bad.ephemeral
    assert "broken.yaml: line 4, column 1: not valid YAML" in bad.text
    denied = await sandbox.slash(
        "trivia packs import", user=sandbox.member, file=Upload("x.yaml", b"Q?:\n- a\n")
    )
    assert denied.ephemeral and "Manage Server" in denied.text
    listing = await sandbox.slash("trivia packs list")
    text = listing.embed["description"]
    for name in ("movies", "dead-reckoning", "films", "movie-night"):
        assert f"**{name}**" in text
    assert "broken" not in text and "**x**" not in text
    suggestions = await sandbox.autocomplete("trivia start", "pack", "mov")
    assert {c["value"] for c in suggestions} == {"movies", "movie-night"}


async def test_near_duplicate_questions_import_merged_with_a_note(sandbox: Sandbox) -> None:
    reply = await sandbox.slash(
        "trivia packs import",
        user=sandbox.admin,
        file=Upload("case.yaml", (FIXTURES / "near-duplicates-case.yaml").read_bytes()),
    )
    assert reply.ephemeral
    lines = reply.text.splitlines()[-3:]
    assert lines[0].startswith("Imported pack **case**: 2 questions.")
    assert lines[1:] == [
        "1 note on the file:",
        "• line 6: 'WHICH STUDIO MADE THE FIRST FEATURE\\-LENGTH CEL\\-ANIMATED FIL…' differs "
        "only in case or punctuation from line 3; merged into one question, answers united",
    ]


async def test_restart_mid_game_saves_points_and_says_so(sandbox: Sandbox, settings) -> None:
    fast(sandbox)
    await import_films(sandbox)
    alice = await sandbox.add_member("alice")
    trivia = sandbox.trivia
    await sandbox.slash(
        "trivia start", user=alice, channel=trivia, pack="films", questions=4, seconds=30
    )
    q1 = await sandbox.wait_for_message(trivia, check=is_question(1))
    await sandbox.click(q1, label_for(q1, right_answer(q1.embed["description"])), user=alice)
    await sandbox.wait_for_message(trivia, check=is_reveal(1), timeout=10)
    await sandbox.stop_bot()  # the process goes away mid-game
    await sandbox.start_bot(settings, store=sandbox.store)
    notice = await sandbox.wait_for_message(
        trivia, check=lambda m: "interrupted by a restart" in m.content, timeout=10
    )
    assert "scores so far are saved" in notice.content
    assert f"<@{alice.user.id}> — 3 pts" in notice.embed["description"]
    stats = await sandbox.slash("trivia stats", channel=trivia, member=alice)
    fields = {f["name"]: f["value"] for f in stats.embed["fields"]}
    assert fields["Points"] == "3" and fields["Games"] == "1"
    fast(sandbox)
    fresh = await sandbox.slash(
        "trivia start", user=alice, channel=trivia, pack="films", questions=1, seconds=30
    )
    assert not fresh.ephemeral  # the channel is free again


async def test_a_game_whose_process_is_gone_gives_way_to_a_new_one(sandbox: Sandbox) -> None:
    """A process of the cluster died mid-game and nobody restarted it: the process now
    serving the channel ends that game (points kept, the usual note) when a new one is
    asked for, instead of saying a game is running."""
    fast(sandbox)
    await import_films(sandbox)
    await sandbox.bot.get_cog("Trivia")._startup  # its start-up sweep is behind it
    repo = TriviaRepository(sandbox.store)
    gone = new_token()  # a process no longer alive
    await repo.start_game(
        guild=sandbox.guild.id, channel=sandbox.trivia.id, starter=sandbox.member.id,
        source="films", mode="buttons", questions=4, seconds=30, at=utc_now(), owner=gone,
    )  # fmt: skip
    start = await sandbox.slash("trivia start", channel=sandbox.trivia, pack="films", questions=1)
    assert not start.ephemeral and "1 question from **films**" in start.text
    notices = [m for m in await sandbox.messages(sandbox.trivia) if "interrupted" in m.content]
    assert len(notices) == 1
    assert [g.owner for g in await repo.running_games()] == [claim_owner(sandbox.bot)]


async def test_deleted_channel_ends_the_game(sandbox: Sandbox, caplog) -> None:
    fast(sandbox)
    await import_films(sandbox)
    room = await sandbox.add_channel("quiz-room")
    await sandbox.slash("trivia start", channel=room, pack="films", questions=4, seconds=30)
    await sandbox.wait_for_message(room, check=is_question(1))
    await sandbox.delete_channel(room)
    cog = sandbox.bot.get_cog("Trivia")
    await sandbox.emulator.wait_until(lambda: room.id not in cog.games, 5)
    assert room.id not in cog.games
    running = await sandbox.store.fetchval(
        "SELECT count(*) FROM trivia_games WHERE state = 'running'"
    )
    assert running == 0
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
