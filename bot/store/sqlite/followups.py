"""Follow-ups a person means to send (and their snoozes): the SQL and its repository."""

from __future__ import annotations

from datetime import datetime

from bot.store.records import Followup, FollowupPlan, opt_ts, parse_ts, ts
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, Row, hop


def _followup(row: Row) -> Followup:
    return Followup(
        id=row["id"],
        person_id=row["person_id"],
        rejection_id=row["rejection_id"],
        contact=row["contact"],
        company=row["company"],
        role=row["role"],
        channel=row["channel"],
        kind=row["kind"],
        draft_key=row["draft_key"],
        status=row["status"],
        due_at=parse_ts(row["due_at"]),
        sent_at=opt_ts(row["sent_at"]),
    )


def add_followup(
    conn: Conn, person_id: int, plan: FollowupPlan, *, draft_key: str, due: datetime, now: datetime
) -> int:
    """Store a follow-up the person means to send; return its id."""
    return sql.execute(
        conn,
        "INSERT INTO followups (person_id, rejection_id, contact, company, role, channel,"
        " kind, draft_key, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            person_id,
            plan.rejection_id,
            plan.contact,
            plan.company,
            plan.role,
            plan.channel,
            plan.kind,
            draft_key,
            ts(due),
            ts(now),
        ),
    )


def followup(conn: Conn, followup_id: int, person_id: int) -> Followup | None:
    """The person's follow-up with this id, or None."""
    return sql.get(
        conn,
        _followup,
        "SELECT * FROM followups WHERE id = ? AND person_id = ?",
        (followup_id, person_id),
    )


def pending_followups(conn: Conn, person_id: int, limit: int) -> list[Followup]:
    """The person's follow-ups still to send, soonest first."""
    found = sql.rows(
        conn,
        "SELECT * FROM followups WHERE person_id = ? AND status = 'pending'"
        " ORDER BY due_at, id LIMIT ?",
        (person_id, limit),
    )
    return [_followup(r) for r in found]


def set_followup(
    conn: Conn,
    followup_id: int,
    *,
    status: str | None = None,
    due: datetime | None = None,
    now: datetime,
) -> bool:
    """Change a pending follow-up's status or due time (a snooze); False when not pending."""
    changed = sql.rowcount(
        conn,
        "UPDATE followups SET status = COALESCE(?, status), due_at = COALESCE(?, due_at),"
        " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
        " WHERE id = ? AND status = 'pending'",
        (status, ts(due) if due else None, status, ts(now), followup_id),
    )
    return changed > 0


class SqliteFollowups(Repository):
    """Follow-ups on SQLite (the Followups protocol)."""

    __slots__ = ()

    add = hop(add_followup)
    get = hop(followup)
    pending = hop(pending_followups)
    update = hop(set_followup)
