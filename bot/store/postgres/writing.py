"""The five-day writing program and its daily entries, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.store.interface_writing import WritingEntry, WritingProgram
from bot.store.postgres.engine import Conn, Repository, at, pooled

# Rows map to records as on SQLite (times come as datetimes here).
from bot.store.sqlite.writing import PART_BREAK, _entry, _program


async def start_program(conn: Conn, person_id: int, hour: int, now: datetime) -> int:
    """Start a program at a daily hour (day 1, active); return its id."""
    new_id: int = await conn.fetchval(
        "INSERT INTO writing_programs (person_id, hour, started_at, updated_at)"
        " VALUES ($1, $2, $3, $3) RETURNING id",
        person_id,
        hour,
        at(now),
    )
    return new_id


async def current_program(conn: Conn, person_id: int) -> WritingProgram | None:
    """The person's active or paused program, newest first, or None."""
    row = await conn.fetchrow(
        "SELECT * FROM writing_programs WHERE person_id = $1 AND status IN ('active', 'paused')"
        " ORDER BY id DESC LIMIT 1",
        person_id,
    )
    return _program(row) if row else None


async def get_program(conn: Conn, program_id: int, person_id: int) -> WritingProgram | None:
    """The person's program with this id, or None."""
    row = await conn.fetchrow(
        "SELECT * FROM writing_programs WHERE id = $1 AND person_id = $2", program_id, person_id
    )
    return _program(row) if row else None


async def _update(
    conn: Conn, program_id: int, now: datetime, changes: str, *values: object
) -> None:
    # changes is one of the fixed SET lists below, never input; values fill $3 onwards.
    await conn.execute(
        f"UPDATE writing_programs SET {changes}, updated_at = $2 WHERE id = $1",
        program_id,
        at(now),
        *values,
    )


async def set_status(
    conn: Conn, program_id: int, status: str, paused_for: str | None, now: datetime
) -> None:
    """Set a program's status, and why it paused."""
    await _update(conn, program_id, now, "status = $3, paused_for = $4", status, paused_for)


async def advance(conn: Conn, program_id: int, day: int, now: datetime) -> None:
    """Move a program to a day, clearing the missed-day question."""
    await _update(conn, program_id, now, "day = $3, asked = 0", day)


async def set_hour(conn: Conn, program_id: int, hour: int, now: datetime) -> None:
    """Change the hour each day opens at."""
    await _update(conn, program_id, now, "hour = $3", hour)


async def set_asked(conn: Conn, program_id: int, now: datetime) -> None:
    """Remember that a missed day (or a pause) was asked about."""
    await _update(conn, program_id, now, "asked = 1")


async def set_next_step(conn: Conn, program_id: int, step: str, now: datetime) -> None:
    """Keep the sentence the person chose to turn into a next step."""
    await _update(conn, program_id, now, "next_step = $3", step)


async def open_entry(conn: Conn, program_id: int, person_id: int, day: int, now: datetime) -> None:
    """Open a day's entry; an entry already there keeps what it holds."""
    await conn.execute(
        "INSERT INTO writing_entries (program_id, person_id, day, opened_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (program_id, day) DO NOTHING",
        program_id,
        person_id,
        day,
        at(now),
    )


async def add_part(conn: Conn, program_id: int, day: int, text: str, now: datetime) -> None:
    """Add a message to an open day's entry, after what it holds."""
    await conn.execute(
        "UPDATE writing_entries SET text = CASE WHEN parts = 0 THEN $1 ELSE text || $2 || $1 END,"
        " parts = parts + 1, updated_at = $3"
        " WHERE program_id = $4 AND day = $5 AND closed_at IS NULL",
        text,
        PART_BREAK,
        at(now),
        program_id,
        day,
    )


async def close_entry(conn: Conn, program_id: int, day: int, words: int, now: datetime) -> None:
    """Close a day's entry with its word count."""
    await conn.execute(
        "UPDATE writing_entries SET words = $1, closed_at = $2, updated_at = $2"
        " WHERE program_id = $3 AND day = $4 AND closed_at IS NULL",
        words,
        at(now),
        program_id,
        day,
    )


async def discard_entry(conn: Conn, program_id: int, day: int) -> None:
    """Remove an open day's entry that holds nothing."""
    await conn.execute(
        "DELETE FROM writing_entries WHERE program_id = $1 AND day = $2 AND parts = 0"
        " AND closed_at IS NULL",
        program_id,
        day,
    )


async def entries(conn: Conn, program_id: int) -> list[WritingEntry]:
    """A program's entries, by day."""
    found = await conn.fetch(
        "SELECT * FROM writing_entries WHERE program_id = $1 ORDER BY day", program_id
    )
    return [_entry(r) for r in found]


class PostgresWriting(Repository):
    """Writing programs on PostgreSQL (the Writing protocol)."""

    __slots__ = ()

    start = pooled(start_program)
    current = pooled(current_program)
    get = pooled(get_program)
    set_status = pooled(set_status)
    advance = pooled(advance)
    set_hour = pooled(set_hour)
    set_asked = pooled(set_asked)
    set_next_step = pooled(set_next_step)
    open_entry = pooled(open_entry)
    add_part = pooled(add_part)
    close_entry = pooled(close_entry)
    discard_entry = pooled(discard_entry)
    entries = pooled(entries)
