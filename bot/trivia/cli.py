"""`marquee trivia import FILE` and `marquee trivia packs`: the CLI side of packs.

The store comes from the caller (`bot/cli.py` opens it), so trivia knows nothing of the
bot's start-up.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.db.store import Store
from bot.trivia.library import import_pack_file, install_bundled_packs
from bot.trivia.models import ImportResult
from bot.trivia.packs import load_pack_file
from bot.trivia.repository import TriviaRepository
from bot.wording import plural


def check_trivia_args(args: argparse.Namespace) -> None:
    """Refuse a bad pack file before the store is opened (raises PackError)."""
    if args.trivia_command == "import":
        load_pack_file(args.file, name=args.name)


async def trivia_command(store: Store, args: argparse.Namespace, data_dir: Path) -> int:
    await install_bundled_packs(store, data_dir)
    if args.trivia_command == "import":
        print(import_report(await import_pack_file(store, args.file, name=args.name)))
    else:
        for pack in await TriviaRepository(store).list_packs(None):
            print(f"{pack.name}  {plural(pack.questions, 'question')}  ({pack.source})")
    return 0


def import_report(result: ImportResult) -> str:
    """What an import did, then every note about the file, one per line."""
    questions = plural(result.questions, "question")
    if result.unchanged:
        head = f"pack {result.name!r} is already up to date ({questions})"
    else:
        head = f"{'replaced' if result.replaced else 'imported'} pack {result.name!r}: {questions}"
    if result.notes:
        head += f"; {plural(len(result.notes), 'note')}:"
    return "\n".join([head, *(f"  {note}" for note in result.notes)])
