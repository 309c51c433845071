"""Benchmark: `marquee import-imdb` against imdb-sqlite and the sqlite3 shell's `.import`.

Generates synthetic datasets in IMDb's exact format (gzipped TSV, `\\N` nulls, JSON
character lists, stray quote characters) at a chosen scale, then imports the same
files three ways, each in its own child process so its peak memory is its own:

  marquee      `marquee import-imdb DIR --types all` (every title type, so all three
               load the same rows; includes credits, linking and the search index)
  imdb-sqlite  the PyPI package: `pip install -e '.[bench]'` (or `pip install imdb-sqlite`)
  shell        the `sqlite3` shell's `.import` into imdb-sqlite's tables and indexes:
               the floor, no Python at all (`apt-get install sqlite3`)

and prints one JSON object: wall time, rows/s, peak RSS, database size, and lookup
p50/p99 (title by name, then its cast in billing order) on each result. A peer that
is not installed is reported as skipped.

    python benchmarks/imdb_import.py                 # 1M titles, 2M people, 5M principals
    python benchmarks/imdb_import.py --scale 0.05    # the same shape, 20x smaller
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TITLES, PEOPLE, PRINCIPALS = 1_000_000, 2_000_000, 5_000_000
LOOKUPS = 2000
N = "\\N"
TYPES = [("movie", 55), ("tvMovie", 10), ("short", 10), ("tvEpisode", 12), ("tvSeries", 5)]
TYPES += [("video", 6), ("tvSpecial", 2)]
CATEGORIES = [("actor", 34), ("actress", 26), ("director", 8), ("writer", 10), ("producer", 8)]
CATEGORIES += [("composer", 5), ("self", 5), ("editor", 4)]
REGIONS = ["US", "GB", "FR", "DE", "JP", "ES", "IT", "BR", "IN", "KR"]
GENRES = ["Action", "Adventure", "Comedy", "Drama", "Horror", "Sci-Fi", "Romance", "Thriller"]
SYLLABLES = ["ka", "lo", "mi", "ra", "ne", "to", "su", "vi", "an", "el", "or", "is", "um"]
SYLLABLES += ["be", "da", "fe", "go", "hu", "ja", "ly", "mo", "no", "pe", "qu", "re", "sa"]
ACCENTED = ["Amélie", "Señor", "Øresund", "Bär", "Façade", "Niño", "Café", "Réveil"]
HEADERS = {
    "title.basics": "tconst titleType primaryTitle originalTitle isAdult startYear endYear "
    "runtimeMinutes genres",
    "title.akas": "titleId ordering title region language types attributes isOriginalTitle",
    "title.ratings": "tconst averageRating numVotes",
    "title.principals": "tconst ordering nconst category job characters",
    "title.crew": "tconst directors writers",
    "name.basics": "nconst primaryName birthYear deathYear primaryProfession knownForTitles",
    "title.episode": "tconst parentTconst seasonNumber episodeNumber",
}


def _weighted(rng: random.Random, table: list[tuple[str, int]], k: int) -> list[str]:
    names, weights = zip(*table, strict=True)
    return rng.choices(names, weights, k=k)


class _Words:
    def __init__(self, rng: random.Random) -> None:
        words = {
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            for _ in range(6000)
        }
        self.words = sorted(words) + ACCENTED
        self.rng = rng

    def title(self) -> str:
        rng = self.rng
        words = [rng.choice(self.words) for _ in range(rng.randint(1, 4))]
        text = " ".join(words)
        roll = rng.random()
        if roll < 0.05:
            text = f"{text}: {rng.choice(self.words)} Part {rng.randint(2, 9)}"
        elif roll < 0.07:
            text = f"{text} & {rng.choice(self.words)}"
        elif roll < 0.075:
            text = f'"{text}'  # IMDb's stray quote: opens and never closes
        return text

    def name(self) -> str:
        rng = self.rng
        return f"{rng.choice(self.words)} {rng.choice(self.words)}"


def generate(out: Path, scale: float, seed: int = 7) -> dict[str, int]:
    """Write the seven files into `out` (kept between runs); returns data rows per file."""
    marker = out / "rows.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        if info.get("scale") == scale and info.get("seed") == seed:
            return info["rows"]
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    words = _Words(rng)
    n_titles = max(50, int(TITLES * scale))
    n_people = max(100, int(PEOPLE * scale))
    n_principals = max(250, int(PRINCIPALS * scale))
    rows = dict.fromkeys(HEADERS, 0)
    with contextlib.ExitStack() as stack:
        handles = {
            name: stack.enter_context(
                gzip.open(out / f"{name}.tsv.gz", "wt", encoding="utf-8", compresslevel=1)
            )
            for name in HEADERS
        }
        for name, header in HEADERS.items():
            handles[name].write(header.replace(" ", "\t") + "\n")

        def emit(name: str, *fields: object) -> None:
            handles[name].write("\t".join(map(str, fields)) + "\n")
            rows[name] += 1

        per_title = n_principals / n_titles
        principals_left = n_principals
        samples: list[str] = []
        kinds = _weighted(rng, TYPES, n_titles)
        for i in range(n_titles):
            tconst = f"tt{i * 3 + 1:07d}"
            title = words.title()
            original = title if rng.random() < 0.8 else words.title()
            year = rng.randint(1920, 2026) if rng.random() < 0.97 else N
            runtime = rng.randint(5, 200) if rng.random() < 0.8 else N
            genres = ",".join(rng.sample(GENRES, rng.randint(1, 3)))
            emit("title.basics", tconst, kinds[i], title, original, 0, year, N, runtime, genres)
            if kinds[i] == "tvEpisode":
                emit("title.episode", tconst, "tt0000001", rng.randint(1, 9), rng.randint(1, 20))
            if len(samples) < LOOKUPS and rng.random() < LOOKUPS * 3 / n_titles:
                samples.append(title)
            for ordering in range(1, rng.randint(0, 2) + 1):
                region = rng.choice(REGIONS)
                aka = words.title() if rng.random() < 0.5 else title
                emit("title.akas", tconst, ordering, aka, region, N, "imdbDisplay", N, 0)
            if rng.random() < 0.7:
                rating = f"{rng.uniform(1, 10):.1f}"
                emit("title.ratings", tconst, rating, rng.randint(5, 3_000_000))
            # principals: people drawn with a skew, so some are in many films
            count = min(principals_left, max(0, round(rng.gauss(per_title, 2))))
            if i == n_titles - 1:
                count = principals_left
            principals_left -= count
            crew = {"director": [], "writer": []}
            for ordering, category in enumerate(_weighted(rng, CATEGORIES, count), start=1):
                person = f"nm{int(n_people * rng.random() ** 1.5) + 1:07d}"
                if category in ("actor", "actress", "self"):
                    character = words.name()
                    if rng.random() < 0.01:
                        character = f'The \\"{character}\\"'
                    characters = f'["{character}"]'
                else:
                    characters = N
                    if category in crew:
                        crew[category].append(person)
                emit("title.principals", tconst, ordering, person, category, N, characters)
            emit(
                "title.crew",
                tconst,
                ",".join(crew["director"]) or N,
                ",".join(crew["writer"]) or N,
            )
        for j in range(1, n_people + 1):
            born = rng.randint(1900, 2000) if rng.random() < 0.6 else N
            died = rng.randint(born + 20, 2026) if born != N and rng.random() < 0.2 else N
            emit("name.basics", f"nm{j:07d}", words.name(), born, died, "actor", N)
    (out / "lookups.json").write_text(json.dumps(samples))
    marker.write_text(json.dumps({"scale": scale, "seed": seed, "rows": rows}))
    return rows


def _measure(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, object]:
    """Run `cmd`, returning wall seconds, peak RSS (MiB) and exit status."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    result: dict[str, object] = {
        "wall_s": round(wall, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "exit": proc.returncode,
    }
    if env is not None:
        result["stderr_tail"] = output.decode("utf-8", "replace")[-1500:]
    if proc.returncode:
        result["output_tail"] = output.decode("utf-8", "replace")[-800:]
    return result


def _remove_db(path: Path) -> None:
    """Every run starts from no database (a second round must not re-import over one)."""
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()


def _db_size(path: Path) -> float:
    total = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    return round(total / 1_048_576, 1)


def _percentiles(samples: list[float]) -> dict[str, float]:
    samples.sort()
    cut = statistics.quantiles(samples, n=100)
    return {"lookup_p50_ms": round(cut[49] * 1000, 3), "lookup_p99_ms": round(cut[98] * 1000, 3)}


def _peer_lookups(db: Path, names: list[str], title_sql: str, cast_sql: str) -> dict[str, float]:
    conn = sqlite3.connect(db)
    timings = []
    found = 0
    for name in names:
        started = time.perf_counter()
        row = conn.execute(title_sql, (name,)).fetchone()
        if row:
            found += 1
            conn.execute(cast_sql, (row[0],)).fetchall()
        timings.append(time.perf_counter() - started)
    conn.close()
    return {**_percentiles(timings), "lookups_found": found}


async def _marquee_lookups_async(db: Path, names: list[str]) -> dict[str, float]:
    """The bot's own paths: exact lookup then cast, and (when present) forgiving search."""
    from bot.catalog.repository import CatalogRepository
    from bot.db.store import Store

    try:
        from bot.catalog.search import search
    except ImportError:
        search = None
    store = await Store.open(db)
    catalog = CatalogRepository(store)
    result: dict[str, float] = {}
    try:
        timings = []
        found = 0
        for name in names:
            started = time.perf_counter()
            title_id = await catalog.find_title_id(name)
            if title_id is not None:
                found += 1
                await catalog.credits_for_title(title_id)
            timings.append(time.perf_counter() - started)
        result.update(_percentiles(timings))
        result["lookups_found"] = found
        if search is not None:
            timings = []
            found = 0
            for name in names:
                query = name.lower().replace(":", "")
                started = time.perf_counter()
                hits = await search(store, query, entity="title", limit=10)
                if hits:
                    found += 1
                    await catalog.credits_for_title(hits[0].entity_id)
                timings.append(time.perf_counter() - started)
            cut = _percentiles(timings)
            result["search_p50_ms"] = cut["lookup_p50_ms"]
            result["search_p99_ms"] = cut["lookup_p99_ms"]
            result["search_found"] = found
        else:
            result["search"] = "bot.catalog.search not in this build"
    finally:
        await store.close()
    return result


def bench_marquee(
    data: Path, work: Path, names: list[str], rows: int, types: str = "all"
) -> dict[str, object]:
    db = work / f"marquee-{types.replace(',', '-')}.sqlite3"
    _remove_db(db)
    (work / "no-seed").mkdir(exist_ok=True)  # no seed articles: IMDb data only
    env = {**os.environ, "MARQUEE_DB": str(db), "MARQUEE_DATA_DIR": str(work / "no-seed")}
    env.pop("DISCORD_TOKEN", None)
    cmd = [sys.executable, "-m", "bot.cli", "import-imdb", str(data), "--types", types]
    result = _measure(cmd, env)
    if result["exit"] == 0:
        result["rows_per_s"] = round(rows / float(result["wall_s"]))  # type: ignore[arg-type]
        result["db_mib"] = _db_size(db)
        result.update(asyncio.run(_marquee_lookups_async(db, names)))
        conn = sqlite3.connect(db)
        meta = conn.execute("SELECT value FROM meta WHERE key = 'imdb_import'").fetchone()
        conn.close()
        result["imported"] = imported = json.loads(meta[0]) if meta else {}
        # The helper process (imdb_stage.py) runs beside the importer: count both peaks
        # (an upper bound: they need not coincide).
        helper = float(imported.get("helper_peak_rss_mib", 0.0))
        result["helper_peak_rss_mib"] = helper
        result["peak_rss_with_helper_mib"] = round(float(result["peak_rss_mib"]) + helper, 1)  # type: ignore[arg-type]
    return result


def bench_marquee_postgresql(
    data: Path, work: Path, names: list[str], rows: int, url: str
) -> dict[str, object]:
    """The same import into a fresh PostgreSQL database (COPY through CatalogLoad)."""
    from urllib.parse import urlsplit, urlunsplit

    import asyncpg

    database = f"marquee_imdb_bench_{os.getpid()}"
    target = urlunsplit(urlsplit(url)._replace(path="/" + database))

    async def admin(statement: str) -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{database}"'))
    asyncio.run(admin(f'CREATE DATABASE "{database}"'))
    try:
        (work / "no-seed").mkdir(exist_ok=True)
        env = {**os.environ, "MARQUEE_DB": target, "MARQUEE_DATA_DIR": str(work / "no-seed")}
        env.pop("DISCORD_TOKEN", None)
        cmd = [sys.executable, "-m", "bot.cli", "import-imdb", str(data), "--types", "all"]
        result = _measure(cmd, env)
        if result["exit"] == 0:
            result["rows_per_s"] = round(rows / float(result["wall_s"]))  # type: ignore[arg-type]
            result.update(asyncio.run(_marquee_lookups_async(target, names)))  # type: ignore[arg-type]
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    return result


def bench_imdb_sqlite(data: Path, work: Path, names: list[str], rows: int) -> dict[str, object]:
    try:
        import imdb_sqlite  # noqa: F401
    except ImportError:
        return {"skipped": "imdb-sqlite is not installed: pip install imdb-sqlite"}
    db = work / "imdb-sqlite.db"
    _remove_db(db)
    cmd = [sys.executable, "-m", "imdb_sqlite", "--db", str(db), "--cache-dir", str(data)]
    cmd += ["--only", "people,titles,akas,crew,ratings"]
    result = _measure(cmd)
    return _finish_peer(result, db, rows, names)


def _finish_peer(
    result: dict[str, object], db: Path, rows: int, names: list[str]
) -> dict[str, object]:
    """Rate, size and lookup latency of a peer's database; both peers share one schema."""
    if result["exit"] == 0:
        result["rows_per_s"] = round(rows / float(result["wall_s"]))  # type: ignore[arg-type]
        result["db_mib"] = _db_size(db)
        result.update(
            _peer_lookups(
                db,
                names,
                "SELECT title_id FROM titles WHERE primary_title = ? LIMIT 1",
                "SELECT p.name, c.category, c.characters FROM crew c"
                " JOIN people p ON p.person_id = c.person_id"
                " WHERE c.title_id = ? ORDER BY c.ordering",
            )
        )
    return result


SHELL_SCHEMA = """
CREATE TABLE people (person_id VARCHAR PRIMARY KEY, name VARCHAR, born INTEGER, died INTEGER,
  primary_profession VARCHAR, known_for VARCHAR);
CREATE TABLE titles (title_id VARCHAR PRIMARY KEY, type VARCHAR, primary_title VARCHAR,
  original_title VARCHAR, is_adult INTEGER, premiered INTEGER, ended INTEGER,
  runtime_minutes INTEGER, genres VARCHAR);
CREATE TABLE akas (title_id VARCHAR, ordering INTEGER, title VARCHAR, region VARCHAR,
  language VARCHAR, types VARCHAR, attributes VARCHAR, is_original_title INTEGER);
CREATE TABLE crew (title_id VARCHAR, ordering INTEGER, person_id VARCHAR, category VARCHAR,
  job VARCHAR, characters VARCHAR);
CREATE TABLE ratings (title_id VARCHAR PRIMARY KEY, rating REAL, votes INTEGER);
"""
SHELL_INDEXES = """
CREATE INDEX ix_people_name ON people (name);
CREATE INDEX ix_titles_type ON titles (type);
CREATE INDEX ix_titles_primary_title ON titles (primary_title);
CREATE INDEX ix_titles_original_title ON titles (original_title);
CREATE INDEX ix_akas_title_id ON akas (title_id);
CREATE INDEX ix_akas_title ON akas (title);
CREATE INDEX ix_crew_title_id ON crew (title_id);
CREATE INDEX ix_crew_person_id ON crew (person_id);
CREATE INDEX ix_crew_category ON crew (category);
ANALYZE;
"""


def bench_shell(data: Path, work: Path, names: list[str], rows: int) -> dict[str, object]:
    shell = shutil.which("sqlite3")
    if shell is None:
        return {"skipped": "the sqlite3 shell is not installed: apt-get install sqlite3"}
    db = work / "shell.db"
    _remove_db(db)
    script = work / "import.sql"
    lines = [SHELL_SCHEMA, ".mode ascii", '.separator "\\t" "\\n"']
    for table, name in (
        ("people", "name.basics"),
        ("titles", "title.basics"),
        ("akas", "title.akas"),
        ("crew", "title.principals"),
        ("ratings", "title.ratings"),
    ):
        lines.append(f"BEGIN;\n.import --skip 1 '|gzip -dc {data / name}.tsv.gz' {table}\nCOMMIT;")
    lines.append(SHELL_INDEXES)
    script.write_text("\n".join(lines))
    result = _measure([shell, "-bail", str(db), f".read {script}"])
    return _finish_peer(result, db, rows, names)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1M titles (default)")
    parser.add_argument("--data", type=Path, help="dataset directory (kept; default: temp)")
    parser.add_argument("--work", type=Path, help="where the databases go (default: temp)")
    parser.add_argument(
        "--peers", default="marquee,imdb-sqlite,shell", help="comma-separated subset to run"
    )
    parser.add_argument(
        "--films-too",
        action="store_true",
        help="also time marquee's default selection (movie,tvMovie) on the same files",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of every tool (medians are reported)"
    )
    parser.add_argument(
        "--pg", metavar="URL",
        help="also import into PostgreSQL (a role that may CREATE DATABASE; a fresh "
        "database is made and dropped)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    tmp = Path(tempfile.mkdtemp(prefix="imdb-bench-"))
    data = args.data or tmp / "data"
    work = args.work or tmp / "work"
    work.mkdir(parents=True, exist_ok=True)
    for old in work.glob("*.db*"):
        old.unlink()
    for old in work.glob("marquee*.sqlite3*"):
        old.unlink()

    started = time.perf_counter()
    rows = generate(data, args.scale)
    generated = time.perf_counter() - started
    names = json.loads((data / "lookups.json").read_text())
    peer_rows = sum(rows[n] for n in ("name.basics", "title.basics", "title.akas"))
    peer_rows += rows["title.principals"] + rows["title.ratings"]
    marquee_rows = peer_rows + rows["title.crew"]

    report: dict[str, object] = {
        "benchmark": "imdb_import",
        "scale": args.scale,
        "rows": rows,
        "generate_s": round(generated, 1),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
    }
    wanted = set(args.peers.split(","))
    runs: dict[str, list[dict[str, object]]] = {}
    peers: list[tuple[str, Callable[[], dict[str, object]]]] = []
    if "marquee" in wanted:
        peers.append(("marquee", lambda: bench_marquee(data, work, names, marquee_rows)))
        if args.films_too:
            peers.append(
                (
                    "marquee_films_only",
                    lambda: bench_marquee(data, work, names, marquee_rows, types="movie,tvMovie"),
                )
            )
    if args.pg:
        peers.append(
            (
                "marquee_postgresql",
                lambda: bench_marquee_postgresql(data, work, names, marquee_rows, args.pg),
            )
        )
    if "imdb-sqlite" in wanted:
        peers.append(("imdb_sqlite", lambda: bench_imdb_sqlite(data, work, names, peer_rows)))
    if "shell" in wanted:
        peers.append(("sqlite3_shell", lambda: bench_shell(data, work, names, peer_rows)))
    # Rounds interleave the tools, so a noisy stretch of the machine hits them alike; each
    # tool's median run is reported, with every run's wall time beside it.
    for _round in range(args.repeat):
        for key, run in peers:
            runs.setdefault(key, []).append(run())
    for key, results in runs.items():
        timed = [r for r in results if r.get("exit") == 0]
        if not timed:
            report[key] = results[0]
            continue
        timed.sort(key=lambda r: float(r["wall_s"]))  # type: ignore[arg-type]
        median = dict(timed[(len(timed) - 1) // 2])
        if len(results) > 1:
            median["wall_s_runs"] = [r.get("wall_s") for r in results]
        report[key] = median
    marquee, shell = report.get("marquee"), report.get("sqlite3_shell")
    if isinstance(marquee, dict) and isinstance(shell, dict) and "db_mib" in shell:
        report["marquee_vs_shell"] = round(float(marquee["wall_s"]) / float(shell["wall_s"]), 2)
    print(json.dumps(report, indent=2))
    if not args.data or not args.work:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
