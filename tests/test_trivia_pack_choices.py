"""Buttons for answer-only packs: wrong choices of the answer's kind, or the question waits."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.trivia.deck import build_deck, pack_question
from bot.trivia.judge import answer_key
from bot.trivia.library import import_pack_file
from bot.trivia.pack_choices import answer_kind
from bot.trivia.packs import PackQuestion, load_pack_file
from bot.trivia.repository import TriviaRepository

FIXTURES = Path(__file__).parent / "fixtures" / "trivia"


@pytest.mark.parametrize(
    ("question", "answer", "kind"),
    [
        ("Who directed Alien?", "Ridley Scott", "person"),
        ("Name a star of Alien other than Sigourney Weaver.", "John Hurt", "person"),
        ("In which year was Alien released?", "1979", "year"),
        ("How many Xenomorphs are in Alien?", "1", "number"),
        ("How many films did Kubrick make?", "thirteen", "number"),
        ("Where is Alien set?", "On the Nostromo", "place"),
        ("Which country is Ridley Scott from?", "England", "place"),
        ("Which movie came after Alien?", "Aliens", "film"),
        ("What TV show did Ridley Scott produce?", "The Good Wife", "series"),
        ("Is Alien a horror film?", "yes", "boolean"),
        ("Connecting people.", "Nokia", "thing"),
    ],
)
def test_the_kind_of_an_answer(question: str, answer: str, kind: str):
    assert answer_kind(question, answer) == kind


def test_every_wrong_choice_is_of_the_answers_kind():
    pack = load_pack_file(FIXTURES / "mixed-kinds.yaml")
    by_kind: dict[str, set[str]] = {}
    for q in pack.questions:
        by_kind.setdefault(answer_kind(q.question, q.answers[0]), set()).add(q.answers[0])
    asked = 0
    for seed in range(10):
        for q in pack.questions:
            question = pack_question(q, pack.questions, random.Random(seed), typed=False, pack="m")
            assert question is not None, q.question
            asked += 1
            kind = answer_kind(q.question, q.answers[0])
            choices = set(question.choices)
            accepted = {answer_key(a) for a in q.answers}
            assert answer_key(question.choices[question.correct_index]) in accepted
            assert len([c for c in choices if answer_key(c) in accepted]) == 1
            if kind == "boolean":
                assert question.choices in (("True", "False"), ("Yes", "No"))
            elif kind == "year":
                assert all(len(c) == 4 and c.isdigit() for c in choices)
                assert all(abs(int(c) - int(q.answers[0])) <= 7 for c in choices)
            elif kind == "number":
                assert all(c.isdigit() for c in choices) and "11" in choices
            else:
                assert choices <= by_kind[kind], (q.question, choices - by_kind[kind])
    assert asked == 10 * len(pack.questions)


async def test_a_small_pack_plays_what_it_can_and_counts_the_rest(store):
    await import_pack_file(store, FIXTURES / "classics.yaml")
    repo = TriviaRepository(store)
    rng = random.Random(3)
    buttons = await build_deck(
        repo, guild=1, source="classics", count=10, mode="buttons", rng=rng, this_year=2024
    )
    # The year gets nearby years; two names have one other name each: not a fair choice.
    assert [q.text for q in buttons.questions] == ["In which year did Casablanca open in New York?"]
    assert buttons.left_out == 2
    typed = await build_deck(
        repo, guild=1, source="classics", count=10, mode="typed", rng=rng, this_year=2024
    )
    assert len(typed.questions) == 3 and typed.left_out == 0


def test_a_name_in_the_question_is_never_a_wrong_choice():
    pack = [
        PackQuestion("Who was Barney Rubble's best friend?", ("Fred Flintstone",)),
        PackQuestion("Who lives next door to Fred Flintstone?", ("Barney Rubble",)),
        PackQuestion("Who is Fred's wife?", ("Wilma Flintstone",)),
        PackQuestion("Who is Barney's wife?", ("Betty Rubble",)),
        PackQuestion("Who is Fred's boss?", ("Mr. Slate",)),
    ]
    for seed in range(10):
        asked = pack_question(pack[0], pack, random.Random(seed), typed=False, pack="p")
        assert asked is not None and "Barney Rubble" not in asked.choices
        assert set(asked.choices) == {"Fred Flintstone", "Wilma Flintstone", "Betty Rubble",
                                      "Mr. Slate"}  # fmt: skip
