"""SQLite through aiosqlite: the schema, its migrations, and every SQL statement of Rebound."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import json
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import aiosqlite

from bot import owner_only
from bot.models import CommunityRef, PersonRef

logger = logging.getLogger(__name__)
R = TypeVar("R")
P = ParamSpec("P")

BUSY_TIMEOUT_MS = 5000
# Checkpoints copy the write-ahead log into the database file and sync it to disk: a few
# milliseconds that SQLite would otherwise charge to whichever command happened to commit
# then. A second connection on its own thread does them instead, after this many hops.
CHECKPOINT_EVERY_HOPS = 100
# If that connection ever falls behind, the writer still checkpoints at this many pages.
WAL_AUTOCHECKPOINT_PAGES = 10_000

# Each entry takes the schema from version N to N+1. Never edit a released entry: append one.
MIGRATIONS: tuple[str, ...] = (
    # 1: the whole model of the first release.
    """
    CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        user_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        timezone TEXT,
        quiet_start TEXT NOT NULL DEFAULT '21:00',
        quiet_end TEXT NOT NULL DEFAULT '08:00',
        dm_reminders INTEGER NOT NULL DEFAULT 1,
        checkin_days TEXT NOT NULL DEFAULT '2,7',
        nudges INTEGER NOT NULL DEFAULT 1,
        weekend_followups INTEGER NOT NULL DEFAULT 0,
        dm_failed_count INTEGER NOT NULL DEFAULT 0,
        dm_failed_reason TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (platform, user_id)
    );
    CREATE TABLE communities (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        community_id TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        UNIQUE (platform, community_id)
    );
    CREATE TABLE community_settings (
        community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (community_id, key)
    );
    CREATE TABLE memberships (
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
        leaderboard INTEGER NOT NULL DEFAULT 0,
        shoutouts INTEGER NOT NULL DEFAULT 0,
        joined_at TEXT NOT NULL,
        PRIMARY KEY (person_id, community_id)
    );
    CREATE INDEX memberships_board ON memberships (community_id, leaderboard);
    CREATE TABLE rejections (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        community_id INTEGER REFERENCES communities(id) ON DELETE SET NULL,
        company TEXT,
        role TEXT,
        stage TEXT NOT NULL,
        feeling INTEGER CHECK (feeling BETWEEN 1 AND 5),
        note TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX rejections_person ON rejections (person_id, created_at);
    CREATE TABLE reflections (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        rejection_id INTEGER REFERENCES rejections(id) ON DELETE SET NULL,
        stage TEXT NOT NULL,
        prompt_keys TEXT NOT NULL,
        position INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'active'
            CHECK (status IN ('active', 'stopped', 'finished')),
        next_step TEXT,
        next_step_due TEXT,
        next_step_done_at TEXT,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE INDEX reflections_person ON reflections (person_id, updated_at);
    CREATE TABLE reflection_answers (
        reflection_id INTEGER NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        prompt_key TEXT NOT NULL,
        answer TEXT,
        answered_at TEXT NOT NULL,
        PRIMARY KEY (reflection_id, position)
    );
    CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        mood INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
        note TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX checkins_person ON checkins (person_id, created_at);
    CREATE TABLE followups (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        rejection_id INTEGER REFERENCES rejections(id) ON DELETE SET NULL,
        contact TEXT,
        company TEXT,
        role TEXT,
        channel TEXT NOT NULL,
        kind TEXT NOT NULL,
        draft_key TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'skipped')),
        due_at TEXT NOT NULL,
        sent_at TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX followups_person ON followups (person_id, status, due_at);
    CREATE TABLE reminders (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        ref_id INTEGER,
        idem_key TEXT NOT NULL UNIQUE,
        due_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        lease_until TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT
    );
    CREATE INDEX reminders_due ON reminders (status, due_at);
    CREATE INDEX reminders_lease ON reminders (status, lease_until);
    CREATE INDEX reminders_person ON reminders (person_id, status);
    CREATE TABLE activity (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        points INTEGER NOT NULL,
        occurred_at TEXT NOT NULL
    );
    CREATE INDEX activity_person ON activity (person_id, occurred_at);
    CREATE TABLE streaks (
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        period TEXT NOT NULL DEFAULT 'week' CHECK (period IN ('week', 'day')),
        current INTEGER NOT NULL DEFAULT 0,
        best INTEGER NOT NULL DEFAULT 0,
        reserves INTEGER NOT NULL DEFAULT 0,
        last_period INTEGER,
        period_points INTEGER NOT NULL DEFAULT 0,
        total_points INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (person_id, period)
    );
    CREATE TABLE period_points (
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        period_key TEXT NOT NULL,
        points INTEGER NOT NULL,
        PRIMARY KEY (person_id, period_key)
    );
    CREATE INDEX period_points_board ON period_points (period_key, points);
    CREATE TABLE milestones (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        weeks INTEGER NOT NULL,
        reached_at TEXT NOT NULL
    );
    CREATE INDEX milestones_time ON milestones (reached_at);
    CREATE TABLE digests (
        community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
        week_key TEXT NOT NULL,
        status TEXT NOT NULL,
        lease_until TEXT,
        last_error TEXT,
        posted_at TEXT,
        PRIMARY KEY (community_id, week_key)
    );
    CREATE TABLE admin_log (
        id INTEGER PRIMARY KEY,
        community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
        person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
        key TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        changed_at TEXT NOT NULL
    );
    CREATE TABLE conversations (
        person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
        flow TEXT NOT NULL,
        ref_id INTEGER,
        payload TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE message_history (
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        pool TEXT NOT NULL,
        message_key TEXT NOT NULL,
        used_at TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (person_id, pool, message_key)
    );
    CREATE TABLE bot_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: every community board keeps its own ranking, kept current by triggers, so showing a
    # board reads a few index entries instead of ranking every member on every request.
    # Boards rank effort points in a window: a week, a month, or 'all' (all time, which
    # period_points now holds too). board_counts says how many members have each score, so a
    # rank is a sum over scores, never a count over members.
    """
    INSERT INTO period_points (person_id, period_key, points)
        SELECT person_id, 'all', total_points FROM streaks
        WHERE period = 'week' AND total_points > 0
        ON CONFLICT (person_id, period_key) DO NOTHING;
    CREATE TABLE board_rows (
        community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
        period_key TEXT NOT NULL,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        points INTEGER NOT NULL,
        name TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (community_id, period_key, person_id)
    ) WITHOUT ROWID;
    CREATE INDEX board_rows_rank ON board_rows (community_id, period_key, points DESC, name,
        person_id);
    CREATE INDEX board_rows_person ON board_rows (person_id, period_key);
    CREATE TABLE board_counts (
        community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
        period_key TEXT NOT NULL,
        points INTEGER NOT NULL,
        members INTEGER NOT NULL,
        PRIMARY KEY (community_id, period_key, points)
    ) WITHOUT ROWID;
    CREATE TRIGGER board_count_in AFTER INSERT ON board_rows BEGIN
        INSERT INTO board_counts (community_id, period_key, points, members)
            VALUES (NEW.community_id, NEW.period_key, NEW.points, 1)
            ON CONFLICT (community_id, period_key, points) DO UPDATE SET members = members + 1;
    END;
    CREATE TRIGGER board_count_out AFTER DELETE ON board_rows BEGIN
        UPDATE board_counts SET members = members - 1 WHERE community_id = OLD.community_id
            AND period_key = OLD.period_key AND points = OLD.points;
        DELETE FROM board_counts WHERE community_id = OLD.community_id
            AND period_key = OLD.period_key AND points = OLD.points AND members <= 0;
    END;
    CREATE TRIGGER board_count_move AFTER UPDATE OF points ON board_rows
    WHEN NEW.points != OLD.points BEGIN
        UPDATE board_counts SET members = members - 1 WHERE community_id = OLD.community_id
            AND period_key = OLD.period_key AND points = OLD.points;
        DELETE FROM board_counts WHERE community_id = OLD.community_id
            AND period_key = OLD.period_key AND points = OLD.points AND members <= 0;
        INSERT INTO board_counts (community_id, period_key, points, members)
            VALUES (NEW.community_id, NEW.period_key, NEW.points, 1)
            ON CONFLICT (community_id, period_key, points) DO UPDATE SET members = members + 1;
    END;
    INSERT INTO board_rows (community_id, period_key, person_id, points, name)
        SELECT m.community_id, pp.period_key, pp.person_id, pp.points, p.display_name
        FROM memberships m
        JOIN period_points pp ON pp.person_id = m.person_id
        JOIN people p ON p.id = m.person_id
        WHERE m.leaderboard = 1;
    CREATE TRIGGER board_points_new AFTER INSERT ON period_points BEGIN
        INSERT INTO board_rows (community_id, period_key, person_id, points, name)
            SELECT m.community_id, NEW.period_key, NEW.person_id, NEW.points, p.display_name
            FROM memberships m JOIN people p ON p.id = m.person_id
            WHERE m.person_id = NEW.person_id AND m.leaderboard = 1
            ON CONFLICT (community_id, period_key, person_id)
            DO UPDATE SET points = excluded.points;
    END;
    CREATE TRIGGER board_points_change AFTER UPDATE OF points ON period_points BEGIN
        UPDATE board_rows SET points = NEW.points
            WHERE person_id = NEW.person_id AND period_key = NEW.period_key;
    END;
    -- A membership starts off the board (leaderboard defaults to 0): joining is an update.
    -- Points and memberships are only deleted with their person or community, and those
    -- deletions reach board_rows through its own foreign keys.
    CREATE TRIGGER board_join AFTER UPDATE OF leaderboard ON memberships
    WHEN NEW.leaderboard = 1 AND OLD.leaderboard = 0 BEGIN
        INSERT INTO board_rows (community_id, period_key, person_id, points, name)
            SELECT NEW.community_id, pp.period_key, pp.person_id, pp.points, p.display_name
            FROM period_points pp JOIN people p ON p.id = pp.person_id
            WHERE pp.person_id = NEW.person_id
            ON CONFLICT (community_id, period_key, person_id)
            DO UPDATE SET points = excluded.points;
    END;
    CREATE TRIGGER board_leave AFTER UPDATE OF leaderboard ON memberships
    WHEN NEW.leaderboard = 0 AND OLD.leaderboard = 1 BEGIN
        DELETE FROM board_rows
            WHERE community_id = NEW.community_id AND person_id = NEW.person_id;
    END;
    CREATE TRIGGER board_rename AFTER UPDATE OF display_name ON people
    WHEN NEW.display_name IS NOT OLD.display_name BEGIN
        UPDATE board_rows SET name = NEW.display_name WHERE person_id = NEW.id;
    END;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)

# Tables that hold rows about one person, with the column naming them: export and forget walk these.
PERSONAL_TABLES: tuple[tuple[str, str], ...] = (
    ("rejections", "person_id"),
    ("reflections", "person_id"),
    ("checkins", "person_id"),
    ("followups", "person_id"),
    ("reminders", "person_id"),
    ("activity", "person_id"),
    ("streaks", "person_id"),
    ("conversations", "person_id"),
    ("memberships", "person_id"),
    ("message_history", "person_id"),
    ("period_points", "person_id"),
    ("board_rows", "person_id"),
    ("milestones", "person_id"),
)


def ts(when: datetime) -> str:
    """A UTC timestamp as stored: sortable text to the second."""
    # Formatting by hand: strftime was a noticeable share of a command's time.
    u = when.astimezone(UTC)
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"


def parse_ts(text: str) -> datetime:
    """The datetime of a stored timestamp."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


class StoreError(Exception):
    """The database could not do what was asked (locked, full, corrupt)."""


@dataclass(frozen=True, slots=True)
class Person:
    """A person as stored, with their own settings."""

    id: int
    platform: str
    user_id: str
    display_name: str
    timezone: str | None
    quiet_start: str
    quiet_end: str
    dm_reminders: bool
    checkin_days: tuple[int, ...] = (2, 7)
    nudges: bool = True
    weekend_followups: bool = False
    dm_failed_count: int = 0
    dm_failed_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """One logged rejection."""

    id: int
    person_id: int
    company: str | None
    role: str | None
    stage: str
    feeling: int | None
    note: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Reflection:
    """One guided reflection and where the person is in it."""

    id: int
    person_id: int
    rejection_id: int | None
    stage: str
    prompt_keys: tuple[str, ...]
    position: int
    status: str
    next_step: str | None
    next_step_due: datetime | None
    next_step_done_at: datetime | None
    started_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer (or skip, when text is None) in a reflection."""

    position: int
    prompt_key: str
    text: str | None


@dataclass(frozen=True, slots=True)
class FollowupPlan:
    """Who a follow-up is to, about what, how it is sent, and which kind of draft it uses."""

    rejection_id: int | None
    contact: str | None
    company: str | None
    role: str | None
    channel: str
    kind: str


@dataclass(frozen=True, slots=True)
class Followup:
    """A note to a recruiter or contact that the person means to send."""

    id: int
    person_id: int
    rejection_id: int | None
    contact: str | None
    company: str | None
    role: str | None
    channel: str
    kind: str
    draft_key: str | None
    status: str
    due_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class StreakRow:
    """A person's streak as stored (settled lazily against the current period)."""

    current: int = 0
    best: int = 0
    reserves: int = 0
    last_period: int | None = None
    period_points: int = 0
    total_points: int = 0


@dataclass(frozen=True, slots=True)
class Conversation:
    """What a person's next DM text answers: a flow, the row it is about, and any held text."""

    flow: str
    ref_id: int | None
    payload: str | None = None


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """A reminder to schedule: whose, what kind, about which row, under which key, when."""

    person_id: int
    kind: str
    ref_id: int | None
    key: str
    due: datetime


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder row."""

    id: int
    person_id: int
    kind: str
    ref_id: int | None
    key: str
    due_at: datetime
    status: str
    attempts: int
    last_error: str | None


@dataclass(frozen=True, slots=True)
class RankedRow:
    """One opted-in member's place on a community board.

    Equal points share a rank (1, 2, 2, 4); after_gap says rows were skipped before this one.
    """

    rank: int
    person_id: int
    display_name: str
    streak: int
    points: int
    after_gap: bool = False


@dataclass(frozen=True, slots=True)
class Board:
    """The rows of a board to show, how many are ranked on it, and the caller's rank if any."""

    rows: list[RankedRow]
    ranked: int
    my_rank: int | None


def _opt_dt(text: str | None) -> datetime | None:
    return parse_ts(text) if text else None


def _person(row: sqlite3.Row) -> Person:
    return Person(
        id=row["id"],
        platform=row["platform"],
        user_id=row["user_id"],
        display_name=row["display_name"],
        timezone=row["timezone"],
        quiet_start=row["quiet_start"],
        quiet_end=row["quiet_end"],
        dm_reminders=bool(row["dm_reminders"]),
        checkin_days=tuple(int(d) for d in row["checkin_days"].split(",") if d),
        nudges=bool(row["nudges"]),
        weekend_followups=bool(row["weekend_followups"]),
        dm_failed_count=row["dm_failed_count"],
        dm_failed_reason=row["dm_failed_reason"],
    )


def _rejection(row: sqlite3.Row) -> Rejection:
    return Rejection(
        id=row["id"],
        person_id=row["person_id"],
        company=row["company"],
        role=row["role"],
        stage=row["stage"],
        feeling=row["feeling"],
        note=row["note"],
        created_at=parse_ts(row["created_at"]),
    )


def _reflection(row: sqlite3.Row) -> Reflection:
    return Reflection(
        id=row["id"],
        person_id=row["person_id"],
        rejection_id=row["rejection_id"],
        stage=row["stage"],
        prompt_keys=tuple(k for k in row["prompt_keys"].split(",") if k),
        position=row["position"],
        status=row["status"],
        next_step=row["next_step"],
        next_step_due=_opt_dt(row["next_step_due"]),
        next_step_done_at=_opt_dt(row["next_step_done_at"]),
        started_at=parse_ts(row["started_at"]),
        finished_at=_opt_dt(row["finished_at"]),
    )


def _followup(row: sqlite3.Row) -> Followup:
    return Followup(
        id=row["id"],
        person_id=row["person_id"],
        rejection_id=row["rejection_id"],
        contact=row["contact"],
        company=row["company"],
        role=row["role"],
        channel=row["channel"],
        kind=row["kind"],
        draft_key=row["draft_key"],
        status=row["status"],
        due_at=parse_ts(row["due_at"]),
        sent_at=_opt_dt(row["sent_at"]),
    )


def _reminder(row: sqlite3.Row) -> Reminder:
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


def _streak(row: sqlite3.Row | None) -> StreakRow:
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


class Tx:
    """The statements of Rebound, run synchronously on the connection's own thread.

    Store runs each of these in one thread hop; Store.transaction runs a whole use case's
    statements in one hop, which is what keeps a command from paying a hop per statement.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _cursor(self, sql: str, params: Sequence[Any]) -> closing[sqlite3.Cursor]:
        # Closed at once, so no half-read statement is left holding the file.
        return closing(self.conn.execute(sql, params))

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return lastrowid."""
        with self._cursor(sql, params) as cur:
            return cur.lastrowid or 0

    def _rowcount(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._cursor(sql, params) as cur:
            return cur.rowcount

    def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        with self._cursor(sql, params) as cur:
            row: sqlite3.Row | None = cur.fetchone()
            return row

    def _get(
        self, mapper: Callable[[sqlite3.Row], R], sql: str, params: Sequence[Any] = ()
    ) -> R | None:
        """One row mapped to its record, or None."""
        row = self._one(sql, params)
        return mapper(row) if row else None

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._cursor(sql, params) as cur:
            return list(cur.fetchall())

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Run the block as one transaction, or as part of the one already open."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            # SQLite ends the transaction itself on some errors (a full disk): only roll back
            # what is still open, so the original error is the one reported.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    # -- people and communities -----------------------------------------------------------

    def ensure_person(self, ref: PersonRef, now: datetime) -> Person:
        """The stored person for ref, created on first sight; keeps the display name fresh."""
        # Read first: nearly every call finds the person unchanged, and a read writes no page.
        row = self._one(
            "SELECT * FROM people WHERE platform = ? AND user_id = ?", (ref.platform, ref.user_id)
        )
        if row is None or row["display_name"] != ref.display_name:
            row = self._one(
                "INSERT INTO people (platform, user_id, display_name, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (platform, user_id)"
                " DO UPDATE SET display_name = excluded.display_name RETURNING *",
                (ref.platform, ref.user_id, ref.display_name, ts(now)),
            )
        assert row is not None
        return _person(row)

    def find_person(self, platform: str, user_id: str) -> Person | None:
        """The stored person, or None."""
        return self._get(
            _person, "SELECT * FROM people WHERE platform = ? AND user_id = ?", (platform, user_id)
        )

    def person_by_id(self, person_id: int) -> Person | None:
        """The stored person with this id, or None."""
        return self._get(_person, "SELECT * FROM people WHERE id = ?", (person_id,))

    def update_person(
        self,
        person_id: int,
        *,
        timezone: str | None = None,
        quiet_start: str | None = None,
        quiet_end: str | None = None,
        dm_reminders: bool | None = None,
        checkin_days: tuple[int, ...] | None = None,
        nudges: bool | None = None,
        weekend_followups: bool | None = None,
    ) -> None:
        """Change the given personal settings; None leaves one as it is."""

        def flag(value: bool | None) -> int | None:
            return None if value is None else int(value)

        self._exec(
            "UPDATE people SET timezone = COALESCE(?, timezone),"
            " quiet_start = COALESCE(?, quiet_start), quiet_end = COALESCE(?, quiet_end),"
            " dm_reminders = COALESCE(?, dm_reminders), checkin_days = COALESCE(?, checkin_days),"
            " nudges = COALESCE(?, nudges), weekend_followups = COALESCE(?, weekend_followups)"
            " WHERE id = ?",
            (
                timezone,
                quiet_start,
                quiet_end,
                flag(dm_reminders),
                None if checkin_days is None else ",".join(map(str, checkin_days)),
                flag(nudges),
                flag(weekend_followups),
                person_id,
            ),
        )

    def note_dm_failure(self, person_id: int, reason: str, *, count: int = 1) -> None:
        """Remember that DMs to the person could not be delivered, to tell them next time."""
        self._exec(
            "UPDATE people SET dm_failed_count = dm_failed_count + ?,"
            " dm_failed_reason = ? WHERE id = ?",
            (count, reason, person_id),
        )

    def clear_dm_failures(self, person_id: int) -> None:
        """Forget failed DMs once the person has been told about them."""
        self._exec(
            "UPDATE people SET dm_failed_count = 0, dm_failed_reason = NULL WHERE id = ?",
            (person_id,),
        )

    def ensure_membership(self, person_id: int, ref: CommunityRef, now: datetime) -> int:
        """Record that the person is in the community; return the community's row id."""
        row = self._one(
            "SELECT id, name FROM communities WHERE platform = ? AND community_id = ?",
            (ref.platform, ref.community_id),
        )
        if row is None or (ref.name and row["name"] != ref.name):
            row = self._one(
                "INSERT INTO communities (platform, community_id, name, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (platform, community_id) DO UPDATE SET"
                " name = CASE WHEN excluded.name != '' THEN excluded.name ELSE communities.name END"
                " RETURNING id",
                (ref.platform, ref.community_id, ref.name, ts(now)),
            )
        assert row is not None
        community_id = int(row["id"])
        self._exec(
            "INSERT INTO memberships (person_id, community_id, joined_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (person_id, community_id, ts(now)),
        )
        return community_id

    def set_leaderboard(self, person_id: int, community_id: int, on: bool) -> None:
        """Opt the person in to (or out of) the community's leaderboard."""
        self._exec(
            "UPDATE memberships SET leaderboard = ? WHERE person_id = ? AND community_id = ?",
            (int(on), person_id, community_id),
        )

    def set_shoutouts(self, person_id: int, community_id: int, on: bool) -> None:
        """Opt the person in to (or out of) milestone shout-outs in the community's channel."""
        self._exec(
            "UPDATE memberships SET shoutouts = ? WHERE person_id = ? AND community_id = ?",
            (int(on), person_id, community_id),
        )

    def shoutouts_on(self, person_id: int, community_id: int) -> bool:
        """True when the person has opted in to milestone shout-outs in the community."""
        row = self._one(
            "SELECT shoutouts FROM memberships WHERE person_id = ? AND community_id = ?",
            (person_id, community_id),
        )
        return bool(row and row["shoutouts"])

    def on_leaderboard(self, person_id: int, community_id: int) -> bool:
        """True when the person has opted in to the community's leaderboard."""
        row = self._one(
            "SELECT leaderboard FROM memberships WHERE person_id = ? AND community_id = ?",
            (person_id, community_id),
        )
        return bool(row and row["leaderboard"])

    # -- rejections -----------------------------------------------------------------------

    def add_rejection(
        self,
        person_id: int,
        community_id: int | None,
        *,
        company: str | None,
        role: str | None,
        stage: str,
        feeling: int | None,
        note: str | None,
        now: datetime,
    ) -> int:
        """Store a rejection; return its id."""
        return self._exec(
            "INSERT INTO rejections (person_id, community_id, company, role, stage, feeling,"
            " note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (person_id, community_id, company, role, stage, feeling, note, ts(now)),
        )

    def rejection(self, rejection_id: int, person_id: int) -> Rejection | None:
        """The person's rejection with this id, or None (also when it is someone else's)."""
        return self._get(
            _rejection,
            "SELECT * FROM rejections WHERE id = ? AND person_id = ?",
            (rejection_id, person_id),
        )

    def latest_rejection(self, person_id: int) -> Rejection | None:
        """The person's most recent rejection, or None."""
        return self._get(
            _rejection,
            "SELECT * FROM rejections WHERE person_id = ? ORDER BY created_at DESC, id DESC"
            " LIMIT 1",
            (person_id,),
        )

    # -- reflections ----------------------------------------------------------------------

    def start_reflection(
        self,
        person_id: int,
        rejection_id: int | None,
        stage: str,
        prompt_keys: Sequence[str],
        now: datetime,
    ) -> int:
        """Begin a reflection; any other unfinished one is stopped. Return the new id."""
        self._exec(
            "UPDATE reflections SET status = 'stopped', updated_at = ?"
            " WHERE person_id = ? AND status = 'active'",
            (ts(now), person_id),
        )
        return self._exec(
            "INSERT INTO reflections (person_id, rejection_id, stage, prompt_keys, started_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (person_id, rejection_id, stage, ",".join(prompt_keys), ts(now), ts(now)),
        )

    def reflection(self, reflection_id: int, person_id: int) -> Reflection | None:
        """The person's reflection with this id, or None."""
        return self._get(
            _reflection,
            "SELECT * FROM reflections WHERE id = ? AND person_id = ?",
            (reflection_id, person_id),
        )

    def open_reflection(self, person_id: int) -> Reflection | None:
        """The person's most recent unfinished reflection, or None."""
        return self._get(
            _reflection,
            "SELECT * FROM reflections WHERE person_id = ? AND status != 'finished'"
            " ORDER BY updated_at DESC, id DESC LIMIT 1",
            (person_id,),
        )

    def record_answer(
        self, reflection_id: int, position: int, prompt_key: str, text: str | None, now: datetime
    ) -> None:
        """Save an answer (None for a skip) and move the reflection to the next prompt."""
        self._exec(
            "INSERT INTO reflection_answers (reflection_id, position, prompt_key, answer,"
            " answered_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (reflection_id, position)"
            " DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at",
            (reflection_id, position, prompt_key, text, ts(now)),
        )
        self._exec(
            "UPDATE reflections SET position = ?, status = 'active', updated_at = ? WHERE id = ?",
            (position + 1, ts(now), reflection_id),
        )

    def set_reflection_status(self, reflection_id: int, status: str, now: datetime) -> None:
        """Mark a reflection active, stopped or finished."""
        self._exec(
            "UPDATE reflections SET status = ?, updated_at = ?,"
            " finished_at = CASE WHEN ? = 'finished' THEN ? ELSE finished_at END WHERE id = ?",
            (status, ts(now), status, ts(now), reflection_id),
        )

    def answers(self, reflection_id: int) -> list[Answer]:
        """The answers of a reflection, in order."""
        rows = self._all(
            "SELECT position, prompt_key, answer FROM reflection_answers"
            " WHERE reflection_id = ? ORDER BY position",
            (reflection_id,),
        )
        return [Answer(r["position"], r["prompt_key"], r["answer"]) for r in rows]

    def set_next_step(
        self, reflection_id: int, text: str | None, due: datetime | None, now: datetime
    ) -> None:
        """Set the next step a reflection ended with, and when it is due."""
        self._exec(
            "UPDATE reflections SET next_step = COALESCE(?, next_step), next_step_due = ?,"
            " updated_at = ? WHERE id = ?",
            (text, ts(due) if due else None, ts(now), reflection_id),
        )

    def mark_next_step_done(self, reflection_id: int, now: datetime) -> bool:
        """Mark the next step done; False when it already was."""
        return (
            self._rowcount(
                "UPDATE reflections SET next_step_done_at = ?, updated_at = ?"
                " WHERE id = ? AND next_step IS NOT NULL AND next_step_done_at IS NULL",
                (ts(now), ts(now), reflection_id),
            )
            > 0
        )

    def recent_reflections(self, person_id: int, limit: int) -> list[Reflection]:
        """The person's most recent reflections that hold at least one answer."""
        rows = self._all(
            "SELECT r.* FROM reflections r WHERE r.person_id = ? AND EXISTS ("
            " SELECT 1 FROM reflection_answers a WHERE a.reflection_id = r.id"
            " AND a.answer IS NOT NULL)"
            " ORDER BY r.started_at DESC, r.id DESC LIMIT ?",
            (person_id, limit),
        )
        return [_reflection(r) for r in rows]

    # -- check-ins, follow-ups, reminders -------------------------------------------------

    def add_checkin(self, person_id: int, mood: int, note: str | None, now: datetime) -> int:
        """Store a check-in; return its id."""
        return self._exec(
            "INSERT INTO checkins (person_id, mood, note, created_at) VALUES (?, ?, ?, ?)",
            (person_id, mood, note, ts(now)),
        )

    def set_checkin_note(self, checkin_id: int, person_id: int, note: str) -> None:
        """Add a note to the person's check-in."""
        self._exec(
            "UPDATE checkins SET note = ? WHERE id = ? AND person_id = ?",
            (note, checkin_id, person_id),
        )

    def add_followup(
        self, person_id: int, plan: FollowupPlan, *, draft_key: str, due: datetime, now: datetime
    ) -> int:
        """Store a follow-up the person means to send; return its id."""
        return self._exec(
            "INSERT INTO followups (person_id, rejection_id, contact, company, role, channel,"
            " kind, draft_key, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                person_id,
                plan.rejection_id,
                plan.contact,
                plan.company,
                plan.role,
                plan.channel,
                plan.kind,
                draft_key,
                ts(due),
                ts(now),
            ),
        )

    def followup(self, followup_id: int, person_id: int) -> Followup | None:
        """The person's follow-up with this id, or None."""
        return self._get(
            _followup,
            "SELECT * FROM followups WHERE id = ? AND person_id = ?",
            (followup_id, person_id),
        )

    def pending_followups(self, person_id: int, limit: int) -> list[Followup]:
        """The person's follow-ups still to send, soonest first."""
        rows = self._all(
            "SELECT * FROM followups WHERE person_id = ? AND status = 'pending'"
            " ORDER BY due_at, id LIMIT ?",
            (person_id, limit),
        )
        return [_followup(r) for r in rows]

    def set_followup(
        self,
        followup_id: int,
        *,
        status: str | None = None,
        due: datetime | None = None,
        now: datetime,
    ) -> bool:
        """Change a pending follow-up's status or due time; False when it was not pending."""
        return (
            self._rowcount(
                "UPDATE followups SET status = COALESCE(?, status), due_at = COALESCE(?, due_at),"
                " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
                " WHERE id = ? AND status = 'pending'",
                (status, ts(due) if due else None, status, ts(now), followup_id),
            )
            > 0
        )

    def schedule_reminder(
        self,
        person_id: int,
        *,
        kind: str,
        ref_id: int | None,
        key: str,
        due: datetime,
        now: datetime,
    ) -> int:
        """Schedule a reminder under an idempotency key.

        The same key never makes a second row. Scheduling it again for the same time is a no-op,
        even once it was sent; a new time replaces the old one and makes it pending again.
        """
        with self.atomic():
            row = self._one(
                "INSERT INTO reminders (person_id, kind, ref_id, idem_key, due_at, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (idem_key) DO UPDATE SET due_at = excluded.due_at,"
                " status = 'pending', lease_until = NULL, attempts = 0, last_error = NULL,"
                " updated_at = excluded.updated_at WHERE reminders.due_at != excluded.due_at"
                " RETURNING id",
                (person_id, kind, ref_id, key, ts(due), ts(now), ts(now)),
            )
            if row is None:
                row = self._one("SELECT id FROM reminders WHERE idem_key = ?", (key,))
        assert row is not None
        return int(row["id"])

    def schedule_many(self, rows: Sequence[ReminderPlan], now: datetime) -> None:
        """Schedule many reminders in one statement (one thread hop), each under its own key."""
        stamp = ts(now)
        self.conn.executemany(
            "INSERT INTO reminders (person_id, kind, ref_id, idem_key, due_at, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (idem_key) DO UPDATE SET due_at = excluded.due_at,"
            " status = 'pending', lease_until = NULL, attempts = 0, last_error = NULL,"
            " updated_at = excluded.updated_at WHERE reminders.due_at != excluded.due_at",
            [(r.person_id, r.kind, r.ref_id, r.key, ts(r.due), stamp, stamp) for r in rows],
        )

    def close_reminder(self, key: str, status: str, now: datetime) -> None:
        """End a pending reminder (done, skipped, cancelled) so it is never sent."""
        self._exec(
            "UPDATE reminders SET status = ?, updated_at = ? WHERE idem_key = ?"
            " AND status IN ('pending', 'sending')",
            (status, ts(now), key),
        )

    def reminders_for(self, person_id: int, statuses: Iterable[str]) -> list[Reminder]:
        """The person's reminders in the given states, soonest first."""
        wanted = list(statuses)
        marks = ",".join("?" for _ in wanted)
        rows = self._all(
            f"SELECT * FROM reminders WHERE person_id = ? AND status IN ({marks})"
            " ORDER BY due_at, id",
            (person_id, *wanted),
        )
        return [_reminder(r) for r in rows]

    def reminder(self, reminder_id: int, person_id: int) -> Reminder | None:
        """The person's reminder with this id, or None."""
        return self._get(
            _reminder,
            "SELECT * FROM reminders WHERE id = ? AND person_id = ?",
            (reminder_id, person_id),
        )

    def reminder_by_key(self, key: str) -> Reminder | None:
        """The reminder with this idempotency key, or None."""
        return self._get(_reminder, "SELECT * FROM reminders WHERE idem_key = ?", (key,))

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Reminder]:
        """Claim up to limit due reminders, and any whose lease ran out, for sending."""
        with self.atomic():
            rows = self._all(
                "UPDATE reminders SET status = 'sending', lease_until = ?, updated_at = ?"
                " WHERE id IN (SELECT id FROM reminders"
                " WHERE (status = 'pending' AND due_at <= ?)"
                " OR (status = 'sending' AND lease_until <= ?)"
                " ORDER BY due_at, id LIMIT ?) RETURNING *",
                (ts(lease_until), ts(now), ts(now), ts(now), limit),
            )
        claimed = [_reminder(r) for r in rows]
        claimed.sort(key=lambda r: (r.due_at, r.id))
        return claimed

    def finish_reminder(
        self, reminder_id: int, status: str, now: datetime, error: str | None = None
    ) -> None:
        """Record how a claimed reminder ended: sent, undeliverable, failed, cancelled, muted."""
        self._exec(
            "UPDATE reminders SET status = ?, lease_until = NULL, last_error = ?, updated_at = ?,"
            " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
            " WHERE id = ? AND status = 'sending'",
            (status, error, ts(now), status, ts(now), reminder_id),
        )

    def retry_reminder(
        self, reminder_id: int, due: datetime, now: datetime, *, error: str | None, failed: bool
    ) -> None:
        """Put a claimed reminder back to pending at due; failed counts it as an attempt."""
        self._exec(
            "UPDATE reminders SET status = 'pending', lease_until = NULL, due_at = ?,"
            " attempts = attempts + ?, last_error = COALESCE(?, last_error), updated_at = ?"
            " WHERE id = ? AND status = 'sending'",
            (ts(due), int(failed), error, ts(now), reminder_id),
        )

    def mark_reminder(self, reminder_id: int, status: str, now: datetime) -> None:
        """Record what the person did with a reminder already sent (skipped, cancelled, done)."""
        self._exec(
            "UPDATE reminders SET status = ?, lease_until = NULL, updated_at = ? WHERE id = ?",
            (status, ts(now), reminder_id),
        )

    def next_due(self) -> datetime | None:
        """When the soonest pending reminder is due, or None."""
        row = self._one("SELECT MIN(due_at) AS due FROM reminders WHERE status = 'pending'")
        return parse_ts(row["due"]) if row and row["due"] else None

    def release_claims(self, now: datetime) -> int:
        """Return every claimed reminder to pending (at start-up, nothing is mid-send)."""
        return self._rowcount(
            "UPDATE reminders SET status = 'pending', lease_until = NULL, updated_at = ?"
            " WHERE status = 'sending'",
            (ts(now),),
        )

    def cancel_reminders(self, person_id: int, kind: str, now: datetime) -> int:
        """Cancel the person's pending reminders of one kind."""
        return self._rowcount(
            "UPDATE reminders SET status = 'cancelled', lease_until = NULL, updated_at = ?"
            " WHERE person_id = ? AND kind = ? AND status = 'pending'",
            (ts(now), person_id, kind),
        )

    def reminder_report(self, statuses: Iterable[str], limit: int) -> list[sqlite3.Row]:
        """Reminders in the given states with their person, for the operator's CLI."""
        wanted = list(statuses)
        marks = ",".join("?" for _ in wanted)
        return self._all(
            "SELECT r.id, r.kind, r.due_at, r.status, r.attempts, r.last_error,"
            " p.platform, p.user_id, p.display_name FROM reminders r"
            f" JOIN people p ON p.id = r.person_id WHERE r.status IN ({marks})"
            " ORDER BY r.status, r.due_at, r.id LIMIT ?",
            (*wanted, limit),
        )

    def reminder_counts(self, statuses: Iterable[str]) -> dict[str, int]:
        """How many reminders are in each of the given states (all of them, not a page)."""
        wanted = list(statuses)
        marks = ",".join("?" for _ in wanted)
        rows = self._all(
            f"SELECT status, COUNT(*) AS n FROM reminders WHERE status IN ({marks})"
            " GROUP BY status",
            wanted,
        )
        found = {row["status"]: int(row["n"]) for row in rows}
        return {status: found.get(status, 0) for status in wanted}

    def people_by_id(self, ids: Iterable[int]) -> dict[int, Person]:
        """The people with these ids."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        marks = ",".join("?" for _ in wanted)
        rows = self._all(f"SELECT * FROM people WHERE id IN ({marks})", wanted)
        return {row["id"]: _person(row) for row in rows}

    def reflection_started_for(self, rejection_id: int) -> bool:
        """True when a reflection about this rejection was ever started."""
        row = self._one("SELECT 1 FROM reflections WHERE rejection_id = ? LIMIT 1", (rejection_id,))
        return row is not None

    # -- effort and streaks ---------------------------------------------------------------

    def add_activity(self, person_id: int, kind: str, points: int, now: datetime) -> None:
        """Record one resilience action."""
        self._exec(
            "INSERT INTO activity (person_id, kind, points, occurred_at) VALUES (?, ?, ?, ?)",
            (person_id, kind, points, ts(now)),
        )

    def streak(self, person_id: int, period: str = "week") -> StreakRow:
        """The person's stored streak (all zero before their first action)."""
        row = self._one(
            "SELECT * FROM streaks WHERE person_id = ? AND period = ?", (person_id, period)
        )
        return _streak(row)

    def save_streak(
        self, person_id: int, streak: StreakRow, now: datetime, period: str = "week"
    ) -> None:
        """Store the person's streak for a period kind (week or day)."""
        self._exec(
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

    def timezones_in_use(self) -> list[str | None]:
        """The timezones of people with a streak under way (None: the default timezone)."""
        rows = self._all(
            "SELECT DISTINCT p.timezone FROM streaks s JOIN people p ON p.id = s.person_id"
            " WHERE s.last_period IS NOT NULL"
        )
        return [r["timezone"] for r in rows]

    def stale_streaks(
        self, timezone: str | None, before: int, period: str = "week"
    ) -> list[tuple[int, StreakRow]]:
        """Streaks of people in timezone whose last kept period is before `before`."""
        rows = self._all(
            "SELECT s.* FROM streaks s JOIN people p ON p.id = s.person_id"
            " WHERE p.timezone IS ? AND s.period = ? AND s.last_period < ?",
            (timezone, period, before),
        )
        return [(r["person_id"], _streak(r)) for r in rows]

    def add_period_points(self, person_id: int, keys: Sequence[str], points: int) -> None:
        """Add points to the person's totals for the given weeks and months."""
        for key in keys:
            self._exec(
                "INSERT INTO period_points (person_id, period_key, points) VALUES (?, ?, ?)"
                " ON CONFLICT (person_id, period_key) DO UPDATE SET points = points + ?",
                (person_id, key, points, points),
            )

    def activity_since(self, person_id: int, since: datetime) -> list[tuple[datetime, int]]:
        """The person's actions since a time: when, and how many points."""
        rows = self._all(
            "SELECT occurred_at, points FROM activity WHERE person_id = ? AND occurred_at >= ?"
            " ORDER BY occurred_at",
            (person_id, ts(since)),
        )
        return [(parse_ts(r["occurred_at"]), r["points"]) for r in rows]

    def record_milestone(self, person_id: int, weeks: int, now: datetime) -> None:
        """Remember that the person reached a streak milestone."""
        self._exec(
            "INSERT INTO milestones (person_id, weeks, reached_at) VALUES (?, ?, ?)",
            (person_id, weeks, ts(now)),
        )

    def board(
        self,
        community_id: int,
        *,
        window_key: str,
        period: str,
        index: int,
        me: int | None,
        top: int,
        around: int,
    ) -> Board:
        """The top of a community's board for a window, plus the rows around `me`.

        Every read walks an index from a known place (board_rows_rank) and every rank is a
        sum over distinct scores (board_counts), so the cost does not grow with the number of
        members or with history. Ties are listed by name, then id.
        """
        key = (community_id, window_key)
        select = "SELECT person_id, name, points FROM board_rows"
        where = " WHERE community_id = ? AND period_key = ?"
        listed = [
            tuple(r)
            for r in self._all(
                select + where + " ORDER BY points DESC, name, person_id LIMIT ?", (*key, top)
            )
        ]
        gap_at: int | None = None
        mine = self._one(select + where + " AND person_id = ?", (*key, me)) if me else None
        if mine is not None and around > 0:
            points, name = mine["points"], mine["name"]
            # One more row than is shown before the caller: it tells whether a gap precedes.
            before = self._all(
                select + where + " AND points = ? AND (name, person_id) < (?, ?)"
                " ORDER BY name DESC, person_id DESC LIMIT ?",
                (*key, points, name, me, around + 1),
            )
            if len(before) <= around:
                before += self._all(
                    select + where + " AND points > ?"
                    " ORDER BY points, name DESC, person_id DESC LIMIT ?",
                    (*key, points, around + 1 - len(before)),
                )
            after = self._all(
                select + where + " AND points = ? AND (name, person_id) > (?, ?)"
                " ORDER BY name, person_id LIMIT ?",
                (*key, points, name, me, around),
            )
            if len(after) < around:
                after += self._all(
                    select + where + " AND points < ?"
                    " ORDER BY points DESC, name, person_id LIMIT ?",
                    (*key, points, around - len(after)),
                )
            window = [tuple(r) for r in reversed(before[:around])] + [tuple(mine)]
            window += [tuple(r) for r in after]
            shown = {row[0] for row in listed}
            fresh = [row for row in window if row[0] not in shown]
            if fresh:
                first = window.index(fresh[0])
                if first > 0:
                    previous = window[first - 1][0]
                else:
                    previous = before[around]["person_id"] if len(before) > around else None
                if not listed or previous != listed[-1][0]:
                    gap_at = len(listed)
                listed += fresh
        ranks = {
            points: 1 + self._sum_members(key, points) for points in {row[2] for row in listed}
        }
        streaks = {
            r["person_id"]: r["streak"]
            for r in self._all(
                "SELECT person_id, CASE WHEN last_period >= ? - 1 - reserves THEN current"
                " ELSE 0 END AS streak FROM streaks WHERE period = ?"
                " AND person_id IN (SELECT value FROM json_each(?))",
                (index, period, json.dumps([row[0] for row in listed])),
            )
        }
        rows = [
            RankedRow(
                rank=ranks[points],
                person_id=person_id,
                display_name=name,
                streak=streaks.get(person_id, 0),
                points=points,
                after_gap=n == gap_at,
            )
            for n, (person_id, name, points) in enumerate(listed)
        ]
        return Board(
            rows=rows,
            ranked=self._sum_members(key, None),
            my_rank=ranks[mine["points"]] if mine is not None else None,
        )

    def _sum_members(self, key: tuple[int, str], above: int | None) -> int:
        """How many members of a board have more than `above` points (all of them for None)."""
        sql = (
            "SELECT COALESCE(SUM(members), 0) AS n FROM board_counts"
            " WHERE community_id = ? AND period_key = ?"
        )
        if above is None:
            row = self._one(sql, key)
        else:
            row = self._one(sql + " AND points > ?", (*key, above))
        return int(row["n"]) if row else 0

    # -- conversation state and message variety -------------------------------------------

    def conversation(self, person_id: int) -> Conversation | None:
        """What the person's next DM text answers, or None."""
        row = self._one(
            "SELECT flow, ref_id, payload FROM conversations WHERE person_id = ?", (person_id,)
        )
        return Conversation(row["flow"], row["ref_id"], row["payload"]) if row else None

    def set_conversation(
        self,
        person_id: int,
        flow: str | None,
        ref_id: int | None,
        now: datetime,
        payload: str | None = None,
    ) -> None:
        """Set (or with flow None, clear) what the person's next DM text answers."""
        if flow is None:
            self._exec("DELETE FROM conversations WHERE person_id = ?", (person_id,))
            return
        self._exec(
            "INSERT INTO conversations (person_id, flow, ref_id, payload, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET flow = excluded.flow,"
            " ref_id = excluded.ref_id, payload = excluded.payload,"
            " updated_at = excluded.updated_at",
            (person_id, flow, ref_id, payload, ts(now)),
        )

    def used_messages(self, person_id: int, pool: str) -> list[str]:
        """Keys the person has seen from a pool since it last ran out, most recent first."""
        rows = self._all(
            "SELECT message_key FROM message_history WHERE person_id = ? AND pool = ?"
            " ORDER BY seq DESC",
            (person_id, pool),
        )
        return [r["message_key"] for r in rows]

    def use_message(
        self, person_id: int, pool: str, key: str, now: datetime, *, restart: bool
    ) -> None:
        """Remember that the person saw key; restart forgets the pool's earlier keys first."""
        if restart:
            self._exec(
                "DELETE FROM message_history WHERE person_id = ? AND pool = ?", (person_id, pool)
            )
        self._exec(
            "INSERT INTO message_history (person_id, pool, message_key, used_at, seq)"
            " VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM message_history"
            " WHERE person_id = ? AND pool = ?))"
            " ON CONFLICT DO UPDATE SET used_at = excluded.used_at, seq = excluded.seq",
            (person_id, pool, key, ts(now), person_id, pool),
        )

    def count_checkins(self, person_id: int, mood: int, since: datetime) -> int:
        """How many check-ins with this mood the person logged since a time."""
        row = self._one(
            "SELECT COUNT(*) AS n FROM checkins WHERE person_id = ? AND mood = ?"
            " AND created_at >= ?",
            (person_id, mood, ts(since)),
        )
        return int(row["n"]) if row else 0

    def community_setting(self, community_id: int, key: str) -> str | None:
        """One setting of a community, or None when it has not been set."""
        row = self._one(
            "SELECT value FROM community_settings WHERE community_id = ? AND key = ?",
            (community_id, key),
        )
        return row["value"] if row else None

    def clear_community_setting(self, community_id: int, key: str) -> None:
        """Remove a community setting, so its default applies again."""
        self._exec(
            "DELETE FROM community_settings WHERE community_id = ? AND key = ?",
            (community_id, key),
        )

    def set_community_setting(
        self, community_id: int, key: str, value: str, by: int, now: datetime
    ) -> None:
        """Set one setting of a community, remembering who changed it and when."""
        self._exec(
            "INSERT INTO community_settings (community_id, key, value, updated_by, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (community_id, key) DO UPDATE SET"
            " value = excluded.value, updated_by = excluded.updated_by,"
            " updated_at = excluded.updated_at",
            (community_id, key, value, by, ts(now)),
        )

    def community_timezone_for(self, person_id: int) -> str | None:
        """The timezone of the person's most recently joined community that set one."""
        row = self._one(
            "SELECT s.value FROM memberships m JOIN community_settings s"
            " ON s.community_id = m.community_id AND s.key = 'timezone'"
            " WHERE m.person_id = ? ORDER BY m.joined_at DESC, m.community_id DESC LIMIT 1",
            (person_id,),
        )
        return row["value"] if row else None

    def community_ref(self, community_id: int) -> CommunityRef | None:
        """The platform identity of a stored community."""
        row = self._one("SELECT * FROM communities WHERE id = ?", (community_id,))
        return CommunityRef(row["platform"], row["community_id"], row["name"]) if row else None

    def community_settings(self, community_id: int) -> dict[str, str]:
        """Every setting a community's admins have made."""
        rows = self._all(
            "SELECT key, value FROM community_settings WHERE community_id = ?", (community_id,)
        )
        return {r["key"]: r["value"] for r in rows}

    def log_admin_change(
        self,
        community_id: int,
        person_id: int,
        key: str,
        old: str | None,
        new: str | None,
        now: datetime,
    ) -> None:
        """Record who changed which community setting, from what to what, and when."""
        self._exec(
            "INSERT INTO admin_log (community_id, person_id, key, old_value, new_value,"
            " changed_at) VALUES (?, ?, ?, ?, ?, ?)",
            (community_id, person_id, key, old, new, ts(now)),
        )

    def admin_log(self, community_id: int, limit: int = 50) -> list[sqlite3.Row]:
        """The most recent setting changes in a community, newest first."""
        return self._all(
            "SELECT a.*, p.display_name FROM admin_log a LEFT JOIN people p ON p.id = a.person_id"
            " WHERE a.community_id = ? ORDER BY a.changed_at DESC, a.id DESC LIMIT ?",
            (community_id, limit),
        )

    def digest_communities(self) -> list[tuple[int, dict[str, str]]]:
        """Communities that chose a digest channel, with all their settings."""
        rows = self._all(
            "SELECT s.community_id, s.key, s.value FROM community_settings s WHERE"
            " s.community_id IN (SELECT community_id FROM community_settings"
            " WHERE key = 'digest_channel')"
        )
        found: dict[int, dict[str, str]] = {}
        for row in rows:
            found.setdefault(row["community_id"], {})[row["key"]] = row["value"]
        return sorted(found.items())

    def claim_digest(
        self, community_id: int, week_key: str, now: datetime, lease_until: datetime
    ) -> bool:
        """Claim this week's digest for posting; False when it was posted or is being posted."""
        with self.atomic():
            row = self._one(
                "SELECT status, lease_until FROM digests WHERE community_id = ? AND week_key = ?",
                (community_id, week_key),
            )
            if row is not None and (
                row["status"] in ("posted", "undeliverable")
                or (row["status"] == "posting" and row["lease_until"] > ts(now))
            ):
                return False
            self._exec(
                "INSERT INTO digests (community_id, week_key, status, lease_until)"
                " VALUES (?, ?, 'posting', ?) ON CONFLICT (community_id, week_key)"
                " DO UPDATE SET status = 'posting', lease_until = excluded.lease_until",
                (community_id, week_key, ts(lease_until)),
            )
        return True

    def finish_digest(
        self, community_id: int, week_key: str, status: str, now: datetime, error: str | None = None
    ) -> None:
        """Record how a claimed digest ended: posted, failed (retried next hour), undeliverable."""
        self._exec(
            "UPDATE digests SET status = ?, lease_until = NULL, last_error = ?,"
            " posted_at = CASE WHEN ? = 'posted' THEN ? ELSE posted_at END"
            " WHERE community_id = ? AND week_key = ?",
            (status, error, status, ts(now), community_id, week_key),
        )

    def community_totals(
        self, community_id: int, since: datetime, until: datetime
    ) -> dict[str, int]:
        """Effort of all members in a window, as totals only: nobody is named."""
        rows = self._all(
            "SELECT a.kind, COUNT(*) AS n FROM activity a"
            " JOIN memberships m ON m.person_id = a.person_id AND m.community_id = ?"
            " WHERE a.occurred_at >= ? AND a.occurred_at < ? GROUP BY a.kind",
            (community_id, ts(since), ts(until)),
        )
        return {r["kind"]: r["n"] for r in rows}

    def people_on_streak(self, community_id: int, index: int) -> int:
        """How many members have a weekly streak alive in week `index`."""
        row = self._one(
            "SELECT COUNT(*) AS n FROM streaks s"
            " JOIN memberships m ON m.person_id = s.person_id AND m.community_id = ?"
            " WHERE s.period = 'week' AND s.current > 0 AND s.last_period >= ? - 1 - s.reserves",
            (community_id, index),
        )
        return int(row["n"]) if row else 0

    def shoutout_milestones(
        self, community_id: int, since: datetime, until: datetime
    ) -> list[tuple[str, int]]:
        """Milestones reached in a window by members who opted in to shout-outs."""
        rows = self._all(
            "SELECT p.display_name, MAX(ms.weeks) AS weeks FROM milestones ms"
            " JOIN memberships m ON m.person_id = ms.person_id AND m.community_id = ?"
            " JOIN people p ON p.id = ms.person_id"
            " WHERE m.shoutouts = 1 AND ms.reached_at >= ? AND ms.reached_at < ?"
            " GROUP BY p.id ORDER BY weeks DESC, p.display_name COLLATE NOCASE, p.id",
            (community_id, ts(since), ts(until)),
        )
        return [(r["display_name"], r["weeks"]) for r in rows]

    def integrity(self) -> str:
        """SQLite's own integrity check: 'ok' when the file is sound."""
        row = self._one("PRAGMA integrity_check")
        return str(row[0]) if row else "no answer"

    # -- bot state ------------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        """A value the bot keeps for itself (command hash, terminal clock offset)."""
        row = self._one("SELECT value FROM bot_state WHERE key = ?", (key,))
        return row["value"] if row else None

    def bump_state(self, key: str) -> None:
        """Add one to a counter the bot keeps for itself."""
        self._exec(
            "INSERT INTO bot_state (key, value) VALUES (?, '1') ON CONFLICT (key)"
            " DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (key,),
        )

    def set_state(self, key: str, value: str) -> None:
        """Keep a value for the bot itself."""
        self._exec(
            "INSERT INTO bot_state (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- export and forget ----------------------------------------------------------------

    def export_person(self, person_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row Rebound holds about the person, table by table."""
        out: dict[str, list[dict[str, Any]]] = {}
        people = self._all("SELECT * FROM people WHERE id = ?", (person_id,))
        out["people"] = [dict(r) for r in people]
        for table, column in PERSONAL_TABLES:
            rows = self._all(
                f"SELECT * FROM {table} WHERE {column} = ?",
                (person_id,),
            )
            out[table] = [dict(r) for r in rows]
        answers = self._all(
            "SELECT a.* FROM reflection_answers a JOIN reflections r ON r.id = a.reflection_id"
            " WHERE r.person_id = ? ORDER BY a.reflection_id, a.position",
            (person_id,),
        )
        out["reflection_answers"] = [dict(r) for r in answers]
        settings_rows = self._all(
            "SELECT community_id, key, updated_at FROM community_settings WHERE updated_by = ?",
            (person_id,),
        )
        out["community_settings_changed"] = [dict(r) for r in settings_rows]
        changes = self._all("SELECT * FROM admin_log WHERE person_id = ?", (person_id,))
        out["admin_changes"] = [dict(r) for r in changes]
        return out

    def forget_person(self, person_id: int) -> None:
        """Erase the person and, through the foreign keys, every row about them."""
        with self.atomic():
            self._exec(
                "UPDATE community_settings SET updated_by = NULL WHERE updated_by = ?",
                (person_id,),
            )
            self._exec("DELETE FROM people WHERE id = ?", (person_id,))

    def count_rows(self, table: str, column: str, value: object) -> int:
        """How many rows of one of our tables have column = value (for checks and tests)."""
        known = dict(PERSONAL_TABLES) | {"people": "id", "reflection_answers": "reflection_id"}
        if known.get(table) != column:
            raise ValueError(f"not a personal table and column: {table}.{column}")
        row = self._one(
            f"SELECT COUNT(*) AS n FROM {table} WHERE {column} = ?",
            (value,),
        )
        return int(row["n"]) if row else 0


def _statements(script: str) -> Iterator[str]:
    """The statements of a script in order (a trigger's body stays whole)."""
    start = 0
    for end, char in enumerate(script):
        if char == ";" and sqlite3.complete_statement(script[start : end + 1]):
            yield script[start : end + 1]
            start = end + 1
    if script[start:].strip():
        yield script[start:]


def _migrate_step(tx: Tx, version: int) -> None:
    """Apply migration `version` (0-based) in one transaction, unless another process has."""
    conn = tx.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the write lock: a process that started at the same moment may have
        # migrated while this one waited, and creating every table twice would fail.
        row = tx._one("PRAGMA user_version")
        if row is not None and row[0] > version:
            conn.execute("ROLLBACK")
            return
        for statement in _statements(MIGRATIONS[version]):
            tx._exec(statement)
        tx._exec(f"PRAGMA user_version = {version + 1}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class _Unit:
    """One caller's transaction waiting to be written, and what came of it."""

    __slots__ = ("error", "fn", "future", "result")

    def __init__(self, fn: Callable[[Tx], Any]) -> None:
        self.fn = fn
        self.future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.result: Any = None
        self.error: BaseException | None = None


def _write_group(tx: Tx, units: Sequence[_Unit]) -> None:
    """Write several callers' transactions under one COMMIT, each in its own savepoint.

    A unit that fails is rolled back alone and its caller gets the error; the others are
    written. Runs on the connection's thread: the group costs one hop and one commit.
    """
    conn = tx.conn
    written: list[_Unit] = []

    def fail(units: Sequence[_Unit], error: BaseException) -> None:
        for unit in units:
            unit.result, unit.error = None, error

    try:
        for unit in units:
            if not conn.in_transaction:
                conn.execute("BEGIN IMMEDIATE")
            conn.execute("SAVEPOINT unit")
            try:
                unit.result = unit.fn(tx)
            except BaseException as error:
                unit.error = error
                if conn.in_transaction:
                    conn.execute("ROLLBACK TO unit")
                    conn.execute("RELEASE unit")
                else:
                    # SQLite rolled the whole transaction back itself (a full disk): the units
                    # written before this one in it are gone too, and their callers must know.
                    fail(written, error)
                    written.clear()
                continue
            conn.execute("RELEASE unit")
            written.append(unit)
        if conn.in_transaction:
            conn.execute("COMMIT")
    except BaseException as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        fail([u for u in units if u.error is None], error)


def _log_emptied(rows: Iterable[Sequence[Any]]) -> bool:
    """Whether a wal_checkpoint(TRUNCATE) answer says the log is empty now (not busy)."""
    return all(row[0] == 0 for row in rows)


def _hop(
    method: Callable[Concatenate[Tx, P], R],
) -> Callable[Concatenate[Store, P], Coroutine[Any, Any, R]]:
    """The awaitable form of a Tx method: the same statements, run in one thread hop."""

    @functools.wraps(method)
    async def call(self: Store, *args: P.args, **kwargs: P.kwargs) -> R:
        return await self.run(method, *args, **kwargs)

    return call


class Store:
    """The one place that talks to SQLite.

    One connection serves the process. An asyncio lock keeps one task's transaction from
    interleaving with another task's statements; a context variable lets the task that holds
    the lock run further statements inside its own transaction.
    """

    def __init__(self, path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = str(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._db: aiosqlite.Connection | None = None
        self._tx: Tx | None = None
        self._waiting: list[_Unit] = []
        self._writer: asyncio.Task[None] | None = None
        self._checkpointer: aiosqlite.Connection | None = None
        self._checkpoint_task: asyncio.Task[None] | None = None
        self._erase_in_log = False
        self._hops = 0
        self._lock = asyncio.Lock()
        self._in_tx: contextvars.ContextVar[bool] = contextvars.ContextVar(
            f"rebound_tx_{id(self)}", default=False
        )

    async def open(self, *, migrate: bool = True) -> None:
        """Open the file, set the pragmas and (unless told not to) migrate to the current schema."""
        try:
            await self._open(migrate)
        except BaseException:
            # A failed start must not leave a connection's thread behind: the process would
            # print its error and then never exit.
            await self.close()
            raise

    async def _open(self, migrate: bool) -> None:
        if self.path != ":memory:":
            try:
                await asyncio.to_thread(owner_only.prepare_database, Path(self.path))
            except OSError as error:
                raise StoreError(f"cannot open {self.path}: {error.strerror}") from error
        self._db = await aiosqlite.connect(self.path, isolation_level=None)
        self._db.row_factory = aiosqlite.Row
        self._tx = Tx(self._db._conn)
        await self._db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        await self._use_wal()
        await self._db.execute("PRAGMA synchronous = NORMAL")
        await self._db.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten with zeros, so an erase leaves no words in free pages.
        await self._db.execute("PRAGMA secure_delete = ON")
        if self.path != ":memory:":
            await self._db.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
            # A process killed after an erase but before its checkpoint left the erased words
            # in the log: empty it before anything else happens.
            await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._checkpointer = await aiosqlite.connect(self.path, isolation_level=None)
            await self._checkpointer.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            await self._checkpointer.execute("PRAGMA secure_delete = ON")
        if migrate:
            await self.migrate()

    async def _use_wal(self) -> None:
        """Switch the file to WAL, waiting (up to the busy timeout) for a writer elsewhere."""
        # Leaving rollback-journal mode needs the file to itself, and SQLite answers "locked"
        # at once instead of calling the busy handler (waiting there could deadlock). Waiting
        # for the write lock the usual way (BEGIN IMMEDIATE) and trying again avoids that.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.busy_timeout_ms / 1000
        while True:
            try:
                await self.db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
                if code != sqlite3.SQLITE_BUSY or loop.time() >= deadline:
                    raise
            await self.db.execute("BEGIN IMMEDIATE")
            await self.db.execute("ROLLBACK")

    async def close(self) -> None:
        """Close the connections (the last one to close folds the log into the file)."""
        if self._writer is not None:
            # Transactions already handed over are written (or refused) before closing.
            await asyncio.gather(self._writer, return_exceptions=True)
        if self._checkpoint_task is not None:
            await asyncio.gather(self._checkpoint_task, return_exceptions=True)
        if self._checkpointer is not None:
            await self._checkpointer.close()
            self._checkpointer = None
        if self._db is not None:
            self._tx = None
            await self._db.close()
            self._db = None

    async def __aenter__(self) -> Store:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def db(self) -> aiosqlite.Connection:
        """The open connection."""
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    async def schema_version(self) -> int:
        """The schema version of the open file."""
        async with self.db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self, target: int = SCHEMA_VERSION) -> int:
        """Apply every migration the file has not seen, each in its own transaction."""
        current = await self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this Rebound "
                f"({SCHEMA_VERSION}); upgrade Rebound before using this database"
            )
        for version in range(current, target):
            logger.info("migrating %s to schema version %s", self.path, version + 1)
            await self._call(_migrate_step, version)
        return max(await self.schema_version(), target)

    # -- transactions ---------------------------------------------------------------------

    @asynccontextmanager
    async def atomic(self) -> AsyncIterator[None]:
        """Run the block as one transaction: all of it is written, or none of it."""
        if self._in_tx.get():
            yield
            return
        async with self._lock:
            token = self._in_tx.set(True)
            try:
                await self.db.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    # SQLite ends the transaction itself on some errors (a full disk): only
                    # roll back what is still open, so the original error is the one reported.
                    if self.db.in_transaction:
                        await self.db.execute("ROLLBACK")
                    raise
                try:
                    await self.db.execute("COMMIT")
                except BaseException:
                    if self.db.in_transaction:
                        await self.db.execute("ROLLBACK")
                    raise
            finally:
                self._in_tx.reset(token)

    async def _call(
        self, fn: Callable[Concatenate[Tx, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        tx = self._tx
        if tx is None:
            raise RuntimeError("the store is not open")
        # aiosqlite has no public way to run a function on its thread; _execute is the one
        # it uses for every call of its own (pinned range in pyproject.toml, tested by every
        # store test). One hop here replaces two or three per statement.
        result: R = await self.db._execute(fn, tx, *args, **kwargs)
        self._hops += 1
        if self._hops >= CHECKPOINT_EVERY_HOPS and self._checkpoint_task is None:
            self._hops = 0
            self._checkpoint_task = asyncio.get_running_loop().create_task(self._checkpoint())
        return result

    async def _checkpoint(self) -> None:
        """Fold the log into the file without waiting for, or holding up, anyone (PASSIVE)."""
        # After an erase whose log could not be emptied, each checkpoint tries again to.
        mode = "TRUNCATE" if self._erase_in_log else "PASSIVE"
        try:
            if self._checkpointer is not None:
                rows = await self._checkpointer.execute_fetchall(f"PRAGMA wal_checkpoint({mode})")
                if mode == "TRUNCATE" and _log_emptied(rows):
                    self._erase_in_log = False
        except sqlite3.Error as error:
            # Nothing is lost: the log keeps every page, and the next checkpoint tries again.
            logger.warning("background checkpoint failed: %s", error)
        finally:
            self._checkpoint_task = None

    async def forget_person(self, person_id: int) -> None:
        """Erase the person and every row about them, then empty the log of their words.

        The erase overwrites their rows with zeros (secure_delete), but the log still holds
        the pages as they were before it until a checkpoint copies the erased pages into the
        file and truncates the log.
        """
        if self._in_tx.get():
            # Inside a caller's transaction the erase is not written yet, so nothing could be
            # emptied here; an erase is a use case of its own.
            raise RuntimeError("forget_person commits on its own: call it outside atomic()")
        async with self._lock:
            await self._call(Tx.forget_person, person_id)
            if self._checkpoint_task is not None:
                # A checkpoint under way would make this one give up at once.
                await asyncio.gather(self._checkpoint_task, return_exceptions=True)
            rows = await self.db.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
        if not _log_emptied(rows):
            # Another process is reading an older snapshot; the background checkpoints and the
            # next start-up try again, and the words are already gone from the tables.
            self._erase_in_log = True
            logger.warning("an erase is still in the write-ahead log; it is emptied later")

    async def run(
        self, fn: Callable[Concatenate[Tx, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run fn(tx, ...) on the connection's thread in one hop, inside this task's transaction."""
        if self._in_tx.get():
            return await self._call(fn, *args, **kwargs)
        async with self._lock:
            return await self._call(fn, *args, **kwargs)

    async def transaction(
        self, fn: Callable[Concatenate[Tx, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run fn(tx, ...) as one transaction in one hop: all of it is written, or none of it.

        Callers that arrive while the connection is busy are written together: whoever gets
        the connection next writes every waiting transaction in one hop and one commit (group
        commit), each still all-or-nothing on its own.
        """
        if self._in_tx.get():
            return await self._call(fn, *args, **kwargs)
        unit = _Unit(lambda tx: fn(tx, *args, **kwargs))
        self._waiting.append(unit)
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._write_waiting())
        # The writer answers every unit, also when this caller gives up waiting.
        result: R = await unit.future
        return result

    async def _write_waiting(self) -> None:
        """Write the waiting transactions a group at a time until none are left."""
        try:
            while self._waiting:
                group, self._waiting = self._waiting, []
                async with self._lock:
                    await self._write(group)
        finally:
            self._writer = None

    async def _write(self, group: list[_Unit]) -> None:
        failure: BaseException | None = None
        try:
            await self._call(_write_group, group)
        except BaseException as error:
            # The hop itself failed (the store was closed, the writer was cancelled at
            # shutdown): nobody may think they were written.
            failure = error
            for unit in group:
                if unit.error is None:
                    unit.result, unit.error = None, error
        for unit in group:
            if unit.future.done():
                continue  # its caller was cancelled
            if unit.error is not None:
                unit.future.set_exception(unit.error)
            else:
                unit.future.set_result(unit.result)
        if isinstance(failure, asyncio.CancelledError):
            raise failure

    async def backup(self, target: Path | str) -> None:
        """A consistent copy of the whole database, taken while it is in use (SQLite backup API)."""
        try:
            # Owner-only from its first byte, and never written through a link planted there.
            os.close(await asyncio.to_thread(owner_only.create_file, Path(target)))
        except FileExistsError as error:
            raise StoreError(f"{target} already exists; choose a new file name") from error
        except OSError as error:
            raise StoreError(f"cannot write {target}: {error.strerror}") from error
        async with aiosqlite.connect(str(target)) as copy:
            async with self._lock:
                await self.db.backup(copy)
            await copy.commit()

    # -- the statements, each in one hop (see Tx) ----------------------------------------

    ensure_person = _hop(Tx.ensure_person)
    find_person = _hop(Tx.find_person)
    person_by_id = _hop(Tx.person_by_id)
    update_person = _hop(Tx.update_person)
    note_dm_failure = _hop(Tx.note_dm_failure)
    clear_dm_failures = _hop(Tx.clear_dm_failures)
    ensure_membership = _hop(Tx.ensure_membership)
    set_leaderboard = _hop(Tx.set_leaderboard)
    set_shoutouts = _hop(Tx.set_shoutouts)
    shoutouts_on = _hop(Tx.shoutouts_on)
    on_leaderboard = _hop(Tx.on_leaderboard)
    add_rejection = _hop(Tx.add_rejection)
    rejection = _hop(Tx.rejection)
    latest_rejection = _hop(Tx.latest_rejection)
    start_reflection = _hop(Tx.start_reflection)
    reflection = _hop(Tx.reflection)
    open_reflection = _hop(Tx.open_reflection)
    record_answer = _hop(Tx.record_answer)
    set_reflection_status = _hop(Tx.set_reflection_status)
    answers = _hop(Tx.answers)
    set_next_step = _hop(Tx.set_next_step)
    mark_next_step_done = _hop(Tx.mark_next_step_done)
    recent_reflections = _hop(Tx.recent_reflections)
    add_checkin = _hop(Tx.add_checkin)
    set_checkin_note = _hop(Tx.set_checkin_note)
    add_followup = _hop(Tx.add_followup)
    followup = _hop(Tx.followup)
    pending_followups = _hop(Tx.pending_followups)
    set_followup = _hop(Tx.set_followup)
    schedule_reminder = _hop(Tx.schedule_reminder)
    schedule_many = _hop(Tx.schedule_many)
    close_reminder = _hop(Tx.close_reminder)
    reminders_for = _hop(Tx.reminders_for)
    reminder = _hop(Tx.reminder)
    reminder_by_key = _hop(Tx.reminder_by_key)
    claim_due = _hop(Tx.claim_due)
    finish_reminder = _hop(Tx.finish_reminder)
    retry_reminder = _hop(Tx.retry_reminder)
    mark_reminder = _hop(Tx.mark_reminder)
    next_due = _hop(Tx.next_due)
    release_claims = _hop(Tx.release_claims)
    cancel_reminders = _hop(Tx.cancel_reminders)
    reminder_report = _hop(Tx.reminder_report)
    reminder_counts = _hop(Tx.reminder_counts)
    people_by_id = _hop(Tx.people_by_id)
    reflection_started_for = _hop(Tx.reflection_started_for)
    add_activity = _hop(Tx.add_activity)
    streak = _hop(Tx.streak)
    save_streak = _hop(Tx.save_streak)
    timezones_in_use = _hop(Tx.timezones_in_use)
    stale_streaks = _hop(Tx.stale_streaks)
    add_period_points = _hop(Tx.add_period_points)
    activity_since = _hop(Tx.activity_since)
    record_milestone = _hop(Tx.record_milestone)
    board = _hop(Tx.board)
    conversation = _hop(Tx.conversation)
    set_conversation = _hop(Tx.set_conversation)
    used_messages = _hop(Tx.used_messages)
    use_message = _hop(Tx.use_message)
    count_checkins = _hop(Tx.count_checkins)
    community_setting = _hop(Tx.community_setting)
    clear_community_setting = _hop(Tx.clear_community_setting)
    set_community_setting = _hop(Tx.set_community_setting)
    community_timezone_for = _hop(Tx.community_timezone_for)
    community_ref = _hop(Tx.community_ref)
    community_settings = _hop(Tx.community_settings)
    log_admin_change = _hop(Tx.log_admin_change)
    admin_log = _hop(Tx.admin_log)
    digest_communities = _hop(Tx.digest_communities)
    claim_digest = _hop(Tx.claim_digest)
    finish_digest = _hop(Tx.finish_digest)
    community_totals = _hop(Tx.community_totals)
    people_on_streak = _hop(Tx.people_on_streak)
    shoutout_milestones = _hop(Tx.shoutout_milestones)
    integrity = _hop(Tx.integrity)
    get_state = _hop(Tx.get_state)
    bump_state = _hop(Tx.bump_state)
    set_state = _hop(Tx.set_state)
    export_person = _hop(Tx.export_person)
    count_rows = _hop(Tx.count_rows)
