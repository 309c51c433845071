"""Regions (countries) as ISO 3166-1 alpha-2 codes: the one validator every command uses.

People type "FR", "fra", "France" or "united states"; the store, TMDB and Discord
answers all speak alpha-2. pycountry carries the ISO 3166 list, so a code that is
shaped right but assigned to no country ("XX") is refused too.
"""

from __future__ import annotations

import pycountry

from bot.db.store import Store
from bot.errors import UserFacingError

MAX_TYPED = 60  # longer text is not a country name; keeps the echo short

# Everyday names pycountry's lookup misses (it knows official and common names such as
# "Viet Nam" and "Vietnam", but not these).
_COMMON = {
    **dict.fromkeys(("uk", "great britain", "britain", "england"), "GB"),
    **{"america": "US", "holland": "NL", "russia": "RU", "turkey": "TR"},
}


class UnknownRegion(UserFacingError):
    """The typed text names no ISO 3166 country."""


def parse_region(text: str | None) -> str | None:
    """The alpha-2 code for a code or a country name; None for a blank value.

    Raises UnknownRegion with one short sentence otherwise.
    """
    if text is None or not text.strip():
        return None
    typed = " ".join(text.split())
    if len(typed) > MAX_TYPED:
        raise UnknownRegion("That is not a country: use a code like US, GB or FR, or its name.")
    common = _COMMON.get(typed.casefold())
    if common:
        return common
    country = None
    if len(typed) == 2 and typed.isascii() and typed.isalpha():
        country = pycountry.countries.get(alpha_2=typed.upper())
    elif len(typed) == 3 and typed.isascii() and typed.isalpha():
        country = pycountry.countries.get(alpha_3=typed.upper())
    if country is None:
        try:
            country = pycountry.countries.lookup(typed)
        except LookupError:
            country = None
    if country is None:
        shown = "".join(ch for ch in typed if ch.isalnum() or ch == " ")  # inert in markdown
        raise UnknownRegion(
            f"'{shown}' is not a country I know: use an ISO code like US, GB or FR, or its name."
        )
    return country.alpha_2


def region_name(code: str) -> str:
    """'France' for FR; the code itself for one pycountry does not know."""
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    return getattr(country, "common_name", None) or (country.name if country else code)


def countries() -> list[tuple[str, str]]:
    """(alpha-2, name) of every ISO 3166 country, by name."""
    return sorted(
        ((c.alpha_2, getattr(c, "common_name", None) or c.name) for c in pycountry.countries),
        key=lambda cn: cn[1],
    )


async def server_region(store: Store, guild: int | None) -> str | None:
    """The server's default region (set by its managers), or None."""
    if guild is None:
        return None
    return await store.fetchval("SELECT region FROM guild_settings WHERE guild = ?", (guild,))


async def set_server_region(store: Store, guild: int, region: str | None) -> None:
    await store.execute(
        "INSERT INTO guild_settings(guild, region) VALUES (?, ?) "
        "ON CONFLICT(guild) DO UPDATE SET region = excluded.region",
        (guild, region),
    )


async def region_or_default(store: Store, guild: int | None, typed: str | None) -> str | None:
    """What a command's region option means: the typed region, else the server's default."""
    return parse_region(typed) or await server_region(store, guild)
