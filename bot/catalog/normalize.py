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
    folded = fold(text).replace("&", " and ")
    folded = _APOSTROPHES.sub("", folded)
    return _NON_WORD.sub(" ", folded).strip()


# Numbers are one spelling however they are written: "Part One", "Part 1" and "Part I"
# share a search key. Roman numerals are mapped only up to XX, so ordinary words
# ("mix", "civil") are left alone.
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
}  # fmt: skip
_ROMAN = {
    "i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7",
    "viii": "8", "ix": "9", "x": "10", "xi": "11", "xii": "12", "xiii": "13", "xiv": "14",
    "xv": "15", "xvi": "16", "xvii": "17", "xviii": "18", "xix": "19", "xx": "20",
}  # fmt: skip
NUMBER_SPELLINGS = {**_NUMBER_WORDS, **_ROMAN}


def search_words(text: str) -> list[str]:
    """The words search compares: normalised, numbers as digits, a leading "the" dropped."""
    words = [NUMBER_SPELLINGS.get(w, w) for w in normalize_key(text).split()]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


def search_key(text: str) -> str:
    """`search_words` joined: "The Mission: Part One" and "mission part 1" are equal."""
    return " ".join(search_words(text))
