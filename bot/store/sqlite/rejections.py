"""Logged rejections: the SQL and its repository."""

from __future__ import annotations

from datetime import datetime

from bot.store.records import Rejection, parse_ts, ts
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, Row, hop


def _rejection(row: Row) -> Rejection:
    return Rejection(
        id=row["id"],
        person_id=row["person_id"],
        company=row["company"],
        role=row["role"],
        stage=row["stage"],
        feeling=row["feeling"],
        note=row["note"],
        created_at=parse_ts(row["created_at"]),
    )


def add_rejection(
    conn: Conn,
    person_id: int,
    community_id: int | None,
    *,
    company: str | None,
    role: str | None,
    stage: str,
    feeling: int | None,
    note: str | None,
    now: datetime,
) -> int:
    """Store a rejection; return its id."""
    return sql.execute(
        conn,
        "INSERT INTO rejections (person_id, community_id, company, role, stage, feeling,"
        " note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (person_id, community_id, company, role, stage, feeling, note, ts(now)),
    )


def rejection(conn: Conn, rejection_id: int, person_id: int) -> Rejection | None:
    """The person's rejection with this id, or None (also when it is someone else's)."""
    return sql.get(
        conn,
        _rejection,
        "SELECT * FROM rejections WHERE id = ? AND person_id = ?",
        (rejection_id, person_id),
    )


def latest_rejection(conn: Conn, person_id: int) -> Rejection | None:
    """The person's most recent rejection, or None."""
    return sql.get(
        conn,
        _rejection,
        "SELECT * FROM rejections WHERE person_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        (person_id,),
    )


class SqliteRejections(Repository):
    """Rejections on SQLite (the Rejections protocol)."""

    __slots__ = ()

    add = hop(add_rejection)
    get = hop(rejection)
    latest = hop(latest_rejection)
