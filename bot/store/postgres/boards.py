"""Community boards on PostgreSQL: ranks of opted-in members, read from kept rankings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.store.postgres.engine import Conn, Repository, Row, pooled
from bot.store.records import Board, RankedRow
from bot.store.sqlite.boards import join_window

_SELECT = "SELECT person_id, name, points, fold FROM board_rows"
_WHERE = " WHERE community_id = $1 AND period_key = $2"
Key = tuple[int, str]
Listed = tuple[int, str, int]


def _listed(rows: list[Row]) -> list[Listed]:
    return [(r["person_id"], r["name"], r["points"]) for r in rows]


async def board(
    conn: Conn,
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

    As on SQLite: every read walks board_rows_rank from a known place and every rank is a
    sum over distinct scores (board_counts). Ties are listed by folded name, then id.
    """
    key = (community_id, window_key)
    listed = _listed(
        await conn.fetch(
            _SELECT + _WHERE + " ORDER BY points DESC, fold, person_id LIMIT $3", *key, top
        )
    )
    mine = await conn.fetchrow(_SELECT + _WHERE + " AND person_id = $3", *key, me) if me else None
    gap_at: int | None = None
    if mine is not None and around > 0:
        gap_at = await _add_neighbours(conn, key, listed, mine, around)
    ranks, ranked = await _ranks(conn, key, {row[2] for row in listed})
    streaks = {
        r["person_id"]: r["streak"]
        for r in await conn.fetch(
            "SELECT person_id, CASE WHEN last_period >= $1 - 1 - reserves THEN current"
            " ELSE 0 END AS streak FROM streaks WHERE period = $2"
            " AND person_id = ANY($3::bigint[])",
            index,
            period,
            [row[0] for row in listed],
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
        ranked=ranked,
        my_rank=ranks[mine["points"]] if mine is not None else None,
    )


async def _add_neighbours(
    conn: Conn, key: Key, listed: list[Listed], mine: Row, around: int
) -> int | None:
    """Append the rows around the caller's own that the top did not show; where a gap falls."""
    me, points, fold = mine["person_id"], mine["points"], mine["fold"]
    # One more row than is shown before the caller: it tells whether a gap precedes.
    before = list(
        await conn.fetch(
            _SELECT + _WHERE + " AND points = $3 AND (fold, person_id) < ($4, $5)"
            " ORDER BY fold DESC, person_id DESC LIMIT $6",
            *key,
            points,
            fold,
            me,
            around + 1,
        )
    )
    if len(before) <= around:
        before += await conn.fetch(
            _SELECT + _WHERE + " AND points > $3 ORDER BY points, fold DESC, person_id DESC"
            " LIMIT $4",
            *key,
            points,
            around + 1 - len(before),
        )
    after = list(
        await conn.fetch(
            _SELECT + _WHERE + " AND points = $3 AND (fold, person_id) > ($4, $5)"
            " ORDER BY fold, person_id LIMIT $6",
            *key,
            points,
            fold,
            me,
            around,
        )
    )
    if len(after) < around:
        after += await conn.fetch(
            _SELECT + _WHERE + " AND points < $3 ORDER BY points DESC, fold, person_id LIMIT $4",
            *key,
            points,
            around - len(after),
        )
    return join_window(listed, before, mine, after, around)


async def _ranks(conn: Conn, key: Key, scores: set[int]) -> tuple[dict[int, int], int]:
    """The rank of each score listed, and how many members the board ranks: one statement.

    A score's rank is one more than the members above it; asked one score at a time that was
    a round trip per distinct score on the page (up to fifteen).
    """
    if not scores:
        return {}, await _members(conn, key)
    found = await conn.fetch(
        "SELECT s.points, (SELECT COALESCE(SUM(c.members), 0) FROM board_counts c"
        " WHERE c.community_id = $1 AND c.period_key = $2 AND c.points > s.points) AS above,"
        " (SELECT COALESCE(SUM(c.members), 0) FROM board_counts c"
        " WHERE c.community_id = $1 AND c.period_key = $2) AS ranked"
        " FROM unnest($3::bigint[]) AS s(points)",
        *key,
        sorted(scores),
    )
    ranks = {int(row["points"]): 1 + int(row["above"]) for row in found}
    return ranks, int(found[0]["ranked"])


async def _members(conn: Conn, key: Key) -> int:
    """How many members a board ranks."""
    n = await conn.fetchval(
        "SELECT COALESCE(SUM(members), 0) FROM board_counts"
        " WHERE community_id = $1 AND period_key = $2",
        *key,
    )
    return int(n or 0)


class PostgresBoards(Repository):
    """Boards on PostgreSQL (the Boards protocol)."""

    __slots__ = ()

    view = pooled(board)


# The triggers that keep rankings current row by row; a bulk load turns them off for its
# transaction and ranks once at the end (see rankings_rebuilt).
_RANKING_TRIGGERS = (
    ("period_points", "board_points_new"),
    ("period_points", "board_points_change"),
    ("memberships", "board_membership"),
    ("people", "board_rename"),
    ("board_rows", "board_count_in"),
    ("board_rows", "board_count_move"),
)


@asynccontextmanager
async def rankings_rebuilt(conn: Conn) -> AsyncIterator[None]:
    """Load many rows in the block (one transaction), then build every ranking once.

    Row by row, each point added bumps one board_counts row; tens of thousands of bumps of
    the same row in one transaction leave a chain of versions each next bump must walk, so
    a bulk load would take time quadratic in its size. Ranking once with GROUP BY does not.
    """
    assert conn.is_in_transaction(), "a bulk load runs inside one transaction"
    for table, trigger in _RANKING_TRIGGERS:
        # Names from the tuple above, never input; DISABLE is undone if the block fails.
        await conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    yield
    await conn.execute("DELETE FROM board_rows")
    await conn.execute("DELETE FROM board_counts")
    await conn.execute(
        "INSERT INTO board_rows (community_id, period_key, person_id, points, name)"
        " SELECT m.community_id, pp.period_key, pp.person_id, pp.points, p.display_name"
        " FROM memberships m JOIN period_points pp ON pp.person_id = m.person_id"
        " JOIN people p ON p.id = m.person_id WHERE m.leaderboard = 1"
    )
    await conn.execute(
        "INSERT INTO board_counts (community_id, period_key, points, members)"
        " SELECT community_id, period_key, points, COUNT(*) FROM board_rows"
        " GROUP BY community_id, period_key, points"
    )
    for table, trigger in _RANKING_TRIGGERS:
        await conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
