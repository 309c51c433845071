"""Import IMDb's bulk datasets into the catalog: streaming, atomic, repeatable.

Why not the Store: millions of rows go in over generators in ONE transaction, through
a `CatalogLoad` (bot/db/catalog_load.py) that owns the connection: on SQLite executemany
on a private connection, on PostgreSQL COPY in batches. That is an order of magnitude
faster than per-row async calls, and it makes the import all-or-nothing on both: an
error, a Ctrl-C or a kill leaves the store exactly as it was. Memory stays flat: files
are read line by line, tables are scanned in batches, and the sets of kept title and
person ids are bitmaps.

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

import datetime as dt
import json
import logging
import os
import signal
import tempfile
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
from bot.catalog.imdb_link import link_people, link_titles
from bot.catalog.imdb_progress import Progress
from bot.catalog.imdb_rows import RowParser
from bot.catalog.imdb_stage import (
    HELPER_MIN_BYTES,
    SIDE_DATASETS,
    StageHelper,
    StageJob,
    StageResult,
    remove_leftover_stages,
    run_stage,
    stage_path_for,
)
from bot.catalog.normalize import normalize_key
from bot.catalog.search import search_rules
from bot.db.catalog_load import CatalogLoad, LoadFailed, open_catalog_load
from bot.db.scratch import create_stage
from bot.db.store import is_postgres_url
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


ALT_ID_BASE = 1 << 40  # ids for IMDb rows whose own number is taken (above every IMDb number)


class IdMap:
    """IMDb number -> row id: the number itself, unless the store says otherwise.

    Exceptions are few (at most one per article-made row), so they fit in a dict and
    the hot loops (bot/catalog/imdb_rows.py) call `remap.get(number, number)`: a row
    an article made and an import linked keeps its own id, and a number whose id an
    unrelated row holds gets a fresh id above ALT_ID_BASE (reserved up front; unused
    ones cost nothing).
    """

    def __init__(self, load: CatalogLoad, table: str, prefix: str) -> None:
        remap: dict[int, int] = {}
        taken: list[int] = []
        # Every row whose id may not be its IMDb number: a row an import made has its
        # number as id (or one above ALT_ID_BASE), so only the others need a look.
        for row_id, ident in load.fetchall(
            f"SELECT id, imdb_id FROM {table} WHERE imdb_id IS NULL OR source <> 'imdb' OR id >= ?",
            (ALT_ID_BASE,),
        ):
            try:
                number = imdb_number(ident, prefix) if ident is not None else None
            except ValueError:
                number = None
            if number == row_id:
                continue
            taken.append(row_id)
            if number is not None:
                remap[number] = row_id
        top = load.fetchval(f"SELECT max(id) FROM {table}") or 0
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
    target: str | Path,
    directory: str | Path,
    *,
    types: frozenset[str] | None = DEFAULT_TYPES,
    include_adult: bool = False,
    progress: Progress | None = None,
    helper: bool | None = None,
) -> ImportReport:
    """Import every IMDb dataset found in `directory` into the database at `target` (a
    SQLite path or a PostgreSQL URL).

    The schema must be current (open it once with Store.open first). Raises
    UserFacingError (ImdbFormatError, ImportInterrupted) with nothing written.
    `helper` forces (True) or forbids (False) the helper process (imdb_stage.py);
    by default it is used for big inputs on a machine with more than one core.
    """
    paths = find_datasets(directory)
    importer = _Importer(target, paths, types, include_adult, progress or Progress())
    importer.use_helper = helper
    return importer.run()


class _Importer:
    def __init__(
        self,
        target: str | Path,
        paths: dict[str, Path | None],
        types: frozenset[str] | None,
        include_adult: bool,
        progress: Progress,
    ) -> None:
        self.target = target
        # The helper's scratch file sits beside a SQLite file; for a server database, in
        # the temporary directory.
        self.stage_base = (
            Path(tempfile.gettempdir()) / "marquee-postgresql"
            if is_postgres_url(target) else Path(str(target).removeprefix("sqlite:"))
        )  # fmt: skip
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
        self.stage_path = stage_path_for(self.stage_base)
        self.use_helper: bool | None = None
        self.interrupted = False
        self.fresh = True
        self.load: CatalogLoad
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
        in_main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, self._on_sigint) if in_main else None
        try:
            remove_leftover_stages(self.stage_base)
            create_stage(self.stage_path)
            with open_catalog_load(self.target, self.stage_path) as load:
                self.load = load
                self._load()
                self._phase("commit")
            self._phase("")
        except LoadFailed as exc:
            if self.interrupted:
                raise ImportInterrupted("import interrupted: the store is unchanged") from None
            raise UserFacingError(f"import failed, the store is unchanged: {exc}") from None
        except KeyboardInterrupt:
            raise ImportInterrupted("import interrupted: the store is unchanged") from None
        except OSError as exc:  # the scratch file (e.g. a full disk)
            raise UserFacingError(f"import failed, the store is unchanged: {exc}") from None
        finally:
            self.stage_path.unlink(missing_ok=True)
            if in_main:
                signal.signal(signal.SIGINT, previous)
        self.report.seconds = time.monotonic() - started
        return self.report

    def _on_sigint(self, signum: int, frame: object) -> None:
        # A statement running in the database stops too (the load then raises
        # LoadFailed); the flag lets run() tell that apart from a real database error.
        self.interrupted = True
        load = getattr(self, "load", None)
        if load is not None:
            load.interrupt()
        raise KeyboardInterrupt

    def _load(self) -> None:
        load = self.load
        report = self.report
        self.fresh = not load.fetchall(
            "SELECT 1 FROM titles WHERE imdb_id IS NOT NULL"
            " UNION ALL SELECT 1 FROM people WHERE imdb_id IS NOT NULL LIMIT 1"
        )
        title_ids = IdMap(load, "titles", "tt")
        self.person_ids = IdMap(load, "people", "nm")
        self.parser = parser = RowParser(
            types=self.types,
            include_adult=self.include_adult,
            as_of=self.as_of,
            title_remap=title_ids.remap,
            person_remap=self.person_ids.remap,
            stream=self._stream,
        )
        load.drop_secondary_schema(("titles", "people", "credits", "aliases"))
        load.create_id_table("imdb_ids")
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
        load.restore_indexes()
        self._phase("cleanup")
        if credit_files:
            self._drop_credits_without_people()
        if not self.fresh:
            self._remove_stale()
        self._phase("link", "linking titles and people first stored from articles")
        report.linked_titles = link_titles(load)
        report.linked_people = link_people(load)
        load.restore_triggers()
        self._phase("search", "building the search index")
        load.rebuild_search(search_rules())  # the triggers it replaces were dropped above
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
        load = self.load
        parser = self.parser
        if self.paths["title.crew"]:
            parser.people.update(IdSet.from_bytes(staged.crew_people))
        if self.paths["name.basics"] and not credit_files:
            # No credits in this import: refresh the people we have.
            self._existing_ids("people", parser.people, "nm")
        if any(self.paths[name] for name in SIDE_DATASETS):
            load.use_stage(parser.people.__contains__)
        if self.paths["title.ratings"]:
            if not self.fresh:
                load.execute(
                    "UPDATE titles SET rating = NULL, votes = NULL WHERE imdb_id IS NOT NULL"
                    " AND (rating IS NOT NULL OR votes IS NOT NULL)"
                )
            load.execute(
                "UPDATE titles SET rating = s.rating, votes = s.votes"
                " FROM stage_ratings AS s WHERE titles.id = s.id"
            )
        if self.paths["title.akas"]:
            if not self.fresh:
                load.execute("DELETE FROM aliases WHERE source = 'imdb' AND entity = 'title'")
            load.execute(
                "INSERT INTO aliases(entity, entity_id, alias, norm, region, source, as_of)"
                " SELECT 'title', s.id, s.alias, s.norm, s.region, 'imdb', ?"
                " FROM stage_akas AS s JOIN titles AS t ON t.id = s.id"
                " WHERE t.norm_title <> s.norm ORDER BY s.seq ON CONFLICT DO NOTHING",
                (self.as_of,),
            )
        if self.paths["title.basics"]:
            self._original_title_aliases()
        if self.paths["title.crew"]:
            # After the principals, so their billing and characters win.
            load.execute(
                "INSERT INTO credits(title_id, person_id, role, source, as_of)"
                " SELECT title_id, person_id, role, 'imdb', ? FROM stage_crew"
                " ORDER BY seq ON CONFLICT DO NOTHING",
                (self.as_of,),
            )
        if self.paths["name.basics"]:
            load.execute(
                "INSERT INTO people(id, imdb_id, name, norm_name, birth_year, death_year,"
                " professions, source, as_of)"
                " SELECT id, imdb_id, name, norm, born, died, professions, 'imdb', ?"
                " FROM stage_wanted_people ORDER BY seq"
                " ON CONFLICT(imdb_id) DO UPDATE SET"
                " name = CASE WHEN people.source = 'imdb' THEN excluded.name"
                "  ELSE people.name END,"
                " norm_name = CASE WHEN people.source = 'imdb' THEN excluded.norm_name"
                "  ELSE people.norm_name END,"
                " birth_year = excluded.birth_year, death_year = excluded.death_year,"
                " professions = excluded.professions,"
                " as_of = CASE WHEN people.source = 'imdb' THEN excluded.as_of"
                "  ELSE people.as_of END",
                (self.as_of,),
            )
            self.loaded_people = parser.people.intersection(IdSet.from_bytes(staged.present_people))
        else:
            self._existing_ids("people", self.loaded_people, "nm")

    def _count(self) -> None:
        report = self.report
        one = self.load.fetchval
        report.titles = one("SELECT count(*) FROM titles WHERE imdb_id IS NOT NULL")
        report.people = one("SELECT count(*) FROM people WHERE imdb_id IS NOT NULL")
        report.credits = one("SELECT count(*) FROM credits WHERE source = 'imdb'")
        report.aliases = one("SELECT count(*) FROM aliases WHERE source = 'imdb'")
        report.rated = one(
            "SELECT count(*) FROM titles WHERE imdb_id IS NOT NULL AND votes IS NOT NULL"
        )
        self.load.execute(
            "INSERT INTO meta(key, value) VALUES ('imdb_import', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (json.dumps({"as_of": self.as_of, **report.summary()}),),
        )

    def _existing_ids(self, table: str, ids: IdSet, prefix: str) -> None:
        """Without the file that defines a set, keep what the store already has."""
        for rows in self.load.batches(table, "id, imdb_id", "imdb_id IS NOT NULL"):
            for _row_id, ident in rows:
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
        imdb = "CASE WHEN titles.source = 'imdb' THEN excluded.{0} ELSE {1} END"
        self.load.insert_rows(
            "titles",
            (
                "id",
                "imdb_id",
                "title",
                "original_title",
                "norm_title",
                "kind",
                "year",
                "runtime_minutes",
                "genres",
                "as_of",
                "source",
            ),
            ((*row, "imdb") for row in self.parser.title_rows(reader)),
            "ON CONFLICT(imdb_id) DO UPDATE SET"
            f" title = {imdb.format('title', 'titles.title')},"
            f" norm_title = {imdb.format('norm_title', 'titles.norm_title')},"
            " original_title = "
            + imdb.format(
                "original_title", "coalesce(titles.original_title, excluded.original_title)"
            )
            + ", year = "
            + imdb.format("year", "coalesce(titles.year, excluded.year)")
            + ","
            " kind = excluded.kind, runtime_minutes = excluded.runtime_minutes,"
            f" genres = excluded.genres, as_of = {imdb.format('as_of', 'titles.as_of')}",
        )
        self._done(reader.report)

    def _original_title_aliases(self) -> None:
        """The original-language title is an alias too, even without title.akas."""
        for rows in self.load.batches(
            "titles", "id, original_title, norm_title",
            "source = 'imdb' AND original_title IS NOT NULL",
        ):  # fmt: skip
            aliases = []
            for row_id, original, norm_title in rows:
                norm = normalize_key(original)
                if norm and norm != norm_title:
                    aliases.append(("title", row_id, original, norm, "imdb", self.as_of))
            self.load.insert_rows(
                "aliases", ("entity", "entity_id", "alias", "norm", "source", "as_of"),
                aliases, "ON CONFLICT DO NOTHING",
            )  # fmt: skip

    # -- credits and people ---------------------------------------------------

    def _clear_credits(self, credit_files: list[str]) -> None:
        """IMDb's credits of the roles the present files provide are replaced."""
        if self.fresh:
            return
        roles = ("director", "writer")
        if "title.principals" in credit_files:
            roles = ("actor", "director", "writer", "producer")
        marks = ",".join("?" * len(roles))
        self.load.execute(f"DELETE FROM credits WHERE source = 'imdb' AND role IN ({marks})", roles)

    def _load_principals(self) -> None:
        """Principals go first, so a person in crew too keeps their billing."""
        reader = self._reader("title.principals")
        self.load.insert_rows(
            "credits",
            ("title_id", "person_id", "role", "character", "billing", "as_of", "source"),
            ((*row, "imdb") for row in self.parser.principal_rows(reader)),
            "ON CONFLICT DO NOTHING",
        )
        self._done(reader.report)

    def _drop_credits_without_people(self) -> None:
        """Credits naming someone missing from name.basics (and the store) go again."""
        missing = self.parser.people.difference(self.loaded_people)
        if not missing:
            return
        self.load.execute("DELETE FROM imdb_ids")
        self.load.insert_rows(
            "imdb_ids", ("id",), ((self.person_ids.lookup(n, n),) for n in missing),
            "ON CONFLICT DO NOTHING",
        )  # fmt: skip
        self.load.execute(
            "DELETE FROM credits WHERE source = 'imdb' AND person_id IN (SELECT id FROM imdb_ids)"
        )
        note = f"{plural(len(missing), 'person')} credited but not in name.basics: credits skipped"
        self.report.notes.append(note)
        self.progress.step(note)

    # -- replacing the previous import ----------------------------------------

    def _remove_stale(self) -> None:
        """IMDb rows the new files no longer contain (or no longer keep) go away."""
        load = self.load
        if self.paths["title.basics"]:
            self._list_stale("titles", self.parser.titles, "tt")
            self.report.removed_titles = load.delete_unreferenced("titles", "title", "imdb_ids")
            load.execute("DELETE FROM imdb_ids")
        if self.paths["name.basics"]:
            self._list_stale("people", self.parser.people, "nm")
            # A person IMDb still credits on a kept title is not stale.
            load.execute(
                "DELETE FROM imdb_ids WHERE id IN"
                " (SELECT person_id FROM credits WHERE person_id IN (SELECT id FROM imdb_ids))"
            )
            self.report.removed_people = load.delete_unreferenced("people", "person", "imdb_ids")

    def _list_stale(self, table: str, kept: IdSet, prefix: str) -> None:
        """Fill imdb_ids with the table's IMDb rows whose number is not in `kept`."""
        imdb_rows = "source = 'imdb' AND imdb_id IS NOT NULL"
        for rows in self.load.batches(table, "id, imdb_id", imdb_rows):
            stale = []
            for row_id, ident in rows:
                try:
                    if imdb_number(ident, prefix) in kept:
                        continue
                except ValueError:
                    pass
                stale.append((row_id,))
            self.load.insert_rows("imdb_ids", ("id",), stale)
