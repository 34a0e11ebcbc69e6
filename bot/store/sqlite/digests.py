"""Weekly community digests: who gets one, claiming each week's once, and its totals (SQL)."""

from __future__ import annotations

from datetime import datetime

from bot.store.records import ts
from bot.store.sqlite import sql
from bot.store.sqlite.community import communities_with
from bot.store.sqlite.sql import Conn, Repository, hop


def digest_communities(conn: Conn) -> list[tuple[int, dict[str, str]]]:
    """Communities that chose a digest channel, with all their settings."""
    return communities_with(conn, "digest_channel")


def claim_digest(
    conn: Conn, community_id: int, week_key: str, now: datetime, lease_until: datetime
) -> bool:
    """Claim this week's digest for posting; False when it was posted or is being posted."""
    with sql.atomic(conn):
        row = sql.one(
            conn,
            "SELECT status, lease_until FROM digests WHERE community_id = ? AND week_key = ?",
            (community_id, week_key),
        )
        if row is not None and (
            row["status"] in ("posted", "undeliverable")
            or (row["status"] == "posting" and row["lease_until"] > ts(now))
        ):
            return False
        sql.execute(
            conn,
            "INSERT INTO digests (community_id, week_key, status, lease_until)"
            " VALUES (?, ?, 'posting', ?) ON CONFLICT (community_id, week_key)"
            " DO UPDATE SET status = 'posting', lease_until = excluded.lease_until",
            (community_id, week_key, ts(lease_until)),
        )
    return True


def finish_digest(
    conn: Conn,
    community_id: int,
    week_key: str,
    status: str,
    now: datetime,
    error: str | None = None,
) -> None:
    """Record how a claimed digest ended: posted, failed (retried next hour), undeliverable."""
    sql.execute(
        conn,
        "UPDATE digests SET status = ?, lease_until = NULL, last_error = ?,"
        " posted_at = CASE WHEN ? = 'posted' THEN ? ELSE posted_at END"
        " WHERE community_id = ? AND week_key = ?",
        (status, error, status, ts(now), community_id, week_key),
    )


def community_totals(
    conn: Conn, community_id: int, since: datetime, until: datetime
) -> dict[str, int]:
    """Effort of all members in a window, as totals only: nobody is named."""
    found = sql.rows(
        conn,
        "SELECT a.kind, COUNT(*) AS n FROM activity a"
        " JOIN memberships m ON m.person_id = a.person_id AND m.community_id = ?"
        " WHERE a.occurred_at >= ? AND a.occurred_at < ? GROUP BY a.kind",
        (community_id, ts(since), ts(until)),
    )
    return {r["kind"]: r["n"] for r in found}


def people_on_streak(conn: Conn, community_id: int, index: int) -> int:
    """How many members have a weekly streak alive in week `index`."""
    row = sql.one(
        conn,
        "SELECT COUNT(*) AS n FROM streaks s"
        " JOIN memberships m ON m.person_id = s.person_id AND m.community_id = ?"
        " WHERE s.period = 'week' AND s.current > 0 AND s.last_period >= ? - 1 - s.reserves",
        (community_id, index),
    )
    return int(row["n"]) if row else 0


def shoutout_milestones(
    conn: Conn, community_id: int, since: datetime, until: datetime
) -> list[tuple[str, int]]:
    """Milestones reached in a window by members who opted in to shout-outs."""
    found = sql.rows(
        conn,
        "SELECT p.display_name, MAX(ms.weeks) AS weeks FROM milestones ms"
        " JOIN memberships m ON m.person_id = ms.person_id AND m.community_id = ?"
        " JOIN people p ON p.id = ms.person_id"
        " WHERE m.shoutouts = 1 AND ms.reached_at >= ? AND ms.reached_at < ?"
        " GROUP BY p.id ORDER BY weeks DESC, p.display_name COLLATE NOCASE, p.id",
        (community_id, ts(since), ts(until)),
    )
    return [(r["display_name"], r["weeks"]) for r in found]


class SqliteDigests(Repository):
    """Digests on SQLite (the Digests protocol)."""

    __slots__ = ()

    communities = hop(digest_communities)
    claim = hop(claim_digest)
    finish = hop(finish_digest)
    totals = hop(community_totals)
    people_on_streak = hop(people_on_streak)
    shoutouts = hop(shoutout_milestones)
