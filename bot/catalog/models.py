"""Plain records the catalog hands to the rest of the bot."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Provenance:
    source: str  # "article:<id>", "imdb", "tmdb" or "manual"
    as_of: str  # ISO date the fact was true as of


@dataclass(frozen=True)
class Title:
    id: int
    title: str
    kind: str
    year: int | None
    imdb_id: str | None
    runtime_minutes: int | None
    genres: str | None
    rating: float | None
    votes: int | None
    status: str | None
    source: str
    as_of: str


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    imdb_id: str | None
    birth_year: int | None
    death_year: int | None
    professions: str | None
    source: str
    as_of: str


@dataclass(frozen=True)
class Credit:
    title_id: int
    person_id: int
    name: str
    role: str
    character: str | None
    billing: int | None
    known_for: str | None
    status: str | None
    source: str
    as_of: str


@dataclass(frozen=True)
class Release:
    title_id: int
    region: str  # '' when the source does not say
    date: str
    precision: str
    kind: str
    note: str | None
    source: str
    as_of: str
    certification: str | None = None
    superseded: bool = False
    evidence: str | None = None


@dataclass(frozen=True)
class Company:
    id: int
    name: str
    role: str
    source: str
    as_of: str
