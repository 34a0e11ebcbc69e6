"""Practice buddies on PostgreSQL: the pool, rounds claimed once across processes, blocks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.store.postgres.community import communities_with
from bot.store.postgres.engine import Conn, Repository, at, changed, opt_at, pooled
from bot.store.records import BuddyMember, BuddySeat, PastRound

# Rows map to records as on SQLite (times come as datetimes here).
from bot.store.sqlite.buddies import _MEMBER, _member, past_rounds


async def join_pool(
    conn: Conn, person_id: int, community_id: int, focus: str, now: datetime
) -> bool:
    """Opt in, or change focus and come back from a pause; True when newly joined."""
    # xmax is 0 for a row this statement inserted, and the updating transaction's id otherwise.
    inserted = await conn.fetchval(
        "INSERT INTO buddy_members (person_id, community_id, focus, joined_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (person_id, community_id) DO UPDATE SET"
        " focus = excluded.focus, paused = 0, paused_until = NULL, silent_rounds = 0"
        " RETURNING xmax = 0",
        person_id,
        community_id,
        focus,
        at(now),
    )
    return bool(inserted)


async def leave_pool(conn: Conn, person_id: int, community_id: int) -> bool:
    """Opt out; False when the person was not in the pool."""
    n = await changed(
        conn,
        "DELETE FROM buddy_members WHERE person_id = $1 AND community_id = $2",
        person_id,
        community_id,
    )
    return n > 0


async def pool_member(conn: Conn, person_id: int, community_id: int) -> BuddyMember | None:
    """The person's place in the pool, or None."""
    row = await conn.fetchrow(
        _MEMBER + " WHERE b.person_id = $1 AND b.community_id = $2", person_id, community_id
    )
    return _member(row) if row else None


async def pause_member(
    conn: Conn, person_id: int, community_id: int, until: datetime | None
) -> bool:
    """Pause until a time, or until the person comes back (None)."""
    n = await changed(
        conn,
        "UPDATE buddy_members SET paused = 1, paused_until = $1"
        " WHERE person_id = $2 AND community_id = $3",
        opt_at(until),
        person_id,
        community_id,
    )
    return n > 0


async def resume_member(conn: Conn, person_id: int, community_id: int) -> bool:
    """End a pause and the count of unanswered rounds."""
    n = await changed(
        conn,
        "UPDATE buddy_members SET paused = 0, paused_until = NULL, silent_rounds = 0"
        " WHERE person_id = $1 AND community_id = $2",
        person_id,
        community_id,
    )
    return n > 0


async def active_pool(conn: Conn, community_id: int, now: datetime) -> list[BuddyMember]:
    """Everyone opted in and not paused at now (a dated pause that ended counts as back)."""
    found = await conn.fetch(
        _MEMBER + " WHERE b.community_id = $1 AND (b.paused = 0 OR"
        " (b.paused_until IS NOT NULL AND b.paused_until <= $2)) ORDER BY b.person_id",
        community_id,
        at(now),
    )
    return [_member(r) for r in found]


async def note_rounds(
    conn: Conn, community_id: int, answered: Iterable[int], silent: Iterable[int]
) -> dict[int, int]:
    """Reset the unanswered count of who answered, add one for who did not; the new counts."""
    silent = list(silent)
    async with conn.transaction():
        await conn.execute(
            "UPDATE buddy_members SET silent_rounds = 0"
            " WHERE community_id = $1 AND person_id = ANY($2::bigint[])",
            community_id,
            list(answered),
        )
        if not silent:
            return {}
        found = await conn.fetch(
            "UPDATE buddy_members SET silent_rounds = silent_rounds + 1"
            " WHERE community_id = $1 AND person_id = ANY($2::bigint[])"
            " RETURNING person_id, silent_rounds",
            community_id,
            silent,
        )
    return {r["person_id"]: r["silent_rounds"] for r in found}


async def buddy_communities(conn: Conn) -> list[tuple[int, dict[str, str]]]:
    """Communities whose admins turned buddies on, with all their settings."""
    return await communities_with(conn, "buddies")


class PostgresBuddyMembers(Repository):
    """The buddy pool on PostgreSQL (the BuddyMembers protocol)."""

    __slots__ = ()

    join = pooled(join_pool)
    leave = pooled(leave_pool)
    get = pooled(pool_member)
    pause = pooled(pause_member)
    resume = pooled(resume_member)
    pool = pooled(active_pool)
    note_rounds = pooled(note_rounds)
    communities = pooled(buddy_communities)


async def claim_round(
    conn: Conn, community_id: int, round_key: str, now: datetime, lease_until: datetime
) -> int | None:
    """Claim a round for matching; None when it is done, or another holds a live lease.

    One statement, as a digest's claim: a second process inserting the same round waits
    for the first one's transaction, then finds it claimed and changes nothing.
    """
    found: int | None = await conn.fetchval(
        "INSERT INTO buddy_rounds (community_id, round_key, status, lease_until)"
        " VALUES ($1, $2, 'matching', $3) ON CONFLICT (community_id, round_key)"
        " DO UPDATE SET lease_until = excluded.lease_until"
        " WHERE buddy_rounds.status != 'done' AND buddy_rounds.lease_until <= $4"
        " RETURNING id",
        community_id,
        round_key,
        at(lease_until),
        at(now),
    )
    return found


async def record_round(
    conn: Conn, round_id: int, groups: Sequence[Sequence[tuple[int, str]]], now: datetime
) -> None:
    """Store a claimed round's seats and close it, in one transaction."""
    async with conn.transaction():
        await conn.executemany(
            "INSERT INTO buddy_seats (round_id, group_no, person_id, focus)"
            " VALUES ($1, $2, $3, $4)",
            [
                (round_id, number, person_id, focus)
                for number, group in enumerate(groups)
                for person_id, focus in group
            ],
        )
        await conn.execute(
            "UPDATE buddy_rounds SET status = 'done', lease_until = NULL, matched_at = $1"
            " WHERE id = $2",
            at(now),
            round_id,
        )


async def recent_rounds(conn: Conn, community_id: int, limit: int) -> list[PastRound]:
    """The community's last closed rounds, newest first, with their groups."""
    rounds = await conn.fetch(
        "SELECT id, round_key FROM buddy_rounds WHERE community_id = $1 AND status = 'done'"
        " ORDER BY round_key DESC LIMIT $2",
        community_id,
        limit,
    )
    if not rounds:
        return []
    ids = [r["id"] for r in rounds]
    seats = await conn.fetch(
        "SELECT round_id, group_no, person_id, another, answered_at FROM buddy_seats"
        " WHERE round_id = ANY($1::bigint[]) ORDER BY round_id, group_no, person_id",
        ids,
    )
    return past_rounds(rounds, seats)


async def group_of(conn: Conn, round_id: int, person_id: int) -> list[BuddySeat]:
    """Everyone in the person's group of a round, themselves included; empty if unseated."""
    found = await conn.fetch(
        "SELECT s.*, p.display_name, p.user_id, p.platform, p.timezone FROM buddy_seats s"
        " JOIN people p ON p.id = s.person_id WHERE s.round_id = $1 AND s.group_no ="
        " (SELECT group_no FROM buddy_seats WHERE round_id = $1 AND person_id = $2)"
        " ORDER BY s.person_id",
        round_id,
        person_id,
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


async def latest_round(conn: Conn, person_id: int, community_id: int | None) -> int | None:
    """The latest round the person was placed in."""
    found = await conn.fetchval(
        "SELECT s.round_id FROM buddy_seats s JOIN buddy_rounds r ON r.id = s.round_id"
        " WHERE s.person_id = $1 AND ($2::bigint IS NULL OR r.community_id = $2)"
        " ORDER BY r.round_key DESC, r.id DESC LIMIT 1",
        person_id,
        community_id,
    )
    return int(found) if found is not None else None


async def answer_round(
    conn: Conn, round_id: int, person_id: int, answer: str, now: datetime
) -> bool:
    """Record how the round went; 'another' is kept beside met or missed, not over it."""
    if answer == "another":
        query = "UPDATE buddy_seats SET another = 1, answered_at = $3"
        params: tuple[object, ...] = (at(now),)
    else:
        query = "UPDATE buddy_seats SET answer = $4, answered_at = $3"
        params = (at(now), answer)
    n = await changed(
        conn, query + " WHERE round_id = $1 AND person_id = $2", round_id, person_id, *params
    )
    return n > 0


async def credit_seat(conn: Conn, round_id: int, person_id: int, now: datetime) -> bool:
    """Mark a meeting counted as effort, once."""
    n = await changed(
        conn,
        "UPDATE buddy_seats SET credited_at = $1"
        " WHERE round_id = $2 AND person_id = $3 AND credited_at IS NULL",
        at(now),
        round_id,
        person_id,
    )
    return n > 0


async def round_of(conn: Conn, round_id: int) -> tuple[int, str] | None:
    """A round's community id and key."""
    row = await conn.fetchrow(
        "SELECT community_id, round_key FROM buddy_rounds WHERE id = $1", round_id
    )
    return (int(row["community_id"]), str(row["round_key"])) if row else None


class PostgresBuddyRounds(Repository):
    """Buddy rounds on PostgreSQL (the BuddyRounds protocol)."""

    __slots__ = ()

    claim = pooled(claim_round)
    record = pooled(record_round)
    recent = pooled(recent_rounds)
    group = pooled(group_of)
    latest = pooled(latest_round)
    answer = pooled(answer_round)
    credit = pooled(credit_seat)
    round_of = pooled(round_of)


async def block_pair(conn: Conn, person_id: int, other_id: int, now: datetime) -> None:
    """Never pair the two again."""
    await conn.execute(
        "INSERT INTO buddy_blocks (person_id, blocked_id, created_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (person_id, blocked_id) DO NOTHING",
        person_id,
        other_id,
        at(now),
    )


async def blocked_among(conn: Conn, community_id: int) -> set[frozenset[int]]:
    """Blocked pairs whose two people are both in the community's pool."""
    found = await conn.fetch(
        "SELECT k.person_id, k.blocked_id FROM buddy_blocks k"
        " JOIN buddy_members a ON a.person_id = k.person_id AND a.community_id = $1"
        " JOIN buddy_members b ON b.person_id = k.blocked_id AND b.community_id = $1",
        community_id,
    )
    return {frozenset((r["person_id"], r["blocked_id"])) for r in found}


class PostgresBuddyBlocks(Repository):
    """Blocked pairs on PostgreSQL (the BuddyBlocks protocol)."""

    __slots__ = ()

    block = pooled(block_pair)
    among = pooled(blocked_among)
