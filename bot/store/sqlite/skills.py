"""Skill gaps, the rejections that surfaced them, and their steps: the SQL and its repository."""

from __future__ import annotations

from datetime import datetime

from bot.store.records import parse_ts, ts
from bot.store.records_growth import NamedGap, SkillGap, SkillGapView, SkillStep
from bot.store.sqlite import sql
from bot.store.sqlite.rejections import _rejection
from bot.store.sqlite.sql import Conn, Repository, Row, hop


def _maybe_ts(text: str | None) -> datetime | None:
    return parse_ts(text) if text else None


def _gap(row: Row) -> SkillGap:
    return SkillGap(
        id=row["id"],
        person_id=row["person_id"],
        name=row["name"],
        status=row["status"],
        created_at=parse_ts(row["created_at"]),
        confident_at=_maybe_ts(row["confident_at"]),
    )


def _step(row: Row) -> SkillStep:
    return SkillStep(
        id=row["id"],
        gap_id=row["gap_id"],
        text=row["text"],
        due_at=_maybe_ts(row["due_at"]),
        done_at=_maybe_ts(row["done_at"]),
    )


def gap(conn: Conn, gap_id: int, person_id: int) -> SkillGap | None:
    """The person's gap with this id, or None."""
    return sql.get(
        conn, _gap, "SELECT * FROM skill_gaps WHERE id = ? AND person_id = ?", (gap_id, person_id)
    )


def _linked(conn: Conn, gap_id: int) -> int:
    row = sql.one(conn, "SELECT COUNT(*) FROM skill_gap_rejections WHERE gap_id = ?", (gap_id,))
    return int(row[0]) if row else 0


def name_gap(
    conn: Conn, person_id: int, name: str, key: str, rejection_id: int | None, now: datetime
) -> NamedGap:
    """The person's gap with this key (created if new), linked to their rejection_id."""
    with sql.atomic(conn):
        found = sql.get(
            conn,
            _gap,
            "SELECT * FROM skill_gaps WHERE person_id = ? AND match_key = ?",
            (person_id, key),
        )
        created = found is None
        if found is None:
            gap_id = sql.execute(
                conn,
                "INSERT INTO skill_gaps (person_id, name, match_key, created_at)"
                " VALUES (?, ?, ?, ?)",
                (person_id, name, key, ts(now)),
            )
        else:
            gap_id = found.id
        newly = False
        if rejection_id is not None:
            # Only the person's own rejection is linked: the SELECT finds no one else's.
            newly = (
                sql.rowcount(
                    conn,
                    "INSERT OR IGNORE INTO skill_gap_rejections"
                    " (gap_id, rejection_id, person_id, linked_at)"
                    " SELECT ?, id, person_id, ? FROM rejections WHERE id = ? AND person_id = ?",
                    (gap_id, ts(now), rejection_id, person_id),
                )
                > 0
            )
        saved = gap(conn, gap_id, person_id)
        assert saved is not None
        return NamedGap(saved, created, _linked(conn, gap_id), newly)


def all_gaps(conn: Conn, person_id: int) -> list[SkillGapView]:
    """The person's gaps, working ones first, newest first, with rejections and steps."""
    gaps = [
        _gap(r)
        for r in sql.rows(
            conn,
            "SELECT * FROM skill_gaps WHERE person_id = ?"
            " ORDER BY status = 'confident', created_at DESC, id DESC",
            (person_id,),
        )
    ]
    views = []
    for found in gaps:
        rejections = sql.rows(
            conn,
            "SELECT r.* FROM rejections r JOIN skill_gap_rejections l ON l.rejection_id = r.id"
            " WHERE l.gap_id = ? ORDER BY r.created_at, r.id",
            (found.id,),
        )
        steps = sql.rows(
            conn, "SELECT * FROM skill_steps WHERE gap_id = ? ORDER BY id", (found.id,)
        )
        views.append(
            SkillGapView(
                found, tuple(_rejection(r) for r in rejections), tuple(_step(s) for s in steps)
            )
        )
    return views


def set_status(conn: Conn, gap_id: int, person_id: int, status: str, now: datetime) -> bool:
    """Mark the gap working or confident; False when it already was."""
    return (
        sql.rowcount(
            conn,
            "UPDATE skill_gaps SET status = ?, confident_at = ?"
            " WHERE id = ? AND person_id = ? AND status != ?",
            (status, ts(now) if status == "confident" else None, gap_id, person_id, status),
        )
        > 0
    )


def add_step(
    conn: Conn, gap_id: int, person_id: int, text: str, due: datetime | None, now: datetime
) -> int:
    """Add a step to the person's gap; return its id."""
    return sql.execute(
        conn,
        "INSERT INTO skill_steps (gap_id, person_id, text, due_at, created_at)"
        " SELECT id, person_id, ?, ?, ? FROM skill_gaps WHERE id = ? AND person_id = ?",
        (text, ts(due) if due else None, ts(now), gap_id, person_id),
    )


def step(conn: Conn, step_id: int, person_id: int) -> SkillStep | None:
    """The person's step with this id, or None."""
    return sql.get(
        conn,
        _step,
        "SELECT * FROM skill_steps WHERE id = ? AND person_id = ?",
        (step_id, person_id),
    )


def step_done(conn: Conn, step_id: int, person_id: int, now: datetime) -> bool:
    """Mark the step done; False when it already was."""
    return (
        sql.rowcount(
            conn,
            "UPDATE skill_steps SET done_at = ? WHERE id = ? AND person_id = ? AND done_at IS NULL",
            (ts(now), step_id, person_id),
        )
        > 0
    )


class SqliteSkillGaps(Repository):
    """Skill gaps on SQLite (the SkillGaps protocol)."""

    __slots__ = ()

    name = hop(name_gap)
    all = hop(all_gaps)
    get = hop(gap)
    set_status = hop(set_status)
    add_step = hop(add_step)
    step = hop(step)
    step_done = hop(step_done)
