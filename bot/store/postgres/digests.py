"""Weekly community digests on PostgreSQL: claimed once per week across every process."""

from __future__ import annotations

from datetime import datetime

from bot.store.postgres.community import communities_with
from bot.store.postgres.engine import Conn, Repository, at, pooled


async def digest_communities(conn: Conn) -> list[tuple[int, dict[str, str]]]:
    """Communities that chose a digest channel, with all their settings."""
    return await communities_with(conn, "digest_channel")


async def claim_digest(
    conn: Conn, community_id: int, week_key: str, now: datetime, lease_until: datetime
) -> bool:
    """Claim this week's digest for posting; False when it was posted or is being posted.

    One statement: a second process inserting the same row waits for the first one's
    transaction, then finds the row claimed and changes nothing (the WHERE of the update).
    """
    claimed = await conn.fetchval(
        "INSERT INTO digests (community_id, week_key, status, lease_until)"
        " VALUES ($1, $2, 'posting', $3) ON CONFLICT (community_id, week_key)"
        " DO UPDATE SET status = 'posting', lease_until = excluded.lease_until"
        " WHERE digests.status NOT IN ('posted', 'undeliverable')"
        " AND NOT (digests.status = 'posting' AND digests.lease_until > $4)"
        " RETURNING 1",
        community_id,
        week_key,
        at(lease_until),
        at(now),
    )
    return claimed is not None


async def finish_digest(
    conn: Conn,
    community_id: int,
    week_key: str,
    status: str,
    now: datetime,
    error: str | None = None,
) -> None:
    """Record how a claimed digest ended: posted, failed (retried next hour), undeliverable."""
    await conn.execute(
        "UPDATE digests SET status = $1, lease_until = NULL, last_error = $2,"
        " posted_at = CASE WHEN $1 = 'posted' THEN $3 ELSE posted_at END"
        " WHERE community_id = $4 AND week_key = $5",
        status,
        error,
        at(now),
        community_id,
        week_key,
    )


async def community_totals(
    conn: Conn, community_id: int, since: datetime, until: datetime
) -> dict[str, int]:
    """Effort of all members in a window, as totals only: nobody is named."""
    found = await conn.fetch(
        "SELECT a.kind, COUNT(*) AS n FROM activity a"
        " JOIN memberships m ON m.person_id = a.person_id AND m.community_id = $1"
        " WHERE a.occurred_at >= $2 AND a.occurred_at < $3 GROUP BY a.kind",
        community_id,
        at(since),
        at(until),
    )
    return {r["kind"]: int(r["n"]) for r in found}


async def people_on_streak(conn: Conn, community_id: int, index: int) -> int:
    """How many members have a weekly streak alive in week `index`."""
    n = await conn.fetchval(
        "SELECT COUNT(*) FROM streaks s"
        " JOIN memberships m ON m.person_id = s.person_id AND m.community_id = $1"
        " WHERE s.period = 'week' AND s.current > 0 AND s.last_period >= $2 - 1 - s.reserves",
        community_id,
        index,
    )
    return int(n or 0)


async def shoutout_milestones(
    conn: Conn, community_id: int, since: datetime, until: datetime
) -> list[tuple[str, int]]:
    """Milestones reached in a window by members who opted in to shout-outs."""
    found = await conn.fetch(
        "SELECT p.display_name, MAX(ms.weeks) AS weeks FROM milestones ms"
        " JOIN memberships m ON m.person_id = ms.person_id AND m.community_id = $1"
        " JOIN people p ON p.id = ms.person_id"
        " WHERE m.shoutouts = 1 AND ms.reached_at >= $2 AND ms.reached_at < $3"
        ' GROUP BY p.id ORDER BY weeks DESC, rebound_nocase(p.display_name) COLLATE "C", p.id',
        community_id,
        at(since),
        at(until),
    )
    return [(r["display_name"], r["weeks"]) for r in found]


class PostgresDigests(Repository):
    """Digests on PostgreSQL (the Digests protocol)."""

    __slots__ = ()

    communities = pooled(digest_communities)
    claim = pooled(claim_digest)
    finish = pooled(finish_digest)
    totals = pooled(community_totals)
    people_on_streak = pooled(people_on_streak)
    shoutouts = pooled(shoutout_milestones)
