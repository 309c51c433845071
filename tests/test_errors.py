"""The one error path maps user mistakes to short text and hides bugs behind an id."""

import logging

from discord import app_commands

from bot.app import extension_names, user_message
from bot.errors import UserFacingError
from bot.permissions import NotServerManager
from bot.runtime import RedactToken


def test_user_errors_become_their_message():
    assert user_message(UserFacingError("No film matches 'xyz'")) == "No film matches 'xyz'"
    wrapped = app_commands.CommandInvokeError.__new__(app_commands.CommandInvokeError)
    wrapped.original = UserFacingError("inner")
    assert user_message(wrapped) == "inner"
    assert "Manage Server" in user_message(NotServerManager("You need the Manage Server x"))
    assert user_message(app_commands.NoPrivateMessage()) == "This command works only in a server."
    assert "try again in 3 s" in user_message(
        app_commands.CommandOnCooldown(app_commands.Cooldown(1, 5), 3.0)
    )


def test_bugs_are_not_shown_to_users():
    assert user_message(ZeroDivisionError("secret internals")) is None
    assert user_message(KeyError("x")) is None


def test_cogs_are_discovered_and_helpers_skipped():
    names = extension_names()
    assert all(n.startswith("cogs.") and not n.split(".")[1].startswith("_") for n in names)


def test_token_is_redacted_from_log_records():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "using %s now", ("abc.def",), None)
    RedactToken("abc.def").filter(record)
    assert record.getMessage() == "using [token] now"
