"""Rebound's store: the interface use cases are written against, its records and errors.

`interface` declares one Protocol per kind of record, the UnitOfWork and the Store;
`records` the plain values in and out; `errors` what callers catch. `sqlite` (the default)
and `postgres` implement it; `open_store` picks the implementation for a database setting.
"""

from __future__ import annotations

from pathlib import Path

from bot.store import interface
from bot.store.errors import EngineError, StoreBusy, StoreError, StoreFull
from bot.store.interface import Store, UnitOfWork
from bot.store.records import (
    AdminChange,
    Answer,
    Arrival,
    Board,
    BuddyMember,
    BuddySeat,
    Conversation,
    Export,
    Followup,
    FollowupPlan,
    Person,
    RankedRow,
    Reflection,
    Rejection,
    RejectionLog,
    RejectionPlan,
    RejectionView,
    Reminder,
    ReminderLine,
    ReminderPlan,
    Shown,
    StreakRow,
    parse_ts,
    ts,
)
from bot.store.sqlite import (
    BUSY_TIMEOUT_MS,
    MIGRATIONS,
    PERSONAL_TABLES,
    SCHEMA_VERSION,
    SqliteStore,
)


def open_store(database: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
    """The store for a database setting, not yet open (open it with `async with`).

    A path (or `sqlite:///path`) is a SQLite file; a `postgresql://` URL is PostgreSQL.
    """
    where = str(database)
    if where.startswith(("postgresql://", "postgres://")):
        # Imported only here: a SQLite deployment never loads the PostgreSQL driver.
        from bot.store.postgres import PostgresStore

        return PostgresStore(where)
    if where.startswith("sqlite:///"):
        where = where.removeprefix("sqlite:///")
    elif "://" in where:
        raise StoreError(
            f"unsupported database {where.split('://')[0]!r}: use a SQLite path or postgresql://"
        )
    return SqliteStore(where, busy_timeout_ms=busy_timeout_ms)


__all__ = [
    "MIGRATIONS",
    "PERSONAL_TABLES",
    "SCHEMA_VERSION",
    "AdminChange",
    "Answer",
    "Arrival",
    "Board",
    "BuddyMember",
    "BuddySeat",
    "Conversation",
    "EngineError",
    "Export",
    "Followup",
    "FollowupPlan",
    "Person",
    "RankedRow",
    "Reflection",
    "Rejection",
    "RejectionLog",
    "RejectionPlan",
    "RejectionView",
    "Reminder",
    "ReminderLine",
    "ReminderPlan",
    "Shown",
    "SqliteStore",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreFull",
    "StreakRow",
    "UnitOfWork",
    "interface",
    "open_store",
    "parse_ts",
    "ts",
]
