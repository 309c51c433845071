"""`marquee` command line: run, sandbox, sync, ingest, db, import-imdb, trivia."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.errors import ConfigError, UserFacingError
from bot.settings import Settings, load_settings
from bot.wording import plural

LOG_TO_CONSOLE_HELP = "in the sandbox, print logs between the answers instead of to a file"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marquee", description="Marquee, the movie-night bot.")
    parser.add_argument("--version", action="version", version=f"marquee {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run", help="connect to Discord (the local sandbox when DISCORD_TOKEN is unset)"
    )
    sandbox = sub.add_parser(
        "sandbox", help="local Discord emulator with a prompt to type commands"
    )
    for parser_ in (run, sandbox):
        parser_.add_argument("--log-to-console", action="store_true", help=LOG_TO_CONSOLE_HELP)
    sandbox.add_argument(
        "--tmdb-fake",
        action="store_true",
        help="also start a local fake TMDB (a few invented films) and point the bot at it",
    )
    sub.add_parser("sync", help="push the slash commands to Discord now")
    cluster = sub.add_parser(
        "cluster",
        help="run the bot as N processes over one PostgreSQL store, restarting any that dies",
    )
    cluster.add_argument(
        "--processes", type=int, required=True, metavar="N",
        help="processes to start; the shards (SHARD_COUNT, else the count Discord "
        "recommends) are split between them",
    )  # fmt: skip

    ingest = sub.add_parser("ingest", help="add article files (first line 'date YYYY-MM-DD')")
    ingest.add_argument("files", nargs="+", metavar="FILE")
    ingest.add_argument(
        "--date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="publication date for files without a date line (default: stored as undated)",
    )
    ingest.add_argument("--source", metavar="NAME", help="the publisher, e.g. 'Variety'")
    ingest.add_argument("--url", metavar="URL", help="the article's address")

    imdb = sub.add_parser(
        "import-imdb", help="import IMDb's datasets (title.basics.tsv.gz, ...) found in DIR"
    )
    imdb.add_argument("directory", metavar="DIR")
    imdb.add_argument(
        "--types",
        metavar="LIST",
        help="title types to keep, comma-separated, or 'all' (default: movie,tvMovie)",
    )
    imdb.add_argument("--adult", action="store_true", help="keep adult titles too")
    imdb.add_argument(
        "--helper",
        choices=("auto", "on", "off"),
        default="auto",
        help="parse name.basics, ratings, akas and crew in a second process "
        "(auto: for big inputs on a machine with several cores)",
    )

    trivia = sub.add_parser("trivia", help="trivia packs")
    trivia_sub = trivia.add_subparsers(dest="trivia_command", required=True, metavar="ACTION")
    trivia_import = trivia_sub.add_parser(
        "import", help="import a Red trivia list (.yaml) or an Open Trivia DB file (.json)"
    )
    trivia_import.add_argument("file", metavar="FILE")
    trivia_import.add_argument("--name", help="pack name (default: from the file name)")
    trivia_sub.add_parser("packs", help="list the stored packs")

    db = sub.add_parser("db", help="database operations")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("stats", help="row counts per table")
    db_sub.add_parser("migrate", help="apply pending schema migrations")
    backup = db_sub.add_parser("backup", help="consistent copy, safe while the bot runs")
    backup.add_argument("path", metavar="PATH")
    db_sub.add_parser("reindex", help="rebuild the title/person search index from the catalog")
    copy = db_sub.add_parser(
        "copy", help="copy this store (MARQUEE_DB) into a PostgreSQL database; resumable"
    )
    copy.add_argument("--to", required=True, metavar="URL", help="postgresql://user:pw@host/db")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        if args.command == "import-imdb":  # synchronous: Ctrl-C must reach it at once
            return _import_imdb(settings, args)
        from bot.runtime import setup_logging

        setup_logging(settings)
        return asyncio.run(dispatch(args, settings))
    except ConfigError as exc:
        print(f"marquee: bad setting {exc}", file=sys.stderr)
        return 2
    except UserFacingError as exc:
        print(f"marquee: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: one line, never a traceback
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)
        print(f"marquee: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot import runtime

    if args.command == "run":
        if not settings.discord_token:
            print("DISCORD_TOKEN is not set: starting the local sandbox (type 'help').", flush=True)
            return await _sandbox(settings, args.log_to_console)
        return await runtime.run_bot(settings)
    if args.command == "sandbox":
        if args.tmdb_fake:
            return await _sandbox_with_fake_tmdb(settings, args.log_to_console)
        return await _sandbox(settings, args.log_to_console)
    if args.command == "sync":
        return await runtime.run_bot(settings, sync_only=True)
    if args.command == "cluster":
        return await _cluster(settings, args.processes)
    if args.command == "ingest":
        return await _ingest(settings, args)
    if args.command == "db":
        return await _db(settings, args)
    if args.command == "trivia":
        return await _trivia(settings, args)
    raise AssertionError(args.command)


async def _trivia(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime import open_store
    from bot.trivia.cli import check_trivia_args, trivia_command

    check_trivia_args(args)  # refuse a bad file before touching the store
    store = await open_store(settings)
    try:
        return await trivia_command(store, args, settings.data_dir)
    finally:
        await store.close()


def _import_imdb(settings: Settings, args: argparse.Namespace) -> int:
    """Without bot.runtime: discord.py is not needed and costs ~30 MB of the memory budget."""
    import logging

    from bot.catalog.imdb import import_imdb, parse_types
    from bot.catalog.imdb_files import find_datasets
    from bot.db.store import Store

    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")

    types = parse_types(args.types)
    find_datasets(args.directory)  # refuse a bad DIR before creating a database

    async def migrate() -> None:
        store = await Store.open(settings.database)
        await store.close()

    asyncio.run(migrate())
    helper = {"auto": None, "on": True, "off": False}[args.helper]
    report = import_imdb(
        settings.database, args.directory, types=types, include_adult=args.adult, helper=helper
    )
    print(report.describe())
    return 0


async def _cluster(settings: Settings, processes: int) -> int:
    from bot.cluster.plan import recommended_shards, split_shards
    from bot.cluster.supervisor import Supervisor

    if not settings.discord_token:
        raise UserFacingError("DISCORD_TOKEN is not set (a cluster connects to Discord)")
    if settings.db_url is None:
        raise UserFacingError(
            "a cluster needs MARQUEE_DB=postgresql://... (SQLite serves one process: "
            "use marquee run)"
        )
    if processes < 1:
        raise UserFacingError("--processes must be at least 1")
    shard_count = settings.shard_count or await recommended_shards(
        settings.api_base, settings.discord_token
    )
    groups = split_shards(shard_count, processes)
    return await Supervisor(groups, shard_count).run()


async def _sandbox(settings: Settings, log_to_console: bool) -> int:
    from bot.sandbox.console import run_console

    return await run_console(settings, log_to_console=log_to_console)


async def _sandbox_with_fake_tmdb(settings: Settings, log_to_console: bool) -> int:
    import dataclasses

    from bot.sandbox.tmdb_fake import FakeTmdb

    fake = await FakeTmdb().start()
    try:
        films = ", ".join(sorted(m["title"] for m in fake.movies.values()))
        print(f"Fake TMDB at {fake.base} (films only it knows: {films}).", flush=True)
        settings = dataclasses.replace(settings, tmdb_api_key=fake.api_key, tmdb_api_base=fake.base)
        return await _sandbox(settings, log_to_console)
    finally:
        await fake.stop()


def _iso_date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


async def _ingest(settings: Settings, args: argparse.Namespace) -> int:
    """Each file on its own: a bad one is refused in one line and the others go in."""
    import dataclasses

    from bot.errors import ArticleError
    from bot.news.article import read_article_file
    from bot.news.ingest import ingest_article
    from bot.runtime import open_store

    if args.url and len(args.files) > 1:
        print("marquee: --url names one article; give one FILE with it", file=sys.stderr)
        return 2
    refused = 0
    store = await open_store(settings)
    try:
        for name in args.files:
            try:
                article = read_article_file(name)
            except ArticleError as exc:
                print(f"refused {exc}", file=sys.stderr)
                refused += 1
                continue
            if article.published is None and args.date:
                article = dataclasses.replace(article, published=args.date)
            source = args.source or Path(name).name
            result = await ingest_article(store, article, source=source, url=args.url)
            if result.created:
                films = ", ".join(result.films) or "no film identified"
                undated = " (undated)" if article.published is None else ""
                credits = plural(result.people, "credit")
                print(f"ingested {result.article_id}{undated}: {films} ({credits})")
            else:
                print(f"already stored {result.article_id}: nothing to do")
    finally:
        await store.close()
    return 1 if refused else 0


async def _db(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db.store import Store
    from bot.runtime import open_store

    if args.db_command == "migrate":
        store = await Store.open(settings.database, migrate=False)
        try:
            applied = await store.migrate()
            version = await store.schema_version()
        finally:
            await store.close()
        print(f"schema at version {version}" + (f" (applied {applied})" if applied else ""))
        return 0
    if args.db_command == "copy":
        return await _db_copy(settings, args.to)
    store = await open_store(settings)
    try:
        if args.db_command == "stats":
            counts = await store.table_counts()
            width = max(map(len, counts), default=0)
            for name, count in counts.items():
                print(f"{name:<{width}}  {count}")
        elif args.db_command == "backup":
            await store.backup(args.path)
            print(json.dumps({"backup": args.path, "tables": len(await store.table_counts())}))
        elif args.db_command == "reindex":
            from bot.catalog.search import rebuild_search_index

            await rebuild_search_index(store)
            names = await store.fetchval("SELECT count(*) FROM search_names")
            print(json.dumps({"search_names": names}))
    finally:
        await store.close()
    return 0


async def _db_copy(settings: Settings, to: str) -> int:
    from bot.catalog.search import rebuild_search_index
    from bot.db.copy import copy_store
    from bot.db.store import Store, describe_target, is_postgres_url

    if not is_postgres_url(to):
        raise UserFacingError(f"--to must be a postgresql:// URL, not {describe_target(to)}")
    if settings.db_url == to:
        raise UserFacingError("--to is the store being copied (MARQUEE_DB) itself")
    source = await Store.open(settings.database)
    try:
        target = await Store.open(to)
        try:
            report = await copy_store(source, target, progress=print)
            await rebuild_search_index(target)
        finally:
            await target.close()
    finally:
        await source.close()
    print(report.describe())
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
