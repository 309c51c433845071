"""One way to answer an interaction, whether or not it was answered already."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.ui import limits

NO_PINGS = discord.AllowedMentions.none()
_THINKING = "marquee_thinking"  # deferred with a public "thinking...", nothing sent yet


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
        if interaction.extras.pop(_THINKING, False) and ephemeral:
            # A public "thinking..." would make this answer public: replace it instead.
            with contextlib.suppress(discord.HTTPException):
                await interaction.delete_original_response()
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


def defer_once(interaction: discord.Interaction) -> Callable[[], Awaitable[None]]:
    """A callback that defers (public "thinking...") the first time it is awaited: given to
    slow work (TMDB) so Discord's 3-second deadline never waits on it."""

    async def ready() -> None:
        if not interaction.response.is_done():
            await interaction.response.defer(thinking=True)
            interaction.extras[_THINKING] = True

    return ready
