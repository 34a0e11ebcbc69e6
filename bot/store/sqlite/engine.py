"""One SQLite connection for the process: opening it, thread hops, transactions, checkpoints."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import aiosqlite

from bot import owner_only
from bot.store.errors import EngineError, StoreBusy, StoreError, StoreFull

logger = logging.getLogger(__name__)
R = TypeVar("R")
P = ParamSpec("P")

BUSY_TIMEOUT_MS = 5000
# Checkpoints copy the write-ahead log into the database file and sync it to disk: a few
# milliseconds that SQLite would otherwise charge to whichever command happened to commit
# then. A second connection on its own thread does them instead, after this many hops.
CHECKPOINT_EVERY_HOPS = 100
# If that connection ever falls behind, the writer still checkpoints at this many pages.
WAL_AUTOCHECKPOINT_PAGES = 10_000


def storage_error(error: BaseException) -> BaseException:
    """The store's own exception for an error of the sqlite3 module; any other stays as it is."""
    if not isinstance(error, sqlite3.Error):
        return error
    # SQLite's primary result code (low byte) says what happened; the text may vary.
    code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
    kind: type[StoreError] = EngineError
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        kind = StoreBusy
    elif code == sqlite3.SQLITE_FULL:
        kind = StoreFull
    translated = kind(str(error))
    translated.__cause__ = error
    return translated


@contextmanager
def translated() -> Iterator[None]:
    """Let no sqlite3 exception out: callers see StoreBusy, StoreFull or EngineError."""
    try:
        yield
    except sqlite3.Error as error:
        raise storage_error(error) from error


def log_emptied(found: Iterable[Sequence[Any]]) -> bool:
    """Whether a wal_checkpoint(TRUNCATE) answer says the log is empty now (not busy)."""
    return all(row[0] == 0 for row in found)


class Engine:
    """The one connection that serves the process, and the rules for sharing it.

    An asyncio lock keeps one task's transaction from interleaving with another task's
    statements; a context variable lets the task that holds the lock run further statements
    inside its own transaction. Every call is one hop to the connection's thread.
    """

    def __init__(self, path: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.lock = asyncio.Lock()
        self._db: aiosqlite.Connection | None = None
        self._checkpointer: aiosqlite.Connection | None = None
        self._checkpoint_task: asyncio.Task[None] | None = None
        self._erase_in_log = False
        self._fold_after_commit = False
        self._hops = 0
        self._in_unit: contextvars.ContextVar[bool] = contextvars.ContextVar(
            f"rebound_tx_{id(self)}", default=False
        )

    @property
    def db(self) -> aiosqlite.Connection:
        """The open connection."""
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    @property
    def conn(self) -> sqlite3.Connection:
        """The sqlite3 connection itself, for statement functions on its thread."""
        # aiosqlite keeps it as _conn; statement functions run on the thread that owns it.
        conn: sqlite3.Connection = self.db._conn
        return conn

    @property
    def in_unit(self) -> bool:
        """Whether the current task is inside a transaction of its own."""
        return self._in_unit.get()

    async def open(self) -> None:
        """Open the file with owner-only permissions and set the pragmas every statement needs."""
        if self.path != ":memory:":
            try:
                await asyncio.to_thread(owner_only.prepare_database, Path(self.path))
            except OSError as error:
                raise StoreError(f"cannot open {self.path}: {error.strerror}") from error
        with translated():
            await self._connect()

    async def _connect(self) -> None:
        self._db = await aiosqlite.connect(self.path, isolation_level=None)
        self._db.row_factory = aiosqlite.Row
        await self._db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        await self._use_wal()
        await self._db.execute("PRAGMA synchronous = NORMAL")
        await self._db.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten with zeros, so an erase leaves no words in free pages.
        await self._db.execute("PRAGMA secure_delete = ON")
        if self.path == ":memory:":
            return
        await self._db.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        # A process killed after an erase but before its checkpoint left the erased words
        # in the log: empty it before anything else happens.
        await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._checkpointer = await aiosqlite.connect(self.path, isolation_level=None)
        await self._checkpointer.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        await self._checkpointer.execute("PRAGMA secure_delete = ON")

    async def _use_wal(self) -> None:
        """Switch the file to WAL, waiting (up to the busy timeout) for a writer elsewhere."""
        # Leaving rollback-journal mode needs the file to itself, and SQLite answers "locked"
        # at once instead of calling the busy handler (waiting there could deadlock). Waiting
        # for the write lock the usual way (BEGIN IMMEDIATE) and trying again avoids that.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.busy_timeout_ms / 1000
        while True:
            try:
                await self.db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
                if code != sqlite3.SQLITE_BUSY or loop.time() >= deadline:
                    raise
            await self.db.execute("BEGIN IMMEDIATE")
            await self.db.execute("ROLLBACK")

    async def close(self) -> None:
        """Close the connections (the last one to close folds the log into the file)."""
        if self._checkpoint_task is not None:
            await asyncio.gather(self._checkpoint_task, return_exceptions=True)
        # Wait for a unit under way to end, then close both, the main one even if the other fails.
        async with self.lock:
            with translated():
                try:
                    if self._checkpointer is not None:
                        await self._checkpointer.close()
                        self._checkpointer = None
                finally:
                    if self._db is not None:
                        await self._db.close()
                        self._db = None

    async def call(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run fn(*args) on the connection's thread: one hop, outside any lock."""
        db = self.db
        with translated():
            # aiosqlite has no public way to run a function on its thread; _execute is the
            # one it uses for every call of its own (pinned range in pyproject.toml, tested by
            # every store test). One hop here replaces two or three per statement.
            result: R = await db._execute(fn, *args, **kwargs)
        self._hops += 1
        if self._hops >= CHECKPOINT_EVERY_HOPS and self._checkpoint_task is None:
            self._hops = 0
            self._checkpoint_task = asyncio.get_running_loop().create_task(self._checkpoint())
        return result

    async def run(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run fn(*args) in one hop, inside this task's transaction or as one of its own."""
        if self._in_unit.get():
            return await self.call(fn, *args, **kwargs)
        async with self.lock:
            return await self.call(fn, *args, **kwargs)

    async def statement(
        self, fn: Callable[Concatenate[sqlite3.Connection, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run a statement function fn(conn, *args) in one hop (see run)."""
        return await self.run(fn, self.conn, *args, **kwargs)

    @asynccontextmanager
    async def atomic(self) -> AsyncIterator[None]:
        """Run the block as one transaction: all of it is written, or none of it."""
        if self._in_unit.get():
            yield
            return
        async with self.lock:
            token = self._in_unit.set(True)
            self._fold_after_commit = False
            try:
                await self._sql("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    # SQLite ends the transaction itself on some errors (a full disk): only
                    # roll back what is still open, so the original error is the one reported.
                    if self.db.in_transaction:
                        await self._sql("ROLLBACK")
                    raise
                try:
                    await self._sql("COMMIT")
                except BaseException:
                    if self.db.in_transaction:
                        await self._sql("ROLLBACK")
                    raise
                if self._fold_after_commit:
                    await self._fold_erase()
            finally:
                self._fold_after_commit = False
                self._in_unit.reset(token)

    async def _sql(self, statement: str) -> None:
        with translated():
            await self.db.execute(statement)

    async def erase(
        self, fn: Callable[Concatenate[sqlite3.Connection, P], None], *args: P.args
    ) -> None:
        """Run an erase, then (once it is committed) empty the log of what it erased."""
        if self._in_unit.get():
            # Not written yet: the transaction's commit empties the log (see atomic).
            await self.call(fn, self.conn, *args)
            self._fold_after_commit = True
            return
        async with self.lock:
            await self.call(fn, self.conn, *args)
            await self._fold_erase()

    async def _fold_erase(self) -> None:
        """Copy the erased pages into the file and truncate the log (the lock is held)."""
        if self._checkpoint_task is not None:
            # A checkpoint under way would make this one give up at once.
            await asyncio.gather(self._checkpoint_task, return_exceptions=True)
        with translated():
            found = await self.db.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
        if not log_emptied(found):
            # Another process is reading an older snapshot; the background checkpoints and the
            # next start-up try again, and the words are already gone from the tables.
            self._erase_in_log = True
            logger.warning("an erase is still in the write-ahead log; it is emptied later")

    async def _checkpoint(self) -> None:
        """Fold the log into the file without waiting for, or holding up, anyone (PASSIVE)."""
        try:
            await self._checkpoint_once()
        finally:
            self._checkpoint_task = None

    async def _checkpoint_once(self) -> None:
        # After an erase whose log could not be emptied, each checkpoint tries again to.
        mode = "TRUNCATE" if self._erase_in_log else "PASSIVE"
        try:
            if self._checkpointer is not None:
                found = await self._checkpointer.execute_fetchall(f"PRAGMA wal_checkpoint({mode})")
                if mode == "TRUNCATE" and log_emptied(found):
                    self._erase_in_log = False
        except sqlite3.Error as error:
            # Nothing is lost: the log keeps every page, and the next checkpoint tries again.
            logger.warning("background checkpoint failed: %s", error)

    async def checkpoint(self) -> None:
        """Fold the log into the file now, after any background checkpoint under way."""
        if self._checkpoint_task is not None:
            await asyncio.gather(self._checkpoint_task, return_exceptions=True)
        await self._checkpoint_once()

    async def backup(self, target: Path | str) -> None:
        """A consistent copy of the whole database, taken while it is in use (SQLite backup API)."""
        try:
            # Owner-only from its first byte, and never written through a link planted there.
            os.close(await asyncio.to_thread(owner_only.create_file, Path(target)))
        except FileExistsError as error:
            raise StoreError(f"{target} already exists; choose a new file name") from error
        except OSError as error:
            raise StoreError(f"cannot write {target}: {error.strerror}") from error
        with translated():
            async with aiosqlite.connect(str(target)) as copy:
                async with self.lock:
                    await self.db.backup(copy)
                await copy.commit()
