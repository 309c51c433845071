"""Process settings, read once from `.env` and the environment (the environment wins).

Server settings (news channel, schedule, ...) live in the database, not here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.db.store import describe_target, is_postgres_url
from bot.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path("var/marquee.sqlite3")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TMDB_DEFAULT_BASE = "https://api.themoviedb.org/3"
TMDB_DEFAULT_CACHE_DAYS = 7
_DIGITS = re.compile(r"[0-9]+")  # str.isdigit() also accepts '²' and other non-ASCII digits


@dataclass(frozen=True)
class Settings:
    discord_token: str | None
    db_path: Path
    api_base: str | None
    dev_guild_id: int | None
    log_level: str
    timezone: str
    data_dir: Path
    message_content: bool
    feeds_allow_private: bool
    shard_count: int | None
    shard_ids: tuple[int, ...] | None
    tmdb_api_key: str | None = None
    tmdb_api_base: str = TMDB_DEFAULT_BASE
    tmdb_cache_days: int = TMDB_DEFAULT_CACHE_DAYS
    # Not from the environment: set by the sandbox, whose servers have reserved ids
    # (bot/sandbox/ids.py); the bot then acts on those servers' rows only, and a bot
    # outside the sandbox never on them.
    sandbox: bool = False
    # MARQUEE_DB as a PostgreSQL URL (postgresql://...); None: the SQLite file db_path.
    db_url: str | None = None

    @property
    def database(self) -> str | Path:
        """What `Store.open` takes: the PostgreSQL URL, else the SQLite file."""
        return self.db_url or self.db_path

    def __repr__(self) -> str:  # never print the token, the TMDB key or a DB password
        token = "set" if self.discord_token else "unset"
        tmdb = "set" if self.tmdb_api_key else "unset"
        return (
            f"Settings(token={token}, database={describe_target(self.database)}, "
            f"api_base={self.api_base}, tmdb_key={tmdb}, tmdb_api_base={self.tmdb_api_base})"
        )


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
) -> Settings:
    """Build Settings from `env_file` overlaid by `environ` (default: os.environ).

    Raises ConfigError naming the first bad setting.
    """
    values: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        raw = values.get(name)
        return raw.strip() if raw and raw.strip() else None

    return Settings(
        discord_token=get("DISCORD_TOKEN"),
        db_path=_db_path(None if is_postgres_url(get("MARQUEE_DB") or "") else get("MARQUEE_DB")),
        db_url=_db_url(get("MARQUEE_DB")),
        api_base=_api_base(get("DISCORD_API_BASE")),
        dev_guild_id=_snowflake("DEV_GUILD_ID", get("DEV_GUILD_ID")),
        log_level=_log_level(get("LOG_LEVEL")),
        timezone=_timezone(get("MARQUEE_TIMEZONE")),
        data_dir=_data_dir(get("MARQUEE_DATA_DIR")),
        message_content=_flag("MARQUEE_MESSAGE_CONTENT", get("MARQUEE_MESSAGE_CONTENT")),
        feeds_allow_private=_flag(
            "MARQUEE_FEEDS_ALLOW_PRIVATE", get("MARQUEE_FEEDS_ALLOW_PRIVATE")
        ),
        shard_count=(shard_count := _positive_int("SHARD_COUNT", get("SHARD_COUNT"))),
        shard_ids=_shard_ids(get("SHARD_IDS"), shard_count),
        tmdb_api_key=_tmdb_key(get("TMDB_API_KEY")),
        tmdb_api_base=_http_url("TMDB_API_BASE", get("TMDB_API_BASE")) or TMDB_DEFAULT_BASE,
        tmdb_cache_days=_positive_int("TMDB_CACHE_DAYS", get("TMDB_CACHE_DAYS"))
        or TMDB_DEFAULT_CACHE_DAYS,
    )


def _db_url(raw: str | None) -> str | None:
    if raw is None or not is_postgres_url(raw):
        return None
    parsed = urlparse(raw)
    if not parsed.hostname and not parsed.path.strip("/") and "host=" not in parsed.query:
        raise ConfigError("MARQUEE_DB", "a PostgreSQL URL needs a host or a database name")
    return raw


def _db_path(raw: str | None) -> Path:
    if raw and raw.startswith("sqlite:"):
        raw = raw.removeprefix("sqlite:").removeprefix("//") or None
    path = Path(raw).expanduser() if raw else DEFAULT_DB
    if path.exists() and path.is_dir():
        raise ConfigError("MARQUEE_DB", f"{path} is a directory, not a database file")
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError("MARQUEE_DB", f"cannot create {parent}: {exc.strerror}") from None
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError("MARQUEE_DB", f"{path} is not writable")
    return path


def _api_base(raw: str | None) -> str | None:
    return _http_url("DISCORD_API_BASE", raw)


def _http_url(name: str, raw: str | None) -> str | None:
    if raw is None:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(name, f"{raw!r} is not an http or https URL")
    return raw.rstrip("/")


def _tmdb_key(raw: str | None) -> str | None:
    """A v3 API key (32 hex digits) or a v4 read access token (a JWT); never echoed."""
    if raw is None:
        return None
    if any(ch.isspace() for ch in raw) or not raw.isascii() or len(raw) < 16:
        raise ConfigError(
            "TMDB_API_KEY", "is not a TMDB v3 API key or v4 read access token (check for a typo)"
        )
    return raw


def _snowflake(name: str, raw: str | None) -> int | None:
    if raw is None:
        return None
    if not _DIGITS.fullmatch(raw) or not 0 < int(raw) < 2**64:
        raise ConfigError(name, f"{raw!r} is not a Discord id (a positive number)")
    return int(raw)


def _positive_int(name: str, raw: str | None) -> int | None:
    if raw is None:
        return None
    if not _DIGITS.fullmatch(raw) or int(raw) < 1:
        raise ConfigError(name, f"{raw!r} is not a positive whole number")
    return int(raw)


def _shard_ids(raw: str | None, shard_count: int | None) -> tuple[int, ...] | None:
    if raw is None:
        return None
    if shard_count is None:
        raise ConfigError("SHARD_IDS", "needs SHARD_COUNT (the total number of shards)")
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts or not all(_DIGITS.fullmatch(p) for p in parts):
        raise ConfigError("SHARD_IDS", f"{raw!r} is not a comma-separated list of shard numbers")
    ids = tuple(int(p) for p in parts)
    if max(ids) >= shard_count:
        raise ConfigError("SHARD_IDS", f"shard ids must be below SHARD_COUNT ({shard_count})")
    return ids


def _log_level(raw: str | None) -> str:
    level = (raw or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ConfigError("LOG_LEVEL", f"{raw!r} is not one of {', '.join(LOG_LEVELS)}")
    return level


def _timezone(raw: str | None) -> str:
    name = raw or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("MARQUEE_TIMEZONE", f"unknown time zone {name!r}") from None
    return name


def _data_dir(raw: str | None) -> Path:
    path = Path(raw).expanduser() if raw else PROJECT_ROOT / "data"
    if raw and not path.is_dir():
        raise ConfigError("MARQUEE_DATA_DIR", f"{path} is not a directory")
    return path


def _flag(name: str, raw: str | None) -> bool:
    if raw is None:
        return False
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(name, f"{raw!r} is not a yes/no value (use 1 or 0)")
