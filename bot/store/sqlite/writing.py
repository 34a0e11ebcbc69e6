"""The five-day writing program and its daily entries: the SQL and its repository."""

from __future__ import annotations

from datetime import datetime

from bot.store.interface_writing import WritingEntry, WritingProgram
from bot.store.records import opt_ts, parse_ts, ts
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, Row, hop

# Parts of one day's entry are kept as one text, a blank line between messages.
PART_BREAK = "\n\n"


def _program(row: Row) -> WritingProgram:
    return WritingProgram(
        id=row["id"],
        person_id=row["person_id"],
        hour=row["hour"],
        status=row["status"],
        day=row["day"],
        asked=bool(row["asked"]),
        paused_for=row["paused_for"],
        next_step=row["next_step"],
        started_at=parse_ts(row["started_at"]),
    )


def _entry(row: Row) -> WritingEntry:
    return WritingEntry(
        program_id=row["program_id"],
        day=row["day"],
        text=row["text"],
        parts=row["parts"],
        words=row["words"],
        opened_at=parse_ts(row["opened_at"]),
        closed_at=opt_ts(row["closed_at"]),
    )


def start_program(conn: Conn, person_id: int, hour: int, now: datetime) -> int:
    """Start a program at a daily hour (day 1, active); return its id."""
    return sql.execute(
        conn,
        "INSERT INTO writing_programs (person_id, hour, started_at, updated_at)"
        " VALUES (?, ?, ?, ?)",
        (person_id, hour, ts(now), ts(now)),
    )


def current_program(conn: Conn, person_id: int) -> WritingProgram | None:
    """The person's active or paused program, newest first, or None."""
    return sql.get(
        conn,
        _program,
        "SELECT * FROM writing_programs WHERE person_id = ? AND status IN ('active', 'paused')"
        " ORDER BY id DESC LIMIT 1",
        (person_id,),
    )


def get_program(conn: Conn, program_id: int, person_id: int) -> WritingProgram | None:
    """The person's program with this id, or None."""
    return sql.get(
        conn,
        _program,
        "SELECT * FROM writing_programs WHERE id = ? AND person_id = ?",
        (program_id, person_id),
    )


def set_status(
    conn: Conn, program_id: int, status: str, paused_for: str | None, now: datetime
) -> None:
    """Set a program's status, and why it paused."""
    sql.execute(
        conn,
        "UPDATE writing_programs SET status = ?, paused_for = ?, updated_at = ? WHERE id = ?",
        (status, paused_for, ts(now), program_id),
    )


def advance(conn: Conn, program_id: int, day: int, now: datetime) -> None:
    """Move a program to a day, clearing the missed-day question."""
    sql.execute(
        conn,
        "UPDATE writing_programs SET day = ?, asked = 0, updated_at = ? WHERE id = ?",
        (day, ts(now), program_id),
    )


def set_hour(conn: Conn, program_id: int, hour: int, now: datetime) -> None:
    """Change the hour each day opens at."""
    sql.execute(
        conn,
        "UPDATE writing_programs SET hour = ?, updated_at = ? WHERE id = ?",
        (hour, ts(now), program_id),
    )


def set_asked(conn: Conn, program_id: int, now: datetime) -> None:
    """Remember that a missed day (or a pause) was asked about."""
    sql.execute(
        conn,
        "UPDATE writing_programs SET asked = 1, updated_at = ? WHERE id = ?",
        (ts(now), program_id),
    )


def set_next_step(conn: Conn, program_id: int, step: str, now: datetime) -> None:
    """Keep the sentence the person chose to turn into a next step."""
    sql.execute(
        conn,
        "UPDATE writing_programs SET next_step = ?, updated_at = ? WHERE id = ?",
        (step, ts(now), program_id),
    )


def open_entry(conn: Conn, program_id: int, person_id: int, day: int, now: datetime) -> None:
    """Open a day's entry; an entry already there keeps what it holds."""
    sql.execute(
        conn,
        "INSERT INTO writing_entries (program_id, person_id, day, opened_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (program_id, day) DO NOTHING",
        (program_id, person_id, day, ts(now)),
    )


def add_part(conn: Conn, program_id: int, day: int, text: str, now: datetime) -> None:
    """Add a message to an open day's entry, after what it holds."""
    sql.execute(
        conn,
        "UPDATE writing_entries SET text = CASE WHEN parts = 0 THEN ? ELSE text || ? || ? END,"
        " parts = parts + 1, updated_at = ?"
        " WHERE program_id = ? AND day = ? AND closed_at IS NULL",
        (text, PART_BREAK, text, ts(now), program_id, day),
    )


def close_entry(conn: Conn, program_id: int, day: int, words: int, now: datetime) -> None:
    """Close a day's entry with its word count."""
    sql.execute(
        conn,
        "UPDATE writing_entries SET words = ?, closed_at = ?, updated_at = ?"
        " WHERE program_id = ? AND day = ? AND closed_at IS NULL",
        (words, ts(now), ts(now), program_id, day),
    )


def discard_entry(conn: Conn, program_id: int, day: int) -> None:
    """Remove an open day's entry that holds nothing."""
    sql.execute(
        conn,
        "DELETE FROM writing_entries WHERE program_id = ? AND day = ? AND parts = 0"
        " AND closed_at IS NULL",
        (program_id, day),
    )


def entries(conn: Conn, program_id: int) -> list[WritingEntry]:
    """A program's entries, by day."""
    found = sql.rows(
        conn, "SELECT * FROM writing_entries WHERE program_id = ? ORDER BY day", (program_id,)
    )
    return [_entry(r) for r in found]


class SqliteWriting(Repository):
    """Writing programs on SQLite (the Writing protocol)."""

    __slots__ = ()

    start = hop(start_program)
    current = hop(current_program)
    get = hop(get_program)
    set_status = hop(set_status)
    advance = hop(advance)
    set_hour = hop(set_hour)
    set_asked = hop(set_asked)
    set_next_step = hop(set_next_step)
    open_entry = hop(open_entry)
    add_part = hop(add_part)
    close_entry = hop(close_entry)
    discard_entry = hop(discard_entry)
    entries = hop(entries)
