"""The PostgreSQL catalog load: one connection, one transaction, COPY in batches.

The importer is synchronous (it streams files and handles Ctrl-C in the main thread);
asyncpg is not. So the load runs a private event loop in a thread, with one session task
that opens the transaction and runs each call the importer makes, in order, inside it.
Rows from the importer's generators are read in batches and COPYed: straight into the
table, or, for an upsert, into a temporary table first and then moved with
`INSERT ... SELECT ... ON CONFLICT`. Leaving without commit (an error, Ctrl-C, a kill)
rolls everything back.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import itertools
import threading
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import asyncpg

from bot.db.catalog_load import BATCH, DERIVED_PREFIXES, CatalogLoad, LoadFailed, Reference
from bot.db.postgres import PostgresStore, to_dollar_params
from bot.db.scratch import STAGE_TABLES, read_stage
from bot.db.store import Params, SearchRules

_TYPES = {"INTEGER": "BIGINT", "REAL": "DOUBLE PRECISION", "TEXT": "TEXT"}
_SEQUENCED = ("titles", "people", "credits", "aliases")  # explicit ids may be loaded
_TIDY = (*_SEQUENCED, "search_names", "search_vocab", "search_deletes", "search_dirty")
_DRIVER_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)
_COMMIT, _ROLLBACK = object(), object()


class _RolledBack(Exception):
    pass


class PostgresCatalogLoad(CatalogLoad):
    dialect = "postgresql"

    def __init__(self, url: str, stage_path: Path | None) -> None:
        self.url = url
        self.stage_path = stage_path
        self._stopping = False
        self._indexes: list[str] = []
        self._triggers: list[str] = []
        # name, table, definition, column, referenced table
        self._foreign_keys: list[tuple[str, str, str, str, str]] = []
        self._temp_tables: set[str] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="marquee-catalog-load", daemon=True
        )
        self._thread.start()
        self._jobs: asyncio.Queue[tuple[object, concurrent.futures.Future[Any]]]
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._session = asyncio.run_coroutine_threadsafe(self._run_session(ready), self._loop)
        concurrent.futures.wait([ready, self._session], return_when="FIRST_COMPLETED")
        if not ready.done():
            self._finish()
            raise LoadFailed(_describe(self._session.exception()))

    # -- the session task -------------------------------------------------------------

    async def _run_session(self, ready: concurrent.futures.Future[None]) -> None:
        self._jobs = asyncio.Queue()
        self._task = asyncio.current_task()
        try:
            self.store = await PostgresStore.connect(self.url, migrate=False)
        except Exception as exc:
            raise LoadFailed(str(exc)) from None
        try:
            async with self.store.transaction():
                self._conn = self.store._conn()
                ready.set_result(None)
                while True:
                    job, done = await self._jobs.get()
                    if job is _COMMIT:
                        await self._advance_sequences()
                        break
                    if job is _ROLLBACK:
                        raise _RolledBack
                    try:
                        done.set_result(await job())  # type: ignore[operator]
                    except asyncio.CancelledError:
                        done.set_exception(LoadFailed("interrupted"))
                        raise
                    except _DRIVER_ERRORS as exc:
                        done.set_exception(LoadFailed(_describe(exc)))
                        raise _RolledBack from None
                    except Exception as exc:
                        done.set_exception(exc)
                        raise _RolledBack from None
        except _RolledBack:
            pass
        else:
            # Statistics and the visibility map for what was just loaded (VACUUM cannot
            # run inside the load's transaction).
            await self.store.tidy(_TIDY)
        finally:
            await self.store.close()

    def _call(self, job: Callable[[], Awaitable[Any]]) -> Any:
        """Run `job` in the session task and wait for its result."""
        return self._result(self._submit(job))

    def _submit(self, job: Callable[[], Awaitable[Any]]) -> concurrent.futures.Future[Any]:
        """Queue `job` for the session task (jobs run one at a time, in order)."""
        if self._session.done():
            raise LoadFailed("the load has ended")
        done: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._loop.call_soon_threadsafe(self._jobs.put_nowait, (job, done))
        return done

    def _result(self, done: concurrent.futures.Future[Any]) -> Any:
        concurrent.futures.wait([done, self._session], return_when="FIRST_COMPLETED")
        if done.done():
            return done.result()
        exc = self._session.exception() if not self._session.cancelled() else None
        raise LoadFailed(_describe(exc) if exc else "the load has ended")

    # -- lifecycle ----------------------------------------------------------------------

    def commit(self) -> None:
        if self._session.done():
            self._finish()
            raise LoadFailed("the load has ended")
        self._loop.call_soon_threadsafe(
            self._jobs.put_nowait, (_COMMIT, concurrent.futures.Future())
        )
        try:
            concurrent.futures.wait([self._session])
            exc = self._session.exception() if not self._session.cancelled() else None
            if exc is not None:
                raise LoadFailed(_describe(exc))
        finally:
            self._finish()

    def rollback(self) -> None:
        if not self._session.done():
            self._loop.call_soon_threadsafe(
                self._jobs.put_nowait, (_ROLLBACK, concurrent.futures.Future())
            )
            with contextlib.suppress(Exception):
                concurrent.futures.wait([self._session], timeout=60)
        self._finish()

    def interrupt(self) -> None:
        self._stopping = True
        task = getattr(self, "_task", None)
        if task is not None:
            self._loop.call_soon_threadsafe(task.cancel)

    def _finish(self) -> None:
        if self._thread.is_alive():
            if not self._session.done():  # stuck: cancelling closes the connection
                task = getattr(self, "_task", None)
                if task is not None:
                    self._loop.call_soon_threadsafe(task.cancel)
                with contextlib.suppress(Exception):
                    concurrent.futures.wait([self._session], timeout=30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(30)
        if not self._loop.is_running():
            self._loop.close()

    # -- portable SQL -------------------------------------------------------------------

    def execute(self, sql: str, params: Params = ()) -> int:
        async def job() -> int:
            status = await self._conn.execute(to_dollar_params(sql), *params)
            last = status.rsplit(" ", 1)[-1]
            return int(last) if last.isdigit() else 0

        return int(self._call(job))

    def fetchall(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        async def job() -> list[tuple[Any, ...]]:
            return [tuple(r) for r in await self._conn.fetch(to_dollar_params(sql), *params)]

        return list(self._call(job))

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
        on_conflict: str = "",
    ) -> None:  # fmt: skip
        """Rows are read here, in the caller's thread (a Ctrl-C stops the reading at
        once), while the session task COPYs the previous batch."""
        names = ", ".join(f'"{c}"' for c in columns)
        through = f"load_{table}_{len(columns)}"

        def copy(batch: list[tuple[Any, ...]]) -> Callable[[], Awaitable[None]]:
            async def job() -> None:
                conn = self._conn
                if not on_conflict:
                    await conn.copy_records_to_table(table, records=batch, columns=list(columns))
                    return
                if through not in self._temp_tables:
                    await conn.execute(
                        f"CREATE TEMP TABLE {through} AS SELECT {names} FROM {table} WITH NO DATA"
                    )
                    self._temp_tables.add(through)
                await conn.execute(f"TRUNCATE {through}")
                await conn.copy_records_to_table(through, records=batch, columns=list(columns))
                await conn.execute(
                    f"INSERT INTO {table}({names}) SELECT {names} FROM {through} {on_conflict}"
                )

            return job

        source = iter(rows)
        pending: concurrent.futures.Future[Any] | None = None
        while batch := [tuple(r) for r in itertools.islice(source, BATCH)]:
            if self._stopping:
                raise LoadFailed("interrupted")
            submitted = self._submit(copy(batch))
            if pending is not None:
                self._result(pending)
            pending = submitted
        if pending is not None:
            self._result(pending)

    async def _advance_sequences(self) -> None:
        """Later inserts number on after the explicit ids the load wrote."""
        for table in _SEQUENCED:
            sequence = await self._conn.fetchval("SELECT pg_get_serial_sequence($1, 'id')", table)
            if sequence:
                await self._conn.execute(
                    f"SELECT setval($1, (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)",
                    sequence,
                )

    # -- structure ----------------------------------------------------------------------

    def drop_secondary_schema(self, tables: Sequence[str]) -> None:
        names = list(tables)
        in_schema = "c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(?)"
        for name, definition in self.fetchall(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
            " FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
            f" WHERE {in_schema} AND NOT i.indisunique AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
            (names,),
        ):
            self._indexes.append(definition)
            self.execute(f"DROP INDEX {name}")
        for name, table, definition in self.fetchall(
            "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid)"
            f" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            f" WHERE {in_schema} AND NOT t.tgisinternal",
            (names,),
        ):
            self._triggers.append(definition)
            self.execute(f'DROP TRIGGER "{name}" ON "{table}"')
        # Credits go in before their people; the importer checks every reference itself.
        for name, table, definition, column, target in self.fetchall(
            "SELECT k.conname, c.relname, pg_get_constraintdef(k.oid), a.attname,"
            " k.confrelid::regclass::text FROM pg_constraint k"
            " JOIN pg_class c ON c.oid = k.conrelid"
            " JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]"
            f" WHERE {in_schema} AND k.contype = 'f'",
            (names,),
        ):
            self._foreign_keys.append((name, table, definition, column, target))
            self.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')

    def restore_indexes(self) -> None:
        for definition in self._indexes:
            self.execute(definition)
        self._indexes = []
        self.execute("ANALYZE " + ", ".join(_SEQUENCED))

    def restore_triggers(self) -> None:
        """Triggers and, checked over every row now, the foreign keys."""
        for definition in self._triggers:
            self.execute(definition)
        self._triggers = []
        for name, table, definition, _column, _target in self._foreign_keys:
            self.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        self._foreign_keys = []

    def references(self, table: str, entity: str) -> list[Reference]:
        columns: dict[str, set[str]] = {}
        for name, column in self.fetchall(
            "SELECT c.relname, a.attname FROM pg_class c"
            " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
            " WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace"
            " AND c.relname <> 'marquee_schema'"
        ):
            columns.setdefault(name, set()).add(column)
        keys = self.fetchall(
            "SELECT c.relname, a.attname FROM pg_constraint k"
            " JOIN pg_class c ON c.oid = k.conrelid"
            " JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]"
            " WHERE k.contype = 'f' AND k.confrelid = ?::regclass"
            " AND c.relnamespace = current_schema()::regnamespace",
            (table,),
        )
        # Foreign keys this load dropped for its duration still count.
        keys += [(t, c) for _n, t, _d, c, target in self._foreign_keys if target == table]
        found: list[Reference] = []
        for name in sorted(columns):
            if name.startswith(DERIVED_PREFIXES):
                continue
            has_source = "source" in columns[name]
            found += [Reference(t, c, None, has_source) for t, c in keys if t == name]
            if {"entity", "entity_id"} <= columns[name]:
                found.append(Reference(name, "entity_id", entity, has_source))
        return found

    def move_references(self, ref: Reference, duplicate: int, keeper: int) -> None:
        where = f'"{ref.column}" = $1' + ref.condition()

        async def job() -> None:
            conn = self._conn
            found = await conn.fetch(f'SELECT ctid FROM "{ref.table}" WHERE {where}', duplicate)
            for (ctid,) in found:
                try:
                    async with conn.transaction():  # a savepoint: one clash undoes one row
                        await conn.execute(
                            f'UPDATE "{ref.table}" SET "{ref.column}" = $1 WHERE ctid = $2',
                            keeper, ctid,
                        )  # fmt: skip
                except asyncpg.UniqueViolationError:
                    continue
            await conn.execute(f'DELETE FROM "{ref.table}" WHERE {where}', duplicate)

        self._call(job)

    # -- the scratch file and search ---------------------------------------------------------

    def use_stage(self, wanted_people: Callable[[int], bool]) -> None:
        if self.stage_path is None:
            raise LoadFailed("no scratch file was given to this load")
        path = self.stage_path
        for table, spec in STAGE_TABLES.items():
            target = "stage_wanted_people" if table == "stage_people" else table
            columns = ["seq", *(name for name, _ in spec)]
            typed = [("seq", "INTEGER"), *spec]
            types = ", ".join(f"{name} {_TYPES[kind]}" for name, kind in typed)
            self.execute(f"DROP TABLE IF EXISTS {target}")
            self.execute(f"CREATE TEMP TABLE {target} ({types})")
            number = columns.index("number") if table == "stage_people" else None
            rows = (
                row for batch in read_stage(path, table) for row in batch
                if number is None or wanted_people(row[number])
            )  # fmt: skip
            self.insert_rows(target, columns, rows)
            self.execute(f"ANALYZE {target}")

    def rebuild_search(self, rules: SearchRules) -> None:
        async def job() -> None:
            await rules.through_store(self.store)

        self._call(job)


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "the load has ended"
    return str(exc).strip() or type(exc).__name__
