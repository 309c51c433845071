"""Lookup latency on synthetic catalogs, beside a naive LIKE scan on the same data.

    python benchmarks/lookup.py                      # 10k, 100k and 1M titles
    python benchmarks/lookup.py --sizes 10000 100000 --queries 300
    python benchmarks/lookup.py --backend postgresql --pg postgresql://u:pw@host/db

With `--backend postgresql` every catalog is also moved into a fresh PostgreSQL database
(created beside the one --pg names, or MARQUEE_TEST_PG) by `marquee db copy`'s code, its
search index rebuilt there, and the same queries are timed on both backends in one run.

Each size builds a fresh SQLite file (titles with ~5 credits each, people, aliases) the way
a bulk importer would (`bulk_search_update`), then times through the real async Store:
- autocomplete: `title_choices` on what people type (prefixes while typing, words from the
  middle of a title, a typo, accents/punctuation dropped);
- resolve: `resolve_title` on typed full titles, some with a typo (what /movie info does);
- baseline: `SELECT ... WHERE title LIKE '%q%' LIMIT 25` for the same autocomplete queries,
  and a plain FTS5 prefix query for reference.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.catalog.lookups import title_details
from bot.catalog.normalize import normalize_key
from bot.catalog.search import search_rules
from bot.db.sqlite_search import bulk_search_update
from bot.db.store import Store
from bot.errors import UserFacingError
from bot.ui.autocomplete import resolve_title, title_choices

_SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "na",
    "te",
    "lo",
    "ser",
    "van",
    "dor",
    "el",
    "an",
    "ar",
    "is",
    "on",
    "ra",
    "li",
    "ma",
    "to",
    "ne",
    "de",
    "sa",
    "ri",
    "ve",
    "ba",
    "co",
    "la",
    "mer",
    "tin",
    "gar",
    "bel",
    "cas",
    "fen",
    "hol",
    "jor",
    "kel",
    "lin",
    "mor",
    "nor",
    "pat",
    "quin",
    "ros",
    "sil",
    "tor",
    "ul",
    "wes",
    "yor",
    "zan",
]
_SMALL = ["the", "of", "and", "a", "in", "to", "for", "on", "at", "with", "from"]
_ACCENTED = ["é", "è", "á", "ó", "ü", "ñ"]


def _word(rng: random.Random) -> str:
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
    if rng.random() < 0.03:
        i = rng.randrange(len(word))
        word = word[:i] + rng.choice(_ACCENTED) + word[i + 1 :]
    return word


class Corpus:
    """Zipf-ish word and name pools: realistic lengths and plenty of shared words."""

    def __init__(self, rng: random.Random, n_titles: int) -> None:
        self.rng = rng
        self.words = [_word(rng) for _ in range(max(2000, n_titles // 20))]
        self.first = [_word(rng).capitalize() for _ in range(3000)]
        self.last = [_word(rng).capitalize() for _ in range(max(3000, n_titles // 50))]

    def pick(self, pool: list[str]) -> str:
        # Log-uniform index, about Zipf's law: the commonest word is in ~8% of titles.
        return pool[int(len(pool) ** self.rng.random()) - 1]

    def title(self) -> str:
        rng = self.rng
        parts = []
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5))):
            if parts and rng.random() < 0.25:
                parts.append(rng.choice(_SMALL))
            parts.append(self.pick(self.words).capitalize())
        text = " ".join(parts)
        roll = rng.random()
        if roll < 0.08:
            text += ": " + self.pick(self.words).capitalize() + " " + self.pick(self.words)
        elif roll < 0.12:
            text += " Part " + rng.choice(("One", "Two", "II", "3"))
        elif roll < 0.15:
            text = "The " + text
        return text

    def name(self) -> str:
        return f"{self.pick(self.first)} {self.pick(self.last)}"


def build(path: str, n_titles: int, seed: int = 7) -> dict[str, float]:
    """Create the catalog with plain sqlite3, as the IMDb importer does."""
    rng = random.Random(seed)
    corpus = Corpus(rng, n_titles)
    asyncio.run(_migrate(path))
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    with bulk_search_update(conn, search_rules()):
        titles = []
        for i in range(1, n_titles + 1):
            title = corpus.title()
            votes = int(rng.paretovariate(0.8)) if rng.random() < 0.7 else None
            titles.append((i, title, normalize_key(title), rng.randint(1920, 2026), votes))
        conn.executemany(
            "INSERT INTO titles(id, title, norm_title, year, votes, source, as_of) "
            "VALUES (?, ?, ?, ?, ?, 'imdb', '2025-01-01')",
            titles,
        )
        n_people = max(1000, n_titles * 6 // 10)
        conn.executemany(
            "INSERT INTO people(id, name, norm_name, source, as_of) "
            "VALUES (?, ?, ?, 'imdb', '2025-01-01')",
            ((i, name, normalize_key(name)) for i in range(1, n_people + 1)
             for name in [corpus.name()]),
        )  # fmt: skip

        def credits():
            for title_id in range(1, n_titles + 1):
                cast = {
                    int(n_people ** rng.random())
                    if rng.random() < 0.3
                    else rng.randint(1, n_people)
                    for _ in range(5)
                }
                for billing, person_id in enumerate(sorted(cast), 1):
                    role = "director" if billing == 1 else "actor"
                    yield (title_id, person_id, role, billing)

        conn.executemany(
            "INSERT OR IGNORE INTO credits(title_id, person_id, role, billing, source, as_of) "
            "VALUES (?, ?, ?, ?, 'imdb', '2025-01-01')",
            credits(),
        )
        aliases = [
            ("title", i, alias, normalize_key(alias))
            for i in rng.sample(range(1, n_titles + 1), n_titles // 10)
            for alias in [corpus.title()]
        ]
        conn.executemany(
            "INSERT OR IGNORE INTO aliases(entity, entity_id, alias, norm, source, as_of) "
            "VALUES (?, ?, ?, ?, 'imdb', '2025-01-01')",
            aliases,
        )
        loaded = time.perf_counter()
    conn.execute("COMMIT")
    conn.close()
    done = time.perf_counter()
    return {"load_s": round(loaded - started, 1), "search_index_s": round(done - loaded, 1)}


async def _migrate(path: str) -> None:
    store = await Store.open(path)
    await store.close()


def _typo(rng: random.Random, text: str) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    words[i] = rng.choice((w[:j] + w[j + 1 :], w[:j] + w[j] + w[j:], w[:j] + "x" + w[j + 1 :]))
    return " ".join(words)


def queries(path: str, count: int, seed: int = 11) -> dict[str, list[str]]:
    """What people type, drawn from the catalog itself."""
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    total = conn.execute("SELECT max(id) FROM titles").fetchone()[0]
    titles = [
        conn.execute("SELECT title FROM titles WHERE id = ?", (rng.randint(1, total),)).fetchone()[
            0
        ]
        for _ in range(count)
    ]
    conn.close()
    typing, middle, typos, full = [], [], [], []
    for title in titles:
        plain = normalize_key(title)
        typing.append(plain[: rng.randint(2, max(2, len(plain)))])
        words = plain.split()
        start = rng.randrange(len(words))
        chunk = " ".join(words[start : start + 2])
        middle.append(chunk[: max(2, len(chunk) - rng.randint(0, 3))])
        typos.append(_typo(rng, plain))
        full.append(rng.choice((title, plain, _typo(rng, title))))
    auto = typing + middle + typos
    rng.shuffle(auto)
    return {"autocomplete": auto[:count], "resolve": full}


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(p99 * 1000, 3),
        "n": len(ordered),
    }


async def to_postgres(path: str, admin_url: str, size: int) -> tuple[str, dict[str, float]]:
    """A fresh PostgreSQL database holding the SQLite catalog (db copy + reindex)."""
    import asyncpg

    from bot.catalog.search import rebuild_search_index
    from bot.db.copy import copy_store

    name = f"marquee_bench_lookup_{size}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = urlunsplit(urlsplit(admin_url)._replace(path="/" + name))
    source = await Store.open(path)
    target = await Store.open(url)
    try:
        started = time.perf_counter()
        report = await copy_store(source, target)
        if report.problems:
            raise SystemExit("\n".join(report.problems))
        copied = time.perf_counter()
        await rebuild_search_index(target)
        await target.execute("ANALYZE")
        done = time.perf_counter()
    finally:
        await source.close()
        await target.close()
    return url, {"copy_s": round(copied - started, 1), "search_index_s": round(done - copied, 1)}


async def drop_database(admin_url: str, url: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path[1:]}" WITH (FORCE)')
    finally:
        await admin.close()


async def measure(path: str, qs: dict[str, list[str]], baseline_queries: int) -> dict:
    store = await Store.open(path)
    postgres = store.dialect == "postgresql"
    try:
        found = 0
        auto: list[float] = []
        for q in qs["autocomplete"]:
            t0 = time.perf_counter()
            choices = await title_choices(store, q)
            auto.append(time.perf_counter() - t0)
            found += bool(choices)
        resolved = 0
        res: list[float] = []
        for q in qs["resolve"]:
            t0 = time.perf_counter()
            try:
                await resolve_title(store, q)
                resolved += 1
            except UserFacingError:  # a miss is a result too; counted below
                pass
            res.append(time.perf_counter() - t0)
        whole: list[float] = []  # the data behind /movie info: resolve + every detail
        for q in qs["resolve"][:200]:
            t0 = time.perf_counter()
            try:
                film = await resolve_title(store, q)
            except UserFacingError:
                continue
            await title_details(store, film.id)
            whole.append(time.perf_counter() - t0)
        like: list[float] = []
        fts: list[float] = []
        for q in qs["autocomplete"][:baseline_queries]:
            t0 = time.perf_counter()
            await store.fetchall(
                "SELECT id, title, year FROM titles WHERE title LIKE ? LIMIT 25", (f"%{q}%",)
            )
            like.append(time.perf_counter() - t0)
            words = normalize_key(q).split()
            if words:
                t0 = time.perf_counter()
                if postgres:  # the same all-words-with-prefix query on tsvector
                    await store.fetchall(
                        "SELECT id FROM search_names WHERE entity = 'title'"
                        " AND words @@ ?::tsquery LIMIT 25",
                        (" & ".join(f"'{w}'" for w in words) + ":*",),
                    )
                else:
                    await store.fetchall(
                        "SELECT rowid FROM search_title_fts WHERE search_title_fts MATCH ?"
                        " LIMIT 25",
                        (" ".join(f'"{w}"' for w in words) + "*",),
                    )
                fts.append(time.perf_counter() - t0)
        return {
            "autocomplete": {**_stats(auto), "with_results": found},
            "resolve_movie_info": {**_stats(res), "resolved": resolved},
            "movie_info_with_details": _stats(whole),
            "baseline_like_scan": _stats(like),
            "plain_tsquery_prefix" if postgres else "plain_fts5_prefix": _stats(fts),
        }
    finally:
        await store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--baseline-queries", type=int, default=100)
    parser.add_argument("--keep", metavar="DIR", help="keep the databases in DIR")
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql"), default="sqlite",
        help="postgresql: time PostgreSQL beside SQLite on the same catalogs",
    )  # fmt: skip
    parser.add_argument(
        "--pg", metavar="URL", default=os.environ.get("MARQUEE_TEST_PG"),
        help="a PostgreSQL role that may create databases (default: $MARQUEE_TEST_PG)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.backend == "postgresql" and not args.pg:
        parser.error("--backend postgresql needs --pg URL (or MARQUEE_TEST_PG)")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        os.makedirs(folder, exist_ok=True)
        for size in args.sizes:
            path = os.path.join(folder, f"lookup-{size}.db")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
            timings = build(path, size)
            qs = queries(path, args.queries)
            figures = asyncio.run(measure(path, qs, args.baseline_queries))
            row = {"titles": size, "build": timings, **figures,
                   "load_average_1m": round(os.getloadavg()[0], 2)}  # fmt: skip
            if args.backend == "postgresql":
                url, pg_build = asyncio.run(to_postgres(path, args.pg, size))
                try:
                    pg_figures = asyncio.run(measure(url, qs, args.baseline_queries))
                finally:
                    if not args.keep:
                        asyncio.run(drop_database(args.pg, url))
                row = {"titles": size, "sqlite": row, "postgresql": {
                    "build": pg_build, **pg_figures,
                    "load_average_1m": round(os.getloadavg()[0], 2)}}  # fmt: skip
            print(json.dumps(row), file=sys.stderr, flush=True)
            results.append(row)
    print(json.dumps({"benchmark": "lookup", "sqlite": sqlite3.sqlite_version, "runs": results},
                     indent=2))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
