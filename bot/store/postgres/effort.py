"""Effort on PostgreSQL: actions and points, streaks per period, period totals, milestones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.store.postgres.engine import Conn, Repository, at, pooled
from bot.store.records import StreakRow

# Rows map to records as on SQLite (times come as datetimes here).
from bot.store.sqlite.effort import streak_row


async def add_activity(conn: Conn, person_id: int, kind: str, points: int, now: datetime) -> None:
    """Record one resilience action."""
    await conn.execute(
        "INSERT INTO activity (person_id, kind, points, occurred_at) VALUES ($1, $2, $3, $4)",
        person_id,
        kind,
        points,
        at(now),
    )


async def streak(conn: Conn, person_id: int, period: str = "week") -> StreakRow:
    """The person's stored streak (all zero before their first action)."""
    row = await conn.fetchrow(
        "SELECT * FROM streaks WHERE person_id = $1 AND period = $2", person_id, period
    )
    return streak_row(row)


async def save_streak(
    conn: Conn, person_id: int, streak: StreakRow, now: datetime, period: str = "week"
) -> None:
    """Store the person's streak for a period kind (week or day)."""
    await conn.execute(
        "INSERT INTO streaks (person_id, period, current, best, reserves, last_period,"
        " period_points, total_points, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (person_id, period) DO UPDATE SET current = excluded.current,"
        " best = excluded.best, reserves = excluded.reserves,"
        " last_period = excluded.last_period, period_points = excluded.period_points,"
        " total_points = excluded.total_points, updated_at = excluded.updated_at",
        person_id,
        period,
        streak.current,
        streak.best,
        streak.reserves,
        streak.last_period,
        streak.period_points,
        streak.total_points,
        at(now),
    )


async def timezones_in_use(conn: Conn) -> list[str | None]:
    """The timezones of people with a streak under way (None: the default timezone)."""
    found = await conn.fetch(
        "SELECT DISTINCT p.timezone FROM streaks s JOIN people p ON p.id = s.person_id"
        " WHERE s.last_period IS NOT NULL"
    )
    return [r["timezone"] for r in found]


async def stale_streaks(
    conn: Conn, timezone: str | None, before: int, period: str = "week"
) -> list[tuple[int, StreakRow]]:
    """Streaks of people in timezone whose last kept period is before `before`."""
    found = await conn.fetch(
        "SELECT s.* FROM streaks s JOIN people p ON p.id = s.person_id"
        " WHERE p.timezone IS NOT DISTINCT FROM $1 AND s.period = $2 AND s.last_period < $3",
        timezone,
        period,
        before,
    )
    return [(r["person_id"], streak_row(r)) for r in found]


async def add_period_points(conn: Conn, person_id: int, keys: Sequence[str], points: int) -> None:
    """Add points to the person's totals for the given weeks and months."""
    await conn.executemany(
        "INSERT INTO period_points (person_id, period_key, points) VALUES ($1, $2, $3)"
        " ON CONFLICT (person_id, period_key)"
        " DO UPDATE SET points = period_points.points + excluded.points",
        [(person_id, key, points) for key in keys],
    )


async def activity_since(conn: Conn, person_id: int, since: datetime) -> list[tuple[datetime, int]]:
    """The person's actions since a time: when, and how many points."""
    found = await conn.fetch(
        "SELECT occurred_at, points FROM activity WHERE person_id = $1 AND occurred_at >= $2"
        " ORDER BY occurred_at",
        person_id,
        at(since),
    )
    return [(r["occurred_at"], r["points"]) for r in found]


async def record_milestone(conn: Conn, person_id: int, weeks: int, now: datetime) -> None:
    """Remember that the person reached a streak milestone."""
    await conn.execute(
        "INSERT INTO milestones (person_id, weeks, reached_at) VALUES ($1, $2, $3)",
        person_id,
        weeks,
        at(now),
    )


class PostgresEffort(Repository):
    """Effort and streaks on PostgreSQL (the Effort protocol)."""

    __slots__ = ()

    add_activity = pooled(add_activity)
    streak = pooled(streak)
    save_streak = pooled(save_streak)
    timezones_in_use = pooled(timezones_in_use)
    stale_streaks = pooled(stale_streaks)
    add_period_points = pooled(add_period_points)
    activity_since = pooled(activity_since)
    record_milestone = pooled(record_milestone)
