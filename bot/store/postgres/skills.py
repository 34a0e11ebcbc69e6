"""Skill gaps, the rejections that surfaced them, and their steps, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.store.postgres.engine import Conn, Repository, at, changed, opt_at, pooled
from bot.store.records_growth import NamedGap, SkillGap, SkillGapView, SkillStep

# Rows map to records as on SQLite: parse_ts passes PostgreSQL's datetimes through as they are.
from bot.store.sqlite.rejections import _rejection
from bot.store.sqlite.skills import _gap, _step


async def gap(conn: Conn, gap_id: int, person_id: int) -> SkillGap | None:
    """The person's gap with this id, or None."""
    row = await conn.fetchrow(
        "SELECT * FROM skill_gaps WHERE id = $1 AND person_id = $2", gap_id, person_id
    )
    return _gap(row) if row else None


async def _linked(conn: Conn, gap_id: int) -> int:
    count = await conn.fetchval(
        "SELECT COUNT(*) FROM skill_gap_rejections WHERE gap_id = $1", gap_id
    )
    return int(count or 0)


async def name_gap(
    conn: Conn, person_id: int, name: str, key: str, rejection_id: int | None, now: datetime
) -> NamedGap:
    """The person's gap with this key (created if new), linked to their rejection_id."""
    # A savepoint inside a unit, a transaction of its own outside one.
    async with conn.transaction():
        row = await conn.fetchrow(
            "SELECT * FROM skill_gaps WHERE person_id = $1 AND match_key = $2", person_id, key
        )
        created = row is None
        if row is None:
            gap_id: int = await conn.fetchval(
                "INSERT INTO skill_gaps (person_id, name, match_key, created_at)"
                " VALUES ($1, $2, $3, $4) RETURNING id",
                person_id,
                name,
                key,
                at(now),
            )
        else:
            gap_id = row["id"]
        newly = False
        if rejection_id is not None:
            # Only the person's own rejection is linked: the SELECT finds no one else's.
            newly = (
                await changed(
                    conn,
                    "INSERT INTO skill_gap_rejections (gap_id, rejection_id, person_id, linked_at)"
                    " SELECT $1, id, person_id, $2 FROM rejections WHERE id = $3 AND person_id = $4"
                    " ON CONFLICT DO NOTHING",
                    gap_id,
                    at(now),
                    rejection_id,
                    person_id,
                )
                > 0
            )
        saved = await gap(conn, gap_id, person_id)
        assert saved is not None
        return NamedGap(saved, created, await _linked(conn, gap_id), newly)


async def all_gaps(conn: Conn, person_id: int) -> list[SkillGapView]:
    """The person's gaps, working ones first, newest first, with rejections and steps."""
    gaps = [
        _gap(r)
        for r in await conn.fetch(
            "SELECT * FROM skill_gaps WHERE person_id = $1"
            " ORDER BY status = 'confident', created_at DESC, id DESC",
            person_id,
        )
    ]
    views = []
    for found in gaps:
        rejections = await conn.fetch(
            "SELECT r.* FROM rejections r JOIN skill_gap_rejections l ON l.rejection_id = r.id"
            " WHERE l.gap_id = $1 ORDER BY r.created_at, r.id",
            found.id,
        )
        steps = await conn.fetch(
            "SELECT * FROM skill_steps WHERE gap_id = $1 ORDER BY id", found.id
        )
        views.append(
            SkillGapView(
                found, tuple(_rejection(r) for r in rejections), tuple(_step(s) for s in steps)
            )
        )
    return views


async def set_status(conn: Conn, gap_id: int, person_id: int, status: str, now: datetime) -> bool:
    """Mark the gap working or confident; False when it already was."""
    n = await changed(
        conn,
        "UPDATE skill_gaps SET status = $1, confident_at = $2"
        " WHERE id = $3 AND person_id = $4 AND status != $1",
        status,
        at(now) if status == "confident" else None,
        gap_id,
        person_id,
    )
    return n > 0


async def add_step(
    conn: Conn, gap_id: int, person_id: int, text: str, due: datetime | None, now: datetime
) -> int:
    """Add a step to the person's gap; return its id."""
    new_id: int | None = await conn.fetchval(
        "INSERT INTO skill_steps (gap_id, person_id, text, due_at, created_at)"
        " SELECT id, person_id, $1, $2, $3 FROM skill_gaps WHERE id = $4 AND person_id = $5"
        " RETURNING id",
        text,
        opt_at(due),
        at(now),
        gap_id,
        person_id,
    )
    # No row when the gap is not theirs: 0, as SQLite's lastrowid gives.
    return new_id or 0


async def step(conn: Conn, step_id: int, person_id: int) -> SkillStep | None:
    """The person's step with this id, or None."""
    row = await conn.fetchrow(
        "SELECT * FROM skill_steps WHERE id = $1 AND person_id = $2", step_id, person_id
    )
    return _step(row) if row else None


async def step_done(conn: Conn, step_id: int, person_id: int, now: datetime) -> bool:
    """Mark the step done; False when it already was."""
    n = await changed(
        conn,
        "UPDATE skill_steps SET done_at = $1 WHERE id = $2 AND person_id = $3 AND done_at IS NULL",
        at(now),
        step_id,
        person_id,
    )
    return n > 0


class PostgresSkillGaps(Repository):
    """Skill gaps on PostgreSQL (the SkillGaps protocol)."""

    __slots__ = ()

    name = pooled(name_gap)
    all = pooled(all_gaps)
    get = pooled(gap)
    set_status = pooled(set_status)
    add_step = pooled(add_step)
    step = pooled(step)
    step_done = pooled(step_done)
