"""`marquee trivia import FILE` and `marquee trivia packs`: the CLI side of packs."""

from __future__ import annotations

import argparse

from bot.settings import Settings
from bot.trivia.library import import_pack_file, install_bundled_packs
from bot.trivia.packs import load_pack_file
from bot.trivia.repository import TriviaRepository


async def trivia_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime import open_store

    if args.trivia_command == "import":
        load_pack_file(args.file, name=args.name)  # refuse a bad file before opening the store
    store = await open_store(settings)
    try:
        await install_bundled_packs(store, settings.data_dir)
        if args.trivia_command == "import":
            result = await import_pack_file(store, args.file, name=args.name)
            if result.unchanged:
                print(f"pack {result.name!r} is already up to date ({result.questions} questions)")
            else:
                verb = "replaced" if result.replaced else "imported"
                print(f"{verb} pack {result.name!r}: {result.questions} questions")
        else:
            for pack in await TriviaRepository(store).list_packs(None):
                print(f"{pack.name}  {pack.questions} questions  ({pack.source})")
    finally:
        await store.close()
    return 0
