"""Getting packs into the store (files, attachments, the bundled ones) and closing stale games."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
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


async def close_stale_games(
    repo: TriviaRepository, *, is_stale: Callable[[GameRecord], bool] = lambda game: True
) -> list[GameRecord]:
    """Games left running by a previous process: end them; answers so far are already saved.

    `is_stale` leaves out games this process runs, and other shards' games.
    """
    closed: list[GameRecord] = []
    for game in await repo.running_games():
        if not is_stale(game):
            continue
        await repo.finish_game(game.id, "interrupted", utc_now())
        closed.append(game)
    return closed
