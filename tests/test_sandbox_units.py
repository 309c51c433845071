"""Emulator pieces without a bot: the vendored spec, validation, text rendering."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from bot.sandbox import command_rules, validation
from bot.ui.text import render_message

SHARED_SPEC = Path(__file__).resolve().parents[1] / ".." / "shared" / "discord-api-spec"


@pytest.mark.skipif(not (SHARED_SPEC / "openapi.json").exists(), reason="no ../shared checkout")
def test_vendored_openapi_equals_the_shared_copy() -> None:
    here = Path(validation.__file__).parent
    assert filecmp.cmp(here / "openapi.json", SHARED_SPEC / "openapi.json", shallow=False)
    assert filecmp.cmp(here / "LICENSE", SHARED_SPEC / "LICENSE", shallow=False)


CALLBACK = "/interactions/1/token/callback"


def test_a_valid_response_passes() -> None:
    body = {"type": 4, "data": {"content": "hi", "embeds": [{"title": "t"}], "flags": 64}}
    assert validation.validate_request("POST", CALLBACK, body).ok


def test_errors_come_in_discords_shape() -> None:
    body = {"type": 4, "data": {"embeds": [{"title": "x" * 300}]}}
    verdict = validation.validate_request("POST", CALLBACK, body)
    assert verdict.error_body() == {
        "code": 50035,
        "message": "Invalid Form Body",
        "errors": {
            "data": {
                "embeds": {
                    "0": {
                        "title": {
                            "_errors": [
                                {
                                    "code": "BASE_TYPE_MAX_LENGTH",
                                    "message": "Must be 256 or fewer in length.",
                                }
                            ]
                        }
                    }
                }
            }
        },
    }


def test_limits_the_schema_does_not_carry() -> None:
    row = {
        "type": 1,
        "components": [
            {"type": 2, "style": 1, "label": "A", "custom_id": "same"},
            {"type": 2, "style": 1, "label": "B", "custom_id": "same"},
        ],
    }
    body = {"content": "y" * 2001, "components": [row]}
    reasons = validation.validate_request("POST", "/channels/1/messages", body).describe()
    assert "content: Must be 2000 or fewer" in reasons
    assert "COMPONENT_CUSTOM_ID_DUPLICATED" in reasons
    embeds = [{"description": "d" * 3500}, {"description": "d" * 3500}]
    reasons = validation.validate_request("POST", "/channels/1/messages", {"embeds": embeds})
    assert "MAX_EMBED_SIZE_EXCEEDED" in reasons.describe()


def test_command_sync_payload_as_discord_py_sends_it() -> None:
    cmd = {
        "name": "news",
        "description": "News",
        "type": 1,
        "default_member_permissions": "32",
        "options": [{"type": 1, "name": "setup", "description": "Set up", "options": []}],
    }
    assert validation.validate_request("PUT", "/applications/1/commands", [cmd]).ok
    bad = {**cmd, "name": "x" * 33}
    assert not validation.validate_request("PUT", "/applications/1/commands", [bad]).ok


def test_render_message() -> None:
    text = render_message(
        {
            "content": "Top result",
            "flags": 64,
            "embeds": [
                {
                    "title": "Dead Reckoning",
                    "description": "Out <t:0:D>",
                    "fields": [{"name": "Cast", "value": "Tom Cruise", "inline": True}],
                    "footer": {"text": "source: seed"},
                }
            ],
            "components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "Next"}]}],
        }
    )
    assert text.splitlines() == [
        "(only you can see this)",
        "Top result",
        "",
        "**Dead Reckoning**",
        "Out 1970-01-01",
        "Cast: Tom Cruise",
        "— source: seed",
        "[Next]",
    ]


# --- rules Discord enforces beyond the schema ------------------------------------------

COMMANDS = "/applications/1/commands"
GUILD_COMMANDS = "/applications/1/guilds/2/commands"


def _opt(name: str, *, required: bool = False, **extra: object) -> dict[str, object]:
    return {"type": 3, "name": name, "description": "d", "required": required, **extra}


def _cmd(name: str = "movie", description: str = "Movies", **extra: object) -> dict[str, object]:
    return {"type": 1, "name": name, "description": description, **extra}


def _row(*components: dict[str, object]) -> dict[str, object]:
    return {"type": 1, "components": list(components)}


def _button(label: str, **extra: object) -> dict[str, object]:
    return {"type": 2, "style": 1, "label": label, **extra}


SELECT = {"type": 3, "custom_id": "pick", "options": [{"label": "a", "value": "a"}]}


def _reply(**data: object) -> dict[str, object]:
    return {"type": 4, "data": data}


REFUSED = [
    ("uppercase command", COMMANDS, [_cmd("Movie")], "0.name", "APPLICATION_COMMAND_INVALID_NAME"),
    ("space in command", COMMANDS, [_cmd("movie cast")], "0.name", "INVALID_NAME"),
    (
        "uppercase option",
        GUILD_COMMANDS,
        [_cmd(options=[_opt("Title")])],
        "0.options.0.name",
        "INVALID_NAME",
    ),
    (
        "option in a subcommand",
        COMMANDS,
        [_cmd(options=[{"type": 1, "name": "cast", "description": "d", "options": [_opt("a b")]}])],
        "0.options.0.options.0.name",
        "INVALID_NAME",
    ),
    (
        "empty description",
        COMMANDS,
        [_cmd(description="")],
        "0.description",
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "empty option description",
        COMMANDS,
        [_cmd(options=[{**_opt("title"), "description": ""}])],
        "0.options.0.description",
        "BAD_LENGTH",
    ),
    (
        "required after optional",
        COMMANDS,
        [_cmd(options=[_opt("year"), _opt("title", required=True)])],
        "0.options.1",
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
    ),
    (
        "duplicate command",
        COMMANDS,
        [_cmd(), _cmd()],
        "1.name",
        "APPLICATION_COMMANDS_DUPLICATE_NAME",
    ),
    (
        "duplicate option",
        COMMANDS,
        [_cmd(options=[_opt("title"), _opt("title")])],
        "0.options.1.name",
        "NAME_ALREADY_EXISTS",
    ),
    (
        "101 chat-input commands",
        COMMANDS,
        [_cmd(f"c{i}") for i in range(101)],
        "<body>",
        "APPLICATION_COMMANDS_TOO_MANY",
    ),
    (
        "choices with autocomplete",
        COMMANDS,
        [_cmd(options=[_opt("mode", choices=[{"name": "A", "value": "a"}], autocomplete=True)])],
        "0.options.0.autocomplete",
        "AUTOCOMPLETE",
    ),
    (
        "long choice value in a command",
        COMMANDS,
        [_cmd(options=[_opt("mode", choices=[{"name": "A", "value": "a" * 101}])])],
        "0.options.0.choices.0.value",
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "long autocomplete value",
        CALLBACK,
        {"type": 8, "data": {"choices": [{"name": "Dead Reckoning", "value": "v" * 101}]}},
        "data.choices.0.value",
        "BASE_TYPE_MAX_LENGTH",
    ),
    ("empty message {}", "/channels/1/messages", {}, "<body>", "50006"),
    ("blank content", "/channels/1/messages", {"content": "  "}, "<body>", "50006"),
    ("empty follow-up", "/webhooks/1/tok", {"content": ""}, "<body>", "50006"),
    ("reply with empty data", CALLBACK, {"type": 4, "data": {}}, "<body>", "50006"),
    ("reply with no data", CALLBACK, {"type": 4}, "<body>", "50006"),
    (
        "button without custom_id",
        CALLBACK,
        _reply(content="x", components=[_row(_button("Next"))]),
        "data.components.0.components.0.custom_id",
        "BASE_TYPE_REQUIRED",
    ),
    (
        "link button with custom_id",
        CALLBACK,
        _reply(
            content="x",
            components=[_row(_button("Site", style=5, url="https://x.test", custom_id="s"))],
        ),
        "data.components.0.components.0.custom_id",
        "BUTTON_COMPONENT_INVALID_FIELD",
    ),
    (
        "select and button in one row",
        "/channels/1/messages",
        {"content": "x", "components": [_row(_button("Go", custom_id="go"), SELECT)]},
        "components.0.components",
        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
    ),
    (
        "duplicate custom_id in a modal",
        CALLBACK,
        {
            "type": 9,
            "data": {
                "custom_id": "form",
                "title": "Form",
                "components": [
                    _row({"type": 4, "custom_id": "answer", "label": "A", "style": 1}),
                    _row({"type": 4, "custom_id": "answer", "label": "B", "style": 1}),
                ],
            },
        },
        "data.components.1.components.0.custom_id",
        "COMPONENT_CUSTOM_ID_DUPLICATED",
    ),
]


@pytest.mark.parametrize(
    ("path", "body", "where", "code"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_payloads_discord_refuses(path: str, body: object, where: str, code: str) -> None:
    method = "PUT" if path.endswith("/commands") else "POST"
    verdict = validation.validate_request(method, path, body)
    assert not verdict.ok, "accepted"
    reasons = verdict.describe()
    assert f"{where}: " in reasons and code in reasons, reasons


ACCEPTED = [
    ("unicode and punctuation names", COMMANDS, [_cmd("été-2"), _cmd("o'brien"), _cmd("日本")]),
    ("context menus may be mixed case", COMMANDS, [{"type": 3, "name": "Save Quote"}, _cmd()]),
    ("required then optional", COMMANDS, [_cmd(options=[_opt("t", required=True), _opt("y")])]),
    (
        "same option name in two subcommands",
        COMMANDS,
        [
            _cmd(
                options=[
                    {
                        "type": 1,
                        "name": "cast",
                        "description": "d",
                        "options": [_opt("title", required=True)],
                    },
                    {
                        "type": 1,
                        "name": "crew",
                        "description": "d",
                        "options": [_opt("title", required=True)],
                    },
                ]
            )
        ],
    ),
    ("100 commands", COMMANDS, [_cmd(f"c{i}") for i in range(100)]),
    (
        "capitalised choice names",
        COMMANDS,
        [_cmd(options=[_opt("mode", choices=[{"name": "Buttons", "value": "b"}])])],
    ),
    (
        "link button",
        CALLBACK,
        _reply(content="x", components=[_row(_button("Site", style=5, url="https://x.test"))]),
    ),
    ("a select alone in its row", CALLBACK, _reply(content="x", components=[_row(SELECT)])),
    ("embeds only", "/channels/1/messages", {"embeds": [{"title": "t"}]}),
    ("an edit may leave content out", "/channels/1/messages/5", {"components": []}),
    ("a deferral has no data", CALLBACK, {"type": 5}),
]


@pytest.mark.parametrize(("path", "body"), [c[1:] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_payloads_discord_accepts(path: str, body: object) -> None:
    method = "PUT" if path.endswith("/commands") else "PATCH" if path[-1].isdigit() else "POST"
    verdict = validation.validate_request(method, path, body)
    assert verdict.ok, verdict.describe()


def test_a_file_alone_is_not_an_empty_message() -> None:
    assert validation.validate_request("POST", "/channels/1/messages", {}, has_files=True).ok


def test_an_empty_message_is_answered_with_50006() -> None:
    verdict = validation.validate_request("POST", "/channels/1/messages", {"content": ""})
    assert verdict.error_body() == {"code": 50006, "message": "Cannot send an empty message"}


def test_each_problem_is_reported_once() -> None:
    reply = validation.validate_request("POST", CALLBACK, _reply(content="y" * 2001))
    assert [p.describe() for p in reply.problems] == [
        "data.content: Must be 2000 or fewer in length. (BASE_TYPE_MAX_LENGTH)"
    ]
    long_name = {"type": 8, "data": {"choices": [{"name": "n" * 101, "value": "dr"}]}}
    choice = validation.validate_request("POST", CALLBACK, long_name)
    assert [p.describe() for p in choice.problems] == [
        "data.choices.0.name: Must be 100 or fewer in length. (BASE_TYPE_MAX_LENGTH)"
    ]


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("cast", True),
        ("movie-cast", True),
        ("ß", True),
        ("क्षेत्र", True),
        ("Cast", False),
        ("ǅx", False),
        ("a b", False),
        ("x" * 33, False),
        ("", False),
        ("cast!", False),
    ],
)
def test_chat_input_names(name: str, valid: bool) -> None:
    assert command_rules.valid_chat_input_name(name) is valid


@pytest.mark.parametrize(
    "stamp", ["<t:99999999999999>", "<t:-99999999999999:R>", "<t:" + "9" * 30 + ":D>"]
)
def test_timestamps_out_of_range_stay_as_written(stamp: str) -> None:
    text = render_message({"content": f"due {stamp}", "embeds": [{"footer": {"text": stamp}}]})
    assert text.splitlines() == [f"due {stamp}", "", f"— {stamp}"]
