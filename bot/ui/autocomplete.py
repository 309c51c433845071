"""Shared title/person autocomplete for every cog (lookups, reminders, trivia, news).

Usage in a cog::

    @app_commands.autocomplete(title=title_autocomplete)
    async def info(self, interaction, title: str):
        film = await resolve_title(self.bot.store, title)   # id value or typed text

Choices carry a stable id string ("title:42") as the value, a name within 100 characters,
and at most 25 of them; an empty box offers films in the news, then upcoming ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

import discord
from discord import app_commands

from bot.catalog import lookups
from bot.catalog.models import Person, Title
from bot.catalog.normalize import search_key
from bot.catalog.repository import CatalogRepository
from bot.db.store import Store
from bot.errors import UserFacingError
from bot.ui import limits

T = TypeVar("T")


def matching_choices(
    items: Iterable[T],
    current: str,
    *,
    name: Callable[[T], str],
    value: Callable[[T], str],
    text: Callable[[T], str] | None = None,
) -> list[app_commands.Choice[str]]:
    """Choices for a server's own short lists (feeds, reminders, packs): the items whose
    `text` (default: `name`) holds what was typed, case-insensitively; names clipped to
    Discord's limit, at most 25 choices."""
    typed = current.strip().lower()
    haystack = text or name
    return [
        app_commands.Choice(name=limits.clip(name(item), limits.CHOICE_NAME) or "?",
                            value=value(item))
        for item in items
        if typed in haystack(item).lower()
    ][: limits.CHOICES]  # fmt: skip


async def _choices(store: Store, entity: str, current: str) -> list[app_commands.Choice[str]]:
    rows = await lookups.search_labels(store, entity, current or "", limits.CHOICES)
    choices = []
    for entity_id, label, hit in rows:
        name = label
        if hit is not None and search_key(hit.matched) not in search_key(label):
            name = f"{label} · {hit.matched}"  # say why an alias matched
        choices.append(
            app_commands.Choice(
                name=limits.clip(name, limits.CHOICE_NAME) or "?",
                value=lookups.choice_value(entity, entity_id),
            )
        )
    return choices[: limits.CHOICES]


async def title_choices(store: Store, current: str) -> list[app_commands.Choice[str]]:
    return await _choices(store, "title", current)


async def person_choices(store: Store, current: str) -> list[app_commands.Choice[str]]:
    return await _choices(store, "person", current)


async def _resolve(store: Store, entity: str, value_or_text: str) -> int:
    try:
        return await lookups.resolve(store, entity, value_or_text)
    except lookups.NoMatch as exc:  # the user's text and film names, made inert
        raise UserFacingError(exc.render(limits.escape)) from None


async def resolve_title(store: Store, value_or_text: str) -> Title:
    """The film meant by an autocomplete value or typed text; UserFacingError if none."""
    title_id = await _resolve(store, "title", value_or_text)
    title = await CatalogRepository(store).get_title(title_id)
    if title is None:  # removed between the search and now
        raise UserFacingError("That film was just removed from the store.")
    return title


async def resolve_person(store: Store, value_or_text: str) -> Person:
    person_id = await _resolve(store, "person", value_or_text)
    person = await CatalogRepository(store).get_person(person_id)
    if person is None:
        raise UserFacingError("That person was just removed from the store.")
    return person


# Ready-made callbacks for `@app_commands.autocomplete(option=...)`; they read bot.store.


async def title_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return await title_choices(interaction.client.store, current)  # type: ignore[attr-defined]


async def person_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return await person_choices(interaction.client.store, current)  # type: ignore[attr-defined]
