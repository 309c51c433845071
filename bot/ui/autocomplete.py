"""Shared title/person autocomplete for every cog (lookups, reminders, trivia, news).

Usage in a cog::

    @app_commands.autocomplete(title=title_autocomplete)
    async def info(self, interaction, title: str):
        film = await resolve_title(self.bot.store, title)   # id value or typed text

Choices carry a stable id string ("title:42") as the value, a name within 100 characters,
and at most 25 of them; an empty box offers films in the news, then upcoming ones.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.catalog import lookups, regions
from bot.catalog.models import Person, Title
from bot.catalog.normalize import search_key
from bot.catalog.repository import CatalogRepository
from bot.catalog.search import FUZZY
from bot.catalog.tmdb.service import TmdbService, resolve_live, search_value
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


async def _choices(
    store: Store, entity: str, current: str, *, offer_tmdb: bool = False
) -> list[app_commands.Choice[str]]:
    """Choices from the store; with `offer_tmdb`, a last "Search TMDB for '…'" choice when
    nothing in the store is a good match (TMDB is never asked while typing)."""
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
    typed = " ".join(current.split())
    good = any(hit is not None and hit.tier <= FUZZY for _, _, hit in rows)
    if offer_tmdb and typed and not good:
        search = app_commands.Choice(
            name=limits.clip(f"Search TMDB for '{typed}'", limits.CHOICE_NAME),
            value=search_value(typed)[: limits.CHOICE_VALUE],
        )
        choices = [*choices[: limits.CHOICES - 1], search]
    return choices[: limits.CHOICES]


async def title_choices(
    store: Store, current: str, *, offer_tmdb: bool = False
) -> list[app_commands.Choice[str]]:
    return await _choices(store, "title", current, offer_tmdb=offer_tmdb)


async def person_choices(
    store: Store, current: str, *, offer_tmdb: bool = False
) -> list[app_commands.Choice[str]]:
    return await _choices(store, "person", current, offer_tmdb=offer_tmdb)


Ready = Callable[[], Awaitable[None]] | None


async def _resolve(
    store: Store, entity: str, value_or_text: str, tmdb: TmdbService | None, ready: Ready
) -> tuple[int, str | None]:
    try:
        return await resolve_live(store, tmdb, entity, value_or_text, ready)
    except lookups.NoMatch as exc:  # the user's text and film names, made inert
        raise UserFacingError(exc.render(limits.escape)) from None


async def resolve_title_live(
    store: Store, value_or_text: str, *, tmdb: TmdbService | None = None, ready: Ready = None
) -> tuple[Title, str | None]:
    """The film meant by an autocomplete value or typed text (looked up on TMDB when the
    store has none), and a note when TMDB could not help; UserFacingError if none."""
    title_id, note = await _resolve(store, "title", value_or_text, tmdb, ready)
    title = await CatalogRepository(store).get_title(title_id)
    if title is None:  # removed between the search and now
        raise UserFacingError("That film was just removed from the store.")
    return title, note


async def resolve_title(store: Store, value_or_text: str, **live: Any) -> Title:
    """The film meant by an autocomplete value or typed text; UserFacingError if none."""
    return (await resolve_title_live(store, value_or_text, **live))[0]


async def resolve_person_live(
    store: Store, value_or_text: str, *, tmdb: TmdbService | None = None, ready: Ready = None
) -> tuple[Person, str | None]:
    person_id, note = await _resolve(store, "person", value_or_text, tmdb, ready)
    person = await CatalogRepository(store).get_person(person_id)
    if person is None:
        raise UserFacingError("That person was just removed from the store.")
    return person, note


async def resolve_person(store: Store, value_or_text: str, **live: Any) -> Person:
    return (await resolve_person_live(store, value_or_text, **live))[0]


# Ready-made callbacks for `@app_commands.autocomplete(option=...)`; they read bot.store.


async def title_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    client: Any = interaction.client
    return await title_choices(client.store, current, offer_tmdb=_tmdb_on(client))


async def person_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    client: Any = interaction.client
    return await person_choices(client.store, current, offer_tmdb=_tmdb_on(client))


def _tmdb_on(client: Any) -> bool:
    tmdb = getattr(client, "tmdb", None)
    return tmdb is not None and tmdb.usable


async def region_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Countries by name or code, for every region option."""
    return matching_choices(
        regions.countries(),
        current,
        name=lambda c: f"{c[1]} ({c[0]})",
        value=lambda c: c[0],
        text=lambda c: f"{c[0]} {c[1]}",
    )
