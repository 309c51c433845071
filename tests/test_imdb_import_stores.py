"""`import-imdb` on every store backend: the same catalog, all or nothing, repeatable.

The importer talks to the backend's CatalogLoad (executemany on SQLite, COPY on
PostgreSQL); these tests run through the Store on each backend under test and compare
with a SQLite import of the same files.
"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.catalog.imdb import import_imdb
from bot.catalog.imdb_progress import Progress
from bot.catalog.models import Provenance
from bot.catalog.repository import CatalogRepository
from bot.catalog.search import search
from bot.db.store import Store
from bot.errors import UserFacingError
from bot.news.ingest import seed_from_dir
from tests.conftest import SEED_DIR
from tests.test_imdb_import import (
    IMDB,
    MATRIX,
    RELOADED,
    ROOT,
    SEED_FILM,
    assert_stopped_by,
    dataset,
)
from tests.test_ingest import run_cli

CATALOG = {
    "titles": "SELECT id, imdb_id, title, original_title, year, kind, runtime_minutes, genres,"
    " rating, votes, source FROM titles",
    "people": "SELECT id, imdb_id, name, birth_year, death_year, professions, source FROM people",
    "credits": "SELECT title_id, person_id, role, character, billing, source FROM credits",
    "aliases": "SELECT entity, entity_id, alias, norm, region, source FROM aliases",
}


async def catalog(store: Store) -> dict[str, list[tuple]]:
    return {
        table: sorted((tuple(r) for r in await store.fetchall(sql)), key=repr)
        for table, sql in CATALOG.items()
    }


async def imported(store: Store, directory: Path, **kwargs):
    """The import, in a thread: it is synchronous and this test's loop serves the store."""
    return await asyncio.to_thread(
        import_imdb, store.path, directory, progress=Progress(io.StringIO(), tty=False), **kwargs
    )


async def test_same_catalog_on_every_backend_with_seed_rows_linked(store, tmp_path):
    data = dataset(tmp_path)
    await seed_from_dir(store, SEED_DIR)
    report = await imported(store, data)
    assert report.linked_titles == 1 and report.titles == 7

    reference = await Store.open(tmp_path / "reference.sqlite3")
    try:
        await seed_from_dir(reference, SEED_DIR)
        await imported(reference, data)
        assert await catalog(store) == await catalog(reference)
    finally:
        await reference.close()

    repo = CatalogRepository(store)
    film = await repo.get_title(await repo.find_title_id(SEED_FILM))
    assert film.imdb_id == "tt9603212" and film.source.startswith("article:")
    hits = await search(store, "the matrix", limit=3)
    assert hits and hits[0].entity_id == MATRIX  # the search index was rebuilt in the load
    # Ids the import wrote explicitly do not collide with the next ones handed out.
    new = await repo.ensure_title("A Film After The Import", Provenance("test", "2025-01-01"))
    assert new not in {row[0] for row in (await catalog(store))["titles"] if row[0] != new}


async def test_reimport_is_stable_and_drops_what_imdb_dropped(store, tmp_path):
    data = dataset(tmp_path)
    await imported(store, data)
    first = await catalog(store)
    await imported(store, data)
    assert await catalog(store) == first

    basics = (data / "title.basics.tsv").read_text().splitlines(keepends=True)
    (data / "title.basics.tsv").write_text("".join(x for x in basics if "tt0234215" not in x))
    report = await imported(store, data)
    assert report.removed_titles == 1
    assert await store.fetchval("SELECT count(*) FROM titles WHERE id = ?", (RELOADED,)) == 0
    assert await store.fetchval("SELECT count(*) FROM credits WHERE title_id = ?", (RELOADED,)) == 0


async def schema_objects(store: Store) -> list[tuple]:
    if store.dialect == "sqlite":
        sql = "SELECT type, name FROM sqlite_master"
    else:
        sql = (
            "SELECT 'index', indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " UNION ALL SELECT 'trigger', tgname FROM pg_trigger WHERE NOT tgisinternal"
            " UNION ALL SELECT 'constraint', conname FROM pg_constraint"
            "  WHERE connamespace = current_schema()::regnamespace"
        )
    return sorted(tuple(r) for r in await store.fetchall(sql))


@pytest.mark.parametrize("broken", ["title.principals.tsv", "name.basics.tsv"])
async def test_a_failed_import_changes_nothing(store, tmp_path, broken):
    data = dataset(tmp_path)
    await seed_from_dir(store, SEED_DIR)
    await imported(store, data)
    before, schema = await store.table_counts(), await schema_objects(store)
    before_catalog = await catalog(store)
    # A re-import whose file breaks half-way: the first rows load, then the header of
    # a later file is wrong (name.basics is read by the scratch stage, principals here).
    path = data / broken
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines) + "\t".join(["x"] * 3) + "\n" * 1 + "broken\n" * 500)
    (data / "title.ratings.tsv").write_text("tconst\taverageRating\tnumVotes\ntt0133093\t9.9\t1\n")
    with pytest.raises(UserFacingError) as failed:
        await imported(store, data)
    assert broken in str(failed.value)
    assert await store.table_counts() == before
    assert await schema_objects(store) == schema
    assert await catalog(store) == before_catalog


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
async def test_cli_interrupt_on_postgresql_leaves_the_store_as_it_was(pg_url, tmp_path, sig):
    """Mid-COPY (the import blocks on a pipe, a transaction open): nothing half-applied,
    the dropped indexes, triggers and foreign keys all there, no session left over."""
    assert (await asyncio.to_thread(run_cli, "import-imdb", str(IMDB), db=pg_url)).returncode == 0
    store = await Store.open(pg_url)
    try:
        before, schema = await catalog(store), await schema_objects(store)
        data = dataset(tmp_path, drop=("title.principals",))
        pipe = data / "title.principals.tsv"
        os.mkfifo(pipe)
        env = {**os.environ, "MARQUEE_DB": pg_url, "MARQUEE_DATA_DIR": str(SEED_DIR)}

        def interrupt() -> tuple[subprocess.Popen[str], str]:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "import-imdb", str(data), "--types", "all"],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            with pipe.open("w") as feed:
                feed.write((IMDB / "title.principals.tsv").read_text())
                feed.flush()
                time.sleep(1.0)  # the rows so far are in, inside the open transaction
                proc.send_signal(sig)
                return proc, proc.communicate(timeout=30)[1]

        proc, err = await asyncio.to_thread(interrupt)
        assert_stopped_by(sig, proc.returncode, err)
        assert await catalog(store) == before
        assert await schema_objects(store) == schema
        for _ in range(100):  # the server ends a killed client's session on its own
            others = await store.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state IS NOT NULL"
                " AND application_name NOT LIKE 'pytest%'"
                " AND backend_type = 'client backend'"
                " AND query NOT LIKE '%pg_stat_activity%'"
                " AND xact_start IS NOT NULL"
            )
            if others == 0:
                break
            await asyncio.sleep(0.1)
        assert others == 0
    finally:
        await store.close()


async def test_a_repeated_row_is_reported_and_the_first_one_kept(store, tmp_path):
    """IMDb never repeats an id, but a file that does must not break PostgreSQL's upsert
    (one statement cannot update a row twice) nor differ between backends."""
    data = dataset(tmp_path)
    for name, ident in (("title.basics", "tt0133093"), ("name.basics", "nm0000206")):
        path = data / f"{name}.tsv"
        lines = path.read_text().splitlines(keepends=True)
        first = next(x for x in lines if x.startswith(ident + "\t"))
        fields = first.split("\t")
        fields[2 if name == "title.basics" else 1] = "A Later Spelling"
        path.write_text("".join(lines) + "\t".join(fields))
    report = await imported(store, data)
    notes = "\n".join(report.notes)
    assert "tt0133093 repeats an earlier row" in notes
    assert "nm0000206 repeats an earlier row" in notes
    assert await store.fetchval("SELECT title FROM titles WHERE id = ?", (MATRIX,)) == "The Matrix"
    assert await store.fetchval("SELECT name FROM people WHERE id = 206") == "Keanu Reeves"


async def test_a_nul_character_is_a_bad_row_not_a_failed_import(store, tmp_path):
    data = dataset(tmp_path)
    path = data / "title.basics.tsv"
    row = ["tt7777777", "movie", "Nul\x00Film", "Nul\x00Film", "0", "2020", "\\N", "90", "Drama"]
    path.write_text(path.read_text() + "\t".join(row) + "\n")
    report = await imported(store, data)
    assert "a NUL character" in "\n".join(report.notes)
    assert await store.fetchval("SELECT count(*) FROM titles WHERE imdb_id = 'tt7777777'") == 0
    assert await store.fetchval("SELECT count(*) FROM titles WHERE id = ?", (MATRIX,)) == 1
