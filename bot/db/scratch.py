"""The IMDb import's scratch file: a throwaway SQLite file a helper process fills.

Parsing is Python, so the importer spreads it over two processes (bot/catalog/
imdb_stage.py); the helper writes the side datasets here, and the backend's catalog load
(bot/db/catalog_load.py) reads them back: SQLite attaches the file and copies in C,
PostgreSQL streams it into temporary tables with COPY. The file holds scratch data
only: no journal, no syncs (a crash just means the import failed).

Each table keeps its rows in the order they were written (`seq`), so "the first one
wins" rules survive the copy on every backend.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# table -> its columns after `seq`
STAGE_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "stage_people": (
        ("id", "INTEGER"), ("number", "INTEGER"), ("imdb_id", "TEXT"), ("name", "TEXT"),
        ("norm", "TEXT"), ("born", "INTEGER"), ("died", "INTEGER"), ("professions", "TEXT"),
    ),
    "stage_ratings": (("rating", "REAL"), ("votes", "INTEGER"), ("id", "INTEGER")),
    "stage_akas": (("alias", "TEXT"), ("norm", "TEXT"), ("region", "TEXT"), ("id", "INTEGER")),
    "stage_crew": (("title_id", "INTEGER"), ("person_id", "INTEGER"), ("role", "TEXT")),
}  # fmt: skip


def create_stage(path: Path) -> None:
    """A fresh, empty scratch file."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    try:
        for table, columns in STAGE_TABLES.items():
            spec = ", ".join(f"{name} {kind}" for name, kind in columns)
            conn.execute(f"CREATE TABLE {table} (seq INTEGER PRIMARY KEY, {spec})")
        conn.commit()
    finally:
        conn.close()


class StageWriter:
    """Appends rows to the scratch file's tables, in one transaction."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode = OFF")
        self._conn.execute("PRAGMA synchronous = OFF")
        self._conn.execute("PRAGMA cache_size = -4096")
        self._conn.execute("BEGIN")

    def write(self, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
        columns = STAGE_TABLES[table]
        names = ", ".join(name for name, _ in columns)
        marks = ", ".join("?" * len(columns))
        self._conn.executemany(f"INSERT INTO {table}({names}) VALUES ({marks})", rows)

    def commit(self) -> None:
        self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> StageWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_stage(path: Path, table: str, batch: int = 20_000) -> Iterable[list[tuple[Any, ...]]]:
    """A scratch table's rows in write order, in batches (for backends that copy them)."""
    conn = sqlite3.connect(path)
    try:
        names = ", ".join(["seq", *(name for name, _ in STAGE_TABLES[table])])
        cursor = conn.execute(f"SELECT {names} FROM {table} ORDER BY seq")
        while rows := cursor.fetchmany(batch):
            yield rows
    finally:
        conn.close()
