"""People.without_timezone: whose days follow a community's timezone."""

from __future__ import annotations

from bot.models import CommunityRef, PersonRef
from tests.contract.conftest import NOW, WHERE


async def test_members_without_a_timezone_of_their_own_are_listed(store):
    ada = (await store.people.arrive(PersonRef("test", "ada", "Ada"), WHERE, NOW)).person
    sam = (await store.people.arrive(PersonRef("test", "sam", "Sam"), WHERE, NOW)).person
    lee = await store.people.arrive(
        PersonRef("test", "lee", "Lee"), CommunityRef("test", "g2", "Other"), NOW
    )
    await store.people.update(sam.id, timezone="America/New_York")
    community_id = await store.people.join(ada.id, WHERE, NOW)
    assert await store.people.without_timezone(community_id) == [ada.id]
    assert lee.person.id not in await store.people.without_timezone(community_id)
