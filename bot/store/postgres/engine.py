"""The connection pool for the process: units of work, statement helpers, errors, locks."""

from __future__ import annotations

import contextvars
import functools
import hashlib
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

import asyncpg

from bot.store.errors import EngineError, StoreBusy, StoreError, StoreFull

R = TypeVar("R")
P = ParamSpec("P")
Conn = asyncpg.Connection
Row = asyncpg.Record

POOL_MIN = 2
POOL_MAX = 10
CONNECT_TIMEOUT_S = 10.0
# SQLSTATE classes and codes that mean "another transaction was in the way: try again".
BUSY_STATES = ("40001", "40P01", "55P03", "57014")
FULL_STATES = ("53100", "53200", "53300")


def at(when: datetime) -> datetime:
    """A time as stored: UTC to the second, as on SQLite, so both compare alike."""
    return when.astimezone(UTC).replace(microsecond=0)


def opt_at(when: datetime | None) -> datetime | None:
    """A time that may be missing, as stored."""
    return at(when) if when is not None else None


def lock_key(name: str) -> int:
    """A stable 64-bit advisory-lock key for a name (the same in every process)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def storage_error(error: BaseException) -> BaseException:
    """The store's own exception for a driver error; any other stays as it is."""
    if not isinstance(error, asyncpg.PostgresError):
        return error
    state = getattr(error, "sqlstate", "") or ""
    kind: type[StoreError] = EngineError
    if state in BUSY_STATES:
        kind = StoreBusy
    elif state in FULL_STATES:
        kind = StoreFull
    translated = kind(str(error))
    translated.__cause__ = error
    return translated


@contextmanager
def translated() -> Iterator[None]:
    """Let no driver exception out: callers see StoreBusy, StoreFull or EngineError."""
    try:
        yield
    except asyncpg.PostgresError as error:
        raise storage_error(error) from error
    except asyncpg.InterfaceError as error:
        raise EngineError(str(error)) from error


class Engine:
    """A pool of connections to one database, and the transaction each task is in.

    A unit of work takes one connection for its whole block; a context variable lets the
    task's repository calls use it. Outside a unit, each call takes a connection from the
    pool for one transaction of its own.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._pool: asyncpg.Pool | None = None
        self._tx: contextvars.ContextVar[Conn | None] = contextvars.ContextVar(
            f"rebound_pg_tx_{id(self)}", default=None
        )

    @property
    def pool(self) -> asyncpg.Pool:
        """The open pool."""
        if self._pool is None:
            raise RuntimeError("the store is not open")
        return self._pool

    @property
    def in_unit(self) -> bool:
        """Whether the current task is inside a transaction of its own."""
        return self._tx.get() is not None

    async def open(self, *, min_size: int = POOL_MIN, max_size: int = POOL_MAX) -> None:
        """Connect the pool; an unreachable or refusing server is one EngineError."""
        try:
            self._pool = await asyncpg.create_pool(
                self.url,
                min_size=min_size,
                max_size=max_size,
                timeout=CONNECT_TIMEOUT_S,
                # Statements name no text a person typed, but the server's log would hold
                # their parameters on error; the session says which application it is.
                server_settings={"application_name": "rebound", "timezone": "UTC"},
                reset=_keep_session,
            )
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            raise EngineError(f"cannot connect: {reason}") from error

    async def close(self) -> None:
        """Close every connection once the ones in use are given back."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    @asynccontextmanager
    async def conn(self) -> AsyncIterator[Conn]:
        """The task's unit connection, or a pooled one whose every statement commits itself.

        As on SQLite, a call outside a unit is not a transaction: most are one statement, and
        BEGIN and COMMIT would triple their round trips. Calls that write several statements
        together (Rejections.log, Accounts.forget) take atomic() themselves.
        """
        current = self._tx.get()
        if current is not None:
            with translated():
                yield current
            return
        with translated():
            async with self.pool.acquire() as conn:
                yield conn

    @asynccontextmanager
    async def atomic(self) -> AsyncIterator[Conn]:
        """Run the block as one transaction on one connection; nested blocks join it."""
        current = self._tx.get()
        if current is not None:
            yield current
            return
        with translated():
            async with self.pool.acquire() as conn, conn.transaction():
                token = self._tx.set(conn)
                try:
                    yield conn
                finally:
                    self._tx.reset(token)

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        """Hold a session advisory lock for the block: True in the one process that got it."""
        with translated():
            async with self.pool.acquire() as conn:
                key = lock_key(name)
                got = bool(await _locking(conn, "SELECT pg_try_advisory_lock($1)", key))
                try:
                    yield got
                finally:
                    if got:
                        await _locking(conn, "SELECT pg_advisory_unlock($1)", key)


async def _keep_session(conn: Conn) -> None:
    """What a connection given back to the pool needs reset: nothing (see Engine.open).

    asyncpg's default runs "SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET
    ALL" on every release, one more round trip per call. Rebound sets no session variable,
    listens to nothing and keeps no cursor past a transaction; its one session lock is
    released by exclusive() itself, which closes the connection if it cannot.
    """


async def _locking(conn: Conn, query: str, key: int) -> Any:
    """Take or release a session advisory lock; cut short, close the connection instead.

    A lock left on a pooled connection (no reset releases it there) would keep every other
    process out for good; a closed connection's locks the server releases itself.
    """
    try:
        return await conn.fetchval(query, key)
    except BaseException:
        conn.terminate()
        raise


class HasEngine(Protocol):
    """Anything that runs statements through an engine: a repository."""

    _engine: Engine


class Repository:
    """Base of the PostgreSQL repositories: each method is one statement function."""

    __slots__ = ("_engine",)

    def __init__(self, engine: Engine) -> None:
        self._engine = engine


def pooled(
    fn: Callable[Concatenate[Conn, P], Coroutine[Any, Any, R]],
) -> Callable[Concatenate[HasEngine, P], Coroutine[Any, Any, R]]:
    """A repository method from a statement function fn(conn, ...): in the unit, or its own."""

    @functools.wraps(fn)
    async def call(self: HasEngine, *args: P.args, **kwargs: P.kwargs) -> R:
        async with self._engine.conn() as conn:
            return await fn(conn, *args, **kwargs)

    return call


async def changed(conn: Conn, query: str, *args: Any) -> int:
    """Run one statement; how many rows it changed (from the server's command tag)."""
    tag = await conn.execute(query, *args)
    last = tag.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0
