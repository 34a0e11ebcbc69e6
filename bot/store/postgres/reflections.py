"""Guided reflections, their answers and the next step each ends with, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.store.postgres.engine import Conn, Repository, at, changed, opt_at, pooled
from bot.store.records import Answer, Reflection

# Rows map to records as on SQLite (times come as datetimes here).
from bot.store.sqlite.reflections import _reflection


async def start_reflection(
    conn: Conn,
    person_id: int,
    rejection_id: int | None,
    stage: str,
    prompt_keys: Sequence[str],
    now: datetime,
) -> int:
    """Begin a reflection; any other unfinished one is stopped. Return the new id."""
    await conn.execute(
        "UPDATE reflections SET status = 'stopped', updated_at = $1"
        " WHERE person_id = $2 AND status = 'active'",
        at(now),
        person_id,
    )
    new_id: int = await conn.fetchval(
        "INSERT INTO reflections (person_id, rejection_id, stage, prompt_keys, started_at,"
        " updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        person_id,
        rejection_id,
        stage,
        ",".join(prompt_keys),
        at(now),
    )
    return new_id


async def reflection(conn: Conn, reflection_id: int, person_id: int) -> Reflection | None:
    """The person's reflection with this id, or None."""
    row = await conn.fetchrow(
        "SELECT * FROM reflections WHERE id = $1 AND person_id = $2", reflection_id, person_id
    )
    return _reflection(row) if row else None


async def open_reflection(conn: Conn, person_id: int) -> Reflection | None:
    """The person's most recent unfinished reflection, or None."""
    row = await conn.fetchrow(
        "SELECT * FROM reflections WHERE person_id = $1 AND status != 'finished'"
        " ORDER BY updated_at DESC, id DESC LIMIT 1",
        person_id,
    )
    return _reflection(row) if row else None


async def record_answer(
    conn: Conn, reflection_id: int, position: int, prompt_key: str, text: str | None, now: datetime
) -> None:
    """Save an answer (None for a skip) and move the reflection to the next prompt."""
    await conn.execute(
        "INSERT INTO reflection_answers (reflection_id, position, prompt_key, answer,"
        " answered_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (reflection_id, position)"
        " DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at",
        reflection_id,
        position,
        prompt_key,
        text,
        at(now),
    )
    await conn.execute(
        "UPDATE reflections SET position = $1, status = 'active', updated_at = $2 WHERE id = $3",
        position + 1,
        at(now),
        reflection_id,
    )


async def set_reflection_status(conn: Conn, reflection_id: int, status: str, now: datetime) -> None:
    """Mark a reflection active, stopped or finished."""
    await conn.execute(
        "UPDATE reflections SET status = $1, updated_at = $2,"
        " finished_at = CASE WHEN $1 = 'finished' THEN $2 ELSE finished_at END WHERE id = $3",
        status,
        at(now),
        reflection_id,
    )


async def answers(conn: Conn, reflection_id: int) -> list[Answer]:
    """The answers of a reflection, in order."""
    found = await conn.fetch(
        "SELECT position, prompt_key, answer FROM reflection_answers"
        " WHERE reflection_id = $1 ORDER BY position",
        reflection_id,
    )
    return [Answer(r["position"], r["prompt_key"], r["answer"]) for r in found]


async def set_next_step(
    conn: Conn, reflection_id: int, text: str | None, due: datetime | None, now: datetime
) -> None:
    """Set the next step a reflection ended with, and when it is due."""
    await conn.execute(
        "UPDATE reflections SET next_step = COALESCE($1, next_step), next_step_due = $2,"
        " updated_at = $3 WHERE id = $4",
        text,
        opt_at(due),
        at(now),
        reflection_id,
    )


async def mark_next_step_done(conn: Conn, reflection_id: int, now: datetime) -> bool:
    """Mark the next step done; False when it already was."""
    n = await changed(
        conn,
        "UPDATE reflections SET next_step_done_at = $1, updated_at = $1"
        " WHERE id = $2 AND next_step IS NOT NULL AND next_step_done_at IS NULL",
        at(now),
        reflection_id,
    )
    return n > 0


async def recent_reflections(conn: Conn, person_id: int, limit: int) -> list[Reflection]:
    """The person's most recent reflections that hold at least one answer."""
    found = await conn.fetch(
        "SELECT r.* FROM reflections r WHERE r.person_id = $1 AND EXISTS ("
        " SELECT 1 FROM reflection_answers a WHERE a.reflection_id = r.id"
        " AND a.answer IS NOT NULL)"
        " ORDER BY r.started_at DESC, r.id DESC LIMIT $2",
        person_id,
        limit,
    )
    return [_reflection(r) for r in found]


async def reflection_started_for(conn: Conn, rejection_id: int) -> bool:
    """True when a reflection about this rejection was ever started."""
    found = await conn.fetchval(
        "SELECT 1 FROM reflections WHERE rejection_id = $1 LIMIT 1", rejection_id
    )
    return found is not None


class PostgresReflections(Repository):
    """Reflections on PostgreSQL (the Reflections protocol)."""

    __slots__ = ()

    start = pooled(start_reflection)
    get = pooled(reflection)
    current = pooled(open_reflection)
    record_answer = pooled(record_answer)
    set_status = pooled(set_reflection_status)
    answers = pooled(answers)
    set_next_step = pooled(set_next_step)
    mark_next_step_done = pooled(mark_next_step_done)
    recent = pooled(recent_reflections)
    started_for = pooled(reflection_started_for)
