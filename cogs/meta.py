"""/help and /about: what the bot can do, and what state it is in."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.catalog.regions import region_name, server_region
from bot.overview import Overview, overview
from bot.ui import limits
from bot.ui.replies import respond
from bot.wording import plural

log = logging.getLogger(__name__)

EMBED_COLOUR = 0xE50914
TMDB_ATTRIBUTION = "This product uses the TMDB API but is not endorsed or certified by TMDB."


def _lines_for(command: app_commands.Command | app_commands.Group, prefix: str = "") -> list[str]:
    """One line per runnable command, walking groups so new subcommands show up by themselves."""
    name = f"{prefix}{command.name}"
    if isinstance(command, app_commands.Group):
        out: list[str] = []
        for sub in command.commands:
            out.extend(_lines_for(sub, f"{name} "))
        return out
    return [f"`/{name}` — {command.description}"]


def _allowed(command: Any, permissions: discord.Permissions | None) -> bool:
    """Hide what the Discord client hides from this user (``default_permissions``)."""
    needed = getattr(command, "default_permissions", None)
    if needed is None or permissions is None:
        return True
    return needed.is_subset(permissions) or permissions.administrator


def help_sections(
    tree: app_commands.CommandTree,
    *,
    guild: discord.abc.Snowflake | None = None,
    permissions: discord.Permissions | None = None,
) -> tuple[list[tuple[str, list[str]]], int]:
    """(heading, lines) per command group from the live tree, and how many were hidden."""
    found: dict[str, Any] = {}
    for cmd in tree.get_commands(type=discord.AppCommandType.chat_input):
        found[cmd.name] = cmd
    if guild is not None:
        for cmd in tree.get_commands(guild=guild, type=discord.AppCommandType.chat_input):
            found.setdefault(cmd.name, cmd)
    sections: list[tuple[str, list[str]]] = []
    general: list[str] = []
    hidden = 0
    for name in sorted(found):
        cmd = found[name]
        lines = _lines_for(cmd)
        if not _allowed(cmd, permissions):
            hidden += len(lines)
            continue
        if isinstance(cmd, app_commands.Group):
            sections.append((f"/{cmd.name} — {cmd.description}", lines))
        else:
            general.extend(lines)
    if general:
        sections.append(("General", general))
    return sections, hidden


class Meta(commands.Cog):
    """Help and status; no domain logic."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="List every command, one line each")
    async def help(self, interaction: discord.Interaction) -> None:
        sections, hidden = help_sections(
            self.bot.tree,
            guild=interaction.guild,
            permissions=interaction.permissions if interaction.guild else None,
        )
        embed = discord.Embed(title="Marquee commands", colour=EMBED_COLOUR)
        for heading, lines in sections[: limits.EMBED_FIELDS]:
            embed.add_field(
                name=limits.clip(heading, limits.FIELD_NAME),
                value=limits.clip("\n".join(lines), limits.FIELD_VALUE),
                inline=False,
            )
        footer = "Type / in the message box to see options for each command."
        if hidden:
            footer = f"{hidden} server-manager commands hidden. " + footer
        embed.set_footer(text=footer)
        await respond(interaction, embed=embed, ephemeral=True)

    @app_commands.command(name="about", description="Version, uptime and what the bot knows")
    async def about(self, interaction: discord.Interaction) -> None:
        started = getattr(self.bot, "started_at", None) or dt.datetime.now(dt.UTC)
        uptime = _duration(dt.datetime.now(dt.UTC) - started)
        embed = discord.Embed(
            title="Marquee",
            description="Movie lookups, news summaries and trivia for your server.",
            colour=EMBED_COLOUR,
        )
        embed.add_field(name="Version", value=__version__, inline=True)
        embed.add_field(name="Uptime", value=uptime, inline=True)
        embed.add_field(name="Servers", value=f"{len(self.bot.guilds):,}", inline=True)
        store = getattr(self.bot, "store", None)
        if store is not None:
            embed.add_field(
                name="What I know",
                value=limits.clip(knowledge_lines(await overview(store)), limits.FIELD_VALUE),
                inline=False,
            )
        if store is not None and interaction.guild_id is not None:
            region = await server_region(store, interaction.guild_id)
            embed.add_field(
                name="Server region",
                value=f"{region_name(region)} ({region})" if region else "none (/region set)",
                inline=True,
            )
        tmdb = getattr(self.bot, "tmdb", None)
        embed.add_field(
            name="TMDB",
            value=limits.clip(
                (tmdb.status() if tmdb is not None else "not set up (TMDB_API_KEY)")
                + "\n" + TMDB_ATTRIBUTION + " Where-to-watch data by JustWatch.",
                limits.FIELD_VALUE,
            ),
            inline=False,
        )  # fmt: skip
        await respond(interaction, embed=embed, ephemeral=True)


def knowledge_lines(known: Overview) -> str:
    """One line per thing a user would count; series only when there are some."""
    lines = [plural(known.films, "film")]
    if known.series:
        lines.append(plural(known.series, "series"))
    lines += [
        plural(known.people, "person"),
        plural(known.articles, "news article"),
        f"{plural(known.packs, 'trivia pack')} with {plural(known.questions, 'question')}",
    ]
    return "\n".join(lines)


def _duration(delta: dt.timedelta) -> str:
    """``3d 4h 5m``; seconds only while under a minute."""
    total = int(delta.total_seconds())
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if total < 60:
        return f"{seconds}s"
    parts = [f"{days}d" if days else "", f"{hours}h" if hours or days else "", f"{minutes}m"]
    return " ".join(p for p in parts if p)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Meta(bot))
