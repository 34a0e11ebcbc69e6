"""/rejected's group commit on PostgreSQL: the returning members logging now share two statements.

/rejected is the busiest command, and each log reads a little (the person, the community, the
messages they have seen) and writes a little (the rejection, the messages shown, a few
reminders). On their own that is a dozen round trips and a commit per log; here every log
waiting when a batch starts is read in one statement and written in one more, as SQLite's
writer thread groups its commits. Each log keeps its own plan, its own time and its own
result; a log that cannot go this way (a first visit, a new community, missed DMs to tell
of) or whose batch the server refuses (someone erased meanwhile, text it will not store, a
deadlock) is logged on its own in one transaction, the long way, as it would be in a unit.

A caller cancelled while its batch is being written does not stop the write: the rejection
is kept, as a reply lost on the way would leave it. One cancelled before its batch is taken
writes nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Generic, TypeVar

import asyncpg

from bot.store.errors import StoreBusy
from bot.store.postgres import reminders
from bot.store.postgres.engine import Conn, Engine, Row, at
from bot.store.records import RejectionLog, RejectionPlan, RejectionView, ReminderPlan

# Rows map to records as on SQLite (times come as datetimes here).
from bot.store.sqlite.people import _person

PlanT = TypeVar("PlanT", bound=RejectionPlan)
Done = tuple[RejectionView, Any] | None

# More logs than this wait for the next batch. Smaller batches keep the loop and the server
# busy at once: while one batch is written, the replies of the one before are being built
# (200 callers flat out: 50 a batch gave 4,100 logs/s, 200 a batch 2,700; make bench).
BATCH_MAX = 50
# Batches written at once, each on its own connection of the pool.
WRITERS = 3

# Everything the plans need, for every log of the batch: the person, the community where they
# are (theirs already? the same name? its settings), their latest community's zone when they
# set none, the keys they have seen from the batch's pools, and the id each rejection will have.
_READ = (
    "SELECT q.i, p.*, c.id AS here_id, c.name AS here_name,"
    " EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.community_id = c.id)"
    " AS here_member,"
    " ARRAY(SELECT s.key FROM community_settings s WHERE s.community_id = c.id ORDER BY s.key)"
    " AS here_keys,"
    " ARRAY(SELECT s.value FROM community_settings s WHERE s.community_id = c.id"
    " ORDER BY s.key) AS here_values,"
    " CASE WHEN p.timezone IS NULL THEN (SELECT s.value FROM memberships m"
    " JOIN community_settings s ON s.community_id = m.community_id AND s.key = 'timezone'"
    " WHERE m.person_id = p.id ORDER BY m.joined_at DESC, m.community_id DESC LIMIT 1)"
    " END AS community_zone,"
    " ARRAY(SELECT h.pool FROM message_history h WHERE h.person_id = p.id"
    " AND h.pool = ANY($5::text[]) ORDER BY h.pool, h.seq DESC) AS seen_pools,"
    " ARRAY(SELECT h.message_key FROM message_history h WHERE h.person_id = p.id"
    " AND h.pool = ANY($5::text[]) ORDER BY h.pool, h.seq DESC) AS seen_keys,"
    " nextval(pg_get_serial_sequence('rejections', 'id')) AS new_id"
    " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY"
    " AS q(platform, user_id, c_platform, c_id, i)"
    " JOIN people p ON p.platform = q.platform AND p.user_id = q.user_id"
    " LEFT JOIN communities c ON c.platform = q.c_platform AND c.community_id = q.c_id"
)
# ...and everything they decided: the rejections under those ids, the messages shown (a pool
# starting over forgets its other keys), the reminders under their keys, the counters, and
# the names people now go by. One statement is one transaction: the whole batch is written,
# or none of it is.
_WRITE = (
    "WITH logged AS (INSERT INTO rejections (id, person_id, community_id, company, role, stage,"
    " feeling, note, created_at, outcome) SELECT * FROM unnest($1::bigint[], $2::bigint[],"
    " $3::bigint[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[],"
    " $9::timestamptz[], $10::text[])),"
    " shown AS (SELECT * FROM unnest($11::bigint[], $12::text[], $13::text[], $14::boolean[],"
    " $15::timestamptz[]) AS s(person_id, pool, key, restart, used_at)),"
    " forgot AS (DELETE FROM message_history h USING shown WHERE shown.restart"
    " AND h.person_id = shown.person_id AND h.pool = shown.pool AND h.message_key <> shown.key),"
    " seen AS (INSERT INTO message_history (person_id, pool, message_key, used_at, seq)"
    " SELECT shown.person_id, shown.pool, shown.key, shown.used_at,"
    " CASE WHEN shown.restart THEN 1 ELSE (SELECT COALESCE(MAX(h.seq), 0) + 1"
    " FROM message_history h WHERE h.person_id = shown.person_id AND h.pool = shown.pool) END"
    " FROM shown ON CONFLICT (person_id, pool, message_key) DO UPDATE SET"
    " used_at = excluded.used_at, seq = excluded.seq),"
    " planned AS (INSERT INTO reminders (person_id, kind, ref_id, idem_key, due_at, created_at,"
    " updated_at) SELECT r.*, r.created_at FROM unnest($16::bigint[], $17::text[],"
    " $18::bigint[], $19::text[], $20::timestamptz[], $21::timestamptz[])"
    " AS r(person_id, kind, ref_id, idem_key, due_at, created_at)" + reminders.ON_KEY + "),"
    " counted AS (INSERT INTO bot_state (key, value) SELECT * FROM unnest($22::text[],"
    " $23::text[]) ON CONFLICT (key) DO UPDATE SET"
    " value = (CAST(bot_state.value AS INTEGER) + CAST(excluded.value AS INTEGER))::text),"
    " renamed AS (UPDATE people p SET display_name = r.name FROM unnest($24::bigint[],"
    " $25::text[]) AS r(id, name) WHERE p.id = r.id)"
    " SELECT 1"
)


@dataclass
class _Log(Generic[PlanT]):
    """One /rejected waiting for its batch, and where its result goes."""

    request: RejectionLog
    plan: Callable[[RejectionView], PlanT]
    now: datetime
    result: asyncio.Future[Done]
    view: RejectionView | None = None
    decided: PlanT | None = None
    # The person goes by a new name, kept with the rejection (a board lists it from then on).
    renamed: bool = False
    # Handed back to be logged the long way: its person stays busy until that is written.
    long_way: bool = False

    @property
    def who(self) -> tuple[str, str]:
        """The person logging it, as the platform names them."""
        return self.request.person.platform, self.request.person.user_id


@dataclass
class _Columns:
    """The batch's writes, a list per column (a statement takes them as arrays)."""

    rejections: list[list[Any]] = field(default_factory=lambda: [[] for _ in range(10)])
    shown: list[list[Any]] = field(default_factory=lambda: [[] for _ in range(5)])
    counters: dict[str, int] = field(default_factory=dict)
    due: dict[str, tuple[ReminderPlan, datetime]] = field(default_factory=dict)
    renamed: dict[int, str] = field(default_factory=dict)

    def add(self, log: _Log[Any]) -> None:
        """Add one log's rejection, shown messages, reminders and counter."""
        view, decided, request = log.view, log.decided, log.request
        assert view is not None and decided is not None
        stamp = at(log.now)
        row = (
            view.rejection_id,
            view.person.id,
            view.community_id,
            request.company,
            request.role,
            request.stage,
            request.feeling,
            request.note,
            stamp,
            request.outcome,
        )
        for column, value in zip(self.rejections, row, strict=True):
            column.append(value)
        for shown in decided.shown:
            values = (view.person.id, shown.pool, shown.key, shown.restart, stamp)
            for column, value in zip(self.shown, values, strict=True):
                column.append(value)
        for plan in decided.reminders:
            # One key once: a second row under a key in one statement could not be upserted.
            self.due[plan.key] = (plan, stamp)
        if request.counter is not None:
            self.counters[request.counter] = self.counters.get(request.counter, 0) + 1
        if log.renamed:
            self.renamed[view.person.id] = view.person.display_name

    def arguments(self) -> list[Any]:
        """The write statement's arguments."""
        due = list(self.due.values())
        return [
            *self.rejections,
            *self.shown,
            [p.person_id for p, _ in due],
            [p.kind for p, _ in due],
            [p.ref_id for p, _ in due],
            [p.key for p, _ in due],
            [at(p.due) for p, _ in due],
            [stamp for _, stamp in due],
            # In one order for every batch, so two batches bumping the same two counters
            # never wait on each other's rows (a deadlock).
            sorted(self.counters),
            [str(self.counters[key]) for key in sorted(self.counters)],
            list(self.renamed),
            list(self.renamed.values()),
        ]


def _view(row: Row, request: RejectionLog) -> RejectionView | None:
    """What the read found (the person by the name they give now), or None: a long way."""
    here = request.community
    if row["dm_failed_count"]:
        return None  # missed DMs to tell them of and clear
    if here is not None and (
        row["here_id"] is None
        or not row["here_member"]
        or (here.name and row["here_name"] != here.name)
    ):
        return None  # a community, membership or name to write first
    seen: dict[str, list[str]] = {pool: [] for pool in request.pools}
    for pool, key in zip(row["seen_pools"], row["seen_keys"], strict=True):
        if pool in seen:  # the batch reads every log's pools; this log needs its own
            seen[pool].append(key)
    return RejectionView(
        replace(_person(row), display_name=request.person.display_name),
        row["here_id"] if here is not None else None,
        dict(zip(row["here_keys"], row["here_values"], strict=True)) if here is not None else {},
        row["community_zone"],
        rejection_id=int(row["new_id"]),
        seen=seen,
    )


def _settle(log: _Log[Any], done: Done) -> None:
    """Hand a log its result (None: the long way), unless its caller stopped waiting."""
    if not log.result.done():
        log.result.set_result(done)
        log.long_way = done is None


def _closing() -> StoreBusy:
    """What a log cut short by shutdown tells its caller: not saved, try again in a moment."""
    return StoreBusy("the store is shutting down")


def _fail(log: _Log[Any], error: BaseException) -> None:
    """Hand a log an error, unless its caller stopped waiting."""
    if not log.result.done():
        log.result.set_exception(error)


class ReturningLogs:
    """The logs of returning members, written a batch at a time by this store's writer tasks."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._waiting: list[_Log[Any]] = []
        self._writers: set[asyncio.Task[None]] = set()
        # The people with a log being written (in a batch, or the long way): their next log
        # waits for it, so it reads the messages that one showed and never shows them again.
        self._busy: set[tuple[str, str]] = set()

    async def log(
        self,
        request: RejectionLog,
        plan: Callable[[RejectionView], PlanT],
        now: datetime,
        long_way: Callable[[], Awaitable[tuple[RejectionView, PlanT]]],
    ) -> tuple[RejectionView, PlanT]:
        """Log with the next batch, or by long_way (one transaction) when a batch cannot."""
        entry: _Log[PlanT] = _Log(request, plan, now, asyncio.get_running_loop().create_future())
        self._waiting.append(entry)
        self._wake()
        try:
            done = await entry.result
            if done is not None:
                return done
            return await long_way()
        finally:
            if entry.long_way:
                self._busy.discard(entry.who)
                self._wake()  # their next log may be waiting with no writer running

    def _wake(self) -> None:
        """Start a writer for the logs waiting, unless enough are running."""
        if self._waiting and len(self._writers) < WRITERS:
            # A context of its own: a writer serves every caller, inside none's unit of work.
            writer = asyncio.create_task(self._write_batches(), context=contextvars.Context())
            self._writers.add(writer)
            writer.add_done_callback(self._writer_done)

    def _writer_done(self, writer: asyncio.Task[None]) -> None:
        """A writer ended; one cancelled before it ever ran must not stay counted."""
        self._writers.discard(writer)
        if not self._writers and (writer.cancelled() or writer.exception() is not None):
            self._fail_waiting()

    def _fail_waiting(self) -> None:
        """No writer is left to take what waits: its callers are told at once."""
        for log in self._waiting:
            _fail(log, _closing())
        self._waiting = []

    async def _write_batches(self) -> None:
        """Write batches while logs wait; a failed batch fails only its own logs."""
        me = asyncio.current_task()
        try:
            while batch := self._take():
                try:
                    async with self._engine.conn() as conn:
                        await self._write(conn, batch)
                except Exception as error:
                    for log in batch:
                        _fail(log, error)
                finally:
                    for log in batch:
                        # A batch cut short (the loop or the store shutting down) says so.
                        _fail(log, _closing())
                        if not log.long_way:
                            self._busy.discard(log.who)
        except BaseException:
            self._writers.discard(me)  # type: ignore[arg-type]
            if not self._writers:
                self._fail_waiting()
            raise
        # Gone from the writers in the same step as it found nothing to take, so a log added
        # after this starts a writer of its own.
        self._writers.discard(me)  # type: ignore[arg-type]

    def _take(self) -> list[_Log[Any]]:
        """The next batch: one log per person (their messages and seq numbers are theirs)."""
        batch: list[_Log[Any]] = []
        rest: list[_Log[Any]] = []
        for log in self._waiting:
            if log.result.done():
                continue  # its caller gave up waiting (cancelled): nothing is written for it
            if len(batch) < BATCH_MAX and log.who not in self._busy:
                self._busy.add(log.who)
                batch.append(log)
            else:
                rest.append(log)
        self._waiting = rest
        return batch

    async def _write(self, conn: Conn, batch: list[_Log[Any]]) -> None:
        """Read, plan and write one batch, handing each log its result."""
        try:
            ready = await self._read(conn, batch)
            if ready:
                columns = _Columns()
                for log in ready:
                    columns.add(log)
                await conn.execute(_WRITE, *columns.arguments())
        except asyncpg.PostgresError:
            # The server refused the batch: someone erased (/forget) since the read, text it
            # will not store, a deadlock. Each log then goes the long way, on its own, so the
            # one at fault fails alone and the rest are written.
            for log in batch:
                _settle(log, None)
            return
        for log in ready:
            _settle(log, (log.view, log.decided))

    async def _read(self, conn: Conn, batch: list[_Log[Any]]) -> list[_Log[Any]]:
        """Read what the batch's plans need and plan them: the logs ready to be written."""
        here = [log.request.community for log in batch]
        pools = sorted({pool for log in batch for pool in log.request.pools})
        found = await conn.fetch(
            _READ,
            [log.request.person.platform for log in batch],
            [log.request.person.user_id for log in batch],
            [c.platform if c else None for c in here],
            [c.community_id if c else None for c in here],
            pools,
        )
        rows = {int(row["i"]) - 1: row for row in found}
        ready: list[_Log[Any]] = []
        for index, log in enumerate(batch):
            row = rows.get(index)
            log.view = _view(row, log.request) if row is not None else None
            if row is None or log.view is None:
                _settle(log, None)
                continue
            log.renamed = row["display_name"] != log.view.person.display_name
            try:
                # Pure: deciding on the loop, between the two statements, costs no I/O.
                log.decided = log.plan(log.view)
            except Exception as error:
                _fail(log, error)
                continue
            if not log.result.done():  # a caller that stopped waiting gets nothing written
                ready.append(log)
        return ready
