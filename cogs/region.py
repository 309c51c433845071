"""/region set|clear: the server's default region, used when a region option is left out."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.regions import parse_region, region_name, set_server_region
from bot.errors import UserFacingError
from bot.permissions import server_manager_only
from bot.ui.autocomplete import region_autocomplete
from bot.ui.replies import respond


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Region(
    commands.GroupCog,
    group_name="region",
    group_description="This server's default region for releases and streaming",
):
    def __init__(self, bot: Any) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="set", description="Set the default region (admin)")
    @app_commands.describe(region="Country code or name, e.g. GB or France")
    @app_commands.autocomplete(region=region_autocomplete)
    @server_manager_only
    async def set_(self, interaction: discord.Interaction, region: str) -> None:
        code = parse_region(region)
        if code is None:
            raise UserFacingError("Name a country, e.g. GB or France; /region clear removes it.")
        await set_server_region(self.bot.store, interaction.guild_id, code)
        await respond(
            interaction,
            f"Default region: {region_name(code)} ({code}). /movie releases, /movie where, "
            "/upcoming and /remind use it when no region is given.",
            ephemeral=True,
        )

    @app_commands.command(name="clear", description="Remove the default region (admin)")
    @server_manager_only
    async def clear(self, interaction: discord.Interaction) -> None:
        await set_server_region(self.bot.store, interaction.guild_id, None)
        await respond(interaction, "No default region any more.", ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Region(bot))
