"""Effort: actions and their points, streaks per period, period totals, milestones (SQL)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.store.records import StreakRow, parse_ts, ts
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, Row, hop


def streak_row(row: Row | None) -> StreakRow:
    """A stored streak row as its record (all zero when there is none)."""
    if row is None:
        return StreakRow()
    return StreakRow(
        current=row["current"],
        best=row["best"],
        reserves=row["reserves"],
        last_period=row["last_period"],
        period_points=row["period_points"],
        total_points=row["total_points"],
    )


def add_activity(conn: Conn, person_id: int, kind: str, points: int, now: datetime) -> None:
    """Record one resilience action."""
    sql.execute(
        conn,
        "INSERT INTO activity (person_id, kind, points, occurred_at) VALUES (?, ?, ?, ?)",
        (person_id, kind, points, ts(now)),
    )


def streak(conn: Conn, person_id: int, period: str = "week") -> StreakRow:
    """The person's stored streak (all zero before their first action)."""
    row = sql.one(
        conn, "SELECT * FROM streaks WHERE person_id = ? AND period = ?", (person_id, period)
    )
    return streak_row(row)


def save_streak(
    conn: Conn, person_id: int, streak: StreakRow, now: datetime, period: str = "week"
) -> None:
    """Store the person's streak for a period kind (week or day)."""
    sql.execute(
        conn,
        "INSERT INTO streaks (person_id, period, current, best, reserves, last_period,"
        " period_points, total_points, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (person_id, period) DO UPDATE SET current = excluded.current,"
        " best = excluded.best, reserves = excluded.reserves,"
        " last_period = excluded.last_period, period_points = excluded.period_points,"
        " total_points = excluded.total_points, updated_at = excluded.updated_at",
        (
            person_id,
            period,
            streak.current,
            streak.best,
            streak.reserves,
            streak.last_period,
            streak.period_points,
            streak.total_points,
            ts(now),
        ),
    )


def timezones_in_use(conn: Conn) -> list[str | None]:
    """The timezones of people with a streak under way (None: the default timezone)."""
    found = sql.rows(
        conn,
        "SELECT DISTINCT p.timezone FROM streaks s JOIN people p ON p.id = s.person_id"
        " WHERE s.last_period IS NOT NULL",
    )
    return [r["timezone"] for r in found]


def stale_streaks(
    conn: Conn, timezone: str | None, before: int, period: str = "week"
) -> list[tuple[int, StreakRow]]:
    """Streaks of people in timezone whose last kept period is before `before`."""
    found = sql.rows(
        conn,
        "SELECT s.* FROM streaks s JOIN people p ON p.id = s.person_id"
        " WHERE p.timezone IS ? AND s.period = ? AND s.last_period < ?",
        (timezone, period, before),
    )
    return [(r["person_id"], streak_row(r)) for r in found]


def add_period_points(conn: Conn, person_id: int, keys: Sequence[str], points: int) -> None:
    """Add points to the person's totals for the given weeks and months."""
    for key in keys:
        sql.execute(
            conn,
            "INSERT INTO period_points (person_id, period_key, points) VALUES (?, ?, ?)"
            " ON CONFLICT (person_id, period_key) DO UPDATE SET points = points + ?",
            (person_id, key, points, points),
        )


def activity_since(conn: Conn, person_id: int, since: datetime) -> list[tuple[datetime, int]]:
    """The person's actions since a time: when, and how many points."""
    found = sql.rows(
        conn,
        "SELECT occurred_at, points FROM activity WHERE person_id = ? AND occurred_at >= ?"
        " ORDER BY occurred_at",
        (person_id, ts(since)),
    )
    return [(parse_ts(r["occurred_at"]), r["points"]) for r in found]


def record_milestone(conn: Conn, person_id: int, weeks: int, now: datetime) -> None:
    """Remember that the person reached a streak milestone."""
    sql.execute(
        conn,
        "INSERT INTO milestones (person_id, weeks, reached_at) VALUES (?, ?, ?)",
        (person_id, weeks, ts(now)),
    )


class SqliteEffort(Repository):
    """Effort and streaks on SQLite (the Effort protocol)."""

    __slots__ = ()

    add_activity = hop(add_activity)
    streak = hop(streak)
    save_streak = hop(save_streak)
    timezones_in_use = hop(timezones_in_use)
    stale_streaks = hop(stale_streaks)
    add_period_points = hop(add_period_points)
    activity_since = hop(activity_since)
    record_milestone = hop(record_milestone)
