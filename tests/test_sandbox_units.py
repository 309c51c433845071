"""Emulator pieces without a bot: the vendored spec, validation, text rendering."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from bot.sandbox import validation
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
