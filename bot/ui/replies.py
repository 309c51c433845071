"""One way to answer an interaction, whether or not it was answered already."""

from __future__ import annotations

from typing import Any

import discord

from bot.ui import limits

NO_PINGS = discord.AllowedMentions.none()


async def respond(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    embeds: list[discord.Embed] | None = None,
    view: discord.ui.View | None = None,
    ephemeral: bool = False,
    allowed_mentions: discord.AllowedMentions = NO_PINGS,
) -> None:
    """Send the initial response, or a follow-up when the interaction is already answered."""
    kwargs: dict[str, Any] = {"ephemeral": ephemeral, "allowed_mentions": allowed_mentions}
    if content is not None:
        kwargs["content"] = limits.clip(content, limits.CONTENT)
    if embed is not None:
        kwargs["embed"] = embed
    if embeds is not None:
        kwargs["embeds"] = embeds
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
