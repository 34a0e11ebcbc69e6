"""What a person's next DM text answers, and which messages they have seen, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.store.postgres.engine import Conn, Repository, at, pooled
from bot.store.records import Conversation


async def conversation(conn: Conn, person_id: int) -> Conversation | None:
    """What the person's next DM text answers, or None."""
    row = await conn.fetchrow(
        "SELECT flow, ref_id, payload FROM conversations WHERE person_id = $1", person_id
    )
    return Conversation(row["flow"], row["ref_id"], row["payload"]) if row else None


async def set_conversation(
    conn: Conn,
    person_id: int,
    flow: str | None,
    ref_id: int | None,
    now: datetime,
    payload: str | None = None,
) -> None:
    """Set (or with flow None, clear) what the person's next DM text answers."""
    if flow is None:
        await clear_conversation(conn, person_id)
        return
    await conn.execute(
        "INSERT INTO conversations (person_id, flow, ref_id, payload, updated_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id) DO UPDATE SET"
        " flow = excluded.flow, ref_id = excluded.ref_id, payload = excluded.payload,"
        " updated_at = excluded.updated_at",
        person_id,
        flow,
        ref_id,
        payload,
        at(now),
    )


async def clear_conversation(conn: Conn, person_id: int) -> None:
    """Forget what the person's next DM text would have answered."""
    await conn.execute("DELETE FROM conversations WHERE person_id = $1", person_id)


async def used_messages(conn: Conn, person_id: int, pool: str) -> list[str]:
    """Keys the person has seen from a pool since it last ran out, most recent first."""
    found = await conn.fetch(
        "SELECT message_key FROM message_history WHERE person_id = $1 AND pool = $2"
        " ORDER BY seq DESC",
        person_id,
        pool,
    )
    return [r["message_key"] for r in found]


async def use_message(
    conn: Conn, person_id: int, pool: str, key: str, now: datetime, *, restart: bool
) -> None:
    """Remember that the person saw key; restart forgets the pool's earlier keys first."""
    if restart:
        await conn.execute(
            "DELETE FROM message_history WHERE person_id = $1 AND pool = $2", person_id, pool
        )
    await conn.execute(
        "INSERT INTO message_history (person_id, pool, message_key, used_at, seq)"
        " VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(seq), 0) + 1 FROM message_history"
        " WHERE person_id = $1 AND pool = $2))"
        " ON CONFLICT (person_id, pool, message_key) DO UPDATE SET used_at = excluded.used_at,"
        " seq = excluded.seq",
        person_id,
        pool,
        key,
        at(now),
    )


class PostgresConversations(Repository):
    """Conversation state on PostgreSQL (the Conversations protocol)."""

    __slots__ = ()

    get = pooled(conversation)
    set = pooled(set_conversation)
    clear = pooled(clear_conversation)


class PostgresMessages(Repository):
    """Message history on PostgreSQL (the MessageHistory protocol)."""

    __slots__ = ()

    seen = pooled(used_messages)
    mark_seen = pooled(use_message)
