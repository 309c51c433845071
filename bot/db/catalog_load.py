"""One all-or-nothing bulk write of the catalog: the door the IMDb importer loads through.

The importer (bot/catalog/imdb.py) decides what goes in; a `CatalogLoad` owns the
connection and the single transaction it goes in with, and knows how its backend loads
millions of rows fast:

- SQLite (bot/db/sqlite_catalog_load.py): a private sqlite3 connection, executemany over
  the parser's generators, the helper's scratch file attached and copied in C;
- PostgreSQL (bot/db/postgres_catalog_load.py): one asyncpg connection, COPY in batches,
  the scratch file streamed into temporary tables.

Callers write portable SQL (`?` placeholders, `ON CONFLICT`, `CASE`); the few operations
that differ by dialect (dropping and restoring indexes, triggers and foreign keys; moving
references past unique keys; the search rebuild) are methods. Use as a context manager:
leaving it normally commits, an exception (Ctrl-C included) rolls everything back.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.db.store import Params, SearchRules, is_postgres_url

# Tables derived from the catalog and rebuilt after a load: never counted as references.
DERIVED_PREFIXES = ("search_",)
BATCH = 20_000  # rows per round trip when a load reads a table in pieces


class LoadFailed(Exception):
    """The database refused the load; nothing was written."""


@dataclass(frozen=True)
class Reference:
    """Rows of `table` that can point at an entity: `column` holds its id, and `entity`
    (for the polymorphic entity/entity_id pairs) the kind of entity they mean."""

    table: str
    column: str
    entity: str | None = None
    has_source: bool = False

    def condition(self) -> str:
        return f" AND entity = '{self.entity}'" if self.entity else ""


class CatalogLoad(ABC):
    """An open bulk load (see the module docstring)."""

    dialect: str

    def __enter__(self) -> CatalogLoad:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.rollback()

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None:
        """Undo everything; safe to call again, and after a failed commit."""

    @abstractmethod
    def interrupt(self) -> None:
        """From a signal handler: stop the running statement as soon as possible (it
        then raises LoadFailed, and the caller rolls back)."""

    # -- portable SQL -----------------------------------------------------------

    @abstractmethod
    def execute(self, sql: str, params: Params = ()) -> int:
        """One statement; returns the number of rows it changed."""

    @abstractmethod
    def fetchall(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]: ...

    def fetchval(self, sql: str, params: Params = ()) -> Any:
        rows = self.fetchall(sql, params)
        return rows[0][0] if rows else None

    @abstractmethod
    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
        on_conflict: str = "",
    ) -> None:  # fmt: skip
        """INSERT every row (a generator is read once, never held whole); `on_conflict`
        is an `ON CONFLICT ...` clause, whose `excluded.` names the incoming row."""

    def batches(
        self, table: str, columns: str, where: str = "TRUE", params: Params = ()
    ) -> Iterator[list[tuple[Any, ...]]]:
        """`SELECT columns FROM table WHERE where`, in id order and in pieces, so a scan of
        millions of rows holds only a batch (and the caller may write between pieces).
        The first column must be the table's `id`."""
        last = -(1 << 62)
        while True:
            rows = self.fetchall(
                f"SELECT {columns} FROM {table} WHERE ({where}) AND id > ? ORDER BY id LIMIT ?",
                (*params, last, BATCH),
            )
            if not rows:
                return
            yield rows
            last = rows[-1][0]

    def create_id_table(self, name: str) -> None:
        """A temporary table of ids (`id` column) for the load's set operations."""
        self.execute(f"CREATE TEMP TABLE {name} (id BIGINT PRIMARY KEY)")

    # -- structure ----------------------------------------------------------------

    @abstractmethod
    def drop_secondary_schema(self, tables: Sequence[str]) -> None:
        """Drop plain indexes, triggers (and on PostgreSQL foreign keys) of `tables` until
        `restore_indexes` and `restore_triggers`: building an index once over sorted
        data beats updating it row by row, and the triggers (search's change queue) are
        replaced by one rebuild. Unique indexes stay: the upserts rely on them."""

    @abstractmethod
    def restore_indexes(self) -> None:
        """Indexes back, then statistics for the planner."""

    @abstractmethod
    def restore_triggers(self) -> None:
        """Triggers (and foreign keys) back: the last step before the search rebuild,
        once every dangling reference has been cleaned up."""

    @abstractmethod
    def references(self, table: str, entity: str) -> list[Reference]:
        """Every column that can point at rows of `table`, found from the schema, so
        tables added later (with a foreign key or an entity/entity_id pair) count too."""

    @abstractmethod
    def move_references(self, ref: Reference, duplicate: int, keeper: int) -> None:
        """Point `ref`'s rows from `duplicate` to `keeper`; a row that would then repeat
        one `keeper` already has (a unique key) is dropped instead."""

    def merge_into(self, table: str, entity: str, duplicate: int, keeper: int) -> None:
        """Move every reference from row `duplicate` to row `keeper`, then delete it."""
        for ref in self.references(table, entity):
            self.move_references(ref, duplicate, keeper)
        self.execute(f'DELETE FROM "{table}" WHERE id = ?', (duplicate,))

    def delete_unreferenced(self, table: str, entity: str, ids_table: str) -> int:
        """Delete the rows listed in `ids_table` that nothing from outside IMDb refers to.

        IMDb's own credits and aliases for them go too; a row an article (or a person)
        still points at stays, so no article fact is ever lost to a re-import.
        """
        refs = self.references(table, entity)
        keep = [
            f'EXISTS (SELECT 1 FROM "{r.table}" WHERE "{r.column}" = s.id{r.condition()}'
            + (" AND source <> 'imdb'" if r.has_source else "")
            + ")"
            for r in refs
        ]
        if keep:
            self.execute(f"DELETE FROM {ids_table} AS s WHERE {' OR '.join(keep)}")
        for r in refs:
            self.execute(
                f'DELETE FROM "{r.table}" WHERE "{r.column}" IN (SELECT id FROM {ids_table})'
                + r.condition()
            )
        return self.execute(f'DELETE FROM "{table}" WHERE id IN (SELECT id FROM {ids_table})')

    # -- the scratch file and search ---------------------------------------------------

    @abstractmethod
    def use_stage(self, wanted_people: Callable[[int], bool]) -> None:
        """Make the scratch file's tables readable as stage_ratings, stage_akas,
        stage_crew, and its people that `wanted_people(number)` keeps as
        stage_wanted_people (bot/db/scratch.py)."""

    @abstractmethod
    def rebuild_search(self, rules: SearchRules) -> None:
        """Rebuild the catalog's search index inside this load's transaction."""


def open_catalog_load(
    target: str | Path, stage_path: Path | None = None, *, fast: bool = True
) -> CatalogLoad:
    """Begin a load into the database at `target` (a SQLite path or a PostgreSQL URL),
    whose schema must be current. `stage_path` is the scratch file, if any. `fast`
    lets SQLite leave WAL for a rollback journal when nothing else has the file open."""
    if is_postgres_url(target):
        from bot.db.postgres_catalog_load import PostgresCatalogLoad

        return PostgresCatalogLoad(str(target), stage_path)
    from bot.db.sqlite_catalog_load import SqliteCatalogLoad

    return SqliteCatalogLoad(Path(str(target).removeprefix("sqlite:")), stage_path, fast=fast)
