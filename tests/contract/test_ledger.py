"""Ledger.counts: each kind of record counted in its window, the person's own only."""

from __future__ import annotations

from bot.store.records import FollowupPlan
from bot.store.records_growth import LedgerCounts
from tests.contract.conftest import NOW, later, member, someone


async def _history(store, person_id: int, hours: float) -> None:
    """One of everything the ledger counts, at NOW + hours."""
    at = later(hours=hours)
    no = await store.rejections.add(
        person_id, None, company="Acme", role=None, stage="final", feeling=None, note=None, now=at
    )
    await store.applications.add(person_id, company="Acme", role=None, source=None, now=at)
    await store.effort.add_activity(person_id, "reflection", 5, at)
    gap = (await store.skills.name(person_id, f"sql {hours}", f"k{hours}", no, at)).gap
    await store.skills.set_status(gap.id, person_id, "confident", at)
    step = await store.skills.add_step(gap.id, person_id, "katas", at, at)
    await store.skills.step_done(step, person_id, at)
    plan = FollowupPlan(no, "Priya", "Acme", None, "email", "thanks")
    note = await store.followups.add(person_id, plan, draft_key="d", due=at, now=at)
    await store.followups.update(note, status="sent", now=at)
    await store.outcomes.decide(note, person_id, "referral", at)
    reflection = await store.reflections.start(person_id, no, "final", ["fit.1"], at)
    await store.reflections.set_next_step(reflection, "ask for feedback", at, at)
    await store.reflections.mark_next_step_done(reflection, at)


def _times(n: int) -> LedgerCounts:
    """What n of _history count: one of each, and two steps done (a next step, a gap's)."""
    return LedgerCounts(
        nos=n,
        applications=n,
        reflections=n,
        skills_worked=n,
        skills_closed=n,
        followups_sent=n,
        referral=n,
        steps_done=2 * n,
    )


async def test_each_kind_is_counted_in_its_window_for_its_person(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    await _history(store, alex.id, 1)
    await _history(store, alex.id, 2)
    await _history(store, alex.id, 30)  # outside the first window
    await _history(store, sam.id, 1)
    assert await store.ledger.counts(alex.id, NOW, later(hours=24)) == _times(2)
    assert await store.ledger.counts(alex.id, later(hours=24), later(hours=48)) == _times(1)
    assert await store.ledger.counts(alex.id, later(days=5), later(days=6)) == LedgerCounts()


async def test_community_stages_count_nos_and_people_in_the_community_only(store):
    alex, community = await member(store, "Alex")
    sam, _ = await member(store, "Sam")
    other = await someone(store, "Olu")
    for person_id, stage, where in (
        (alex.id, "screen", community),
        (alex.id, "screen", community),
        (sam.id, "final", community),
        (other.id, "final", None),  # logged in DMs: no community's
    ):
        await store.rejections.add(
            person_id,
            where,
            company=None,
            role=None,
            stage=stage,
            feeling=None,
            note=None,
            now=later(hours=1),
        )
    tally = await store.community_stages.stages(community, NOW, later(days=1))
    assert tally.people == 2
    assert dict(tally.by_stage) == {"screen": 2, "final": 1}
    assert (
        await store.community_stages.stages(community, later(days=1), later(days=2))
    ).people == 0
