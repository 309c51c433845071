"""IMDb import: IMDb's exact TSV format, atomic replace, article linking, bad input, CLI."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from itertools import product
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.catalog.imdb import ALT_ID_BASE, import_imdb, parse_types
from bot.catalog.imdb_files import BAD_ROWS_GRACE, IdSet, ImdbFormatError, character_names
from bot.catalog.imdb_progress import Progress
from bot.catalog.models import Provenance
from bot.catalog.normalize import fold, normalize_key
from bot.catalog.repository import CatalogRepository
from bot.catalog.search import search
from bot.db.store import Store
from bot.errors import UserFacingError
from bot.news.article import parse_article
from bot.news.ingest import ingest_article, seed_from_dir
from tests.conftest import FIXTURES, SEED_DIR

ROOT = Path(__file__).resolve().parent.parent
IMDB = FIXTURES / "imdb"
MATRIX, RELOADED, SPIRITED, DUNE_1984, DUNE_2021, LOST, MI7 = (
    133093, 234215, 245429, 87182, 1160419, 1234560, 9603212,
)  # fmt: skip
SEED_FILM = "Mission: Impossible – Dead Reckoning Part One"


def dataset(tmp_path: Path, *, gz: tuple[str, ...] = (), drop: tuple[str, ...] = ()) -> Path:
    """A copy of the fixture set; `gz` files compressed, `drop` files left out."""
    out = tmp_path / "imdb"
    out.mkdir(parents=True, exist_ok=True)
    for src in IMDB.glob("*.tsv"):
        name = src.name.removesuffix(".tsv")
        if name in drop:
            continue
        if name in gz:
            with gzip.open(out / f"{src.name}.gz", "wb") as fh:
                fh.write(src.read_bytes())
        else:
            shutil.copy(src, out / src.name)
    return out


def load(db: Path, directory: Path, **kwargs):
    return import_imdb(db, directory, progress=Progress(io.StringIO(), tty=False), **kwargs)


async def fresh_db(tmp_path: Path, *, seed: bool = False, name: str = "marquee") -> Path:
    db = tmp_path / f"{name}.sqlite3"
    store = await Store.open(db)
    if seed:
        await seed_from_dir(store, SEED_DIR)
    await store.close()
    return db


ARTICLE_TABLES = ("articles", "article_mentions")


def stages(db: Path) -> list[Path]:
    """Scratch files an import left beside the database."""
    return sorted(db.parent.glob(f"{db.name}.import-stage-*"))


def snapshot(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    tables = ("titles", "people", "credits", "aliases", "articles", "article_mentions")
    data = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    conn.close()
    return data


def rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# -- the format ----------------------------------------------------------------


async def test_fixture_import_films_only_with_facts(tmp_path):
    db = await fresh_db(tmp_path)
    report = load(db, dataset(tmp_path, gz=("title.principals", "name.basics")))
    titles = {r[0]: r[1:] for r in rows(db, "SELECT id, imdb_id, title, kind FROM titles")}
    # default types: movie and tvMovie; no short, series, episode or adult title
    assert set(titles) == {MATRIX, RELOADED, SPIRITED, DUNE_1984, DUNE_2021, LOST, MI7}
    assert titles[LOST] == ("tt1234560", '"Lost Tapes', "tvMovie")  # stray quote kept as text
    (matrix,) = rows(
        db,
        "SELECT year, runtime_minutes, genres, rating, votes, source FROM titles WHERE id = ?",
        (MATRIX,),
    )
    assert matrix == (1999, 136, "Action,Sci-Fi", 8.7, 2100000, "imdb")
    assert rows(db, "SELECT year, runtime_minutes, genres FROM titles WHERE id = ?", (LOST,)) == [
        (None, None, None)
    ]
    assert rows(db, "SELECT original_title FROM titles WHERE id = ?", (SPIRITED,)) == [
        ("Sen to Chihiro no kamikakushi",)
    ]
    assert report.titles == 7 and report.rated == 6 and report.credits == 29
    assert report.types == ("movie", "tvMovie")


async def test_credits_in_billing_order_with_characters(tmp_path):
    db = await fresh_db(tmp_path)
    load(db, dataset(tmp_path))
    store = await Store.open(db)
    try:
        catalog = CatalogRepository(store)
        cast = await catalog.credits_for_title(MATRIX, "actor")
        assert [(c.name, c.character, c.billing) for c in cast] == [
            ("Keanu Reeves", "Neo", 1),
            ("Laurence Fishburne", "Morpheus", 2),
            ("Carrie-Anne Moss", "Trinity", 3),
        ]
        assert all(c.source == "imdb" for c in cast)
        directors = await catalog.credits_for_title(MATRIX, "director")
        assert [d.name for d in directors] == ["Lana Wachowski", "Lilly Wachowski"]
        writers = await catalog.credits_for_title(DUNE_2021, "writer")
        assert {w.name for w in writers} == {"Denis Villeneuve", "Eric Roth"}  # from title.crew
        spirited = await catalog.credits_for_title(SPIRITED, "actor")
        assert [c.character for c in spirited] == ["Chihiro Ogino", "Yubaba / Zeniba"]
        lost = await catalog.credits_for_title(LOST)
        # 'self' is not cast; quotes in names and characters are plain text
        assert [(c.name, c.character) for c in lost] == [('"Big Jim" Host', 'The "Host"')]
        keanu = await catalog.get_person(206)
        assert (keanu.name, keanu.imdb_id, keanu.birth_year) == ("Keanu Reeves", "nm0000206", 1964)
        assert keanu.professions == "actor,producer"
        assert await catalog.get_person(1849) is None
    finally:
        await store.close()
    people = {r[0] for r in rows(db, "SELECT name FROM people")}
    # only people credited on kept titles: no Bogart (no credits), no Cranston (a series)
    assert "Humphrey Bogart" not in people and "Bryan Cranston" not in people
    assert "Don Davis" not in people  # a composer: not a modelled role


async def test_alternative_titles_per_region(tmp_path):
    db = await fresh_db(tmp_path)
    load(db, dataset(tmp_path, gz=("title.akas",)))
    aliases = {
        (r[0], r[1]): r[2]
        for r in rows(db, "SELECT entity_id, alias, region FROM aliases WHERE entity = 'title'")
    }
    assert aliases[(SPIRITED, "Le voyage de Chihiro")] == "FR"
    assert aliases[(MATRIX, "Matrix")] == "DE"
    assert aliases[(MI7, "Mission: Impossible 7")] is None
    assert (SPIRITED, "Sen to Chihiro no kamikakushi") in aliases
    assert (DUNE_2021, "Dune: Part One") in aliases  # the original title, from title.basics
    # no alias repeating the title itself, none for titles not kept
    assert (MATRIX, "The Matrix") not in aliases
    assert all(entity_id != 903747 for entity_id, _ in aliases)
    store = await Store.open(db)
    try:
        catalog = CatalogRepository(store)
        assert await catalog.find_title_id("le voyage de chihiro") == SPIRITED
        assert await catalog.find_title_id("Mission Impossible 7") == MI7
    finally:
        await store.close()


async def test_search_is_built_and_ranks_by_votes(tmp_path):
    db = await fresh_db(tmp_path)
    load(db, dataset(tmp_path, gz=("title.akas",)))
    store = await Store.open(db)
    try:
        assert await store.fetchval("SELECT count(*) FROM search_dirty") == 0
        dune = await search(store, "dune", entity="title")
        assert [h.entity_id for h in dune[:2]] == [DUNE_2021, DUNE_1984]  # more votes first
        chihiro = await search(store, "voyage de chihiro", entity="title")
        assert chihiro and chihiro[0].entity_id == SPIRITED  # found by its French title
        keanu = await search(store, "keanu reeves", entity="person")
        assert keanu and keanu[0].entity_id == 206
    finally:
        await store.close()


async def test_types_widen_the_selection(tmp_path):
    db = await fresh_db(tmp_path)
    load(db, dataset(tmp_path), types=parse_types("movie,tvSeries"))
    kinds = dict(rows(db, "SELECT imdb_id, kind FROM titles"))
    assert kinds["tt0903747"] == "tvSeries" and "tt1234560" not in kinds
    assert rows(db, "SELECT name FROM people WHERE id = 186505") == [("Bryan Cranston",)]
    db2 = tmp_path / "all.sqlite3"
    async with await Store.open(db2):
        pass
    load(db2, dataset(tmp_path), types=parse_types("all"), include_adult=True)
    assert rows(db2, "SELECT count(*) FROM titles") == [(11,)]
    assert parse_types(None) == frozenset({"movie", "tvMovie"})
    with pytest.raises(UserFacingError, match=r"unknown title type.*moovie"):
        parse_types("moovie")


# -- replace, provenance, linking ----------------------------------------------


async def test_second_import_replaces_the_first_without_duplicates(tmp_path):
    db = await fresh_db(tmp_path)
    data = dataset(tmp_path)
    load(db, data)
    first = snapshot(db)
    load(db, data)
    assert snapshot(db) == first  # same ids, same rows, nothing doubled

    # IMDb changes: a rating moves, a film disappears, a cast member is dropped
    ratings = (data / "title.ratings.tsv").read_text().replace("8.7\t2100000", "8.8\t2200000")
    (data / "title.ratings.tsv").write_text(ratings)
    basics = (data / "title.basics.tsv").read_text().splitlines(keepends=True)
    (data / "title.basics.tsv").write_text("".join(x for x in basics if "tt0234215" not in x))
    principals = (data / "title.principals.tsv").read_text().splitlines(keepends=True)
    kept = [x for x in principals if "nm0005251" not in x]
    (data / "title.principals.tsv").write_text("".join(kept))
    report = load(db, data)
    assert rows(db, "SELECT rating, votes FROM titles WHERE id = ?", (MATRIX,)) == [(8.8, 2200000)]
    assert rows(db, "SELECT count(*) FROM titles WHERE id = ?", (RELOADED,)) == [(0,)]
    assert rows(db, "SELECT count(*) FROM credits WHERE title_id = ?", (RELOADED,)) == [(0,)]
    assert rows(db, "SELECT count(*) FROM people WHERE id = 5251") == [(0,)]
    assert report.removed_titles == 1 and report.removed_people == 1
    assert rows(db, "SELECT count(*), count(DISTINCT imdb_id) FROM titles") == [(6, 6)]


async def test_seed_article_rows_are_linked_not_duplicated(tmp_path):
    db = await fresh_db(tmp_path, seed=True)
    store = await Store.open(db)
    catalog = CatalogRepository(store)
    film_id = await catalog.find_title_id(SEED_FILM)
    cruise_id = await catalog.find_person_id("Tom Cruise")
    article_credits = await store.fetchval(
        "SELECT count(*) FROM credits WHERE source LIKE 'article:%'"
    )
    await store.close()

    report = load(db, dataset(tmp_path))
    assert report.linked_titles == 1 and report.linked_people >= 4
    for _ in range(2):  # and a re-import keeps it that way
        store = await Store.open(db)
        catalog = CatalogRepository(store)
        try:
            film = await catalog.get_title(film_id)
            assert film.imdb_id == "tt9603212"
            assert film.title == SEED_FILM  # the article's spelling and provenance stay
            assert film.source.startswith("article:")
            assert (film.year, film.runtime_minutes, film.votes) == (2023, 163, 310000)
            assert await catalog.find_title_id("Mission: Impossible 7") == film_id
            assert (await catalog.get_person(cruise_id)).imdb_id == "nm0000129"
            cast = await catalog.credits_for_title(film_id, "actor")
            by_name = {c.name: c for c in cast}
            assert by_name["Tom Cruise"].character == "Ethan Hunt"
            assert by_name["Tom Cruise"].billing == 1
            assert "Ving Rhames" in by_name  # only the article knows him here
            assert (
                await store.fetchval("SELECT count(*) FROM credits WHERE source LIKE 'article:%'")
                == article_credits
            )
            for table, key in (("titles", "norm_title"), ("people", "norm_name")):
                dupes = await store.fetchval(
                    f"SELECT count(*) FROM (SELECT {key} FROM {table} WHERE {key} IN"
                    f" (SELECT {key} FROM {table} WHERE source LIKE 'article:%')"
                    f" GROUP BY {key} HAVING count(*) > 1)"
                )
                assert dupes == 0, table
        finally:
            await store.close()
        load(db, dataset(tmp_path))


async def test_new_article_after_import_links_to_catalogued_film_and_cast(tmp_path):
    db = await fresh_db(tmp_path)
    load(db, dataset(tmp_path))
    before = rows(db, "SELECT count(*) FROM titles")[0][0], rows(db, "SELECT count(*) FROM people")
    store = await Store.open(db)
    try:
        article = parse_article(
            "date 2024-03-01\n"
            "Warner Bros. will bring The Matrix back to cinemas for its 25th anniversary. "
            "The Matrix stars Keanu Reeves, Laurence Fishburne and Carrie-Anne Moss, and was "
            "directed by Lana Wachowski and Lilly Wachowski. Tickets go on sale on Friday."
        )
        result = await ingest_article(store, article, source="test")
        mentions = await store.fetchall(
            "SELECT entity, entity_id FROM article_mentions WHERE article_id = ?",
            (result.article_id,),
        )
    finally:
        await store.close()
    mentioned = {(m[0], m[1]) for m in mentions}
    assert ("title", MATRIX) in mentioned
    assert {("person", 206), ("person", 401), ("person", 5251)} <= mentioned
    after = rows(db, "SELECT count(*) FROM titles")[0][0], rows(db, "SELECT count(*) FROM people")
    assert after == before  # linked to the catalog: no new title or person rows


async def test_a_name_two_films_share_resolves_to_the_better_known(tmp_path):
    db = await fresh_db(tmp_path)
    load(db, dataset(tmp_path))
    store = await Store.open(db)
    try:
        catalog = CatalogRepository(store)
        assert await catalog.find_title_id("Dune") == DUNE_2021  # 950,000 votes vs 180,000
        assert await catalog.find_title_id("Dune: Part One") == DUNE_2021  # an alias
        article = parse_article(
            "date 2024-03-01\nDune returns to IMAX screens this spring. Dune stars "
            "Timothée Chalamet and was directed by Denis Villeneuve."
        )
        result = await ingest_article(store, article, source="test")
        assert ("title", DUNE_2021) in {
            (m[0], m[1])
            for m in await store.fetchall(
                "SELECT entity, entity_id FROM article_mentions WHERE article_id = ?",
                (result.article_id,),
            )
        }
    finally:
        await store.close()


async def test_linking_needs_a_year_or_shared_people_when_titles_collide(tmp_path):
    db = await fresh_db(tmp_path)
    store = await Store.open(db)
    catalog = CatalogRepository(store)
    prov = Provenance("article:test", "2024-01-01")
    async with store.transaction():
        vague = await catalog.ensure_title("Dune", prov)  # two IMDb films are called Dune
        remake = await catalog.ensure_title("The Matrix", prov, year=2015)
    await store.close()
    load(db, dataset(tmp_path))
    assert rows(db, "SELECT imdb_id FROM titles WHERE id = ?", (vague,)) == [(None,)]
    # IMDb's Matrix is from 1999: a 2015 "The Matrix" is another film
    assert rows(db, "SELECT imdb_id FROM titles WHERE id = ?", (remake,)) == [(None,)]

    db2 = tmp_path / "second.sqlite3"
    store = await Store.open(db2)
    catalog = CatalogRepository(store)
    async with store.transaction():
        dated = await catalog.ensure_title("Dune", prov, year=2021)
        person = await catalog.ensure_person("Timothée Chalamet", prov)
        await catalog.add_credit(dated, person, "actor", prov)
    await store.close()
    report = load(db2, dataset(tmp_path))
    assert report.linked_titles == 1 and report.linked_people == 1
    assert rows(db2, "SELECT imdb_id FROM titles WHERE id = ?", (dated,)) == [("tt1160419",)]
    assert rows(db2, "SELECT imdb_id FROM people WHERE id = ?", (person,)) == [("nm3154303",)]
    assert rows(db2, "SELECT count(*) FROM titles WHERE imdb_id = 'tt1160419'") == [(1,)]
    # the IMDb number of the article-made row's id went to another row: no clash
    assert rows(db2, "SELECT count(*) FROM titles WHERE id >= ?", (ALT_ID_BASE,)) == [(0,)]


async def test_import_while_the_bot_has_the_store_open(tmp_path):
    """With another connection open the journal stays WAL; readers see the commit."""
    db = await fresh_db(tmp_path)
    store = await Store.open(db)
    try:
        assert await store.fetchval("SELECT count(*) FROM titles") == 0
        report = load(db, dataset(tmp_path))
        assert report.titles == 7
        assert (await store.fetchval("PRAGMA journal_mode")).lower() == "wal"
        catalog = CatalogRepository(store)
        assert await catalog.find_title_id("Spirited Away") == SPIRITED
    finally:
        await store.close()
    alone = await fresh_db(tmp_path, name="alone")
    load(alone, dataset(tmp_path))
    assert rows(alone, "PRAGMA journal_mode") == [("wal",)]  # switched back after the import


# -- bad input -------------------------------------------------------------------


async def test_malformed_rows_are_reported_with_line_numbers(tmp_path):
    db = await fresh_db(tmp_path)
    report = load(db, dataset(tmp_path))
    bad = {f.name: f.bad_lines for f in report.files}
    assert [n for n, _ in bad["title.basics"]] == [9]
    assert [n for n, _ in bad["title.principals"]] == [10]
    assert bad["name.basics"] == [
        (12, "3 fields, expected 6"),
        (23, "deathYear 'birth?' is not a number"),
    ]
    assert any("title.principals.tsv: 1 malformed row skipped" in n for n in report.notes)
    # the person whose row was bad is missing, so is their credit
    assert rows(db, "SELECT count(*) FROM credits WHERE person_id = 1109553") == [(0,)]


async def test_too_many_bad_rows_fails_and_changes_nothing(tmp_path):
    db = await fresh_db(tmp_path, seed=True)
    before = snapshot(db)
    data = dataset(tmp_path)
    lines = [f"tt{n:07d}\tmovie\tBroken\n" for n in range(1, BAD_ROWS_GRACE + 5)]
    with (data / "title.basics.tsv").open("a") as fh:
        fh.writelines(lines)
    with pytest.raises(ImdbFormatError, match=r"title.basics.tsv: too many malformed rows"):
        load(db, data)
    assert snapshot(db) == before


@pytest.mark.parametrize("helper", [False, True], ids=["staged-here", "helper-process"])
async def test_wrong_header_names_the_file_and_changes_nothing(tmp_path, helper):
    db = await fresh_db(tmp_path, seed=True)
    before = snapshot(db)
    data = dataset(tmp_path, gz=("name.basics",))
    with gzip.open(data / "name.basics.tsv.gz", "wt") as fh:
        fh.write("nconst\tname\tborn\n")
    with pytest.raises(ImdbFormatError, match=r"^name.basics.tsv.gz: wrong header"):
        load(db, data, helper=helper)
    assert not stages(db)
    assert snapshot(db) == before
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]


async def test_damaged_gzip_fails_cleanly(tmp_path):
    db = await fresh_db(tmp_path)
    data = dataset(tmp_path, gz=("title.akas",))
    blob = (data / "title.akas.tsv.gz").read_bytes()
    (data / "title.akas.tsv.gz").write_bytes(blob[: len(blob) // 2])
    with pytest.raises(ImdbFormatError, match=r"title.akas.tsv.gz: damaged gzip"):
        load(db, data)
    assert rows(db, "SELECT count(*) FROM titles") == [(0,)]


async def test_without_a_gzip_program_python_inflates(tmp_path, monkeypatch):
    monkeypatch.setattr("bot.catalog.imdb_files.shutil.which", lambda _name: None)
    db = await fresh_db(tmp_path)
    every = ("title.basics", "title.akas", "title.principals", "title.crew", "name.basics")
    report = load(db, dataset(tmp_path, gz=every))
    assert report.titles == 7 and report.credits == 29
    blob = (tmp_path / "imdb" / "title.crew.tsv.gz").read_bytes()
    (tmp_path / "imdb" / "title.crew.tsv.gz").write_bytes(blob[:-12])
    with pytest.raises(ImdbFormatError, match=r"title.crew.tsv.gz: damaged gzip"):
        load(db, tmp_path / "imdb")


async def test_missing_files_are_skipped_with_a_note(tmp_path):
    db = await fresh_db(tmp_path)
    report = load(db, dataset(tmp_path, drop=("title.akas", "title.crew", "name.basics")))
    assert "title.akas: not found, skipped" in report.notes
    assert "name.basics: not found, skipped" in report.notes
    assert report.titles == 7 and report.people == 0 and report.credits == 0
    # later, only name.basics and principals: credits join the titles already stored
    only = tmp_path / "later"
    only.mkdir()
    shutil.copy(IMDB / "name.basics.tsv", only)
    shutil.copy(IMDB / "title.principals.tsv", only)
    report = load(db, only)
    assert report.titles == 7 and report.people > 0
    assert rows(db, "SELECT count(*) FROM credits WHERE title_id = ?", (MATRIX,)) == [(5,)]


def test_missing_or_empty_directory_is_one_line(tmp_path):
    with pytest.raises(UserFacingError, match="no such directory"):
        load(tmp_path / "x.sqlite3", tmp_path / "nope")
    with pytest.raises(UserFacingError, match="no IMDb dataset files in"):
        load(tmp_path / "x.sqlite3", tmp_path)


# -- the command line --------------------------------------------------------------


def run_cli(*args: str, db: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MARQUEE_DB": str(db), "MARQUEE_DATA_DIR": str(SEED_DIR)}
    env.pop("DISCORD_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, **kwargs,
    )  # fmt: skip


def test_cli_import_and_bad_input(tmp_path):
    db = tmp_path / "cli.sqlite3"
    done = run_cli("import-imdb", str(dataset(tmp_path, gz=("title.basics",))), db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("imported 7 titles (movie, tvMovie; 6 rated), 18 people")
    assert "title.basics: 12 rows read, 7 kept" in done.stderr  # plain progress: not a TTY
    assert "\r" not in done.stderr

    for args, message in (
        (("import-imdb", str(tmp_path / "missing")), "marquee: no such directory: "),
        (("import-imdb", str(IMDB), "--types", "films"), "marquee: unknown title type films"),
    ):
        bad = run_cli(*args, db=db)
        assert bad.returncode == 1
        assert bad.stderr.startswith(message) and len(bad.stderr.strip().splitlines()) == 1


async def test_helper_process_gives_the_same_store_as_staging_here(tmp_path):
    """The helper only moves parsing to another core: the same rows either way, on a
    fresh store and on a re-import over rows articles made."""
    data = dataset(tmp_path, gz=("name.basics", "title.akas"))
    outcomes = []
    for helper in (False, True):
        db = await fresh_db(tmp_path, seed=True, name=f"helper-{helper}")
        first = load(db, data, types=None, helper=helper)
        again = load(db, data, types=None, helper=helper)
        assert (first.helper_peak_rss_kib > 0) == helper
        assert not stages(db)
        catalog = {t: v for t, v in snapshot(db).items() if t not in ARTICLE_TABLES}
        index = rows(
            db, "SELECT entity, entity_id, name, key, weight FROM search_names ORDER BY id"
        )
        counts = [
            {
                k: v
                for k, v in report.summary().items()
                if k not in ("phases", "helper_peak_rss_mib")
            }
            for report in (first, again)
        ]
        outcomes.append((catalog, index, counts))
    assert outcomes[0] == outcomes[1]
    catalog, index, counts = outcomes[0]
    sizes = [{k: c[k] for k in ("titles", "people", "credits", "aliases")} for c in counts]
    assert sizes[0] == sizes[1] and sizes[0]["credits"] > 0 and sizes[0]["aliases"] > 0
    assert counts[0]["linked_people"] > 0  # the seed article's people, linked once
    assert len(index) > len(catalog["titles"]) + len(catalog["people"]) - 1


def _children(pid: int) -> list[int]:
    """Live child processes of `pid` (from /proc; zombies count as gone)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, IndexError):
            continue
        if int(ppid) == pid and state != "Z":
            found.append(int(stat.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_cli_interrupt_and_kill_leave_the_store_as_it_was(tmp_path):
    """A Ctrl-C or a kill -9 mid-import: the transaction is never half-applied."""
    db = tmp_path / "cli.sqlite3"
    assert run_cli("import-imdb", str(IMDB), db=db).returncode == 0
    before = snapshot(db)
    for sig, helper in product((signal.SIGINT, signal.SIGKILL), ("off", "on")):
        data = dataset(tmp_path / f"{sig.name}-{helper}", drop=("title.principals",))
        pipe = data / "title.principals.tsv"
        os.mkfifo(pipe)  # the import blocks on it, mid-transaction, until we write
        env = {**os.environ, "MARQUEE_DB": str(db), "MARQUEE_DATA_DIR": str(SEED_DIR)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "import-imdb", str(data), "--types", "all",
             "--helper", helper],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        with pipe.open("w") as feed:
            feed.write((IMDB / "title.principals.tsv").read_text())
            feed.flush()
            time.sleep(0.5)
            # the helper (and multiprocessing's resource tracker, which spawning starts)
            helpers = [pid for pid in _children(proc.pid) if "python" in _cmdline(pid)]
            assert sum("spawn_main" in _cmdline(pid) for pid in helpers) == (helper == "on")
            proc.send_signal(sig)
            _out, err = proc.communicate(timeout=30)
        assert_stopped_by(sig, proc.returncode, err)
        # a helper whose importer is gone stops too
        deadline = time.monotonic() + 10
        while not all(_gone(pid) for pid in helpers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(_gone(pid) for pid in helpers)
        assert snapshot(db) == before
        assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    # scratch files a kill left behind go with the next import; a running import's stay
    left = stages(db)
    assert left  # the killed import's
    busy = db.with_name(f"{db.name}.import-stage-{os.getpid()}")  # a live process's
    busy.write_bytes(b"")
    assert run_cli("import-imdb", str(IMDB), "--helper", "on", db=db).returncode == 0
    assert stages(db) == [busy]
    busy.unlink()
    assert snapshot(db) == before


def assert_stopped_by(sig: signal.Signals, returncode: int, err: str) -> None:
    """An import stopped by Ctrl-C says so in one line (exit 1); a kill -9 just ends it."""
    if sig == signal.SIGINT:
        assert returncode == 1
        assert err.strip().splitlines()[-1] == "marquee: import interrupted: the store is unchanged"
    else:
        assert returncode == -signal.SIGKILL


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


# -- pieces ------------------------------------------------------------------------


def test_progress_bar_on_a_terminal_and_lines_elsewhere():
    tty = io.StringIO()
    bar = Progress(tty, tty=True)
    bar.start("title.basics", 1000)
    bar._last = -1e9
    bar.update(5000, 500)
    bar.finish(10000, 8000)
    assert "\r" in tty.getvalue() and "[############------------]" in tty.getvalue()
    assert "5,000 rows" in tty.getvalue() and "rows/s" in tty.getvalue()
    assert "left" in tty.getvalue()
    plain = io.StringIO()
    lines = Progress(plain, tty=False, line_interval=0)
    lines.start("name.basics", 1000)
    lines.update(100, 250)
    lines.finish(400, 300)
    out = plain.getvalue().splitlines()
    assert out[0].startswith("name.basics:  25%  100 rows") and out[0].endswith("left")
    assert out[1].startswith("name.basics: 400 rows read, 300 kept in")
    assert "\r" not in plain.getvalue()


def test_character_lists_and_id_sets():
    assert character_names('["Neo"]') == "Neo"
    assert character_names('["Yubaba","Zeniba"]') == "Yubaba / Zeniba"
    assert character_names('["The \\"Kid\\""]') == 'The "Kid"'
    assert character_names('["unclosed') == '["unclosed'
    ids = IdSet()
    for n in (0, 7, 8, 9_999_999, 35_000_000):
        ids.add(n)
    assert 9_999_999 in ids and 35_000_000 in ids and 6 not in ids and 10**12 not in ids
    other = IdSet()
    other.add(7)
    assert ids.difference(other) == [0, 8, 9_999_999, 35_000_000]
    assert other.difference(ids) == []


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_fast_path_of_normalize_key_matches_the_folding_path(text):
    from bot.catalog.normalize import _APOSTROPHES, _words_of

    folded = _APOSTROPHES.sub("", fold(text).replace("&", " and "))
    assert normalize_key(text) == _words_of(folded)


async def test_benchmark_generator_writes_files_the_importer_accepts(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from imdb_import import generate  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    counts = generate(tmp_path / "data", 0.0001)
    assert counts["title.basics"] == 100 and counts["title.principals"] == 500
    db = await fresh_db(tmp_path)
    report = load(db, tmp_path / "data", types=None)
    assert report.titles == 100 and report.credits > 0
    assert not any(f.malformed for f in report.files)
