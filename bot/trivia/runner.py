"""Drives a game session in time: ask, wait, score, save, reveal, until it is over.

The runner owns the game's task and announces its end; results are saved after every
question, so a crash or a restart loses nothing already scored. Talking to players goes
through `GameIO`, which the cog implements with Discord and tests with a list.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.trivia.engine import GameSession, QuestionOutcome
from bot.trivia.models import GameRecord, Question
from bot.trivia.repository import TriviaRepository

log = logging.getLogger(__name__)

REVEAL_PAUSE = 3.0  # seconds between a reveal and the next question


class ChannelGone(Exception):
    """The game's channel was deleted or the bot lost access: the game ends quietly."""


@dataclass(frozen=True)
class GameEnd:
    state: str  # "finished", "stopped" or "interrupted"
    reason: str  # "questions", "silence", "stopped", "channel"
    totals: list[tuple[int, int, int]]  # (user, points, correct) best first
    winners: list[int]


class GameIO(Protocol):
    async def ask(self, session: GameSession, question: Question) -> None: ...

    async def reveal(self, session: GameSession, outcome: QuestionOutcome) -> None: ...

    async def finish(self, session: GameSession, end: GameEnd) -> None: ...


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class GameRunner:
    """One running game: its session, its task and the way to stop it early."""

    def __init__(
        self,
        session: GameSession,
        game: GameRecord,
        repo: TriviaRepository,
        io: GameIO,
        *,
        time_scale: float = 1.0,
        clock: Callable[[], str] = utc_now,
    ) -> None:
        self.session = session
        self.game = game
        self.repo = repo
        self.io = io
        self.time_scale = time_scale
        self.clock = clock
        self._wake = asyncio.Event()
        self._gone = False
        self.task: asyncio.Task[GameEnd] | None = None

    def start(self) -> asyncio.Task[GameEnd]:
        self.task = asyncio.create_task(self.run(), name=f"trivia-game-{self.game.id}")
        return self.task

    def stop(self, by: int) -> None:
        """End after the current question (its answers still count)."""
        self.session.stop(by)
        self._wake.set()

    def channel_gone(self) -> None:
        self.session.stop(0)
        self._gone = True
        self._wake.set()

    async def run(self) -> GameEnd:
        try:
            while (question := self.session.open_next()) is not None:
                await self.io.ask(self.session, question)
                await self._sleep(self.session.seconds)
                outcome = self.session.close()
                if outcome is not None:
                    await self.repo.record_question(
                        self.game,
                        number=outcome.number,
                        key=question.key,
                        results=outcome.results,
                        at=self.clock(),
                    )
                    await self.io.reveal(self.session, outcome)
                if not self.session.over:
                    await self._sleep(REVEAL_PAUSE)
        except ChannelGone:
            self._gone = True
            # The last question's answers still count even if its reveal could not be sent.
            outcome = self.session.close()
            if outcome is not None:
                await self.repo.record_question(
                    self.game,
                    number=outcome.number,
                    key=outcome.question.key,
                    results=outcome.results,
                    at=self.clock(),
                )
        except Exception:
            # A bug must not leave the channel blocked by a game nobody runs.
            await self.repo.finish_game(self.game.id, "stopped", self.clock())
            raise
        return await self._finish()

    async def _finish(self) -> GameEnd:
        session = self.session
        if self._gone:
            state, reason = "stopped", "channel"
        elif session.stopped_by is not None and session.asked < session.total:
            state, reason = "stopped", "stopped"
        else:  # a stop during the last question still ends a game played through
            state = "finished"
            reason = "silence" if session.ended_early_for_silence else "questions"
        winners = await self.repo.finish_game(self.game.id, state, self.clock())
        totals = await self.repo.game_totals(self.game.id)
        end = GameEnd(state, reason, totals, winners)
        if not self._gone:
            with contextlib.suppress(ChannelGone):
                await self.io.finish(session, end)
        log.info("trivia game %s in channel %s ended: %s", self.game.id, self.game.channel, reason)
        return end

    async def _sleep(self, seconds: float) -> None:
        """Wait, or return at once when the game is stopped."""
        if self.session.stopped_by is not None:
            return
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds * self.time_scale)
