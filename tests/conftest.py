"""Shared fixtures: the wording, a clock that only moves when told, and a core on SQLite."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.content import Content, load_content
from bot.core import Rebound
from bot.models import CommunityRef, Context, PersonRef, Reply
from bot.ports import FixedClock
from bot.store import Store

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
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with Store(tmp_path / "rebound.db") as opened:
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


async def tables_naming(store: Store, person_id: int) -> tuple[list[str], list[str]]:
    """Every table of the schema, and those that still hold a row naming the person."""
    async with store.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ) as cur:
        tables = [row[0] for row in await cur.fetchall()]
    left = []
    for table in tables:
        async with store.db.execute(f"PRAGMA table_info({table})") as cur:
            columns = {row[1] for row in await cur.fetchall()}
        for column in sorted({"person_id", "updated_by"} & columns):
            async with store.db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (person_id,)
            ) as cur:
                if (await cur.fetchone())[0]:
                    left.append(table)
    return tables, left
