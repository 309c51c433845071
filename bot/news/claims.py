"""Taking over pending sends (news batches, reminder firings) between processes.

A pending row is held by the process that reserved it (`claimed_by`, its coordination
token). Another process may take it only when nobody holds it or its holder is no
longer alive, and takes it with one conditional UPDATE that names the holder it saw:
of two processes trying at once, exactly one changes the row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Literal, TypeVar

from bot.db.store import Store

Item = TypeVar("Item", bound=Any)  # a frozen dataclass with `marker` and `claimed_by`


async def take_over(
    store: Store,
    table: Literal["post_batches", "reminder_fires"],
    items: Sequence[Item],
    owner: int | None,
    alive: set[int],
    busy: set[str],
) -> list[Item]:
    """The pending `items` this process (`owner`) may send now, claimed for it: its own
    (unless being sent right now: `busy` markers), unclaimed ones, and those whose
    holder is not `alive`. One taken at the same moment by another process is left."""
    taken = []
    for item in items:
        holder = item.claimed_by
        if item.marker in busy or (holder is not None and holder != owner and holder in alive):
            continue
        claimed = await store.execute(
            f"UPDATE {table} SET claimed_by = ? WHERE marker = ? AND state = 'pending' "
            "AND coalesce(claimed_by, 0) = ?",
            (owner, item.marker, holder or 0),
        )
        if claimed:
            taken.append(dataclasses.replace(item, claimed_by=owner))
    return taken
