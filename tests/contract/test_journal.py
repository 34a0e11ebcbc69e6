"""People, rejections, reflections, conversations, check-ins and follow-ups, as stored."""

from __future__ import annotations

from bot.models import CommunityRef, PersonRef
from bot.store import FollowupPlan
from tests.contract.conftest import NOW, WHERE, later, someone


async def test_a_person_is_stored_once_and_keeps_their_latest_name(store):
    first = await store.people.ensure(PersonRef("test", "u1", "Alex"), NOW)
    renamed = await store.people.ensure(PersonRef("test", "u1", "Alex B."), later(days=1))
    assert renamed.id == first.id and renamed.display_name == "Alex B."
    assert (await store.people.find("test", "u1")).display_name == "Alex B."
    assert await store.people.find("other", "u1") is None
    assert set(await store.people.many([first.id, first.id + 999])) == {first.id}


async def test_personal_settings_change_only_what_is_given(store):
    person = await someone(store)
    await store.people.update(person.id, timezone="Asia/Tokyo", dm_reminders=False)
    await store.people.update(person.id, quiet_start="22:00", checkin_days=(1, 3))
    found = await store.people.get(person.id)
    assert (found.timezone, found.dm_reminders, found.quiet_start) == ("Asia/Tokyo", False, "22:00")
    assert (found.quiet_end, found.checkin_days, found.nudges) == ("08:00", (1, 3), True)


async def test_failed_dms_add_up_until_cleared(store):
    person = await someone(store)
    await store.people.note_dm_failure(person.id, "403")
    await store.people.note_dm_failure(person.id, "403 again", count=2)
    found = await store.people.get(person.id)
    assert (found.dm_failed_count, found.dm_failed_reason) == (3, "403 again")
    await store.people.clear_dm_failures(person.id)
    assert (await store.people.get(person.id)).dm_failed_count == 0


async def test_joining_twice_is_one_membership_and_a_community_keeps_its_timezone(store):
    person = await someone(store)
    first = await store.people.join(person.id, WHERE, NOW)
    again = await store.people.join(person.id, CommunityRef("test", "guild-1", "Renamed"), NOW)
    assert again == first
    assert (await store.community.ref(first)).name == "Renamed"
    assert await store.people.community_timezone(person.id) is None
    await store.community.set_setting(first, "timezone", "Europe/Lisbon", person.id, NOW)
    assert await store.people.community_timezone(person.id) == "Europe/Lisbon"


async def test_the_latest_rejection_is_the_most_recent(store):
    person = await someone(store)
    for n, company in enumerate(("Old Co", "New Co")):
        await store.rejections.add(
            person.id,
            None,
            company=company,
            role=None,
            stage="screen",
            feeling=None,
            note=None,
            now=later(hours=n),
        )
    latest = await store.rejections.latest(person.id)
    assert (latest.company, latest.stage, latest.created_at) == ("New Co", "screen", later(hours=1))


async def test_a_reflection_moves_prompt_by_prompt_and_a_new_one_stops_it(store):
    person = await someone(store)
    first = await store.reflections.start(person.id, None, "final", ["fit", "skills"], NOW)
    await store.reflections.record_answer(first, 0, "fit", "a good fit", NOW)
    await store.reflections.record_answer(first, 1, "skills", None, later(minutes=1))
    found = await store.reflections.get(first, person.id)
    assert (found.position, found.status) == (2, "active")
    assert [(a.prompt_key, a.text) for a in await store.reflections.answers(first)] == [
        ("fit", "a good fit"),
        ("skills", None),
    ]
    second = await store.reflections.start(person.id, None, "screen", ["network"], later(hours=1))
    assert (await store.reflections.get(first, person.id)).status == "stopped"
    assert (await store.reflections.current(person.id)).id == second
    assert [r.id for r in await store.reflections.recent(person.id, 5)] == [first]
    await store.reflections.set_status(second, "finished", later(hours=2))
    assert (await store.reflections.get(second, person.id)).finished_at == later(hours=2)


async def test_a_next_step_is_done_once(store):
    person = await someone(store)
    reflection_id = await store.reflections.start(person.id, None, "final", ["fit"], NOW)
    assert not await store.reflections.mark_next_step_done(reflection_id, NOW)
    await store.reflections.set_next_step(reflection_id, "email Sam", later(days=2), NOW)
    await store.reflections.set_next_step(reflection_id, None, later(days=3), NOW)
    found = await store.reflections.get(reflection_id, person.id)
    assert (found.next_step, found.next_step_due) == ("email Sam", later(days=3))
    assert await store.reflections.mark_next_step_done(reflection_id, later(days=1))
    assert not await store.reflections.mark_next_step_done(reflection_id, later(days=2))
    assert (await store.reflections.get(reflection_id, person.id)).next_step_done_at == later(
        days=1
    )


async def test_a_conversation_is_replaced_and_cleared(store):
    person = await someone(store)
    await store.conversations.set(person.id, "reflection", 4, NOW)
    await store.conversations.set(person.id, "note", 5, NOW, "held words")
    found = await store.conversations.get(person.id)
    assert (found.flow, found.ref_id, found.payload) == ("note", 5, "held words")
    await store.conversations.clear(person.id)
    assert await store.conversations.get(person.id) is None


async def test_seen_messages_come_most_recent_first_and_a_restart_forgets_them(store):
    person = await someone(store)
    for key in ("a", "b", "a"):
        await store.messages.mark_seen(person.id, "pool", key, NOW, restart=False)
    assert await store.messages.seen(person.id, "pool") == ["a", "b"]
    assert await store.messages.seen(person.id, "other") == []
    await store.messages.mark_seen(person.id, "pool", "c", NOW, restart=True)
    assert await store.messages.seen(person.id, "pool") == ["c"]


async def test_checkins_are_counted_by_mood_since_a_time(store):
    person = await someone(store)
    await store.checkins.add(person.id, 1, None, later(days=-8))
    await store.checkins.add(person.id, 1, "low", NOW)
    await store.checkins.add(person.id, 4, None, NOW)
    assert await store.checkins.count(person.id, 1, later(days=-7)) == 1
    assert await store.checkins.count(person.id, 1, later(days=-30)) == 2


async def test_a_followup_changes_only_while_pending(store):
    person = await someone(store)
    plan = FollowupPlan(None, "Sam", "Acme", "Analyst", "linkedin", "stay_in_touch")
    early = await store.followups.add(person.id, plan, draft_key="d", due=later(days=2), now=NOW)
    soon = await store.followups.add(person.id, plan, draft_key="d", due=later(days=1), now=NOW)
    assert [f.id for f in await store.followups.pending(person.id, 5)] == [soon, early]
    assert await store.followups.update(soon, due=later(days=5), now=NOW)  # a snooze
    assert [f.id for f in await store.followups.pending(person.id, 5)] == [early, soon]
    assert await store.followups.update(early, status="sent", now=later(hours=1))
    sent = await store.followups.get(early, person.id)
    assert (sent.status, sent.sent_at, sent.channel) == ("sent", later(hours=1), "linkedin")
    assert not await store.followups.update(early, status="skipped", now=later(hours=2))
    assert [f.id for f in await store.followups.pending(person.id, 5)] == [soon]
