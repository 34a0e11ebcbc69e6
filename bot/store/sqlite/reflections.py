"""Guided reflections, their answers and the next step each ends with: the SQL and repository."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.store.records import Answer, Reflection, opt_ts, parse_ts, ts
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, Row, hop


def _reflection(row: Row) -> Reflection:
    return Reflection(
        id=row["id"],
        person_id=row["person_id"],
        rejection_id=row["rejection_id"],
        stage=row["stage"],
        prompt_keys=tuple(k for k in row["prompt_keys"].split(",") if k),
        position=row["position"],
        status=row["status"],
        next_step=row["next_step"],
        next_step_due=opt_ts(row["next_step_due"]),
        next_step_done_at=opt_ts(row["next_step_done_at"]),
        started_at=parse_ts(row["started_at"]),
        finished_at=opt_ts(row["finished_at"]),
    )


def start_reflection(
    conn: Conn,
    person_id: int,
    rejection_id: int | None,
    stage: str,
    prompt_keys: Sequence[str],
    now: datetime,
) -> int:
    """Begin a reflection; any other unfinished one is stopped. Return the new id."""
    sql.execute(
        conn,
        "UPDATE reflections SET status = 'stopped', updated_at = ?"
        " WHERE person_id = ? AND status = 'active'",
        (ts(now), person_id),
    )
    return sql.execute(
        conn,
        "INSERT INTO reflections (person_id, rejection_id, stage, prompt_keys, started_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        (person_id, rejection_id, stage, ",".join(prompt_keys), ts(now), ts(now)),
    )


def reflection(conn: Conn, reflection_id: int, person_id: int) -> Reflection | None:
    """The person's reflection with this id, or None."""
    return sql.get(
        conn,
        _reflection,
        "SELECT * FROM reflections WHERE id = ? AND person_id = ?",
        (reflection_id, person_id),
    )


def open_reflection(conn: Conn, person_id: int) -> Reflection | None:
    """The person's most recent unfinished reflection, or None."""
    return sql.get(
        conn,
        _reflection,
        "SELECT * FROM reflections WHERE person_id = ? AND status != 'finished'"
        " ORDER BY updated_at DESC, id DESC LIMIT 1",
        (person_id,),
    )


def record_answer(
    conn: Conn, reflection_id: int, position: int, prompt_key: str, text: str | None, now: datetime
) -> None:
    """Save an answer (None for a skip) and move the reflection to the next prompt."""
    sql.execute(
        conn,
        "INSERT INTO reflection_answers (reflection_id, position, prompt_key, answer,"
        " answered_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (reflection_id, position)"
        " DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at",
        (reflection_id, position, prompt_key, text, ts(now)),
    )
    sql.execute(
        conn,
        "UPDATE reflections SET position = ?, status = 'active', updated_at = ? WHERE id = ?",
        (position + 1, ts(now), reflection_id),
    )


def set_reflection_status(conn: Conn, reflection_id: int, status: str, now: datetime) -> None:
    """Mark a reflection active, stopped or finished."""
    sql.execute(
        conn,
        "UPDATE reflections SET status = ?, updated_at = ?,"
        " finished_at = CASE WHEN ? = 'finished' THEN ? ELSE finished_at END WHERE id = ?",
        (status, ts(now), status, ts(now), reflection_id),
    )


def answers(conn: Conn, reflection_id: int) -> list[Answer]:
    """The answers of a reflection, in order."""
    found = sql.rows(
        conn,
        "SELECT position, prompt_key, answer FROM reflection_answers"
        " WHERE reflection_id = ? ORDER BY position",
        (reflection_id,),
    )
    return [Answer(r["position"], r["prompt_key"], r["answer"]) for r in found]


def set_next_step(
    conn: Conn, reflection_id: int, text: str | None, due: datetime | None, now: datetime
) -> None:
    """Set the next step a reflection ended with, and when it is due."""
    sql.execute(
        conn,
        "UPDATE reflections SET next_step = COALESCE(?, next_step), next_step_due = ?,"
        " updated_at = ? WHERE id = ?",
        (text, ts(due) if due else None, ts(now), reflection_id),
    )


def mark_next_step_done(conn: Conn, reflection_id: int, now: datetime) -> bool:
    """Mark the next step done; False when it already was."""
    changed = sql.rowcount(
        conn,
        "UPDATE reflections SET next_step_done_at = ?, updated_at = ?"
        " WHERE id = ? AND next_step IS NOT NULL AND next_step_done_at IS NULL",
        (ts(now), ts(now), reflection_id),
    )
    return changed > 0


def recent_reflections(conn: Conn, person_id: int, limit: int) -> list[Reflection]:
    """The person's most recent reflections that hold at least one answer."""
    found = sql.rows(
        conn,
        "SELECT r.* FROM reflections r WHERE r.person_id = ? AND EXISTS ("
        " SELECT 1 FROM reflection_answers a WHERE a.reflection_id = r.id"
        " AND a.answer IS NOT NULL)"
        " ORDER BY r.started_at DESC, r.id DESC LIMIT ?",
        (person_id, limit),
    )
    return [_reflection(r) for r in found]


def reflection_started_for(conn: Conn, rejection_id: int) -> bool:
    """True when a reflection about this rejection was ever started."""
    row = sql.one(conn, "SELECT 1 FROM reflections WHERE rejection_id = ? LIMIT 1", (rejection_id,))
    return row is not None


class SqliteReflections(Repository):
    """Reflections on SQLite (the Reflections protocol)."""

    __slots__ = ()

    start = hop(start_reflection)
    get = hop(reflection)
    current = hop(open_reflection)
    record_answer = hop(record_answer)
    set_status = hop(set_reflection_status)
    answers = hop(answers)
    set_next_step = hop(set_next_step)
    mark_next_step_done = hop(mark_next_step_done)
    recent = hop(recent_reflections)
    started_for = hop(reflection_started_for)
