"""The store on PostgreSQL: its repositories, units of work and whole-database operations."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.store.errors import StoreError
from bot.store.interface import UnitOfWork
from bot.store.postgres import migrations
from bot.store.postgres.accounts import PostgresAccounts
from bot.store.postgres.applications import PostgresApplications
from bot.store.postgres.boards import PostgresBoards
from bot.store.postgres.buddies import (
    PostgresBuddyBlocks,
    PostgresBuddyMembers,
    PostgresBuddyRounds,
)
from bot.store.postgres.checkins import PostgresCheckins
from bot.store.postgres.community import PostgresCommunities
from bot.store.postgres.conversations import PostgresConversations, PostgresMessages
from bot.store.postgres.digests import PostgresDigests
from bot.store.postgres.effort import PostgresEffort
from bot.store.postgres.engine import Engine, lock_key
from bot.store.postgres.followups import PostgresFollowups
from bot.store.postgres.hires import PostgresHires
from bot.store.postgres.ledger import PostgresCommunityStages, PostgresLedger
from bot.store.postgres.outcomes import PostgresFollowupOutcomes
from bot.store.postgres.people import PostgresPeople
from bot.store.postgres.reflections import PostgresReflections
from bot.store.postgres.rejections import PostgresRejections
from bot.store.postgres.reminders import PostgresReminders
from bot.store.postgres.skills import PostgresSkillGaps
from bot.store.postgres.state import PostgresBotState
from bot.store.postgres.timeline import PostgresTimeline
from bot.store.postgres.writing import PostgresWriting

logger = logging.getLogger(__name__)

# Held while migrating, so processes starting together migrate a new database once.
MIGRATE_LOCK = "rebound.migrate"
VERSION_TABLE = "CREATE TABLE IF NOT EXISTS rebound_schema (version INTEGER NOT NULL)"


class PostgresRepositories:
    """Every repository over one engine: what a unit of work offers (UnitOfWork)."""

    def __init__(self, engine: Engine, owner: str) -> None:
        self.people = PostgresPeople(engine)
        self.rejections = PostgresRejections(engine)
        self.reflections = PostgresReflections(engine)
        self.conversations = PostgresConversations(engine)
        self.messages = PostgresMessages(engine)
        self.checkins = PostgresCheckins(engine)
        self.followups = PostgresFollowups(engine)
        self.reminders = PostgresReminders(engine, owner)
        self.effort = PostgresEffort(engine)
        self.boards = PostgresBoards(engine)
        self.community = PostgresCommunities(engine)
        self.digests = PostgresDigests(engine)
        self.state = PostgresBotState(engine)
        self.accounts = PostgresAccounts(engine)
        self.writing = PostgresWriting(engine)
        self.skills = PostgresSkillGaps(engine)
        self.outcomes = PostgresFollowupOutcomes(engine)
        self.buddies = PostgresBuddyMembers(engine)
        self.buddy_rounds = PostgresBuddyRounds(engine)
        self.buddy_blocks = PostgresBuddyBlocks(engine)
        self.timeline = PostgresTimeline(engine)
        self.applications = PostgresApplications(engine)
        self.ledger = PostgresLedger(engine)
        self.hires = PostgresHires(engine)
        self.community_stages = PostgresCommunityStages(engine)


class PostgresStore(PostgresRepositories):
    """The Store on a PostgreSQL database shared by any number of Rebound processes.

    Outside a unit, each repository call is a transaction of its own on a pooled connection;
    inside `unit()`, the calls share the unit's connection and transaction.
    """

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self.pool_size = pool_size
        # Names this process's reminder claims: unique per open store, readable by an operator.
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._engine = Engine(url)
        super().__init__(self._engine, self.owner)

    @property
    def engine(self) -> Engine:
        """The pool and its rules (PostgreSQL only: for tests and `rebound copy`)."""
        return self._engine

    async def open(self, *, migrate: bool = True) -> None:
        """Connect the pool and (unless told not to) migrate to the current schema."""
        try:
            await self._engine.open(min_size=min(2, self.pool_size), max_size=self.pool_size)
            if migrate:
                await self.migrate()
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        """Close the pool once the connections in use are given back."""
        await self._engine.close()

    async def __aenter__(self) -> PostgresStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[UnitOfWork]:
        """One transaction for the block; a unit inside a unit joins the outer one."""
        async with self._engine.atomic():
            yield self

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        """True in the one process holding the lock `name` for the block (an advisory lock)."""
        async with self._engine.exclusive(name) as mine:
            yield mine

    async def schema_version(self) -> int:
        """The schema version of the database (0 when empty)."""
        async with self._engine.conn() as conn:
            table = await conn.fetchval("SELECT to_regclass('rebound_schema')")
            if table is None:
                return 0
            version = await conn.fetchval("SELECT MAX(version) FROM rebound_schema")
            return int(version or 0)

    async def migrate(self, target: int | None = None) -> int:
        """Apply every migration not yet applied, each in its own transaction, under a lock."""
        goal = migrations.SCHEMA_VERSION if target is None else target
        current = await self.schema_version()
        if current > migrations.SCHEMA_VERSION:
            raise StoreError(
                f"the database has schema version {current}, newer than this Rebound "
                f"({migrations.SCHEMA_VERSION}); upgrade Rebound before using this database"
            )
        for version in range(current, goal):
            async with self._engine.atomic() as conn:
                await conn.execute("SELECT pg_advisory_xact_lock($1)", lock_key(MIGRATE_LOCK))
                await conn.execute(VERSION_TABLE)
                # Read again under the lock: another process may have migrated meanwhile.
                done = await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM rebound_schema")
                if done > version:
                    continue
                logger.info("migrating the database to schema version %s", version + 1)
                await conn.execute(migrations.MIGRATIONS[version])
                await conn.execute("DELETE FROM rebound_schema")
                await conn.execute("INSERT INTO rebound_schema (version) VALUES ($1)", version + 1)
        return max(await self.schema_version(), goal)

    async def backup(self, target: Path | str) -> None:
        """PostgreSQL is backed up with its own tools, consistently, while in use."""
        raise StoreError(f"on PostgreSQL, back up with pg_dump (not to {target})")

    async def integrity(self) -> str:
        """Whether the server answers: 'ok' (PostgreSQL checks pages itself as it reads them)."""
        async with self._engine.conn() as conn:
            return "ok" if await conn.fetchval("SELECT 1") == 1 else "no answer"

    async def checkpoint(self) -> None:
        """Nothing to do: every committed transaction is already durable in PostgreSQL."""
