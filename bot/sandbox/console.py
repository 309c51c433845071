"""`marquee sandbox`: the emulator and the real bot in one process, and a prompt.

A person types commands as in Discord (``/movie cast title:dead reckoning``), presses
buttons (``click Next``), switches user (``as admin``) or channel (``in #news``).
Responses are printed as text; a message the bot posts on its own is printed with
its channel when it arrives. With stdin not a terminal it reads one command per line
and exits 1 if any response was missing or rejected. It uses the bot's database, with
servers of its own (``bot/sandbox/ids.py`` says why that is safe); its log goes to a
file beside the database unless asked for on the terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from bot.runtime import open_store
from bot.sandbox.harness import CommandError, DiscordRejected, Msg, NoResponse, Reply, Sandbox
from bot.sandbox.interactions import find_command
from bot.sandbox.world import Channel, Member
from bot.settings import Settings

log = logging.getLogger(__name__)

HELP = """\
Type commands as in Discord:
  /movie cast title:dead reckoning   run a slash command (an option's value runs to the
                                     next name: of that command's options)
  complete /movie cast title:dead    show the autocomplete suggestions for the last option
  click Next                         press the button labelled Next on the latest message
  choose <option>                    pick an option in the latest select menu
  submit name:value ...              fill in and send the form (modal) the bot opened
  say <text>                         write a chat message (typed trivia answers)
  as admin | as member               switch user (admin has Manage Server)
  in #news                           switch channel (#general, #news, #trivia)
  messages [#channel]                show the messages in a channel
  help                               this text
  quit                               leave
"""


def split_options(text: str, names: list[str]) -> tuple[str, dict[str, str]]:
    """``"dead reckoning year:2023"`` -> (leading text, {"year": "2023"}).

    A value runs to the next ``name:`` where ``name`` is one of this command's
    options, so values may contain spaces and colons.
    """
    if not names:
        return text.strip(), {}
    pattern = re.compile(
        r"(?:(?<=\s)|^)("
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r"):"
    )
    matches = list(pattern.finditer(text))
    lead = text[: matches[0].start()] if matches else text
    values: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        values[m.group(1)] = text[m.end() : end].strip()
    return lead.strip(), values


class Console:
    """One user at a prompt; state is who they are and where they type."""

    def __init__(self, sandbox: Sandbox, out: IO[str]) -> None:
        self.sb = sandbox
        self.out = out
        self.user: Member = sandbox.member
        self.channel: Channel = sandbox.general
        self.failures = 0
        self.last_reply: Reply | None = None
        self._printed: set[int] = set()
        self.at_prompt: str | None = None  # the prompt shown while waiting for a line
        sandbox.emulator.message_listeners.append(self._on_message)

    # -- output ----------------------------------------------------------------

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _on_message(self, raw: dict[str, Any]) -> None:
        """Print posts the bot makes on its own (not answers to an interaction)."""
        if raw.get("interaction_metadata") or raw.get("webhook_id") or raw.get("_edits"):
            return
        if raw.get("author", {}).get("id") != str(self.sb.world.bot_user.id):
            return  # a member's own chat line (`say`)
        mid = int(raw["id"])
        if mid in self._printed:
            return
        self._printed.add(mid)
        channel = self.sb.world.channels.get(int(raw["channel_id"]))
        where = f"#{channel.name}" if channel and channel.guild_id else "DM"
        if self.at_prompt is not None:
            self.out.write("\n")  # the user is mid-line: print below, then prompt again
        self.say(f"[{where}] Marquee:")
        self.say(_indent(self.readable(Msg(raw).text)))
        if self.at_prompt is not None:
            readline = sys.modules.get("readline")
            typed = readline.get_line_buffer() if readline is not None else ""
            self.out.write(self.at_prompt + typed)
            self.out.flush()

    def readable(self, text: str) -> str:
        """Mentions as a Discord client shows them: ``<#id>`` as #news, ``<@id>`` as @admin."""
        world = self.sb.world

        def name(match: re.Match[str]) -> str:
            kind, snowflake = match.group(1), int(match.group(2))
            if kind == "#" and snowflake in world.channels:
                return f"#{world.channels[snowflake].name}"
            if kind != "#" and snowflake in world.users:
                return f"@{world.users[snowflake].username}"
            return match.group(0)

        return _MENTION.sub(name, text)

    def show(self, reply: Reply) -> None:
        messages = reply.messages
        if reply.modal is not None:
            self.show_modal(reply.modal)
            return
        if not messages:
            self.say("(no message)")
            return
        for msg in messages:
            self._printed.add(msg.id)
            self.say("Marquee:")
            self.say(_indent(self.readable(msg.text)))

    def show_modal(self, modal: dict[str, Any]) -> None:
        self.say(f"Form: {modal.get('title', '')}")
        for top in modal.get("components") or []:
            inputs = [top["component"]] if "component" in top else top.get("components") or []
            for comp in inputs:
                label = top.get("label") or comp.get("label") or ""
                self.say(f"  {comp.get('custom_id')}: {label}")
        self.say("Answer with: submit name:value ...")

    # -- commands ----------------------------------------------------------------

    @property
    def prompt(self) -> str:
        return f"{self.user.name} in #{self.channel.name}> "

    async def handle(self, line: str) -> bool:
        """Run one input line; False means quit."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        word, _, rest = line.partition(" ")
        word = word.lower()
        try:
            if line.startswith("/"):
                await self.slash(line)
            elif word in ("quit", "exit"):
                return False
            elif word == "help":
                self.say(HELP)
            elif word == "as":
                self.switch_user(rest)
            elif word == "in":
                self.switch_channel(rest)
            elif word == "click":
                await self.click(rest)
            elif word == "choose":
                await self.choose(rest)
            elif word == "submit":
                await self.submit(rest)
            elif word == "complete":
                await self.complete(rest)
            elif word == "messages":
                await self.messages(rest)
            elif word == "say":
                await self.sb.post(self.channel, rest, user=self.user, handled=True)
            else:
                raise CommandError(f"unknown input {word!r}; type help")
        except (CommandError, LookupError) as exc:
            self.failures += 1
            self.say(f"! {exc}")
        except DiscordRejected as exc:
            self.failures += 1
            self.say(f"! Discord would refuse the bot's answer: {exc}")
        except NoResponse as exc:
            self.failures += 1
            self.say(f"! {exc}")
        except Exception as exc:  # a bug here must not end the session: one line, go on
            self.failures += 1
            log.exception("the console could not run %r", line)
            self.say(f"! the sandbox could not run that ({type(exc).__name__}: {exc})")
        return True

    def _parse(self, text: str) -> tuple[str, dict[str, Any]]:
        commands = self.sb.emulator.commands_for(self.channel.guild_id)
        words = text.lstrip("/").split()
        path: list[str] = []
        for word in words:
            if ":" in word:
                break
            candidate = [*path, word]
            try:
                find_command(commands, " ".join(candidate))
            except CommandError as exc:
                if "needs a subcommand" in str(exc):
                    path = candidate
                    continue
                break
            path = candidate
        if not path:
            raise CommandError(f"unknown command /{words[0] if words else ''}; try /help")
        _, _, schema = find_command(commands, " ".join(path))
        rest = text.lstrip("/").split(None, len(path))
        remainder = rest[len(path)] if len(rest) > len(path) else ""
        lead, values = split_options(remainder, [o["name"] for o in schema])
        if lead:
            free = [o["name"] for o in schema if o["name"] not in values]
            required = [o["name"] for o in schema if o.get("required") and o["name"] in free]
            target = (required or free or [None])[0]
            if target is None:
                raise CommandError(f"/{' '.join(path)} takes no text {lead!r}")
            values[target] = lead
        return " ".join(path), values

    async def slash(self, line: str) -> None:
        command, values = self._parse(line)
        reply = await self.sb.slash(command, user=self.user, channel=self.channel, options=values)
        await self._settle()
        self.last_reply = reply
        self.show(reply)

    async def complete(self, rest: str) -> None:
        command, values = self._parse(rest)
        if not values:
            raise CommandError("say which option to complete, e.g. complete /movie cast title:dead")
        option = list(values)[-1]
        typed = values.pop(option)
        choices = await self.sb.autocomplete(
            command, option, typed, user=self.user, channel=self.channel, options=values
        )
        for choice in choices:
            self.say(f"  {choice['name']}")
        if not choices:
            self.say("  (no suggestions)")

    def _latest_with(self, wanted: str) -> Msg:
        """The newest message this user can see that has a component called ``wanted``."""
        world = self.sb.world
        candidates = sorted(world.messages.values(), key=lambda m: int(m["id"]), reverse=True)
        for raw in candidates:
            if raw.get("_deleted") or int(raw["channel_id"]) != self.channel.id:
                continue
            msg = Msg(raw)
            meta = raw.get("interaction_metadata") or {}
            if msg.ephemeral and (meta.get("user") or {}).get("id") != str(self.user.id):
                continue
            with contextlib.suppress(LookupError):
                msg.find(wanted)
                return msg
        raise LookupError(f"no message in #{self.channel.name} has a {wanted!r} button")

    async def click(self, label: str) -> None:
        label = label.strip().strip("[]")
        msg = self._latest_with(label)
        reply = await self.sb.click(msg, label, user=self.user)
        await self._settle()
        self.last_reply = reply
        self.show(reply)

    async def choose(self, text: str) -> None:
        wanted = text.strip().lower()
        for raw in sorted(self.sb.world.messages.values(), key=lambda m: -int(m["id"])):
            if int(raw["channel_id"]) != self.channel.id or raw.get("_deleted"):
                continue
            msg = Msg(raw)
            for comp in msg.items():
                for opt in comp.get("options") or []:
                    if wanted in (opt.get("label", "").lower(), str(opt.get("value")).lower()):
                        reply = await self.sb.select(
                            msg, comp["custom_id"], [opt["value"]], user=self.user
                        )
                        await self._settle()
                        self.show(reply)
                        return
        raise LookupError(f"no select menu here offers {text.strip()!r}")

    async def submit(self, text: str) -> None:
        if self.last_reply is None or self.last_reply.modal is None:
            raise CommandError("no form is open")
        modal = self.last_reply.modal
        names: list[str] = []
        for top in modal.get("components") or []:
            inputs = [top["component"]] if "component" in top else top.get("components") or []
            names += [c.get("custom_id") for c in inputs if c.get("custom_id")]
        _, values = split_options(text, names)
        reply = await self.sb.submit(self.last_reply, values, user=self.user)
        await self._settle()
        self.last_reply = reply
        self.show(reply)

    async def messages(self, rest: str) -> None:
        channel = self._channel(rest) if rest.strip() else self.channel
        msgs = await self.sb.messages(channel)
        if not msgs:
            self.say(f"(#{channel.name} is empty)")
        for msg in msgs[-10:]:
            self.say(f"[#{channel.name}]")
            self.say(_indent(self.readable(msg.text)))

    def switch_user(self, name: str) -> None:
        name = name.strip().lstrip("@")
        guild = self.sb.world.guild_of(self.channel) or self.sb.guild
        for member in guild.members.values():
            if member.user.username == name and not member.user.bot:
                self.user = member
                self.say(f"(you are now {name})")
                return
        users = ", ".join(m.user.username for m in guild.members.values() if not m.user.bot)
        raise CommandError(f"no user {name!r}; try {users}")

    def _channel(self, name: str) -> Channel:
        try:
            return self.sb.guild.channel(name.strip())
        except KeyError:
            names = ", ".join(f"#{c.name}" for c in self.sb.guild.channels.values())
            raise CommandError(f"no channel {name.strip()!r}; try {names}") from None

    def switch_channel(self, name: str) -> None:
        self.channel = self._channel(name)
        self.say(f"(typing in #{self.channel.name})")

    async def _settle(self) -> None:
        """Let follow-ups land: wait until the bot's handlers for this input returned."""
        if not await self.sb.settle():
            log.info("a handler is still running; later answers are not printed here")


_MENTION = re.compile(r"<(#|@!?)(\d+)>")


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else "" for line in text.splitlines())


def sandbox_log_path(settings: Settings) -> Path:
    """Where the sandbox's log goes: beside the database, out of the way of the prompt."""
    return settings.db_path.with_name("sandbox.log")


@contextlib.contextmanager
def logs_to_file(path: Path, level: str) -> Iterator[None]:
    """Send every log record to ``path`` (appended) instead of the terminal, for a while."""
    root = logging.getLogger()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    for old in root.handlers:  # keep what the terminal's handler filtered (the token)
        for flt in old.filters:
            handler.addFilter(flt)
    saved = root.handlers[:], root.level
    root.handlers[:] = [handler]
    root.setLevel(level)
    try:
        yield
    finally:
        root.handlers[:], level_before = saved
        root.setLevel(level_before)
        handler.close()


@contextlib.contextmanager
def quiet_console_logs() -> Iterator[None]:
    """Logs on the terminal: warnings only (``--log-to-console`` unless LOG_LEVEL=DEBUG)."""
    root, discord_log = logging.getLogger(), logging.getLogger("discord")
    if root.getEffectiveLevel() <= logging.DEBUG:
        yield
        return
    previous = root.level, discord_log.level
    root.setLevel(logging.WARNING)
    discord_log.setLevel(logging.ERROR)  # "PyNaCl is not installed" is noise here
    try:
        yield
    finally:
        root.setLevel(previous[0])
        discord_log.setLevel(previous[1])


class LineReader:
    """Reads input lines in a daemon thread that feeds the event loop.

    ``asyncio.to_thread(readline)`` would keep ``asyncio.run`` waiting for its executor
    thread after Ctrl-C until Enter was pressed; a daemon thread is simply left behind.
    At a terminal, lines come from ``input()``, so ``readline`` (imported when
    available) gives line editing and history. The thread reads one line per
    ``read()`` call, so the prompt shows the user and channel of that moment.
    """

    def __init__(self, stream: IO[str], out: IO[str], *, interactive: bool) -> None:
        self.stream, self.out, self.interactive = stream, out, interactive
        self._loop = asyncio.get_running_loop()
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._prompts: queue.Queue[str] = queue.Queue()
        self._use_input = interactive and stream is sys.stdin and out is sys.stdout
        if self._use_input:
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401 - importing it gives input() editing and history
        threading.Thread(target=self._run, name="sandbox-stdin", daemon=True).start()

    def _read_one(self, prompt: str) -> str | None:
        try:
            if self._use_input:
                return input(prompt) + "\n"
            if prompt:
                self.out.write(prompt)
                self.out.flush()
            return self.stream.readline() or None
        except EOFError:
            return None
        except (OSError, ValueError) as exc:  # stdin closed under us
            log.info("stopped reading input: %s", exc)
            return None

    def _run(self) -> None:
        while True:
            line = self._read_one(self._prompts.get())
            try:
                self._loop.call_soon_threadsafe(self._lines.put_nowait, line)
            except RuntimeError:  # the loop has closed: the console is gone
                return
            if line is None:
                return

    async def read(self, prompt: str = "") -> str | None:
        """The next line (with its newline), or None at end of input."""
        self._prompts.put(prompt)
        return await self._lines.get()


def _terminal_state(stream: IO[str]) -> Any:
    """The terminal's settings, to restore if Ctrl-C leaves readline mid-line."""
    try:
        import termios

        return termios.tcgetattr(stream.fileno())
    except (ImportError, OSError, ValueError, AttributeError):
        return None


def _restore_terminal(stream: IO[str], state: Any) -> None:
    if state is None:
        return
    import termios

    with contextlib.suppress(OSError, ValueError):
        termios.tcsetattr(stream.fileno(), termios.TCSADRAIN, state)


async def run_console(
    settings: Settings,
    *,
    stdin: IO[str] = sys.stdin,
    stdout: IO[str] = sys.stdout,
    log_to_console: bool = False,
) -> int:
    """Start the emulator and the real bot, then read commands; returns the exit code.

    The bot uses the configured database: the sandbox shows its catalog, articles and
    packs, and keeps its own servers apart by their ids (``bot/sandbox/ids.py``). Logs
    go to a file named on the first line, unless ``log_to_console``.
    """
    with contextlib.ExitStack() as stack:
        if log_to_console:
            stack.enter_context(quiet_console_logs())
            where_logs = "logs below"
        else:
            log_path = sandbox_log_path(settings)
            stack.enter_context(logs_to_file(log_path, settings.log_level))
            where_logs = f"logs in {log_path}"
        stdout.write(
            f"Marquee sandbox: a local Discord emulator over {settings.db_path} "
            f"(its servers are its own; {where_logs}).\n"
        )
        stdout.flush()
        return await _serve_console(settings, stdin, stdout)


async def _serve_console(settings: Settings, stdin: IO[str], stdout: IO[str]) -> int:
    interactive = stdin.isatty()
    terminal = _terminal_state(stdin) if interactive else None
    sandbox = Sandbox()
    await sandbox.start()
    store = None
    try:
        store = await open_store(settings)
        await sandbox.start_bot(settings, store=store)
        console = Console(sandbox, stdout)
        if interactive:
            console.say(
                "Server 'Marquee Sandbox' with #general, #news and #trivia. "
                "Type help, or /help; Ctrl-D or quit to leave."
            )
        reader = LineReader(stdin, stdout, interactive=interactive)
        while True:
            console.at_prompt = console.prompt if interactive else None
            try:
                line = await reader.read(console.at_prompt or "")
            finally:
                console.at_prompt = None
            if line is None:
                break
            if not interactive and line.strip():
                console.say(f"> {line.strip()}")
            if not await console.handle(line):
                break
        return 1 if console.failures and not interactive else 0
    finally:
        await sandbox.stop()
        if store is not None:
            await store.close()
        _restore_terminal(stdin, terminal)


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.sandbox.console [--log-to-console]``: the same as ``marquee sandbox``."""
    import argparse

    from bot.cli import LOG_TO_CONSOLE_HELP
    from bot.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m bot.sandbox.console")
    parser.add_argument("--log-to-console", action="store_true", help=LOG_TO_CONSOLE_HELP)
    args = parser.parse_args(argv)
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(run_console(settings, log_to_console=args.log_to_console))
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
