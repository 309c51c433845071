"""Discord's rules for application command payloads that its OpenAPI schema does not carry.

The schema checks lengths and types; Discord also refuses (HTTP 400, code 50035) a
chat-input name that is not lowercase ``^[-_'\\p{L}\\p{N}]{1,32}$``, an empty
description, a required option after an optional one, two options or commands with
one name, ``choices`` together with ``autocomplete``, a string choice value over 100
characters, and more than 100 chat-input commands in one scope. A bot whose sync
breaks one of these gets no commands at all, so the emulator must refuse it too.

Each check yields ``(path, code, message)``; ``validation`` turns those into
``Problem``s (this module stays free of it so either can be read alone).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

Found = tuple[tuple[str | int, ...], str, str]

CHAT_INPUT, USER, MESSAGE = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP, STRING = 1, 2, 3
NAME_LIMIT = 32
DESCRIPTION_LIMIT = 100
CHOICE_VALUE_LIMIT = 100
CHAT_INPUT_COMMANDS_LIMIT = 100
CONTEXT_MENU_COMMANDS_LIMIT = 5  # each of user and message commands
_NAME_PUNCTUATION = frozenset("-_'")
# Discord's regex also admits these scripts' combining marks (\p{sc=Deva}, \p{sc=Thai}).
_MARK_SCRIPTS = ("DEVANAGARI", "THAI")


def valid_chat_input_name(name: Any) -> bool:
    """``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$``, with no letter that has a
    lowercase form (Python's ``re`` has no ``\\p``; unicodedata gives the categories)."""
    if not isinstance(name, str) or not 1 <= len(name) <= NAME_LIMIT:
        return False
    for ch in name:
        if ch in _NAME_PUNCTUATION:
            continue
        category = unicodedata.category(ch)
        if category[0] == "M" and unicodedata.name(ch, "").startswith(_MARK_SCRIPTS):
            continue
        if category[0] not in "LN" or ch.lower() != ch:
            return False
    return True


def _description(
    obj: dict[str, Any], path: tuple[str | int, ...], *, needed: bool
) -> Iterator[Found]:
    text = obj.get("description")
    if needed and (not isinstance(text, str) or not 1 <= len(text) <= DESCRIPTION_LIMIT):
        yield (
            (*path, "description"),
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between 1 and {DESCRIPTION_LIMIT} in length.",
        )
    elif not needed and text:
        yield (
            (*path, "description"),
            "APPLICATION_COMMAND_INVALID_DESCRIPTION",
            "User and message commands cannot have a description.",
        )


def _name(obj: dict[str, Any], path: tuple[str | int, ...], what: str) -> Iterator[Found]:
    if not valid_chat_input_name(obj.get("name")):
        yield (
            (*path, "name"),
            "APPLICATION_COMMAND_INVALID_NAME",
            f"{what} name is invalid ({obj.get('name')!r}: 1-32 lowercase letters, "
            "digits, - _ or ').",
        )


def _choices(opt: dict[str, Any], path: tuple[str | int, ...]) -> Iterator[Found]:
    choices = opt.get("choices") or []
    if choices and opt.get("autocomplete"):
        yield (
            (*path, "autocomplete"),
            "APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE",
            "Autocomplete cannot be set on an option that has choices.",
        )
    if opt.get("type") != STRING:
        return
    for i, choice in enumerate(choices):
        value = choice.get("value") if isinstance(choice, dict) else None
        if isinstance(value, str) and len(value) > CHOICE_VALUE_LIMIT:
            yield (
                (*path, "choices", i, "value"),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {CHOICE_VALUE_LIMIT} or fewer in length.",
            )


def check_options(
    options: list[Any], path: tuple[str | int, ...], depth: int = 0
) -> Iterator[Found]:
    """One ``options`` list: names, descriptions, order, uniqueness, then each nested list.

    ``depth`` 0 is the command's own list, 1 a group's, 2 a subcommand's.
    """
    seen: set[str] = set()
    optional_seen = False
    for i, opt in enumerate(options):
        if not isinstance(opt, dict):
            continue
        here = (*path, i)
        kind = opt.get("type")
        yield from _name(opt, here, "Option")
        yield from _description(opt, here, needed=True)
        name = opt.get("name")
        if isinstance(name, str):
            if name in seen:
                yield (
                    (*here, "name"),
                    "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                    f"Option names must be unique within a command ({name!r} twice).",
                )
            seen.add(name)
        if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            nested_ok = depth == 0 or (depth == 1 and kind == SUB_COMMAND)
            if not nested_ok:
                yield (
                    (*here, "type"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Subcommands nest at most command -> group -> subcommand.",
                )
            inner = opt.get("options") or []
            if isinstance(inner, list):
                leaf = 2 if kind == SUB_COMMAND else 1
                yield from check_options(inner, (*here, "options"), leaf)
            continue
        if opt.get("required"):
            if optional_seen:
                yield (
                    here,
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        yield from _choices(opt, here)


def check_command(cmd: dict[str, Any], path: tuple[str | int, ...] = ()) -> Iterator[Found]:
    """One command object (as created, or one item of a bulk overwrite)."""
    kind = cmd.get("type") or CHAT_INPUT
    if kind != CHAT_INPUT:
        yield from _description(cmd, path, needed=False)
        return  # user/message command names may be mixed case with spaces
    yield from _name(cmd, path, "Command")
    yield from _description(cmd, path, needed=True)
    options = cmd.get("options") or []
    if isinstance(options, list):
        yield from check_options(options, (*path, "options"))


def check_bulk_overwrite(commands: list[Any]) -> Iterator[Found]:
    """A whole ``PUT .../commands`` list: every command, unique names, per-type counts."""
    seen: set[tuple[int, str]] = set()
    counts: dict[int, int] = {}
    for i, cmd in enumerate(commands):
        if not isinstance(cmd, dict):
            continue
        kind = cmd.get("type") or CHAT_INPUT
        counts[kind] = counts.get(kind, 0) + 1
        yield from check_command(cmd, (i,))
        key = (kind, cmd.get("name"))
        if key in seen:
            yield (
                (i, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique ({cmd.get('name')!r} twice).",
            )
        seen.add(key)  # type: ignore[arg-type]
    limits = {
        CHAT_INPUT: CHAT_INPUT_COMMANDS_LIMIT,
        USER: CONTEXT_MENU_COMMANDS_LIMIT,
        MESSAGE: CONTEXT_MENU_COMMANDS_LIMIT,
    }
    labels = {CHAT_INPUT: "chat input", USER: "user", MESSAGE: "message"}
    for kind, limit in limits.items():
        if counts.get(kind, 0) > limit:
            yield (
                (),
                "APPLICATION_COMMANDS_TOO_MANY",
                f"Maximum number of {labels[kind]} commands reached ({limit}); got {counts[kind]}.",
            )
