"""Getting packs into the store (files, attachments, the bundled ones) and closing stale games."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

from bot.db.store import IntegrityError, Store
from bot.trivia.models import GameRecord, ImportResult
from bot.trivia.packs import PackError, load_pack_bytes
from bot.trivia.repository import TriviaRepository
from bot.trivia.runner import utc_now

log = logging.getLogger(__name__)

PACK_SUFFIXES = (".yaml", ".yml", ".json")


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def import_pack_bytes(
    store: Store,
    data: bytes,
    filename: str,
    *,
    source: str,
    guild: int | None = None,
    name: str | None = None,
) -> ImportResult:
    """Validate the whole file, then store it in one transaction (all or nothing)."""
    pack = load_pack_bytes(data, filename, name=name)
    return await TriviaRepository(store).import_pack(
        pack, source=source, digest=content_digest(data), guild=guild
    )


async def import_pack_file(store: Store, path: str | Path, *, name: str | None = None):
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PackError(f"cannot read {path}: {exc.strerror}") from None
    return await import_pack_bytes(store, data, path.name, source=f"file:{path.name}", name=name)


async def install_bundled_packs(store: Store, data_dir: Path) -> list[ImportResult]:
    """Load data/trivia/* into the store; unchanged files are skipped, broken ones logged."""
    folder = data_dir / "trivia"
    if not folder.is_dir():
        return []
    results: list[ImportResult] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in PACK_SUFFIXES:
            continue
        try:
            data = path.read_bytes()
            results.append(
                await import_pack_bytes(store, data, path.name, source=f"bundled:{path.name}")
            )
        except (OSError, PackError) as exc:
            log.error("bundled trivia pack %s not loaded: %s", path.name, exc)
        except IntegrityError:  # processes of a cluster start together
            log.info("bundled trivia pack %s was stored by another process", path.name)
    return results


async def nobody_alive(owners: set[int]) -> set[int]:
    return set()


async def abandoned_games(
    games: Iterable[GameRecord],
    *,
    me: int | None,
    alive: Callable[[set[int]], Awaitable[set[int]]],
    runs_here: Callable[[int], bool],
) -> list[GameRecord]:
    """The games among `games` that no process runs any more.

    A game belongs to the process that started it (`owner`, its coordination token):
    another process's game is abandoned only when that process is gone (`alive` says
    which owners still run), so a second process on the same shard never ends a live
    game. This process's (`me`) own game is abandoned when its channel is not one it
    runs a game in (`runs_here`, asked last: a game being set up counts), as after a
    reload of the trivia cog; so is a game without an owner, started before games had
    owners.
    """
    games = list(games)
    others = {g.owner for g in games if g.owner is not None and g.owner != me}
    living = await alive(others) if others else set()
    return [
        g
        for g in games
        if (g.owner not in living if g.owner not in (None, me) else not runs_here(g.channel))
    ]


async def close_stale_games(
    repo: TriviaRepository,
    *,
    owns: Callable[[int], bool] = lambda guild: True,
    me: int | None = None,
    alive: Callable[[set[int]], Awaitable[set[int]]] = nobody_alive,
    runs_here: Callable[[int], bool] = lambda channel: False,
) -> list[GameRecord]:
    """End the abandoned games (see `abandoned_games`) of the servers this process
    `owns`; answers so far are already saved. Returns the games this call ended (one
    another process ended at the same moment is not among them: it announces it)."""
    games = [g for g in await repo.running_games() if owns(g.guild)]
    closed: list[GameRecord] = []
    for game in await abandoned_games(games, me=me, alive=alive, runs_here=runs_here):
        if await repo.interrupt_game(game.id, utc_now()):
            closed.append(game)
    return closed
