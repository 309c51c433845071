"""Choosing a game's questions: from the store and packs, least recently asked first."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from bot.catalog.normalize import normalize_key
from bot.errors import UserFacingError
from bot.trivia.generate import NEAREST, WRONG_CHOICES, QuestionGenerator, shuffled_question
from bot.trivia.judge import answer_key
from bot.trivia.models import STORE_SOURCE, Question
from bot.trivia.packs import PackQuestion
from bot.trivia.repository import TriviaRepository

Builder = Callable[[random.Random], Question | None]
_BOOLEAN = {"true", "false"}


async def build_deck(
    repo: TriviaRepository,
    *,
    guild: int,
    source: str | None,
    count: int,
    mode: str,
    rng: random.Random,
    this_year: int,
) -> list[Question]:
    """`count` questions (fewer if the pool is smaller), never-asked ones first.

    `source` is a pack name, "movies" for questions generated from the store, or None
    for the store plus the bundled packs. A server sees no question twice until it has
    seen its whole pool; after that the longest-unseen come back first.
    """
    typed = mode == "typed"
    sources = [source] if source else [STORE_SOURCE, *await repo.bundled_pack_names()]
    builders: dict[str, Builder] = {}
    for name in sources:
        if name == STORE_SOURCE:
            generator = QuestionGenerator(await repo.catalog_snapshot(), this_year=this_year)
            for key in generator.question_keys():
                builders.setdefault(key, _generated(generator, key, typed))
            continue
        questions = await repo.pack_questions(name, guild)
        if questions is None:
            raise UserFacingError(
                f"There is no trivia pack named {name!r} (see /trivia packs list)."
            )
        for q in questions:
            builders.setdefault(q.key, _from_pack(q, questions, typed, name))
    asked = await repo.asked_keys(guild)
    fresh = [k for k in builders if k not in asked]
    rng.shuffle(fresh)
    seen = sorted((k for k in builders if k in asked), key=lambda k: (asked[k], rng.random()))
    deck: list[Question] = []
    for key in fresh + seen:
        question = builders[key](rng)
        if question is not None:
            deck.append(question)
            if len(deck) >= count:
                break
    return deck


def _generated(generator: QuestionGenerator, key: str, typed: bool) -> Builder:
    return lambda rng: generator.build(key, rng, typed=typed)


def _from_pack(
    q: PackQuestion, questions: Sequence[PackQuestion], typed: bool, pack: str
) -> Builder:
    return lambda rng: pack_question(q, questions, rng, typed=typed, pack=pack)


def pack_question(
    q: PackQuestion,
    pack_questions: Sequence[PackQuestion],
    rng: random.Random,
    *,
    typed: bool,
    pack: str,
) -> Question | None:
    """A pack question as asked. Buttons need wrong choices: the pack's own, else other
    answers from the same pack that this question does not accept. A true/false question
    shows just its two buttons; any other question gets four or is skipped."""
    if typed:
        return Question(q.key, q.question, q.answers, kind="pack", source=pack)
    accepted = {answer_key(a) for a in q.answers}
    if {answer_key(q.answers[0]), *(answer_key(w) for w in q.wrong)} == _BOOLEAN:
        choices = ("True", "False")
        right = 0 if answer_key(q.answers[0]) == "true" else 1
        return Question(q.key, q.question, q.answers, choices, right, "pack", pack)
    wrong = list(dict.fromkeys(w for w in q.wrong if answer_key(w) not in accepted))
    rng.shuffle(wrong)
    wrong = wrong[:WRONG_CHOICES]
    if len(wrong) < WRONG_CHOICES:
        taken = accepted | {answer_key(w) for w in wrong}
        wrong += _pack_distractors(q, pack_questions, taken, rng)
    if len(wrong) < WRONG_CHOICES:
        return None
    return shuffled_question(
        q.key, q.question, q.answers, wrong[:WRONG_CHOICES], rng, kind="pack", source=pack
    )


def _pack_distractors(
    q: PackQuestion, pack: Sequence[PackQuestion], excluded: set[str], rng: random.Random
) -> list[str]:
    """Answers to other questions of the pack, most alike first: a number for a number,
    then the answers of questions worded most like this one ("known for" with "known for")."""
    numeric = answer_key(q.answers[0]).isdigit()
    words = _words(q.question)
    best: dict[str, tuple[float, str]] = {}
    for other in pack:
        answer = other.answers[0]
        k = answer_key(answer)
        if not k or k in excluded:
            continue
        theirs = _words(other.question)
        alike = len(words & theirs) / len(words | theirs) if words | theirs else 0.0
        score = (k.isdigit() == numeric) + alike
        if k not in best or score > best[k][0]:
            best[k] = (score, answer)
    if numeric:  # a count or a year: nearby numbers are plausible wrong choices too
        value = int(answer_key(q.answers[0]))
        for near in range(max(value - 3, 0), value + 4):
            if str(near) not in excluded:
                best.setdefault(str(near), (1.0 + rng.random() / 10, str(near)))
    ranked = sorted(best.values(), key=lambda sa: (-sa[0], rng.random()))
    nearest = ranked[: max(NEAREST, WRONG_CHOICES)]
    return [answer for _s, answer in rng.sample(nearest, min(WRONG_CHOICES, len(nearest)))]


def _words(text: str) -> set[str]:
    return {w for w in normalize_key(text).split() if len(w) > 2}
