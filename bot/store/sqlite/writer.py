"""Group commit: transactions that arrive while the connection is busy are written together."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from bot.store.sqlite.engine import Engine, storage_error
from bot.store.sqlite.sql import Conn

R = TypeVar("R")


class _Unit:
    """One caller's transaction waiting to be written, and what came of it."""

    __slots__ = ("error", "fn", "future", "result")

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn = fn
        self.future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.result: Any = None
        self.error: BaseException | None = None


def write_group(conn: Conn, units: Sequence[_Unit]) -> None:
    """Write several callers' transactions under one COMMIT, each in its own savepoint.

    A unit that fails is rolled back alone and its caller gets the error; the others are
    written. Runs on the connection's thread: the group costs one hop and one commit.
    """
    written: list[_Unit] = []

    def fail(units: Sequence[_Unit], error: BaseException) -> None:
        for unit in units:
            unit.result, unit.error = None, error

    try:
        for unit in units:
            if not conn.in_transaction:
                conn.execute("BEGIN IMMEDIATE")
            conn.execute("SAVEPOINT unit")
            try:
                unit.result = unit.fn()
            except BaseException as error:
                unit.error = error
                if conn.in_transaction:
                    conn.execute("ROLLBACK TO unit")
                    conn.execute("RELEASE unit")
                else:
                    # SQLite rolled the whole transaction back itself (a full disk): the units
                    # written before this one in it are gone too, and their callers must know.
                    fail(written, error)
                    written.clear()
                continue
            conn.execute("RELEASE unit")
            written.append(unit)
        if conn.in_transaction:
            conn.execute("COMMIT")
    except BaseException as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        fail([u for u in units if u.error is None], error)


class GroupWriter:
    """Hands waiting transactions to the connection a group at a time (group commit)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._waiting: list[_Unit] = []
        self._task: asyncio.Task[None] | None = None

    async def submit(self, fn: Callable[[], R]) -> R:
        """Run fn() on the connection's thread as one transaction: all of it, or none of it.

        Callers that arrive while the connection is busy are written together: whoever gets
        the connection next writes every waiting transaction in one hop and one commit, each
        still all-or-nothing on its own.
        """
        unit = _Unit(fn)
        self._waiting.append(unit)
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._write_waiting())
        # The writer answers every unit, also when this caller gives up waiting.
        result: R = await unit.future
        return result

    async def drain(self) -> None:
        """Wait until every transaction already handed over is written (or refused)."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def _write_waiting(self) -> None:
        """Write the waiting transactions a group at a time until none are left."""
        try:
            while self._waiting:
                group, self._waiting = self._waiting, []
                async with self._engine.lock:
                    await self._write(group)
        finally:
            self._task = None

    async def _write(self, group: list[_Unit]) -> None:
        failure: BaseException | None = None
        try:
            await self._engine.call(write_group, self._engine.conn, group)
        except BaseException as error:
            # The hop itself failed (the store was closed, the writer was cancelled at
            # shutdown): nobody may think they were written.
            failure = error
            for unit in group:
                if unit.error is None:
                    unit.result, unit.error = None, error
        for unit in group:
            if unit.future.done():
                continue  # its caller was cancelled
            if unit.error is not None:
                unit.future.set_exception(storage_error(unit.error))
            else:
                unit.future.set_result(unit.result)
        if isinstance(failure, asyncio.CancelledError):
            raise failure
