"""The SQLite catalog load: a private sqlite3 connection, one transaction, C-speed copies.

Why plain sqlite3 and not the Store: millions of rows go in through `executemany` over
the parser's generators in ONE transaction, an order of magnitude faster than per-row
async calls, and the load is all-or-nothing: an error, a Ctrl-C or a kill leaves the
file exactly as it was (SQLite rolls the transaction back).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from bot.db.catalog_load import DERIVED_PREFIXES, CatalogLoad, LoadFailed, Reference
from bot.db.sqlite_search import rebuild_search_tables
from bot.db.store import Params, SearchRules

log = logging.getLogger(__name__)

CACHE_KIB = 16 * 1024  # page cache: loads append in id order, a big cache buys nothing
STAGE_SCHEMA = "imdb_stage"


class SqliteCatalogLoad(CatalogLoad):
    dialect = "sqlite"

    def __init__(self, path: Path, stage_path: Path | None, *, fast: bool = True) -> None:
        self.path = path
        self._interrupted = False
        self._saved: dict[str, list[str]] = {"index": [], "trigger": []}
        self._done = False
        try:
            self._conn = conn = sqlite3.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise LoadFailed(str(exc)) from None
        try:
            self._configure()
            self._switched = fast and self._leave_wal()
            # ATTACH is refused inside a transaction; BEGIN IMMEDIATE would lock the
            # scratch file too (and so lock the helper out), so the write lock on the
            # store is taken by a first write instead.
            if stage_path is not None:
                conn.execute(f"ATTACH DATABASE ? AS {STAGE_SCHEMA}", (str(stage_path),))
            self._stage = stage_path is not None
            conn.execute("BEGIN")
            conn.execute("DELETE FROM main.meta WHERE 0")
        except sqlite3.Error as exc:
            self._close()
            raise LoadFailed(str(exc)) from None

    def _configure(self) -> None:
        conn = self._conn
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
        conn.set_progress_handler(lambda: 1 if self._interrupted else 0, 1_000_000)

    def _leave_wal(self) -> bool:
        """Use a rollback journal for the load when no one else has the database open.

        In WAL mode every page is written twice (to the log, then into the database);
        with a rollback journal only the few pages that existed before are copied, and
        the load stays just as atomic. With the bot running, WAL stays (SQLite refuses
        the switch), which is slower but equally safe. Returns True if switched.
        """
        mode = self._conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode.lower() != "wal":
            return False
        try:
            switched = self._conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:  # another connection is open
            return False
        return bool(switched.lower() == "delete")

    # -- lifecycle ------------------------------------------------------------------

    def commit(self) -> None:
        try:
            self._conn.execute("COMMIT")
            if not self._switched:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            self.rollback()
            raise LoadFailed(str(exc)) from None
        self._close()

    def rollback(self) -> None:
        if self._done:
            return
        with contextlib.suppress(sqlite3.Error):
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
        self._close()

    def _close(self) -> None:
        self._done = True
        conn = self._conn
        if getattr(self, "_stage", False) and not conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute(f"DETACH DATABASE {STAGE_SCHEMA}")
        if getattr(self, "_switched", False):  # back to WAL (Store.open would do it too)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.Error as exc:
                log.warning("could not switch %s back to WAL: %s", self.path, exc)
        conn.close()

    def interrupt(self) -> None:
        self._interrupted = True

    # -- portable SQL -----------------------------------------------------------------

    def execute(self, sql: str, params: Params = ()) -> int:
        try:
            return self._conn.execute(sql, params).rowcount
        except sqlite3.Error as exc:
            raise LoadFailed(str(exc)) from None

    def fetchall(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise LoadFailed(str(exc)) from None

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
        on_conflict: str = "",
    ) -> None:  # fmt: skip
        names = ", ".join(columns)
        marks = ", ".join("?" * len(columns))
        try:
            self._conn.executemany(
                f"INSERT INTO {table}({names}) VALUES ({marks}) {on_conflict}", rows
            )
        except sqlite3.Error as exc:
            raise LoadFailed(str(exc)) from None

    # -- structure ----------------------------------------------------------------------

    def drop_secondary_schema(self, tables: Sequence[str]) -> None:
        conn = self._conn
        for table in tables:
            for _seq, name, unique, origin, _partial in conn.execute(
                f'PRAGMA index_list("{table}")'
            ).fetchall():
                if origin == "c" and not unique:
                    sql = conn.execute(
                        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
                    ).fetchone()[0]
                    self._saved["index"].append(sql)
                    conn.execute(f'DROP INDEX "{name}"')
        marks = ",".join("?" * len(tables))
        for name, sql in conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
            tuple(tables),
        ).fetchall():
            self._saved["trigger"].append(sql)
            conn.execute(f'DROP TRIGGER "{name}"')

    def restore_indexes(self) -> None:
        for sql in self._saved["index"]:
            self.execute(sql)
        self._saved["index"] = []
        self.execute("PRAGMA analysis_limit = 1000")  # sampled statistics: fast, good plans
        self.execute("ANALYZE main")

    def restore_triggers(self) -> None:
        for sql in self._saved["trigger"]:
            self.execute(sql)
        self._saved["trigger"] = []

    def references(self, table: str, entity: str) -> list[Reference]:
        conn = self._conn
        found: list[Reference] = []
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
            )
        ]
        for name in names:
            if name.startswith(DERIVED_PREFIXES):
                continue
            columns = {c[1] for c in conn.execute(f'PRAGMA main.table_info("{name}")')}
            has_source = "source" in columns
            for fk in conn.execute(f'PRAGMA main.foreign_key_list("{name}")'):
                if fk[2] == table:
                    found.append(Reference(name, fk[3], None, has_source))
            if {"entity", "entity_id"} <= columns:
                found.append(Reference(name, "entity_id", entity, has_source))
        return found

    def move_references(self, ref: Reference, duplicate: int, keeper: int) -> None:
        self.execute(
            f'UPDATE OR IGNORE "{ref.table}" SET "{ref.column}" = ? WHERE "{ref.column}" = ?'
            + ref.condition(),
            (keeper, duplicate),
        )
        self.execute(
            f'DELETE FROM "{ref.table}" WHERE "{ref.column}" = ?' + ref.condition(), (duplicate,)
        )

    # -- the scratch file and search -------------------------------------------------------

    def use_stage(self, wanted_people: Callable[[int], bool]) -> None:
        if not self._stage:
            raise LoadFailed("no scratch file was attached to this load")
        self._conn.create_function("imdb_wanted", 1, wanted_people, deterministic=True)
        self.execute("DROP VIEW IF EXISTS temp.stage_wanted_people")
        self.execute(
            "CREATE TEMP VIEW stage_wanted_people AS"
            f" SELECT * FROM {STAGE_SCHEMA}.stage_people WHERE imdb_wanted(number)"
        )

    def rebuild_search(self, rules: SearchRules) -> None:
        try:
            rebuild_search_tables(self._conn, rules)
        except sqlite3.Error as exc:
            raise LoadFailed(str(exc)) from None
