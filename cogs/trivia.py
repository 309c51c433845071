"""/trivia: start and stop games, leaderboards, stats, packs. Thin: the game is bot/trivia."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.permissions import creator_or_manager, server_manager_only
from bot.sharding import owns_guild
from bot.trivia.deck import build_deck
from bot.trivia.engine import GameSession, Outcome
from bot.trivia.library import close_stale_games, import_pack_bytes, install_bundled_packs
from bot.trivia.models import STORE_SOURCE, GameRecord
from bot.trivia.packs import MAX_BYTES
from bot.trivia.repository import TriviaRepository
from bot.trivia.runner import GameEnd, GameRunner, utc_now
from bot.ui import trivia_views
from bot.ui.autocomplete import matching_choices
from bot.ui.replies import NO_PINGS, respond
from bot.wording import plural
from cogs._delivery import alive_owners, claim_owner
from cogs._trivia_io import ChannelGameIO

log = logging.getLogger(__name__)

DEFAULT_QUESTIONS = 10
DEFAULT_SECONDS = 20
ACKS = {
    Outcome.ACCEPTED: "Locked in: **{letter}**. The answer is revealed when time is up.",
    Outcome.DUPLICATE: "You already answered this question; only your first answer counts.",
    Outcome.LATE: "Too late: that question is closed.",
}
NO_INTENT = (
    "Typed answers need the Message Content intent, and this bot does not have it. "
    "Play with mode: buttons, or ask the bot owner to enable the intent "
    "(MARQUEE_MESSAGE_CONTENT=1)."
)


@app_commands.guild_only()
class Trivia(commands.GroupCog, group_name="trivia", group_description="Movie trivia games"):
    packs = app_commands.Group(name="packs", description="Trivia question packs")

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.store = bot.store  # type: ignore[attr-defined]
        self.settings = bot.settings  # type: ignore[attr-defined]
        self.repo = TriviaRepository(self.store)
        self.games: dict[int, GameRunner] = {}  # channel id -> the game running there
        self.time_scale = 1.0  # tests shrink every wait; players never see this
        self.rng = random.Random()
        self._startup: asyncio.Task[None] | None = None
        self._starting: set[int] = set()  # channels whose game is being set up
        self.owner: int | None = None  # this process's token on the games it runs

    async def cog_load(self) -> None:
        self.owner = claim_owner(self.bot)
        self.bot.add_dynamic_items(trivia_views.TriviaChoice)
        self._startup = asyncio.create_task(self._after_ready(), name="trivia-startup")

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(trivia_views.TriviaChoice)
        if self._startup is not None:
            self._startup.cancel()
        for runner in list(self.games.values()):
            if runner.task is not None:
                runner.task.cancel()  # left "running" in the store: the next start ends it
        self.games.clear()

    async def _after_ready(self) -> None:
        """Load the bundled packs, then end the games of this process's servers that no
        process runs any more (a previous run's); a live game of another process (two
        given the same shard) is left to it."""
        try:
            await install_bundled_packs(self.store, self.settings.data_dir)
            await self.bot.wait_until_ready()
            closed = await close_stale_games(
                self.repo,
                owns=lambda guild: owns_guild(self.bot, guild),
                me=self.owner,
                alive=lambda owners: alive_owners(self.bot, owners),
                runs_here=self._runs_here,
            )
            for game in closed:
                await self._announce_interrupted(game)
            log.info("trivia start-up: %s that no process runs any more ended",
                     plural(len(closed), "game"))  # fmt: skip
        except Exception:
            log.exception("trivia start-up work failed")

    def _runs_here(self, channel_id: int) -> bool:
        return channel_id in self.games or channel_id in self._starting

    async def _live_elsewhere(self, game: GameRecord | None) -> bool:
        """Whether `game` is running in another live process (one given the same shard):
        that process asks its questions and answers its players' clicks and commands,
        so this one stays silent."""
        if game is None or game.state != "running" or game.owner in (None, self.owner):
            return False
        return bool(await alive_owners(self.bot, {game.owner}))

    async def _announce_interrupted(self, game: GameRecord) -> None:
        channel = self.bot.get_channel(game.channel)
        if not isinstance(channel, discord.abc.Messageable):
            return
        end = GameEnd("interrupted", "restart", await self.repo.game_totals(game.id), [])
        embed = trivia_views.results_embed(end, game.asked)
        try:
            await channel.send(
                trivia_views.interrupted_text(), embed=embed, allowed_mentions=NO_PINGS
            )
        except discord.HTTPException as exc:
            log.info("could not announce interrupted game %s: %s", game.id, exc)

    # -- games ------------------------------------------------------------------

    @app_commands.command(name="start", description="Start a trivia game in this channel")
    @app_commands.describe(
        pack="Question pack (default: movie questions from the store and the bundled packs)",
        questions="How many questions (1-50)",
        mode="buttons: pick one of four; typed: type the answer in the channel",
        seconds="Seconds per question (5-120)",
    )
    @app_commands.choices(
        mode=[
            app_commands.Choice(name="buttons", value="buttons"),
            app_commands.Choice(name="typed", value="typed"),
        ]
    )
    async def start(
        self,
        interaction: discord.Interaction,
        pack: app_commands.Range[str, 1, 100] | None = None,
        questions: app_commands.Range[int, 1, 50] | None = None,
        mode: str = "buttons",
        seconds: app_commands.Range[int, 5, 120] | None = None,
    ) -> None:
        guild, channel = interaction.guild, interaction.channel
        if guild is None or channel is None:
            raise UserFacingError("Trivia works only in a server channel.")
        if mode == "typed" and not self.settings.message_content:
            raise UserFacingError(NO_INTENT)
        if channel.id in self.games or channel.id in self._starting:
            raise UserFacingError("A game is already running here; /trivia stop ends it.")
        can = interaction.app_permissions
        if not (can.view_channel and can.send_messages and can.embed_links):
            raise UserFacingError(
                "I can't run a game here: I need View Channel, Send Messages and Embed Links "
                "in this channel."
            )
        self._starting.add(channel.id)
        try:
            await self._start(interaction, guild, channel, pack, questions, mode, seconds)
        finally:
            self._starting.discard(channel.id)

    async def _start(
        self,
        interaction: discord.Interaction,
        guild: discord.Guild,
        channel: Any,
        pack: str | None,
        questions: int | None,
        mode: str,
        seconds: int | None,
    ) -> None:
        default_questions, default_seconds = await self.repo.guild_defaults(guild.id)
        count = questions or default_questions or DEFAULT_QUESTIONS
        per_question = seconds or default_seconds or DEFAULT_SECONDS
        source = pack.strip().lower() if pack else None
        deck = await build_deck(
            self.repo,
            guild=guild.id,
            source=source,
            count=count,
            mode=mode,
            rng=self.rng,
            this_year=dt.datetime.now(dt.UTC).year,
        )
        if not deck.questions:
            raise UserFacingError(trivia_views.empty_deck_text(deck.left_out, mode))
        record = dict(
            guild=guild.id,
            channel=channel.id,
            starter=interaction.user.id,
            source=source or STORE_SOURCE,
            mode=mode,
            questions=len(deck.questions),
            seconds=per_question,
            owner=self.owner,
        )
        game_id = await self.repo.start_game(**record, at=utc_now())
        if game_id is None:  # the store has a running game here
            blocking = await self.repo.running_game_in(channel.id)
            if await self._live_elsewhere(blocking):
                return  # its process answers this command too (the same shard given twice)
            if blocking is not None and await self.repo.interrupt_game(blocking.id, utc_now()):
                await self._announce_interrupted(blocking)  # its process is gone
            game_id = await self.repo.start_game(**record, at=utc_now())
        game = await self.repo.get_game(game_id) if game_id else None
        if game is None:
            raise UserFacingError("A game is already running here; /trivia stop ends it.")
        session = GameSession(
            game_id=game.id,
            guild=guild.id,
            channel=channel.id,
            starter=interaction.user.id,
            mode=mode,
            source=game.source,
            questions=deck.questions,
            seconds=per_question,
        )
        runner = GameRunner(
            session, game, self.repo, ChannelGameIO(channel), time_scale=self.time_scale
        )
        self.games[channel.id] = runner
        await respond(
            interaction,
            trivia_views.start_text(
                deck.questions, count, deck.left_out, game.source, per_question, mode,
                interaction.user.mention,
            ),
        )  # fmt: skip
        task = runner.start()
        task.add_done_callback(lambda t, ch=channel.id, r=runner: self._game_done(ch, r, t))

    def _game_done(self, channel_id: int, runner: GameRunner, task: asyncio.Task[Any]) -> None:
        if self.games.get(channel_id) is runner:
            del self.games[channel_id]
        if not task.cancelled() and task.exception() is not None:
            log.error("trivia game %s failed", runner.game.id, exc_info=task.exception())

    @app_commands.command(name="stop", description="Stop the trivia game in this channel")
    async def stop(self, interaction: discord.Interaction) -> None:
        runner = self.games.get(interaction.channel_id or 0)
        if runner is None:
            if await self._live_elsewhere(
                await self.repo.running_game_in(interaction.channel_id or 0)
            ):
                return  # the process running the game answers
            raise UserFacingError("No trivia game is running in this channel.")
        if not creator_or_manager(interaction, runner.session.starter):
            raise UserFacingError(
                "Only the person who started the game or a server manager can stop it."
            )
        runner.stop(interaction.user.id)
        await respond(interaction, f"{interaction.user.mention} stopped the game.")

    async def on_choice(
        self, interaction: discord.Interaction, game_id: int, number: int, choice: int
    ) -> None:
        """A click on an answer button (routed here by TriviaChoice)."""
        runner = self.games.get(interaction.channel_id or 0)
        if runner is None or runner.game.id != game_id:
            if await self._live_elsewhere(await self.repo.get_game(game_id)):
                return  # the process running the game takes the answer
            await respond(interaction, "This game is over.", ephemeral=True)
            return
        outcome = runner.session.answer_choice(interaction.user.id, number, choice)
        letter = trivia_views.LETTERS[choice] if choice < len(trivia_views.LETTERS) else "?"
        await respond(interaction, ACKS[outcome].format(letter=letter), ephemeral=True)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is None:
            return
        runner = self.games.get(message.channel.id)
        if runner is None or runner.session.mode != "typed":
            return
        if runner.session.answer_text(message.author.id, message.content) is Outcome.CORRECT:
            # A missing reaction costs nothing: the reveal lists who was right.
            with contextlib.suppress(discord.HTTPException):
                await message.add_reaction("✅")

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        runner = self.games.get(channel.id)
        if runner is not None:
            runner.channel_gone()

    # -- scores -----------------------------------------------------------------

    @app_commands.command(name="leaderboard", description="The best trivia players here")
    @app_commands.describe(period="all time (default), this month, or this week")
    @app_commands.choices(
        period=[app_commands.Choice(name=p, value=p) for p in ("all", "month", "week")]
    )
    async def leaderboard(self, interaction: discord.Interaction, period: str = "all") -> None:
        guild = interaction.guild
        if guild is None:
            raise UserFacingError("Leaderboards are per server.")
        since = trivia_views.period_start(period, dt.datetime.now(dt.UTC))
        rows = await self.repo.leaderboard(guild.id, since)
        await respond(interaction, embed=trivia_views.leaderboard_embed(rows, period, guild.name))

    @app_commands.command(name="stats", description="Trivia stats for you or another member")
    @app_commands.describe(member="Whose stats (default: yours)")
    async def stats(
        self, interaction: discord.Interaction, member: discord.Member | None = None
    ) -> None:
        guild = interaction.guild
        if guild is None:
            raise UserFacingError("Stats are per server.")
        who = member or interaction.user
        stats = await self.repo.player_stats(guild.id, who.id)
        if stats is None:
            await respond(interaction, f"{who.mention} has not played trivia here yet.")
            return
        await respond(interaction, embed=trivia_views.stats_embed(stats, who.display_name))

    # -- packs ------------------------------------------------------------------

    @packs.command(name="list", description="Question packs you can play here")
    async def packs_list(self, interaction: discord.Interaction) -> None:
        packs = await self.repo.list_packs(interaction.guild_id)
        await respond(
            interaction,
            embed=trivia_views.packs_embed(packs, "questions generated from the movie store"),
        )

    @packs.command(name="import", description="Import a Red .yaml or Open Trivia DB .json pack")
    @app_commands.describe(file="A Red-DiscordBot trivia list (.yaml) or Open Trivia DB (.json)")
    @server_manager_only
    async def packs_import(
        self, interaction: discord.Interaction, file: discord.Attachment
    ) -> None:
        if file.size > MAX_BYTES:
            raise UserFacingError(
                f"{file.filename} is too large (at most {MAX_BYTES // 1_000_000} MB)."
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await file.read()
        except discord.HTTPException as exc:
            raise UserFacingError(f"Could not download {file.filename} ({exc.status}).") from None
        result = await import_pack_bytes(
            self.store,
            data,
            file.filename,
            source=f"attachment:{file.filename}",
            guild=interaction.guild_id,
        )
        await respond(interaction, trivia_views.import_text(result), ephemeral=True)

    @start.autocomplete("pack")
    async def _pack_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        names = [STORE_SOURCE] + [p.name for p in await self.repo.list_packs(interaction.guild_id)]
        return matching_choices(names, current, name=str, value=str)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Trivia(bot))
