"""The sandbox console: parsing, a scripted session, and the real `marquee sandbox`."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.sandbox.console import Console, split_options
from bot.sandbox.harness import Sandbox
from bot.settings import PROJECT_ROOT
from tests.e2e.probe import Probe


def test_an_option_value_runs_to_the_next_option_name() -> None:
    lead, values = split_options("title:Mission: Impossible year:2023", ["title", "year"])
    assert lead == "" and values == {"title": "Mission: Impossible", "year": "2023"}
    assert split_options("dead reckoning", ["title"]) == ("dead reckoning", {})
    assert split_options("subtitle:x", ["title"]) == ("subtitle:x", {})


async def test_scripted_session_with_a_button(sandbox: Sandbox) -> None:
    await sandbox.add_cog(Probe())
    out = io.StringIO()
    console = Console(sandbox, out)
    for line in ["/probe echo text:hi there times:2", "/probe pages", "click Next", "as admin"]:
        assert await console.handle(line)
    text = out.getvalue()
    assert "hi therehi there" in text
    assert "page 1\n  [Next]" in text and "page 2" in text
    assert console.user is sandbox.admin and console.failures == 0
    assert not await console.handle("quit")


async def test_unsolicited_posts_are_printed_with_their_channel(sandbox: Sandbox) -> None:
    out = io.StringIO()
    Console(sandbox, out)
    await sandbox.bot.get_channel(sandbox.news.id).send("breaking news")
    assert "[#news] Marquee:\n  breaking news" in out.getvalue()


async def test_bad_input_counts_as_a_failure(sandbox: Sandbox) -> None:
    console = Console(sandbox, io.StringIO())
    await console.handle("/nosuch")
    await console.handle("click Nowhere")
    assert console.failures == 2


def _run(argv: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MARQUEE_DB": str(tmp_path / "sandbox.sqlite3"),
        "MARQUEE_DATA_DIR": str(PROJECT_ROOT / "data"),
    }
    env.pop("DISCORD_TOKEN", None)
    return subprocess.run(
        argv, input="/help\n", capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env
    )


def test_console_module_prints_help_and_exits_0(tmp_path: Path) -> None:
    done = _run([sys.executable, "-m", "bot.sandbox.console"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "`/help` — List every command" in done.stdout


@pytest.mark.skipif(
    importlib.util.find_spec("bot.news.extract") is None,
    reason="the CLI's start-up imports bot.news.extract, not merged yet",
)
def test_marquee_sandbox_prints_help_and_exits_0(tmp_path: Path) -> None:
    marquee = shutil.which("marquee", path=str(Path(sys.executable).parent))
    assert marquee is not None
    done = _run([marquee, "sandbox"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "`/help` — List every command" in done.stdout
