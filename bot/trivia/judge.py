"""Forgiving answer matching for typed trivia.

A guess is right when it names the same thing: case, accents, punctuation, a leading
article, "&"/"and", numbers as words, digits or roman numerals, and a small typo scaled
to the answer's length do not matter. A guess that changes a number ("Part Two" for
"Part One", "2" for "3", a sequel for the original) is wrong however close it looks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.catalog.normalize import edit_distance, normalize_key, numbers_as_digits

_ARTICLES = ("the", "a", "an")
_DIGITS = re.compile(r"\d+")
MAX_GUESS = 300  # longer messages are chat, not guesses


def answer_key(text: str) -> str:
    """The spelling-insensitive form of an answer: digits for numbers, no leading article."""
    key = numbers_as_digits(normalize_key(text))
    head, _, tail = key.partition(" ")
    if head in _ARTICLES and tail:
        key = tail
    return key


def typo_budget(length: int) -> int:
    """How many single-letter slips an answer of `length` letters tolerates."""
    if length <= 3:
        return 0
    if length <= 6:
        return 1
    if length <= 12:
        return 2
    return 3


def matches(guess: str, answer: str) -> bool:
    """True when `guess` names `answer`."""
    if len(guess) > MAX_GUESS:
        return False
    g, a = answer_key(guess), answer_key(answer)
    if not g or not a:
        return False
    if g == a:
        return True
    if _DIGITS.findall(g) != _DIGITS.findall(a):
        return False  # a different number is a different film, part or year
    g_compact, a_compact = g.replace(" ", ""), a.replace(" ", "")
    if g_compact == a_compact:
        return True  # "spider man" / "spiderman"
    budget = typo_budget(len(a_compact))
    return budget > 0 and edit_distance(g_compact, a_compact, budget) <= budget


def is_correct(guess: str, answers: Iterable[str]) -> bool:
    return any(matches(guess, answer) for answer in answers)
