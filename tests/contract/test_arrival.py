"""People.arrive: what every command needs first, in one call."""

from __future__ import annotations

from bot.models import PersonRef
from tests.contract.conftest import NOW, WHERE, someone


async def test_arriving_makes_the_person_a_member_and_reads_what_commands_need(store):
    ref = PersonRef("test", "u9", "Nine")
    first = await store.people.arrive(ref, WHERE, NOW)
    assert first.person == await store.people.find("test", "u9")
    assert first.community_id == await store.people.join(first.person.id, WHERE, NOW)
    assert (dict(first.settings), first.community_timezone) == ({}, None)
    await store.community.set_setting(first.community_id, "timezone", "Asia/Tokyo", 1, NOW)
    again = await store.people.arrive(ref, WHERE, NOW)
    assert again.settings == {"timezone": "Asia/Tokyo"}
    assert again.community_timezone == "Asia/Tokyo"
    in_dm = await store.people.arrive(ref, None, NOW)
    assert (in_dm.community_id, dict(in_dm.settings)) == (None, {})
    assert in_dm.community_timezone == "Asia/Tokyo"  # their latest community's, also in DMs
    await store.people.update(first.person.id, timezone="Europe/Paris")
    assert (await store.people.arrive(ref, WHERE, NOW)).community_timezone is None


async def test_arriving_reports_missed_dms_once_and_clears_them(store):
    person = await someone(store)
    await store.people.note_dm_failure(person.id, "403", count=2)
    async with store.unit() as u:
        arrival = await u.people.arrive(PersonRef("test", "alex", "Alex"), None, NOW)
    assert arrival.person.dm_failed_count == 2
    assert (await store.people.get(person.id)).dm_failed_count == 0
    again = await store.people.arrive(PersonRef("test", "alex", "Alex"), None, NOW)
    assert again.person.dm_failed_count == 0


async def test_a_new_community_member_is_stored_once(store):
    ref = PersonRef("test", "u9", "Nine")
    first = await store.people.arrive(ref, WHERE, NOW)
    second = await store.people.arrive(ref, WHERE, NOW)
    assert first.community_id == second.community_id
    assert first.person.id == second.person.id
