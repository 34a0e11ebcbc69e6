"""Text as people type it reaches either database alike, stray NUL characters and all.

SQLite keeps a NUL inside text; PostgreSQL refuses the whole statement. A NUL means nothing
to a reader, so the core drops it from what people type before anything is stored, and a
note keeps its words on both.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.content import Content
from bot.core import Rebound
from bot.ports import FixedClock
from bot.store import Store, open_store
from tests.conftest import in_channel, in_dm, text_of


@pytest.fixture(params=["sqlite", "postgres"])
async def either(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[Store]:
    where = tmp_path / "r.db" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    async with open_store(where) as store:
        yield store


async def test_a_note_with_a_nul_in_it_is_kept_without_it(either, content: Content, clock):
    core = Rebound(either, content, clock, rng=random.Random(3))
    replies = await core.rejected(in_channel(), company="Ac\x00me", stage="final", note="a\x00b")
    assert "Logged" in text_of(replies)
    me = await either.people.find("test", "alex")
    latest = await either.rejections.latest(me.id)
    assert (latest.company, latest.note) == ("Acme", "ab")


async def test_a_dm_with_a_nul_in_it_is_heard(either, content: Content, clock: FixedClock):
    core = Rebound(either, content, clock, rng=random.Random(3))
    await core.checkin(in_channel(), mood=2)
    me = await either.people.find("test", "alex")
    # The check-in asked for a note: the next DM is its note.
    checkin_id = await either.checkins.add(me.id, 2, None, clock.now())
    await either.conversations.set(me.id, "checkin_note", checkin_id, clock.now())
    clock.advance(timedelta(minutes=1))
    replies = await core.dm_text(in_dm(), "slept\x00 badly")
    assert "went wrong" not in text_of(replies)
    assert "slept badly" in str(await either.accounts.export(me.id))


async def test_half_a_surrogate_pair_is_kept_as_a_replacement_mark(either, content, clock):
    core = Rebound(either, content, clock, rng=random.Random(3))
    note = "so \ud800 tired"
    replies = await core.rejected(in_channel(), company="Acme", stage="final", note=note)
    assert "Logged" in text_of(replies)
    me = await either.people.find("test", "alex")
    assert (await either.rejections.latest(me.id)).note == "so \ufffd tired"
