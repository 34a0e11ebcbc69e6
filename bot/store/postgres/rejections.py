"""Logged rejections, and /rejected's one coarse call, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from bot.store.postgres import conversations, people, reminders, state
from bot.store.postgres.engine import Conn, Engine, Repository, at, pooled
from bot.store.postgres.rejection_batches import ReturningLogs
from bot.store.records import Rejection, RejectionLog, RejectionPlan, RejectionView

# Rows map to records as on SQLite (times come as datetimes here).
from bot.store.sqlite.rejections import _rejection

PlanT = TypeVar("PlanT", bound=RejectionPlan)


async def add_rejection(
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
    new_id: int = await conn.fetchval(
        "INSERT INTO rejections (person_id, community_id, company, role, stage, feeling,"
        " note, created_at, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        person_id,
        community_id,
        company,
        role,
        stage,
        feeling,
        note,
        at(now),
        outcome,
    )
    return new_id


async def rejection(conn: Conn, rejection_id: int, person_id: int) -> Rejection | None:
    """The person's rejection with this id, or None (also when it is someone else's)."""
    row = await conn.fetchrow(
        "SELECT * FROM rejections WHERE id = $1 AND person_id = $2", rejection_id, person_id
    )
    return _rejection(row) if row else None


async def latest_rejection(conn: Conn, person_id: int) -> Rejection | None:
    """The person's most recent rejection, or None."""
    row = await conn.fetchrow(
        "SELECT * FROM rejections WHERE person_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
        person_id,
    )
    return _rejection(row) if row else None


async def logged_between(
    conn: Conn, person_id: int, start: datetime, end: datetime
) -> list[Rejection]:
    """The person's rejections logged from start up to (not including) end, oldest first."""
    found = await conn.fetch(
        "SELECT * FROM rejections WHERE person_id = $1 AND created_at >= $2 AND created_at < $3"
        " ORDER BY created_at, id",
        person_id,
        at(start),
        at(end),
    )
    return [_rejection(r) for r in found]


async def log_rejection(
    conn: Conn, request: RejectionLog, plan: Callable[[RejectionView], PlanT], now: datetime
) -> tuple[RejectionView, PlanT]:
    """Everything /rejected reads and writes, in the one transaction conn is in."""
    arrival = await people.arrive(conn, request.person, request.community, now)
    person, community_id = arrival.person, arrival.community_id
    if request.counter is not None:
        await state.bump_state(conn, request.counter)
    rejection_id = await add_rejection(
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
    seen = {
        pool: await conversations.used_messages(conn, person.id, pool) for pool in request.pools
    }
    view = RejectionView(
        person,
        community_id,
        arrival.settings,
        arrival.community_timezone,
        rejection_id=rejection_id,
        seen=seen,
    )
    # Pure, so running it on the event loop between two statements costs no I/O.
    decided = plan(view)
    for shown in decided.shown:
        await conversations.use_message(
            conn, person.id, shown.pool, shown.key, now, restart=shown.restart
        )
    await reminders.schedule_many(conn, decided.reminders, now)
    return view, decided


class PostgresRejections(Repository):
    """Rejections on PostgreSQL (the Rejections protocol)."""

    __slots__ = ("_returning",)

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self._returning = ReturningLogs(engine)

    add = pooled(add_rejection)
    get = pooled(rejection)
    latest = pooled(latest_rejection)
    logged_between = pooled(logged_between)

    async def log(
        self, request: RejectionLog, plan: Callable[[RejectionView], PlanT], now: datetime
    ) -> tuple[RejectionView, PlanT]:
        """Log a rejection: a returning member's with the next batch, else in one transaction."""

        async def long_way() -> tuple[RejectionView, PlanT]:
            async with self._engine.atomic() as conn:
                return await log_rejection(conn, request, plan, now)

        if self._engine.in_unit:
            return await long_way()
        return await self._returning.log(request, plan, now, long_way)
