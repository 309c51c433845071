"""The game session: one object owns a game's state and its scoring rules.

No clocks and no Discord here: the runner says when a question opens and closes, and
this class decides who answered first, what a double click or a late click means, and
when the game is over.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from bot.trivia.judge import is_correct
from bot.trivia.models import AnswerResult, Question

RANK_POINTS = (3, 2)  # the first correct answer scores 3, the second 2 ...
LATER_POINTS = 1  # ... and every later correct answer 1
MAX_UNANSWERED = 2  # the game ends after this many questions in a row nobody answered


def points_for_rank(rank: int) -> int:
    """Points for the `rank`-th correct answer (0-based)."""
    return RANK_POINTS[rank] if rank < len(RANK_POINTS) else LATER_POINTS


class Outcome(enum.Enum):
    ACCEPTED = "accepted"  # counted; right or wrong is revealed at the end of the question
    DUPLICATE = "duplicate"  # this person already answered this question
    LATE = "late"  # the question is closed (or another one is open)
    CORRECT = "correct"  # typed mode: a right guess
    WRONG = "wrong"  # typed mode: a wrong guess (the person may try again)
    IGNORED = "ignored"  # typed mode: no question open, or already right


@dataclass
class _Round:
    number: int
    question: Question
    order: list[int] = field(default_factory=list)  # users in the order they answered
    choices: dict[int, int] = field(default_factory=dict)  # buttons: user -> choice
    right: list[int] = field(default_factory=list)  # typed: users in order of right guesses
    tried: set[int] = field(default_factory=set)  # typed: everyone who guessed
    closed: bool = False


@dataclass(frozen=True)
class QuestionOutcome:
    number: int
    question: Question
    results: list[AnswerResult]  # right answers first, in the order they came

    @property
    def winners(self) -> list[AnswerResult]:
        return [r for r in self.results if r.correct]


class GameSession:
    """The state of one game in one channel."""

    def __init__(
        self,
        *,
        game_id: int,
        guild: int,
        channel: int,
        starter: int,
        mode: str,
        source: str,
        questions: list[Question],
        seconds: int,
    ) -> None:
        self.game_id = game_id
        self.guild = guild
        self.channel = channel
        self.starter = starter
        self.mode = mode
        self.source = source
        self.questions = questions
        self.seconds = seconds
        self.points: dict[int, int] = {}
        self.correct: dict[int, int] = {}
        self.unanswered_in_a_row = 0
        self.stopped_by: int | None = None
        self.current: _Round | None = None
        self.asked = 0

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def over(self) -> bool:
        return (
            self.stopped_by is not None
            or self.asked >= len(self.questions)
            or self.unanswered_in_a_row >= MAX_UNANSWERED
        )

    @property
    def ended_early_for_silence(self) -> bool:
        return self.unanswered_in_a_row >= MAX_UNANSWERED and self.asked < len(self.questions)

    def open_next(self) -> Question | None:
        """Open the next question, or None when the game is over."""
        if self.over or (self.current is not None and not self.current.closed):
            return None
        question = self.questions[self.asked]
        self.asked += 1
        self.current = _Round(self.asked, question)
        return question

    def answer_choice(self, user: int, number: int, choice: int) -> Outcome:
        """A button click on question `number`: the first click of each person counts."""
        current = self.current
        if current is None or current.closed or current.number != number:
            return Outcome.LATE
        if user in current.choices:
            return Outcome.DUPLICATE
        current.choices[user] = choice
        current.order.append(user)
        return Outcome.ACCEPTED

    def answer_text(self, user: int, text: str) -> Outcome:
        """A typed guess: wrong guesses may be retried until the person gets it right."""
        current = self.current
        if current is None or current.closed or user in current.right:
            return Outcome.IGNORED
        current.tried.add(user)
        if is_correct(text, current.question.answers):
            current.right.append(user)
            return Outcome.CORRECT
        return Outcome.WRONG

    def close(self) -> QuestionOutcome | None:
        """Close the open question and score it; None when none is open."""
        current = self.current
        if current is None or current.closed:
            return None
        current.closed = True
        if self.mode == "typed":
            right = list(current.right)
            wrong = sorted(current.tried - set(right))
        else:
            want = current.question.correct_index
            right = [u for u in current.order if current.choices[u] == want]
            wrong = [u for u in current.order if current.choices[u] != want]
        results = [AnswerResult(u, True, points_for_rank(i)) for i, u in enumerate(right)]
        results += [AnswerResult(u, False, 0) for u in wrong]
        for r in results:
            self.points[r.user] = self.points.get(r.user, 0) + r.points
            self.correct[r.user] = self.correct.get(r.user, 0) + int(r.correct)
        self.unanswered_in_a_row = 0 if results else self.unanswered_in_a_row + 1
        return QuestionOutcome(current.number, current.question, results)

    def stop(self, by: int) -> None:
        if self.stopped_by is None:
            self.stopped_by = by

    def standings(self) -> list[tuple[int, int, int]]:
        """(user, points, correct) best first; ties keep the order people first scored."""
        return sorted(
            ((u, p, self.correct.get(u, 0)) for u, p in self.points.items()),
            key=lambda row: (-row[1], -row[2]),
        )
