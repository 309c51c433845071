"""The PostgreSQL backend of `Store`: asyncpg with a pool, for several bot processes over
one database. Numbered migrations in bot/db/migrations/postgresql; word indexes are
generated tsvector columns with GIN indexes (see its 001_initial.sql).

Callers write `?` placeholders; they become `$1, $2, ...` here (outside quoted text).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg

from bot.db.store import (
    IntegrityError,
    Params,
    SearchRules,
    Store,
    TableInfo,
    WordQuery,
    describe_target,
    load_migrations,
)
from bot.errors import SchemaTooNewError, UserFacingError

log = logging.getLogger(__name__)

POOL_SIZE = 10
# Catalog word queries (`_match_in_id_order`): the rows walked first, whatever the words;
# what a match found through the word index costs in rows walked in id order (measured
# at 1M titles: about 3 us against 1 us; a walk reads an entity's pages in order, each
# match costs its own page); how far past its expected end a walk may go before the word
# index takes over.
ID_WINDOW = 2048
_BEFORE_ANY_ID = -(2**63)
MATCH_COST = 3
WALK_MARGIN = 4
MAX_LEXEME_CHARS = 2047 // 4  # in characters of up to 4 bytes
# asyncpg prepares every statement and reuses it; after five runs PostgreSQL may switch
# to a generic plan that ignores the values, and for a word query that plan walked the
# whole search table (645 ms at 100k titles, against 2 ms planned for the actual words).
# Plans are cheap to make for this bot's small statements, so each run gets its own.
SERVER_SETTINGS = {"plan_cache_mode": "force_custom_plan"}
BUILD_MEMORY = "256MB"  # maintenance_work_mem while a bulk load builds its indexes
_MIGRATE_LOCK = 0x6D617271  # advisory lock key held while migrating ("marq")

# Word indexes: name -> (table, tsvector column, extra condition, ORDER BY); an ORDER BY
# of None means id order (see `_match_in_id_order`).
_WORD_INDEXES = {
    "search_title": ("search_names", "words", "s.entity = 'title'", None),
    "search_person": ("search_names", "words", "s.entity = 'person'", None),
    # Weights D, C, B, A: headline words (A) count 4 times body words (D), as bm25's
    # column weights do on SQLite.
    "articles": (
        "articles", "fts", "",
        "ts_rank('{0.25, 0.25, 0.25, 1.0}', s.fts, q.q) DESC, s.published DESC",
    ),
}  # fmt: skip
_VOCAB = {"articles": "SELECT fts FROM articles"}


@functools.lru_cache(maxsize=2048)
def to_dollar_params(sql: str) -> str:
    """`?` placeholders as `$1, $2, ...`, leaving quoted strings and identifiers alone."""
    out: list[str] = []
    n = 0
    quote: str | None = None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "?":
            n += 1
            out.append(f"${n}")
            continue
        out.append(ch)
    return "".join(out)


def _rowcount(status: str) -> int:
    """Rows changed, from a command tag such as 'INSERT 0 3' or 'UPDATE 2'."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def _numeric(text: str) -> int | float:
    # sum() over BIGINT is NUMERIC in PostgreSQL; SQLite gives an int, so do we.
    return int(text) if text.lstrip("-").isdigit() else float(text)


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "numeric", encoder=str, decoder=_numeric, schema="pg_catalog", format="text"
    )


class PostgresStore(Store):
    """A PostgreSQL database. Create with `await Store.open("postgresql://...")`.

    Each transaction holds one pooled connection, bound to the task that opened it; other
    tasks read through other connections (READ COMMITTED), so they never see uncommitted
    writes, and several processes can write at once.
    """

    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self.pool = pool
        self.path = url
        self._current: contextvars.ContextVar[tuple[asyncio.Task[Any], Any] | None] = (
            contextvars.ContextVar(f"marquee_tx_{id(self)}", default=None)
        )

    @classmethod
    async def connect(cls, url: str, *, migrate: bool = True) -> PostgresStore:
        try:
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=POOL_SIZE, init=_init_connection,
                server_settings=SERVER_SETTINGS,
            )  # fmt: skip
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
            raise UserFacingError(
                f"cannot open PostgreSQL database {describe_target(url)}: {exc}"
            ) from None
        store = cls(pool, url)
        try:
            await store.check_version()
            if migrate:
                await store.migrate()
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        await self.pool.close()

    # -- schema ---------------------------------------------------------------

    async def schema_version(self) -> int:
        exists = await self.fetchval("SELECT to_regclass('marquee_schema') IS NOT NULL")
        if not exists:
            return 0
        return int(await self.fetchval("SELECT coalesce(max(version), 0) FROM marquee_schema"))

    async def check_version(self) -> int:
        current = await self.schema_version()
        known = max((m.version for m in load_migrations(self.dialect)), default=0)
        if current > known:
            raise SchemaTooNewError(
                f"database {self.describe()} has schema version {current}, newer than this "
                f"Marquee knows ({known}); upgrade Marquee or use another MARQUEE_DB"
            )
        return current

    async def migrate(self, up_to: int | None = None) -> list[int]:
        """Apply pending migrations, each in its own transaction under an advisory lock,
        so two processes starting on a new database apply each migration once."""
        await self.check_version()
        applied: list[int] = []
        for migration in load_migrations(self.dialect):
            if up_to is not None and migration.version > up_to:
                break
            async with self.transaction():
                conn = self._conn()
                await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATE_LOCK)
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS marquee_schema (version BIGINT PRIMARY KEY)"
                )
                current = await conn.fetchval(
                    "SELECT coalesce(max(version), 0) FROM marquee_schema"
                )
                if migration.version <= current:
                    continue
                await conn.execute(migration.sql)
                await conn.execute("INSERT INTO marquee_schema VALUES ($1)", migration.version)
            log.info("applied migration postgresql/%s", migration.name)
            applied.append(migration.version)
        return applied

    # -- queries --------------------------------------------------------------

    def _conn(self) -> Any:
        """The calling task's transaction connection, or None."""
        current = self._current.get()
        if current is not None and current[0] is asyncio.current_task():
            return current[1]
        return None

    @property
    def in_transaction(self) -> bool:
        return self._conn() is not None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresStore]:
        if self._conn() is not None:
            yield self
            return
        async with self.pool.acquire() as conn:
            token = self._current.set((asyncio.current_task(), conn))  # type: ignore[arg-type]
            try:
                async with conn.transaction():
                    try:
                        yield self
                    except asyncpg.IntegrityConstraintViolationError as exc:
                        raise IntegrityError(str(exc)) from exc
            except asyncpg.IntegrityConstraintViolationError as exc:  # deferred, at COMMIT
                raise IntegrityError(str(exc)) from exc
            finally:
                self._current.reset(token)

    async def execute(self, sql: str, params: Params = ()) -> int:
        conn = self._conn()
        try:
            if conn is None:
                status = await self.pool.execute(to_dollar_params(sql), *params)
            else:
                status = await conn.execute(to_dollar_params(sql), *params)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(str(exc)) from exc
        return _rowcount(status)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        rows = list(rows)
        if not rows:
            return
        async with self.transaction():
            try:
                await self._conn().executemany(to_dollar_params(sql), rows)
            except asyncpg.IntegrityConstraintViolationError as exc:
                raise IntegrityError(str(exc)) from exc

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        conn = self._conn()
        try:
            if conn is None:
                return await self.pool.fetch(to_dollar_params(sql), *params)
            return await conn.fetch(to_dollar_params(sql), *params)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(str(exc)) from exc

    async def bulk_insert(
        self, table: str, columns: Sequence[str], rows: Iterable[Params], *,
        skip_existing: bool = False,
    ) -> int:  # fmt: skip
        """COPY (through a temporary table when existing keys are to be skipped), then
        move the table's id sequence past explicit ids."""
        records = [tuple(r) for r in rows]
        if not records:
            return 0
        async with self.transaction():
            conn = self._conn()
            try:
                if skip_existing:
                    names = ", ".join(f'"{c}"' for c in columns)
                    await conn.execute(f"DROP TABLE IF EXISTS bulk_{table}")
                    await conn.execute(
                        f"CREATE TEMP TABLE bulk_{table} ON COMMIT DROP AS "
                        f"SELECT {names} FROM {table} WITH NO DATA"
                    )
                    await conn.copy_records_to_table(
                        f"bulk_{table}", records=records, columns=list(columns)
                    )
                    await conn.execute(
                        f"INSERT INTO {table}({names}) SELECT {names} FROM bulk_{table}"
                        " ON CONFLICT DO NOTHING"
                    )
                else:
                    await conn.copy_records_to_table(table, records=records, columns=list(columns))
            except asyncpg.IntegrityConstraintViolationError as exc:
                raise IntegrityError(str(exc)) from exc
            if "id" in columns:
                await self._advance_identity(table)
        return len(records)

    async def replace_rows(self, table: str, columns: Sequence[str], rows: Iterable[Params]) -> int:
        """TRUNCATE, drop the indexes that back no constraint, COPY, build them again.
        Loading 1.7M search rows under their GIN and B-tree indexes took minutes; built
        afterwards, each index is one sorted pass. The table is locked first: processes
        of a cluster starting together replace it one after the other, each reading the
        index definitions the one before left."""
        async with self.transaction():
            conn = self._conn()
            await conn.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            indexes = await conn.fetch(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
                " FROM pg_index i WHERE i.indrelid = $1::regclass AND NOT EXISTS"
                " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                table,
            )
            await conn.execute(f"TRUNCATE {table}")
            for name, _ in indexes:
                await conn.execute(f"DROP INDEX {name}")
            count = await self.bulk_insert(table, columns, rows)
            await conn.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
            for _, ddl in indexes:
                await conn.execute(ddl)
        return count

    async def tidy(self, tables: Sequence[str]) -> None:
        """VACUUM ANALYZE: statistics for the planner, dead rows gone (an empty queue
        table whose index still holds a million dead entries costs every search a scan of
        them) and the visibility map set, so index-only scans stay index-only."""
        if self.in_transaction:
            return
        for table in tables:
            await self.pool.execute(f"VACUUM (ANALYZE) {table}")

    async def _advance_identity(self, table: str) -> None:
        sequence = await self._conn().fetchval("SELECT pg_get_serial_sequence($1, 'id')", table)
        if sequence:
            await self._conn().execute(
                f"SELECT setval($1, (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)",
                sequence,
            )

    # -- word indexes -----------------------------------------------------------

    async def index_words(self, index: str, rows: Iterable[tuple[int, str]]) -> None:
        """Nothing to do: the tsvector column is generated from the row itself."""

    async def unindex_words(self, index: str, rows: Iterable[tuple[int, str]]) -> None:
        """Nothing to do: the tsvector column goes with its row."""

    async def match_words(
        self, index: str, query: WordQuery, limit: int, columns: str, where: str = "",
        params: Params = (),
    ) -> list[Any]:  # fmt: skip
        # A lexeme holds at most 2047 bytes: longer words are in no tsvector.
        usable = query.without_terms_over(MAX_LEXEME_CHARS)
        if usable is None:
            return []
        query = usable
        table, column, condition, order = _WORD_INDEXES[index]
        if order is None:
            return await self._match_in_id_order(
                table, f"s.{column} @@ q.q", condition, query, limit, columns, where, params
            )
        conditions = [f"s.{column} @@ q.q", *(c for c in (condition, where) if c)]
        return await self.fetchall(
            f"SELECT {columns} FROM {table} s, (SELECT ?::tsquery AS q) q "
            f"WHERE {' AND '.join(f'({c})' for c in conditions)} ORDER BY {order} LIMIT ?",
            (query.tsquery(), *params, limit),
        )

    async def _match_in_id_order(
        self, table: str, match: str, scope: str, query: WordQuery, limit: int, columns: str,
        where: str, params: Params,
    ) -> list[Any]:  # fmt: skip
        """The first `limit` rows of `table` in `scope` (an index's entity) in id order
        satisfying `match` (a word match on a GIN index) and `where`, at a cost that
        stays small whatever the words.

        GIN finds the matching rows in no particular order: taking the first by id means
        fetching and sorting them all, which costs per match (a common word: a large part
        of the table, 0.5 s at 1M titles); walking the rows in id order until enough
        match costs per row walked (a rare word: the whole table). PostgreSQL picks
        between the two from estimates, and estimates off by a factor of 50 (correlated
        words) made either disastrous. So the choice is made here, on what the data says:
        the first ID_WINDOW rows are walked; the density of matches there says which is
        cheaper for the rest: a walk (bounded; the word index takes over if the density
        was a fluke) or the word index (`s.id + 0` keeps the id order out of the
        planner's choices).
        """
        tsquery = query.tsquery()
        also = f"({where}) AND " if where else ""
        walk = (
            f"SELECT {columns} FROM (SELECT * FROM {table} s WHERE ({scope}) AND s.id > ?"
            f" ORDER BY s.id LIMIT ?) s, (SELECT ?::tsquery AS q) q"
            f" WHERE {also}{match} ORDER BY s.id LIMIT ?"
        )
        rows = await self.fetchall(walk, (_BEFORE_ANY_ID, ID_WINDOW, tsquery, *params, limit))
        if len(rows) >= limit:
            return rows
        last, total = await self.fetchone(
            f"SELECT max(s.id), (SELECT reltuples FROM pg_class WHERE oid = ?::regclass)"
            f" FROM (SELECT s.id FROM {table} s WHERE ({scope}) ORDER BY s.id LIMIT ?) s",
            (table, ID_WINDOW),
        )
        if last is None:  # nothing beyond the window
            return rows
        density = (len(rows) + 1) / ID_WINDOW  # one more: none found still means "rare"
        walk_rows = (limit - len(rows)) / density
        if walk_rows < MATCH_COST * density * max(total, ID_WINDOW):
            span = int(WALK_MARGIN * walk_rows)
            rows += await self.fetchall(walk, (last, span, tsquery, *params, limit - len(rows)))
            if len(rows) >= limit:
                return rows
            last = await self.fetchval(
                f"SELECT max(s.id) FROM (SELECT s.id FROM {table} s WHERE ({scope})"
                " AND s.id > ? ORDER BY s.id LIMIT ?) s",
                (last, span),
            )
            if last is None:
                return rows
        rows += await self.fetchall(
            f"SELECT {columns} FROM {table} s, (SELECT ?::tsquery AS q) q"
            f" WHERE ({scope}) AND {also}{match} AND s.id > ? ORDER BY s.id + 0 LIMIT ?",
            (tsquery, *params, last, limit - len(rows)),
        )
        return rows

    async def word_counts(self, index: str) -> dict[str, int]:
        rows = await self.fetchall("SELECT word, ndoc FROM ts_stat(?)", (_VOCAB[index],))
        return {word: n for word, n in rows}

    async def rebuild_search(self, rules: SearchRules) -> None:
        await rules.through_store(self)

    # -- operations -----------------------------------------------------------

    async def table_counts(self) -> dict[str, int]:
        names = [
            r[0]
            for r in await self.fetchall(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                " AND tablename <> 'marquee_schema' ORDER BY tablename"
            )
        ]
        return {name: await self.fetchval(f'SELECT count(*) FROM "{name}"') for name in names}

    async def tables(self) -> list[TableInfo]:
        rows = await self.fetchall(
            "SELECT c.relname,"
            " array(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid"
            "  AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
            "  ORDER BY a.attnum),"
            " array(SELECT a.attname FROM pg_constraint k"
            "  JOIN unnest(k.conkey) WITH ORDINALITY AS u(n, i) ON true"
            "  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = u.n"
            "  WHERE k.conrelid = c.oid AND k.contype = 'p' ORDER BY u.i),"
            " array(SELECT DISTINCT f.confrelid::regclass::text FROM pg_constraint f"
            "  WHERE f.conrelid = c.oid AND f.contype = 'f')"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'r' AND n.nspname = current_schema()"
            " AND c.relname <> 'marquee_schema' ORDER BY c.relname"
        )
        return [TableInfo(r[0], tuple(r[1]), tuple(r[2]), frozenset(r[3])) for r in rows]

    async def backup(self, target: str | Path) -> Path:
        raise UserFacingError(
            "`marquee db backup` copies SQLite files; back up PostgreSQL with pg_dump"
        )
