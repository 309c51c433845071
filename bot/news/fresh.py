"""Reads that must see this process's latest commits.

`Store.fetch*` read from a second connection. While other tasks' statements are open
on it, that connection keeps one read snapshot, so a row committed a moment ago by
this task can be missing. The post log, feeds and reminders read back what they just
wrote (a reserved batch, a new feed, a subscriber), so those reads go through the
writing connection inside a transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from bot.db.store import Store


async def fetchall(store: Store, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
    async with store.transaction() as conn, conn.execute(sql, params) as cursor:
        return list(await cursor.fetchall())


async def fetchone(store: Store, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
    rows = await fetchall(store, sql, params)
    return rows[0] if rows else None


async def fetchval(store: Store, sql: str, params: Sequence[Any] = ()) -> Any:
    row = await fetchone(store, sql, params)
    return None if row is None else row[0]
