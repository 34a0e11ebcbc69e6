"""Check-ins on how a person is doing: the SQL and its repository."""

from __future__ import annotations

from datetime import datetime

from bot.store.records import ts
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, hop


def add_checkin(conn: Conn, person_id: int, mood: int, note: str | None, now: datetime) -> int:
    """Store a check-in; return its id."""
    return sql.execute(
        conn,
        "INSERT INTO checkins (person_id, mood, note, created_at) VALUES (?, ?, ?, ?)",
        (person_id, mood, note, ts(now)),
    )


def set_checkin_note(conn: Conn, checkin_id: int, person_id: int, note: str) -> None:
    """Add a note to the person's check-in (someone else's is left alone)."""
    sql.execute(
        conn,
        "UPDATE checkins SET note = ? WHERE id = ? AND person_id = ?",
        (note, checkin_id, person_id),
    )


def count_checkins(conn: Conn, person_id: int, mood: int, since: datetime) -> int:
    """How many check-ins with this mood the person logged since a time."""
    row = sql.one(
        conn,
        "SELECT COUNT(*) AS n FROM checkins WHERE person_id = ? AND mood = ? AND created_at >= ?",
        (person_id, mood, ts(since)),
    )
    return int(row["n"]) if row else 0


class SqliteCheckins(Repository):
    """Check-ins on SQLite (the Checkins protocol)."""

    __slots__ = ()

    add = hop(add_checkin)
    set_note = hop(set_checkin_note)
    count = hop(count_checkins)
