"""Rejections.log: /rejected's one call, all of it in one transaction, the plan called once."""

from __future__ import annotations

import asyncio

import pytest

from bot.models import PersonRef
from bot.store.records import RejectionLog, RejectionPlan, RejectionView, ReminderPlan, Shown
from tests.contract.conftest import NOW, WHERE, later, member, someone

ALEX = PersonRef("test", "alex", "Alex")


def request(who: PersonRef = ALEX, **changes: object) -> RejectionLog:
    values: dict[str, object] = {
        "person": who,
        "community": WHERE,
        "company": "Acme",
        "role": "Analyst",
        "stage": "final",
        "feeling": 3,
        "note": "a note",
    }
    values.update(changes)
    return RejectionLog(**values)  # type: ignore[arg-type]


class Recorder:
    """A plan that remembers what it was shown and decides what it was told to."""

    def __init__(self, decide: RejectionPlan | None = None) -> None:
        self.views: list[RejectionView] = []
        self.decide = decide or RejectionPlan()

    def __call__(self, view: RejectionView) -> RejectionPlan:
        self.views.append(view)
        return self.decide


async def test_a_first_rejection_makes_the_person_a_member_and_stores_the_row(store):
    plan = Recorder()
    view, decided = await store.rejections.log(request(), plan, NOW)
    assert plan.views == [view] and decided is plan.decide
    person = await store.people.find("test", "alex")
    assert view.person.id == person.id
    assert view.community_id == await store.people.join(person.id, WHERE, NOW)
    assert (view.settings, view.community_timezone, dict(view.seen)) == ({}, None, {})
    stored = await store.rejections.get(view.rejection_id, person.id)
    assert (stored.company, stored.role, stored.stage, stored.feeling, stored.note) == (
        "Acme",
        "Analyst",
        "final",
        3,
        "a note",
    )


async def test_the_view_holds_the_communitys_settings_and_timezone(store):
    person, community_id = await member(store, "Alex")
    await store.community.set_setting(community_id, "sharing", "off", person.id, NOW)
    await store.community.set_setting(community_id, "timezone", "Asia/Tokyo", person.id, NOW)
    view, _ = await store.rejections.log(request(), Recorder(), NOW)
    assert view.settings == {"sharing": "off", "timezone": "Asia/Tokyo"}
    assert view.community_timezone == "Asia/Tokyo"
    # A person's own timezone is theirs: the community's is not looked up.
    await store.people.update(person.id, timezone="Europe/Paris")
    view, _ = await store.rejections.log(request(), Recorder(), NOW)
    assert (view.person.timezone, view.community_timezone) == ("Europe/Paris", None)


async def test_in_dms_there_is_no_community(store):
    view, _ = await store.rejections.log(request(community=None), Recorder(), NOW)
    assert (view.community_id, view.settings) == (None, {})


async def test_missed_dms_are_reported_once_and_cleared(store):
    person = await someone(store)
    await store.people.note_dm_failure(person.id, "403", count=2)
    view, _ = await store.rejections.log(request(), Recorder(), NOW)
    assert view.person.dm_failed_count == 2
    assert (await store.people.get(person.id)).dm_failed_count == 0
    again, _ = await store.rejections.log(request(), Recorder(), NOW)
    assert again.person.dm_failed_count == 0


async def test_the_plan_sees_the_keys_seen_and_its_choices_are_remembered(store):
    person = await someone(store)
    await store.messages.mark_seen(person.id, "enc", "a", NOW, restart=False)
    await store.messages.mark_seen(person.id, "enc", "b", later(seconds=1), restart=False)
    plan = Recorder(RejectionPlan(shown=(Shown("enc", "c"), Shown("reframe", "x", restart=True))))
    view, _ = await store.rejections.log(request(pools=("enc", "reframe")), plan, NOW)
    assert dict(view.seen) == {"enc": ["b", "a"], "reframe": []}
    assert await store.messages.seen(person.id, "enc") == ["c", "b", "a"]
    assert await store.messages.seen(person.id, "reframe") == ["x"]
    restart = RejectionPlan(shown=(Shown("enc", "a", restart=True),))
    await store.rejections.log(request(pools=("enc",)), Recorder(restart), NOW)
    assert await store.messages.seen(person.id, "enc") == ["a"]


async def test_the_plans_reminders_are_scheduled_under_their_keys(store):
    def plan(view: RejectionView) -> RejectionPlan:
        key = f"checkin:{view.rejection_id}:2d"
        return RejectionPlan(
            reminders=(
                ReminderPlan(view.person.id, "checkin", view.rejection_id, key, later(days=2)),
            )
        )

    view, _ = await store.rejections.log(request(), plan, NOW)
    reminder = await store.reminders.by_key(f"checkin:{view.rejection_id}:2d")
    assert (reminder.kind, reminder.ref_id, reminder.due_at) == (
        "checkin",
        view.rejection_id,
        later(days=2),
    )


async def test_a_counter_is_bumped_only_when_asked(store):
    await store.rejections.log(request(), Recorder(), NOW)
    assert await store.state.get("safety.matches") is None
    await store.rejections.log(request(counter="safety.matches"), Recorder(), NOW)
    assert await store.state.get("safety.matches") == "1"


async def test_a_plan_that_fails_leaves_nothing_written(store):
    def broken(view: RejectionView) -> RejectionPlan:
        raise RuntimeError("plan failed")

    with pytest.raises(RuntimeError, match="plan failed"):
        await store.rejections.log(request(counter="safety.matches"), broken, NOW)
    assert await store.people.find("test", "alex") is None
    assert await store.state.get("safety.matches") is None


async def test_inside_a_unit_the_log_is_part_of_it(store):
    with pytest.raises(RuntimeError):
        async with store.unit() as u:
            await u.rejections.log(request(), Recorder(), NOW)
            raise RuntimeError("the unit fails")
    assert await store.people.find("test", "alex") is None
    async with store.unit() as u:
        view, _ = await u.rejections.log(request(), Recorder(), NOW)
    assert await store.rejections.get(view.rejection_id, view.person.id) is not None


async def test_many_at_once_all_land_each_with_its_own_row(store):
    people = [PersonRef("test", f"p{n}", f"P{n}") for n in range(20)]
    logged = await asyncio.gather(
        *(
            store.rejections.log(request(who, company=f"Co {n}"), Recorder(), NOW)
            for n, who in enumerate(people)
        )
    )
    for n, (view, _) in enumerate(logged):
        stored = await store.rejections.get(view.rejection_id, view.person.id)
        assert stored.company == f"Co {n}"
    assert len({view.rejection_id for view, _ in logged}) == 20


async def test_an_offer_turned_down_is_stored_as_declined_and_a_no_as_rejected(store):
    declined, _ = await store.rejections.log(
        request(stage="offer", outcome="declined"), Recorder(), NOW
    )
    plain, _ = await store.rejections.log(request(), Recorder(), later(minutes=1))
    person = await store.people.find("test", "alex")
    first = await store.rejections.get(declined.rejection_id, person.id)
    second = await store.rejections.get(plain.rejection_id, person.id)
    assert (first.outcome, first.declined) == ("declined", True)
    assert (second.outcome, second.declined) == ("rejected", False)
    added = await store.rejections.add(
        person.id,
        None,
        company=None,
        role=None,
        stage="offer",
        feeling=None,
        note=None,
        now=later(minutes=2),
        outcome="declined",
    )
    assert (await store.rejections.get(added, person.id)).outcome == "declined"
    assert (await store.rejections.latest(person.id)).id == added
