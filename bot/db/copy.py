"""`marquee db copy --to URL`: move a store (SQLite) into another (PostgreSQL).

Tables go parents first (by their foreign keys), each in batches ordered by its primary
key, each batch committed on its own: an interrupted copy is resumed by running it
again, which starts every table after the highest key already there (rows already
copied are skipped, never doubled). Derived search tables are rebuilt in the target
afterwards rather than copied. At the end every table's row count is compared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.db.store import Store, TableInfo, placeholders

log = logging.getLogger(__name__)

BATCH_ROWS = 20_000
# Rebuilt from the catalog in the target (bot/catalog/search.py, bot/news/reading.py).
DERIVED = frozenset(
    {"search_names", "search_vocab", "search_deletes", "search_dirty",
     "news_typo_words", "news_typo_deletes"}
)  # fmt: skip
# Stamps of derived data: the target's rebuild writes its own.
DERIVED_META = ("search_key_version", "news_typo_stamp")


@dataclass
class CopyReport:
    copied: dict[str, int] = field(default_factory=dict)  # rows written per table
    problems: list[str] = field(default_factory=list)

    def describe(self) -> str:
        total = sum(self.copied.values())
        lines = [f"copied {total} rows in {len(self.copied)} tables"]
        lines += self.problems
        return "\n".join(lines)


def copy_order(tables: list[TableInfo]) -> list[TableInfo]:
    """Parents before the tables that reference them (self-references ignored)."""
    by_name = {t.name: t for t in tables}
    done: list[TableInfo] = []
    seen: set[str] = set()

    def visit(table: TableInfo, path: frozenset[str]) -> None:
        if table.name in seen or table.name in path:
            return
        for parent in sorted(table.references - {table.name}):
            if parent in by_name:
                visit(by_name[parent], path | {table.name})
        seen.add(table.name)
        done.append(table)

    for table in sorted(tables, key=lambda t: t.name):
        visit(table, frozenset())
    return done


async def copy_store(
    source: Store, target: Store, *, progress: Callable[[str], None] | None = None
) -> CopyReport:
    """Copy every table of `source` that `target` has; see the module docstring."""
    report = CopyReport()
    source_tables = {t.name: t for t in await source.tables()}
    target_tables = await target.tables()
    plans: dict[str, tuple[list[str], list[str]]] = {}
    for table in copy_order(target_tables):
        if table.name in DERIVED:
            continue
        origin = source_tables.get(table.name)
        if origin is None:
            continue
        columns = [c for c in table.columns if c in origin.columns]
        key = [c for c in origin.key if c in columns] or list(origin.key)
        if not key or len(key) != len(origin.key):
            report.problems.append(f"{table.name}: no primary key to copy by; skipped")
            continue
        plans[table.name] = (columns, key)
        if not await _copy_or_report(source, target, table.name, columns, key, report, True):
            continue
        if progress:
            progress(f"{table.name}: {report.copied[table.name]} rows copied")
    for name in DERIVED_META:
        await target.execute("DELETE FROM meta WHERE key = ?", (name,))
    # A table whose counts differ gets one full pass (rows already there are skipped):
    # resuming after the highest key assumes nothing else wrote to the target.
    for name in await _mismatched(source, target, report):
        columns, key = plans[name]
        await _copy_or_report(source, target, name, columns, key, report, False)
    for name in await _mismatched(source, target, report):
        report.problems.append(
            f"{name}: {await source.fetchval(f'SELECT count(*) FROM {name}')} rows in the "
            f"source, {await target.fetchval(f'SELECT count(*) FROM {name}')} in the target"
        )
    return report


async def _copy_or_report(
    source: Store, target: Store, table: str, columns: list[str], key: list[str],
    report: CopyReport, resume: bool,
) -> bool:  # fmt: skip
    try:
        copied = await _copy_table(source, target, table, columns, key, resume=resume)
    except Exception as exc:  # one line per problem; the other tables still go
        first = (str(exc).splitlines() or [""])[0][:200]
        report.problems.append(f"{table}: {type(exc).__name__}: {first}")
        return False
    report.copied[table] = report.copied.get(table, 0) + copied
    return True


async def _mismatched(source: Store, target: Store, report: CopyReport) -> list[str]:
    source_counts = await source.table_counts()
    target_counts = await target.table_counts()
    return [
        name
        for name in report.copied
        if name != "meta" and source_counts.get(name) != target_counts.get(name)
    ]


async def _copy_table(
    source: Store, target: Store, table: str, columns: list[str], key: list[str], *,
    resume: bool,
) -> int:  # fmt: skip
    names = ", ".join(f'"{c}"' for c in columns)
    key_names = ", ".join(f'"{c}"' for c in key)
    key_at = [columns.index(k) for k in key]
    # Resume after the highest key already in the target (a single-column key: ids).
    after: tuple | None = None
    if resume and len(key) == 1:
        top = await target.fetchval(f'SELECT max("{key[0]}") FROM {table}')
        after = None if top is None else (top,)
    # Into an empty table rows go straight in (COPY); otherwise rows already there are
    # skipped.
    skip_existing = bool(await target.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"))
    written = 0
    while True:
        where = ""
        params: tuple = ()
        if after is not None:
            where = f" WHERE ({key_names}) > ({placeholders(len(key))})"
            params = after
        rows = await source.fetchall(
            f"SELECT {names} FROM {table}{where} ORDER BY {key_names} LIMIT ?",
            (*params, BATCH_ROWS),
        )
        if not rows:
            return written
        async with target.transaction():
            # The target's own triggers (search's change queue: a row per title, person,
            # alias and credit, thrown away by the rebuild at the end) are off for the
            # batch, inside its transaction: a batch that fails or is killed leaves them on.
            if target.dialect == "postgresql":
                await target.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
            await target.bulk_insert(
                table, columns, [tuple(r) for r in rows], skip_existing=skip_existing
            )
            if target.dialect == "postgresql":
                await target.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
        written += len(rows)
        after = tuple(rows[-1][i] for i in key_at)
