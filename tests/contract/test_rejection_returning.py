"""Rejections.log for members logging again, many at once: what a batch must keep for each one.

On PostgreSQL the logs of returning members are read and written a batch at a time; on SQLite
they share the writer's group commit. Either way each log is its own: its own row, its own
messages, its own reminders, and one person's logs never show them the same message twice.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.models import PersonRef
from bot.store.errors import StoreError
from bot.store.records import RejectionPlan, RejectionView, ReminderPlan, Shown
from tests.contract.conftest import NOW, WHERE, later, member
from tests.contract.test_rejection_log import Recorder, request

KEYS = ("a", "b", "c", "d", "e", "f")


def first_unseen(view: RejectionView) -> RejectionPlan:
    """Show the first key of the pool not seen yet, and plan a nudge about this rejection."""
    seen = view.seen["enc"]
    key = next(k for k in KEYS if k not in seen)
    nudge = ReminderPlan(
        view.person.id, "nudge", view.rejection_id, f"nudge:{view.rejection_id}", later(days=1)
    )
    return RejectionPlan(reminders=(nudge,), shown=(Shown("enc", key),))


async def members(store, count: int) -> list[PersonRef]:
    refs = [PersonRef("test", f"m{n}", f"M{n}") for n in range(count)]
    for ref in refs:
        await member(store, ref.display_name)
    return refs


async def test_members_logging_at_once_each_get_their_own_row_messages_and_reminders(store):
    refs = await members(store, 40)
    logged = await asyncio.gather(
        *(
            store.rejections.log(request(who, company=f"Co {n}", pools=("enc",)), first_unseen, NOW)
            for n, who in enumerate(refs)
        )
    )
    assert len({view.rejection_id for view, _ in logged}) == 40
    for n, (view, _) in enumerate(logged):
        assert view.person.user_id == f"m{n}" and view.community_id is not None
        stored = await store.rejections.get(view.rejection_id, view.person.id)
        assert (stored.company, stored.stage) == (f"Co {n}", "final")
        assert await store.messages.seen(view.person.id, "enc") == ["a"]
        nudge = await store.reminders.by_key(f"nudge:{view.rejection_id}")
        assert (nudge.person_id, nudge.ref_id, nudge.due_at) == (
            view.person.id,
            view.rejection_id,
            later(days=1),
        )


async def test_one_persons_logs_at_once_never_show_the_same_message_twice(store):
    [ref] = await members(store, 1)
    logged = await asyncio.gather(
        *(store.rejections.log(request(ref, pools=("enc",)), first_unseen, NOW) for _ in KEYS)
    )
    shown = [decided.shown[0].key for _, decided in logged]
    assert sorted(shown) == list(KEYS)
    person = await store.people.find("test", "m0")
    assert sorted(await store.messages.seen(person.id, "enc")) == list(KEYS)
    assert len({view.rejection_id for view, _ in logged}) == len(KEYS)


async def test_counters_bumped_by_logs_at_once_add_up(store):
    refs = await members(store, 12)
    await asyncio.gather(
        *(
            store.rejections.log(
                request(who, counter="safety.matches" if n % 3 else None), Recorder(), NOW
            )
            for n, who in enumerate(refs)
        )
    )
    assert await store.state.get("safety.matches") == "8"


async def test_a_member_who_goes_by_a_new_name_is_logged_under_it(store):
    person, _ = await member(store, "Alex")
    renamed = PersonRef("test", "alex", "Alexandra")
    view, _ = await store.rejections.log(request(renamed), Recorder(), NOW)
    assert (view.person.id, view.person.display_name) == (person.id, "Alexandra")
    assert (await store.people.get(person.id)).display_name == "Alexandra"


async def test_a_plan_that_fails_for_one_member_fails_only_their_log(store):
    refs = await members(store, 6)

    def plan(view: RejectionView) -> RejectionPlan:
        if view.person.user_id == "m3":
            raise RuntimeError("plan failed")
        return RejectionPlan()

    results = await asyncio.gather(
        *(store.rejections.log(request(who), plan, NOW) for who in refs),
        return_exceptions=True,
    )
    assert [isinstance(r, RuntimeError) for r in results] == [n == 3 for n in range(6)]
    failed = await store.people.find("test", "m3")
    assert await store.rejections.latest(failed.id) is None
    for result in results:
        if not isinstance(result, BaseException):
            view, _ = result
            assert await store.rejections.get(view.rejection_id, view.person.id) is not None


async def test_a_returning_member_with_missed_dms_is_still_told_once(store):
    person, _ = await member(store, "Alex")
    await store.rejections.log(request(), Recorder(), NOW)
    await store.people.note_dm_failure(person.id, "403", count=3)
    views = await asyncio.gather(
        store.rejections.log(request(), Recorder(), later(minutes=1)),
        store.rejections.log(request(), Recorder(), later(minutes=1)),
    )
    assert sorted(view.person.dm_failed_count for view, _ in views) == [0, 3]
    assert (await store.people.get(person.id)).dm_failed_count == 0


@pytest.mark.parametrize("in_dm", [False, True])
async def test_a_returning_members_log_reads_where_they_are(store, in_dm):
    person, community_id = await member(store, "Alex")
    await store.community.set_setting(community_id, "timezone", "Asia/Tokyo", person.id, NOW)
    await store.rejections.log(request(), Recorder(), NOW)
    view, _ = await store.rejections.log(
        request(community=None if in_dm else WHERE), Recorder(), later(minutes=1)
    )
    assert view.community_id == (None if in_dm else community_id)
    assert dict(view.settings) == ({} if in_dm else {"timezone": "Asia/Tokyo"})
    assert view.community_timezone == "Asia/Tokyo"  # their latest community's, also in DMs


async def test_a_log_the_database_refuses_fails_alone_and_the_others_are_written(store):
    refs = await members(store, 6)
    # A feeling the schema refuses (the use case never sends one): a log the database says
    # no to, as it would to text it cannot store.
    results = await asyncio.gather(
        *(
            store.rejections.log(request(who, feeling=9 if n == 2 else 3), Recorder(), NOW)
            for n, who in enumerate(refs)
        ),
        return_exceptions=True,
    )
    assert [isinstance(r, StoreError) for r in results] == [n == 2 for n in range(6)]
    for n, who in enumerate(refs):
        person = await store.people.find(who.platform, who.user_id)
        latest = await store.rejections.latest(person.id)
        assert (latest is None) == (n == 2)
