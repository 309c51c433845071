"""The facts an article yields, as plain records (what `extract` returns)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonFact:
    name: str
    aliases: tuple[str, ...]
    role: str  # "actor" | "director" | "writer" | "producer"
    character: str | None
    known_for: str | None
    status: str | None  # "returning" | "new" | None
    billing: int  # 1-based order of first mention among this film's people of that role
    sentence: str = ""  # the evidence


@dataclass(frozen=True)
class ReleaseFact:
    date: dt.date
    precision: str  # "day" | "month" | "season" | "year"
    region: str | None  # ISO 3166 alpha-2 when the text names a country
    kind: str  # "theatrical" | "digital" | "premiere" | "festival"
    sentence: str
    note: str | None = None  # what the text said when vaguer than a day ("summer 2025")
    superseded: bool = False  # a date the film moved FROM


@dataclass(frozen=True)
class StudioFact:
    name: str
    sentence: str


@dataclass(frozen=True)
class FilmFact:
    title: str
    aliases: tuple[str, ...]
    studios: tuple[str, ...]
    people: tuple[PersonFact, ...]
    releases: tuple[ReleaseFact, ...]
    facts: tuple[str, ...] = ()
    evidence: str = ""  # the sentence that names it as the article's film
    studio_evidence: tuple[StudioFact, ...] = ()
    renamed_from: tuple[str, ...] = ()  # earlier titles the article says it replaced


@dataclass(frozen=True)
class Extraction:
    films: tuple[FilmFact, ...]
    summary: str
    context_titles: tuple[str, ...] = ()  # titles named only as credits or comparisons
