from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def test_defaults(tmp_path: Path):
    settings = load_settings({}, env_file=tmp_path / "missing.env")
    assert settings.db_path == Path("./rebound.db")
    assert settings.timezone == "UTC"
    assert settings.log_level == "WARNING"


def test_env_file_is_read_and_the_environment_wins(tmp_path: Path):
    env_file = tmp_path / ".env"
    env_file.write_text("REBOUND_TIMEZONE=Europe/Berlin\nREBOUND_DB_PATH=from-file.db\n")
    settings = load_settings({"REBOUND_DB_PATH": "from-env.db"}, env_file=env_file)
    assert settings.timezone == "Europe/Berlin"
    assert settings.db_path == Path("from-env.db")


def test_an_empty_value_means_unset(tmp_path: Path):
    env_file = tmp_path / ".env"
    env_file.write_text("REBOUND_TIMEZONE=\nLOG_LEVEL=\n")
    settings = load_settings({"REBOUND_DB_PATH": "  "}, env_file=env_file)
    assert settings.timezone == "UTC"
    assert settings.db_path == Path("./rebound.db")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REBOUND_TIMEZONE", "Mars/Olympus"),
        ("LOG_LEVEL", "LOUD"),
        ("REBOUND_DB_PATH", "."),
        ("REBOUND_CLOCK_START", "2026-11-26 15:00"),
        ("DISCORD_GUILD_ID", "not-a-server"),
        ("DISCORD_API_URL", "discord.example"),
        ("SLACK_PORT", "99999"),
        ("REBOUND_DATABASE_URL", "mysql://rebound@db.example/rebound"),
        ("REBOUND_DATABASE_URL", "postgresql://"),
        ("DISCORD_SHARD_COUNT", "0"),
        ("DISCORD_SHARD_IDS", "0,1"),
    ],
)
def test_a_bad_value_names_the_setting(tmp_path: Path, name: str, value: str):
    with pytest.raises(ConfigError) as caught:
        load_settings({name: value}, env_file=None)
    assert caught.value.name == name
    assert str(caught.value).startswith(f"{name}=")
    assert "expected" in str(caught.value)


def test_a_database_url_wins_over_the_file_and_is_named_without_its_password(tmp_path: Path):
    url = "postgresql://rebound:s3cret@db.example:5432/rebound"
    settings = load_settings(
        {"REBOUND_DATABASE_URL": url, "REBOUND_DB_PATH": "file.db"}, env_file=None
    )
    assert settings.database == url
    assert "s3cret" not in settings.database_name
    assert settings.database_name == (
        "REBOUND_DATABASE_URL postgresql://rebound:***@db.example:5432/rebound"
    )
    assert load_settings({"REBOUND_DB_PATH": "file.db"}, env_file=None).database == Path("file.db")


def test_a_bad_database_url_never_shows_its_password():
    with pytest.raises(ConfigError) as caught:
        load_settings({"REBOUND_DATABASE_URL": "mysql://me:s3cret@db/x"}, env_file=None)
    assert "s3cret" not in str(caught.value)


def test_shard_ids_must_be_below_the_shard_count():
    with pytest.raises(ConfigError) as caught:
        load_settings({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "0,2"}, env_file=None)
    assert caught.value.name == "DISCORD_SHARD_IDS" and "0 to 1" in str(caught.value)
    settings = load_settings({"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "2, 0"}, None)
    assert (settings.discord_shard_count, settings.discord_shard_ids) == (4, (0, 2))
