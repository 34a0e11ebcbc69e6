"""Follow-ups a person means to send (and their snoozes), on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.store.postgres.engine import Conn, Repository, at, changed, opt_at, pooled
from bot.store.records import Followup, FollowupPlan

# Rows map to records as on SQLite (times come as datetimes here).
from bot.store.sqlite.followups import _followup


async def add_followup(
    conn: Conn, person_id: int, plan: FollowupPlan, *, draft_key: str, due: datetime, now: datetime
) -> int:
    """Store a follow-up the person means to send; return its id."""
    new_id: int = await conn.fetchval(
        "INSERT INTO followups (person_id, rejection_id, contact, company, role, channel,"
        " kind, draft_key, due_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " RETURNING id",
        person_id,
        plan.rejection_id,
        plan.contact,
        plan.company,
        plan.role,
        plan.channel,
        plan.kind,
        draft_key,
        at(due),
        at(now),
    )
    return new_id


async def followup(conn: Conn, followup_id: int, person_id: int) -> Followup | None:
    """The person's follow-up with this id, or None."""
    row = await conn.fetchrow(
        "SELECT * FROM followups WHERE id = $1 AND person_id = $2", followup_id, person_id
    )
    return _followup(row) if row else None


async def pending_followups(conn: Conn, person_id: int, limit: int) -> list[Followup]:
    """The person's follow-ups still to send, soonest first."""
    found = await conn.fetch(
        "SELECT * FROM followups WHERE person_id = $1 AND status = 'pending'"
        " ORDER BY due_at, id LIMIT $2",
        person_id,
        limit,
    )
    return [_followup(r) for r in found]


async def set_followup(
    conn: Conn,
    followup_id: int,
    *,
    status: str | None = None,
    due: datetime | None = None,
    now: datetime,
) -> bool:
    """Change a pending follow-up's status or due time (a snooze); False when not pending."""
    n = await changed(
        conn,
        "UPDATE followups SET status = COALESCE($1, status), due_at = COALESCE($2, due_at),"
        " sent_at = CASE WHEN $1::text = 'sent' THEN $3 ELSE sent_at END"
        " WHERE id = $4 AND status = 'pending'",
        status,
        opt_at(due),
        at(now),
        followup_id,
    )
    return n > 0


class PostgresFollowups(Repository):
    """Follow-ups on PostgreSQL (the Followups protocol)."""

    __slots__ = ()

    add = pooled(add_followup)
    get = pooled(followup)
    pending = pooled(pending_followups)
    update = pooled(set_followup)
