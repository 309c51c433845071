"""The one door to storage: the `Store` interface every repository talks to.

Two backends implement it: SQLite (bot/db/sqlite.py, aiosqlite, the embedded default)
and PostgreSQL (bot/db/postgres.py, asyncpg with a pool, for several processes). Code
outside bot/db writes portable SQL with `?` placeholders, `INSERT ... ON CONFLICT`, and
`RETURNING`, and never sees a connection, a driver error or a dialect detail: a unique
or foreign-key violation arrives as `IntegrityError`, full-text matching goes through
`match_words`/`index_words`, and backend-specific SQL is chosen with `dialect`.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")

Params = Sequence[Any]


class IntegrityError(Exception):
    """A write broke a unique, foreign-key or check constraint (any backend)."""


class StoreBusyError(Exception):
    """Another connection holds the write lock longer than the store waits (SQLite)."""


@dataclass(frozen=True)
class SearchRules:
    """What a backend needs from the catalog to rebuild the catalog's search index.

    The spelling rules are the catalog's (bot/catalog/normalize.py, search.py); the way
    the tables are filled is the backend's: SQLite rebuilds in C over FTS5
    (bot/db/sqlite_search.py), other backends run `through_store`, the portable rebuild
    written against the Store interface.
    """

    search_key: Callable[[str], str]
    search_key_of_norm: Callable[[str], str]
    normalize_key: Callable[[str], str]
    typo_rows: Callable[[Iterable[str]], Iterable[tuple[str, str]]]
    fuzzy_lengths: tuple[int, int]  # shortest and longest word in the typo index
    title_weight: str  # SQL for a title's weight; `{credits}` is its number of credits
    person_weight: str
    version_meta: str  # the meta key stamped with `version`
    version: str
    through_store: Callable[[Store], Awaitable[None]]


@dataclass(frozen=True)
class TableInfo:
    """An ordinary table as `db copy` needs it (index internals are not listed)."""

    name: str
    columns: tuple[str, ...]  # stored columns (generated ones left out)
    key: tuple[str, ...]  # primary key columns
    references: frozenset[str]  # tables its foreign keys point to


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(dialect: str = "sqlite") -> list[Migration]:
    """The numbered `.sql` files for a backend, in order: SQLite's in bot/db/migrations,
    PostgreSQL's in bot/db/migrations/postgresql."""
    folder = resources.files("bot.db").joinpath("migrations")
    if dialect == "postgresql":
        folder = folder.joinpath("postgresql")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match and entry.is_file():
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found


def placeholders(count: int) -> str:
    """`?, ?, ...` for an IN list; an empty list matches nothing on both backends."""
    return ",".join("?" * count) or "NULL"


def is_postgres_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def describe_target(target: str | Path) -> str:
    """The database for messages and logs, without a password."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", str(target))


class Store(ABC):
    """An open database. Create with `await Store.open(target)`: a PostgreSQL URL opens
    PostgreSQL, anything else (a path, `sqlite:PATH`) a SQLite file.

    Reads see committed data only; a task inside `transaction()` reads its own writes,
    and nested `transaction()` by the same task joins the outer one.
    """

    dialect: str  # 'sqlite' or 'postgresql'
    path: Path | str  # the file, or the URL (shown without its password by `describe`)

    @classmethod
    async def open(cls, target: str | Path, *, migrate: bool = True) -> Store:
        """Open (creating if needed) and bring the schema up to date."""
        if is_postgres_url(target):
            from bot.db.postgres import PostgresStore

            return await PostgresStore.connect(str(target), migrate=migrate)
        from bot.db.sqlite import SqliteStore

        text = str(target)
        if text.startswith("sqlite:"):
            target = text.removeprefix("sqlite:").removeprefix("//")
        return await SqliteStore.connect(target, migrate=migrate)

    def describe(self) -> str:
        return describe_target(self.path)

    @abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- schema ---------------------------------------------------------------

    @abstractmethod
    async def schema_version(self) -> int: ...

    @abstractmethod
    async def migrate(self, up_to: int | None = None) -> list[int]:
        """Apply pending migrations (up to version `up_to`), each atomically."""

    # -- queries --------------------------------------------------------------

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Store]:
        """One atomic unit of writes, yielding the store itself; on any exception
        (cancellation included) everything in it is rolled back."""

    @property
    @abstractmethod
    def in_transaction(self) -> bool:
        """Whether the calling task is inside `transaction()`."""

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """A single write statement; returns the number of rows it changed."""

    @abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Params]) -> None: ...

    @abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        """Rows that read both by index and by column name."""

    async def fetchone(self, sql: str, params: Params = ()) -> Any | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def bulk_insert(
        self, table: str, columns: Sequence[str], rows: Iterable[Params], *,
        skip_existing: bool = False,
    ) -> int:  # fmt: skip
        """Load many rows at once (COPY on PostgreSQL), inside the caller's transaction if
        any; explicit ids are allowed and later inserts number on after them. With
        `skip_existing`, rows whose key is already stored are left out instead of raising
        IntegrityError. Returns the number of rows given."""
        rows = list(rows)
        if rows:
            names = ", ".join(f'"{c}"' for c in columns)
            skip = " ON CONFLICT DO NOTHING" if skip_existing else ""
            await self.executemany(
                f"INSERT INTO {table}({names}) VALUES ({placeholders(len(columns))}){skip}", rows
            )
        return len(rows)

    async def replace_rows(self, table: str, columns: Sequence[str], rows: Iterable[Params]) -> int:
        """Make `rows` the whole content of a derived table (a search index), inside the
        caller's transaction if any; returns their number. PostgreSQL empties the table
        and builds its indexes once, after the load, rather than row by row (readers of
        the table then wait for the transaction's end)."""
        async with self.transaction():
            await self.execute(f"DELETE FROM {table}")
            return await self.bulk_insert(table, columns, rows)

    async def tidy(self, tables: Sequence[str]) -> None:
        """After a bulk rewrite of `tables` has committed: let the database plan and read
        them well again (PostgreSQL: VACUUM ANALYZE). Nothing to do for SQLite, whose
        bulk rebuilds write indexes sorted; inside a transaction, nothing at all."""
        return None

    async def insert(self, sql: str, params: Params = (), *, key: str = "id") -> int | None:
        """An INSERT; returns the new row's `key`, or None when ON CONFLICT skipped it."""
        async with self.transaction():
            row = await self.fetchone(f"{sql} RETURNING {key}", params)
        return None if row is None else int(row[0])

    # -- full-text word index ---------------------------------------------------

    @abstractmethod
    async def index_words(self, index: str, rows: Iterable[tuple[int, str]]) -> None:
        """Add (rowid, text) entries to a word index (a no-op where the backend indexes
        the source table's column itself)."""

    @abstractmethod
    async def unindex_words(self, index: str, rows: Iterable[tuple[int, str]]) -> None: ...

    @abstractmethod
    async def match_words(
        self,
        index: str,
        query: WordQuery,
        limit: int,
        columns: str,
        where: str = "",
        params: Params = (),
    ) -> list[Any]:
        """Up to `limit` rows of the index's table (alias `s`) satisfying `query` and the
        extra condition `where` (with `params`): catalog indexes in id order (best known
        first), the article index best match first (headline words weigh 4 times body
        words), then newest. `columns` is the select list."""

    @abstractmethod
    async def word_counts(self, index: str) -> dict[str, int]:
        """Every word of a word index and how many rows hold it."""

    @abstractmethod
    async def rebuild_search(self, rules: SearchRules) -> None:
        """Rebuild the catalog's search index from titles, people and aliases, as one
        transaction. Raises StoreBusyError when another writer holds the store."""

    # -- operations -----------------------------------------------------------

    @abstractmethod
    async def table_counts(self) -> dict[str, int]:
        """Row count of every ordinary table (index internals excluded)."""

    @abstractmethod
    async def backup(self, target: str | Path) -> Path: ...

    @abstractmethod
    async def tables(self) -> list[TableInfo]:
        """Every ordinary table (schema bookkeeping and index internals excluded)."""

    async def get_meta(self, key: str) -> str | None:
        return await self.fetchval("SELECT value FROM meta WHERE key = ?", (key,))

    async def set_meta(self, key: str, value: str) -> None:
        await self.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


# -- word queries ---------------------------------------------------------------------
#
# A query is an OR of AND-clauses of terms; a term is a word, or a prefix (word ending in
# "*"). Words are letters and digits only (callers normalise user text first), so no
# user text can become index syntax on either backend.


@dataclass(frozen=True)
class WordQuery:
    clauses: tuple[tuple[tuple[str, ...], ...], ...]  # OR of AND of (OR of terms)

    @staticmethod
    def all_of(groups: Iterable[Iterable[str]]) -> WordQuery:
        """Every group matches (a group: any one of its terms)."""
        return WordQuery((tuple(tuple(g) for g in groups),))

    @staticmethod
    def any_of(clauses: Iterable[Iterable[Iterable[str]]]) -> WordQuery:
        return WordQuery(tuple(tuple(tuple(g) for g in c) for c in clauses))

    def without_terms_over(self, limit: int) -> WordQuery | None:
        """The query with terms longer than `limit` characters (which no index holds)
        left out; None when that leaves nothing that can match."""
        clauses = []
        for clause in self.clauses:
            groups = [tuple(t for t in g if len(t) <= limit) for g in clause]
            if all(groups):
                clauses.append(tuple(groups))
        return WordQuery(tuple(clauses)) if clauses else None

    def fts5(self) -> str:
        def term(t: str) -> str:
            return f'"{t[:-1]}"*' if t.endswith("*") else f'"{t}"'

        def group(g: tuple[str, ...]) -> str:
            return term(g[0]) if len(g) == 1 else "(" + " OR ".join(map(term, g)) + ")"

        def clause(c: tuple[tuple[str, ...], ...]) -> str:
            return " AND ".join(map(group, c))

        if len(self.clauses) == 1:
            return clause(self.clauses[0])
        return " OR ".join(f"({clause(c)})" for c in self.clauses)

    def tsquery(self) -> str:
        def term(t: str) -> str:
            return f"'{t[:-1]}':*" if t.endswith("*") else f"'{t}'"

        def group(g: tuple[str, ...]) -> str:
            return "(" + " | ".join(map(term, g)) + ")"

        return " | ".join("(" + " & ".join(map(group, c)) + ")" for c in self.clauses)
