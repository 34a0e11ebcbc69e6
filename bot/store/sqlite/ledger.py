"""The monthly ledger's counts, each read from the rows it is about: the SQL and its repository."""

from __future__ import annotations

from datetime import datetime

from bot.store.records import ts
from bot.store.records_growth import LedgerCounts, StageTally
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, hop

# One count per field of LedgerCounts; each takes (person_id, start, end) as its parameters.
# Fixed text, never built from input.
_COUNTS = {
    # Only no's: an offer the person declined (outcome 'declined') is not one.
    "nos": "SELECT COUNT(*) FROM rejections WHERE person_id = ? AND created_at >= ?"
    " AND created_at < ? AND outcome = 'rejected'",
    "applications": "SELECT COUNT(*) FROM applications WHERE person_id = ? AND created_at >= ?"
    " AND created_at < ?",
    # A reflection counts once it earned its points: finished with at least one answer.
    "reflections": "SELECT COUNT(*) FROM activity WHERE person_id = ? AND kind = 'reflection'"
    " AND occurred_at >= ? AND occurred_at < ?",
    "skills_worked": "SELECT COUNT(*) FROM skill_gaps g WHERE g.person_id = ?1 AND ("
    " (g.created_at >= ?2 AND g.created_at < ?3)"
    " OR EXISTS (SELECT 1 FROM skill_gap_rejections l WHERE l.gap_id = g.id"
    " AND l.linked_at >= ?2 AND l.linked_at < ?3)"
    " OR EXISTS (SELECT 1 FROM skill_steps s WHERE s.gap_id = g.id"
    " AND ((s.created_at >= ?2 AND s.created_at < ?3)"
    " OR (s.done_at >= ?2 AND s.done_at < ?3))))",
    "skills_closed": "SELECT COUNT(*) FROM skill_gaps WHERE person_id = ? AND confident_at >= ?"
    " AND confident_at < ?",
    "followups_sent": "SELECT COUNT(*) FROM followups WHERE person_id = ? AND status = 'sent'"
    " AND sent_at >= ? AND sent_at < ?",
    "steps_done": "SELECT (SELECT COUNT(*) FROM reflections WHERE person_id = ?1"
    " AND next_step_done_at >= ?2 AND next_step_done_at < ?3)"
    " + (SELECT COUNT(*) FROM skill_steps WHERE person_id = ?1"
    " AND done_at >= ?2 AND done_at < ?3)",
}
_OUTCOMES = ("replied", "referral", "interview", "no_reply")


def ledger_counts(conn: Conn, person_id: int, start: datetime, end: datetime) -> LedgerCounts:
    """What the person logged and did from start up to (not including) end."""
    params = (person_id, ts(start), ts(end))
    found: dict[str, int] = {}
    for name, query in _COUNTS.items():
        row = sql.one(conn, query, params)
        found[name] = int(row[0]) if row else 0
    outcomes = dict.fromkeys(_OUTCOMES, 0)
    for row in sql.rows(
        conn,
        "SELECT outcome, COUNT(*) FROM followup_outcomes WHERE person_id = ? AND decided_at >= ?"
        " AND decided_at < ? GROUP BY outcome",
        params,
    ):
        outcomes[row[0]] = int(row[1])
    return LedgerCounts(**found, **outcomes)


class SqliteLedger(Repository):
    """The ledger's counts on SQLite (the Ledger protocol)."""

    __slots__ = ()

    counts = hop(ledger_counts)


def community_stages(conn: Conn, community_id: int, start: datetime, end: datetime) -> StageTally:
    """The community's no's in [start, end) by stage, and how many people logged them."""
    params = (community_id, ts(start), ts(end))
    where = (
        "FROM rejections WHERE community_id = ? AND created_at >= ? AND created_at < ?"
        " AND outcome = 'rejected'"
    )
    people = sql.one(conn, f"SELECT COUNT(DISTINCT person_id) {where}", params)
    found = sql.rows(conn, f"SELECT stage, COUNT(*) {where} GROUP BY stage ORDER BY stage", params)
    return StageTally(int(people[0]) if people else 0, tuple((r[0], int(r[1])) for r in found))


class SqliteCommunityStages(Repository):
    """Community stage counts on SQLite (the CommunityStages protocol)."""

    __slots__ = ()

    stages = hop(community_stages)
