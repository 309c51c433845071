"""Server-side permission checks for admin commands.

`default_permissions` only hides a command in the client and cannot be set on a
subcommand; these checks run on every invocation, whatever the client showed.
"""

from __future__ import annotations

import discord
from discord import app_commands


class NotServerManager(app_commands.CheckFailure):
    """Raised when a member without Manage Server runs an admin command."""


def manages_server(permissions: discord.Permissions) -> bool:
    """Manage Server, or Administrator (which implies every permission)."""
    return permissions.manage_guild or permissions.administrator


def is_server_manager(interaction: discord.Interaction) -> bool:
    """True for members with Manage Server (or Administrator) in this server."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage()
    if manages_server(interaction.permissions):
        return True
    raise NotServerManager("You need the Manage Server permission to use this command.")


def creator_or_manager(interaction: discord.Interaction, creator_id: int) -> bool:
    """Whether this member may end or cancel something: its creator, or a server manager
    (a game someone started, a reminder someone set)."""
    return interaction.user.id == creator_id or (
        interaction.guild is not None and manages_server(interaction.permissions)
    )


server_manager_only = app_commands.check(is_server_manager)
