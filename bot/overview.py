"""What the bot knows, counted the way a user counts: films, people, articles, packs.

`/about` shows these; `marquee db stats` keeps the per-table counts for operators.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalog.kinds import EPISODE_KINDS, SERIES_KINDS
from bot.db.store import Store


@dataclass(frozen=True)
class Overview:
    films: int
    series: int
    people: int
    articles: int
    packs: int
    questions: int  # in packs; generated questions are not stored


async def overview(store: Store) -> Overview:
    series_marks = ",".join("?" * len(SERIES_KINDS))
    other_marks = ",".join("?" * (len(SERIES_KINDS) + len(EPISODE_KINDS)))
    series = await store.fetchval(
        f"SELECT count(*) FROM titles WHERE kind IN ({series_marks})", tuple(SERIES_KINDS)
    )
    films = await store.fetchval(
        f"SELECT count(*) FROM titles WHERE kind NOT IN ({other_marks})",
        (*SERIES_KINDS, *EPISODE_KINDS),
    )
    return Overview(
        films=films,
        series=series,
        people=await store.fetchval("SELECT count(*) FROM people"),
        articles=await store.fetchval("SELECT count(*) FROM articles"),
        packs=await store.fetchval("SELECT count(*) FROM trivia_packs"),
        questions=await store.fetchval("SELECT count(*) FROM trivia_questions"),
    )
