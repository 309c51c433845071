"""News embeds: one article, a digest of several, status, feeds, reminders.

Every builder here fits Discord's limits by construction (see bot/ui/limits.py): texts
are clipped to their field's limit and a digest shares the 6000-character budget
between its articles.
"""

from __future__ import annotations

import datetime as dt
import re

import discord

from bot.news.feed_repo import Feed
from bot.news.reading import ArticleView, publisher
from bot.news.reminders import Firing
from bot.news.settings_repo import GuildNews
from bot.ui import limits
from bot.wording import plural

COLOUR = discord.Colour(0xE5A00D)
FOOTER_PREFIX = "Marquee news"
MARKER_PREFIX = "ref "


def marker_text(marker: str) -> str:
    """The footer tag a post is recognised by after a restart."""
    return f"{MARKER_PREFIX}{marker}"


def _ts(moment: dt.datetime | None, style: str = "f") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>" if moment else "—"


def _mentions(view: ArticleView, limit: int) -> str:
    parts = []
    if view.titles:
        parts.append("🎬 " + ", ".join(limits.escape(t) for t in view.titles))
    if view.people:
        parts.append("👤 " + ", ".join(limits.escape(p) for p in view.people))
    return limits.clip("\n".join(parts), limit)


def _meta(view: ArticleView) -> str:
    """Date · publisher · link: the publisher or feed title, never a file name."""
    a = view.article
    source = publisher(a)
    bits = [a.published, limits.escape(limits.clip(source, 80)) if source else ""]
    if a.url:
        bits.append(f"[link]({a.url})" if len(a.url) <= 300 else "")
    return " · ".join(b for b in bits if b)


def article_embed(view: ArticleView, *, marker: str | None = None) -> discord.Embed:
    """One article: summary, date, source, link, the films and people it mentions."""
    a = view.article
    embed = discord.Embed(
        title=limits.clip(view.heading, limits.EMBED_TITLE),
        description=limits.clip(limits.escape(view.summary), 1500),
        colour=COLOUR,
        url=a.url if a.url and len(a.url) <= 500 else None,
    )
    embed.add_field(name="Published", value=limits.clip(_meta(view), limits.FIELD_VALUE))
    if view.titles:
        names = ", ".join(limits.escape(t) for t in view.titles)
        embed.add_field(name="Films", value=limits.clip(names, limits.FIELD_VALUE), inline=False)
    if view.people:
        names = ", ".join(limits.escape(p) for p in view.people)
        embed.add_field(name="People", value=limits.clip(names, limits.FIELD_VALUE), inline=False)
    footer = FOOTER_PREFIX + (f" · {marker_text(marker)}" if marker else "")
    embed.set_footer(text=footer)
    return embed


def digest_embed(views: list[ArticleView], *, marker: str | None = None) -> discord.Embed:
    """Several articles in one embed: a field each, sharing the 6000-character budget."""
    if len(views) == 1:
        return article_embed(views[0], marker=marker)
    views = views[: limits.EMBED_FIELDS]
    title = f"Movie news: {len(views)} new articles"
    footer = FOOTER_PREFIX + (f" · {marker_text(marker)}" if marker else "")
    budget = limits.EMBED_TOTAL - len(title) - len(footer) - 20
    per = budget // len(views)  # name + value of one field
    embed = discord.Embed(title=title, colour=COLOUR)
    for view in views:
        name = limits.clip(view.heading, min(limits.FIELD_NAME, per // 4)) or "…"
        cap = min(limits.FIELD_VALUE, per - len(name))
        tail = "\n" + _meta(view)
        mentions = _mentions(view, cap // 4)
        if mentions:
            tail += "\n" + mentions
        tail = limits.clip(tail, cap // 2)
        summary = limits.clip(limits.escape(view.summary), max(cap - len(tail), 1))
        embed.add_field(name=name, value=limits.clip(summary + tail, cap), inline=False)
    embed.set_footer(text=footer)
    return embed


def list_embed(title: str, views: list[ArticleView]) -> discord.Embed:
    """Search results and /news latest: headlines with a short summary each."""
    embed = digest_embed(views) if len(views) > 1 else article_embed(views[0])
    if len(views) > 1:
        embed.title = limits.clip(title, limits.EMBED_TITLE)
    return embed


def status_embed(
    news: GuildNews, *, last_post: tuple[str, int, int] | None, feeds: list[Feed]
) -> discord.Embed:
    embed = discord.Embed(title="News settings", colour=COLOUR)
    embed.add_field(name="Channel", value=f"<#{news.channel}>" if news.channel else "not set")
    schedule = news.schedule.describe() if news.schedule else "off"
    embed.add_field(name="Schedule", value=limits.clip(schedule, 200))
    embed.add_field(name="Next post", value=_ts(news.next_at) if news.schedule else "—")
    if last_post:
        sent_at = dt.datetime.fromisoformat(last_post[0])
        embed.add_field(name="Last post", value=f"{_ts(sent_at)} in <#{last_post[1]}>")
    else:
        embed.add_field(name="Last post", value="none yet")
    error = "none"
    if news.last_error:
        error = f"{limits.escape(news.last_error)} ({_ts(news.last_error_at, 'R')})"
    embed.add_field(name="Last error", value=limits.clip(error, limits.FIELD_VALUE), inline=False)
    broken = [f for f in feeds if f.last_error]
    if feeds:
        lines = [f"{plural(len(feeds), 'feed')}, {len(broken)} failing"]
        lines += [f"⚠ {limits.escape(f.url)}: {limits.escape(f.last_error or '')}" for f in broken]
        embed.add_field(
            name="Feeds", value=limits.clip("\n".join(lines), limits.FIELD_VALUE), inline=False
        )
    return embed


def _feed_name(feed: Feed) -> str:
    return limits.escape(feed.title or feed.url)


def feed_added_text(feed: Feed, outcome: str) -> str:
    """The answer to /news feeds add, from the scheduler's delivery outcome."""
    name = f"feed {feed.number}, {_feed_name(feed)}"
    if outcome in ("feed_post_sent", "feed_post_found"):
        return f"Added {name}; its latest items are posted in <#{feed.channel}>."
    if outcome.startswith("feed_post"):
        return (f"Added {name}, but I could not post its latest items in <#{feed.channel}>;"
                " /news status says why.")  # fmt: skip
    if feed.channel is not None:
        return f"Added {name}; new items will be posted in <#{feed.channel}>."
    return f"Added {name}; new items will be in the scheduled news."


def feeds_embed(feeds: list[Feed]) -> discord.Embed:
    """One entry per feed: its number in this server, name, where it posts, its state;
    the address on a line of its own only when the name is not the address."""
    embed = discord.Embed(title="News feeds", colour=COLOUR)
    if not feeds:
        embed.description = "No feeds yet. Add one with `/news feeds add`."
        return embed
    lines = []
    for f in feeds:
        where = f"<#{f.channel}>" if f.channel else "news channel"
        state = f"⚠ {f.last_error}" if f.last_error else ("ok" if f.last_ok else "not polled yet")
        entry = f"`{f.number}` {_feed_name(f)} → {where} · {limits.escape(state)}"
        lines.append(f"{entry}\n{f.url}" if f.title else entry)
    embed.description = limits.clip("\n\n".join(lines), limits.EMBED_DESCRIPTION)
    return embed


def reminder_content(firing: Firing, mentions: list[int]) -> str:
    """The reminder text; mentions first so they ping (embeds never ping)."""
    title = limits.escape(firing.reminder.title)
    release = firing.release
    where = f" ({release.region})" if release.region else ""
    when = f"<t:{_noon(release.date)}:D>"
    if firing.days_left <= 0:
        text = f"🎬 **{title}** is out today{where}: {release.kind} release, {when}."
    else:
        days = plural(firing.days_left, "day")
        text = f"⏰ **{title}** comes out in {days}{where}: {release.kind} release, {when}."
    moved_from = firing.reminder.moved_from
    if moved_from and moved_from != release.date.isoformat():
        old = dt.date.fromisoformat(moved_from)
        text += f" The date moved: it was <t:{_noon(old)}:D>."
    pings = " ".join(f"<@{u}>" for u in mentions)
    tag = f"\n-# {FOOTER_PREFIX} · {marker_text(firing.marker)}"
    room = limits.CONTENT - len(text) - len(tag) - 2
    if len(pings) > room:
        pings = pings[:room].rsplit(" ", 1)[0]
    return limits.clip(f"{pings}\n{text}{tag}" if pings else f"{text}{tag}", limits.CONTENT)


def mentioned_ids(content: str) -> list[int]:
    """The users a reminder text actually pings (after clipping)."""
    return [int(m) for m in re.findall(r"<@(\d+)>", content)]


def _noon(date: dt.date) -> int:
    return int(dt.datetime.combine(date, dt.time(12), dt.UTC).timestamp())
