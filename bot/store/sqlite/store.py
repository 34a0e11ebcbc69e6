"""The store on one SQLite file: its repositories, units of work and whole-file operations."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from bot.store.errors import StoreError
from bot.store.interface import UnitOfWork
from bot.store.sqlite import migrations, sql
from bot.store.sqlite.accounts import SqliteAccounts
from bot.store.sqlite.applications import SqliteApplications
from bot.store.sqlite.boards import SqliteBoards
from bot.store.sqlite.buddies import SqliteBuddyBlocks, SqliteBuddyMembers, SqliteBuddyRounds
from bot.store.sqlite.checkins import SqliteCheckins
from bot.store.sqlite.community import SqliteCommunities
from bot.store.sqlite.conversations import SqliteConversations, SqliteMessages
from bot.store.sqlite.digests import SqliteDigests
from bot.store.sqlite.effort import SqliteEffort
from bot.store.sqlite.engine import BUSY_TIMEOUT_MS, Engine
from bot.store.sqlite.followups import SqliteFollowups
from bot.store.sqlite.hires import SqliteHires
from bot.store.sqlite.ledger import SqliteCommunityStages, SqliteLedger
from bot.store.sqlite.outcomes import SqliteFollowupOutcomes
from bot.store.sqlite.people import SqlitePeople
from bot.store.sqlite.reflections import SqliteReflections
from bot.store.sqlite.rejections import SqliteRejections
from bot.store.sqlite.reminders import SqliteReminders
from bot.store.sqlite.skills import SqliteSkillGaps
from bot.store.sqlite.state import SqliteBotState
from bot.store.sqlite.timeline import SqliteTimeline
from bot.store.sqlite.writer import GroupWriter
from bot.store.sqlite.writing import SqliteWriting

logger = logging.getLogger(__name__)


def integrity_check(conn: sql.Conn) -> str:
    """SQLite's own integrity check: 'ok' when the file is sound."""
    row = sql.one(conn, "PRAGMA integrity_check")
    return str(row[0]) if row else "no answer"


class SqliteRepositories:
    """Every repository, over one engine: what a unit of work offers (UnitOfWork)."""

    def __init__(self, engine: Engine, writer: GroupWriter) -> None:
        self.people = SqlitePeople(engine)
        self.rejections = SqliteRejections(engine, writer)
        self.reflections = SqliteReflections(engine)
        self.conversations = SqliteConversations(engine)
        self.messages = SqliteMessages(engine)
        self.checkins = SqliteCheckins(engine)
        self.followups = SqliteFollowups(engine)
        self.reminders = SqliteReminders(engine)
        self.effort = SqliteEffort(engine)
        self.boards = SqliteBoards(engine)
        self.community = SqliteCommunities(engine)
        self.digests = SqliteDigests(engine)
        self.state = SqliteBotState(engine)
        self.accounts = SqliteAccounts(engine)
        self.writing = SqliteWriting(engine)
        self.buddies = SqliteBuddyMembers(engine)
        self.buddy_rounds = SqliteBuddyRounds(engine)
        self.buddy_blocks = SqliteBuddyBlocks(engine)
        # The growth ledger.
        self.timeline = SqliteTimeline(engine)
        self.applications = SqliteApplications(engine)
        self.skills = SqliteSkillGaps(engine)
        self.outcomes = SqliteFollowupOutcomes(engine)
        self.ledger = SqliteLedger(engine)
        self.hires = SqliteHires(engine)
        self.community_stages = SqliteCommunityStages(engine)


class SqliteStore(SqliteRepositories):
    """The Store on one SQLite file (WAL, one connection, group commit, owner-only files).

    Outside a unit, each repository call is one statement function in one thread hop,
    committed on its own; inside `unit()`, the calls share the task's transaction.
    """

    def __init__(self, path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = str(path)
        self._engine = Engine(self.path, busy_timeout_ms=busy_timeout_ms)
        self._writer = GroupWriter(self._engine)
        self._unit = SqliteRepositories(self._engine, self._writer)
        super().__init__(self._engine, self._writer)

    @property
    def engine(self) -> Engine:
        """The connection and its rules (SQLite only: for tests and the SQLite modules)."""
        return self._engine

    @property
    def db(self) -> aiosqlite.Connection:
        """The open aiosqlite connection (SQLite only: for tests that read the file)."""
        return self._engine.db

    async def open(self, *, migrate: bool = True) -> None:
        """Open the file, set the pragmas and (unless told not to) migrate to the current schema."""
        try:
            await self._engine.open()
            if migrate:
                await self.migrate()
        except BaseException:
            # A failed start must not leave a connection's thread behind: the process would
            # print its error and then never exit.
            await self.close()
            raise

    async def close(self) -> None:
        """Write what was handed over, then close the connections (folding the log)."""
        await self._writer.drain()
        await self._engine.close()

    async def __aenter__(self) -> SqliteStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[UnitOfWork]:
        """One transaction for the block; a unit inside a unit joins the outer one."""
        async with self._engine.atomic():
            yield self._unit

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        """Always True: one SQLite file is served by one process (the lock is a formality)."""
        yield True

    async def schema_version(self) -> int:
        """The schema version of the open file."""
        return await self._engine.call(migrations.user_version, self._engine.conn)

    async def migrate(self, target: int | None = None) -> int:
        """Apply every migration the file has not seen, each in its own transaction."""
        goal = migrations.SCHEMA_VERSION if target is None else target
        current = await self.schema_version()
        if current > migrations.SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this Rebound "
                f"({migrations.SCHEMA_VERSION}); upgrade Rebound before using this database"
            )
        for version in range(current, goal):
            logger.info("migrating %s to schema version %s", self.path, version + 1)
            await self._engine.call(migrations.migrate_step, self._engine.conn, version)
        return max(await self.schema_version(), goal)

    async def backup(self, target: Path | str) -> None:
        """A consistent copy of the whole database, taken while it is in use (SQLite backup API)."""
        await self._engine.backup(target)

    async def integrity(self) -> str:
        """SQLite's own integrity check: 'ok' when the file is sound."""
        return await self._engine.statement(integrity_check)

    async def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file now."""
        await self._engine.checkpoint()
