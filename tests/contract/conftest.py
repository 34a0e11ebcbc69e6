"""The store contract: every backend runs this same suite through the interface alone.

A backend is added by adding its opener to BACKENDS; nothing else in tests/contract/ knows
which database it talks to (no SQL, no driver imports).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.models import CommunityRef, PersonRef
from bot.store import Person, open_store
from bot.store.interface import Store, UnitOfWork

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
WHERE = CommunityRef("test", "guild-1", "Test Guild")


def sqlite_store(tmp_path: Path) -> Store:
    """A fresh SQLite file."""
    return open_store(tmp_path / "contract.db")


def postgres_store(request: pytest.FixtureRequest) -> Store:
    """A fresh, empty schema on the test server (skipped when there is none)."""
    return open_store(request.getfixturevalue("pg_url"))


# Each backend: a way to make a fresh, empty, unopened store.
BACKENDS: dict[str, Callable[[pytest.FixtureRequest], Store]] = {
    "sqlite": lambda request: sqlite_store(request.getfixturevalue("tmp_path")),
    "postgres": postgres_store,
}


@pytest.fixture(params=sorted(BACKENDS))
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    async with BACKENDS[request.param](request) as opened:
        yield opened


def later(**delta: float) -> datetime:
    """NOW moved on by a timedelta's arguments."""
    return NOW + timedelta(**delta)


async def someone(store: UnitOfWork, name: str = "Alex") -> Person:
    """A stored person with this name (their user id is the name in lower case)."""
    return await store.people.ensure(PersonRef("test", name.lower(), name), NOW)


async def member(
    store: UnitOfWork, name: str, community: CommunityRef = WHERE
) -> tuple[Person, int]:
    """A stored person who is a member of community, and the community's id."""
    person = await someone(store, name)
    return person, await store.people.join(person.id, community, NOW)
