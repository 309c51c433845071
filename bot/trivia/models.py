"""Plain records shared by the trivia modules (no Discord, no SQL)."""

from __future__ import annotations

from dataclasses import dataclass

MODES = ("buttons", "typed")
PERIODS = ("all", "month", "week")
STORE_SOURCE = "movies"  # the source name of questions generated from the catalog


@dataclass(frozen=True)
class Question:
    """One question as asked: its accepted answers and, for buttons, the choices shown."""

    key: str  # stable across games: trivia_rounds remembers it
    text: str
    answers: tuple[str, ...]  # accepted answers; the first is the one revealed
    choices: tuple[str, ...] = ()  # buttons mode: every choice, the right one included
    correct_index: int | None = None  # index of the right choice in `choices`
    kind: str = "pack"
    source: str = STORE_SOURCE
    # What the question is about ("cast:<title>", "year:<title>"): a game asks each fact once,
    # so "Who is in X?" and "Which film is this cast from?" never meet in one game.
    facts: frozenset[str] = frozenset()
    # The title or person a generated question is about (its normalised name): a pack
    # question naming it with the same answer asks the same fact in other words.
    subject: str | None = None

    @property
    def answer(self) -> str:
        return self.answers[0]


@dataclass(frozen=True)
class AnswerResult:
    """What one person earned on one question."""

    user: int
    correct: bool
    points: int


@dataclass(frozen=True)
class PackInfo:
    name: str
    author: str | None
    description: str | None
    questions: int
    guild: int | None
    source: str


@dataclass(frozen=True)
class ImportResult:
    name: str
    questions: int
    replaced: bool
    unchanged: bool = False
    notes: tuple[str, ...] = ()  # what was merged or left out while reading the file


@dataclass(frozen=True)
class GameRecord:
    id: int
    guild: int
    channel: int
    starter: int
    source: str
    mode: str
    questions: int
    seconds: int
    asked: int
    state: str
    started_at: str
    owner: int | None = None  # the process running it (its coordination token)


@dataclass(frozen=True)
class ScoreRow:
    user: int
    points: int
    correct: int
    wins: int
    games: int


@dataclass(frozen=True)
class PlayerStats:
    user: int
    points: int
    wins: int
    games: int
    correct: int
    answered: int
    streak: int
    best_streak: int
    rank: int
    players: int
