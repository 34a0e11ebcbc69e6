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


async def test_community_timezones_of_many_match_each_persons_own(store):
    here = await store.people.arrive(PersonRef("test", "ada", "Ada"), WHERE, NOW)
    away = CommunityRef("test", "g2", "Other")
    sam = await store.people.arrive(PersonRef("test", "sam", "Sam"), away, NOW)
    lee = await store.people.arrive(PersonRef("test", "lee", "Lee"), WHERE, NOW)
    await store.community.set_setting(here.community_id, "timezone", "Asia/Tokyo", 1, NOW)
    await store.community.set_setting(sam.community_id, "timezone", "Europe/Oslo", 1, NOW)
    # Ada joins the second community later: its timezone is the one her days follow now.
    await store.people.join(here.person.id, away, NOW.replace(minute=NOW.minute + 1))
    ids = [here.person.id, sam.person.id, lee.person.id, 999_999]
    found = await store.people.community_timezones(ids)
    assert found == {
        here.person.id: "Europe/Oslo",
        sam.person.id: "Europe/Oslo",
        lee.person.id: "Asia/Tokyo",
    }
    assert found == {
        i: zone for i in ids if (zone := await store.people.community_timezone(i)) is not None
    }
    assert await store.people.community_timezones([]) == {}
