"""What every statement module shares: run a statement, read rows, nest a transaction, hop."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import closing, contextmanager
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar

if TYPE_CHECKING:
    from bot.store.sqlite.engine import Engine

R = TypeVar("R")
P = ParamSpec("P")
Conn = sqlite3.Connection
Row = sqlite3.Row


def _cursor(conn: Conn, sql: str, params: Sequence[Any]) -> closing[sqlite3.Cursor]:
    # Closed at once, so no half-read statement is left holding the file.
    return closing(conn.execute(sql, params))


def execute(conn: Conn, sql: str, params: Sequence[Any] = ()) -> int:
    """Run one statement; return lastrowid."""
    with _cursor(conn, sql, params) as cur:
        return cur.lastrowid or 0


def rowcount(conn: Conn, sql: str, params: Sequence[Any] = ()) -> int:
    """Run one statement; return how many rows it changed."""
    with _cursor(conn, sql, params) as cur:
        return cur.rowcount


def one(conn: Conn, sql: str, params: Sequence[Any] = ()) -> Row | None:
    """The first row of a query, or None."""
    with _cursor(conn, sql, params) as cur:
        row: Row | None = cur.fetchone()
        return row


def get(conn: Conn, mapper: Callable[[Row], R], sql: str, params: Sequence[Any] = ()) -> R | None:
    """One row mapped to its record, or None."""
    row = one(conn, sql, params)
    return mapper(row) if row else None


def rows(conn: Conn, sql: str, params: Sequence[Any] = ()) -> list[Row]:
    """Every row of a query."""
    with _cursor(conn, sql, params) as cur:
        return list(cur.fetchall())


def marks(values: Sequence[object]) -> str:
    """One `?` per value, for an IN (...) list: the values themselves stay parameters."""
    return ",".join("?" for _ in values)


@contextmanager
def atomic(conn: Conn) -> Iterator[None]:
    """Run the block as one transaction, or as part of the one already open."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        # SQLite ends the transaction itself on some errors (a full disk): only roll back
        # what is still open, so the original error is the one reported.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class HasEngine(Protocol):
    """Anything that runs statements through an engine: a repository."""

    _engine: Engine


class Repository:
    """Base of the SQLite repositories: each method runs one statement function in one hop."""

    __slots__ = ("_engine",)

    def __init__(self, engine: Engine) -> None:
        self._engine = engine


def hop(
    fn: Callable[Concatenate[Conn, P], R],
) -> Callable[Concatenate[HasEngine, P], Coroutine[Any, Any, R]]:
    """The awaitable form of a statement function: run on the connection's thread in one hop."""

    @functools.wraps(fn)
    async def call(self: HasEngine, *args: P.args, **kwargs: P.kwargs) -> R:
        return await self._engine.statement(fn, *args, **kwargs)

    return call
