"""Applications a person logged with /applied: the SQL and its repository."""

from __future__ import annotations

from datetime import datetime

from bot.store.records import parse_ts, ts
from bot.store.records_growth import Application
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, Row, hop


def _application(row: Row) -> Application:
    return Application(
        id=row["id"],
        person_id=row["person_id"],
        company=row["company"],
        role=row["role"],
        source=row["source"],
        created_at=parse_ts(row["created_at"]),
    )


def add_application(
    conn: Conn,
    person_id: int,
    *,
    company: str | None,
    role: str | None,
    source: str | None,
    now: datetime,
) -> int:
    """Store an application; return its id."""
    return sql.execute(
        conn,
        "INSERT INTO applications (person_id, company, role, source, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (person_id, company, role, source, ts(now)),
    )


def count_since(conn: Conn, person_id: int, since: datetime) -> int:
    """How many applications the person logged from since on."""
    row = sql.one(
        conn,
        "SELECT COUNT(*) FROM applications WHERE person_id = ? AND created_at >= ?",
        (person_id, ts(since)),
    )
    return int(row[0]) if row else 0


def between(conn: Conn, person_id: int, start: datetime, end: datetime) -> list[Application]:
    """The person's applications from start up to (not including) end, oldest first."""
    found = sql.rows(
        conn,
        "SELECT * FROM applications WHERE person_id = ? AND created_at >= ? AND created_at < ?"
        " ORDER BY created_at, id",
        (person_id, ts(start), ts(end)),
    )
    return [_application(r) for r in found]


class SqliteApplications(Repository):
    """Applications on SQLite (the Applications protocol)."""

    __slots__ = ()

    add = hop(add_application)
    count_since = hop(count_since)
    between = hop(between)
