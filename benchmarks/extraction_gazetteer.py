"""The catalog as the extractor's gazetteer, on a store the size of an IMDb import.

Prints JSON: for a store of --titles titles (default 1,000,000), the time and memory of
ingesting the seed article, whose titles are looked up in the store (the article's
capitalised spans, a few indexed queries) and turned into a PhraseMatcher of the hits
only. Beside it, the naive peer measured in the same run: one PhraseMatcher built from
every catalogued title, at --peer-titles titles (default 100,000; the peer grows linearly,
so the line gives its 1M figures by extrapolation, as building it at 1M needs gigabytes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
from pathlib import Path

from bot.catalog.normalize import normalize_key
from bot.db.store import Store
from bot.extraction import load_pipeline
from bot.news.article import read_article_file
from bot.news.ingest import ingest_article

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles" / "000_f6da5a4759fc8f00.txt"


def rss_mb() -> float:
    """Resident memory now (Linux), else the peak so far."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_titles(count: int) -> list[str]:
    words = [
        "Dead",
        "Night",
        "Last",
        "Red",
        "Blue",
        "Silent",
        "Iron",
        "House",
        "River",
        "Star",
        "Glass",
        "Storm",
    ]
    return [f"{words[i % 12]} {words[i // 12 % 12]} {i}" for i in range(count)]


async def fill(store: Store, count: int) -> None:
    async with store.transaction() as conn:
        await conn.executemany(
            "INSERT INTO titles(title, norm_title, source, as_of) VALUES (?, ?, 'bench', ?)",
            ((t, normalize_key(t), "2024-01-01") for t in synthetic_titles(count)),
        )
        # Some of the seed's titles are catalogued too, as after an IMDb import.
        for title in ("Mission: Impossible – Dead Reckoning Part One", "Top Gun: Maverick"):
            await conn.execute(
                "INSERT INTO titles(title, norm_title, source, as_of) VALUES (?, ?, 'imdb', ?)",
                (title, normalize_key(title), "2024-01-01"),
            )


async def measure_store(count: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "bench.sqlite3")
        try:
            start = time.perf_counter()
            await fill(store, count)
            filled = time.perf_counter() - start
            load_pipeline()
            before = rss_mb()
            start = time.perf_counter()
            result = await ingest_article(store, read_article_file(SEED), source="bench")
            seconds = time.perf_counter() - start
            return {
                "titles": count,
                "fill_seconds": round(filled, 1),
                "ingest_seconds": round(seconds, 3),
                "ingest_rss_growth_mb": round(rss_mb() - before, 1),
                "films": list(result.films),
                "credits": result.people,
            }
        finally:
            await store.close()


def measure_peer(count: int) -> dict[str, object]:
    from spacy.matcher import PhraseMatcher

    nlp = load_pipeline()
    before = rss_mb()
    start = time.perf_counter()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    titles = synthetic_titles(count)
    for chunk in range(0, count, 10_000):
        matcher.add("TITLE", list(nlp.tokenizer.pipe(titles[chunk : chunk + 10_000])))
    seconds = time.perf_counter() - start
    growth = rss_mb() - before
    return {
        "titles": count,
        "build_seconds": round(seconds, 1),
        "rss_growth_mb": round(growth, 1),
        "at_1m_titles_by_extrapolation": {
            "build_seconds": round(seconds * 1_000_000 / count),
            "rss_growth_mb": round(growth * 1_000_000 / count),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--titles", type=int, default=1_000_000)
    parser.add_argument("--peer-titles", type=int, default=100_000)
    args = parser.parse_args()
    ours = asyncio.run(measure_store(args.titles))
    peer = measure_peer(args.peer_titles)
    print(
        json.dumps(
            {
                "machine": "shared with other jobs; timings are indicative",
                "store_lookup_then_hit_matcher": ours,
                "peer_matcher_of_every_title": peer,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
