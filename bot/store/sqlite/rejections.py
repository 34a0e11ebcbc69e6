"""Logged rejections, and /rejected's one coarse call: the SQL and its repository."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from bot.store.records import (
    Rejection,
    RejectionLog,
    RejectionPlan,
    RejectionView,
    parse_ts,
    ts,
)
from bot.store.sqlite import conversations, people, reminders, sql, state
from bot.store.sqlite.engine import Engine
from bot.store.sqlite.sql import Conn, Repository, Row, hop
from bot.store.sqlite.writer import GroupWriter

PlanT = TypeVar("PlanT", bound=RejectionPlan)


def _rejection(row: Row) -> Rejection:
    return Rejection(
        id=row["id"],
        person_id=row["person_id"],
        company=row["company"],
        role=row["role"],
        stage=row["stage"],
        feeling=row["feeling"],
        note=row["note"],
        created_at=parse_ts(row["created_at"]),
        outcome=row["outcome"],
    )


def add_rejection(
    conn: Conn,
    person_id: int,
    community_id: int | None,
    *,
    company: str | None,
    role: str | None,
    stage: str,
    feeling: int | None,
    note: str | None,
    now: datetime,
    outcome: str = "rejected",
) -> int:
    """Store a rejection (or, with outcome 'declined', an offer turned down); return its id."""
    return sql.execute(
        conn,
        "INSERT INTO rejections (person_id, community_id, company, role, stage, feeling,"
        " note, created_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (person_id, community_id, company, role, stage, feeling, note, ts(now), outcome),
    )


def rejection(conn: Conn, rejection_id: int, person_id: int) -> Rejection | None:
    """The person's rejection with this id, or None (also when it is someone else's)."""
    return sql.get(
        conn,
        _rejection,
        "SELECT * FROM rejections WHERE id = ? AND person_id = ?",
        (rejection_id, person_id),
    )


def latest_rejection(conn: Conn, person_id: int) -> Rejection | None:
    """The person's most recent rejection, or None."""
    return sql.get(
        conn,
        _rejection,
        "SELECT * FROM rejections WHERE person_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        (person_id,),
    )


def logged_between(conn: Conn, person_id: int, start: datetime, end: datetime) -> list[Rejection]:
    """The person's rejections logged from start up to (not including) end, oldest first."""
    found = sql.rows(
        conn,
        "SELECT * FROM rejections WHERE person_id = ? AND created_at >= ? AND created_at < ?"
        " ORDER BY created_at, id",
        (person_id, ts(start), ts(end)),
    )
    return [_rejection(r) for r in found]


def log_rejection(
    conn: Conn, request: RejectionLog, plan: Callable[[RejectionView], PlanT], now: datetime
) -> tuple[RejectionView, PlanT]:
    """Everything /rejected reads and writes, as one function on the connection's thread."""
    arrival = people.arrive(conn, request.person, request.community, now)
    person, community_id = arrival.person, arrival.community_id
    if request.counter is not None:
        state.bump_state(conn, request.counter)
    rejection_id = add_rejection(
        conn,
        person.id,
        community_id,
        company=request.company,
        role=request.role,
        stage=request.stage,
        feeling=request.feeling,
        note=request.note,
        now=now,
        outcome=request.outcome,
    )
    seen = {pool: conversations.used_messages(conn, person.id, pool) for pool in request.pools}
    view = RejectionView(
        person,
        community_id,
        arrival.settings,
        arrival.community_timezone,
        rejection_id=rejection_id,
        seen=seen,
    )
    decided = plan(view)
    for shown in decided.shown:
        conversations.use_message(
            conn, person.id, shown.pool, shown.key, now, restart=shown.restart
        )
    reminders.schedule_many(conn, decided.reminders, now)
    return view, decided


class SqliteRejections(Repository):
    """Rejections on SQLite (the Rejections protocol)."""

    __slots__ = ("_writer",)

    def __init__(self, engine: Engine, writer: GroupWriter) -> None:
        super().__init__(engine)
        self._writer = writer

    add = hop(add_rejection)
    get = hop(rejection)
    latest = hop(latest_rejection)
    logged_between = hop(logged_between)

    async def log(
        self, request: RejectionLog, plan: Callable[[RejectionView], PlanT], now: datetime
    ) -> tuple[RejectionView, PlanT]:
        """Log a rejection in one hop; outside a unit, written with others (group commit)."""
        conn = self._engine.conn
        if self._engine.in_unit:
            return await self._engine.call(log_rejection, conn, request, plan, now)
        return await self._writer.submit(lambda: log_rejection(conn, request, plan, now))
