from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import DEFAULT_DB, load_settings


def test_defaults_without_anything(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = load_settings({}, env_file=None)
    assert s.discord_token is None
    assert s.db_path == DEFAULT_DB
    assert (tmp_path / "var").is_dir()  # created on first use
    assert s.log_level == "INFO" and s.timezone == "UTC"
    assert s.api_base is None and s.dev_guild_id is None


def test_environment_overrides_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVEL=debug\nDEV_GUILD_ID=123\nMARQUEE_TIMEZONE=Europe/Paris\n")
    s = load_settings(
        {"DEV_GUILD_ID": "456", "MARQUEE_DB": str(tmp_path / "x.db")}, env_file=env_file
    )
    assert s.log_level == "DEBUG"
    assert s.dev_guild_id == 456
    assert s.timezone == "Europe/Paris"


def test_token_is_never_in_repr(tmp_path):
    s = load_settings(
        {"DISCORD_TOKEN": "sekrit.token.value", "MARQUEE_DB": str(tmp_path / "x.db")},
        env_file=None,
    )
    assert "sekrit" not in repr(s) and "sekrit" not in str(s)


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("MARQUEE_TIMEZONE", "Mars/Olympus", "unknown time zone"),
        ("DEV_GUILD_ID", "my-server", "not a Discord id"),
        ("LOG_LEVEL", "LOUD", "not one of"),
        ("DISCORD_API_BASE", "ftp://x", "not an http or https URL"),
        ("SHARD_COUNT", "0", "positive"),
        ("MARQUEE_MESSAGE_CONTENT", "maybe", "yes/no"),
    ],
)
def test_bad_values_name_the_setting(tmp_path, name, value, fragment):
    with pytest.raises(ConfigError) as err:
        load_settings({name: value, "MARQUEE_DB": str(tmp_path / "x.db")}, env_file=None)
    assert err.value.setting == name
    assert str(err.value).startswith(f"{name}: ") and fragment in str(err.value)


def test_unwritable_database_path(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(ConfigError) as err:
        load_settings({"MARQUEE_DB": str(blocker / "db.sqlite3")}, env_file=None)
    assert err.value.setting == "MARQUEE_DB" and "cannot create" in str(err.value)


def test_directory_as_database(tmp_path):
    with pytest.raises(ConfigError, match="is a directory"):
        load_settings({"MARQUEE_DB": str(tmp_path)}, env_file=None)


def test_env_example_lists_every_setting():
    example = (Path(__file__).parent.parent / ".env.example").read_text()
    source = (Path(__file__).parent.parent / "bot" / "settings.py").read_text()
    import re

    used = set(re.findall(r'get\("([A-Z_]+)"\)', source))
    assert used, "settings.py reads no names?"
    declared = set(re.findall(r"^([A-Z_]+)=", example, re.MULTILINE))
    assert used == declared


@pytest.mark.parametrize(
    ("env", "name", "fragment"),
    [
        ({"DEV_GUILD_ID": "²"}, "DEV_GUILD_ID", "not a Discord id"),
        ({"SHARD_COUNT": "²"}, "SHARD_COUNT", "positive"),
        ({"SHARD_IDS": "0,1"}, "SHARD_IDS", "needs SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,2"}, "SHARD_IDS", "below SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,x"}, "SHARD_IDS", "comma-separated"),
    ],
)
def test_shard_and_id_validation(tmp_path, env, name, fragment):
    with pytest.raises(ConfigError) as err:
        load_settings({**env, "MARQUEE_DB": str(tmp_path / "x.db")}, env_file=None)
    assert err.value.setting == name and fragment in str(err.value)


def test_valid_shards(tmp_path):
    s = load_settings(
        {"SHARD_COUNT": "4", "SHARD_IDS": "2, 3", "MARQUEE_DB": str(tmp_path / "x.db")},
        env_file=None,
    )
    assert s.shard_count == 4 and s.shard_ids == (2, 3)


def test_tmdb_settings(tmp_path):
    db = str(tmp_path / "x.db")
    s = load_settings({"MARQUEE_DB": db}, env_file=None)
    assert s.tmdb_api_key is None and s.tmdb_api_base == "https://api.themoviedb.org/3"
    assert s.tmdb_cache_days == 7
    key = "0123456789abcdef0123456789abcdef"
    s = load_settings(
        {"MARQUEE_DB": db, "TMDB_API_KEY": key, "TMDB_API_BASE": "http://127.0.0.1:9/3/",
         "TMDB_CACHE_DAYS": "2"},
        env_file=None,
    )  # fmt: skip
    assert s.tmdb_api_key == key and key not in repr(s)
    assert s.tmdb_api_base == "http://127.0.0.1:9/3" and s.tmdb_cache_days == 2


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"TMDB_API_KEY": "secret key with spaces"}, "TMDB_API_KEY"),
        ({"TMDB_API_KEY": "short"}, "TMDB_API_KEY"),
        ({"TMDB_API_BASE": "ftp://tmdb"}, "TMDB_API_BASE"),
        ({"TMDB_CACHE_DAYS": "0"}, "TMDB_CACHE_DAYS"),
    ],
)
def test_bad_tmdb_settings_name_the_setting_and_never_echo_the_key(tmp_path, env, name):
    with pytest.raises(ConfigError) as err:
        load_settings({"MARQUEE_DB": str(tmp_path / "x.db"), **env}, env_file=None)
    assert err.value.setting == name
    if name == "TMDB_API_KEY":
        assert env["TMDB_API_KEY"] not in str(err.value)
