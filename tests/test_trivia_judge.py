"""The typed-answer judge: a table of guesses it must accept and near misses it must refuse."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=2, max_size=10)


@given(st.lists(_WORDS, min_size=1, max_size=5))
def test_an_answer_matches_itself_in_any_case(words: list[str]) -> None:
    answer = " ".join(words)
    assert matches(answer, answer)
    assert matches(answer.upper(), answer)
    assert matches(f"{answer}!", answer)


@given(st.lists(_WORDS, min_size=1, max_size=4), st.integers(0, 99), st.integers(1, 9))
def test_a_different_number_is_never_accepted(words: list[str], number: int, step: int) -> None:
    title = " ".join(words)
    assert not matches(f"{title} {number + step}", f"{title} {number}")


def test_period_starts_are_utc_calendar_boundaries() -> None:
    import datetime as dt

    from bot.ui.trivia_views import period_start

    now = dt.datetime(2026, 11, 26, 15, 30, tzinfo=dt.UTC)  # a Thursday
    assert period_start("month", now) == "2026-11-01T00:00:00+00:00"
    assert period_start("week", now) == "2026-11-23T00:00:00+00:00"
    assert period_start("all", now) is None
