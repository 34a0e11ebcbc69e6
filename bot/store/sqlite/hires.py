"""The yes at the end, and the willingness to help others: the SQL and its repository."""

from __future__ import annotations

from datetime import datetime

from bot.store.records import parse_ts, ts
from bot.store.records_growth import Hire
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, Row, hop


def _hire(row: Row) -> Hire:
    return Hire(
        id=row["id"],
        person_id=row["person_id"],
        company=row["company"],
        role=row["role"],
        created_at=parse_ts(row["created_at"]),
    )


def add_hire(
    conn: Conn, person_id: int, *, company: str | None, role: str | None, now: datetime
) -> int:
    """Store a yes; return its id."""
    return sql.execute(
        conn,
        "INSERT INTO hires (person_id, company, role, created_at) VALUES (?, ?, ?, ?)",
        (person_id, company, role, ts(now)),
    )


def hire(conn: Conn, hire_id: int, person_id: int) -> Hire | None:
    """The person's yes with this id, or None."""
    return sql.get(
        conn, _hire, "SELECT * FROM hires WHERE id = ? AND person_id = ?", (hire_id, person_id)
    )


def set_helper(conn: Conn, person_id: int, willing: bool, now: datetime) -> None:
    """Record whether the person would help others."""
    sql.execute(
        conn,
        "INSERT INTO helpers (person_id, willing, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (person_id) DO UPDATE SET willing = excluded.willing,"
        " updated_at = excluded.updated_at",
        (person_id, int(willing), ts(now)),
    )


def helper(conn: Conn, person_id: int) -> bool | None:
    """Whether the person said they would help others; None when never asked."""
    row = sql.one(conn, "SELECT willing FROM helpers WHERE person_id = ?", (person_id,))
    return bool(row[0]) if row else None


class SqliteHires(Repository):
    """Hires and helpers on SQLite (the Hires protocol)."""

    __slots__ = ()

    add = hop(add_hire)
    get = hop(hire)
    set_helper = hop(set_helper)
    helper = hop(helper)
