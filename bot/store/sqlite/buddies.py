"""Practice buddies on SQLite: the pool, rounds claimed once with their seats, and blocks (SQL)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.store.records import BuddyMember, BuddySeat, PastRound, opt_ts, parse_ts, ts
from bot.store.sqlite import sql
from bot.store.sqlite.community import communities_with
from bot.store.sqlite.sql import Conn, Repository, Row, hop

_MEMBER = "SELECT b.*, p.timezone FROM buddy_members b JOIN people p ON p.id = b.person_id"


def _member(row: Row) -> BuddyMember:
    return BuddyMember(
        person_id=row["person_id"],
        community_id=row["community_id"],
        focus=row["focus"],
        timezone=row["timezone"],
        paused=bool(row["paused"]),
        paused_until=opt_ts(row["paused_until"]),
        silent_rounds=row["silent_rounds"],
        joined_at=parse_ts(row["joined_at"]),
    )


def join_pool(conn: Conn, person_id: int, community_id: int, focus: str, now: datetime) -> bool:
    """Opt in, or change focus and come back from a pause; True when newly joined."""
    with sql.atomic(conn):
        known = sql.one(
            conn,
            "SELECT 1 FROM buddy_members WHERE person_id = ? AND community_id = ?",
            (person_id, community_id),
        )
        sql.execute(
            conn,
            "INSERT INTO buddy_members (person_id, community_id, focus, joined_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (person_id, community_id) DO UPDATE SET"
            " focus = excluded.focus, paused = 0, paused_until = NULL, silent_rounds = 0",
            (person_id, community_id, focus, ts(now)),
        )
    return known is None


def leave_pool(conn: Conn, person_id: int, community_id: int) -> bool:
    """Opt out; False when the person was not in the pool."""
    return (
        sql.rowcount(
            conn,
            "DELETE FROM buddy_members WHERE person_id = ? AND community_id = ?",
            (person_id, community_id),
        )
        > 0
    )


def pool_member(conn: Conn, person_id: int, community_id: int) -> BuddyMember | None:
    """The person's place in the pool, or None."""
    return sql.get(
        conn,
        _member,
        _MEMBER + " WHERE b.person_id = ? AND b.community_id = ?",
        (person_id, community_id),
    )


def pause_member(conn: Conn, person_id: int, community_id: int, until: datetime | None) -> bool:
    """Pause until a time, or until the person comes back (None)."""
    return (
        sql.rowcount(
            conn,
            "UPDATE buddy_members SET paused = 1, paused_until = ?"
            " WHERE person_id = ? AND community_id = ?",
            (ts(until) if until else None, person_id, community_id),
        )
        > 0
    )


def resume_member(conn: Conn, person_id: int, community_id: int) -> bool:
    """End a pause and the count of unanswered rounds."""
    return (
        sql.rowcount(
            conn,
            "UPDATE buddy_members SET paused = 0, paused_until = NULL, silent_rounds = 0"
            " WHERE person_id = ? AND community_id = ?",
            (person_id, community_id),
        )
        > 0
    )


def active_pool(conn: Conn, community_id: int, now: datetime) -> list[BuddyMember]:
    """Everyone opted in and not paused at now (a dated pause that ended counts as back)."""
    found = sql.rows(
        conn,
        _MEMBER + " WHERE b.community_id = ? AND (b.paused = 0 OR"
        " (b.paused_until IS NOT NULL AND b.paused_until <= ?)) ORDER BY b.person_id",
        (community_id, ts(now)),
    )
    return [_member(r) for r in found]


def note_rounds(
    conn: Conn, community_id: int, answered: Iterable[int], silent: Iterable[int]
) -> dict[int, int]:
    """Reset the unanswered count of who answered, add one for who did not; the new counts."""
    silent = list(silent)
    with sql.atomic(conn):
        conn.executemany(
            "UPDATE buddy_members SET silent_rounds = 0 WHERE person_id = ? AND community_id = ?",
            [(p, community_id) for p in answered],
        )
        conn.executemany(
            "UPDATE buddy_members SET silent_rounds = silent_rounds + 1"
            " WHERE person_id = ? AND community_id = ?",
            [(p, community_id) for p in silent],
        )
        if not silent:
            return {}
        found = sql.rows(
            conn,
            "SELECT person_id, silent_rounds FROM buddy_members WHERE community_id = ?"
            f" AND person_id IN ({sql.marks(silent)})",
            (community_id, *silent),
        )
    return {r["person_id"]: r["silent_rounds"] for r in found}


def buddy_communities(conn: Conn) -> list[tuple[int, dict[str, str]]]:
    """Communities whose admins turned buddies on, with all their settings."""
    return communities_with(conn, "buddies")


class SqliteBuddyMembers(Repository):
    """The buddy pool on SQLite (the BuddyMembers protocol)."""

    __slots__ = ()

    join = hop(join_pool)
    leave = hop(leave_pool)
    get = hop(pool_member)
    pause = hop(pause_member)
    resume = hop(resume_member)
    pool = hop(active_pool)
    note_rounds = hop(note_rounds)
    communities = hop(buddy_communities)


def claim_round(
    conn: Conn, community_id: int, round_key: str, now: datetime, lease_until: datetime
) -> int | None:
    """Claim a round for matching; None when it is done, or another holds a live lease."""
    with sql.atomic(conn):
        row = sql.one(
            conn,
            "SELECT id, status, lease_until FROM buddy_rounds"
            " WHERE community_id = ? AND round_key = ?",
            (community_id, round_key),
        )
        if row is not None:
            if row["status"] == "done" or row["lease_until"] > ts(now):
                return None
            sql.execute(
                conn,
                "UPDATE buddy_rounds SET lease_until = ? WHERE id = ?",
                (ts(lease_until), row["id"]),
            )
            return int(row["id"])
        return sql.execute(
            conn,
            "INSERT INTO buddy_rounds (community_id, round_key, status, lease_until)"
            " VALUES (?, ?, 'matching', ?)",
            (community_id, round_key, ts(lease_until)),
        )


def record_round(
    conn: Conn, round_id: int, groups: Sequence[Sequence[tuple[int, str]]], now: datetime
) -> None:
    """Store a claimed round's seats and close it, in one transaction."""
    with sql.atomic(conn):
        conn.executemany(
            "INSERT INTO buddy_seats (round_id, group_no, person_id, focus) VALUES (?, ?, ?, ?)",
            [
                (round_id, number, person_id, focus)
                for number, group in enumerate(groups)
                for person_id, focus in group
            ],
        )
        sql.execute(
            conn,
            "UPDATE buddy_rounds SET status = 'done', lease_until = NULL, matched_at = ?"
            " WHERE id = ?",
            (ts(now), round_id),
        )


def recent_rounds(conn: Conn, community_id: int, limit: int) -> list[PastRound]:
    """The community's last closed rounds, newest first, with their groups."""
    rounds = sql.rows(
        conn,
        "SELECT id, round_key FROM buddy_rounds WHERE community_id = ? AND status = 'done'"
        " ORDER BY round_key DESC LIMIT ?",
        (community_id, limit),
    )
    if not rounds:
        return []
    ids = [r["id"] for r in rounds]
    seats = sql.rows(
        conn,
        "SELECT round_id, group_no, person_id, another, answered_at FROM buddy_seats"
        f" WHERE round_id IN ({sql.marks(ids)}) ORDER BY round_id, group_no, person_id",
        ids,
    )
    return past_rounds(rounds, seats)


def past_rounds(rounds: Sequence[Any], seats: Sequence[Any]) -> list[PastRound]:
    """Rounds (id, round_key) and their seats as PastRound records.

    The rows are read by column name, so SQLite's rows and asyncpg's records both do.
    """
    ids = [r["id"] for r in rounds]
    groups: dict[int, dict[int, list[int]]] = {i: {} for i in ids}
    another: dict[int, set[int]] = {i: set() for i in ids}
    answered: dict[int, set[int]] = {i: set() for i in ids}
    for seat in seats:
        groups[seat["round_id"]].setdefault(seat["group_no"], []).append(seat["person_id"])
        if seat["another"]:
            another[seat["round_id"]].add(seat["person_id"])
        if seat["answered_at"] is not None:
            answered[seat["round_id"]].add(seat["person_id"])
    return [
        PastRound(
            r["id"],
            r["round_key"],
            tuple(tuple(g) for _, g in sorted(groups[r["id"]].items())),
            frozenset(another[r["id"]]),
            frozenset(answered[r["id"]]),
        )
        for r in rounds
    ]


def group_of(conn: Conn, round_id: int, person_id: int) -> list[BuddySeat]:
    """Everyone in the person's group of a round, themselves included; empty if unseated."""
    found = sql.rows(
        conn,
        "SELECT s.*, p.display_name, p.user_id, p.platform, p.timezone FROM buddy_seats s"
        " JOIN people p ON p.id = s.person_id WHERE s.round_id = ? AND s.group_no ="
        " (SELECT group_no FROM buddy_seats WHERE round_id = ? AND person_id = ?)"
        " ORDER BY s.person_id",
        (round_id, round_id, person_id),
    )
    return [
        BuddySeat(
            round_id=r["round_id"],
            group_no=r["group_no"],
            person_id=r["person_id"],
            display_name=r["display_name"],
            user_id=r["user_id"],
            platform=r["platform"],
            timezone=r["timezone"],
            focus=r["focus"],
            answer=r["answer"],
            credited=r["credited_at"] is not None,
        )
        for r in found
    ]


def latest_round(conn: Conn, person_id: int, community_id: int | None) -> int | None:
    """The latest round the person was placed in."""
    row = sql.one(
        conn,
        "SELECT s.round_id FROM buddy_seats s JOIN buddy_rounds r ON r.id = s.round_id"
        " WHERE s.person_id = ? AND (? IS NULL OR r.community_id = ?)"
        " ORDER BY r.round_key DESC, r.id DESC LIMIT 1",
        (person_id, community_id, community_id),
    )
    return int(row["round_id"]) if row else None


def answer_round(conn: Conn, round_id: int, person_id: int, answer: str, now: datetime) -> bool:
    """Record how the round went; 'another' is kept beside met or missed, not over it."""
    if answer == "another":
        query = "UPDATE buddy_seats SET another = 1, answered_at = ?"
        params: tuple[object, ...] = (ts(now),)
    else:
        query = "UPDATE buddy_seats SET answer = ?, answered_at = ?"
        params = (answer, ts(now))
    return (
        sql.rowcount(
            conn, query + " WHERE round_id = ? AND person_id = ?", (*params, round_id, person_id)
        )
        > 0
    )


def credit_seat(conn: Conn, round_id: int, person_id: int, now: datetime) -> bool:
    """Mark a meeting counted as effort, once."""
    return (
        sql.rowcount(
            conn,
            "UPDATE buddy_seats SET credited_at = ?"
            " WHERE round_id = ? AND person_id = ? AND credited_at IS NULL",
            (ts(now), round_id, person_id),
        )
        > 0
    )


def round_of(conn: Conn, round_id: int) -> tuple[int, str] | None:
    """A round's community id and key."""
    row = sql.one(
        conn, "SELECT community_id, round_key FROM buddy_rounds WHERE id = ?", (round_id,)
    )
    return (int(row["community_id"]), str(row["round_key"])) if row else None


class SqliteBuddyRounds(Repository):
    """Buddy rounds on SQLite (the BuddyRounds protocol)."""

    __slots__ = ()

    claim = hop(claim_round)
    record = hop(record_round)
    recent = hop(recent_rounds)
    group = hop(group_of)
    latest = hop(latest_round)
    answer = hop(answer_round)
    credit = hop(credit_seat)
    round_of = hop(round_of)


def block_pair(conn: Conn, person_id: int, other_id: int, now: datetime) -> None:
    """Never pair the two again."""
    sql.execute(
        conn,
        "INSERT INTO buddy_blocks (person_id, blocked_id, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT (person_id, blocked_id) DO NOTHING",
        (person_id, other_id, ts(now)),
    )


def blocked_among(conn: Conn, community_id: int) -> set[frozenset[int]]:
    """Blocked pairs whose two people are both in the community's pool."""
    found = sql.rows(
        conn,
        "SELECT k.person_id, k.blocked_id FROM buddy_blocks k"
        " JOIN buddy_members a ON a.person_id = k.person_id AND a.community_id = ?"
        " JOIN buddy_members b ON b.person_id = k.blocked_id AND b.community_id = ?",
        (community_id, community_id),
    )
    return {frozenset((r["person_id"], r["blocked_id"])) for r in found}


class SqliteBuddyBlocks(Repository):
    """Blocked pairs on SQLite (the BuddyBlocks protocol)."""

    __slots__ = ()

    block = hop(block_pair)
    among = hop(blocked_among)
