"""The monthly ledger's counts and community stage counts, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.store.postgres.engine import Conn, Repository, at, pooled
from bot.store.records_growth import LedgerCounts, StageTally

# One count per field of LedgerCounts; each takes $1 person_id, $2 start, $3 end.
# Fixed text, never built from input.
_COUNTS = {
    # Only no's: an offer the person declined (outcome 'declined') is not one.
    "nos": "SELECT COUNT(*) FROM rejections WHERE person_id = $1 AND created_at >= $2"
    " AND created_at < $3 AND outcome = 'rejected'",
    "applications": "SELECT COUNT(*) FROM applications WHERE person_id = $1"
    " AND created_at >= $2 AND created_at < $3",
    # A reflection counts once it earned its points: finished with at least one answer.
    "reflections": "SELECT COUNT(*) FROM activity WHERE person_id = $1 AND kind = 'reflection'"
    " AND occurred_at >= $2 AND occurred_at < $3",
    "skills_worked": "SELECT COUNT(*) FROM skill_gaps g WHERE g.person_id = $1 AND ("
    " (g.created_at >= $2 AND g.created_at < $3)"
    " OR EXISTS (SELECT 1 FROM skill_gap_rejections l WHERE l.gap_id = g.id"
    " AND l.linked_at >= $2 AND l.linked_at < $3)"
    " OR EXISTS (SELECT 1 FROM skill_steps s WHERE s.gap_id = g.id"
    " AND ((s.created_at >= $2 AND s.created_at < $3)"
    " OR (s.done_at >= $2 AND s.done_at < $3))))",
    "skills_closed": "SELECT COUNT(*) FROM skill_gaps WHERE person_id = $1"
    " AND confident_at >= $2 AND confident_at < $3",
    "followups_sent": "SELECT COUNT(*) FROM followups WHERE person_id = $1 AND status = 'sent'"
    " AND sent_at >= $2 AND sent_at < $3",
    "steps_done": "SELECT (SELECT COUNT(*) FROM reflections WHERE person_id = $1"
    " AND next_step_done_at >= $2 AND next_step_done_at < $3)"
    " + (SELECT COUNT(*) FROM skill_steps WHERE person_id = $1"
    " AND done_at >= $2 AND done_at < $3)",
}
_OUTCOMES = ("replied", "referral", "interview", "no_reply")


async def ledger_counts(conn: Conn, person_id: int, start: datetime, end: datetime) -> LedgerCounts:
    """What the person logged and did from start up to (not including) end."""
    params = (person_id, at(start), at(end))
    found: dict[str, int] = {}
    for name, query in _COUNTS.items():
        found[name] = int(await conn.fetchval(query, *params) or 0)
    outcomes = dict.fromkeys(_OUTCOMES, 0)
    for row in await conn.fetch(
        "SELECT outcome, COUNT(*) FROM followup_outcomes WHERE person_id = $1"
        " AND decided_at >= $2 AND decided_at < $3 GROUP BY outcome",
        *params,
    ):
        outcomes[row[0]] = int(row[1])
    return LedgerCounts(**found, **outcomes)


class PostgresLedger(Repository):
    """The ledger's counts on PostgreSQL (the Ledger protocol)."""

    __slots__ = ()

    counts = pooled(ledger_counts)


async def community_stages(
    conn: Conn, community_id: int, start: datetime, end: datetime
) -> StageTally:
    """The community's no's in [start, end) by stage, and how many people logged them."""
    params = (community_id, at(start), at(end))
    where = (
        "FROM rejections WHERE community_id = $1 AND created_at >= $2 AND created_at < $3"
        " AND outcome = 'rejected'"
    )
    people = await conn.fetchval(f"SELECT COUNT(DISTINCT person_id) {where}", *params)
    # Byte order, as SQLite sorts text, whatever the database's collation.
    found = await conn.fetch(
        f'SELECT stage, COUNT(*) {where} GROUP BY stage ORDER BY stage COLLATE "C"', *params
    )
    return StageTally(int(people or 0), tuple((r[0], int(r[1])) for r in found))


class PostgresCommunityStages(Repository):
    """Community stage counts on PostgreSQL (the CommunityStages protocol)."""

    __slots__ = ()

    stages = pooled(community_stages)
