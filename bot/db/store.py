"""The SQLite store: one aiosqlite connection, migrations, transactions.

Everything above this layer talks to `Store`, so a second backend (PostgreSQL for
sharded deployments) is an addition behind the same methods, not a rewrite.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import SchemaTooNewError

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    """The numbered `.sql` files shipped in bot/db/migrations, in order."""
    found: list[Migration] = []
    for entry in resources.files("bot.db").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found


class Store:
    """An open database. Create with `await Store.open(path)`."""

    def __init__(self, conn: aiosqlite.Connection, path: Path | str) -> None:
        self.conn = conn
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Store:
        """Open (creating if needed) and bring the schema up to date."""
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        store = cls(conn, path)
        try:
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if str(path) != ":memory:":
                await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA synchronous = NORMAL")
            if migrate:
                await store.migrate()
            else:
                await store.check_version()
        except BaseException:
            await conn.close()
            raise
        return store

    async def close(self) -> None:
        await self.conn.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- schema ---------------------------------------------------------------

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def check_version(self) -> int:
        """Refuse a database from a newer Marquee rather than misread it."""
        current = await self.schema_version()
        known = max((m.version for m in load_migrations()), default=0)
        if current > known:
            raise SchemaTooNewError(
                f"database {self.path} has schema version {current}, newer than this "
                f"Marquee knows ({known}); upgrade Marquee or use another MARQUEE_DB"
            )
        return current

    async def migrate(self) -> list[int]:
        """Apply pending migrations, each atomically with its user_version bump."""
        current = await self.check_version()
        applied: list[int] = []
        for migration in load_migrations():
            if migration.version <= current:
                continue
            async with self._write_lock:
                try:
                    await self.conn.execute("BEGIN IMMEDIATE")
                    for statement in _split_sql(migration.sql):
                        await self.conn.execute(statement)
                    await self.conn.execute(f"PRAGMA user_version = {migration.version}")
                    await self.conn.execute("COMMIT")
                except BaseException:
                    await self.conn.execute("ROLLBACK")
                    raise
            log.info("applied migration %s", migration.name)
            applied.append(migration.version)
        return applied

    # -- queries --------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One atomic unit of writes; other writers wait for it to finish."""
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """A single write statement outside any larger transaction; returns lastrowid."""
        async with self._write_lock:
            cursor = await self.conn.execute(sql, params)
            rowid = cursor.lastrowid or 0
            await cursor.close()
            return rowid

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    async def fetchall(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> list[sqlite3.Row]:
        async with self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetchone(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> sqlite3.Row | None:
        async with self.conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchval(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

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

    async def backup(self, target: str | Path) -> None:
        """SQLite online backup: a consistent copy even while the bot writes."""
        target = Path(target)
        if target.exists():
            target.unlink()
        dest = await aiosqlite.connect(str(target))
        try:
            await self.conn.backup(dest)
        finally:
            await dest.close()

    async def get_meta(self, key: str) -> str | None:
        return await self.fetchval("SELECT value FROM meta WHERE key = ?", (key,))

    async def set_meta(self, key: str, value: str) -> None:
        await self.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


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
