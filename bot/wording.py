"""Words that agree with their numbers: "1 day", "3 days", "2 people".

One helper for every message the bot, the console and the CLI write, so no answer
hedges a count with a bracketed "s". It lives outside `bot/ui` because domain reports
(an IMDb import summary, a seed log line) count things too.
"""

from __future__ import annotations

_IRREGULAR = {"person": "people", "child": "children", "series": "series"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and `word` in the form that agrees with it ("1 question", "0 questions").

    `many` spells an irregular plural; common ones are known, and a word ending in
    s, x, z, ch or sh takes "es", a consonant plus y takes "ies".
    """
    return f"{count:,} {word if count == 1 else many or plural_form(word)}"


def plural_form(word: str) -> str:
    """The plural of an English noun (the last word of a phrase: "feed item" -> "feed items")."""
    head, _, last = word.rpartition(" ")
    prefix = head + " " if head else ""
    lower = last.lower()
    if lower in _IRREGULAR:
        return prefix + _IRREGULAR[lower]
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return prefix + last + "es"
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return prefix + last[:-1] + "ies"
    return prefix + last + "s"
