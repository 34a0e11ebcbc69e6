"""A person's rows are theirs alone: a lookup by id for someone else's row finds nothing."""

from __future__ import annotations

from bot.store import FollowupPlan
from tests.contract.conftest import NOW, later, member, someone


async def test_a_rejection_is_found_only_by_its_owner(store):
    ada, community_id = await member(store, "Ada")
    bob = await someone(store, "Bob")
    rejection_id = await store.rejections.add(
        ada.id,
        community_id,
        company="Acme",
        role=None,
        stage="final",
        feeling=2,
        note=None,
        now=NOW,
    )
    assert (await store.rejections.get(rejection_id, ada.id)).company == "Acme"
    assert await store.rejections.get(rejection_id, bob.id) is None
    assert await store.rejections.latest(bob.id) is None


async def test_a_reflection_is_found_only_by_its_owner(store):
    ada, bob = await someone(store, "Ada"), await someone(store, "Bob")
    reflection_id = await store.reflections.start(ada.id, None, "final", ["fit", "skills"], NOW)
    assert (await store.reflections.get(reflection_id, ada.id)).prompt_keys == ("fit", "skills")
    assert await store.reflections.get(reflection_id, bob.id) is None
    assert await store.reflections.current(bob.id) is None


async def test_a_followup_is_found_only_by_its_owner(store):
    ada, bob = await someone(store, "Ada"), await someone(store, "Bob")
    plan = FollowupPlan(None, "Sam Recruiter", "Acme", None, "email", "thanks")
    followup_id = await store.followups.add(
        ada.id, plan, draft_key="thanks#1", due=later(days=1), now=NOW
    )
    assert (await store.followups.get(followup_id, ada.id)).contact == "Sam Recruiter"
    assert await store.followups.get(followup_id, bob.id) is None
    assert await store.followups.pending(bob.id, 10) == []


async def test_a_reminder_is_found_by_id_only_by_its_owner(store):
    ada, bob = await someone(store, "Ada"), await someone(store, "Bob")
    reminder_id = await store.reminders.schedule(
        ada.id, kind="checkin", ref_id=None, key="checkin:9:2d", due=later(days=2), now=NOW
    )
    assert (await store.reminders.get(reminder_id, ada.id)).key == "checkin:9:2d"
    assert await store.reminders.get(reminder_id, bob.id) is None
    assert await store.reminders.for_person(bob.id, ["pending"]) == []


async def test_a_checkin_note_is_never_added_to_someone_elses_checkin(store):
    ada, bob = await someone(store, "Ada"), await someone(store, "Bob")
    checkin_id = await store.checkins.add(ada.id, 2, None, NOW)
    await store.checkins.set_note(checkin_id, bob.id, "written by someone else")
    assert "written by someone else" not in str(await store.accounts.export(ada.id))
    await store.checkins.set_note(checkin_id, ada.id, "my own words")
    assert "my own words" in str(await store.accounts.export(ada.id))
