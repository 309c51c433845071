"""The sandbox console: parsing, a scripted session, and the real `marquee sandbox`."""

from __future__ import annotations

import io
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
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


def test_marquee_sandbox_prints_help_and_exits_0(tmp_path: Path) -> None:
    marquee = shutil.which("marquee", path=str(Path(sys.executable).parent))
    assert marquee is not None
    done = _run([marquee, "sandbox"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "`/help` — List every command" in done.stdout


def _console_env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "MARQUEE_DB": str(tmp_path / "marquee.sqlite3"),
        "MARQUEE_DATA_DIR": str(PROJECT_ROOT / "data"),
    }
    env.pop("DISCORD_TOKEN", None)
    return env


class _Terminal:
    """The console on a pseudo-terminal, as a person at a terminal runs it."""

    def __init__(self, tmp_path: Path) -> None:
        self.master, self.slave = pty.openpty()
        self.saved = termios.tcgetattr(self.slave)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.sandbox.console"],
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,
            env=_console_env(tmp_path),
            cwd=tmp_path,
        )
        self.seen = b""

    def expect(self, text: str, within: float = 30.0) -> None:
        deadline = time.monotonic() + within
        while text.encode() not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"no {text!r} on the terminal; it shows:\n{self.seen.decode()}"
            if select.select([self.master], [], [], min(left, 0.2))[0]:
                self.seen += os.read(self.master, 4096)

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def exit_code(self, within: float = 10.0) -> int:
        """Waits at most ``within`` s: a console that hangs fails the test, not the suite."""
        try:
            return self.proc.wait(within)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[_Terminal]:
    term = _Terminal(tmp_path)
    try:
        yield term
    finally:
        term.close()


def test_at_a_terminal_lines_are_edited_and_ctrl_c_exits_130_at_once(terminal: _Terminal) -> None:
    terminal.expect("member in #general> ")
    # readline editing: "/hepl", Left, Backspace (drops the p), End, "p" -> "/help"
    terminal.type(b"/hepl\x1b[D\x7f\x05p\r")
    terminal.expect("`/help` — List every command")
    terminal.expect("member in #general> ")
    terminal.proc.send_signal(signal.SIGINT)  # what Ctrl-C at the prompt sends
    assert terminal.exit_code(within=10) == 130
    assert termios.tcgetattr(terminal.slave) == terminal.saved, "terminal left in raw mode"


def test_at_a_terminal_ctrl_d_leaves_normally(terminal: _Terminal) -> None:
    terminal.expect("member in #general> ")
    terminal.type(b"\x04")
    assert terminal.exit_code(within=10) == 0


async def test_an_attachment_option_takes_a_local_file(sandbox: Sandbox, tmp_path: Path) -> None:
    """`file:PATH` uploads that file through the emulator; bad files and paths are one line
    each and the session goes on."""
    good = tmp_path / "red-sample.yaml"
    good.write_bytes((PROJECT_ROOT / "tests/fixtures/trivia/red-sample.yaml").read_bytes())
    bad = tmp_path / "bad.yaml"
    bad.write_text("Which year?:\n  - [unclosed\n", encoding="utf-8")
    out = io.StringIO()
    console = Console(sandbox, out)
    for line in (
        "as admin",
        f"/trivia packs import file:{bad}",
        f"/trivia packs import file:{tmp_path / 'missing.yaml'}",
        f"/trivia packs import file:{tmp_path}",
        f"/trivia packs import file:{good}",
        "/trivia packs list",
    ):
        assert await console.handle(line), line
    lines = out.getvalue().splitlines()
    assert f"! file: there is no file '{tmp_path / 'missing.yaml'}'" in lines
    assert f"! file: '{tmp_path}' is a folder, not a file" in lines
    assert console.failures == 2  # the two paths; the bad pack is the bot's refusal
    text = out.getvalue()
    assert "bad.yaml" in text and "line" in text  # the bot names where the file is broken
    assert "red-sample" in text.split("/trivia packs list")[-1]  # imported, then listed
    packs = await sandbox.store.fetchall("SELECT name, source FROM trivia_packs")
    assert any(source == "attachment:red-sample.yaml" for _, source in packs)


async def test_no_input_ends_the_session(sandbox: Sandbox) -> None:
    out = io.StringIO()
    console = Console(sandbox, out)
    for line in (
        "/movie",
        "click",
        "as nobody",
        "in #nowhere",
        "/movie cast",
        "submit x:1",
        "choose nothing",
        "messages #nowhere",
        "complete /movie cast",
        "???",
        "/",
    ):
        assert await console.handle(line), line
    assert console.failures == 11
    assert all(ln.startswith("! ") for ln in out.getvalue().splitlines() if ln), out.getvalue()
