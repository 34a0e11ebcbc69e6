"""Follow-up outcomes: asked, decided once, the person's own, kept with the person."""

from __future__ import annotations

from bot.store.records import FollowupPlan
from tests.contract.conftest import NOW, later, someone


async def _followup(store, person_id: int) -> int:
    plan = FollowupPlan(None, "Priya", "Acme", "Analyst", "email", "thanks")
    return await store.followups.add(person_id, plan, draft_key="d", due=NOW, now=NOW)


async def test_asks_are_counted_and_an_outcome_is_decided_once(store):
    alex = await someone(store, "Alex")
    note = await _followup(store, alex.id)
    assert await store.outcomes.get(note, alex.id) is None
    assert await store.outcomes.asked(note, alex.id, later(days=7)) == 1
    assert await store.outcomes.asked(note, alex.id, later(days=14)) == 2
    waiting = await store.outcomes.get(note, alex.id)
    assert (waiting.outcome, waiting.asks, waiting.decided_at) == (None, 2, None)
    assert await store.outcomes.decide(note, alex.id, "referral", later(days=15)) is True
    assert await store.outcomes.decide(note, alex.id, "no_reply", later(days=16)) is False
    decided = await store.outcomes.get(note, alex.id)
    assert (decided.outcome, decided.decided_at) == ("referral", later(days=15))


async def test_outcomes_are_found_by_when_they_were_decided(store):
    alex = await someone(store, "Alex")
    first, second = await _followup(store, alex.id), await _followup(store, alex.id)
    await store.outcomes.decide(second, alex.id, "interview", later(days=3))
    await store.outcomes.decide(first, alex.id, "replied", later(days=1))
    found = await store.outcomes.decided_between(alex.id, NOW, later(days=3))
    assert [(o.followup_id, o.outcome) for o in found] == [(first, "replied")]
    both = await store.outcomes.decided_between(alex.id, NOW, later(days=4))
    assert [o.outcome for o in both] == ["replied", "interview"]


async def test_someone_elses_note_is_never_asked_about_or_decided(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    theirs = await _followup(store, sam.id)
    assert await store.outcomes.asked(theirs, alex.id, NOW) == 0
    assert await store.outcomes.decide(theirs, alex.id, "replied", NOW) is False
    assert await store.outcomes.get(theirs, sam.id) is None
    assert await store.outcomes.decided_between(alex.id, NOW, later(days=1)) == []


async def test_export_holds_outcomes_and_forget_erases_them(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    mine, theirs = await _followup(store, alex.id), await _followup(store, sam.id)
    await store.outcomes.decide(mine, alex.id, "replied", NOW)
    await store.outcomes.decide(theirs, sam.id, "no_reply", NOW)
    exported = await store.accounts.export(alex.id)
    assert [r["outcome"] for r in exported["followup_outcomes"]] == ["replied"]
    await store.accounts.forget(alex.id)
    assert await store.outcomes.decided_between(alex.id, NOW, later(days=1)) == []
    assert (await store.outcomes.get(theirs, sam.id)).outcome == "no_reply"
