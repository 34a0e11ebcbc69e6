"""Check-ins on how a person is doing, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.store.postgres.engine import Conn, Repository, at, pooled


async def add_checkin(
    conn: Conn, person_id: int, mood: int, note: str | None, now: datetime
) -> int:
    """Store a check-in; return its id."""
    new_id: int = await conn.fetchval(
        "INSERT INTO checkins (person_id, mood, note, created_at) VALUES ($1, $2, $3, $4)"
        " RETURNING id",
        person_id,
        mood,
        note,
        at(now),
    )
    return new_id


async def set_checkin_note(conn: Conn, checkin_id: int, person_id: int, note: str) -> None:
    """Add a note to the person's check-in (someone else's is left alone)."""
    await conn.execute(
        "UPDATE checkins SET note = $1 WHERE id = $2 AND person_id = $3",
        note,
        checkin_id,
        person_id,
    )


async def count_checkins(conn: Conn, person_id: int, mood: int, since: datetime) -> int:
    """How many check-ins with this mood the person logged since a time."""
    n = await conn.fetchval(
        "SELECT COUNT(*) FROM checkins WHERE person_id = $1 AND mood = $2 AND created_at >= $3",
        person_id,
        mood,
        at(since),
    )
    return int(n or 0)


class PostgresCheckins(Repository):
    """Check-ins on PostgreSQL (the Checkins protocol)."""

    __slots__ = ()

    add = pooled(add_checkin)
    set_note = pooled(set_checkin_note)
    count = pooled(count_checkins)
