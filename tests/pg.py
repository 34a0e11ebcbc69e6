"""A real PostgreSQL for the tests: one random-named database per run, one schema per test.

REBOUND_TEST_PG_URL names a server (`.ci/run` sets it, and fails when it is unreachable).
Without it, the PostgreSQL tests are skipped, and the run says so in one line at the end.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

ENV = "REBOUND_TEST_PG_URL"
SKIPPED = f"PostgreSQL tests skipped: {ENV} is not set (.ci/run sets it)"


def server_url() -> str | None:
    """The test server's URL, or None when the PostgreSQL tests are to be skipped."""
    return os.environ.get(ENV) or None


def with_database(url: str, database: str, **settings: str) -> str:
    """url pointed at another database, with server settings as query parameters."""
    parts = urlsplit(url)
    query = "&".join(f"{k}={v}" for k, v in settings.items())
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, query, ""))


async def _execute(url: str, statement: str) -> None:
    conn = await asyncpg.connect(url, timeout=10)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def _admin(url: str, statement: str) -> None:
    """Run one statement on its own connection, from sync code or inside a running loop."""
    # A fixture may be set up while a test's event loop runs: a thread has a loop of its own.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _execute(url, statement)).result()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh database for this run (random name), dropped afterwards: its URL."""
    url = server_url()
    if url is None:
        pytest.skip(SKIPPED)
    name = f"rebound_test_{uuid.uuid4().hex[:12]}"
    # Names are made here from hex digits, never input: CREATE DATABASE takes no parameters.
    _admin(url, f'CREATE DATABASE "{name}"')
    try:
        yield with_database(url, name)
    finally:
        _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_database: str) -> Iterator[str]:
    """A URL whose connections see an empty schema of their own: a fresh, empty database."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    _admin(pg_database, f'CREATE SCHEMA "{schema}"')
    try:
        # asyncpg passes unknown query parameters on as server settings.
        yield with_database(pg_database, urlsplit(pg_database).path[1:], search_path=schema)
    finally:
        _admin(pg_database, f'DROP SCHEMA "{schema}" CASCADE')
