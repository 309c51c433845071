"""Embeds for /movie, /person and /upcoming. Every one fits Discord's limits by construction:
each piece is escaped, then clipped, and long lists become pages."""

from __future__ import annotations

import calendar
import datetime as dt

import discord

from bot.catalog.lookups import PersonDetails, TitleDetails, UpcomingRelease, label
from bot.catalog.models import Credit, Provenance, Release
from bot.ui.limits import EMBED_TITLE, FIELD_VALUE, FOOTER, clip, escape
from bot.wording import plural

COLOUR = discord.Colour.dark_gold()
TOP_BILLED = 8
CAST_PER_PAGE = 15
LIST_PER_PAGE = 15
DESCRIPTION_BUDGET = 3000  # below the 4096 limit, so fields + footer stay under 6000 total
KIND_LABEL = {
    "premiere": "Premiere",
    "limited": "Limited",
    "theatrical": "Theatrical",
    "digital": "Digital",
    "physical": "Physical",
    "tv": "TV",
    "announced": "Announced",
}
PROVIDER_LABEL = {"flatrate": "Stream", "free": "Free", "ads": "Free with ads", "rent": "Rent",
                  "buy": "Buy"}  # fmt: skip
JUSTWATCH = "Where-to-watch data by JustWatch, via TMDB."
PLOT_BUDGET = 1200


# -- small pieces -----------------------------------------------------------------------


def source_label(prov: Provenance) -> str:
    """'article 2022-12-19', 'IMDb', 'TMDB 2026-01-02', 'manual 2024-01-02'."""
    kind = prov.source.split(":", 1)[0]
    if kind == "imdb":
        return "IMDb"
    if kind == "tmdb":
        return f"TMDB {prov.as_of}"
    return f"{kind} {prov.as_of}"


def release_line(release: Release) -> str:
    """ "Theatrical: <date> · PG-13 · note", with the source beside a date not from TMDB."""
    line = f"{KIND_LABEL[release.kind]}: {release_when(release)}"
    if release.certification:
        line += f" · {escape(release.certification)}"
    if release.note:
        line += f" · {escape(clip(release.note, 80))}"
    if release.source != "tmdb":
        line += f" — {source_label(Provenance(release.source, release.as_of))}"
    return line


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


def certification(details: TitleDetails, region: str | None) -> str | None:
    """The region's rating (theatrical first), e.g. "PG-13 (US)"."""
    order = ["theatrical", "limited", "digital", "physical", "tv", "premiere", "announced"]
    rated = [
        r for r in details.releases if r.certification and (region is None or r.region == region)
    ]
    rated.sort(key=lambda r: (r.region != "US" if region is None else 0, order.index(r.kind)))
    return f"{escape(rated[0].certification or '')} ({rated[0].region})" if rated else None


def title_info_embed(
    details: TitleDetails, today: dt.date, region: str | None = None
) -> discord.Embed:
    title = details.title
    tmdb = details.tmdb
    status = status_line(details, today)
    plot = clip(escape(tmdb.overview), PLOT_BUDGET) if tmdb and tmdb.overview else ""
    embed = discord.Embed(
        title=clip(film_label(title.title, title.year), EMBED_TITLE),
        description=clip(f"{plot}\n\n{status}" if plot else status, DESCRIPTION_BUDGET),
        colour=COLOUR,
        url=tmdb.url if tmdb else None,
    )
    if tmdb and tmdb.poster_url:
        embed.set_thumbnail(url=tmdb.poster_url)
    if title.year:
        embed.add_field(name="Year", value=str(title.year), inline=True)
    runtime = (tmdb.runtime if tmdb else None) or title.runtime_minutes
    if runtime:
        embed.add_field(name="Runtime", value=f"{runtime} min", inline=True)
    genres = (tmdb.genres if tmdb else None) or (title.genres or "").replace(",", ", ")
    if genres:
        embed.add_field(name="Genres", value=clip(escape(genres), 300), inline=True)
    if tmdb and tmdb.vote_count:
        embed.add_field(
            name="TMDB rating",
            value=f"{tmdb.vote_average or 0:.1f}/10 ({tmdb.vote_count:,} votes)",
            inline=True,
        )
    rating = certification(details, region)
    if rating:
        embed.add_field(name="Certification", value=rating, inline=True)
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
    shown = [r for r in details.releases if region is None or r.region in (region, "")]
    if shown:
        lines = [f"{KIND_LABEL[r.kind]} · {region_label(r.region)}: {release_when(r)}"
                 for r in shown]  # fmt: skip
        embed.add_field(name="Release dates", value=_lines_to_field(lines), inline=False)
    else:
        embed.add_field(name="Release dates", value=not_announced(details, region), inline=False)
    links = []
    if tmdb and tmdb.trailer_url:
        links.append(f"[Trailer]({tmdb.trailer_url})")
    if tmdb and tmdb.url:
        links.append(f"[TMDB]({tmdb.url})")
    if title.imdb_id:
        links.append(f"[IMDb](https://www.imdb.com/title/{title.imdb_id}/)")
    if links:
        embed.add_field(name="Links", value=" · ".join(links), inline=False)
    footer = sources_footer(details.sources)
    if footer:
        embed.set_footer(text=footer)
    return embed


def not_announced(details: TitleDetails, region: str | None = None) -> str:
    latest = details.latest
    where = f" for {region}" if region else ""
    return f"Not announced{where} as of {latest.as_of} ({source_label(latest).split(' ')[0]})."


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
        embed.description = not_announced(details, region.upper() if region else None)
    else:
        by_region: dict[str, list[Release]] = {}
        for rel in releases:
            by_region.setdefault(rel.region, []).append(rel)
        per_field = min(400, 4400 // min(len(by_region), 20))  # the 6000 total holds
        for reg, rels in list(by_region.items())[:20]:
            lines = [release_line(r) for r in rels]
            embed.add_field(
                name=region_label(reg), value=_lines_to_field(lines, per_field), inline=False
            )
        if len(by_region) > 20:
            embed.description = f"{len(by_region) - 20} more regions: ask for one with `region`."
    footer = sources_footer(details.sources)
    if footer:
        embed.set_footer(text=footer)
    return embed


# -- /movie where -----------------------------------------------------------------------


def where_embed(details: TitleDetails, region: str, country: str) -> discord.Embed:
    """Streaming, free, ads, rent and buy offers in one region, credited to JustWatch."""
    title = details.title
    offers = (details.tmdb.providers if details.tmdb else {}).get(region) or {}
    embed = discord.Embed(
        title=clip(f"Where to watch {film_label(title.title, title.year)}", EMBED_TITLE),
        colour=COLOUR,
        url=offers.get("link") or None,
    )
    if details.tmdb and details.tmdb.poster_url:
        embed.set_thumbnail(url=details.tmdb.poster_url)
    for kind, heading in PROVIDER_LABEL.items():
        names = offers.get(kind) or []
        if names:
            embed.add_field(
                name=heading, value=_lines_to_field([escape(n) for n in names], 500), inline=True
            )
    where = f"{escape(country)} ({region})"
    if embed.fields:
        embed.description = f"In {where}:"
    elif details.tmdb is None or details.tmdb.tmdb_id is None:
        embed.description = f"TMDB knows no offers for this film, so none for {where}."
    else:
        embed.description = f"No streaming, rental or purchase offers known in {where}."
    as_of = f" As of {details.tmdb.as_of}." if details.tmdb else ""
    embed.set_footer(text=JUSTWATCH + as_of)
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
    tmdb = details.tmdb
    if tmdb and tmdb.place_of_birth:
        about.append(f"born in {escape(tmdb.place_of_birth)}")
    bio = clip(escape(tmdb.biography), 900) if tmdb and tmdb.biography else ""
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
            description=clip("\n\n".join(p for p in (clip("; ".join(about), 400), bio) if p), 1400)
            or None,
            colour=COLOUR,
            url=tmdb.url if tmdb else None,
        )
        if tmdb and tmdb.profile_url:
            embed.set_thumbnail(url=tmdb.profile_url)
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
    heading = f"Releases in the next {plural(days, 'day')}{where}"
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
