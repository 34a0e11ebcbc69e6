"""The SQLite schema as a list of migrations, and how a file is brought up to date."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator

from bot.store.sqlite import sql

logger = logging.getLogger(__name__)

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
    # 3: a logged outcome is a no ('rejected', every earlier row) or an offer the person turned
    # down ('declined'): both are data points, but only one of them is a no.
    """
    ALTER TABLE rejections ADD COLUMN outcome TEXT NOT NULL DEFAULT 'rejected'
        CHECK (outcome IN ('rejected', 'declined'));
    """,
    # 4: the five-day writing program (issue 18): one row per run, one entry per day written.
    # Entries name their person too, so export and forget reach them like every personal row.
    """
    CREATE TABLE writing_programs (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        hour INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'active',
        day INTEGER NOT NULL DEFAULT 1,
        asked INTEGER NOT NULL DEFAULT 0,
        paused_for TEXT,
        next_step TEXT,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX writing_programs_person ON writing_programs (person_id, status);
    CREATE TABLE writing_entries (
        program_id INTEGER NOT NULL REFERENCES writing_programs(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        day INTEGER NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        parts INTEGER NOT NULL DEFAULT 0,
        words INTEGER,
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        updated_at TEXT,
        PRIMARY KEY (program_id, day)
    );
    CREATE INDEX writing_entries_person ON writing_entries (person_id);
    """,
    # 5: practice buddies: who is in each community's pool, its rounds (claimed once, like a
    # digest's week), each round's seats and what each person answered, and blocked pairs.
    """
    CREATE TABLE buddy_members (
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
        focus TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        paused_until TEXT,
        silent_rounds INTEGER NOT NULL DEFAULT 0,
        joined_at TEXT NOT NULL,
        PRIMARY KEY (person_id, community_id)
    );
    CREATE INDEX buddy_members_pool ON buddy_members (community_id, paused);
    CREATE TABLE buddy_rounds (
        id INTEGER PRIMARY KEY,
        community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
        round_key TEXT NOT NULL,
        status TEXT NOT NULL,
        lease_until TEXT,
        matched_at TEXT,
        UNIQUE (community_id, round_key)
    );
    CREATE TABLE buddy_seats (
        round_id INTEGER NOT NULL REFERENCES buddy_rounds(id) ON DELETE CASCADE,
        group_no INTEGER NOT NULL,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        focus TEXT NOT NULL,
        answer TEXT,
        another INTEGER NOT NULL DEFAULT 0,
        answered_at TEXT,
        credited_at TEXT,
        PRIMARY KEY (round_id, person_id)
    );
    CREATE INDEX buddy_seats_group ON buddy_seats (round_id, group_no);
    CREATE INDEX buddy_seats_person ON buddy_seats (person_id);
    CREATE TABLE buddy_blocks (
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        blocked_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (person_id, blocked_id)
    );
    CREATE INDEX buddy_blocks_blocked ON buddy_blocks (blocked_id);
    """,
    # 6 (growth ledger): applications a person logged, effort that feeds their insights.
    """
    CREATE TABLE applications (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        company TEXT,
        role TEXT,
        source TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX applications_person ON applications (person_id, created_at);
    """,
    # 7 (growth ledger): skill gaps a person named, the no's that surfaced each, and the dated
    # steps to close it. The key is the name folded (bot/skillmatch.py): one gap, many names.
    """
    CREATE TABLE skill_gaps (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        match_key TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'working' CHECK (status IN ('working', 'confident')),
        created_at TEXT NOT NULL,
        confident_at TEXT,
        UNIQUE (person_id, match_key)
    );
    CREATE TABLE skill_gap_rejections (
        gap_id INTEGER NOT NULL REFERENCES skill_gaps(id) ON DELETE CASCADE,
        rejection_id INTEGER NOT NULL REFERENCES rejections(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        linked_at TEXT NOT NULL,
        PRIMARY KEY (gap_id, rejection_id)
    );
    CREATE TABLE skill_steps (
        id INTEGER PRIMARY KEY,
        gap_id INTEGER NOT NULL REFERENCES skill_gaps(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        due_at TEXT,
        done_at TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX skill_steps_gap ON skill_steps (gap_id);
    """,
    # 8 (growth ledger): what a sent follow-up led to, asked a week after it was sent.
    """
    CREATE TABLE followup_outcomes (
        followup_id INTEGER PRIMARY KEY REFERENCES followups(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        outcome TEXT CHECK (outcome IN ('replied', 'referral', 'interview', 'no_reply')),
        asks INTEGER NOT NULL DEFAULT 0,
        decided_at TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX followup_outcomes_person ON followup_outcomes (person_id, decided_at);
    """,
    # 9 (growth ledger): the yes at the end, and whether the person would help others (a flag
    # the buddy feature can read).
    """
    CREATE TABLE hires (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        company TEXT,
        role TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE helpers (
        person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
        willing INTEGER NOT NULL,
        updated_at TEXT NOT NULL
    );
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
    ("writing_programs", "person_id"),
    ("writing_entries", "person_id"),
    ("buddy_members", "person_id"),
    ("buddy_seats", "person_id"),
    ("buddy_blocks", "person_id"),
    # The growth ledger.
    ("applications", "person_id"),
    ("skill_gaps", "person_id"),
    ("skill_gap_rejections", "person_id"),
    ("skill_steps", "person_id"),
    ("followup_outcomes", "person_id"),
    ("hires", "person_id"),
    ("helpers", "person_id"),
)


def statements(script: str) -> Iterator[str]:
    """The statements of a script in order (a trigger's body stays whole)."""
    start = 0
    for end, char in enumerate(script):
        if char == ";" and sqlite3.complete_statement(script[start : end + 1]):
            yield script[start : end + 1]
            start = end + 1
    if script[start:].strip():
        yield script[start:]


def user_version(conn: sql.Conn) -> int:
    """The schema version written in the file."""
    row = sql.one(conn, "PRAGMA user_version")
    return int(row[0]) if row else 0


def migrate_step(conn: sql.Conn, version: int) -> None:
    """Apply migration `version` (0-based) in one transaction, unless another process has."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the write lock: a process that started at the same moment may have
        # migrated while this one waited, and creating every table twice would fail.
        if user_version(conn) > version:
            conn.execute("ROLLBACK")
            return
        for statement in statements(MIGRATIONS[version]):
            sql.execute(conn, statement)
        # A fixed identifier-free pragma: the version is an int we computed, not input.
        sql.execute(conn, f"PRAGMA user_version = {int(version) + 1}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
