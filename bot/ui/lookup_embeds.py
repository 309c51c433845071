"""Embeds for /movie, /person and /upcoming. Every one fits Discord's limits by construction:
each piece is escaped, then clipped, and long lists become pages."""

from __future__ import annotations

import calendar
import datetime as dt

import discord

from bot.catalog.lookups import PersonDetails, TitleDetails, UpcomingRelease, label
from bot.catalog.models import Credit, Provenance, Release
from bot.ui.limits import EMBED_TITLE, FIELD_VALUE, FOOTER, clip, escape

COLOUR = discord.Colour.dark_gold()
TOP_BILLED = 8
CAST_PER_PAGE = 15
LIST_PER_PAGE = 15
DESCRIPTION_BUDGET = 3000  # below the 4096 limit, so fields + footer stay under 6000 total
KIND_LABEL = {
    "theatrical": "Theatrical",
    "digital": "Digital",
    "premiere": "Premiere",
    "announced": "Announced",
}


# -- small pieces -----------------------------------------------------------------------


def source_label(prov: Provenance) -> str:
    """'article 2022-12-19', 'IMDb', 'manual 2024-01-02'."""
    kind = prov.source.split(":", 1)[0]
    if kind == "imdb":
        return "IMDb"
    return f"{kind} {prov.as_of}"


def sources_footer(sources: list[Provenance]) -> str:
    labels = list(dict.fromkeys(source_label(p) for p in sources))
    return clip("Sources: " + " · ".join(labels), FOOTER) if labels else ""


def film_label(title: str, year: int | None) -> str:
    """The escaped title with its year: markdown in the name can't style the embed."""
    return label(escape(title), year)


def _noon_utc(date: dt.date) -> int:
    # Noon UTC keeps <t:..:D> on the same calendar day for every reader's time zone.
    return calendar.timegm((date.year, date.month, date.day, 12, 0, 0))


def release_when(release: Release) -> str:
    """Discord timestamps for a day; "July 2025" or "2025" for vaguer dates."""
    date = dt.date.fromisoformat(release.date)
    if release.precision == "season":
        return release.note or str(date.year)  # the note says which ("summer 2025")
    if release.precision == "year":
        return str(date.year)
    if release.precision == "month":
        return f"{calendar.month_name[date.month]} {date.year}"
    unix = _noon_utc(date)
    return f"<t:{unix}:D> (<t:{unix}:R>)"


def region_label(region: str) -> str:
    return region.upper() if region else "Region not stated"


def _lines_to_field(lines: list[str], limit: int = FIELD_VALUE) -> str:
    """Join lines, dropping the tail (with a count) rather than cutting one in half."""
    out: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        line = clip(line, limit - 20)
        reserve = 0 if i == len(lines) - 1 else 20  # room for the "… and N more" line
        if used + len(line) + 1 + reserve > limit:
            out.append(f"… and {len(lines) - i} more")
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out) or "—"


def _credit_line(credit: Credit, *, with_known_for: bool = False) -> str:
    line = f"**{escape(credit.name)}**"
    if credit.character:
        line += f" as {escape(credit.character)}"
    if with_known_for and credit.known_for:
        line += f" — known for {escape(credit.known_for)}"
    return line


def status_line(details: TitleDetails, today: dt.date) -> str:
    """What is known now, and as of when and from whom."""
    latest = details.latest
    as_of = f"as of {latest.as_of}, {source_label(latest).split(' ')[0]}"
    if details.title.status:
        return f"**Status:** {escape(details.title.status)} ({as_of})"
    dated = [r for r in details.releases if r.kind != "announced"] or details.releases
    if not dated:
        return f"**Status:** no release date announced ({as_of})"
    upcoming = [r for r in dated if r.date >= today.isoformat()]
    if upcoming:
        first = upcoming[0]
        return (
            f"**Status:** upcoming — {KIND_LABEL[first.kind].lower()} "
            f"{release_when(first)} ({as_of})"
        )
    return f"**Status:** released ({as_of})"


# -- /movie info ------------------------------------------------------------------------


def title_info_embed(details: TitleDetails, today: dt.date) -> discord.Embed:
    title = details.title
    embed = discord.Embed(
        title=clip(film_label(title.title, title.year), EMBED_TITLE),
        description=clip(status_line(details, today), DESCRIPTION_BUDGET),
        colour=COLOUR,
    )
    if title.year:
        embed.add_field(name="Year", value=str(title.year), inline=True)
    if details.studios:
        embed.add_field(
            name="Studio" if len(details.studios) == 1 else "Studios",
            value=_lines_to_field([escape(c.name) for c in details.studios], 300),
            inline=True,
        )
    if details.directors:
        embed.add_field(
            name="Director" if len(details.directors) == 1 else "Directors",
            value=_lines_to_field([escape(c.name) for c in details.directors], 300),
            inline=True,
        )
    if details.cast:
        lines = [_credit_line(c) for c in details.cast[:TOP_BILLED]]
        if len(details.cast) > TOP_BILLED:
            lines.append(f"… {len(details.cast) - TOP_BILLED} more in /movie cast")
        embed.add_field(name="Top-billed cast", value=_lines_to_field(lines), inline=False)
    if details.releases:
        lines = [
            f"{KIND_LABEL[r.kind]} · {region_label(r.region)}: {release_when(r)}"
            for r in details.releases
        ]
        embed.add_field(name="Release dates", value=_lines_to_field(lines), inline=False)
    else:
        embed.add_field(name="Release dates", value=not_announced(details), inline=False)
    footer = sources_footer(details.sources)
    if footer:
        embed.set_footer(text=footer)
    return embed


def not_announced(details: TitleDetails) -> str:
    latest = details.latest
    return f"Not announced as of {latest.as_of} ({source_label(latest).split(' ')[0]})."


# -- /movie cast ------------------------------------------------------------------------


def cast_pages(details: TitleDetails) -> list[discord.Embed]:
    title = details.title
    heading = clip("Cast of " + film_label(title.title, title.year), EMBED_TITLE)
    footer = sources_footer(details.sources)
    cast = details.cast
    if not cast:
        embed = discord.Embed(
            title=heading, description="The store knows no cast for this film yet.", colour=COLOUR
        )
        if footer:
            embed.set_footer(text=footer)
        return [embed]
    pages = []
    for start in range(0, len(cast), CAST_PER_PAGE):
        chunk = cast[start : start + CAST_PER_PAGE]
        lines = [
            f"{start + i + 1}. {clip(_credit_line(c, with_known_for=True), 250)}"
            for i, c in enumerate(chunk)
        ]
        embed = discord.Embed(
            title=heading, description=clip("\n".join(lines), DESCRIPTION_BUDGET), colour=COLOUR
        )
        if footer:
            embed.set_footer(text=footer)
        pages.append(embed)
    return pages


# -- /movie releases --------------------------------------------------------------------


def releases_embed(details: TitleDetails, region: str | None) -> discord.Embed:
    title = details.title
    releases = [r for r in details.releases if region is None or r.region in (region.upper(), "")]
    embed = discord.Embed(
        title=clip("Releases of " + film_label(title.title, title.year), EMBED_TITLE),
        colour=COLOUR,
    )
    if not releases:
        where = f" for {region.upper()}" if region else ""
        embed.description = not_announced(details).replace("Not announced", f"Not announced{where}")
    else:
        by_region: dict[str, list[Release]] = {}
        for rel in releases:
            by_region.setdefault(rel.region, []).append(rel)
        for reg, rels in list(by_region.items())[:20]:
            lines = [f"{KIND_LABEL[r.kind]}: {release_when(r)}" for r in rels]
            embed.add_field(name=region_label(reg), value=_lines_to_field(lines, 250), inline=False)
    footer = sources_footer(details.sources)
    if footer:
        embed.set_footer(text=footer)
    return embed


# -- /person info -----------------------------------------------------------------------


def person_pages(details: PersonDetails) -> list[discord.Embed]:
    person = details.person
    about = []
    if person.professions:
        about.append(escape(person.professions.replace(",", ", ").replace("_", " ")))
    if person.birth_year:
        life = f"born {person.birth_year}"
        if person.death_year:
            life = f"{person.birth_year}–{person.death_year}"
        about.append(life)
    if details.aliases:
        about.append("also credited as " + ", ".join(escape(a) for a in details.aliases[:5]))
    heading = clip(escape(person.name), EMBED_TITLE)
    footer = sources_footer(details.sources)
    credit_lines = []
    for title, credit in details.credits:
        line = f"{film_label(title.title, title.year)} — {credit.role}"
        if credit.character:
            line += f" ({escape(credit.character)})"
        credit_lines.append(clip(line, 200))
    pages = []
    chunks = [
        credit_lines[i : i + LIST_PER_PAGE] for i in range(0, len(credit_lines), LIST_PER_PAGE)
    ]
    for n, chunk in enumerate(chunks or [[]]):
        embed = discord.Embed(
            title=heading,
            description=clip("; ".join(about), 1000) or None,
            colour=COLOUR,
        )
        if details.known_for:
            embed.add_field(
                name="Known for",
                value=_lines_to_field([escape(k) for k in details.known_for[:6]], 600),
                inline=False,
            )
        label = "Credits in the store"
        if len(chunks) > 1:
            label += f" ({n * LIST_PER_PAGE + 1}–{n * LIST_PER_PAGE + len(chunk)})"
        embed.add_field(
            name=label, value=_lines_to_field(chunk) if chunk else "None yet.", inline=False
        )
        if footer:
            embed.set_footer(text=footer)
        pages.append(embed)
    return pages


# -- /upcoming --------------------------------------------------------------------------


def upcoming_pages(
    items: list[UpcomingRelease], *, region: str | None, days: int
) -> list[discord.Embed]:
    where = f" in {region.upper()}" if region else ""
    heading = f"Releases in the next {days} days{where}"
    if not items:
        return [
            discord.Embed(
                title=heading,
                description="Nothing the store knows of is coming out in that window.",
                colour=COLOUR,
            )
        ]
    lines = []
    for item in items:
        rel = item.release
        place = f", {rel.region}" if rel.region else ""
        lines.append(
            clip(
                f"{release_when(rel)} · **{film_label(item.title, item.year)}** — "
                f"{KIND_LABEL[rel.kind].lower()}{place}",
                300,
            )
        )
    pages = []
    for start in range(0, len(lines), LIST_PER_PAGE):
        embed = discord.Embed(
            title=heading,
            description=clip("\n".join(lines[start : start + LIST_PER_PAGE]), DESCRIPTION_BUDGET),
            colour=COLOUR,
        )
        sources = [Provenance(i.release.source, i.release.as_of) for i in items]
        latest: dict[str, Provenance] = {}
        for prov in sources:
            if prov.as_of >= latest.get(prov.source, prov).as_of:
                latest[prov.source] = prov
        embed.set_footer(
            text=sources_footer(sorted(latest.values(), key=lambda p: p.as_of, reverse=True))
        )
        pages.append(embed)
    return pages
