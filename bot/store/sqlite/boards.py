"""Community boards: ranks of opted-in members by effort points, read from kept rankings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.store.records import Board, RankedRow
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, Row, hop

_SELECT = "SELECT person_id, name, points FROM board_rows"
_WHERE = " WHERE community_id = ? AND period_key = ?"
Key = tuple[int, str]
Listed = tuple[int, str, int]


def board(
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

    Every read walks an index from a known place (board_rows_rank) and every rank is a
    sum over distinct scores (board_counts), so the cost does not grow with the number of
    members or with history. Ties are listed by name, then id.
    """
    key = (community_id, window_key)
    listed: list[Listed] = [
        (r[0], r[1], r[2])
        for r in sql.rows(
            conn, _SELECT + _WHERE + " ORDER BY points DESC, name, person_id LIMIT ?", (*key, top)
        )
    ]
    mine = sql.one(conn, _SELECT + _WHERE + " AND person_id = ?", (*key, me)) if me else None
    gap_at: int | None = None
    if mine is not None and around > 0:
        gap_at = _add_neighbours(conn, key, listed, mine, around)
    ranks = {points: 1 + _sum_members(conn, key, points) for points in {row[2] for row in listed}}
    streaks = {
        r["person_id"]: r["streak"]
        for r in sql.rows(
            conn,
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
        ranked=_sum_members(conn, key, None),
        my_rank=ranks[mine["points"]] if mine is not None else None,
    )


def _add_neighbours(
    conn: Conn, key: Key, listed: list[Listed], mine: Row, around: int
) -> int | None:
    """Append the rows around the caller's own that the top did not show; where a gap falls."""
    me, points, name = mine["person_id"], mine["points"], mine["name"]
    # One more row than is shown before the caller: it tells whether a gap precedes.
    before = sql.rows(
        conn,
        _SELECT + _WHERE + " AND points = ? AND (name, person_id) < (?, ?)"
        " ORDER BY name DESC, person_id DESC LIMIT ?",
        (*key, points, name, me, around + 1),
    )
    if len(before) <= around:
        before += sql.rows(
            conn,
            _SELECT + _WHERE + " AND points > ? ORDER BY points, name DESC, person_id DESC LIMIT ?",
            (*key, points, around + 1 - len(before)),
        )
    after = sql.rows(
        conn,
        _SELECT + _WHERE + " AND points = ? AND (name, person_id) > (?, ?)"
        " ORDER BY name, person_id LIMIT ?",
        (*key, points, name, me, around),
    )
    if len(after) < around:
        after += sql.rows(
            conn,
            _SELECT + _WHERE + " AND points < ? ORDER BY points DESC, name, person_id LIMIT ?",
            (*key, points, around - len(after)),
        )
    return join_window(listed, before, mine, after, around)


def join_window(
    listed: list[Listed],
    before: Sequence[Any],
    mine: Any,
    after: Sequence[Any],
    around: int,
) -> int | None:
    """Append the caller's window (rows before, theirs, after) to what is not yet listed.

    Rows are (person_id, name, points, ...) as any database returns them; before holds one
    row more than is shown, when there is one, to tell whether a gap precedes the window.
    Returns where a gap falls in listed, or None.
    """
    window: list[Listed] = [(r[0], r[1], r[2]) for r in reversed(before[:around])]
    window += [(mine[0], mine[1], mine[2])] + [(r[0], r[1], r[2]) for r in after]
    shown = {row[0] for row in listed}
    fresh = [row for row in window if row[0] not in shown]
    if not fresh:
        return None
    first = window.index(fresh[0])
    if first > 0:
        previous = window[first - 1][0]
    else:
        previous = before[around]["person_id"] if len(before) > around else None
    gap_at = len(listed) if not listed or previous != listed[-1][0] else None
    listed += fresh
    return gap_at


def _sum_members(conn: Conn, key: Key, above: int | None) -> int:
    """How many members of a board have more than `above` points (all of them for None)."""
    query = (
        "SELECT COALESCE(SUM(members), 0) AS n FROM board_counts"
        " WHERE community_id = ? AND period_key = ?"
    )
    if above is None:
        row = sql.one(conn, query, key)
    else:
        row = sql.one(conn, query + " AND points > ?", (*key, above))
    return int(row["n"]) if row else 0


class SqliteBoards(Repository):
    """Boards on SQLite (the Boards protocol)."""

    __slots__ = ()

    view = hop(board)
