"""Import IMDb's bulk datasets into the catalog: streaming, atomic, repeatable.

Why plain `sqlite3` and not the Store: millions of rows go in through `executemany`
over generators in ONE transaction on a private connection, which is an order of
magnitude faster than per-row async calls, and makes the import all-or-nothing: an
error, a Ctrl-C or a kill leaves the store exactly as it was (SQLite rolls the
transaction back). Memory stays flat: files are read line by line and the sets of
kept title and person ids are bitmaps.

Row ids: an IMDb row's id is its IMDb number (tt0133093 -> 133093) unless that id is
taken by a row an article made (then it gets one above 2**40; see IdMap). So credits
from title.principals go straight in without looking anything up, ids are the same in
every database, and they stay the same across re-imports, which keeps article facts
attached to IMDb titles when the catalog is refreshed.

Order of work, inside one transaction (the scratch file is the helper's, imdb_stage.py):
 1. title.basics  -> titles (upsert on imdb_id), the set of kept titles; meanwhile the
                     helper stages name.basics, then (given the kept titles)
                     title.ratings, title.akas and title.crew into the scratch file
 2. title.principals -> credits (cast in billing order with characters, directors,
                     writers, producers); the people they name are the people kept
 3. from the scratch file: ratings -> titles.rating / votes (search ranks by votes),
                     akas -> aliases (alternative titles per region, used by search),
                     crew -> credits (after the principals, whose billing wins),
                     people -> people (upsert on imdb_id), only the people kept
 4. secondary indexes rebuilt, statistics, stale IMDb rows removed, article rows
    linked (bot/catalog/imdb_link.py), search index rebuilt, then COMMIT.

Replacement rules: rows with source 'imdb' are IMDb's and a new import replaces
them (a present file replaces what it provides; an absent file leaves its data as
it was). Rows from articles ('article:<id>') are never overwritten or deleted; an
IMDb row that articles point at is kept even when IMDb drops it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.catalog.imdb_files import (
    DATASETS,
    FileReport,
    IdSet,
    TsvReader,
    find_datasets,
    imdb_number,
)
from bot.catalog.imdb_link import delete_unreferenced, link_people, link_titles
from bot.catalog.imdb_progress import Progress
from bot.catalog.imdb_rows import RowParser
from bot.catalog.imdb_stage import (
    HELPER_MIN_BYTES,
    SIDE_DATASETS,
    StageHelper,
    StageJob,
    StageResult,
    create_stage,
    remove_leftover_stages,
    run_stage,
    stage_path_for,
)
from bot.catalog.normalize import normalize_key
from bot.catalog.search import rebuild_search_index_sync
from bot.errors import UserFacingError
from bot.wording import plural

log = logging.getLogger(__name__)

SOURCE = "imdb"
DEFAULT_TYPES = frozenset({"movie", "tvMovie"})
TITLE_TYPES = frozenset(
    {
        "movie",
        "tvMovie",
        "short",
        "tvShort",
        "tvSeries",
        "tvMiniSeries",
        "tvEpisode",
        "tvSpecial",
        "tvPilot",
        "video",
        "videoGame",
    }
)
CACHE_KIB = 16 * 1024  # page cache: loads append in id order, a big cache buys nothing


ALT_ID_BASE = 1 << 40  # ids for IMDb rows whose own number is taken (above every IMDb number)


class IdMap:
    """IMDb number -> row id: the number itself, unless the store says otherwise.

    Exceptions are few (at most one per article-made row), so they fit in a dict and
    the hot loops (bot/catalog/imdb_rows.py) call `remap.get(number, number)`: a row
    an article made and an import linked keeps its own id, and a number whose id an
    unrelated row holds gets a fresh id above ALT_ID_BASE (reserved up front; unused
    ones cost nothing).
    """

    def __init__(self, conn: sqlite3.Connection, table: str, prefix: str) -> None:
        remap: dict[int, int] = {}
        taken: list[int] = []
        for row_id, ident in conn.execute(
            f"SELECT id, imdb_id FROM {table}"
            " WHERE imdb_id IS NULL OR id IS NOT CAST(substr(imdb_id, 3) AS INTEGER)"
        ):
            taken.append(row_id)
            if ident is not None:
                try:
                    remap[imdb_number(ident, prefix)] = row_id
                except ValueError:
                    continue
        top = conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0
        free = max(top, ALT_ID_BASE) + 1
        for row_id in taken:
            if row_id not in remap:
                remap[row_id] = free
                free += 1
        self.remap = remap
        self.lookup = remap.get

    def __call__(self, number: int) -> int:
        return self.lookup(number, number)


class ImportInterrupted(UserFacingError):
    """Ctrl-C during an import: the transaction was rolled back."""


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    types: tuple[str, ...] | None = None
    titles: int = 0
    people: int = 0
    credits: int = 0
    aliases: int = 0
    rated: int = 0
    linked_titles: int = 0
    linked_people: int = 0
    removed_titles: int = 0
    removed_people: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per stage
    helper_peak_rss_kib: int = 0  # the helper process's own peak memory (0: none ran)

    def describe(self) -> str:
        """A few lines for the command line."""
        kinds = ", ".join(self.types) if self.types else "all types"
        lines = [
            f"imported {plural(self.titles, 'title')} ({kinds}; {self.rated:,} rated), "
            f"{plural(self.people, 'person')}, {plural(self.credits, 'credit')}, "
            f"{plural(self.aliases, 'alias')} "
            f"in {self.seconds:.1f} s"
        ]
        if self.linked_titles or self.linked_people:
            lines.append(
                f"linked to IMDb: {plural(self.linked_titles, 'title')} and "
                f"{plural(self.linked_people, 'person')} first stored from articles"
            )
        if self.removed_titles or self.removed_people:
            lines.append(
                f"removed {plural(self.removed_titles, 'title')} and "
                f"{plural(self.removed_people, 'person')} no longer in the files"
            )
        return "\n".join(lines)

    def summary(self) -> dict[str, object]:
        return {
            "titles": self.titles,
            "people": self.people,
            "credits": self.credits,
            "aliases": self.aliases,
            "rated": self.rated,
            "linked_titles": self.linked_titles,
            "linked_people": self.linked_people,
            "removed_titles": self.removed_titles,
            "removed_people": self.removed_people,
            "types": list(self.types) if self.types else "all",
            "phases": {name: round(sec, 2) for name, sec in self.phases.items()},
            "helper_peak_rss_mib": round(self.helper_peak_rss_kib / 1024, 1),
            "malformed": {f.name: f.malformed for f in self.files if f.malformed},
        }


def parse_types(raw: str | None) -> frozenset[str] | None:
    """`--types movie,tvMovie` -> that set; `all` -> None (keep every type)."""
    if raw is None:
        return DEFAULT_TYPES
    wanted = {part.strip() for part in raw.split(",") if part.strip()}
    if wanted == {"all"}:
        return None
    unknown = sorted(wanted - TITLE_TYPES)
    if unknown or not wanted:
        raise UserFacingError(
            f"unknown title {'type' if len(unknown) == 1 else 'types'} "
            f"{', '.join(unknown) or '(none given)'}; "
            f"use 'all' or some of: {', '.join(sorted(TITLE_TYPES))}"
        )
    return frozenset(wanted)


def import_imdb(
    db_path: str | Path,
    directory: str | Path,
    *,
    types: frozenset[str] | None = DEFAULT_TYPES,
    include_adult: bool = False,
    progress: Progress | None = None,
    helper: bool | None = None,
) -> ImportReport:
    """Import every IMDb dataset found in `directory` into the database at `db_path`.

    The schema must be current (open it once with Store.open first). Raises
    UserFacingError (ImdbFormatError, ImportInterrupted) with nothing written.
    `helper` forces (True) or forbids (False) the helper process (imdb_stage.py);
    by default it is used for big inputs on a machine with more than one core.
    """
    paths = find_datasets(directory)
    importer = _Importer(Path(db_path), paths, types, include_adult, progress or Progress())
    importer.use_helper = helper
    return importer.run()


class _Importer:
    def __init__(
        self,
        db_path: Path,
        paths: dict[str, Path | None],
        types: frozenset[str] | None,
        include_adult: bool,
        progress: Progress,
    ) -> None:
        self.db_path = db_path
        self.paths = paths
        self.types = types
        self.include_adult = include_adult
        self.progress = progress
        self.report = ImportReport(types=tuple(sorted(types)) if types else None)
        self.as_of = max(
            dt.datetime.fromtimestamp(p.stat().st_mtime, dt.UTC).date() for p in paths.values() if p
        ).isoformat()
        self.loaded_people = IdSet()  # IMDb numbers of the credited people in the store
        self.parser: RowParser
        self.person_ids: IdMap
        self.stage_path = stage_path_for(db_path)
        self.use_helper: bool | None = None
        self.interrupted = False
        self.fresh = True
        self.conn: sqlite3.Connection
        self._phase_name = ""
        self._phase_started = 0.0

    def _phase(self, name: str, announce: str | None = None) -> None:
        """Close the running stage (its time goes in the report) and start `name`."""
        now = time.monotonic()
        if self._phase_name:
            phases = self.report.phases
            phases[self._phase_name] = phases.get(self._phase_name, 0.0) + now - self._phase_started
        self._phase_name, self._phase_started = name, now
        if announce:
            self.progress.step(announce)

    # -- the transaction ------------------------------------------------------

    def run(self) -> ImportReport:
        started = time.monotonic()
        for name, path in self.paths.items():
            if path is None:
                note = f"{name}: not found, skipped"
                self.report.notes.append(note)
                self.progress.step(note)
        conn = sqlite3.connect(self.db_path, isolation_level=None)
        self.conn = conn
        in_main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, self._on_sigint) if in_main else None
        switched = False
        try:
            self._configure(conn)
            switched = self._leave_wal(conn)
            # The scratch file the helper fills is attached now: ATTACH is refused inside
            # a transaction. BEGIN IMMEDIATE would lock it too (and so lock the helper
            # out), so the write lock on the store is taken by a first write instead.
            remove_leftover_stages(self.db_path)
            create_stage(self.stage_path)
            conn.execute("ATTACH DATABASE ? AS imdb_stage", (str(self.stage_path),))
            conn.execute("BEGIN")
            conn.execute("DELETE FROM main.meta WHERE 0")
            try:
                self._load()
                self._phase("commit")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            if not switched:
                self._phase("checkpoint", "checkpointing the database")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._phase("")
        except sqlite3.Error as exc:
            if self.interrupted:
                raise ImportInterrupted("import interrupted: the store is unchanged") from None
            raise UserFacingError(f"import failed, the store is unchanged: {exc}") from None
        except KeyboardInterrupt:
            raise ImportInterrupted("import interrupted: the store is unchanged") from None
        except OSError as exc:  # the scratch file (e.g. a full disk)
            raise UserFacingError(f"import failed, the store is unchanged: {exc}") from None
        finally:
            if not conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("DETACH DATABASE imdb_stage")
            self.stage_path.unlink(missing_ok=True)
            if switched:  # back to WAL, whatever happened (Store.open would do it too)
                try:
                    conn.execute("PRAGMA journal_mode = WAL")
                except sqlite3.Error as exc:
                    log.warning("could not switch %s back to WAL: %s", self.db_path, exc)
            conn.close()
            if in_main:
                signal.signal(signal.SIGINT, previous)
        self.report.seconds = time.monotonic() - started
        return self.report

    def _configure(self, conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA busy_timeout = 5000")
        # Off: credits go in before their people (the loader checks every reference
        # itself and deletes dependants explicitly), and the checks would cost ~20%.
        conn.execute("PRAGMA foreign_keys = OFF")
        # The loader only writes roles and entity kinds from fixed tables, and an
        # `x IN (...)` CHECK is re-prepared for every executemany row: half the cost.
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        conn.execute("PRAGMA temp_store = FILE")
        conn.execute(f"PRAGMA threads = {min(4, os.cpu_count() or 1)}")  # parallel index sorts
        conn.create_function("normalize_key", 1, normalize_key, deterministic=True)
        conn.set_progress_handler(self._tick, 1_000_000)

    def _leave_wal(self, conn: sqlite3.Connection) -> bool:
        """Use a rollback journal for the import when no one else has the database open.

        In WAL mode every page is written twice (to the log, then into the database);
        with a rollback journal only the few pages that existed before are copied, and
        the import stays just as atomic. With the bot running, WAL stays (SQLite
        refuses the switch), which is slower but equally safe. Returns True if switched.
        """
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode.lower() != "wal":
            return False
        try:
            switched = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:  # another connection is open
            return False
        return switched.lower() == "delete"

    def _tick(self) -> int:
        """Runs during long SQL statements: non-zero aborts them after a Ctrl-C."""
        return 1 if self.interrupted else 0

    def _on_sigint(self, signum: int, frame: object) -> None:
        # Inside SQLite this lands in _tick, which SQLite then reports as "interrupted";
        # the flag lets run() tell that apart from a real database error.
        self.interrupted = True
        raise KeyboardInterrupt

    def _load(self) -> None:
        conn = self.conn
        report = self.report
        self.fresh = conn.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM titles WHERE imdb_id IS NOT NULL)"
            " AND NOT EXISTS (SELECT 1 FROM people WHERE imdb_id IS NOT NULL)"
        ).fetchone()[0]
        title_ids = IdMap(conn, "titles", "tt")
        self.person_ids = IdMap(conn, "people", "nm")
        self.parser = parser = RowParser(
            types=self.types,
            include_adult=self.include_adult,
            as_of=self.as_of,
            title_remap=title_ids.remap,
            person_remap=self.person_ids.remap,
            stream=self._stream,
        )
        saved = self._drop_secondary_schema()
        conn.execute("CREATE TEMP TABLE imdb_ids (id INTEGER PRIMARY KEY)")
        credit_files = [n for n in ("title.principals", "title.crew") if self.paths[n]]

        # This process: title.basics, then title.principals. The other datasets are
        # parsed meanwhile into the scratch file (imdb_stage.py), then copied in.
        job = StageJob(
            paths={name: self.paths[name] for name in SIDE_DATASETS},
            stage_path=self.stage_path,
            types=self.types,
            include_adult=self.include_adult,
            as_of=self.as_of,
            title_remap=title_ids.remap,
            person_remap=self.person_ids.remap,
        )
        helper = self._start_helper(job)
        try:
            if self.paths["title.basics"]:
                self._load_titles()
            else:
                self._existing_ids("titles", parser.titles, "tt")
            if helper is not None:
                helper.send_titles(parser.titles)
            if credit_files:
                self._clear_credits(credit_files)
            if self.paths["title.principals"]:
                self._load_principals()
            staged = self._staged(job, helper)
        finally:
            if helper is not None:
                helper.close()
        self._copy_staged(staged, credit_files)

        self._phase("indexes", "building indexes")
        for sql in saved["index"]:
            conn.execute(sql)
        conn.execute("PRAGMA analysis_limit = 1000")  # sampled statistics: fast, good plans
        conn.execute("ANALYZE main")
        self._phase("cleanup")
        if credit_files:
            self._drop_credits_without_people()
        if not self.fresh:
            self._remove_stale()
        self._phase("link", "linking titles and people first stored from articles")
        report.linked_titles = link_titles(conn)
        report.linked_people = link_people(conn)
        for sql in saved["trigger"]:
            conn.execute(sql)
        self._phase("search", "building the search index")
        rebuild_search_index_sync(conn)  # the triggers it replaces were dropped above
        self._phase("count")
        self._count()

    def _start_helper(self, job: StageJob) -> StageHelper | None:
        """The helper process, when it pays (or is asked for) and can start."""
        if not any(job.paths.values()) or self.use_helper is False:
            return None
        if self.use_helper is None:
            size = sum(path.stat().st_size for path in job.paths.values() if path)
            if size < HELPER_MIN_BYTES or (os.cpu_count() or 1) < 2:
                return None
        try:
            return StageHelper(job)
        except OSError as exc:  # e.g. no processes left: the same work, in this process
            log.warning("no helper process (%s): staging in this process", exc)
            return None

    def _staged(self, job: StageJob, helper: StageHelper | None) -> StageResult:
        """The helper's result (waiting for it if need be), or staging done here."""
        if helper is not None:
            self._phase("waiting for the helper")
            result = helper.result()
        elif any(job.paths.values()):
            self._phase("staging")
            result = run_stage(
                job, lambda: self.parser.titles, self.progress.update, self.progress.start
            )
        else:
            return StageResult()
        for file in result.files:
            self.report.files.append(file)
            seconds = result.seconds.get(file.name, 0.0)
            self.report.phases[f"{file.name} (staged)"] = seconds
            self.progress.summary(file.name, file.rows, file.kept, seconds)
            self._note_malformed(file)
        self.report.helper_peak_rss_kib = result.peak_rss_kib
        return result

    def _copy_staged(self, staged: StageResult, credit_files: list[str]) -> None:
        """Ratings, alternative titles, crew and people from the scratch file, in SQL."""
        self._phase("copy", "copying the staged datasets in")
        conn = self.conn
        parser = self.parser
        if self.paths["title.ratings"]:
            if not self.fresh:
                conn.execute(
                    "UPDATE titles SET rating = NULL, votes = NULL WHERE imdb_id IS NOT NULL"
                    " AND (rating IS NOT NULL OR votes IS NOT NULL)"
                )
            conn.execute(
                "UPDATE titles SET rating = s.rating, votes = s.votes"
                " FROM imdb_stage.ratings AS s WHERE titles.id = s.id"
            )
        if self.paths["title.akas"]:
            if not self.fresh:
                conn.execute("DELETE FROM aliases WHERE source = 'imdb' AND entity = 'title'")
            conn.execute(
                "INSERT OR IGNORE INTO aliases(entity, entity_id, alias, norm, region, source,"
                " as_of) SELECT 'title', s.id, s.alias, s.norm, s.region, 'imdb', ?"
                " FROM imdb_stage.akas AS s JOIN titles AS t ON t.id = s.id"
                " WHERE t.norm_title <> s.norm ORDER BY s.rowid",
                (self.as_of,),
            )
        if self.paths["title.basics"]:
            self._original_title_aliases()
        if self.paths["title.crew"]:
            # After the principals, so their billing and characters win (OR IGNORE).
            conn.execute(
                "INSERT OR IGNORE INTO credits(title_id, person_id, role, source, as_of)"
                " SELECT title_id, person_id, role, 'imdb', ? FROM imdb_stage.crew"
                " ORDER BY rowid",
                (self.as_of,),
            )
            parser.people.update(IdSet.from_bytes(staged.crew_people))
        if self.paths["name.basics"]:
            if not credit_files:  # no credits in this import: refresh the people we have
                self._existing_ids("people", parser.people, "nm")
            wanted = parser.people
            conn.create_function("imdb_wanted", 1, wanted.__contains__, deterministic=True)
            conn.execute(
                "INSERT INTO people(id, imdb_id, name, norm_name, birth_year, death_year,"
                " professions, source, as_of)"
                " SELECT id, imdb_id, name, norm, born, died, professions, 'imdb', ?"
                " FROM imdb_stage.people WHERE imdb_wanted(number) ORDER BY rowid"
                " ON CONFLICT(imdb_id) DO UPDATE SET"
                " name = iif(people.source = 'imdb', excluded.name, people.name),"
                " norm_name = iif(people.source = 'imdb', excluded.norm_name, people.norm_name),"
                " birth_year = excluded.birth_year, death_year = excluded.death_year,"
                " professions = excluded.professions,"
                " as_of = iif(people.source = 'imdb', excluded.as_of, people.as_of)",
                (self.as_of,),
            )
            self.loaded_people = wanted.intersection(IdSet.from_bytes(staged.present_people))
        else:
            self._existing_ids("people", self.loaded_people, "nm")

    def _count(self) -> None:
        report = self.report
        one = self.conn.execute
        report.titles = one("SELECT count(*) FROM titles WHERE imdb_id IS NOT NULL").fetchone()[0]
        report.people = one("SELECT count(*) FROM people WHERE imdb_id IS NOT NULL").fetchone()[0]
        report.credits = one("SELECT count(*) FROM credits WHERE source = 'imdb'").fetchone()[0]
        report.aliases = one("SELECT count(*) FROM aliases WHERE source = 'imdb'").fetchone()[0]
        report.rated = one(
            "SELECT count(*) FROM titles WHERE imdb_id IS NOT NULL AND votes IS NOT NULL"
        ).fetchone()[0]
        one(
            "INSERT INTO meta(key, value) VALUES ('imdb_import', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (json.dumps({"as_of": self.as_of, **report.summary()}),),
        )

    def _drop_secondary_schema(self) -> dict[str, list[str]]:
        """Drop plain indexes and triggers on the bulk-loaded tables; return their SQL.

        Building an index once over sorted data beats updating it row by row, and the
        triggers (e.g. search's change queue) are replaced by one rebuild at the end.
        Unique indexes stay: the upserts rely on them. DDL is transactional in SQLite,
        so a rollback restores all of this.
        """
        saved: dict[str, list[str]] = {"index": [], "trigger": []}
        tables = ("titles", "people", "credits", "aliases")
        for table in tables:
            for _seq, name, unique, origin, _partial in self.conn.execute(
                f"PRAGMA index_list({table})"
            ).fetchall():
                if origin == "c" and not unique:
                    sql = self.conn.execute(
                        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
                    ).fetchone()[0]
                    saved["index"].append(sql)
                    self.conn.execute(f'DROP INDEX "{name}"')
        marks = ",".join("?" * len(tables))
        for name, sql in self.conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
            tables,
        ).fetchall():
            saved["trigger"].append(sql)
            self.conn.execute(f'DROP TRIGGER "{name}"')
        return saved

    def _existing_ids(self, table: str, ids: IdSet, prefix: str) -> None:
        """Without the file that defines a set, keep what the store already has."""
        for (ident,) in self.conn.execute(f"SELECT imdb_id FROM {table} WHERE imdb_id IS NOT NULL"):
            try:
                ids.add(imdb_number(ident, prefix))
            except ValueError:
                continue

    def _reader(self, name: str) -> TsvReader:
        path = self.paths[name]
        assert path is not None
        return TsvReader(DATASETS[name], path)

    def _stream(self, reader: TsvReader) -> Iterator[list[str]]:
        self._phase(reader.spec.name)
        self.progress.start(reader.spec.name, reader.size)
        return reader.rows(self.progress.update)

    def _done(self, file: FileReport) -> None:
        self.report.files.append(file)
        self.progress.finish(file.rows, file.kept)
        self._note_malformed(file)

    def _note_malformed(self, file: FileReport) -> None:
        if file.malformed:
            note = (
                f"{file.path.name}: {plural(file.malformed, 'malformed row')} skipped: "
                f"{file.describe_bad()}"
            )
            self.report.notes.append(note)
            self.progress.step(note)

    # -- titles ---------------------------------------------------------------

    def _load_titles(self) -> None:
        reader = self._reader("title.basics")
        self.conn.executemany(
            "INSERT INTO titles(id, imdb_id, title, original_title, norm_title, kind, year,"
            " runtime_minutes, genres, source, as_of)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'imdb', ?)"
            " ON CONFLICT(imdb_id) DO UPDATE SET"
            " title = iif(titles.source = 'imdb', excluded.title, titles.title),"
            " norm_title = iif(titles.source = 'imdb', excluded.norm_title, titles.norm_title),"
            " original_title = iif(titles.source = 'imdb', excluded.original_title,"
            "  coalesce(titles.original_title, excluded.original_title)),"
            " year = iif(titles.source = 'imdb', excluded.year,"
            "  coalesce(titles.year, excluded.year)),"
            " kind = excluded.kind, runtime_minutes = excluded.runtime_minutes,"
            " genres = excluded.genres,"
            " as_of = iif(titles.source = 'imdb', excluded.as_of, titles.as_of)",
            self.parser.title_rows(reader),
        )
        self._done(reader.report)

    def _original_title_aliases(self) -> None:
        """The original-language title is an alias too, even without title.akas."""
        self.conn.execute(
            "INSERT OR IGNORE INTO aliases(entity, entity_id, alias, norm, region, source, as_of)"
            " SELECT 'title', id, original_title, norm, NULL, 'imdb', ? FROM ("
            "  SELECT id, original_title, normalize_key(original_title) AS norm, norm_title"
            "  FROM titles WHERE source = 'imdb' AND original_title IS NOT NULL)"
            " WHERE norm <> '' AND norm <> norm_title",
            (self.as_of,),
        )

    # -- credits and people ---------------------------------------------------

    def _clear_credits(self, credit_files: list[str]) -> None:
        """IMDb's credits of the roles the present files provide are replaced."""
        if self.fresh:
            return
        roles = ("director", "writer")
        if "title.principals" in credit_files:
            roles = ("actor", "director", "writer", "producer")
        marks = ",".join("?" * len(roles))
        self.conn.execute(f"DELETE FROM credits WHERE source = 'imdb' AND role IN ({marks})", roles)

    def _load_principals(self) -> None:
        """Principals go first, so a person in crew too keeps their billing (OR IGNORE)."""
        reader = self._reader("title.principals")
        self.conn.executemany(
            "INSERT OR IGNORE INTO credits(title_id, person_id, role, character, billing,"
            " source, as_of) VALUES (?, ?, ?, ?, ?, 'imdb', ?)",
            self.parser.principal_rows(reader),
        )
        self._done(reader.report)

    def _drop_credits_without_people(self) -> None:
        """Credits naming someone missing from name.basics (and the store) go again."""
        missing = self.parser.people.difference(self.loaded_people)
        if not missing:
            return
        self.conn.execute("DELETE FROM temp.imdb_ids")
        self.conn.executemany(
            "INSERT OR IGNORE INTO temp.imdb_ids VALUES (?)",
            ((self.person_ids.lookup(n, n),) for n in missing),
        )
        self.conn.execute(
            "DELETE FROM credits WHERE source = 'imdb' AND person_id IN temp.imdb_ids"
        )
        note = f"{plural(len(missing), 'person')} credited but not in name.basics: credits skipped"
        self.report.notes.append(note)
        self.progress.step(note)

    # -- replacing the previous import ----------------------------------------

    def _remove_stale(self) -> None:
        """IMDb rows the new files no longer contain (or no longer keep) go away."""
        conn = self.conn
        if self.paths["title.basics"]:
            conn.executemany(
                "INSERT INTO temp.imdb_ids VALUES (?)",
                self._stale_ids("titles", self.parser.titles, "tt"),
            )
            self.report.removed_titles = delete_unreferenced(
                conn, "titles", "title", "temp.imdb_ids"
            )
            conn.execute("DELETE FROM temp.imdb_ids")
        if self.paths["name.basics"]:
            conn.executemany(
                "INSERT INTO temp.imdb_ids VALUES (?)",
                self._stale_ids("people", self.parser.people, "nm"),
            )
            # A person IMDb still credits on a kept title is not stale.
            conn.execute(
                "DELETE FROM temp.imdb_ids WHERE id IN"
                " (SELECT person_id FROM credits WHERE person_id IN temp.imdb_ids)"
            )
            self.report.removed_people = delete_unreferenced(
                conn, "people", "person", "temp.imdb_ids"
            )

    def _stale_ids(self, table: str, kept: IdSet, prefix: str) -> Iterator[tuple[int]]:
        rows = self.conn.execute(
            f"SELECT id, imdb_id FROM {table} WHERE source = 'imdb' AND imdb_id IS NOT NULL"
        )
        for row_id, ident in rows:  # streamed: the temp table it fills is another table
            try:
                if imdb_number(ident, prefix) in kept:
                    continue
            except ValueError:
                pass
            yield (row_id,)
