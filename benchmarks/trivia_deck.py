"""How long /trivia start spends choosing questions, on a small and a large catalog.

Prints JSON: for each catalog size, the time to build a 10-question deck from the store
(what the command does before it answers; Discord allows 3 s), next to a naive peer
(ten "who directed" questions with unchecked random wrong names), and the typed-answer judge's
throughput next to plain key equality (the baseline it adds forgiveness to).
"""

from __future__ import annotations

import asyncio
import json
import random
import tempfile
import time
from pathlib import Path

from bot.catalog.normalize import normalize_key
from bot.db.store import Store
from bot.trivia.deck import build_deck
from bot.trivia.judge import is_correct
from bot.trivia.repository import TriviaRepository


async def fill(store: Store, titles: int, rng: random.Random) -> None:
    people = titles * 3
    async with store.transaction() as conn:
        await conn.executemany(
            "INSERT INTO titles(id, title, norm_title, year, source, as_of) VALUES (?,?,?,?,?,?)",
            [(i, f"Film {i}", f"film {i}", 1950 + i % 75, "bench", "2024-01-01")
             for i in range(1, titles + 1)],
        )  # fmt: skip
        await conn.executemany(
            "INSERT INTO people(id, name, norm_name, source, as_of) VALUES (?,?,?,?,?)",
            [
                (i, f"Person {i}", f"person {i}", "bench", "2024-01-01")
                for i in range(1, people + 1)
            ],
        )
        rows = []
        for t in range(1, titles + 1):
            rows.append((t, rng.randint(1, people), "director", None, "bench", "2024-01-01"))
            for billing in range(1, 6):
                rows.append((t, rng.randint(1, people), "actor", billing, "bench", "2024-01-01"))
        await conn.executemany(
            "INSERT OR IGNORE INTO credits(title_id, person_id, role, billing, source, as_of) "
            "VALUES (?,?,?,?,?,?)",
            rows,
        )


async def naive_deck(store: Store) -> None:
    """The peer: ten "who directed" questions with random wrong names, no checks at all."""
    rows = await store.fetchall(
        "SELECT c.title_id FROM credits c WHERE c.role = 'director' ORDER BY random() LIMIT 10"
    )
    for (title_id,) in rows:
        await store.fetchall(
            "SELECT p.name FROM credits c JOIN people p ON p.id = c.person_id "
            "WHERE c.role = 'director' AND c.title_id != ? ORDER BY random() LIMIT 3",
            (title_id,),
        )


async def measure(titles: int) -> dict[str, float | int]:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "bench.sqlite3")
        try:
            await fill(store, titles, rng)
            repo = TriviaRepository(store)
            start = time.perf_counter()
            await naive_deck(store)
            naive_ms = (time.perf_counter() - start) * 1000
            timings = []
            for _ in range(3):
                start = time.perf_counter()
                deck = await build_deck(
                    repo, guild=1, source="movies", count=10, mode="buttons", rng=rng,
                    this_year=2024,
                )  # fmt: skip
                timings.append((time.perf_counter() - start) * 1000)
                assert len(deck.questions) == 10
            return {
                "titles": titles,
                "credits": await store.fetchval("SELECT count(*) FROM credits"),
                "deck_ms_median": round(sorted(timings)[1], 1),
                "peer_naive_deck_ms": round(naive_ms, 1),
            }
        finally:
            await store.close()


def judge_rates() -> dict[str, float]:
    answers = ["Mission: Impossible – Dead Reckoning Part One", "Dead Reckoning"]
    guesses = ["mission impossible dead reckoning part 1", "dead reckonin", "part two", "x"] * 500
    start = time.perf_counter()
    for g in guesses:
        is_correct(g, answers)
    judge = len(guesses) / (time.perf_counter() - start)
    keys = {normalize_key(a) for a in answers}
    start = time.perf_counter()
    for g in guesses:
        _ = normalize_key(g) in keys
    plain = len(guesses) / (time.perf_counter() - start)
    return {"judge_guesses_per_s": round(judge), "baseline_key_equality_per_s": round(plain)}


async def main() -> None:
    results = [await measure(n) for n in (1_000, 50_000)]
    print(json.dumps({"deck": results, "judge": judge_rates()}, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
