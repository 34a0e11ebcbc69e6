"""Applications a person logged with /applied, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.store.postgres.engine import Conn, Repository, at, pooled
from bot.store.records_growth import Application

# Rows map to records as on SQLite (parse_ts takes the datetimes asyncpg returns).
from bot.store.sqlite.applications import _application


async def add_application(
    conn: Conn,
    person_id: int,
    *,
    company: str | None,
    role: str | None,
    source: str | None,
    now: datetime,
) -> int:
    """Store an application; return its id."""
    new_id: int = await conn.fetchval(
        "INSERT INTO applications (person_id, company, role, source, created_at)"
        " VALUES ($1, $2, $3, $4, $5) RETURNING id",
        person_id,
        company,
        role,
        source,
        at(now),
    )
    return new_id


async def count_since(conn: Conn, person_id: int, since: datetime) -> int:
    """How many applications the person logged from since on."""
    count = await conn.fetchval(
        "SELECT COUNT(*) FROM applications WHERE person_id = $1 AND created_at >= $2",
        person_id,
        at(since),
    )
    return int(count or 0)


async def between(conn: Conn, person_id: int, start: datetime, end: datetime) -> list[Application]:
    """The person's applications from start up to (not including) end, oldest first."""
    found = await conn.fetch(
        "SELECT * FROM applications WHERE person_id = $1 AND created_at >= $2"
        " AND created_at < $3 ORDER BY created_at, id",
        person_id,
        at(start),
        at(end),
    )
    return [_application(r) for r in found]


class PostgresApplications(Repository):
    """Applications on PostgreSQL (the Applications protocol)."""

    __slots__ = ()

    add = pooled(add_application)
    count_since = pooled(count_since)
    between = pooled(between)
