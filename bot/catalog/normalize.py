"""Normalised keys for names and titles: one function decides when two spellings are the same.

"Mission: Impossible – Dead Reckoning" and "mission impossible dead reckoning" share a
key; so do "Amélie" and "Amelie", "Fast & Furious" and "fast and furious". Letters and
digits of every script are kept ("Москва", "千と千尋の神隠し"), so titles and names that
are not in Latin letters have keys too.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")  # for ASCII text; other text: _words_of
_APOSTROPHES = re.compile(r"['’`´]")
# Latin letters that are not a base letter plus an accent, so NFKD leaves them whole;
# people type the plain letters ("Oresund", "Lodz").
_LATIN_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)


# Below this code point letters are Latin, Greek or Cyrillic, whose marks are accents
# people leave out; other scripts' marks (Indic vowel signs, viramas) are part of the word.
_ACCENTED_SCRIPTS_END = "\u0530"


def fold(text: str) -> str:
    """Casefold and strip accents (Latin, Greek, Cyrillic), keeping every other character.

    A combining mark stays only on a letter or digit of another script (an Indic vowel
    sign, a virama): a mark on a symbol, a space or nothing ("≰" decomposes to "≤" and a
    combining slash) is no part of any word, and left behind it would become a word of
    its own that the next normalisation drops, so a key would not be its own key.
    """
    kept: list[str] = []
    keep_marks = False  # whether marks here belong to a word of a script that keeps them
    # Decompose first: compatibility forms ("™", "𝐌") only become letters then, and
    # must be casefolded as letters; the second pass decomposes what casefolding made.
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    for ch in folded:
        if unicodedata.category(ch)[0] == "M":
            if keep_marks:
                kept.append(ch)
            continue
        keep_marks = ch >= _ACCENTED_SCRIPTS_END and ch.isalnum()
        kept.append(ch)
    return "".join(kept).translate(_LATIN_LETTERS)


def _words_of(folded: str) -> str:
    """Letters, digits and marks of any script kept; everything else separates words."""
    return " ".join(
        "".join(
            ch if ch.isalnum() or unicodedata.category(ch)[0] == "M" else " " for ch in folded
        ).split()
    )


def normalize_key(text: str) -> str:
    """Lowercase words (letters and digits of any script, accents folded) separated by
    single spaces ('' for no words)."""
    if text.isascii():  # most titles and names: no accents, no other scripts; much faster
        return _NON_WORD.sub(" ", _APOSTROPHES.sub("", text.lower().replace("&", " and "))).strip()
    return _words_of(_APOSTROPHES.sub("", fold(text).replace("&", " and ")))


_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Roman numerals up to 39 ("ii", "iv", "xiv"), the ones titles number sequels with.
_ROMAN_ONES = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
_ROMAN = {
    tens + ones: 10 * t + o
    for t, tens in enumerate(("", "x", "xx", "xxx"))
    for o, ones in enumerate(_ROMAN_ONES)
    if tens + ones
}


def _roman_value(token: str) -> int | None:
    """Value of a roman numeral up to 39 ('ii', 'iv', 'xiv'); None for other words."""
    return _ROMAN.get(token)


def numbers_as_digits(key: str) -> str:
    """Spell every number in a normalised key as digits.

    "part two" -> "part 2", "twenty one" -> "21", "rocky iv" -> "rocky 4", "nineteen
    eighty four" -> "1984". A lone "i"
    opening the text stays a word ("i robot"); elsewhere it is the numeral one.
    """
    tokens = key.split()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        value, used = _spelled_number(tokens, i)
        if used:
            if 10 <= value < 100:  # "nineteen eighty four" is a year: 1984
                low, more = _spelled_number(tokens, i + used)
                if more and 10 <= low < 100:
                    value, used = value * 100 + low, used + more
            out.append(str(value))
            i += used
            continue
        token = tokens[i]
        roman = _roman_value(token)
        if roman is not None and not (token == "i" and i == 0):
            out.append(str(roman))
        else:
            out.append(token)
        i += 1
    return " ".join(out)


def _spelled_number(tokens: list[str], start: int) -> tuple[int, int]:
    """(value, tokens used) of the number words starting at `start`; used 0 if none."""
    total = current = used = 0
    i = start
    while i < len(tokens):
        word = tokens[i]
        rest = current % 100
        if word in _UNITS:
            if rest and not (rest >= 20 and rest % 10 == 0 and _UNITS[word] < 10):
                break
            current += _UNITS[word]
        elif word in _TENS:
            if rest:
                break
            current += _TENS[word]
        elif word == "hundred" and used and 0 < current < 100:
            current *= 100
        elif word in _SCALES and word != "hundred" and used:
            total += max(current, 1) * _SCALES[word]
            current = 0
        elif (
            word == "and"
            and used
            and tokens[i - 1] in _SCALES
            and i + 1 < len(tokens)
            and (tokens[i + 1] in _UNITS or tokens[i + 1] in _TENS)
        ):
            pass
        else:
            break
        i += 1
        used = i - start
    return total + current, used


# Every word numbers_as_digits may rewrite. Most keys hold none, and skipping its
# word-by-word loop for them is most of search_key's speed (millions of calls in a
# catalog rebuild).
_NUMBER_WORDS = frozenset({*_UNITS, *_TENS, *_SCALES, *_ROMAN})


def search_words(text: str) -> list[str]:
    """The words search compares: normalised, numbers as digits ("Part One", "Part 1" and
    "Part I" agree), and a leading "the" dropped."""
    return _search_words_of_key(normalize_key(text))


def _search_words_of_key(key: str) -> list[str]:
    words = key.split()
    if not _NUMBER_WORDS.isdisjoint(words):
        words = numbers_as_digits(key).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


def search_key(text: str) -> str:
    """`search_words` joined: "The Mission: Part One" and "mission part 1" are equal."""
    return search_key_of_norm(normalize_key(text))


def search_key_of_norm(key: str) -> str:
    """search_key from a stored normalize_key() result, skipping the normalising.

    Search rebuilds use it on the norm columns: for most keys it is the key itself.
    """
    if key[:4] != "the " and _NUMBER_WORDS.isdisjoint(key.split()):
        return key
    return " ".join(_search_words_of_key(key))


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (a swap of neighbours is one slip), capped at limit+1.

    Shared by search (typo tolerance) and trivia (typed answers): one notion of a slip.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)
