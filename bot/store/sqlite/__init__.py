"""The store on SQLite through aiosqlite: the only package that knows which database it is."""

from bot.store.sqlite.engine import BUSY_TIMEOUT_MS
from bot.store.sqlite.migrations import MIGRATIONS, PERSONAL_TABLES, SCHEMA_VERSION
from bot.store.sqlite.store import SqliteStore

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "PERSONAL_TABLES",
    "SCHEMA_VERSION",
    "SqliteStore",
]
