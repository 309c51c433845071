"""Render a Discord message payload as plain text, for the sandbox console.

Works on the JSON shape Discord returns (content, embeds, components, flags), so it
shows exactly what the bot sent, not what the bot meant to send.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from bot.wording import plural

log = logging.getLogger(__name__)

EPHEMERAL = 1 << 6
LOADING = 1 << 7
_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
_BUTTON_STYLES = {5: "link"}


def _timestamp(match: re.Match[str]) -> str:
    """Discord renders <t:UNIX:STYLE> in the reader's zone; the console shows UTC.

    A time Python cannot represent (past year 9999) stays as the bot wrote it: a
    rendering detail must not abort the console.
    """
    try:
        when = dt.datetime.fromtimestamp(int(match.group(1)), dt.UTC)
    except (ValueError, OverflowError, OSError):
        return match.group(0)
    style = match.group(2) or "f"
    if style == "R":
        days = (when.date() - dt.datetime.now(dt.UTC).date()).days
        if days == 0:
            return "today"
        return f"in {plural(days, 'day')}" if days > 0 else f"{plural(-days, 'day')} ago"
    if style in "dD":
        return when.strftime("%Y-%m-%d")
    if style in "tT":
        return when.strftime("%H:%M UTC")
    return when.strftime("%Y-%m-%d %H:%M UTC")


def plain(text: str) -> str:
    """Discord markup a terminal cannot show, made readable."""
    return _TIMESTAMP.sub(_timestamp, text)


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())


def render_embed(embed: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    author = (embed.get("author") or {}).get("name")
    if author:
        lines.append(author)
    if embed.get("title"):
        title = embed["title"]
        lines.append(f"**{plain(title)}**" + (f" <{embed['url']}>" if embed.get("url") else ""))
    if embed.get("description"):
        lines.append(plain(embed["description"]))
    for field in embed.get("fields") or []:
        name, value = plain(field.get("name", "")), plain(field.get("value", ""))
        if "\n" in value or not field.get("inline"):
            lines.append(f"{name}:")
            lines.append(_indent(value))
        else:
            lines.append(f"{name}: {value}")
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines.append(f"— {plain(footer)}")
    return lines


def _component_line(row: dict[str, Any]) -> str | None:
    parts: list[str] = []
    for comp in row.get("components") or []:
        kind = comp.get("type")
        if kind == 2:
            label = comp.get("label") or (comp.get("emoji") or {}).get("name") or "?"
            mark = " (off)" if comp.get("disabled") else ""
            parts.append(f"[{label}]{mark}")
        elif kind in (3, 5, 6, 7, 8):
            placeholder = comp.get("placeholder") or comp.get("custom_id") or "select"
            options = [o.get("label", "") for o in comp.get("options") or []]
            shown = f": {', '.join(options)}" if options else ""
            parts.append(f"<{placeholder}{shown}>")
    return " ".join(parts) or None


def _components(nodes: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for node in nodes:
        kind = node.get("type")
        if kind == 1:
            line = _component_line(node)
            if line:
                lines.append(line)
        elif kind == 10:  # text display
            lines.append(plain(node.get("content", "")))
        elif kind == 14:  # separator
            lines.append("---")
        elif kind in (9, 17):  # section, container
            lines.extend(_components(node.get("components") or []))
            if isinstance(node.get("accessory"), dict):
                line = _component_line({"components": [node["accessory"]]})
                if line:
                    lines.append(line)
    return lines


def render_message(message: dict[str, Any]) -> str:
    """Content, each embed (title, description, fields, footer), buttons as ``[Label]``."""
    flags = int(message.get("flags") or 0)
    lines: list[str] = []
    if flags & LOADING:
        lines.append("Marquee is thinking…")
    if message.get("content"):
        lines.append(plain(message["content"]))
    for embed in message.get("embeds") or []:
        if lines:
            lines.append("")
        lines.extend(render_embed(embed))
    lines.extend(_components(message.get("components") or []))
    for att in message.get("attachments") or []:
        lines.append(f"(attachment: {att.get('filename')})")
    text = "\n".join(lines) if lines else "(empty message)"
    if flags & EPHEMERAL:
        text = "(only you can see this)\n" + text
    return text
