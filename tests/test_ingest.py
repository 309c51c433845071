"""Ingest is idempotent, atomic per article, and refuses bad files without side effects."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bot.catalog.repository import CatalogRepository
from bot.news.article import parse_article
from bot.news.ingest import ingest_article, seed_from_dir
from tests.conftest import FIXTURES, SEED_DIR
from tests.news_fixtures import fixture

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, db: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MARQUEE_DB": str(db), "MARQUEE_DATA_DIR": str(SEED_DIR)}
    env.pop("DISCORD_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


async def test_reingest_changes_nothing(store):
    await seed_from_dir(store, SEED_DIR)
    before = await store.table_counts()
    again = await seed_from_dir(store, SEED_DIR)
    assert [r.created for r in again] == [False]
    assert await store.table_counts() == before


async def test_same_url_is_one_article(store):
    a = parse_article("date 2024-03-01\nThe studio set a date for the sequel today, insiders say.")
    b = parse_article("date 2024-03-02\nThe studio set a date for the sequel, insiders said.")
    first = await ingest_article(store, a, source="feed", url="https://example.test/a")
    second = await ingest_article(store, b, source="feed", url="https://example.test/a")
    assert first.created and not second.created
    assert await store.fetchval("SELECT count(*) FROM articles") == 1


async def test_the_same_article_ingested_at_once_is_stored_once(store):
    """Two feeds carrying one story, polled at the same moment (by one process or two):
    both ingests succeed, one stores it (truly concurrent on PostgreSQL)."""
    article = parse_article(
        "date 2024-03-01\nThe studio set a date for the sequel today, insiders say."
    )
    results = await asyncio.gather(
        *(ingest_article(store, article, source=f"feed {i}") for i in range(8))
    )
    assert sorted(r.created for r in results) == [False] * 7 + [True]
    assert await store.fetchval("SELECT count(*) FROM articles") == 1


def test_cli_ingest_and_stats(tmp_path):
    db = tmp_path / "cli.sqlite3"
    extra = FIXTURES / "articles"
    files = sorted(str(p) for p in extra.glob("*.txt"))
    assert len(files) >= 3, "the extractor's fixture articles are missing"
    done = run_cli("ingest", *files, db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("ingested ") == len(files)
    again = run_cli("ingest", *files, db=db)
    assert again.returncode == 0 and again.stdout.count("already stored") == len(files)
    stats = run_cli("db", "stats", db=db)
    counts = dict(line.split() for line in stats.stdout.splitlines())
    assert int(counts["articles"]) == len(files) + 1  # plus the seed, ingested on first start
    assert int(counts["credits"]) > 0


def test_cli_bad_files_one_line_each_and_the_others_stored(tmp_path):
    db = tmp_path / "cli.sqlite3"
    assert run_cli("db", "migrate", db=db).returncode == 0
    assert run_cli("ingest", str(SEED_DIR / "articles" / "000_f6da5a4759fc8f00.txt"), db=db)
    before = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]

    good = tmp_path / "good.txt"
    good.write_text("date 2024-01-02\nA perfectly fine article about a film premiere tonight.\n")
    nodate = tmp_path / "nodate.txt"
    nodate.write_text("Just a body with no date line.\n")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.write(b"date 2024-01-01\n")
        fh.truncate(50 * 1024 * 1024)

    done = run_cli("ingest", str(good), str(empty), str(binary), str(huge), str(nodate), db=db)
    assert done.returncode == 1  # something was refused
    lines = [ln for ln in done.stderr.splitlines() if " INFO " not in ln]  # log lines aside
    assert len(lines) == 3, done.stderr  # one line per refused file
    for bad, line in zip((empty, binary, huge), lines, strict=True):
        assert line.startswith("refused ") and str(bad) in line
    assert "Traceback" not in done.stderr
    conn = sqlite3.connect(db)
    after = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert after == before + 2  # the good file and the undated one went in
    undated = conn.execute("SELECT published, undated FROM articles WHERE undated = 1").fetchall()
    assert len(undated) == 1 and undated[0][0] == dt.date.today().isoformat()


def test_cli_date_source_and_url_for_an_undated_file(tmp_path):
    db = tmp_path / "cli.sqlite3"
    article = tmp_path / "story.txt"
    article.write_text(
        "Paper Moons Gets a Date\n\nThe sequel Paper Moons will open in theaters on May 2."
        " Paper Moons stars Ana Ruiz.\n"
    )
    done = run_cli(
        "ingest", str(article), "--date", "2025-01-10", "--source", "Variety",
        "--url", "https://example.com/paper-moons", db=db,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    row = conn.execute(
        "SELECT published, undated, source, url, headline FROM articles WHERE source = 'Variety'"
    ).fetchone()
    assert row == ("2025-01-10", 0, "Variety", "https://example.com/paper-moons",
                   "Paper Moons Gets a Date")  # fmt: skip
    (date,) = conn.execute(
        "SELECT r.date FROM releases r JOIN titles t ON t.id = r.title_id"
        " WHERE t.title = 'Paper Moons'"
    ).fetchone()
    assert date == "2025-05-02"  # no year: the next May 2 after the article's date
    bad = run_cli("ingest", str(article), "--date", "10/01/2025", db=db)
    assert bad.returncode == 2 and "is not a date" in bad.stderr


def test_cli_bad_setting_exits_2(tmp_path):
    env = {**os.environ, "MARQUEE_DB": str(tmp_path / "x.db"), "MARQUEE_TIMEZONE": "Nowhere/City"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "stats"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == "marquee: bad setting MARQUEE_TIMEZONE: unknown time zone 'Nowhere/City'"
    )


def test_cli_backup_and_migrate(tmp_path):
    db = tmp_path / "cli.sqlite3"
    migrate = run_cli("db", "migrate", db=db)
    assert migrate.returncode == 0 and "schema at version" in migrate.stdout
    backup = tmp_path / "copy.sqlite3"
    assert run_cli("db", "backup", str(backup), db=db).returncode == 0
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT count(*) FROM articles").fetchone()[0] == 1  # the seed
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


KILL_SCRIPT = """
import asyncio, sys
from pathlib import Path
from bot.db.store import Store
from bot.news.article import read_article_file, ArticleText
from bot.news.ingest import ingest_article

async def main(db, files):
    store = await Store.open(db)
    articles = [read_article_file(f) for f in files]
    n = 0
    for day in range(1, 200):
        for a in articles:
            a2 = ArticleText(a.published.replace(day=1 + day % 28), a.body + f" Update {day}.")
            await ingest_article(store, a2, source="kill-test")
            n += 1
            print(n, flush=True)

asyncio.run(main(sys.argv[1], sys.argv[2:]))
"""


def test_killed_mid_ingest_leaves_every_article_whole(tmp_path):
    db = tmp_path / "kill.sqlite3"
    files = [str(SEED_DIR / "articles" / "000_f6da5a4759fc8f00.txt")]
    files += sorted(str(p) for p in (FIXTURES / "articles").glob("*.txt"))
    for stop_after in (1, 4, 9):
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_SCRIPT, str(db), *files],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        seen = 0
        deadline = time.monotonic() + 60
        while seen < stop_after and time.monotonic() < deadline:
            if proc.stdout.readline():
                seen += 1
        time.sleep(0.01 * stop_after)  # land somewhere inside the next article
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert seen == stop_after

        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            # every credit belongs to a stored article, and every stored article that names
            # people has its credits and mentions: nothing half-written
            orphans = conn.execute(
                "SELECT count(*) FROM credits WHERE source LIKE 'article:%' AND "
                "substr(source, 9) NOT IN (SELECT id FROM articles)"
            ).fetchone()[0]
            assert orphans == 0
            half = conn.execute(
                "SELECT count(*) FROM articles a WHERE EXISTS (SELECT 1 FROM article_mentions m"
                " WHERE m.article_id = a.id AND m.entity = 'person') AND NOT EXISTS (SELECT 1"
                " FROM credits c WHERE c.source = 'article:' || a.id)"
            ).fetchone()[0]
            assert half == 0
            assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] >= stop_after
        finally:
            conn.close()


async def test_season_release_is_stored_with_season_precision_and_its_note(store):
    published, body = fixture("111_sequel_new_director.txt")
    article = parse_article(f"date {published.isoformat()}\n{body}")
    result = await ingest_article(store, article, source="111")
    assert result.films == ("Ember Falls 2",)
    catalog = CatalogRepository(store)
    title_id = await catalog.find_title_id("Ember Falls 2")
    (release,) = await catalog.releases_for_title(title_id)
    # No invented month: a season, with what the article said kept in the note.
    assert (release.date, release.precision, release.note) == (
        "2026-01-01",
        "season",
        "summer 2026",
    )
    assert release.evidence.startswith("Lionsgate has set")
