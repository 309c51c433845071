"""The session's scoring rules, the runner's persistence, and which process ends a game
left running; on each store backend."""

from __future__ import annotations

import asyncio

from bot.db.coordination import open_coordinator
from bot.db.store import Store
from bot.trivia.engine import GameSession, Outcome, points_for_rank
from bot.trivia.library import close_stale_games
from bot.trivia.models import Question
from bot.trivia.repository import TriviaRepository
from bot.trivia.runner import ChannelGone, GameRunner

ALICE, BOB, CAROL = 101, 102, 103


def _questions(n: int) -> list[Question]:
    return [
        Question(f"q:{i}", f"Question {i}?", (f"Right {i}",), (f"Right {i}", "W1", "W2", "W3"), 0)
        for i in range(n)
    ]


def _session(n: int = 3, mode: str = "buttons", game_id: int = 1) -> GameSession:
    return GameSession(
        game_id=game_id, guild=1, channel=2, starter=ALICE, mode=mode, source="test",
        questions=_questions(n), seconds=1,
    )  # fmt: skip


def test_first_correct_scores_most_and_one_answer_per_person():
    session = _session()
    session.open_next()
    assert session.answer_choice(BOB, 1, 2) is Outcome.ACCEPTED  # wrong, but first
    assert session.answer_choice(ALICE, 1, 0) is Outcome.ACCEPTED
    assert session.answer_choice(ALICE, 1, 0) is Outcome.DUPLICATE  # double click
    assert session.answer_choice(BOB, 1, 0) is Outcome.DUPLICATE  # no second try
    assert session.answer_choice(CAROL, 1, 0) is Outcome.ACCEPTED
    outcome = session.close()
    assert [(r.user, r.correct, r.points) for r in outcome.results] == [
        (ALICE, True, 3), (CAROL, True, 2), (BOB, False, 0),
    ]  # fmt: skip
    assert session.answer_choice(CAROL, 1, 0) is Outcome.LATE
    assert [points_for_rank(i) for i in range(5)] == [3, 2, 1, 1, 1]


def test_a_click_on_an_old_question_is_late():
    session = _session()
    session.open_next()
    session.close()
    session.open_next()
    assert session.answer_choice(ALICE, 1, 0) is Outcome.LATE
    assert session.answer_choice(ALICE, 2, 0) is Outcome.ACCEPTED


def test_two_unanswered_questions_end_the_game():
    session = _session(5)
    for _ in range(2):
        session.open_next()
        session.close()
    assert session.over and session.ended_early_for_silence
    assert session.open_next() is None


def test_typed_guesses_are_judged_and_retried():
    session = _session(mode="typed")
    session.open_next()
    assert session.answer_text(BOB, "wrong") is Outcome.WRONG
    assert session.answer_text(ALICE, "right 0") is Outcome.CORRECT
    assert session.answer_text(BOB, "RIGHT 0!") is Outcome.CORRECT
    assert session.answer_text(ALICE, "right 0") is Outcome.IGNORED
    assert session.answer_text(CAROL, "right 1") is Outcome.WRONG  # a different number
    outcome = session.close()
    assert [(r.user, r.points) for r in outcome.results] == [(ALICE, 3), (BOB, 2), (CAROL, 0)]


class ListIO:
    """Records what the runner would post; answers for players as the test scripts them."""

    def __init__(self, script=None, gone_at: int | None = None) -> None:
        self.events: list[tuple] = []
        self.script = script or {}
        self.gone_at = gone_at
        self.changed = asyncio.Event()

    async def until(self, count: int) -> None:
        while len(self.events) < count:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 5)

    async def ask(self, session, question):
        number = session.asked
        if number == self.gone_at:
            raise ChannelGone
        self.events.append(("ask", number))
        self.changed.set()
        for user, choice in self.script.get(number, []):
            session.answer_choice(user, number, choice)

    async def reveal(self, session, outcome):
        self.events.append(("reveal", outcome.number, [r.user for r in outcome.winners]))
        self.changed.set()

    async def finish(self, session, end):
        self.events.append(("finish", end.reason, end.winners))


async def _start(repo: TriviaRepository, session: GameSession, io: ListIO) -> GameRunner:
    game_id = await repo.start_game(
        guild=1, channel=2, starter=ALICE, source="test", mode=session.mode,
        questions=session.total, seconds=1, at="2024-05-01T10:00:00",
    )  # fmt: skip
    session.game_id = game_id
    return GameRunner(session, await repo.get_game(game_id), repo, io, time_scale=0.01)


async def test_runner_saves_scores_streaks_wins_and_games(store):
    repo = TriviaRepository(store)
    io = ListIO({1: [(ALICE, 0), (BOB, 0)], 2: [(BOB, 0), (ALICE, 1)], 3: [(ALICE, 0)]})
    runner = await _start(repo, _session(3), io)
    end = await runner.start()
    assert end.reason == "questions" and end.winners == [ALICE]  # 3 + 0 + 3 vs 2 + 3
    assert [e[0] for e in io.events] == ["ask", "reveal"] * 3 + ["finish"]
    alice = await repo.player_stats(1, ALICE)
    bob = await repo.player_stats(1, BOB)
    assert (alice.points, alice.correct, alice.wins, alice.games) == (6, 2, 1, 1)
    assert (alice.streak, alice.best_streak) == (1, 1)  # right, wrong, right
    assert (bob.points, bob.correct, bob.wins, bob.games, bob.best_streak) == (5, 2, 0, 1, 2)
    board = await repo.leaderboard(1)
    assert [(r.user, r.points) for r in board] == [(ALICE, 6), (BOB, 5)]
    assert await repo.running_games() == []
    # The period board counts answers in the period only.
    assert await repo.leaderboard(1, since="2999-01-01") == []
    assert len(await repo.leaderboard(1, since="2000-01-01")) == 2


async def test_stop_ends_after_the_current_question(store):
    repo = TriviaRepository(store)
    io = ListIO({1: [(BOB, 0)]})
    runner = await _start(repo, _session(10), io)
    task = runner.start()
    await io.until(1)
    runner.stop(ALICE)
    end = await task
    assert end.reason == "stopped" and end.winners == []  # a stopped game has no winner
    assert (await repo.player_stats(1, BOB)).points == 3  # the answer before the stop counts
    assert (await repo.player_stats(1, BOB)).games == 1


async def test_a_vanished_channel_ends_the_game_quietly(store):
    repo = TriviaRepository(store)
    io = ListIO({1: [(BOB, 0)]}, gone_at=2)
    runner = await _start(repo, _session(5), io)
    end = await asyncio.wait_for(runner.start(), 5)
    assert end.reason == "channel"
    assert io.events[-1][0] == "reveal"  # nothing was posted after the channel went
    assert (await repo.player_stats(1, BOB)).points == 3
    assert await repo.running_games() == []


async def test_stale_games_close_once_with_points_kept(store):
    repo = TriviaRepository(store)
    io = ListIO({1: [(CAROL, 0)]})
    runner = await _start(repo, _session(5), io)
    task = runner.start()
    await io.until(2)
    task.cancel()  # the process dies mid-game
    assert [g.id for g in await repo.running_games()] == [runner.game.id]
    closed = await close_stale_games(repo)
    assert [g.channel for g in closed] == [2]
    assert await close_stale_games(repo) == []
    carol = await repo.player_stats(1, CAROL)
    assert (carol.points, carol.games, carol.wins) == (3, 1, 0)
    record = await repo.get_game(runner.game.id)
    assert record.state == "interrupted"


async def _game_in(repo: TriviaRepository, channel: int, owner: int | None) -> int:
    game_id = await repo.start_game(
        guild=1, channel=channel, starter=ALICE, source="test", mode="buttons", questions=3,
        seconds=1, at="2024-05-01T10:00:00", owner=owner,
    )  # fmt: skip
    assert game_id is not None
    return game_id


def _sweep(repo: TriviaRepository, me, runs_here=lambda channel: False):
    """A process's start-up sweep, `me` being its coordinator."""
    return close_stale_games(repo, me=me.token, alive=me.alive, runs_here=runs_here)


async def test_only_games_no_process_runs_are_ended(store):
    repo = TriviaRepository(store)
    earlier, me = await open_coordinator(store), await open_coordinator(store)
    await earlier.close()  # the previous run, gone
    try:
        left = await _game_in(repo, 10, earlier.token)
        legacy = await _game_in(repo, 11, None)  # started before games had owners
        mine = await _game_in(repo, 12, me.token)  # this process runs it
        reloaded = await _game_in(repo, 13, me.token)  # its runner went with a cog reload
        closed = await _sweep(repo, me, runs_here=lambda channel: channel == 12)
        assert sorted(g.id for g in closed) == [left, legacy, reloaded]
        assert [g.id for g in await repo.running_games()] == [mine]
        assert (await repo.get_game(left)).state == "interrupted"
    finally:
        await me.close()


async def test_a_live_game_of_another_process_is_left_to_it_until_it_dies(pg_url):
    """Two processes given the same shard: the second's start-up leaves the first's game
    alone; once the first is killed, its game is ended, by exactly one of the others."""
    async with await Store.open(pg_url) as store:
        repo = TriviaRepository(store)
        first, second, third = [await open_coordinator(store) for _ in range(3)]
        try:
            game = await _game_in(repo, 10, first.token)
            assert await _sweep(repo, second) == []
            assert [g.id for g in await repo.running_games()] == [game]
            await first.close()  # as a kill -9 would: its session ends
            both = await asyncio.gather(_sweep(repo, second), _sweep(repo, third))
            assert sorted(len(closed) for closed in both) == [0, 1]  # announced once
            assert (await repo.get_game(game)).state == "interrupted"
        finally:
            await second.close()
            await third.close()


async def test_one_running_game_per_channel(store):
    repo = TriviaRepository(store)
    args = dict(guild=1, channel=5, starter=1, source="s", mode="buttons", questions=1, seconds=1)
    first = await repo.start_game(**args, at="t")
    assert first is not None
    assert await repo.start_game(**args, at="t") is None
    await repo.finish_game(first, "finished", "t")
    assert await repo.start_game(**args, at="t") is not None


async def test_a_stop_on_the_last_question_still_finishes_the_game(store):
    repo = TriviaRepository(store)
    io = ListIO({1: [(BOB, 0)]})
    runner = await _start(repo, _session(1), io)
    task = runner.start()
    await io.until(1)
    runner.stop(ALICE)
    end = await task
    assert (end.state, end.reason, end.winners) == ("finished", "questions", [BOB])
    bob = await repo.player_stats(1, BOB)
    assert (bob.points, bob.wins, bob.games) == (3, 1, 1)
