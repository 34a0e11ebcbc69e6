"""What a person's next DM text answers, and which messages they have already seen: SQL."""

from __future__ import annotations

from datetime import datetime

from bot.store.records import Conversation, ts
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, hop


def conversation(conn: Conn, person_id: int) -> Conversation | None:
    """What the person's next DM text answers, or None."""
    row = sql.one(
        conn, "SELECT flow, ref_id, payload FROM conversations WHERE person_id = ?", (person_id,)
    )
    return Conversation(row["flow"], row["ref_id"], row["payload"]) if row else None


def set_conversation(
    conn: Conn,
    person_id: int,
    flow: str | None,
    ref_id: int | None,
    now: datetime,
    payload: str | None = None,
) -> None:
    """Set (or with flow None, clear) what the person's next DM text answers."""
    if flow is None:
        clear_conversation(conn, person_id)
        return
    sql.execute(
        conn,
        "INSERT INTO conversations (person_id, flow, ref_id, payload, updated_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET flow = excluded.flow,"
        " ref_id = excluded.ref_id, payload = excluded.payload, updated_at = excluded.updated_at",
        (person_id, flow, ref_id, payload, ts(now)),
    )


def clear_conversation(conn: Conn, person_id: int) -> None:
    """Forget what the person's next DM text would have answered."""
    sql.execute(conn, "DELETE FROM conversations WHERE person_id = ?", (person_id,))


def used_messages(conn: Conn, person_id: int, pool: str) -> list[str]:
    """Keys the person has seen from a pool since it last ran out, most recent first."""
    found = sql.rows(
        conn,
        "SELECT message_key FROM message_history WHERE person_id = ? AND pool = ?"
        " ORDER BY seq DESC",
        (person_id, pool),
    )
    return [r["message_key"] for r in found]


def use_message(
    conn: Conn, person_id: int, pool: str, key: str, now: datetime, *, restart: bool
) -> None:
    """Remember that the person saw key; restart forgets the pool's earlier keys first."""
    if restart:
        sql.execute(
            conn, "DELETE FROM message_history WHERE person_id = ? AND pool = ?", (person_id, pool)
        )
    sql.execute(
        conn,
        "INSERT INTO message_history (person_id, pool, message_key, used_at, seq)"
        " VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM message_history"
        " WHERE person_id = ? AND pool = ?))"
        " ON CONFLICT DO UPDATE SET used_at = excluded.used_at, seq = excluded.seq",
        (person_id, pool, key, ts(now), person_id, pool),
    )


class SqliteConversations(Repository):
    """Conversation state on SQLite (the Conversations protocol)."""

    __slots__ = ()

    get = hop(conversation)
    set = hop(set_conversation)
    clear = hop(clear_conversation)


class SqliteMessages(Repository):
    """Message history on SQLite (the MessageHistory protocol)."""

    __slots__ = ()

    seen = hop(used_messages)
    mark_seen = hop(use_message)
