"""Shared fixtures: the wording, a clock that only moves when told, and a core on SQLite."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import closing
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest

from bot.content import Content, load_content
from bot.core import Rebound
from bot.models import CommunityRef, Context, PersonRef, Reply
from bot.ports import FixedClock
from bot.store import Store, open_store
from tests import pg
from tests.pg import pg_database, pg_url

__all__ = ["pg_database", "pg_url"]

# A Thursday afternoon, so "next business day" and week boundaries are interesting.
START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
COMMUNITY = CommunityRef("test", "guild-1", "Test Guild")


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The database file under the `store` fixture, for tests that read it as a file."""
    return tmp_path / "rebound.db"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    async with open_store(db_path) as opened:
        yield opened


@pytest.fixture
async def core(store: Store, content: Content, clock: FixedClock) -> Rebound:
    return Rebound(store, content, clock, default_timezone="UTC", rng=random.Random(7))


def person(name: str = "Alex", user_id: str | None = None) -> PersonRef:
    return PersonRef("test", user_id or name.lower(), name)


def in_channel(name: str = "Alex", community: CommunityRef = COMMUNITY) -> Context:
    return Context(person(name), community, "channel-1")


def in_dm(name: str = "Alex") -> Context:
    return Context(person(name))


def text_of(replies: list[Reply]) -> str:
    """Everything the person would read in these replies, as plain text."""
    parts = []
    for reply in replies:
        if reply.title:
            parts.append(reply.title.plain())
        parts.append(reply.text.plain())
        parts += [f"{k.plain()}: {v.plain()}" for k, v in reply.fields]
        parts += [b.label for b in reply.buttons]
    return "\n".join(parts)


def action(replies: list[Reply], prefix: str) -> str:
    """The action id of the first button whose id starts with prefix."""
    for reply in replies:
        for button in reply.buttons:
            if button.action_id.startswith(prefix):
                return button.action_id
    raise AssertionError(
        f"no button {prefix!r} in {[b.action_id for r in replies for b in r.buttons]}"
    )


async def count_held(store: Store, person_id: int, kind: str) -> int:
    """How many rows of one kind (a table, e.g. "checkins") the store holds about a person."""
    # Read through the person's export, which lists every kind of record by person: the
    # interface has no row count, and no use case needs one.
    return len((await store.accounts.export(person_id))[kind])


def rows_in_file(path: Path | str, sql: str, params: Sequence[object] = ()) -> list[tuple]:
    """Every row of a query on the SQLite file itself, through a connection of its own.

    For tests that look at the database as a database (its tables, what a fault left
    behind); a test of behaviour reads through the store's interface instead. It sees what
    is committed, as any other process would.
    """
    with closing(sqlite3.connect(path)) as db:
        return [tuple(row) for row in db.execute(sql, params)]


def tables_naming(path: Path | str, person_id: int) -> tuple[list[str], list[str]]:
    """Every table of the file's schema, and those that still hold a row naming the person."""
    tables = [
        name
        for (name,) in rows_in_file(
            path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    left = []
    for table in tables:
        columns = {row[1] for row in rows_in_file(path, f"PRAGMA table_info({table})")}
        for column in sorted({"person_id", "updated_by"} & columns):
            [(count,)] = rows_in_file(
                path, f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (person_id,)
            )
            if count:
                left.append(table)
    return tables, left


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual umask of a shell, which would leave new files readable by everyone."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    """The permission bits of a file or folder."""
    return path.stat().st_mode & 0o777


@pytest.fixture
def prompts_copy(tmp_path: Path) -> Path:
    """A copy of prompts/ that a test may break."""
    target = tmp_path / "prompts"
    shutil.copytree(Path(str(resources.files("prompts"))), target)
    return target


def edit_copy(folder: Path, name: str, old: str, new: str) -> None:
    """Replace the first `old` in a copied prompts file (which must contain it) with `new`."""
    path = folder / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say in one line when the PostgreSQL tests did not run."""
    if pg.server_url() is None:
        terminalreporter.write_line(pg.SKIPPED)
