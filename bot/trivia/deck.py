"""Choosing a game's questions: from the store and packs, least recently asked first."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from bot.catalog.normalize import normalize_key
from bot.errors import UserFacingError
from bot.trivia.generate import WRONG_CHOICES, QuestionGenerator, shuffled_question
from bot.trivia.judge import answer_key
from bot.trivia.models import STORE_SOURCE, Question
from bot.trivia.pack_choices import BOOLEANS, MIN_WRONG, wrong_choices
from bot.trivia.packs import PackQuestion
from bot.trivia.repository import TriviaRepository

Builder = Callable[[random.Random], Question | None]
GENERATED_PREFIX = "gen:"  # keys of questions generated from the store


@dataclass(frozen=True)
class Deck:
    """A game's questions, and how many pack questions buttons could not ask fairly."""

    questions: list[Question]
    left_out: int = 0  # pack questions without enough wrong choices of their kind


async def build_deck(
    repo: TriviaRepository,
    *,
    guild: int,
    source: str | None,
    count: int,
    mode: str,
    rng: random.Random,
    this_year: int,
) -> Deck:
    """`count` questions (fewer if the pool is smaller), never-asked ones first.

    `source` is a pack name, "movies" for questions generated from the store, or None
    for the store plus the bundled packs. A server sees no question twice until it has
    seen its whole pool; after that the longest-unseen come back first. No two questions
    share a fact (see Question.facts).
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
    asked_facts: set[str] = set()
    left_out = 0
    for key in fresh + seen:
        question = builders[key](rng)
        if question is None:
            left_out += not key.startswith(GENERATED_PREFIX)
            continue
        if question.facts & asked_facts or any(_same_fact(question, q) for q in deck):
            continue
        deck.append(question)
        asked_facts |= question.facts
        if len(deck) >= count:
            break
    return Deck(deck, left_out)


def _same_fact(a: Question, b: Question) -> bool:
    """A pack question that names a generated question's subject and accepts one of its
    answers asks the same thing ("Who directed X?" in a pack and from the store)."""
    if (a.subject is None) == (b.subject is None):
        return False  # two generated questions compare by facts; two pack ones by key
    generated, written = (a, b) if a.subject is not None else (b, a)
    if f" {generated.subject} " not in f" {normalize_key(written.text)} ":
        return False
    theirs = {answer_key(x) for x in written.answers}
    return any(answer_key(x) in theirs for x in generated.answers)


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
    answers of the same kind from the pack (see pack_choices). A true/false or yes/no
    question shows its two buttons; any other gets three or four, or is not asked."""
    facts = frozenset({q.key})
    if typed:
        return Question(q.key, q.question, q.answers, kind="pack", source=pack, facts=facts)
    accepted = {answer_key(a) for a in q.answers}
    first = answer_key(q.answers[0])
    if first in BOOLEANS and all(answer_key(w) in BOOLEANS for w in q.wrong):
        right = q.answers[0].strip().capitalize()
        choices = (right, BOOLEANS[first])
        if first in ("false", "no"):
            choices = choices[::-1]  # always True/False, Yes/No in that order
        index = choices.index(right)
        return Question(q.key, q.question, q.answers, choices, index, "pack", pack, facts)
    wrong = list(dict.fromkeys(w for w in q.wrong if answer_key(w) not in accepted))
    rng.shuffle(wrong)
    wrong = wrong[:WRONG_CHOICES]
    if len(wrong) < WRONG_CHOICES:
        taken = accepted | {answer_key(w) for w in wrong}
        wrong += wrong_choices(q, pack_questions, taken, rng)
    if len(wrong) < MIN_WRONG:
        return None
    asked = shuffled_question(
        q.key, q.question, q.answers, wrong[:WRONG_CHOICES], rng, kind="pack", source=pack
    )
    return replace(asked, facts=facts) if asked is not None else None
