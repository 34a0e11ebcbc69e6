"""What sent follow-ups led to, asked a week after sending, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.store.postgres.engine import Conn, Repository, at, changed, pooled
from bot.store.records_growth import FollowupOutcome

# Rows map to records as on SQLite: opt_ts passes PostgreSQL's datetimes through as they are.
from bot.store.sqlite.outcomes import _outcome


async def _ensure(conn: Conn, followup_id: int, person_id: int, now: datetime) -> bool:
    """The outcome row of the person's follow-up, made when missing; False if not theirs."""
    await conn.execute(
        "INSERT INTO followup_outcomes (followup_id, person_id, updated_at)"
        " SELECT id, person_id, $1 FROM followups WHERE id = $2 AND person_id = $3"
        " ON CONFLICT DO NOTHING",
        at(now),
        followup_id,
        person_id,
    )
    return await get_outcome(conn, followup_id, person_id) is not None


async def asked(conn: Conn, followup_id: int, person_id: int, now: datetime) -> int:
    """Count one more ask about the person's follow-up; the count so far (0: not theirs)."""
    # A savepoint inside a unit, a transaction of its own outside one.
    async with conn.transaction():
        if not await _ensure(conn, followup_id, person_id, now):
            return 0
        asks: int | None = await conn.fetchval(
            "UPDATE followup_outcomes SET asks = asks + 1, updated_at = $1"
            " WHERE followup_id = $2 RETURNING asks",
            at(now),
            followup_id,
        )
        return asks or 0


async def decide(conn: Conn, followup_id: int, person_id: int, outcome: str, now: datetime) -> bool:
    """Record what the follow-up led to; False when already decided or not theirs."""
    async with conn.transaction():
        if not await _ensure(conn, followup_id, person_id, now):
            return False
        n = await changed(
            conn,
            "UPDATE followup_outcomes SET outcome = $1, decided_at = $2, updated_at = $2"
            " WHERE followup_id = $3 AND outcome IS NULL",
            outcome,
            at(now),
            followup_id,
        )
        return n > 0


async def get_outcome(conn: Conn, followup_id: int, person_id: int) -> FollowupOutcome | None:
    """What the person's follow-up led to so far, or None when never asked."""
    row = await conn.fetchrow(
        "SELECT * FROM followup_outcomes WHERE followup_id = $1 AND person_id = $2",
        followup_id,
        person_id,
    )
    return _outcome(row) if row else None


async def decided_between(
    conn: Conn, person_id: int, start: datetime, end: datetime
) -> list[FollowupOutcome]:
    """The person's outcomes decided in [start, end), oldest first."""
    found = await conn.fetch(
        "SELECT * FROM followup_outcomes WHERE person_id = $1 AND decided_at >= $2"
        " AND decided_at < $3 ORDER BY decided_at, followup_id",
        person_id,
        at(start),
        at(end),
    )
    return [_outcome(r) for r in found]


class PostgresFollowupOutcomes(Repository):
    """Follow-up outcomes on PostgreSQL (the FollowupOutcomes protocol)."""

    __slots__ = ()

    asked = pooled(asked)
    decide = pooled(decide)
    get = pooled(get_outcome)
    decided_between = pooled(decided_between)
