"""The persistent "Notify me too" button on release reminders.

A DynamicItem with a custom_id template, registered when the remind cog loads, so a
button on a message sent before a restart still works after it.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.news.reminders import ReminderRepository
from bot.ui import limits
from bot.ui.replies import respond

CUSTOM_ID = "marquee:remind:{id}"


class NotifyButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"marquee:remind:(?P<id>[0-9]{1,19})"
):
    def __init__(self, reminder_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Notify me too",
                emoji="🔔",
                style=discord.ButtonStyle.secondary,
                custom_id=CUSTOM_ID.format(id=reminder_id),
            )
        )
        self.reminder_id = reminder_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> NotifyButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        repo = ReminderRepository(interaction.client.store)
        reminder = await repo.get(self.reminder_id)
        if reminder is None or reminder.guild != interaction.guild_id:
            await respond(interaction, "That reminder no longer exists.", ephemeral=True)
            return
        added = await repo.subscribe(self.reminder_id, interaction.user.id)
        name = limits.escape(reminder.title)
        text = (
            f"You'll be mentioned when **{name}** comes out."
            if added
            else f"You're already on the list for **{name}**."
        )
        await respond(interaction, text, ephemeral=True)


def notify_view(reminder_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(NotifyButton(reminder_id))
    return view
