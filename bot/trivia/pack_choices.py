"""Wrong choices for pack questions that give only answers (Red lists): of the answer's kind.

A year gets nearby years, a count nearby counts, a "who" answer other names from the pack,
a "which film" answer other films from the pack. A question whose kind the pack has too
few other answers of is not asked with buttons (the deck says so); it is never padded
with answers of another kind.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from bot.catalog.normalize import normalize_key
from bot.trivia.generate import NEAREST, WRONG_CHOICES
from bot.trivia.judge import answer_key
from bot.trivia.packs import PackQuestion

MIN_WRONG = 2  # three buttons at least (four when the pack allows)
BOOLEANS = {"true": "False", "false": "True", "yes": "No", "no": "Yes"}
_YEAR = re.compile(r"(1[0-9]|20)\d\d")  # 1000 to 2099, as written
_NOUNS = {"movie": "film", "films": "film", "movies": "film", "tv": "series", "show": "series"}
_CUES: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"\bwho(m|se)?\b"), "person"),
    (re.compile(r"\bwhere\b"), "place"),
    (
        re.compile(
            r"\b(?:which|what|name\s+(?:a|an|one|the))\s+(?:\w+\s+)?(country|city|state|town"
            r"|planet|continent|island|film|movie|show|series|tv|book|novel|song|album|band|game"
            r"|team|company|studio|brand|character|animal|language|actor|actress|director"
            r"|composer|singer|author|star|person|member)\b"
        ),
        None,  # the named noun is the kind
    ),
)
_PEOPLE_NOUNS = {
    "actor", "actress", "director", "composer", "singer", "author", "star", "person", "member"
}  # fmt: skip
_PLACE_NOUNS = {"country", "city", "state", "town", "continent", "island"}


def answer_kind(question: str, answer: str) -> str:
    """'boolean', 'year', 'number', or what the question asks for ('person', 'place',
    'film', 'song', ...), else 'thing'."""
    key = answer_key(answer)
    if key in BOOLEANS:
        return "boolean"
    if _YEAR.fullmatch(answer.strip()):
        return "year"
    if key.isdigit():
        return "number"
    words = normalize_key(question)
    for pattern, kind in _CUES:
        found = pattern.search(words)
        if found:
            noun = kind or found.group(1)
            if noun in _PEOPLE_NOUNS:
                return "person"
            if noun in _PLACE_NOUNS:
                return "place"
            return _NOUNS.get(noun, noun)
    return "thing"


def wrong_choices(
    q: PackQuestion, pack: Sequence[PackQuestion], taken: set[str], rng: random.Random
) -> list[str]:
    """Up to three wrong choices of `q`'s kind, none of whose keys is in `taken`."""
    kind = answer_kind(q.question, q.answers[0])
    if kind in ("year", "number"):
        return _nearby_numbers(int(answer_key(q.answers[0])), kind, taken, rng)
    words = _words(q.question)
    asked = f" {normalize_key(q.question)} "
    best: dict[str, tuple[float, str]] = {}
    for other in pack:
        answer = other.answers[0]
        k = answer_key(answer)
        if not k or k in taken or answer_kind(other.question, answer) != kind:
            continue
        if _named_in(normalize_key(answer), asked):  # "Barney's friend?" - never Barney
            continue
        theirs = _words(other.question)
        alike = len(words & theirs) / len(words | theirs) if words | theirs else 0.0
        if k not in best or alike > best[k][0]:
            best[k] = (alike, answer)
    ranked = sorted(best.values(), key=lambda sa: (-sa[0], rng.random()))
    nearest = ranked[: max(NEAREST, WRONG_CHOICES)]
    return [answer for _s, answer in rng.sample(nearest, min(WRONG_CHOICES, len(nearest)))]


def _nearby_numbers(value: int, kind: str, taken: set[str], rng: random.Random) -> list[str]:
    """Years a few years off; counts a step or a few off (a step of about a tenth)."""
    step = 1 if kind == "year" or value < 20 else max(1, round(value / 10))
    near = [value + step * d for d in (-3, -2, -1, 1, 2, 3)]
    near = [n for n in near if n >= 0 and str(n) not in taken]
    return [str(n) for n in sorted(rng.sample(near, min(WRONG_CHOICES, len(near))))]


def _named_in(name: str, question: str) -> bool:
    """Whether the question's words contain the name (a possessive "rubbles" included)."""
    return bool(name) and re.search(rf" {re.escape(name)}s? ", question) is not None


def _words(text: str) -> set[str]:
    return {w for w in normalize_key(text).split() if len(w) > 2}
