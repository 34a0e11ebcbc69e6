"""Opening the store while another process holds the database's write lock: wait, don't fail."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.store import MIGRATIONS, SCHEMA_VERSION, StoreBusy, open_store

# Long enough that opening is sure to meet the lock, far below the 5 s busy timeout.
HOLD_SECONDS = 0.3


def writer_elsewhere(path: Path, *, wal: bool) -> sqlite3.Connection:
    """Another process's connection to the file, holding its write lock (BEGIN IMMEDIATE)."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute(f"PRAGMA journal_mode = {'WAL' if wal else 'DELETE'}")
    other.execute("BEGIN IMMEDIATE")
    return other


@contextmanager
def commits_soon(other: sqlite3.Connection) -> Iterator[None]:
    """The other process commits a moment after the block starts (a timer stands in for it)."""
    done = threading.Timer(HOLD_SECONDS, other.execute, ("COMMIT",))
    done.start()
    try:
        yield
    finally:
        done.join()
        other.close()


async def test_open_waits_for_a_write_lock_on_a_file_not_yet_in_wal_mode(tmp_path):
    # A copy made by `rebound backup` (or any other SQLite tool) starts in rollback-journal
    # mode; switching it to WAL needs the file to itself.
    path = tmp_path / "restored.db"
    other = writer_elsewhere(path, wal=False)
    other.execute("CREATE TABLE notes (text TEXT)")
    other.execute("INSERT INTO notes VALUES ('theirs')")
    with commits_soon(other):
        async with open_store(path) as store:
            assert await store.schema_version() == SCHEMA_VERSION
            async with store.db.execute("PRAGMA journal_mode") as cur:
                assert (await cur.fetchone())[0] == "wal"
            async with store.db.execute("SELECT text FROM notes") as cur:
                assert [row[0] for row in await cur.fetchall()] == ["theirs"]


async def test_two_processes_starting_at_once_migrate_once(tmp_path):
    # The other process is halfway through migrating a new file when this one starts: this
    # one must wait for it, then find the schema done, not create every table a second time.
    path = tmp_path / "new.db"
    other = writer_elsewhere(path, wal=True)
    for script in MIGRATIONS:
        for statement in statements(script):
            other.execute(statement)
    other.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    with commits_soon(other):
        async with open_store(path) as store:
            assert await store.schema_version() == SCHEMA_VERSION
            assert await store.people.find("test", "nobody") is None


async def test_open_waits_for_a_write_lock_before_migrating_an_older_file(tmp_path):
    path = tmp_path / "old.db"
    old = open_store(path)
    await old.open(migrate=False)
    await old.migrate(target=1)
    await old.close()
    with commits_soon(writer_elsewhere(path, wal=True)):
        async with open_store(path) as store:
            assert await store.schema_version() == SCHEMA_VERSION


def statements(script: str) -> Iterator[str]:
    """A migration script one statement at a time (triggers kept whole)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""


async def test_a_lock_that_outlasts_the_busy_timeout_fails_and_leaves_no_thread_behind(tmp_path):
    # aiosqlite's connection threads are not daemons: one left behind after a failed start
    # keeps the process alive after it printed its error, so `rebound` would never exit.
    path = tmp_path / "held.db"
    other = writer_elsewhere(path, wal=False)
    before = set(threading.enumerate())
    try:
        with pytest.raises(StoreBusy, match="locked"):
            await open_store(path, busy_timeout_ms=50).open()
    finally:
        other.execute("ROLLBACK")
        other.close()
    # The loop's own worker threads (asyncio_N) are joined when the loop closes; not these.
    # A closed connection's thread hands back its last result just before it returns, so give
    # it a bounded moment to end: one that stays alive would keep the process from exiting.
    new = [
        t for t in threading.enumerate() if t not in before and not t.name.startswith("asyncio_")
    ]
    for thread in new:
        thread.join(timeout=5)
    assert [t for t in new if t.is_alive()] == []
