"""The SQLite backend of `Store`: one aiosqlite writer connection and one reader,
WAL, numbered migrations (bot/db/migrations/*.sql), FTS5 word indexes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.db.sqlite_search import rebuild_search_file
from bot.db.store import (
    IntegrityError,
    Params,
    SearchRules,
    Store,
    StoreBusyError,
    TableInfo,
    WordQuery,
    load_migrations,
)
from bot.errors import SchemaTooNewError, UserFacingError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000

# Word indexes: name -> (FTS5 table, indexed table, its key column, ORDER BY)
_WORD_INDEXES = {
    "search_title": ("search_title_fts", "search_names", "id", "f.rowid"),
    "search_person": ("search_person_fts", "search_names", "id", "f.rowid"),
    "articles": (
        "articles_fts", "articles", "rowid", "bm25(articles_fts, 4.0, 1.0), s.published DESC"
    ),
}  # fmt: skip
_VOCAB = {"articles": "articles_fts_vocab"}


class SqliteStore(Store):
    """A SQLite file. Create with `await Store.open(path)`.

    Writes go through one connection, one transaction at a time. Reads from other
    tasks use a second connection, so in WAL mode they see only committed data and
    never another task's half-written transaction; the task that owns the current
    transaction reads its own writes.
    """

    dialect = "sqlite"

    def __init__(
        self, conn: aiosqlite.Connection, path: Path | str, reader: aiosqlite.Connection | None
    ) -> None:
        self.conn = conn
        self.path = path
        self._reader = reader or conn
        self._write_lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @classmethod
    async def connect(cls, path: str | Path, *, migrate: bool = True) -> SqliteStore:
        """Open (creating if needed) and bring the schema up to date."""
        try:
            conn = await _connect(path)
        except sqlite3.Error as exc:
            raise UserFacingError(f"{path} is not a usable SQLite database ({exc})") from None
        store = cls(conn, path, None)
        try:
            await store.check_version()
            if str(path) != ":memory:":
                async with conn.execute("PRAGMA journal_mode = WAL") as cursor:
                    await cursor.fetchone()
            if migrate:
                await store.migrate()
            if str(path) != ":memory:":
                store._reader = await _connect(path)
        except sqlite3.DatabaseError as exc:
            await store.close()
            raise UserFacingError(f"{path} is not a usable SQLite database ({exc})") from None
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        if self._reader is not self.conn:
            await self._reader.close()
        await self.conn.close()

    # -- schema ---------------------------------------------------------------

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def check_version(self) -> int:
        """Refuse a database from a newer Marquee, or another program's, rather than misread it."""
        current = await self.schema_version()
        known = max((m.version for m in load_migrations()), default=0)
        if current > known:
            raise SchemaTooNewError(
                f"database {self.path} has schema version {current}, newer than this "
                f"Marquee knows ({known}); upgrade Marquee or use another MARQUEE_DB"
            )
        if current == 0 and await self.fetchval(
            "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ):
            raise UserFacingError(
                f"{self.path} is a SQLite database of another program, not Marquee's; "
                "point MARQUEE_DB at a new file"
            )
        return current

    async def migrate(self, up_to: int | None = None) -> list[int]:
        """Apply pending migrations (those up to version `up_to`, when given), each
        atomically with its user_version bump.

        The version is read again under the write lock, so two processes opening a new
        database at once do not both apply the same migration.
        """
        await self.check_version()
        applied: list[int] = []
        for migration in load_migrations():
            if up_to is not None and migration.version > up_to:
                break
            async with self.transaction():
                conn = self.conn
                async with conn.execute("PRAGMA user_version") as cursor:
                    row = await cursor.fetchone()
                if migration.version <= (row[0] if row else 0):
                    continue
                for statement in _split_sql(migration.sql):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {migration.version}")
            log.info("applied migration %s", migration.name)
            applied.append(migration.version)
        return applied

    # -- queries --------------------------------------------------------------

    def _owns_transaction(self) -> bool:
        return self._owner is not None and self._owner is asyncio.current_task()

    def _read_conn(self) -> aiosqlite.Connection:
        return self.conn if self._owns_transaction() else self._reader

    @property
    def in_transaction(self) -> bool:
        return self._owns_transaction()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteStore]:
        """One atomic unit of writes; other writers wait for it to finish.

        Nested use by the same task joins the outer transaction. Cancellation at any
        point leaves the connection clean: BEGIN, COMMIT and ROLLBACK run in order on the
        connection's thread, so a rollback queued after an interrupted BEGIN still runs.
        """
        if self._owns_transaction():
            yield self
            return
        async with self._write_lock:
            self._owner = asyncio.current_task()
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self
                except sqlite3.IntegrityError as exc:
                    raise IntegrityError(str(exc)) from exc
                await asyncio.shield(self.conn.execute("COMMIT"))
            except BaseException:
                await self._rollback()
                raise
            finally:
                self._owner = None

    async def _rollback(self) -> None:
        # OperationalError: no transaction was open (BEGIN failed, or COMMIT went through)
        with contextlib.suppress(sqlite3.OperationalError):
            await asyncio.shield(self.conn.execute("ROLLBACK"))

    async def execute(self, sql: str, params: Params = ()) -> int:
        """A single write statement; joins the caller's transaction if it has one."""
        async with self.transaction():
            try:
                async with self.conn.execute(sql, params) as cursor:
                    return max(cursor.rowcount, 0)
            except sqlite3.IntegrityError as exc:
                raise IntegrityError(str(exc)) from exc

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction():
            try:
                await self.conn.executemany(sql, rows)
            except sqlite3.IntegrityError as exc:
                raise IntegrityError(str(exc)) from exc

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        # execute_fetchall runs statement, fetch and reset as one call on the connection's
        # thread: no statement stays open between awaits to pin an old snapshot for others.
        try:
            return list(await self._read_conn().execute_fetchall(sql, params))
        except sqlite3.IntegrityError as exc:  # an INSERT ... RETURNING
            raise IntegrityError(str(exc)) from exc

    # -- word indexes -----------------------------------------------------------

    async def index_words(self, index: str, rows: Iterable[tuple[int, str]]) -> None:
        fts = _WORD_INDEXES[index][0]
        await self.executemany(f"INSERT INTO {fts}(rowid, key) VALUES (?, ?)", list(rows))

    async def unindex_words(self, index: str, rows: Iterable[tuple[int, str]]) -> None:
        fts = _WORD_INDEXES[index][0]
        await self.executemany(
            f"INSERT INTO {fts}({fts}, rowid, key) VALUES ('delete', ?, ?)", list(rows)
        )

    async def match_words(
        self, index: str, query: WordQuery, limit: int, columns: str, where: str = "",
        params: Params = (),
    ) -> list[sqlite3.Row]:  # fmt: skip
        fts, table, key, order = _WORD_INDEXES[index]
        extra = f" AND ({where})" if where else ""
        return await self.fetchall(
            f"SELECT {columns} FROM {fts} f JOIN {table} s ON s.{key} = f.rowid "
            f"WHERE {fts} MATCH ?{extra} ORDER BY {order} LIMIT ?",
            (query.fts5(), *params, limit),
        )

    async def word_counts(self, index: str) -> dict[str, int]:
        rows = await self.fetchall(f"SELECT term, doc FROM {_VOCAB[index]}")
        return {term: n for term, n in rows}

    # -- operations -----------------------------------------------------------

    async def table_counts(self) -> dict[str, int]:
        """Row count of every ordinary table (FTS shadow tables excluded)."""
        rows = await self.fetchall(
            "SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_master "
            "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        names = [r[0] for r in rows if not r[1]]
        virtual = [r[0] for r in rows if r[1]]
        shadow = {n for n in names for v in virtual if n.startswith(v + "_")}
        counts: dict[str, int] = {}
        for name in names:
            if name in shadow:
                continue
            counts[name] = await self.fetchval(f'SELECT count(*) FROM "{name}"')
        return counts

    async def rebuild_search(self, rules: SearchRules) -> None:
        """On a short-lived connection in a worker thread (see rebuild_search_file)."""
        if str(self.path) == ":memory:":
            await rules.through_store(self)
            return
        try:
            await asyncio.to_thread(rebuild_search_file, str(self.path), rules)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusyError(str(exc)) from None
            raise

    async def tables(self) -> list[TableInfo]:
        counts = await self.table_counts()  # names without FTS tables and their shadows
        found = []
        for name in counts:
            columns = await self.fetchall(f'PRAGMA table_info("{name}")')
            keys = sorted((c["pk"], c["name"]) for c in columns if c["pk"])
            refs = await self.fetchall(f'PRAGMA foreign_key_list("{name}")')
            found.append(
                TableInfo(
                    name,
                    tuple(c["name"] for c in columns),
                    tuple(k for _, k in keys),
                    frozenset(r["table"] for r in refs),
                )
            )
        return found

    async def backup(self, target: str | Path) -> Path:
        """SQLite online backup: a consistent copy even while the bot writes.

        The copy is written beside the target and moved into place only when complete,
        so a failed backup never destroys an earlier one.
        """
        target = backup_target(target, None if str(self.path) == ":memory:" else Path(self.path))
        partial = target.with_name(f".{target.name}.partial")
        try:
            dest = await aiosqlite.connect(str(partial))
            try:
                await self.conn.backup(dest)
            finally:
                await dest.close()
            os.replace(partial, target)
        except (OSError, sqlite3.Error) as exc:
            partial.unlink(missing_ok=True)
            raise UserFacingError(f"cannot write backup {target}: {exc}") from None
        return target


def backup_target(target: str | Path, live: Path | None) -> Path:
    """Validate where a backup may go (never a folder, never the live file)."""
    target = Path(target)
    if not str(target).strip() or target.is_dir():
        raise UserFacingError(f"backup target {str(target)!r} must be a file path")
    if live is not None and os.path.realpath(target) == os.path.realpath(live):
        raise UserFacingError("the backup target is the live database itself")
    if not target.parent.is_dir():
        raise UserFacingError(f"folder {target.parent} does not exist")
    return target


async def _connect(path: str | Path) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = aiosqlite.Row
    try:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        await conn.close()
        raise
    return conn


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping CREATE TRIGGER bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        stripped = line.strip()
        if not buffer and (not stripped or stripped.startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
