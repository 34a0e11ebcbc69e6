"""Settings, read once at start from the environment and `.env`."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A setting has a value Rebound cannot use; the message names it and what it expects."""

    def __init__(self, name: str, expected: str, value: str) -> None:
        super().__init__(f"{name}={value!r} is not valid: expected {expected}")
        self.name = name


class RefusedSetting(ConfigError):
    """A platform refused a setting (a token): the message names it, never shows its value."""

    def __init__(self, name: str, why: str) -> None:
        Exception.__init__(self, f"{name} {why}")
        self.name = name


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything Rebound reads from its environment."""

    db_path: Path
    timezone: str
    log_level: str
    files_dir: Path
    discord_token: str | None = None
    discord_guild_id: int | None = None
    discord_api_url: str | None = None
    discord_gateway_url: str | None = None
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_port: int = 3000
    slack_api_url: str | None = None
    clock_start: datetime | None = None
    # A PostgreSQL URL (REBOUND_DATABASE_URL); when set it wins over db_path.
    database_url: str | None = None
    # Discord sharding: how many shards in all, and which of them this process runs.
    discord_shard_count: int | None = None
    discord_shard_ids: tuple[int, ...] | None = None

    @property
    def database(self) -> Path | str:
        """The database to open: the PostgreSQL URL when one is set, else the SQLite file."""
        return self.database_url or self.db_path

    @property
    def database_name(self) -> str:
        """The database as a message may name it: a URL without its password."""
        if self.database_url is None:
            return str(self.db_path)
        return "REBOUND_DATABASE_URL " + hide_password(self.database_url)

    @property
    def log_level_number(self) -> int:
        """The logging module's number for log_level."""
        return logging.getLevelNamesMapping()[self.log_level]


def _merged(environ: Mapping[str, str], env_file: Path | None) -> dict[str, str]:
    """Merge `.env` under the environment (the environment wins); empty values mean unset."""
    merged: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        for key, value in dotenv_values(env_file).items():
            if value is not None and value.strip():
                merged[key] = value.strip()
    for key, value in environ.items():
        if value.strip():
            merged[key] = value.strip()
    return merged


DATABASE_SCHEMES = ("postgresql://", "postgres://")


def hide_password(url: str) -> str:
    """A database URL with any password replaced by ***, fit for a message or a log."""
    scheme, sep, rest = url.partition("://")
    who, at, where = rest.rpartition("@")
    if not at or ":" not in who:
        return url
    return f"{scheme}{sep}{who.split(':', 1)[0]}:***@{where}"


def check_database_url(value: str) -> str:
    """Return value if it is a PostgreSQL URL with a host or socket, else raise ConfigError."""
    expected = "a PostgreSQL URL like postgresql://rebound@db.example/rebound"
    if not value.startswith(DATABASE_SCHEMES) or not value.partition("://")[2].strip("/"):
        raise ConfigError("REBOUND_DATABASE_URL", expected, hide_password(value))
    return value


def check_timezone(name: str, value: str) -> str:
    """Return value if it is an IANA timezone name, else raise ConfigError naming the setting."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(name, "an IANA timezone name such as Europe/Berlin", value) from exc
    return value


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Read settings; raise ConfigError on the first bad value."""
    values = _merged(os.environ if environ is None else environ, env_file)

    db_path = Path(values.get("REBOUND_DB_PATH", "./rebound.db"))
    if db_path.is_dir():
        raise ConfigError("REBOUND_DB_PATH", "a file path, not a folder", str(db_path))

    database_url = values.get("REBOUND_DATABASE_URL")
    if database_url is not None:
        check_database_url(database_url)

    timezone = check_timezone("REBOUND_TIMEZONE", values.get("REBOUND_TIMEZONE", "UTC"))

    log_level = values.get("LOG_LEVEL", "WARNING").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError("LOG_LEVEL", "one of " + ", ".join(LOG_LEVELS), values["LOG_LEVEL"])

    files_dir = Path(values.get("REBOUND_FILES_DIR", "./rebound-files"))
    if files_dir.exists() and not files_dir.is_dir():
        raise ConfigError("REBOUND_FILES_DIR", "a folder path", str(files_dir))

    guild = values.get("DISCORD_GUILD_ID")
    if guild is not None and not ((guild.isascii() and guild.isdigit()) and 15 <= len(guild) <= 21):
        raise ConfigError("DISCORD_GUILD_ID", "a server id: 17 to 20 digits", guild)
    api_url = _url(values, "DISCORD_API_URL", ("http://", "https://"))
    gateway_url = _url(values, "DISCORD_GATEWAY_URL", ("ws://", "wss://"))
    slack_port = values.get("SLACK_PORT", "3000")
    if not (slack_port.isascii() and slack_port.isdigit()) or not 1 <= int(slack_port) <= 65535:
        raise ConfigError("SLACK_PORT", "a port number from 1 to 65535", slack_port)
    slack_token = values.get("SLACK_BOT_TOKEN")
    if slack_token and not values.get("SLACK_SIGNING_SECRET") and not values.get("SLACK_APP_TOKEN"):
        raise ConfigError(
            "SLACK_SIGNING_SECRET", "the app's signing secret (or SLACK_APP_TOKEN)", ""
        )
    shard_count, shard_ids = _shards(values)
    clock_start = None
    if "REBOUND_CLOCK_START" in values:
        try:
            clock_start = datetime.fromisoformat(values["REBOUND_CLOCK_START"])
        except ValueError:
            clock_start = None
        if clock_start is None or clock_start.tzinfo is None:
            raise ConfigError(
                "REBOUND_CLOCK_START",
                "an ISO 8601 time with its offset, like 2026-11-26T15:00:00+00:00",
                values["REBOUND_CLOCK_START"],
            )
    return Settings(
        db_path=db_path,
        timezone=timezone,
        log_level=log_level,
        files_dir=files_dir,
        discord_token=values.get("DISCORD_TOKEN"),
        discord_guild_id=int(guild) if guild else None,
        discord_api_url=api_url,
        discord_gateway_url=gateway_url,
        slack_bot_token=slack_token,
        slack_signing_secret=values.get("SLACK_SIGNING_SECRET"),
        slack_app_token=values.get("SLACK_APP_TOKEN"),
        slack_port=int(slack_port),
        slack_api_url=_url(values, "SLACK_API_URL", ("http://", "https://")),
        clock_start=clock_start,
        database_url=database_url,
        discord_shard_count=shard_count,
        discord_shard_ids=shard_ids,
    )


def _shards(values: Mapping[str, str]) -> tuple[int | None, tuple[int, ...] | None]:
    """DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS: ids need a count, and each is below it."""
    count_text, ids_text = values.get("DISCORD_SHARD_COUNT"), values.get("DISCORD_SHARD_IDS")
    if count_text is None:
        if ids_text is not None:
            raise ConfigError("DISCORD_SHARD_IDS", "DISCORD_SHARD_COUNT to be set too", ids_text)
        return None, None
    if not (count_text.isascii() and count_text.isdigit()) or int(count_text) < 1:
        raise ConfigError("DISCORD_SHARD_COUNT", "a whole number of shards, 1 or more", count_text)
    count = int(count_text)
    if ids_text is None:
        return count, None
    parts = [p.strip() for p in ids_text.split(",")]
    if not all(p.isascii() and p.isdigit() and int(p) < count for p in parts):
        raise ConfigError(
            "DISCORD_SHARD_IDS", f"shard numbers from 0 to {count - 1}, like 0,1", ids_text
        )
    return count, tuple(sorted({int(p) for p in parts}))


def _url(values: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    value = values.get(name)
    if value is not None and not value.startswith(schemes):
        raise ConfigError(name, "a URL starting with " + " or ".join(schemes), value)
    return value.rstrip("/") if value else None
