"""Server-side permission checks for admin commands.

`default_permissions` only hides a command in the client and cannot be set on a
subcommand; these checks run on every invocation, whatever the client showed.
"""

from __future__ import annotations

import discord
from discord import app_commands


class NotServerManager(app_commands.CheckFailure):
    """Raised when a member without Manage Server runs an admin command."""


def is_server_manager(interaction: discord.Interaction) -> bool:
    """True for members with Manage Server (or Administrator) in this server."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage()
    perms = interaction.permissions
    if perms.manage_guild or perms.administrator:
        return True
    raise NotServerManager("You need the Manage Server permission to use this command.")


server_manager_only = app_commands.check(is_server_manager)
