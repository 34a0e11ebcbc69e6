"""Values the bot keeps for itself (command hash, terminal clock, counters): the SQL."""

from __future__ import annotations

from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, hop


def get_state(conn: Conn, key: str) -> str | None:
    """A value the bot keeps for itself, or None."""
    row = sql.one(conn, "SELECT value FROM bot_state WHERE key = ?", (key,))
    return row["value"] if row else None


def set_state(conn: Conn, key: str, value: str) -> None:
    """Keep a value for the bot itself."""
    sql.execute(
        conn,
        "INSERT INTO bot_state (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def bump_state(conn: Conn, key: str) -> None:
    """Add one to a counter the bot keeps for itself."""
    sql.execute(
        conn,
        "INSERT INTO bot_state (key, value) VALUES (?, '1') ON CONFLICT (key)"
        " DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        (key,),
    )


def claim_state(conn: Conn, key: str, value: str) -> bool:
    """Keep value under key unless one is kept already: True for the one caller that did."""
    row = sql.one(
        conn,
        "INSERT INTO bot_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING RETURNING 1",
        (key, value),
    )
    return row is not None


def forget_older(conn: Conn, prefix: str, value: str) -> int:
    """Forget the keys starting with prefix whose value sorts before value."""
    # substr, not LIKE: a prefix holding % or _ matches only itself.
    return sql.rowcount(
        conn,
        "DELETE FROM bot_state WHERE substr(key, 1, ?) = ? AND value < ?",
        (len(prefix), prefix, value),
    )


class SqliteBotState(Repository):
    """Bot state on SQLite (the BotState protocol)."""

    __slots__ = ()

    get = hop(get_state)
    set = hop(set_state)
    bump = hop(bump_state)
    claim = hop(claim_state)
    forget_older = hop(forget_older)
