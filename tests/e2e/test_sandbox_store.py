"""The sandbox shares the bot's database but never a real server's rows.

Through the real console process (``python -m bot.sandbox.console``) and through the
harness: what the CLI imported shows in the sandbox, the sandbox's servers keep their
ids across restarts, and a real server's stored settings, feeds and games are left as
they were, however due they are.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.app import MovieBot
from bot.sandbox.harness import Sandbox
from bot.sandbox.ids import SANDBOX_ID_LIMIT, is_sandbox_id
from bot.settings import PROJECT_ROOT, Settings

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
REAL_GUILD = 1574538977430470658  # a real Discord server's id (made in 2022)
REAL_CHANNEL = 1574538977430470700


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "MARQUEE_DB": str(tmp_path / "var" / "marquee.sqlite3"),
        "MARQUEE_DATA_DIR": str(PROJECT_ROOT / "data"),
        **extra,
    }
    env.pop("DISCORD_TOKEN", None)
    return env


def _marquee(tmp_path: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=_env(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def _console(tmp_path: Path, lines: list[str], *flags: str, **env: str):
    return subprocess.run(
        [sys.executable, "-m", "bot.sandbox.console", *flags],
        input="".join(line + "\n" for line in lines),
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=_env(tmp_path, **env),
    )  # fmt: skip


def test_the_sandbox_shows_what_the_cli_imported(tmp_path: Path) -> None:
    _marquee(tmp_path, "import-imdb", str(FIXTURES / "imdb"))
    _marquee(tmp_path, "trivia", "import", str(FIXTURES / "trivia" / "red-sample.yaml"))
    done = _console(tmp_path, ["/movie cast title:the matrix", "/trivia packs list"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Keanu Reeves" in done.stdout and "red-sample" in done.stdout
    first = done.stdout.splitlines()[0]
    assert str(tmp_path / "var" / "marquee.sqlite3") in first
    assert not list((tmp_path / "var").glob("*.sandbox.sqlite3"))


def test_sandbox_servers_keep_their_ids_across_restarts(tmp_path: Path) -> None:
    first = _console(tmp_path, ["as admin", "/news setup channel:#news"])
    assert first.returncode == 0, first.stdout + first.stderr
    again = _console(tmp_path, ["as admin", "/news status"])
    assert again.returncode == 0, again.stdout + again.stderr
    status = again.stdout.split("> /news status")[1]
    assert "#news" in status, status
    with sqlite3.connect(tmp_path / "var" / "marquee.sqlite3") as conn:
        (guild, channel), *more = conn.execute(
            "SELECT guild, news_channel FROM guild_settings"
        ).fetchall()
    assert not more and is_sandbox_id(guild) and is_sandbox_id(channel)


def test_logs_go_to_a_file_named_at_start_unless_asked_for(tmp_path: Path) -> None:
    done = _console(tmp_path, ["/help"])
    log_file = tmp_path / "var" / "sandbox.log"
    assert f"logs in {log_file}" in done.stdout.splitlines()[0]
    assert done.stderr == ""
    assert "synced" in log_file.read_text(encoding="utf-8")  # the bot's start-up, logged
    log_file.unlink()
    shown = _console(tmp_path, ["/help"], "--log-to-console", LOG_LEVEL="DEBUG")
    assert "logs below" in shown.stdout.splitlines()[0]
    assert "synced" in shown.stderr and not log_file.exists()


def test_the_sandbox_bot_serves_only_sandbox_ids_and_a_real_bot_never_them() -> None:
    assert is_sandbox_id(1 << 22) and not is_sandbox_id(REAL_GUILD)
    assert SANDBOX_ID_LIMIT >> 22 == 86_400_000  # the first day of 2015, in ms

    class Bot:
        serves = MovieBot.serves

        def __init__(self, sandbox: bool) -> None:
            self.settings = Settings.__new__(Settings)
            object.__setattr__(self.settings, "sandbox", sandbox)

    assert Bot(sandbox=True).serves(1 << 22) and not Bot(sandbox=True).serves(REAL_GUILD)
    assert Bot(sandbox=False).serves(REAL_GUILD) and not Bot(sandbox=False).serves(1 << 22)


async def _rows_of(sandbox: Sandbox, guild: int) -> dict[str, list[tuple]]:
    tables = ("guild_settings", "feeds", "trivia_games", "post_batches", "posts")
    return {
        t: await sandbox.store.fetchall(f"SELECT * FROM {t} WHERE guild = ?", (guild,))
        for t in tables
    }


async def test_real_servers_rows_are_never_touched(sandbox: Sandbox, settings) -> None:
    """Due news, a due feed and a game left running for a real server stay as stored,
    while the sandbox's own server, just as due, gets its post in the same tick."""
    store, guild = sandbox.store, sandbox.guild.id
    await sandbox.slash("news setup", user=sandbox.admin, options={"channel": "#news"})
    await sandbox.slash("news schedule", user=sandbox.admin, every="hours", hours=1)
    past = "2000-01-01T00:00:00+00:00"
    async with store.transaction() as conn:
        await conn.execute(
            "INSERT INTO guild_settings(guild, news_channel, schedule, timezone, next_news_at) "
            "SELECT ?, ?, schedule, timezone, next_news_at FROM guild_settings WHERE guild = ?",
            (REAL_GUILD, REAL_CHANNEL, guild),
        )
        await conn.execute("UPDATE guild_settings SET next_news_at = ?", (past,))
        await conn.execute(
            "INSERT INTO feeds(guild, url, channel, next_poll) VALUES (?, ?, ?, ?)",
            (REAL_GUILD, "http://127.0.0.1:9/feed.xml", REAL_CHANNEL, past),
        )
        await conn.execute(
            "INSERT INTO trivia_games(guild, channel, starter, source, mode, questions, "
            "seconds, started_at) VALUES (?, ?, 1, 'movies', 'buttons', 5, 20, ?)",
            (REAL_GUILD, REAL_CHANNEL, past),
        )
    before = await _rows_of(sandbox, REAL_GUILD)
    scheduler = sandbox.bot.get_cog("Scheduler")
    await scheduler.tick()
    post = await sandbox.wait_for_message(sandbox.news, after=0)
    # The sandbox's own server was served: by this tick, or by the bot's own loop when
    # its tick came first (on PostgreSQL the two do not wait for one write lock).
    assert post.embeds
    await sandbox.stop_bot()  # a restart closes games a previous process left running
    await sandbox.start_bot(settings, store=store)
    await sandbox.settle()
    await sandbox.bot.get_cog("Scheduler").tick()
    assert await _rows_of(sandbox, REAL_GUILD) == before
