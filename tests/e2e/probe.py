"""A test-only cog: one command per behaviour the emulator must carry end to end."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands, tasks

TITLES = [f"Film {i:02d}" for i in range(40)] + ["Mission: Impossible – Dead Reckoning"]


class Pages(discord.ui.View):
    """Two pages and a Next button that edits the message in place (callback type 7)."""

    def __init__(self) -> None:
        super().__init__(timeout=30)
        self.page = 1

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.page += 1
        await interaction.response.edit_message(content=f"page {self.page}", view=self)


class Deferred(discord.ui.View):
    """Buttons that acknowledge with a deferred update (callback type 6)."""

    def __init__(self) -> None:
        super().__init__(timeout=30)
        self.presses = 0

    @discord.ui.button(label="Later", style=discord.ButtonStyle.primary)
    async def later(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Edits the message well after the acknowledgement (slow work, slow machine)."""
        self.presses += 1
        await interaction.response.defer()
        await asyncio.sleep(0.7)
        await interaction.edit_original_response(content=f"edited {self.presses}")

    @discord.ui.button(label="Quiet", style=discord.ButtonStyle.secondary)
    async def quiet(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Acknowledges and changes nothing, which Discord allows."""
        await interaction.response.defer()


class Probe(commands.GroupCog, group_name="probe", group_description="Test-only commands"):
    def __init__(self) -> None:
        self.seen: dict[str, object] = {}

    @app_commands.command(name="echo", description="Echo typed options back")
    @app_commands.describe(text="Text", times="Repeat", channel="A channel", user="A member")
    async def echo(
        self,
        interaction: discord.Interaction,
        text: str,
        times: app_commands.Range[int, 1, 5] = 1,
        channel: discord.TextChannel | None = None,
        user: discord.Member | None = None,
    ) -> None:
        self.seen.update(text=text, times=times, channel=channel, user=user)
        parts = [text * times]
        if channel is not None:
            parts.append(f"in #{channel.name}")
        if user is not None:
            parts.append(f"for {user.name} manage_guild={user.guild_permissions.manage_guild}")
        await interaction.response.send_message(" ".join(parts))

    @app_commands.command(name="pick", description="Autocomplete over titles")
    @app_commands.describe(title="A title")
    async def pick(self, interaction: discord.Interaction, title: str) -> None:
        await interaction.response.send_message(f"picked {title}")

    @pick.autocomplete("title")
    async def pick_title(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        hits = [t for t in TITLES if current.lower() in t.lower()]
        return [app_commands.Choice(name=t, value=t) for t in hits[:25]]

    @app_commands.command(name="toomany", description="Autocomplete past the 25 limit")
    @app_commands.describe(title="A title")
    async def toomany(self, interaction: discord.Interaction, title: str) -> None:
        await interaction.response.send_message(title)

    @toomany.autocomplete("title")
    async def toomany_title(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=t, value=t) for t in TITLES[:30]]

    @app_commands.command(name="pages", description="A message with a Next button")
    async def pages(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("page 1", view=Pages())

    @app_commands.command(name="deferred", description="Buttons that defer their update")
    async def deferred(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("not yet", view=Deferred())

    @app_commands.command(name="slow", description="Defer, think, then follow up")
    async def slow(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send("done thinking")

    @app_commands.command(name="huge", description="Embeds over the 6000 total")
    async def huge(self, interaction: discord.Interaction) -> None:
        embeds = [discord.Embed(description="x" * 4000) for _ in range(2)]
        await interaction.response.send_message(embeds=embeds)

    @app_commands.command(name="late", description="Answers after the 3 s deadline")
    async def late(self, interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.3)  # the test shortens the deadline
        await interaction.response.send_message("too late")

    @app_commands.command(name="post", description="Post into a channel")
    @app_commands.describe(channel="Where to post")
    async def post(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        await interaction.response.defer(ephemeral=True)
        await channel.send("posted by the bot")
        await interaction.followup.send("posted", ephemeral=True)


class ProbeAdmin(commands.Cog):
    """A top-level admin command: Discord honours default_permissions only there."""

    @app_commands.command(name="probe-admin", description="Server managers only")
    @app_commands.default_permissions(manage_guild=True)
    async def admin(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("admin ok", ephemeral=True)


class Ticker(commands.Cog):
    """A scheduled post, like the news schedule: a loop that posts once to a channel."""

    def __init__(self, bot: commands.Bot, channel_id: int) -> None:
        self.bot = bot
        self.channel_id = channel_id
        self.tick.start()

    async def cog_unload(self) -> None:
        self.tick.cancel()

    @tasks.loop(seconds=0.05, count=1)
    async def tick(self) -> None:
        channel = self.bot.get_channel(self.channel_id)
        assert isinstance(channel, discord.TextChannel)
        await channel.send(embed=discord.Embed(title="Scheduled", description="news digest"))

    @tick.before_loop
    async def before(self) -> None:
        await self.bot.wait_until_ready()
