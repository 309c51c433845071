"""Trivia on Discord: the answer buttons and the embeds for questions, reveals and scores.

Every embed here fits Discord's limits by construction (texts are clipped). Buttons are
a DynamicItem whose custom_id carries the game, the question and the choice, so a click
reaches the game even on a message sent before a restart (and is told the game is over).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import discord

from bot.trivia.engine import QuestionOutcome
from bot.trivia.models import ImportResult, PackInfo, PlayerStats, Question, ScoreRow
from bot.trivia.runner import GameEnd
from bot.ui import limits
from bot.wording import plural

LETTERS = "ABCDE"
COG_NAME = "Trivia"
COLOR = discord.Colour.blurple()
MEDALS = ("🥇", "🥈", "🥉")
END_REASONS = {
    "questions": "All questions asked.",
    "silence": "Two questions in a row went unanswered, so the game ended.",
    "stopped": "The game was stopped.",
    "channel": "The channel went away.",
    "restart": "The game was interrupted by a restart; scores so far are saved.",
}


class TriviaChoice(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"trivia:(?P<game>\d+):(?P<number>\d+):(?P<choice>\d)",
):
    """One answer button; the running game is looked up when it is clicked."""

    def __init__(
        self,
        game_id: int,
        number: int,
        choice: int,
        label: str = "?",
        *,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=limits.clip(label, limits.BUTTON_LABEL),
                style=style,
                custom_id=f"trivia:{game_id}:{number}:{choice}",
            )
        )
        self.game_id = game_id
        self.number = number
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Button,
        match: Any,
    ) -> TriviaChoice:
        return cls(
            int(match["game"]), int(match["number"]), int(match["choice"]), item.label or "?"
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        get_cog = getattr(interaction.client, "get_cog", None)
        cog = get_cog(COG_NAME) if get_cog else None
        if cog is None:
            await interaction.response.send_message("This game is over.", ephemeral=True)
            return
        await cog.on_choice(interaction, self.game_id, self.number, self.choice)


def _button_label(index: int, choice: str) -> str:
    return f"{LETTERS[index]}. {choice}"


def question_view(game_id: int, number: int, question: Question) -> discord.ui.View:
    """Four answer buttons (two for true/false), one row."""
    view = discord.ui.View(timeout=None)
    for index, choice in enumerate(question.choices):
        view.add_item(
            TriviaChoice(
                game_id,
                number,
                index,
                _button_label(index, choice),
                style=discord.ButtonStyle.primary,
            )
        )
    return view


def question_embed(question: Question, number: int, total: int, seconds: int, mode: str):
    text = question.text if question.kind != "pack" else limits.escape(question.text)
    footer = (
        f"Type your answer in this channel · {seconds} s"
        if mode == "typed"
        else f"{seconds} s to answer · one answer per person · first right answer scores most"
    )
    embed = discord.Embed(
        title=f"Question {number} of {total}",
        description=limits.clip(text, limits.EMBED_DESCRIPTION - 200),
        colour=COLOR,
    )
    embed.set_footer(text=footer)
    return embed


def reveal_embed(outcome: QuestionOutcome) -> discord.Embed:
    question = outcome.question
    answer = limits.clip(limits.escape(question.answer), 500)
    if question.choices and question.correct_index is not None:
        answer = f"{LETTERS[question.correct_index]}. {answer}"
    lines = [f"The answer: **{answer}**"]
    right = [f"<@{r.user}> +{r.points}" for r in outcome.winners]
    wrong = len(outcome.results) - len(right)
    if right:
        lines.append("✅ " + ", ".join(right[:30]) + (" …" if len(right) > 30 else ""))
    if wrong:
        lines.append(f"❌ {plural(wrong, 'wrong answer')}")
    if not outcome.results:
        lines.append("Nobody answered.")
    embed = discord.Embed(
        title=f"Question {outcome.number}",
        description=limits.clip("\n".join(lines), limits.EMBED_DESCRIPTION),
        colour=discord.Colour.green() if right else discord.Colour.dark_grey(),
    )
    return embed


def _standings(rows: Sequence[tuple[int, int, int]], limit: int = 15) -> str:
    """Places for those who scored; who played without a point is named, unplaced."""
    scored = [row for row in rows if row[1] > 0]
    lines = []
    for rank, (user, points, correct) in enumerate(scored[:limit]):
        medal = MEDALS[rank] if rank < len(MEDALS) else f"{rank + 1}."
        lines.append(f"{medal} <@{user}> — {plural(points, 'pt')} ({correct} right)")
    if len(scored) > limit:
        lines.append(f"… and {len(scored) - limit} more")
    unplaced = [f"<@{row[0]}>" for row in rows if row[1] <= 0]
    if unplaced:
        shown = ", ".join(unplaced[:20]) + (" …" if len(unplaced) > 20 else "")
        lines.append(f"Also played, no points: {shown}")
    return "\n".join(lines)


def results_embed(end: GameEnd, asked: int) -> discord.Embed:
    lines = [END_REASONS.get(end.reason, "The game is over.")]
    if end.winners:
        lines.append("Winner: " + ", ".join(f"<@{u}>" for u in end.winners[:10]))
    if not any(points > 0 for _user, points, _correct in end.totals):
        lines.append("Nobody scored.")
    if end.totals:
        lines += ["", _standings(end.totals)]
    embed = discord.Embed(
        title="Trivia results",
        description=limits.clip("\n".join(lines), limits.EMBED_DESCRIPTION),
        colour=COLOR,
    )
    embed.set_footer(text=f"{plural(asked, 'question')} asked · scores saved")
    return embed


LEFT_OUT_WHY = (
    "buttons need wrong choices of the answer's kind (a year for a year, a name for a "
    "name) and the pack has too few of them; with mode: typed every question is asked"
)


def start_text(
    questions: Sequence[Question],
    wanted: int,
    left_out: int,
    source: str,
    seconds: int,
    mode: str,
    starter: str,
) -> str:
    """The announcement of a game; a shorter game than asked for says why."""
    how = "type your answers in the chat" if mode == "typed" else "pick an answer button"
    text = (
        f"Trivia is starting: {plural(len(questions), 'question')} from **{limits.escape(source)}**"
        f", {seconds} s each — {how}. Started by {starter}."
    )
    if left_out and len(questions) < wanted:
        were = "was" if left_out == 1 else "were"
        text += f"\n{plural(left_out, 'question')} {were} left out: {LEFT_OUT_WHY}."
    return text


def empty_deck_text(left_out: int, mode: str) -> str:
    if left_out and mode == "buttons":
        return f"No question of that pack can be asked with buttons: {LEFT_OUT_WHY}."
    return (
        "There are no questions to ask from that source yet. "
        "A server manager can add some with /trivia packs import."
    )


def import_text(result: ImportResult) -> str:
    """The reply to a pack import: what was stored, then the notes that fit one message."""
    name, questions = result.name, plural(result.questions, "question")
    if result.unchanged:
        head = f"Pack **{name}** is already up to date ({questions})."
    else:
        head = f"{'Replaced' if result.replaced else 'Imported'} pack **{name}**: {questions}."
    lines = [f"{head} Play it with /trivia start pack:{name}"]
    if result.notes:
        lines.append(f"{plural(len(result.notes), 'note')} on the file:")
    room = limits.CONTENT - len("\n".join(lines)) - 40  # keeps space for "… and N more"
    for shown, note in enumerate(result.notes):
        line = "• " + limits.clip(limits.escape(note), 300)
        if len(line) + 1 > room:
            lines.append(f"… and {len(result.notes) - shown} more")
            break
        lines.append(line)
        room -= len(line) + 1
    return "\n".join(lines)


def interrupted_text() -> str:
    return "The trivia game here was interrupted by a restart; scores so far are saved."


PERIOD_TITLES = {"all": "all time", "month": "this month", "week": "this week"}


def leaderboard_embed(rows: Sequence[ScoreRow], period: str, guild_name: str) -> discord.Embed:
    title = limits.clip(f"Trivia leaderboard — {guild_name} ({PERIOD_TITLES[period]})", 256)
    if not rows:
        description = "No trivia points yet for this period. Start a game with /trivia start."
    else:
        lines = []
        for rank, row in enumerate(rows):
            medal = MEDALS[rank] if rank < len(MEDALS) else f"{rank + 1}."
            extra = f", {plural(row.wins, 'win')}" if period == "all" else ""
            lines.append(
                f"{medal} <@{row.user}> — **{row.points}** pts ({row.correct} right{extra})"
            )
        description = "\n".join(lines)
    return discord.Embed(
        title=title,
        description=limits.clip(description, limits.EMBED_DESCRIPTION),
        colour=COLOR,
    )


def stats_embed(stats: PlayerStats, display_name: str) -> discord.Embed:
    embed = discord.Embed(
        title=limits.clip(f"Trivia stats — {display_name}", limits.EMBED_TITLE), colour=COLOR
    )
    accuracy = f"{100 * stats.correct / stats.answered:.0f}%" if stats.answered else "—"
    for name, value in (
        ("Points", stats.points),
        ("Rank", f"{stats.rank} of {stats.players}" if stats.points > 0 else "no points yet"),
        ("Games", stats.games),
        ("Wins", stats.wins),
        ("Right answers", f"{stats.correct} of {stats.answered} ({accuracy})"),
        ("Streak", f"{stats.streak} now, best {stats.best_streak}"),
    ):
        embed.add_field(name=name, value=str(value), inline=True)
    return embed


def packs_embed(packs: Sequence[PackInfo], store_questions: str) -> discord.Embed:
    lines = [f"**movies** — {store_questions}"]
    for pack in packs[:40]:
        owner = "this server" if pack.guild else "shared"
        about = f" — {pack.description}" if pack.description else ""
        lines.append(
            limits.clip(
                f"**{pack.name}** — {plural(pack.questions, 'question')} ({owner})"
                f"{limits.escape(about)}",
                300,
            )
        )
    if len(packs) > 40:
        lines.append(f"… and {len(packs) - 40} more")
    embed = discord.Embed(
        title="Trivia packs",
        description=limits.clip("\n".join(lines), limits.EMBED_DESCRIPTION),
        colour=COLOR,
    )
    embed.set_footer(text="Play one with /trivia start pack:<name>")
    return embed


def period_start(period: str, now: dt.datetime) -> str | None:
    """ISO start of the leaderboard period in UTC: calendar month, or the week from Monday."""
    now = now.astimezone(dt.UTC)
    if period == "month":
        start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    elif period == "week":
        start = (now - dt.timedelta(days=now.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
    else:
        return None
    return start.isoformat(timespec="seconds")
