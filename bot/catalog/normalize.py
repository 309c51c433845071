"""Normalised keys for names and titles: one function decides when two spellings are the same.

"Mission: Impossible – Dead Reckoning" and "mission impossible dead reckoning" share a
key; so do "Amélie" and "Amelie", "Fast & Furious" and "fast and furious".
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
_APOSTROPHES = re.compile(r"['’`´]")


def fold(text: str) -> str:
    """Casefold and strip accents, keeping every other character."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_key(text: str) -> str:
    """Lowercase ASCII words separated by single spaces ('' for no words)."""
    # ASCII (most titles and names) has no accents to fold: same key, several times faster.
    folded = (text.lower() if text.isascii() else fold(text)).replace("&", " and ")
    folded = _APOSTROPHES.sub("", folded)
    return _NON_WORD.sub(" ", folded).strip()
