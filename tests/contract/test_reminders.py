"""Reminders: scheduling under a key never doubles, and claims hold for their lease only."""

from __future__ import annotations

from bot.store import ReminderPlan
from tests.contract.conftest import NOW, later, someone

LEASE = later(minutes=5)


async def schedule(store, person_id: int, key: str, due, kind: str = "checkin") -> int:
    return await store.reminders.schedule(
        person_id, kind=kind, ref_id=None, key=key, due=due, now=NOW
    )


async def test_scheduling_the_same_key_twice_keeps_one_reminder(store):
    person = await someone(store)
    first = await schedule(store, person.id, "checkin:1:2d", later(days=2))
    again = await schedule(store, person.id, "checkin:1:2d", later(days=2))
    assert again == first
    pending = await store.reminders.for_person(person.id, ["pending"])
    assert [(r.id, r.key, r.due_at) for r in pending] == [(first, "checkin:1:2d", later(days=2))]


async def test_rescheduling_a_key_replaces_its_time(store):
    person = await someone(store)
    first = await schedule(store, person.id, "nudge:1", later(days=1))
    moved = await schedule(store, person.id, "nudge:1", later(days=3))
    assert moved == first
    reminder = await store.reminders.by_key("nudge:1")
    assert reminder.due_at == later(days=3) and reminder.status == "pending"
    assert len(await store.reminders.for_person(person.id, ["pending"])) == 1


async def test_scheduling_many_never_doubles_a_key(store):
    person = await someone(store)
    await schedule(store, person.id, "a", later(days=1))
    plans = [
        ReminderPlan(person.id, "checkin", None, "a", later(days=1)),
        ReminderPlan(person.id, "checkin", None, "b", later(days=2)),
        ReminderPlan(person.id, "checkin", None, "b", later(days=2)),
    ]
    await store.reminders.schedule_many(plans, NOW)
    await store.reminders.schedule_many(plans, NOW)
    keys = [r.key for r in await store.reminders.for_person(person.id, ["pending"])]
    assert keys == ["a", "b"]


async def test_scheduling_a_sent_reminder_again_never_sends_it_twice(store):
    person = await someone(store)
    first = await schedule(store, person.id, "checkin:1:7d", NOW)
    [claimed] = await store.reminders.claim_due(NOW, LEASE, 10)
    await store.reminders.finish(claimed.id, "sent", NOW)
    assert await schedule(store, person.id, "checkin:1:7d", NOW) == first
    assert (await store.reminders.by_key("checkin:1:7d")).status == "sent"
    assert await store.reminders.claim_due(later(days=1), later(days=1, minutes=5), 10) == []


async def test_rescheduling_a_sent_reminder_to_a_new_time_makes_it_pending(store):
    person = await someone(store)
    await schedule(store, person.id, "next_step:4", NOW)
    [claimed] = await store.reminders.claim_due(NOW, LEASE, 10)
    await store.reminders.finish(claimed.id, "sent", NOW)
    await schedule(store, person.id, "next_step:4", later(days=2))
    reminder = await store.reminders.by_key("next_step:4")
    assert (reminder.status, reminder.due_at, reminder.attempts) == ("pending", later(days=2), 0)


async def test_only_due_reminders_are_claimed_soonest_first_up_to_the_limit(store):
    person = await someone(store)
    for key, hours in (("an_hour_ago", -1), ("three_hours_ago", -3), ("tomorrow", 24)):
        await schedule(store, person.id, key, later(hours=hours))
    await schedule(store, person.id, "two_hours_ago", later(hours=-2))
    claimed = await store.reminders.claim_due(NOW, LEASE, 2)
    assert [r.key for r in claimed] == ["three_hours_ago", "two_hours_ago"]
    assert all(r.status == "sending" for r in claimed)
    rest = await store.reminders.claim_due(NOW, LEASE, 10)
    assert [r.key for r in rest] == ["an_hour_ago"]  # tomorrow's is not due yet


async def test_a_claimed_reminder_is_not_claimed_again_while_its_lease_runs(store):
    person = await someone(store)
    await schedule(store, person.id, "k", NOW)
    assert len(await store.reminders.claim_due(NOW, LEASE, 10)) == 1
    assert await store.reminders.claim_due(NOW, LEASE, 10) == []
    assert await store.reminders.claim_due(later(minutes=4), later(minutes=9), 10) == []


async def test_a_reminder_whose_lease_ran_out_is_claimed_again(store):
    person = await someone(store)
    await schedule(store, person.id, "k", NOW)
    [first] = await store.reminders.claim_due(NOW, LEASE, 10)
    [again] = await store.reminders.claim_due(later(minutes=5), later(minutes=10), 10)
    assert again.id == first.id and again.status == "sending"


async def test_released_claims_are_pending_and_claimed_again(store):
    person = await someone(store)
    await schedule(store, person.id, "a", NOW)
    await schedule(store, person.id, "b", NOW)
    await store.reminders.claim_due(NOW, LEASE, 10)
    assert await store.reminders.release_claims(NOW) == 2
    assert {r.status for r in await store.reminders.for_person(person.id, ["pending"])} == {
        "pending"
    }
    assert len(await store.reminders.claim_due(NOW, LEASE, 10)) == 2
    assert await store.reminders.release_claims(NOW) == 2
    assert await store.reminders.release_claims(NOW) == 0


async def test_a_finished_reminder_is_never_claimed_again(store):
    person = await someone(store)
    await schedule(store, person.id, "k", NOW)
    [claimed] = await store.reminders.claim_due(NOW, LEASE, 10)
    await store.reminders.finish(claimed.id, "undeliverable", NOW, "403 code 50007")
    assert await store.reminders.claim_due(later(hours=1), later(hours=2), 10) == []
    ended = await store.reminders.get(claimed.id, person.id)
    assert (ended.status, ended.last_error) == ("undeliverable", "403 code 50007")


async def test_a_retry_puts_a_claim_back_later_and_counts_only_failures(store):
    person = await someone(store)
    await schedule(store, person.id, "k", NOW)
    [claimed] = await store.reminders.claim_due(NOW, LEASE, 10)
    await store.reminders.retry(claimed.id, later(minutes=30), NOW, error="500", failed=True)
    assert await store.reminders.claim_due(later(minutes=29), later(minutes=35), 10) == []
    [again] = await store.reminders.claim_due(later(minutes=30), later(minutes=35), 10)
    assert (again.attempts, again.last_error) == (1, "500")
    await store.reminders.retry(again.id, later(hours=1), NOW, error=None, failed=False)
    waited = await store.reminders.by_key("k")
    assert (waited.status, waited.attempts, waited.last_error) == ("pending", 1, "500")
    assert await store.reminders.next_due() == later(hours=1)


async def test_closed_and_cancelled_reminders_are_never_claimed(store):
    person = await someone(store)
    await schedule(store, person.id, "done", NOW)
    await schedule(store, person.id, "n1", NOW, kind="nudge")
    await schedule(store, person.id, "n2", NOW, kind="nudge")
    await schedule(store, person.id, "kept", later(minutes=1))
    await store.reminders.close("done", "done", NOW)
    assert await store.reminders.cancel(person.id, "nudge", NOW) == 2
    claimed = await store.reminders.claim_due(later(minutes=1), later(minutes=6), 10)
    assert [r.key for r in claimed] == ["kept"]
    counts = await store.reminders.counts(["pending", "sending", "done", "cancelled", "sent"])
    assert counts == {"pending": 0, "sending": 1, "done": 1, "cancelled": 2, "sent": 0}


async def test_the_report_names_whose_reminder_it_is(store):
    person = await someone(store, "Robin")
    await schedule(store, person.id, "k", later(days=1))
    [line] = await store.reminders.report(["pending"], 10)
    assert (line.kind, line.due_at, line.status) == ("checkin", later(days=1), "pending")
    assert (line.platform, line.user_id, line.display_name) == ("test", "robin", "Robin")
    assert await store.reminders.next_due() == later(days=1)


async def test_a_batch_marked_sent_together_ends_once_and_touches_nothing_else(store):
    person = await someone(store)
    for key in ("a", "b", "c"):
        await schedule(store, person.id, key, NOW)
    await schedule(store, person.id, "later", later(days=1))
    a, b, c = await store.reminders.claim_due(NOW, LEASE, 10)
    # The person skipped c from its DM before the batch was marked: that choice stands.
    await store.reminders.mark(c.id, "skipped", NOW)
    pending = (await store.reminders.by_key("later")).id
    await store.reminders.finish_many([a.id, b.id, c.id, pending], "sent", later(minutes=1))
    rows = await store.reminders.for_person(person.id, ["sent", "skipped", "pending"])
    ended = {r.key: r.status for r in rows}
    assert ended == {"a": "sent", "b": "sent", "c": "skipped", "later": "pending"}
    # Only the reminder still to come is ever claimed again.
    again = await store.reminders.claim_due(later(days=2), later(days=2, minutes=5), 10)
    assert [r.key for r in again] == ["later"]


async def test_due_and_lapsed_reminders_are_claimed_together_in_due_order(store):
    person = await someone(store)
    await schedule(store, person.id, "lapsed", later(minutes=-30))
    [lapsed] = await store.reminders.claim_due(NOW, LEASE, 1)
    await schedule(store, person.id, "older", later(hours=-1))
    await schedule(store, person.id, "newer", later(minutes=-10))
    claimed = await store.reminders.claim_due(later(minutes=6), later(minutes=11), 10)
    assert [r.key for r in claimed] == ["older", "lapsed", "newer"]
    assert claimed[1].id == lapsed.id
