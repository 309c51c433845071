"""The typed-answer judge: a table of guesses it must accept and near misses it must refuse."""

from __future__ import annotations

import pytest

from bot.trivia.judge import answer_key, edit_distance, is_correct, matches

ACCEPTED = [
    ("tom cruise", "Tom Cruise"),
    ("TOM CRUISE", "Tom Cruise"),
    ("Amelie", "Amélie"),
    ("amélie", "Amelie"),
    ("mission impossible dead reckoning part one", "Mission: Impossible – Dead Reckoning Part One"),
    ("Mission Impossible - Dead Reckoning Part 1", "Mission: Impossible – Dead Reckoning Part One"),
    ("dead reckoning part I", "Dead Reckoning Part One"),
    ("Godfather", "The Godfather"),
    ("the matrix", "Matrix"),
    ("Fast and Furious", "Fast & Furious"),
    ("six", "6"),
    ("6", "six"),
    ("Ocean's 11", "Ocean's Eleven"),
    ("oceans eleven", "Ocean's Eleven"),
    ("Rocky 4", "Rocky IV"),
    ("rocky four", "Rocky IV"),
    ("1984", "Nineteen Eighty-Four"),
    ("twenty one", "21"),
    ("101 dalmatians", "One Hundred and One Dalmatians"),
    ("Spiderman", "Spider-Man"),
    ("Christopher McQuary", "Christopher McQuarrie"),  # two slips in a long name
    ("Paramout Pictures", "Paramount Pictures"),
    ("Rebeca Ferguson", "Rebecca Ferguson"),
    ("Jaws", "Jaws"),
    ("Alein", "Alien"),  # one swap in a five-letter word
    ("I, Robot", "I Robot"),
]

REFUSED = [
    ("Dead Reckoning Part Two", "Dead Reckoning Part One"),
    ("Mission Impossible Dead Reckoning Part 2", "Mission: Impossible – Dead Reckoning Part One"),
    ("2", "3"),
    ("two", "3"),
    ("Toy Story 2", "Toy Story 3"),
    ("Toy Story", "Toy Story 2"),
    ("Rocky III", "Rocky IV"),
    ("2022", "2023"),
    ("Up", "Us"),  # three letters or fewer: no slips allowed
    ("Cat", "Car"),
    ("Tom Cruz", "Penélope Cruz"),
    ("Tom", "Tom Cruise"),
    ("", "Tom Cruise"),
    ("!!!", "Tom Cruise"),
    ("the", "The Thing"),
    ("Simon Peg and Tom Cruise", "Simon Pegg"),
    ("Rebecca", "Rebecca Ferguson"),
    ("x" * 5000, "x"),
]


@pytest.mark.parametrize(("guess", "answer"), ACCEPTED)
def test_accepts(guess: str, answer: str) -> None:
    assert matches(guess, answer), f"{guess!r} should count for {answer!r}"


@pytest.mark.parametrize(("guess", "answer"), REFUSED)
def test_refuses(guess: str, answer: str) -> None:
    assert not matches(guess, answer), f"{guess!r} must not count for {answer!r}"


def test_any_accepted_answer_counts() -> None:
    answers = ["Mission: Impossible – Dead Reckoning Part One", "Dead Reckoning"]
    assert is_correct("dead reckoning", answers)
    assert not is_correct("dead reckoning part two", answers)


def test_answer_key_drops_only_a_leading_article() -> None:
    assert answer_key("The Lord of the Rings") == "lord of the rings"
    assert answer_key("A") == "a"  # an answer that is only an article keeps it


def test_edit_distance_counts_a_swap_once() -> None:
    assert edit_distance("abcd", "abdc", 3) == 1
    assert edit_distance("kitten", "sitting", 5) == 3
    assert edit_distance("short", "a much longer text", 2) == 3  # capped at limit + 1
