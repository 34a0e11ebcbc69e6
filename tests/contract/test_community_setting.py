"""A person's latest community's setting, read without a community in hand (scheduled work)."""

from __future__ import annotations

from bot.models import CommunityRef
from tests.contract.conftest import NOW, WHERE, later, someone


async def test_a_setting_comes_from_the_latest_community_that_set_it(store):
    person = await someone(store)
    first = await store.people.join(person.id, WHERE, NOW)
    assert await store.people.community_setting(person.id, "streak_period") is None
    await store.community.set_setting(first, "streak_period", "day", person.id, NOW)
    assert await store.people.community_setting(person.id, "streak_period") == "day"
    other = CommunityRef("test", "guild-2", "Other")
    second = await store.people.join(person.id, other, later(days=1))
    await store.community.set_setting(second, "streak_period", "week", person.id, later(days=1))
    assert await store.people.community_setting(person.id, "streak_period") == "week"
    assert await store.people.community_setting(person.id, "timezone") is None
