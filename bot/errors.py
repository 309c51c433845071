"""Exceptions that carry a message meant for a person, not a traceback."""

from __future__ import annotations


class UserFacingError(Exception):
    """A problem the user can fix; its message is shown as is (ephemeral in Discord)."""


class ConfigError(UserFacingError):
    """A bad setting: the message names the setting. The CLI exits with code 2."""

    def __init__(self, setting: str, problem: str) -> None:
        super().__init__(f"{setting}: {problem}")
        self.setting = setting


class ArticleError(UserFacingError):
    """An article file that cannot be ingested; nothing was written."""


class SchemaTooNewError(UserFacingError):
    """The database was written by a newer Marquee; refusing protects its data."""
