"""The yes at the end, and the willingness to help others, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.store.postgres.engine import Conn, Repository, at, pooled
from bot.store.records_growth import Hire

# Rows map to records as on SQLite (parse_ts takes the datetimes asyncpg returns).
from bot.store.sqlite.hires import _hire


async def add_hire(
    conn: Conn, person_id: int, *, company: str | None, role: str | None, now: datetime
) -> int:
    """Store a yes; return its id."""
    new_id: int = await conn.fetchval(
        "INSERT INTO hires (person_id, company, role, created_at) VALUES ($1, $2, $3, $4)"
        " RETURNING id",
        person_id,
        company,
        role,
        at(now),
    )
    return new_id


async def hire(conn: Conn, hire_id: int, person_id: int) -> Hire | None:
    """The person's yes with this id, or None."""
    row = await conn.fetchrow(
        "SELECT * FROM hires WHERE id = $1 AND person_id = $2", hire_id, person_id
    )
    return _hire(row) if row else None


async def set_helper(conn: Conn, person_id: int, willing: bool, now: datetime) -> None:
    """Record whether the person would help others."""
    # willing stays an INTEGER column, as on SQLite.
    await conn.execute(
        "INSERT INTO helpers (person_id, willing, updated_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (person_id) DO UPDATE SET willing = excluded.willing,"
        " updated_at = excluded.updated_at",
        person_id,
        int(willing),
        at(now),
    )


async def helper(conn: Conn, person_id: int) -> bool | None:
    """Whether the person said they would help others; None when never asked."""
    row = await conn.fetchrow("SELECT willing FROM helpers WHERE person_id = $1", person_id)
    return bool(row["willing"]) if row else None


class PostgresHires(Repository):
    """Hires and helpers on PostgreSQL (the Hires protocol)."""

    __slots__ = ()

    add = pooled(add_hire)
    get = pooled(hire)
    set_helper = pooled(set_helper)
    helper = pooled(helper)
