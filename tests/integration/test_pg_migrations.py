"""PostgreSQL migrations: the same numbers as SQLite's, from every earlier version, data kept."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.models import PersonRef
from bot.store import SCHEMA_VERSION, open_store
from bot.store.postgres import SCHEMA_VERSION as PG_SCHEMA_VERSION

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def test_both_databases_have_the_same_schema_versions():
    assert PG_SCHEMA_VERSION == SCHEMA_VERSION


@pytest.mark.parametrize("start", range(1, SCHEMA_VERSION))
async def test_migrates_from_every_earlier_version_and_keeps_data(pg_url, start):
    store = open_store(pg_url)
    await store.open(migrate=False)
    try:
        assert await store.migrate(target=start) == start
        person = await store.people.ensure(PersonRef("test", "u1", "Ada"), NOW)
        # Only what version 1 already had: rows of the first release must survive every step.
        await store.effort.add_period_points(person.id, ["all"], 5)
        await store.effort.add_activity(person.id, "reflection", 5, NOW)
    finally:
        await store.close()
    async with open_store(pg_url) as upgraded:
        assert await upgraded.schema_version() == SCHEMA_VERSION
        assert (await upgraded.people.find("test", "u1")).display_name == "Ada"
        assert await upgraded.effort.activity_since(person.id, NOW) == [(NOW, 5)]
        await upgraded.people.ensure(PersonRef("test", "u2", "New"), NOW)


async def test_processes_starting_together_migrate_a_new_database_once(pg_url):
    stores = [open_store(pg_url) for _ in range(3)]
    await asyncio.gather(*(s.open() for s in stores))
    try:
        assert [await s.schema_version() for s in stores] == [SCHEMA_VERSION] * 3
    finally:
        await asyncio.gather(*(s.close() for s in stores))
