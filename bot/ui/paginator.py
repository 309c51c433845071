"""A generic Previous/Next pager for a list of embeds.

Only the member who asked can turn the pages (others get a short ephemeral note), and the
buttons disable themselves on timeout so a stale message never shows live controls.
A single page is sent without any buttons.
"""

from __future__ import annotations

import logging

import discord

from bot.ui import limits
from bot.ui.replies import NO_PINGS

log = logging.getLogger(__name__)

NOT_YOURS = "Only the person who asked can turn these pages."
DEFAULT_TIMEOUT = 180.0  # seconds of no clicks before the buttons disable themselves


class Paginator(discord.ui.View):
    def __init__(
        self,
        pages: list[discord.Embed],
        *,
        owner_id: int,
        timeout: float | None = None,
        content: str | None = None,
    ) -> None:
        if not pages:
            raise ValueError("a paginator needs at least one page")
        super().__init__(timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
        self.pages = pages
        self.content = limits.clip(content, limits.CONTENT) if content else None  # stays on top
        self.owner_id = owner_id
        self.index = 0
        self.message: discord.Message | discord.InteractionMessage | None = None
        self._refresh()

    def _refresh(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1
        self.counter.label = limits.clip(f"{self.index + 1} / {len(self.pages)}", 80)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(NOT_YOURS, ephemeral=True)
        return False

    async def _show(self, interaction: discord.Interaction, index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._refresh()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="1 / 1", style=discord.ButtonStyle.secondary, disabled=True)
    async def counter(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await interaction.response.defer()  # never enabled; here for completeness

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, self.index + 1)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.info("could not disable the buttons of an expired pager", exc_info=True)

    async def send(self, interaction: discord.Interaction, *, ephemeral: bool = False) -> None:
        """Answer `interaction` with the first page (and buttons when there are more)."""
        first = self.pages[0]
        view = self if len(self.pages) > 1 else discord.utils.MISSING
        if interaction.response.is_done():
            self.message = await interaction.followup.send(
                self.content,
                embed=first,
                view=view,
                ephemeral=ephemeral,
                allowed_mentions=NO_PINGS,
                wait=True,
            )
        else:
            await interaction.response.send_message(
                self.content, embed=first, view=view, ephemeral=ephemeral, allowed_mentions=NO_PINGS
            )
            if len(self.pages) > 1:
                self.message = await interaction.original_response()
        if len(self.pages) == 1:
            self.stop()
