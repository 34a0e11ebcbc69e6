"""Values the bot keeps for itself (command hash, terminal clock, counters), on PostgreSQL."""

from __future__ import annotations

from bot.store.postgres.engine import Conn, Repository, changed, pooled


async def get_state(conn: Conn, key: str) -> str | None:
    """A value the bot keeps for itself, or None."""
    value: str | None = await conn.fetchval("SELECT value FROM bot_state WHERE key = $1", key)
    return value


async def set_state(conn: Conn, key: str, value: str) -> None:
    """Keep a value for the bot itself."""
    await conn.execute(
        "INSERT INTO bot_state (key, value) VALUES ($1, $2)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        key,
        value,
    )


async def bump_state(conn: Conn, key: str) -> None:
    """Add one to a counter the bot keeps for itself."""
    await conn.execute(
        "INSERT INTO bot_state (key, value) VALUES ($1, '1') ON CONFLICT (key)"
        " DO UPDATE SET value = (CAST(bot_state.value AS INTEGER) + 1)::text",
        key,
    )


async def claim_state(conn: Conn, key: str, value: str) -> bool:
    """Keep value under key unless one is kept already: True for the one caller that did."""
    done = await conn.fetchval(
        "INSERT INTO bot_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING"
        " RETURNING 1",
        key,
        value,
    )
    return done is not None


async def forget_older(conn: Conn, prefix: str, value: str) -> int:
    """Forget the keys starting with prefix whose value sorts before value."""
    return await changed(
        conn,
        'DELETE FROM bot_state WHERE left(key, $1) = $2 AND value COLLATE "C" < $3',
        len(prefix),
        prefix,
        value,
    )


class PostgresBotState(Repository):
    """Bot state on PostgreSQL (the BotState protocol)."""

    __slots__ = ()

    get = pooled(get_state)
    set = pooled(set_state)
    bump = pooled(bump_state)
    claim = pooled(claim_state)
    forget_older = pooled(forget_older)
