"""Reminders as rows: idempotent scheduling, claims with a lease, and how each one ended."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.store.records import Reminder, ReminderLine, ReminderPlan, parse_ts, ts
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, Row, hop

# One key never makes a second row: the same time is a no-op (even once sent), a new time
# replaces the old one and makes the reminder pending again.
_UPSERT = (
    "INSERT INTO reminders (person_id, kind, ref_id, idem_key, due_at, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (idem_key) DO UPDATE SET due_at = excluded.due_at,"
    " status = 'pending', lease_until = NULL, attempts = 0, last_error = NULL,"
    " updated_at = excluded.updated_at WHERE reminders.due_at != excluded.due_at"
)


def _reminder(row: Row) -> Reminder:
    return Reminder(
        id=row["id"],
        person_id=row["person_id"],
        kind=row["kind"],
        ref_id=row["ref_id"],
        key=row["idem_key"],
        due_at=parse_ts(row["due_at"]),
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
    )


def schedule_reminder(
    conn: Conn,
    person_id: int,
    *,
    kind: str,
    ref_id: int | None,
    key: str,
    due: datetime,
    now: datetime,
) -> int:
    """Schedule a reminder under an idempotency key; return its id (the same for the same key)."""
    with sql.atomic(conn):
        row = sql.one(
            conn,
            _UPSERT + " RETURNING id",
            (person_id, kind, ref_id, key, ts(due), ts(now), ts(now)),
        )
        if row is None:
            row = sql.one(conn, "SELECT id FROM reminders WHERE idem_key = ?", (key,))
    assert row is not None
    return int(row["id"])


def schedule_many(conn: Conn, plans: Sequence[ReminderPlan], now: datetime) -> None:
    """Schedule many reminders in one statement (one thread hop), each under its own key."""
    stamp = ts(now)
    conn.executemany(
        _UPSERT,
        [(r.person_id, r.kind, r.ref_id, r.key, ts(r.due), stamp, stamp) for r in plans],
    )


def close_reminder(conn: Conn, key: str, status: str, now: datetime) -> None:
    """End a pending reminder (done, skipped, cancelled) so it is never sent."""
    sql.execute(
        conn,
        "UPDATE reminders SET status = ?, updated_at = ? WHERE idem_key = ?"
        " AND status IN ('pending', 'sending')",
        (status, ts(now), key),
    )


def reminders_for(conn: Conn, person_id: int, statuses: Iterable[str]) -> list[Reminder]:
    """The person's reminders in the given states, soonest first."""
    wanted = list(statuses)
    found = sql.rows(
        conn,
        f"SELECT * FROM reminders WHERE person_id = ? AND status IN ({sql.marks(wanted)})"
        " ORDER BY due_at, id",
        (person_id, *wanted),
    )
    return [_reminder(r) for r in found]


def reminder(conn: Conn, reminder_id: int, person_id: int) -> Reminder | None:
    """The person's reminder with this id, or None."""
    return sql.get(
        conn,
        _reminder,
        "SELECT * FROM reminders WHERE id = ? AND person_id = ?",
        (reminder_id, person_id),
    )


def reminder_by_key(conn: Conn, key: str) -> Reminder | None:
    """The reminder with this idempotency key, or None."""
    return sql.get(conn, _reminder, "SELECT * FROM reminders WHERE idem_key = ?", (key,))


def claim_due(conn: Conn, now: datetime, lease_until: datetime, limit: int) -> list[Reminder]:
    """Claim up to limit due reminders, and any whose lease ran out, for sending."""
    # One index scan per way a row falls due, each stopping at the limit: one scan with an OR
    # in it sorted every due row on every claim (12 ms at 100,000 due, against 0.03 ms so).
    with sql.atomic(conn):
        found = sql.rows(
            conn,
            "UPDATE reminders SET status = 'sending', lease_until = ?1, updated_at = ?2"
            " WHERE id IN (SELECT id FROM ("
            "SELECT id, due_at FROM (SELECT id, due_at FROM reminders"
            " WHERE status = 'pending' AND due_at <= ?2 ORDER BY due_at, id LIMIT ?3)"
            " UNION ALL SELECT id, due_at FROM (SELECT id, due_at FROM reminders"
            " WHERE status = 'sending' AND lease_until <= ?2 ORDER BY due_at, id LIMIT ?3))"
            " ORDER BY due_at, id LIMIT ?3) RETURNING *",
            (ts(lease_until), ts(now), limit),
        )
    claimed = [_reminder(r) for r in found]
    claimed.sort(key=lambda r: (r.due_at, r.id))
    return claimed


def finish_reminder(
    conn: Conn, reminder_id: int, status: str, now: datetime, error: str | None = None
) -> None:
    """Record how a claimed reminder ended: sent, undeliverable, failed, cancelled, muted."""
    sql.execute(
        conn,
        "UPDATE reminders SET status = ?, lease_until = NULL, last_error = ?, updated_at = ?,"
        " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
        " WHERE id = ? AND status = 'sending'",
        (status, error, ts(now), status, ts(now), reminder_id),
    )


def finish_reminders(conn: Conn, reminder_ids: Sequence[int], status: str, now: datetime) -> None:
    """Record that several claimed reminders ended alike (a batch sent), in one statement."""
    if not reminder_ids:
        return
    sql.execute(
        conn,
        "UPDATE reminders SET status = ?, lease_until = NULL, last_error = NULL, updated_at = ?,"
        " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
        f" WHERE status = 'sending' AND id IN ({sql.marks(reminder_ids)})",
        (status, ts(now), status, ts(now), *reminder_ids),
    )


def retry_reminder(
    conn: Conn,
    reminder_id: int,
    due: datetime,
    now: datetime,
    *,
    error: str | None,
    failed: bool,
) -> None:
    """Put a claimed reminder back to pending at due; failed counts it as an attempt."""
    sql.execute(
        conn,
        "UPDATE reminders SET status = 'pending', lease_until = NULL, due_at = ?,"
        " attempts = attempts + ?, last_error = COALESCE(?, last_error), updated_at = ?"
        " WHERE id = ? AND status = 'sending'",
        (ts(due), int(failed), error, ts(now), reminder_id),
    )


def mark_reminder(conn: Conn, reminder_id: int, status: str, now: datetime) -> None:
    """Record what the person did with a reminder already sent (skipped, cancelled, done)."""
    sql.execute(
        conn,
        "UPDATE reminders SET status = ?, lease_until = NULL, updated_at = ? WHERE id = ?",
        (status, ts(now), reminder_id),
    )


def next_due(conn: Conn) -> datetime | None:
    """When the soonest pending reminder is due, or None."""
    row = sql.one(conn, "SELECT MIN(due_at) AS due FROM reminders WHERE status = 'pending'")
    return parse_ts(row["due"]) if row and row["due"] else None


def release_claims(conn: Conn, now: datetime) -> int:
    """Return every claimed reminder to pending (at start-up and shutdown, nothing is mid-send)."""
    return sql.rowcount(
        conn,
        "UPDATE reminders SET status = 'pending', lease_until = NULL, updated_at = ?"
        " WHERE status = 'sending'",
        (ts(now),),
    )


def cancel_reminders(conn: Conn, person_id: int, kind: str, now: datetime) -> int:
    """Cancel the person's pending reminders of one kind."""
    return sql.rowcount(
        conn,
        "UPDATE reminders SET status = 'cancelled', lease_until = NULL, updated_at = ?"
        " WHERE person_id = ? AND kind = ? AND status = 'pending'",
        (ts(now), person_id, kind),
    )


def reminder_report(conn: Conn, statuses: Iterable[str], limit: int) -> list[ReminderLine]:
    """Reminders in the given states with their person, for the operator's CLI."""
    wanted = list(statuses)
    found = sql.rows(
        conn,
        "SELECT r.id, r.kind, r.due_at, r.status, r.attempts, r.last_error,"
        " p.platform, p.user_id, p.display_name FROM reminders r"
        f" JOIN people p ON p.id = r.person_id WHERE r.status IN ({sql.marks(wanted)})"
        " ORDER BY r.status, r.due_at, r.id LIMIT ?",
        (*wanted, limit),
    )
    return [
        ReminderLine(
            id=r["id"],
            kind=r["kind"],
            due_at=parse_ts(r["due_at"]),
            status=r["status"],
            attempts=r["attempts"],
            last_error=r["last_error"],
            platform=r["platform"],
            user_id=r["user_id"],
            display_name=r["display_name"],
        )
        for r in found
    ]


def reminder_counts(conn: Conn, statuses: Iterable[str]) -> dict[str, int]:
    """How many reminders are in each of the given states (all of them, not a page)."""
    wanted = list(statuses)
    found = sql.rows(
        conn,
        f"SELECT status, COUNT(*) AS n FROM reminders WHERE status IN ({sql.marks(wanted)})"
        " GROUP BY status",
        wanted,
    )
    counted = {row["status"]: int(row["n"]) for row in found}
    return {status: counted.get(status, 0) for status in wanted}


class SqliteReminders(Repository):
    """Reminders on SQLite (the Reminders protocol)."""

    __slots__ = ()

    schedule = hop(schedule_reminder)
    schedule_many = hop(schedule_many)
    close = hop(close_reminder)
    for_person = hop(reminders_for)
    get = hop(reminder)
    by_key = hop(reminder_by_key)
    claim_due = hop(claim_due)
    finish = hop(finish_reminder)
    finish_many = hop(finish_reminders)
    retry = hop(retry_reminder)
    mark = hop(mark_reminder)
    next_due = hop(next_due)
    release_claims = hop(release_claims)
    cancel = hop(cancel_reminders)
    report = hop(reminder_report)
    counts = hop(reminder_counts)
