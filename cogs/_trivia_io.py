"""The Discord side of a running game: post questions, reveals and results in a channel."""

from __future__ import annotations

import logging

import discord

from bot.trivia.engine import GameSession, QuestionOutcome
from bot.trivia.models import Question
from bot.trivia.runner import ChannelGone, GameEnd
from bot.ui import trivia_views
from bot.ui.replies import NO_PINGS

log = logging.getLogger(__name__)


class ChannelGameIO:
    """Implements bot.trivia.runner.GameIO for one channel."""

    def __init__(self, channel: discord.abc.Messageable) -> None:
        self.channel = channel

    async def ask(self, session: GameSession, question: Question) -> None:
        number = session.asked
        embed = trivia_views.question_embed(
            question, number, session.total, session.seconds, session.mode
        )
        view = None
        if session.mode == "buttons":
            view = trivia_views.question_view(session.game_id, number, question)
        await self._send(embed=embed, view=view)

    async def reveal(self, session: GameSession, outcome: QuestionOutcome) -> None:
        # The question's buttons stay as they are: a late click is told it is late, which
        # costs no edit per question (channel rate limits) and races with nothing.
        await self._send(embed=trivia_views.reveal_embed(outcome))

    async def finish(self, session: GameSession, end: GameEnd) -> None:
        await self._send(embed=trivia_views.results_embed(end, session.asked))

    async def _send(self, **kwargs: object) -> discord.Message | None:
        if kwargs.get("view") is None:
            kwargs.pop("view", None)
        try:
            return await self.channel.send(allowed_mentions=NO_PINGS, **kwargs)  # type: ignore[arg-type]
        except (discord.NotFound, discord.Forbidden) as exc:
            raise ChannelGone(str(exc)) from exc
        except discord.HTTPException as exc:
            log.warning("trivia message not sent: %s", exc)
            return None
