"""What sent follow-ups led to, asked a week after sending: the SQL and its repository."""

from __future__ import annotations

from datetime import datetime

from bot.store.records import opt_ts, ts
from bot.store.records_growth import FollowupOutcome
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, Row, hop


def _outcome(row: Row) -> FollowupOutcome:
    return FollowupOutcome(
        followup_id=row["followup_id"],
        outcome=row["outcome"],
        asks=row["asks"],
        decided_at=opt_ts(row["decided_at"]),
    )


def _ensure(conn: Conn, followup_id: int, person_id: int, now: datetime) -> bool:
    """The outcome row of the person's follow-up, made when missing; False if not theirs."""
    sql.execute(
        conn,
        "INSERT OR IGNORE INTO followup_outcomes (followup_id, person_id, updated_at)"
        " SELECT id, person_id, ? FROM followups WHERE id = ? AND person_id = ?",
        (ts(now), followup_id, person_id),
    )
    return get_outcome(conn, followup_id, person_id) is not None


def asked(conn: Conn, followup_id: int, person_id: int, now: datetime) -> int:
    """Count one more ask about the person's follow-up; the count so far (0: not theirs)."""
    with sql.atomic(conn):
        if not _ensure(conn, followup_id, person_id, now):
            return 0
        sql.execute(
            conn,
            "UPDATE followup_outcomes SET asks = asks + 1, updated_at = ? WHERE followup_id = ?",
            (ts(now), followup_id),
        )
        found = get_outcome(conn, followup_id, person_id)
        return found.asks if found else 0


def decide(conn: Conn, followup_id: int, person_id: int, outcome: str, now: datetime) -> bool:
    """Record what the follow-up led to; False when already decided or not theirs."""
    with sql.atomic(conn):
        if not _ensure(conn, followup_id, person_id, now):
            return False
        return (
            sql.rowcount(
                conn,
                "UPDATE followup_outcomes SET outcome = ?, decided_at = ?, updated_at = ?"
                " WHERE followup_id = ? AND outcome IS NULL",
                (outcome, ts(now), ts(now), followup_id),
            )
            > 0
        )


def get_outcome(conn: Conn, followup_id: int, person_id: int) -> FollowupOutcome | None:
    """What the person's follow-up led to so far, or None when never asked."""
    return sql.get(
        conn,
        _outcome,
        "SELECT * FROM followup_outcomes WHERE followup_id = ? AND person_id = ?",
        (followup_id, person_id),
    )


def decided_between(
    conn: Conn, person_id: int, start: datetime, end: datetime
) -> list[FollowupOutcome]:
    """The person's outcomes decided in [start, end), oldest first."""
    found = sql.rows(
        conn,
        "SELECT * FROM followup_outcomes WHERE person_id = ? AND decided_at >= ?"
        " AND decided_at < ? ORDER BY decided_at, followup_id",
        (person_id, ts(start), ts(end)),
    )
    return [_outcome(r) for r in found]


class SqliteFollowupOutcomes(Repository):
    """Follow-up outcomes on SQLite (the FollowupOutcomes protocol)."""

    __slots__ = ()

    asked = hop(asked)
    decide = hop(decide)
    get = hop(get_outcome)
    decided_between = hop(decided_between)
